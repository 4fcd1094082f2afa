import os
from typing import IO, Any, Mapping, Sequence

from .framework import Framework

__all__: list[str]

_FrameworkLike = Framework | str | Mapping[str, Any]

def reconcile(
    framework: _FrameworkLike,
    ratings: Mapping[str, int] | Sequence[Mapping[str, Any]],
    *,
    policy: str | Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]: ...

class CompetenceCalibration:
    competence: str
    pairs: int
    mean_difference: float | None
    share_self_above: float | None
    share_equal: float | None
    share_self_below: float | None
    def __init__(
        self,
        competence: str,
        pairs: int,
        mean_difference: float | None,
        share_self_above: float | None,
        share_equal: float | None,
        share_self_below: float | None,
    ) -> None: ...

class CalibrationReport:
    @property
    def framework(self) -> str: ...
    @property
    def competences(self) -> list[CompetenceCalibration]: ...
    def to_dict(self) -> dict[str, Any]: ...

def calibration(
    framework: _FrameworkLike, assessments: Sequence[Mapping[str, Any]]
) -> CalibrationReport: ...
def read_assessments_csv(
    path_or_text: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    form: str = "long",
    source: str | None = None,
    framework: _FrameworkLike,
) -> list[dict[str, Any]]: ...
