from typing import Any

__version__: str
OPERATIONS: list[str]

def call(op: str, input: Any) -> Any: ...
def parse_toml(text: str) -> Any: ...
def cronbach_alpha(
    data: Any,
    *,
    items: list[str] | None = None,
    missing: Any = None,
    ci_level: Any = None,
    scale: Any = None,
    reverse: Any = None,
) -> dict[str, Any]: ...

def survey_scorer(
    instrument: Any,
    *,
    framework: Any = None,
    strategy: Any = None,
    min_answered: Any = None,
    basis: Any = None,
    area_method: Any = None,
) -> SurveyScorer: ...

class SurveyScorer:
    item_ids: list[str]
    targets: list[str]
    areas: list[str]
    framework_id: str | None
    strategy: Any
    def score(
        self, /, data: Any, columns: list[str] | None = None, ids: list[str] | None = None
    ) -> ScoredSurvey: ...
    def score_table(self, /, table: Any) -> ScoredSurvey: ...
    def score_answers(self, /, answers: Any) -> ScoredSurvey: ...

class ScoredSurvey:
    targets: list[str]
    areas: list[str]
    ids: list[str] | None
    def __len__(self, /) -> int: ...
    def array(self, /, name: str) -> Any: ...
    def report(self, /) -> dict[str, Any]: ...
    def to_assessments(self, /, source: Any = None) -> list[dict[str, Any]]: ...
    def ratings(self, /, row: int, source: Any = None) -> list[dict[str, Any]]: ...
