"""Internal helpers that convert between Python table shapes (pandas and
polars DataFrames, numpy arrays, sequences) and the core's JSON shapes.

Only shapes are converted here — no rule of the domain. Missing values
(``None``, ``NaN``, ``pd.NA``, ``NaT``) become ``None`` (JSON ``null``):
the native layer rejects NaN on purpose. Values the core must judge
(strings where numbers belong, booleans …) are passed through unchanged so
that the core's error names their location.
"""

from __future__ import annotations

import math
import numbers
import sys
from typing import Any, Iterable, Mapping, Sequence

from ._errors import _make

__all__ = [
    "is_dataframe",
    "is_missing",
    "cell",
    "number",
    "ident",
    "to_list",
    "response_table",
    "tree",
    "values_by_id",
    "frame",
]

_MISSING_TYPES = ("NAType", "NaTType")


def _pandas() -> Any:
    """The pandas module, or ``None`` when it is not importable."""
    try:
        import pandas  # noqa: PLC0415 (optional dependency, imported lazily)
    except ImportError:  # pragma: no cover - pandas is in the test venv
        return None
    return pandas


def _instance(obj: Any, module: str, cls: str) -> bool:
    """``isinstance(obj, module.cls)`` without importing ``module``: an
    instance exists only when the module is already imported."""
    mod = sys.modules.get(module)
    return mod is not None and isinstance(obj, getattr(mod, cls, ()))


def is_dataframe(obj: Any) -> bool:
    """True for a pandas or polars DataFrame (subclasses included)."""
    return _instance(obj, "pandas", "DataFrame") or _instance(obj, "polars", "DataFrame")


def _kind(obj: Any) -> str:
    """``"pandas"`` (DataFrame), ``"polars"`` (DataFrame), ``"numpy"``
    (ndarray) or ``""``."""
    if _instance(obj, "pandas", "DataFrame"):
        return "pandas"
    if _instance(obj, "polars", "DataFrame"):
        return "polars"
    if _instance(obj, "numpy", "ndarray"):
        return "numpy"
    return ""


def is_missing(v: Any) -> bool:
    """``None``, a float NaN, ``pd.NA`` or ``NaT``."""
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    if type(v).__name__ in _MISSING_TYPES:
        return True
    if isinstance(v, numbers.Real) and not isinstance(v, numbers.Integral):
        try:
            return math.isnan(v)
        except (TypeError, ValueError):
            return False
    return False


def cell(v: Any) -> Any:
    """One answer as JSON: missing → ``None``; real numbers (numpy included)
    → ``float``; booleans and anything else unchanged (the core rejects them
    with their location)."""
    if is_missing(v):
        return None
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return bool(v)
    if isinstance(v, numbers.Real):
        return float(v)
    return v


def number(v: Any) -> Any:
    """A number as JSON (integers stay integers); missing → ``None``."""
    if is_missing(v):
        return None
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return bool(v)
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v)
    return v


def ident(v: Any) -> Any:
    """An id as JSON: missing → ``None``; integers (numpy included) → their
    decimal ``str``; strings (``np.str_`` included) → ``str``; anything else
    unchanged (the core rejects it with its location)."""
    if is_missing(v):
        return None
    if isinstance(v, str):
        return str(v)
    if isinstance(v, numbers.Integral) and not isinstance(v, bool) and type(v).__name__ != "bool_":
        return str(int(v))
    return v


def _float_rows(array: Any) -> list[list[Any]]:
    """Rows of a 2-D float numpy array, NaN → ``None``."""
    return [[None if x != x else x for x in row] for row in array.tolist()]


def to_list(values: Any) -> list[Any]:
    """A sequence, pandas/polars Series or numpy array as a list."""
    if _instance(values, "polars", "Series"):
        return list(values.to_list())
    if (
        _instance(values, "numpy", "ndarray")
        or _instance(values, "pandas", "Series")
        or _instance(values, "pandas", "Index")
    ):
        return list(values.tolist())
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"expected a sequence, not {type(values).__name__}")
    return list(values)


def _shape_error(what: str, message: str) -> Exception:
    return _make("shape_mismatch", "validation", what, message)


def _pandas_rows(df: Any) -> list[list[Any]]:
    pd = _pandas()
    types = pd.api.types
    numeric = all(
        types.is_numeric_dtype(dt) and not types.is_bool_dtype(dt) for dt in df.dtypes
    )
    if numeric:
        import numpy as np  # noqa: PLC0415

        return _float_rows(df.to_numpy(dtype="float64", na_value=np.nan))
    return [[cell(v) for v in row] for row in df.itertuples(index=False, name=None)]


def response_table(responses: Any, items: Any, units: Any) -> tuple[dict[str, Any], Any]:
    """``responses`` (and ``items``/``units``) as the core's ``{items, rows,
    units?}``; returns the table and the ``units`` to send at the top level
    (only when the JSON form already carries units: the core then reports
    the conflict)."""
    top_units: Any = None
    if isinstance(responses, Mapping):
        if items is not None:
            raise TypeError("items= is for arrays; the JSON form names its items itself")
        table: dict[str, Any] = dict(responses)
        rows = table.get("rows")
        if isinstance(rows, list):
            table["rows"] = [
                [cell(v) for v in row] if isinstance(row, (list, tuple)) else row for row in rows
            ]
        if "units" in table and isinstance(table["units"], (list, tuple)):
            table["units"] = [ident(u) for u in table["units"]]
        if units is not None:
            if isinstance(units, str):
                raise TypeError("units as a column name needs a DataFrame")
            converted = [ident(u) for u in to_list(units)]
            if "units" in table:
                top_units = converted
            else:
                table["units"] = converted
        return table, top_units

    unit_list: Any = None
    kind = _kind(responses)
    if kind in ("pandas", "polars"):
        if items is not None:
            raise TypeError("items= is for arrays; a DataFrame's columns are the item ids")
        df = responses
        if isinstance(units, str):
            if units not in list(df.columns):
                raise KeyError(f"units: no column {units!r} in the DataFrame")
            col = df[units] if kind == "pandas" else df.get_column(units)
            unit_list = to_list(col)
            df = df.drop(columns=[units]) if kind == "pandas" else df.drop(units)
            units = None
        columns = [ident(c) for c in list(df.columns)]
        if kind == "pandas":
            rows = _pandas_rows(df)
        else:
            rows = [[cell(v) for v in row] for row in df.rows()]
    else:
        if isinstance(responses, (str, bytes)):
            raise TypeError("responses must be a DataFrame, a 2-D array or the JSON dict form")
        if items is None:
            raise TypeError("items= (the item id of each column) is required with an array")
        columns = [ident(c) for c in to_list(items)]
        if kind == "numpy":
            if responses.ndim != 2:
                raise _shape_error(
                    "responses", f"responses must be 2-D (respondents × items), not {responses.ndim}-D"
                )
            if responses.dtype.kind in "iuf":
                rows = _float_rows(responses.astype("float64"))
            else:
                rows = [[cell(v) for v in row] for row in responses.tolist()]
        else:
            try:
                raw = to_list(responses)
            except TypeError:
                raise TypeError(
                    "responses must be a DataFrame, a 2-D array or the JSON dict form, "
                    f"not {type(responses).__name__}"
                ) from None
            rows = []
            for r, row in enumerate(raw):
                if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
                    raise _shape_error(f"responses.rows[{r}]", "each row must be a sequence of answers")
                rows.append([cell(v) for v in to_list(row)])
    if units is not None:
        if isinstance(units, str):
            raise TypeError("units as a column name needs a DataFrame")
        unit_list = to_list(units)
    table = {"items": columns, "rows": rows}
    if unit_list is not None:
        table["units"] = [ident(u) for u in unit_list]
    return table, top_units


def _record(rec: Mapping[str, Any], *, drop_missing: bool) -> dict[str, Any]:
    """One unit of the tree: ids as ``str``, ``name_<lang>`` columns gathered
    into ``name``; missing values dropped (DataFrames) or ``None``."""
    out: dict[str, Any] = {}
    names: dict[str, Any] = {}
    for key, value in rec.items():
        if isinstance(key, str) and key.startswith("name_") and drop_missing:
            if not is_missing(value):
                names[key[5:]] = value
            continue
        if key in ("id", "parent"):
            value = ident(value)
        elif is_missing(value):
            value = None
        if value is None and drop_missing:
            continue
        out[key] = value
    if names:
        out["name"] = names
    return out


def tree(value: Any) -> list[Any]:
    """The organisation tree as the core's ``[{id, parent?, name?}]``, from
    a DataFrame (columns ``id``, ``parent``, ``name`` or ``name_<lang>``), a
    list of dicts or a ``{unit: parent}`` mapping."""
    if _kind(value) == "pandas" and "id" not in value.columns and value.index.name == "id":
        value = value.reset_index()
    if is_dataframe(value):
        records = value.to_dicts() if _instance(value, "polars", "DataFrame") else value.to_dict("records")
        return [_record(r, drop_missing=True) for r in records]
    if isinstance(value, Mapping):
        out = []
        for unit, parent in value.items():
            rec: dict[str, Any] = {"id": ident(unit)}
            if not is_missing(parent):
                rec["parent"] = ident(parent)
            out.append(rec)
        return out
    return [_record(r, drop_missing=False) if isinstance(r, Mapping) else r for r in to_list(value)]


def values_by_id(value: Any, *, what: str = "percentage") -> Any:
    """``{id: number}`` or a pandas/polars Series indexed by id as
    ``[{id, <what>}]``; a list of dicts is passed through (NaN → ``None``)."""
    if isinstance(value, Mapping):
        return [{"id": ident(k), what: number(v)} for k, v in value.items()]
    if _instance(value, "pandas", "Series"):
        return [{"id": ident(k), what: number(v)} for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [
            {k: (number(v) if k == what else v) for k, v in d.items()} if isinstance(d, Mapping) else d
            for d in value
        ]
    return value


# --- building frames ---------------------------------------------------------

#: Column kinds of :func:`frame`: ``float``, ``int``, ``Int`` (nullable
#: integer), ``bool`` (nullable boolean) or ``object``.
Columns = Sequence[tuple[str, str]]


def frame(records: list[dict[str, Any]], columns: Columns, index: str | None = "id") -> Any:
    """A pandas DataFrame (index ``index``) when pandas is importable, else
    the records as a list of dicts (with the index column as a key)."""
    pd = _pandas()
    if pd is None:
        return [{name: r.get(name) for name, _ in columns} for r in records]
    data: dict[str, Any] = {}
    for name, kind in columns:
        values = [r.get(name) for r in records]
        if kind == "float":
            data[name] = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
        elif kind == "int":
            data[name] = pd.Series(values, dtype="int64")
        elif kind == "Int":
            data[name] = pd.Series(values, dtype="Int64")
        elif kind == "bool":
            data[name] = pd.Series(values, dtype="boolean")
        else:
            data[name] = pd.Series(values, dtype="object")
    df = pd.DataFrame(data, columns=[name for name, _ in columns])
    if index is not None:
        df = df.set_index(index)
    return df
