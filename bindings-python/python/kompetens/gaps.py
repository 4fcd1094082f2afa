"""A person's gaps against their role profile, readiness and development plan.

Per requirement: ``gap = max(0, required − current)``, ``weighted_gap = gap ×
weight``, ``met = current ≥ required``. Missing ratings are listed in
``missing`` and never counted as 0; ``readiness`` is the weighted share of
*rated* requirements that are met (``None`` when nothing is rated). The
``plan`` orders unmet requirements by weighted gap, then weight, then
framework order. All of it is computed by the Rust core.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union

from . import _display
from ._api import _framework_ref, call
from .charts import Svg
from .profiles import RoleProfile

__all__ = ["gap_report", "GapReport", "Gap"]


@dataclass(frozen=True)
class Gap:
    """One requirement compared with the current level.

    ``current``, ``gap``, ``weighted_gap`` and ``met`` are ``None`` when the
    competence was not rated; ``source`` is the evidence source of the
    current level when known.
    """

    competence: str
    area: str
    required: int
    current: Union[int, None]
    source: Union[str, None]
    gap: Union[int, None]
    weight: float
    weighted_gap: Union[float, None]
    met: Union[bool, None]


class GapReport:
    """A person's gap report (see the module docs for the definitions)."""

    __slots__ = ("_data", "_gaps")

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Private: made by gap_report().
        self._data = data
        self._gaps = tuple(
            Gap(
                competence=g["competence"],
                area=g["area"],
                required=g["required"],
                current=g.get("current"),
                source=g.get("source"),
                gap=g.get("gap"),
                weight=g["weight"],
                weighted_gap=g.get("weighted_gap"),
                met=g.get("met"),
            )
            for g in data["gaps"]
        )

    @property
    def role(self) -> str:
        """Role profile id."""
        return self._data["role"]

    @property
    def framework(self) -> str:
        """Framework id."""
        return self._data["framework"]

    @property
    def readiness(self) -> float | None:
        """Weighted share of rated requirements that are met, in [0, 1];
        ``None`` when no requirement is rated."""
        return self._data["readiness"]

    @property
    def gaps(self) -> list[Gap]:
        """One entry per requirement, in framework order."""
        return list(self._gaps)

    @property
    def missing(self) -> list[str]:
        """Competences required but not rated."""
        return list(self._data["missing"])

    @property
    def plan(self) -> list[str]:
        """Unmet requirements, most pressing first."""
        return list(self._data["plan"])

    @property
    def requirements(self) -> int:
        """Number of requirements."""
        return self._data["requirements"]

    @property
    def rated(self) -> int:
        """Number of rated requirements."""
        return self._data["rated"]

    @property
    def met(self) -> int:
        """Number of requirements met."""
        return self._data["met"]

    @property
    def total_weighted_gap(self) -> float:
        """Sum of weighted gaps over rated requirements."""
        return self._data["total_weighted_gap"]

    def to_dict(self) -> dict[str, Any]:
        """The report in the core's JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GapReport) and other._data == self._data

    __hash__ = None  # type: ignore[assignment]

    def chart(self) -> Svg | None:
        """The radar of current levels against the requirements (SVG text
        that Jupyter displays as a picture)."""
        return _display.gap_report_chart(self)

    def _repr_html_(self) -> str:
        return _display.gap_report_html(self)

    def __repr__(self) -> str:
        return (
            f"GapReport(role={self.role!r}, readiness={self.readiness!r}, "
            f"plan={self._data['plan']!r}, missing={self._data['missing']!r})"
        )


def _profile_arg(profile: Any) -> Any:
    if isinstance(profile, RoleProfile):
        return profile._data
    return profile


def gap_report(
    framework: Any,
    profile: Any,
    ratings: Union[Mapping[str, int], Sequence[Mapping[str, Any]]],
    *,
    policy: Union[str, Mapping[str, Any], None] = None,
) -> GapReport:
    """Compare a person's ratings with a role profile.

    ``framework`` is a :class:`~kompetens.Framework` or a built-in name;
    ``profile`` a :class:`~kompetens.RoleProfile` (resolved or standalone) or
    a profile dict; ``ratings`` either ``{competence_id: level}`` or a list of
    ``{"competence", "level", "source"}`` dicts. When a competence has
    several ratings, ``policy`` picks one (``"prefer:manager,test,self"``,
    ``"max"``, ``"min"``, ``"only:manager"`` or the dict form); without a
    policy that is an ``ambiguous_ratings`` error — ratings are never averaged.
    """
    inp: dict[str, Any] = {
        "framework": _framework_ref(framework),
        "profile": _profile_arg(profile),
        "ratings": ratings,
    }
    if policy is not None:
        inp["policy"] = policy
    return GapReport(call("gap_report", inp))
