from typing import Any, Mapping, Sequence

from .charts import Svg
from .framework import Framework
from .profiles import RoleProfile

__all__: list[str]

class Gap:
    competence: str
    area: str
    required: int
    current: int | None
    source: str | None
    gap: int | None
    weight: float
    weighted_gap: float | None
    met: bool | None
    def __init__(
        self,
        competence: str,
        area: str,
        required: int,
        current: int | None,
        source: str | None,
        gap: int | None,
        weight: float,
        weighted_gap: float | None,
        met: bool | None,
    ) -> None: ...

class GapReport:
    @property
    def role(self) -> str: ...
    @property
    def framework(self) -> str: ...
    @property
    def readiness(self) -> float | None: ...
    @property
    def gaps(self) -> list[Gap]: ...
    @property
    def missing(self) -> list[str]: ...
    @property
    def plan(self) -> list[str]: ...
    @property
    def requirements(self) -> int: ...
    @property
    def rated(self) -> int: ...
    @property
    def met(self) -> int: ...
    @property
    def total_weighted_gap(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...
    def chart(self) -> Svg | None: ...

def gap_report(
    framework: Framework | str | Mapping[str, Any],
    profile: RoleProfile | Mapping[str, Any],
    ratings: Mapping[str, int] | Sequence[Mapping[str, Any]],
    *,
    policy: str | Mapping[str, Any] | None = None,
) -> GapReport: ...
