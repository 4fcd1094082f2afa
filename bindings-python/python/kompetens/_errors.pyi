from typing import Any

class KompetensError(ValueError):
    code: str
    category: str
    location: str
    message: str
    details: dict[str, Any] | None
    def __init__(
        self,
        message: str,
        *,
        code: str = ...,
        location: str = ...,
        category: str | None = ...,
        details: dict[str, Any] | None = ...,
    ) -> None: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

class ParseError(KompetensError): ...
class UnknownIdError(KompetensError): ...
class ValidationError(KompetensError): ...

def _make(
    code: str, category: str, location: str, message: str, details: dict[str, Any] | None = ...
) -> KompetensError: ...
