"""Assessments: ratings from several evidence sources (``self``, ``manager``
— medarbetarsamtal —, ``test``, ``activity``), reconciled only by a policy
the caller picks; calibration of self against manager ratings; CSV import.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union

from ._api import _check_str, _framework_ref, call

__all__ = [
    "reconcile",
    "calibration",
    "CalibrationReport",
    "CompetenceCalibration",
    "read_assessments_csv",
]


def reconcile(
    framework: Any,
    ratings: Union[Mapping[str, int], Sequence[Mapping[str, Any]]],
    *,
    policy: Union[str, Mapping[str, Any], None] = None,
) -> list[dict[str, Any]]:
    """One level per rated competence, chosen by ``policy``.

    Returns ``[{"competence", "level", "source"}]`` in framework order
    (``source`` is ``None`` for ``{id: level}`` input). Without a policy, a
    competence with several ratings raises ``ambiguous_ratings``.
    """
    inp: dict[str, Any] = {"framework": _framework_ref(framework), "ratings": ratings}
    if policy is not None:
        inp["policy"] = policy
    return call("reconcile", inp)


@dataclass(frozen=True)
class CompetenceCalibration:
    """How self and manager ratings of one competence differ.

    ``pairs`` counts assessments with both a self and a manager rating; the
    mean difference is self − manager; the shares are ``None`` without pairs.
    """

    competence: str
    pairs: int
    mean_difference: Union[float, None]
    share_self_above: Union[float, None]
    share_equal: Union[float, None]
    share_self_below: Union[float, None]


class CalibrationReport:
    """Per competence (framework order), self against manager ratings."""

    __slots__ = ("_data", "_competences")

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Private: made by calibration().
        self._data = data
        self._competences = tuple(
            CompetenceCalibration(
                competence=c["competence"],
                pairs=c["pairs"],
                mean_difference=c.get("mean_difference"),
                share_self_above=c.get("share_self_above"),
                share_equal=c.get("share_equal"),
                share_self_below=c.get("share_self_below"),
            )
            for c in data["competences"]
        )

    @property
    def framework(self) -> str:
        """Framework id."""
        return self._data["framework"]

    @property
    def competences(self) -> list[CompetenceCalibration]:
        """One entry per competence of the framework."""
        return list(self._competences)

    def to_dict(self) -> dict[str, Any]:
        """The report in the core's JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __repr__(self) -> str:
        paired = sum(1 for c in self._competences if c.pairs)
        return f"CalibrationReport(framework={self.framework!r}, competences_with_pairs={paired})"


def calibration(framework: Any, assessments: Sequence[Mapping[str, Any]]) -> CalibrationReport:
    """Compare self and manager ratings per competence over ``assessments``
    (dicts in the assessment JSON shape, e.g. from :func:`read_assessments_csv`)."""
    return CalibrationReport(
        call("calibration", {"framework": _framework_ref(framework), "assessments": assessments})
    )


def _read_text(path_or_text: Any) -> str:
    if isinstance(path_or_text, os.PathLike):
        with open(path_or_text, encoding="utf-8-sig", newline="") as f:
            return f.read()
    if isinstance(path_or_text, str):
        if "\n" in path_or_text or "\r" in path_or_text:
            return path_or_text
        with open(path_or_text, encoding="utf-8-sig", newline="") as f:
            return f.read()
    read = getattr(path_or_text, "read", None)
    if callable(read):
        text = read()
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return _check_str(text, "the file's content")
    raise TypeError(
        "path_or_text must be a path, CSV text or a file object, "
        f"not {type(path_or_text).__name__}"
    )


def read_assessments_csv(
    path_or_text: Any,
    *,
    form: str = "long",
    source: Union[str, None] = None,
    framework: Any,
) -> list[dict[str, Any]]:
    """Read assessments from CSV and return them as assessment dicts.

    ``path_or_text`` is a path (``str`` without a line break, or
    ``os.PathLike``), CSV text (a ``str`` containing a line break) or an open
    file. ``form="long"``: one rating per row (``person``, ``competence``,
    ``level``, ``source`` and optionally ``role``, ``unit``, ``wave``,
    ``date``); ``form="wide"``: one row per person and source, one column per
    competence id. ``source`` is the default evidence source for wide files
    without a ``source`` column. Errors name the line and column.
    """
    text = _read_text(path_or_text)
    inp: dict[str, Any] = {"framework": _framework_ref(framework), "text": text, "form": form}
    if source is not None:
        inp["source"] = source
    return call("assessments.from_csv", inp)
