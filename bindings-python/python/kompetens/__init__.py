"""kompetens — digital competences by job role for public administrations.

Competence frameworks (DigComp 2.2 and 3.0 built in), role profiles
(yrkesroll) with inheritance, assessments from several evidence sources
reconciled by an explicit policy, and each person's gaps, readiness and
development plan; digital maturity with DiMiOS and the EU DMA built in
(:mod:`kompetens.maturity`, :mod:`kompetens.dma`); survey instruments and
their scoring (:class:`SurveyInstrument`, also ``kompetens.Instrument``),
survey statistics (:mod:`kompetens.stats`: Cronbach's α, interpolated
median, top-box, Wilcoxon, paired t) and Eurostat's Digital Skills
Indicator (:mod:`kompetens.dsi`); gap aggregation over an organisation
with small groups protected (:func:`aggregate_gaps`) and the change between
two waves (:func:`compare_waves`); the core's synthetic demo organisation
(:mod:`kompetens.demo`). Every rule runs in the Rust core (the native module
``kompetens._native``); this package is the idiomatic Python layer.

In Jupyter the result objects display as a compact HTML table with the
matching chart (``_repr_html_``; the charts are the core's SVG), and their
``chart()`` methods return the picture alone (``_repr_svg_``). Withheld
cells read "withheld (primary)" or "withheld (secondary)", never 0. See
``examples/notebooks/tour.ipynb``.

>>> import kompetens
>>> fw = kompetens.Framework.builtin("digcomp-2.2")
>>> report = kompetens.gap_report(fw, {"id": "librarian", "requirements": [
...     {"competence": "1.1", "level": 4, "weight": "critical"}]}, {"1.1": 2})
>>> report.plan, report.gaps[0].weighted_gap
(['1.1'], 6.0)
"""

from __future__ import annotations

from . import _native, charts, demo, dma, dsi, maturity, stats, survey, waves
from ._api import call
from .aggregate import GapAggregator, GapPublication, aggregate_gaps
from ._errors import KompetensError, ParseError, UnknownIdError, ValidationError
from .assessments import (
    CalibrationReport,
    CompetenceCalibration,
    calibration,
    read_assessments_csv,
    reconcile,
)
from .framework import Area, Competence, Framework, Level, LevelGroup
from .dma import DmaResult
from .gaps import Gap, GapReport, gap_report
from .maturity import MaturityModel, MaturityResult, MaturityType
from .profiles import ProfileSet, Requirement, RoleProfile
from .survey import Instrument, SurveyInstrument, SurveyScores
from .waves import WaveComparison, compare_waves

__version__: str = _native.__version__

#: Names of the operations accepted by :func:`call`.
OPERATIONS: tuple[str, ...] = tuple(_native.OPERATIONS)

__all__ = [
    "Area",
    "CalibrationReport",
    "Competence",
    "CompetenceCalibration",
    "DmaResult",
    "Framework",
    "Gap",
    "GapAggregator",
    "GapPublication",
    "GapReport",
    "Instrument",
    "KompetensError",
    "Level",
    "LevelGroup",
    "MaturityModel",
    "MaturityResult",
    "MaturityType",
    "OPERATIONS",
    "ParseError",
    "ProfileSet",
    "Requirement",
    "RoleProfile",
    "SurveyInstrument",
    "SurveyScores",
    "UnknownIdError",
    "ValidationError",
    "WaveComparison",
    "__version__",
    "aggregate_gaps",
    "calibration",
    "call",
    "compare_waves",
    "gap_report",
    "read_assessments_csv",
    "reconcile",
]
