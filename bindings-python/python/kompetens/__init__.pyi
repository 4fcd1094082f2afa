from typing import Any

from ._api import call as call
from .aggregate import GapAggregator as GapAggregator
from .aggregate import GapPublication as GapPublication
from .aggregate import aggregate_gaps as aggregate_gaps
from ._errors import KompetensError as KompetensError
from ._errors import ParseError as ParseError
from ._errors import UnknownIdError as UnknownIdError
from ._errors import ValidationError as ValidationError
from .dma import DmaResult as DmaResult
from .assessments import CalibrationReport as CalibrationReport
from .assessments import CompetenceCalibration as CompetenceCalibration
from .assessments import calibration as calibration
from .assessments import read_assessments_csv as read_assessments_csv
from .assessments import reconcile as reconcile
from .framework import Area as Area
from .framework import Competence as Competence
from .framework import Framework as Framework
from .framework import Level as Level
from .framework import LevelGroup as LevelGroup
from .gaps import Gap as Gap
from .gaps import GapReport as GapReport
from .gaps import gap_report as gap_report
from .maturity import MaturityModel as MaturityModel
from .maturity import MaturityResult as MaturityResult
from .maturity import MaturityType as MaturityType
from .profiles import ProfileSet as ProfileSet
from .profiles import Requirement as Requirement
from .profiles import RoleProfile as RoleProfile
from .survey import Instrument as Instrument
from .survey import SurveyInstrument as SurveyInstrument
from .survey import SurveyScores as SurveyScores
from .waves import WaveComparison as WaveComparison
from .waves import compare_waves as compare_waves

__version__: str
OPERATIONS: tuple[str, ...]
__all__: list[str]
