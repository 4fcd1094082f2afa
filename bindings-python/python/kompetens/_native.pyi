from typing import Any

__version__: str
OPERATIONS: list[str]

def call(op: str, input: Any) -> Any: ...
def parse_toml(text: str) -> Any: ...
