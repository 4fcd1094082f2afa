"""Internal helpers shared by the idiomatic modules: the raw ``call``, argument
conversion and multilingual text lookup."""

from __future__ import annotations

import json
from typing import Any, Mapping

from . import _native
from ._errors import _make

__all__ = ["call"]


def call(op: str, input: Any) -> Any:
    """Run one operation of the core's JSON façade and return plain data.

    ``op`` is one of ``kompetens.OPERATIONS`` (``"gap_report"``,
    ``"profiles.resolve"`` …); ``input`` is a dict in the snake_case JSON
    shape documented in ``core/src/api.rs``. Errors raise
    :class:`kompetens.KompetensError` or a subclass.
    """
    return _native.call(op, input)


def _text(texts: Any, lang: str) -> str:
    """The text in ``lang``, else English, else the first language (by tag),
    else "" — the same fallback as the core's ``Text::get``."""
    if not isinstance(texts, Mapping) or not texts:
        return ""
    if lang in texts:
        return texts[lang]
    if "en" in texts:
        return texts["en"]
    return texts[min(texts)]


def _framework_ref(framework: Any) -> Any:
    """What to send as ``framework``: a built-in name, or the framework object."""
    ref = getattr(framework, "_ref", None)
    if ref is not None:
        return ref
    return framework


def _loads(text: Any, what: str) -> Any:
    """Parse JSON text; errors become ``ParseError`` with line and column."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str of JSON text, not {type(text).__name__}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise _make(
            "parse_error",
            "parse",
            f"line {err.lineno}, column {err.colno}",
            f"cannot parse json at line {err.lineno}, column {err.colno}: {err.msg}",
        ) from None


def _check_str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value
