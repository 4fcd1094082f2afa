"""Exception classes of kompetens, defined once and raised by the native module.

Every error has a stable machine-readable ``code`` (snake_case, see
``core/src/error.rs``), a coarse ``category`` (``parse``, ``reference`` or
``validation``), the ``location`` of the bad input (a JSON path such as
``areas[2].competences[1].id`` or a CSV line and column), a human-readable
``message`` and, where one place is not enough, structured ``details`` (for
survey answers outside their scale: ``{"answers": [{"respondent",
"respondent_id", "item", "value", "min", "max"}, ...]}``, every one of them).
"""

from __future__ import annotations

from typing import Any

__all__ = ["KompetensError", "ParseError", "UnknownIdError", "ValidationError"]


class KompetensError(ValueError):
    """Base class of every error raised by kompetens (a ``ValueError``)."""

    #: Stable machine-readable code, e.g. ``"unknown_competence"``.
    code: str
    #: ``"parse"``, ``"reference"`` or ``"validation"``.
    category: str = "validation"
    #: Where the bad input is: a JSON path, or a CSV line and column.
    location: str
    #: Human-readable message (not stable).
    message: str
    #: Structured details, or ``None`` (e.g. every out-of-scale answer).
    details: dict[str, Any] | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid_value",
        location: str = "$",
        category: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.location = location
        if category is not None:
            self.category = category
        self.details = details

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, location={self.location!r}, "
            f"message={self.message!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (multiprocessing, Dask): rebuild through _make.
        return (_make, (self.code, self.category, self.location, self.message, self.details))


class ParseError(KompetensError):
    """Input could not be read: bad JSON/TOML/CSV, wrong shape, unknown keys."""

    category = "parse"


class UnknownIdError(KompetensError):
    """An id refers to nothing: competence, role profile, built-in, operation."""

    category = "reference"


class ValidationError(KompetensError):
    """Input was readable but is not allowed (scale, weight, cycle, policy …)."""

    category = "validation"


for _cls in (KompetensError, ParseError, UnknownIdError, ValidationError):
    _cls.__module__ = "kompetens"
del _cls

_BY_CATEGORY = {
    "parse": ParseError,
    "reference": UnknownIdError,
    "validation": ValidationError,
}


def _make(
    code: str, category: str, location: str, message: str, details: dict[str, Any] | None = None
) -> KompetensError:
    """Build the exception for an error of the core (called by ``_native``)."""
    cls = _BY_CATEGORY.get(category, KompetensError)
    return cls(message, code=code, location=location, category=category, details=details)
