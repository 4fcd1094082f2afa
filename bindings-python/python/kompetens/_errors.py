"""Exception classes of kompetens, defined once and raised by the native module.

Every error has a stable machine-readable ``code`` (snake_case, see
``core/src/error.rs``), a coarse ``category`` (``parse``, ``reference`` or
``validation``), the ``location`` of the bad input (a JSON path such as
``areas[2].competences[1].id`` or a CSV line and column) and a human-readable
``message``.
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

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid_value",
        location: str = "$",
        category: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.location = location
        if category is not None:
            self.category = category

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, location={self.location!r}, "
            f"message={self.message!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (multiprocessing, Dask): rebuild through _make.
        return (_make, (self.code, self.category, self.location, self.message))


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


def _make(code: str, category: str, location: str, message: str) -> KompetensError:
    """Build the exception for an error of the core (called by ``_native``)."""
    cls = _BY_CATEGORY.get(category, KompetensError)
    return cls(message, code=code, location=location, category=category)
