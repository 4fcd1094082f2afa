"""Competence-gap aggregation over an organisation, with small-group protection.

Definitions (one cell = a group of people × one competence), as in the
individual gap report: the people counted are those with a requirement on
the competence (required level > 0) *and* a rating; those with a
requirement and no rating are ``missing`` (never level 0); ``meeting`` =
rated people at or above the requirement; ``coverage = meeting / people``;
shortfall per person = ``max(0, required − level)``; ``mean_shortfall`` =
Σ shortfall / people; ``weighted_need`` = Σ weight · shortfall. ``own`` is a
unit's own people, ``rollup`` the unit and all its descendants.

Everything is computed by the Rust core from numpy arrays without JSON:
``levels`` and ``required`` are people × competences integer matrices
(``int8`` arrays in C or Fortran order are used without a copy — a pandas
DataFrame of ``int8`` columns hands over its block in Fortran order, also
without a copy; other integer dtypes, masked arrays, floats with NaN and
polars DataFrames are converted once), ``units`` one unit per person.
Arrays read in place are read while the GIL is released: do not write to
them (or to the DataFrame) from another thread during the call. The state is mergeable —
partial states over any split of the people merge into bit-identical
results — and travels as bytes, so the same code runs on Dask or Spark
(see ``docs/dask-spark.md``).

>>> import numpy as np, kompetens
>>> levels = np.array([[2], [4], [-1], [5], [3], [1]], dtype=np.int8)
>>> required = np.full((6, 1), 3, dtype=np.int8)
>>> units = np.array([1, 1, 1, 2, 2, 2])
>>> pub = kompetens.aggregate_gaps(levels, required, units, [-1, 0, 0], min_group=2)
>>> row = pub.to_pandas().query("unit == '0' and scope == 'rollup'").iloc[0]
>>> int(row.people), int(row.meeting), float(row.coverage)
(5, 3, 0.6)
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any, Callable, Iterator, Mapping, Sequence

import numpy as np

from . import _native, _tables
from ._api import call
from ._errors import _make

__all__ = ["GapAggregator", "GapPublication", "AuditReport", "aggregate_gaps", "audit"]

_I8_MIN, _I8_MAX = -128, 127

#: Columns of the long table, with their kinds for pandas/polars.
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("table", "str"),
    ("unit", "str"),
    ("scope", "str"),
    ("role", "str"),
    ("area", "str"),
    ("competence", "str"),
    ("people", "int"),
    ("rated", "int"),
    ("missing", "int"),
    ("meeting", "int"),
    ("coverage", "float"),
    ("mean_shortfall", "float"),
    ("mean_shortfall_below", "float"),
    ("weighted_need", "float"),
    ("median_level", "float"),
    ("mean_level", "float"),
    ("distribution", "list"),
    ("suppressed", "str"),
)


def _error(code: str, category: str, location: str, message: str) -> Exception:
    return _make(code, category, location, message)


# --- converting inputs ----------------------------------------------------------


def _is_pandas(x: Any) -> bool:
    return _tables._instance(x, "pandas", "DataFrame")


def _is_polars(x: Any) -> bool:
    return _tables._instance(x, "polars", "DataFrame")


def _frame_columns(x: Any) -> list[str] | None:
    if _is_pandas(x) or _is_polars(x):
        return [str(c) for c in x.columns]
    return None


def _to_array(x: Any, what: str) -> np.ndarray:
    """A DataFrame, masked array or array-like as a 2-D numpy array; masked
    and missing values become NaN (floats) before the integer conversion."""
    if _is_pandas(x):
        arr = x.to_numpy()
        if arr.dtype == object:
            arr = x.to_numpy(dtype="float64", na_value=np.nan)
        return arr
    if _is_polars(x):
        return x.to_numpy()
    return x


def _int8_matrix(x: Any, what: str, missing: int, n_cols: int | None) -> np.ndarray:
    """People × competences as ``int8`` in C or Fortran order (no copy when
    it is already one); masked / NaN entries become ``missing``."""
    if isinstance(x, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(x)
        data = np.asarray(x.data)
        if mask.any():
            if data.dtype.kind == "f":
                data = data.copy()
                data[mask] = missing
            else:
                data = np.where(mask, missing, data)
        arr = data
    else:
        arr = np.asarray(_to_array(x, what))
    if what == "required" and arr.ndim == 1 and n_cols is not None:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2:
        raise _error("shape_mismatch", "validation", what, f"{what} must be a 2-D matrix (people × competences), got {arr.ndim} dimensions")
    if arr.dtype == np.int8:
        # C order, or Fortran order (a DataFrame's block of int8 columns):
        # the core reads either without a copy
        return arr if arr.flags.c_contiguous or arr.flags.f_contiguous else np.ascontiguousarray(arr)
    kind = arr.dtype.kind
    if kind == "b":
        arr = arr.astype(np.int8)
        return arr
    if kind == "f":
        nan = np.isnan(arr)
        if nan.any():
            arr = np.where(nan, missing, arr)
        frac = arr != np.floor(arr)
        if frac.any():
            p, c = (int(i) for i in np.argwhere(frac)[0])
            raise _error("invalid_value", "validation", f"{what}[{p}][{c}]", f"{arr[p, c]} is not a whole level")
    elif kind not in "iu":
        raise _error("parse_error", "parse", what, f"{what} must hold integers, got dtype {arr.dtype}")
    if arr.size:
        lo, hi = arr.min(), arr.max()
        if lo < _I8_MIN or hi > _I8_MAX:
            bad = (arr < _I8_MIN) | (arr > _I8_MAX)
            p, c = (int(i) for i in np.argwhere(bad)[0])
            code = "level_out_of_scale"
            raise _error(code, "validation", f"{what}[{p}][{c}]", f"level {arr[p, c]} is outside the scale")
    return np.ascontiguousarray(arr, dtype=np.int8)


def _index_vector(
    x: Any, ids: Sequence[str] | Callable[[], Sequence[str]], what: str, kind: str, canonical: bool | None = None
) -> np.ndarray:
    """Per-person unit (or role) indices as ``uint32``: integers are
    indices when the ids are ``"0".."n-1"`` (``canonical``; computed from
    ``ids`` when not given), else everything is matched against the ids as
    text. ``ids`` may be a function giving them (called only when needed).
    Unsigned indices are range-checked by the core (same error, same
    location)."""
    if _tables._instance(x, "pandas", "Series") or _tables._instance(x, "polars", "Series"):
        x = x.to_numpy()
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise _error("shape_mismatch", "validation", what, f"{what} must be one value per person")
    if canonical is None:
        ids = ids() if callable(ids) else ids
        canonical = all(s == str(i) for i, s in enumerate(ids))
    if arr.dtype.kind == "u" and arr.dtype.itemsize <= 4 and canonical:
        return arr.astype(np.uint32, copy=False)
    if callable(ids):
        ids = ids()
    n = len(ids)
    if arr.dtype.kind in "iu" and canonical:
        if arr.size and (arr.min() < 0 or arr.max() >= n):
            p = int(np.argmax((arr < 0) | (arr >= n)))
            raise _error("unknown_reference", "reference", f"{what}[{p}]", f"unknown {kind} {arr[p]}")
        return arr.astype(np.uint32, copy=False)
    if arr.dtype.kind == "f" and canonical and arr.size and np.all(arr == np.floor(arr)):
        return _index_vector(arr.astype(np.int64), ids, what, kind, canonical)
    pd = _tables._pandas()
    if pd is not None and arr.dtype.kind in "iuUO" and arr.size > 1000:
        found = pd.Index(list(ids)).get_indexer(arr.astype(str))
        if (found >= 0).all():
            return found.astype(np.uint32)
    pos = {s: i for i, s in enumerate(ids)}
    out = np.empty(arr.shape[0], dtype=np.uint32)
    for p, v in enumerate(arr.tolist()):
        i = pos.get(_tables.ident(v) if not isinstance(v, str) else v)
        if i is None:
            i = pos.get(str(v))
        if i is None:
            raise _error("unknown_reference", "reference", f"{what}[{p}]", f"unknown {kind} {v!r}")
        out[p] = i
    return out


def _tree_kwargs(tree: Any) -> dict[str, Any]:
    """The native tree arguments: ``parents`` for a parent array, ``specs``
    (``[(id, parent)]``) for a mapping, a DataFrame or ``[{id, parent}]``."""
    if isinstance(tree, Mapping):
        # units in key order, as the core reads a JSON map: the rows, and
        # so the secondary suppression, are the same in every language
        recs = _tables.tree(dict(sorted(tree.items(), key=lambda kv: str(_tables.ident(kv[0])))))
    elif _tables.is_dataframe(tree):
        recs = _tables.tree(tree)
    else:
        if _tables._instance(tree, "pandas", "Series"):
            tree = tree.to_numpy()
        if isinstance(tree, np.ndarray) and tree.ndim == 1 and tree.dtype.kind in "iu":
            return {"parents": tree.astype(np.int64).tolist()}
        items = list(tree.tolist() if isinstance(tree, np.ndarray) else tree)
        # the element types, not the elements, are checked one by one
        types = set(map(type, items))
        if all(issubclass(t, (int, np.integer)) and not issubclass(t, bool) for t in types):
            return {"parents": items if types <= {int} else [int(v) for v in items]}
        if all(isinstance(v, float) for v in items):
            return {"parents": [-1 if math.isnan(v) else int(v) for v in items]}
        recs = _tables.tree(items)
    specs = []
    for i, r in enumerate(recs):
        if not isinstance(r, Mapping) or "id" not in r:
            raise _error("parse_error", "parse", f"tree[{i}]", "expected a unit {id, parent}")
        parent = r.get("parent")
        specs.append((str(r["id"]), None if parent is None else str(parent)))
    return {"specs": specs}


def _weights(weights: Any, competences: Sequence[str]) -> list[float] | None:
    if weights is None:
        return None
    if isinstance(weights, Mapping):
        per = [1.0] * len(competences)
        pos = {c: i for i, c in enumerate(competences)}
        for k, v in weights.items():
            if str(k) not in pos:
                raise _error("unknown_competence", "reference", f"weights.{k}", f"unknown competence {k!r}")
            per[pos[str(k)]] = float(v)
        return per
    return [float(v) for v in np.asarray(weights, dtype="float64").tolist()]


# --- results ----------------------------------------------------------------------


class AuditReport:
    """What an adversary can determine from published rows (see the core's
    ``aggregate::disclosure`` docs): ``clean`` means no withheld cell's
    statistics can be recovered."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def clean(self) -> bool:
        """No withheld cell can be determined from the published numbers."""
        return bool(self._data["clean"])

    @property
    def sizes_clean(self) -> bool:
        """No withheld cell's head count can be pinned either."""
        return bool(self._data["sizes_clean"])

    @property
    def consistent(self) -> bool:
        """The published values satisfy the additive relations."""
        return bool(self._data["consistent"])

    @property
    def withheld(self) -> int:
        """Number of withheld cells."""
        return int(self._data["withheld"])

    @property
    def findings(self) -> list[dict[str, Any]]:
        """Withheld cells whose statistics the relations determine."""
        return copy.deepcopy(list(self._data["findings"]))

    def to_dict(self) -> dict[str, Any]:
        """The report in the core's JSON shape."""
        return copy.deepcopy(dict(self._data))

    def __repr__(self) -> str:
        return f"AuditReport(clean={self.clean!r}, withheld={self.withheld!r})"


class _Deferred(Sequence[str]):
    """A list made by ``make`` when first read (the values of a text
    column that a call may never convert: the unit ids of a large tree)."""

    __slots__ = ("_make", "_list")

    def __init__(self, make: Callable[[], Sequence[str]]) -> None:
        self._make: Callable[[], Sequence[str]] | None = make
        self._list: Sequence[str] = ()

    def _values(self) -> Sequence[str]:
        if self._make is not None:
            self._list, self._make = self._make(), None
        return self._list

    def __len__(self) -> int:
        return len(self._values())

    def __getitem__(self, i: Any) -> Any:
        return self._values()[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())


class _Arrays(dict):  # type: ignore[type-arg]
    """A publication's columns: the numbers as the core made them, the key
    columns and ``suppressed`` as ``(codes, values)`` made from the native
    ones when first read (the unit column's values are the unit ids, from
    ``units``, also when first read)."""

    __slots__ = ("_keys", "_units")

    def __init__(self, numbers: Mapping[str, Any], keys: Any, units: Callable[[], Sequence[str]]) -> None:
        super().__init__(numbers)
        self._keys = keys
        self._units = units

    def __missing__(self, name: str) -> tuple[np.ndarray, Sequence[str]]:
        codes, values = self._keys.column(name)
        col = (codes, _Deferred(self._units) if values is None else values)
        self[name] = col
        return col


def _text(col: tuple[np.ndarray, Sequence[str]]) -> np.ndarray:
    """A text column (codes, values) as an object array (``None`` = null)."""
    codes, values = col
    lut = np.array(list(values) + [None], dtype=object)
    return lut[codes]


def _lists(arrays: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The native columns as plain Python lists (``None`` = null)."""
    withheld = arrays["withheld"].tolist()
    out: dict[str, list[Any]] = {}
    for name, kind in _COLUMNS:
        if kind == "str":
            out[name] = _text(arrays[name]).tolist()
        elif kind == "int":
            null = arrays["people_null"].tolist() if name == "people" else withheld
            out[name] = [None if w else v for v, w in zip(arrays[name].tolist(), null)]
        elif kind == "float":
            out[name] = [None if v != v else v for v in arrays[name].tolist()]
        else:
            out[name] = [None if w else d for d, w in zip(arrays[name].tolist(), withheld)]
    return out


class GapPublication:
    """The protected long table of an aggregation (one row per unit × scope
    × competence, plus role and area rows when the layout has them).
    Withheld rows keep their keys; their numbers are ``None`` and
    ``suppressed`` says why (``primary``, ``secondary`` or ``rolled_up``).

    The table is held as numpy arrays made by the core (no Python object
    per cell): :meth:`to_numpy` gives them; ``columns``, ``rows``,
    :meth:`to_pandas` and :meth:`to_polars` build their shapes on demand."""

    __slots__ = ("_arrays", "_cols", "_rest", "_rest_text", "_tree")

    def __init__(
        self,
        arrays: Mapping[str, Any],
        rest: Any,
        tree: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]],
    ) -> None:
        # Private: made by GapAggregator.finish() / aggregate_gaps().
        # `rest`: the parsed metadata, its JSON text, or the native object
        # that makes that text on demand; `tree`: the tree or a function
        # giving it (called once, when first needed).
        self._arrays = arrays
        self._cols: dict[str, list[Any]] | None = None
        if isinstance(rest, Mapping):
            self._rest_text: Any = None
            self._rest: Mapping[str, Any] | None = rest
        else:
            self._rest_text = rest
            self._rest = None
        self._tree = tree

    def _lists(self) -> dict[str, list[Any]]:
        if self._cols is None:
            self._cols = _lists(self._arrays)
        return self._cols

    def _meta(self) -> Mapping[str, Any]:
        if self._rest is None:
            text = self._rest_text
            if text is not None and not isinstance(text, str):
                text = text.json()
            self._rest = json.loads(text or "{}")
            self._rest_text = None
        return self._rest

    def _tree_list(self) -> list[dict[str, Any]]:
        if callable(self._tree):
            self._tree = self._tree()
        return self._tree

    @property
    def min_group(self) -> int:
        """Smallest group published."""
        return int(self._meta()["min_group"])

    @property
    def suppression(self) -> str:
        """Protection applied."""
        return str(self._meta()["suppression"])

    @property
    def columns(self) -> dict[str, list[Any]]:
        """The long table as ``{column: list}`` (plain Python values)."""
        return {k: list(v) for k, v in self._lists().items()}

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The long table as a list of dicts (the core's row shape)."""
        names = [n for n, _ in _COLUMNS]
        lists = self._lists()
        cols = [lists[n] for n in names]
        return [dict(zip(names, vals)) for vals in zip(*cols)]

    @property
    def top_needs(self) -> list[dict[str, Any]]:
        """Ranked needs per unit (rolled-up scope, published cells only)."""
        return copy.deepcopy(list(self._meta()["top_needs"]))

    @property
    def published_audit(self) -> AuditReport:
        """The audit the core ran when publishing."""
        return AuditReport(self._meta()["audit"])

    def audit(self) -> AuditReport:
        """Run the core's audit on the published rows (as an adversary
        would see them: only the non-withheld numbers)."""
        return audit(self.rows, self._tree_list(), min_group=self.min_group)

    def to_dict(self) -> dict[str, Any]:
        """``{min_group, suppression, rows, top_needs, audit}`` as the
        ``aggregate.gaps`` operation returns it."""
        return {
            "min_group": self.min_group,
            "suppression": self.suppression,
            "rows": self.rows,
            "top_needs": self.top_needs,
            "audit": copy.deepcopy(dict(self._meta()["audit"])),
        }

    def to_numpy(self) -> dict[str, np.ndarray]:
        """The long table as numpy arrays (copies): counts as ``uint64``
        with ``withheld`` (bool) marking the rows whose numbers are null and
        ``people_null`` those whose ``people`` is (withheld rows, and area
        rows under suppression: their head count is not published), statistics as ``float64``
        (``NaN`` = null), ``distribution`` as rows × levels ``uint64``, text
        columns as object arrays."""
        out: dict[str, np.ndarray] = {}
        for name, kind in _COLUMNS:
            out[name] = _text(self._arrays[name]) if kind == "str" else np.array(self._arrays[name])
        out["withheld"] = np.array(self._arrays["withheld"])
        out["people_null"] = np.array(self._arrays["people_null"])
        return out

    def to_pandas(self) -> Any:
        """The long table as a pandas DataFrame: counts as nullable
        ``Int64``, statistics as ``float64`` (``NaN`` when withheld),
        keys and ``suppressed`` as objects (``None`` when absent)."""
        import pandas as pd  # noqa: PLC0415

        a = self._arrays
        withheld = np.array(a["withheld"], dtype=bool)
        data: dict[str, Any] = {}
        for name, kind in _COLUMNS:
            if kind == "int":
                null = np.array(a["people_null"], dtype=bool) if name == "people" else withheld.copy()
                data[name] = pd.arrays.IntegerArray(a[name].astype(np.int64), null)
            elif kind == "float":
                data[name] = np.array(a[name], dtype="float64")
            elif kind == "str":
                data[name] = pd.Series(_text(a[name]), dtype="object")
            else:
                data[name] = pd.Series(self._lists()[name], dtype="object")
        return pd.DataFrame(data, columns=[n for n, _ in _COLUMNS])

    def to_polars(self) -> Any:
        """The long table as a polars DataFrame (withheld numbers null)."""
        import polars as pl  # noqa: PLC0415

        schema = {
            "str": pl.Utf8,
            "int": pl.UInt64,
            "float": pl.Float64,
            "list": pl.List(pl.UInt64),
        }
        lists = self._lists()
        return pl.DataFrame(
            {name: lists[name] for name, _ in _COLUMNS},
            schema={name: schema[kind] for name, kind in _COLUMNS},
        )

    def __len__(self) -> int:
        return len(self._arrays["withheld"])

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickles as its columns (numpy arrays; the text columns as codes
        # and values), metadata and tree: no native object, so a
        # publication made on a worker (Dask, multiprocessing) comes back
        # whole, and copy.deepcopy works.
        plain: dict[str, Any] = {}
        for name in [n for n, _ in _COLUMNS] + ["withheld", "people_null"]:
            col = self._arrays[name]
            if isinstance(col, tuple):
                codes, values = col
                plain[name] = (np.array(codes), list(values))
            else:
                plain[name] = np.array(col)
        return (GapPublication, (plain, copy.deepcopy(dict(self._meta())), self._tree_list()))

    def __eq__(self, other: object) -> bool:
        # Same table and metadata: every column equal (NaN equal to NaN,
        # nulls included), and the same min_group, suppression, top needs
        # and audit.
        if not isinstance(other, GapPublication):
            return NotImplemented
        if len(self) != len(other) or dict(self._meta()) != dict(other._meta()):
            return False
        a, b = self.to_numpy(), other.to_numpy()
        for name, kind in _COLUMNS:
            if kind == "float":
                if not np.array_equal(a[name], b[name], equal_nan=True):
                    return False
            elif not np.array_equal(a[name], b[name]):
                return False
        return bool(np.array_equal(a["withheld"], b["withheld"]) and np.array_equal(a["people_null"], b["people_null"]))

    __hash__ = None  # type: ignore[assignment]

    def chart(self) -> Any:
        """The heatmap (units × competences, coverage rolled up; withheld
        cells hatched) as SVG text Jupyter displays as a picture
        (:class:`kompetens.charts.Svg`); ``kompetens.charts.heatmap`` takes
        more options."""
        from . import _display  # noqa: PLC0415

        return _display.publication_chart(self)

    def _repr_html_(self) -> str:
        from . import _display  # noqa: PLC0415

        return _display.publication_html(self)

    def __repr__(self) -> str:
        codes, values = self._arrays["suppressed"]
        n_sup = int((np.asarray(codes) >= 0).sum())
        return f"GapPublication(rows={len(self)}, withheld={n_sup}, min_group={self.min_group}, suppression={self.suppression!r})"


def audit(rows: Any, tree: Any, *, min_group: int = 5) -> AuditReport:
    """Audit any set of published rows (dicts in the core's row shape, or
    a DataFrame of them) against the tree's additive relations."""
    if _tables.is_dataframe(rows):
        recs = rows.to_dicts() if _is_polars(rows) else rows.to_dict("records")
        rows = [{k: (None if _tables.is_missing(v) else v) for k, v in r.items()} for r in recs]
        for r in rows:
            for k in ("people", "rated", "missing", "meeting"):
                if r.get(k) is not None:
                    r[k] = int(r[k])
    if isinstance(tree, Mapping) or _tables.is_dataframe(tree):
        tree = _tables.tree(tree)
    elif isinstance(tree, (list, tuple, np.ndarray)) and all(
        isinstance(v, (int, np.integer)) for v in (tree.tolist() if isinstance(tree, np.ndarray) else tree)
    ):
        parents = [int(v) for v in tree]
        tree = [{"id": str(i), "parent": None if p < 0 else str(p)} for i, p in enumerate(parents)]
    return AuditReport(call("aggregate.audit", {"tree": tree, "rows": list(rows), "min_group": min_group}))


# --- the aggregator ------------------------------------------------------------


def _model_framework(framework: Any, profiles: Any) -> Any:
    """The framework object of ``framework`` / ``profiles``."""
    from .framework import Framework
    from .profiles import ProfileSet

    if isinstance(profiles, ProfileSet) and framework is None:
        return profiles.framework
    if isinstance(framework, Framework):
        return framework
    if isinstance(framework, str):
        return Framework.builtin(framework)
    if isinstance(framework, Mapping):
        return Framework.from_dict(framework)
    raise TypeError(f"framework must be a Framework or a built-in name, not {type(framework).__name__}")


def _model(framework: Any, profiles: Any) -> dict[str, Any] | None:
    """``{"framework", "profiles"?}`` for the native layout, or None."""
    from ._api import _framework_ref
    from .profiles import ProfileSet, _profile_list

    if framework is None and profiles is None:
        return None
    if profiles is None:
        return {"framework": _framework_ref(_model_framework(framework, None))}
    if isinstance(profiles, ProfileSet):
        fw = profiles.framework if framework is None else _model_framework(framework, None)
        return {"framework": _framework_ref(fw), "profiles": copy.deepcopy(profiles._profiles)}
    if framework is None:
        raise _error("missing_value", "validation", "framework", "a framework for the role profiles (or a ProfileSet)")
    return {"framework": _framework_ref(_model_framework(framework, None)), "profiles": _profile_list(profiles)}


def _members(members: Any, area: Any) -> list[Any]:
    if isinstance(members, (str, bytes)) or not isinstance(members, (list, tuple, np.ndarray)):
        raise TypeError(f"areas[{area!r}] must be a list of competence ids, not {type(members).__name__}")
    return list(members)


class GapAggregator:
    """A mergeable aggregation state over a fixed layout.

    ``tree`` is a parent array (parent index per unit, ``-1`` for roots;
    unit ids are then ``"0"``, ``"1"``, …), a ``{unit: parent}`` mapping,
    ``[{id, parent}]`` or a DataFrame with ``id`` and ``parent`` columns;
    ``competences`` the column ids (or their number); ``roles`` the role ids
    (when people carry roles); ``weights`` a weight per competence
    (``{competence: weight}`` or a sequence; default 1); the level scale is
    ``level_min..=level_max``.

    Areas and role profiles: ``framework`` (a :class:`kompetens.Framework`
    or a built-in name such as ``"digcomp-2.2"``) gives the competences (its
    competence ids, in order; ``competences`` may be left out), their areas
    and the level scale. ``profiles`` (a :class:`kompetens.ProfileSet`, or
    a list of profile dicts together with ``framework``) makes every
    profile of the set a role, in set order: each person's requirements
    then come from their role (``update(levels, None, units, roles)``), with
    the profiles' weights. Without a framework, ``areas`` groups the
    competences: ``{area: [competence, …]}`` (every competence in exactly
    one area, areas in the mapping's order). With areas the table gets a
    row per area (people counted = people rated on at least one of the
    area's requirements; needs summed over its competences), as in the
    JSON operations.

    States built with the same layout merge exactly (``merge``), travel as
    bytes (``to_bytes`` / ``from_bytes``) and pickle, so partial states can
    be made on Dask or Spark workers and merged on the driver.
    """

    __slots__ = ("_native", "_units_", "_competences", "_roles")

    def __init__(
        self,
        tree: Any,
        competences: Sequence[str] | int | None = None,
        *,
        roles: Sequence[str] | None = None,
        weights: Mapping[str, float] | Sequence[float] | None = None,
        level_min: int = 0,
        level_max: int = 8,
        framework: Any = None,
        profiles: Any = None,
        areas: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        model = _model(framework, profiles)
        if model is not None and (int(level_min), int(level_max)) != (0, 8):
            raise _error("invalid_value", "validation", "level_min", "with a framework the level scale comes from the framework")
        if competences is None:
            if model is None:
                raise _error("missing_value", "validation", "competences", "competences are required (or a framework)")
            # the framework's, in order (named here only to map weights)
            comps = [c.id for c in _model_framework(framework, profiles).competences] if weights is not None else []
        elif isinstance(competences, (int, np.integer)):
            comps = [str(i) for i in range(int(competences))]
        else:
            comps = [str(c) for c in competences]
        area_list = None
        if areas is not None:
            if not isinstance(areas, Mapping):
                raise TypeError(f"areas must be a mapping {{area: [competence, ...]}}, not {type(areas).__name__}")
            area_list = [(str(a), [str(c) for c in _members(m, a)]) for a, m in areas.items()]
        native = _native.NativeAggregator(
            comps,
            **_tree_kwargs(tree),
            roles=None if roles is None else [str(r) for r in roles],
            weights=_weights(weights, comps),
            level_min=int(level_min),
            level_max=int(level_max),
            model=model,
            areas=area_list,
        )
        self._attach(native)

    def _attach(self, native: Any) -> None:
        self._native = native
        # unit ids and the tree are fetched when first needed (a national
        # tree has many units; one call need not convert them)
        self._units_: list[str] | None = None
        self._competences = list(native.competence_ids())
        self._roles = list(native.role_ids())

    @property
    def _units(self) -> list[str]:
        if self._units_ is None:
            self._units_ = list(self._native.unit_ids())
        return self._units_

    def _tree(self) -> list[dict[str, Any]]:
        """The tree as ``[{id, parent}]`` (a new list each time)."""
        return [{"id": u, "parent": p} for u, p in zip(self._units, self._native.unit_parents())]

    @classmethod
    def _wrap(cls, native: Any) -> GapAggregator:
        self = cls.__new__(cls)
        self._attach(native)
        return self

    @property
    def units(self) -> list[str]:
        """Unit ids in tree order."""
        return list(self._units)

    @property
    def competences(self) -> list[str]:
        """Competence ids in column order."""
        return list(self._competences)

    @property
    def roles(self) -> list[str]:
        """Role ids (empty when roles are not used)."""
        return list(self._roles)

    @property
    def people(self) -> int:
        """Number of people added so far."""
        return int(self._native.people())

    def update(self, levels: Any, required: Any, units: Any, roles: Any = None) -> GapAggregator:
        """Add people: ``levels`` and ``required`` are people × competences
        (missing level = ``-1``, a masked value or NaN; required ``0`` = no
        requirement; ``required`` may also be one row for everyone), ``units``
        one unit per person (index or id), ``roles`` one role per person
        when the layout has roles. With role profiles ``required`` is
        ``None`` (the role's requirements apply) and ``roles`` is needed.
        Returns ``self``. On error nothing is added."""
        ro = None if roles is None else _index_vector(roles, self._roles, "roles", "role")
        return self._add(levels, required, units, ro)

    def _add(self, levels: Any, required: Any, units: Any, ro: Any) -> GapAggregator:
        n_c = len(self._competences)
        lv = _int8_matrix(self._reorder(levels, "levels"), "levels", -1, n_c)
        if required is None:
            rq = None
        else:
            rq = _int8_matrix(self._reorder(required, "required"), "required", 0, n_c)
            if rq.shape[0] == 1 and lv.shape[0] != 1 and rq.shape[1] == lv.shape[1]:
                rq = np.ascontiguousarray(np.broadcast_to(rq, lv.shape))
        un = _index_vector(units, lambda: self._units, "units", "unit", self._native.units_are_indices())
        self._native.update(lv, un, rq, ro)
        return self

    def _reorder(self, x: Any, what: str) -> Any:
        cols = _frame_columns(x)
        if cols is None or cols == self._competences:
            return x
        if sorted(cols) != sorted(self._competences):
            raise _error("shape_mismatch", "validation", what, f"{what} columns {cols} are not the competences {self._competences}")
        order = [cols.index(c) for c in self._competences]
        return x[[x.columns[i] for i in order]]

    def merge(self, other: GapAggregator) -> GapAggregator:
        """Add another state of the same layout (exact integer addition);
        returns ``self``."""
        if not isinstance(other, GapAggregator):
            raise TypeError("merge() expects a GapAggregator")
        src = other._native.copy() if other is self else other._native
        self._native.merge(src)
        return self

    def copy(self) -> GapAggregator:
        """An independent copy."""
        return GapAggregator._wrap(self._native.copy())

    def to_bytes(self) -> bytes:
        """The compact binary form (the layout included)."""
        return bytes(self._native.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> GapAggregator:
        """A state from :meth:`to_bytes`."""
        return cls._wrap(_native.NativeAggregator.from_bytes(bytes(data)))

    def to_json(self) -> dict[str, Any]:
        """The JSON form of the state (as the ``aggregate.state`` op)."""
        return self._native.to_json()

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> GapAggregator:
        """A state from its JSON form."""
        return cls._wrap(_native.NativeAggregator.from_json(value))

    def finish(
        self,
        min_group: int = 5,
        suppression: str = "secondary",
        *,
        top: int = 5,
        role_table: bool | None = None,
        role_unit_table: bool = False,
        areas: bool | None = None,
    ) -> GapPublication:
        """Roll up the tree and publish with small-group protection
        (``suppression``: ``none``, ``primary``, ``secondary`` or ``rollup``).
        ``role_table`` (default: on when the layout has roles) adds a row
        per role over the whole organisation, ``role_unit_table`` the role ×
        unit table, ``areas`` (default: on when the layout has areas) a row
        per area; protection covers all the tables published together."""
        return self._finish(min_group, suppression, top, role_table, role_unit_table, areas, False)

    def _finish(
        self,
        min_group: int,
        suppression: str,
        top: int,
        role_table: bool | None,
        role_unit_table: bool,
        areas: bool | None,
        taken: bool,
    ) -> GapPublication:
        # taken: the state's records go to the roll-up without a copy and
        # this aggregator is left empty (for aggregate_gaps' own aggregator)
        mg, tp = int(min_group), int(top)
        if mg < 1:
            raise _error("invalid_value", "validation", "min_group", f"min_group must be at least 1, got {mg}")
        if tp < 0:
            raise _error("invalid_value", "validation", "top", f"top must be at least 0, got {tp}")
        fin = self._native.finish_taken if taken else self._native.finish
        numbers, keys, rest = fin(mg, str(suppression), tp, role_table, bool(role_unit_table), None if areas is None else bool(areas))
        arrays = _Arrays(numbers, keys, lambda: self._units)
        # (the tree stays: the empty state left behind has the same layout)
        return GapPublication(arrays, rest, self._tree)

    def training_demand(
        self,
        min_group: int = 5,
        suppression: str = "secondary",
        *,
        role_table: bool | None = None,
        role_unit_table: bool = False,
        areas: bool | None = None,
    ) -> list[dict[str, Any]]:
        """The training-demand list for a learning coordinator: one line
        per competence and target level — ``group`` (rated people with that
        requirement), ``people`` (those below it), ``units`` (units with
        someone below), ``by_unit`` (``[{unit, group, people}]``),
        ``withheld_units`` and ``suppressed`` — protected together with the
        gap table :meth:`finish` publishes with the same ``min_group``,
        ``suppression``, ``role_table`` and ``areas`` (pass the ones you
        publish the table with): no withheld cell of its unit or role table
        can be recovered from the two. The role × unit table is not part of
        that joint protection: ``role_unit_table=True`` raises
        ``invalid_value`` when the layout has roles. Works on merged (Dask/Spark) states. Recommendations and
        unit plans from a catalogue need the people themselves:
        ``kompetens.call("aggregate.training_demand", {..., "catalogue": [...]})``."""
        mg = int(min_group)
        if mg < 1:
            raise _error("invalid_value", "validation", "min_group", f"min_group must be at least 1, got {mg}")
        return list(
            self._native.training_demand(
                mg,
                str(suppression),
                None if role_table is None else bool(role_table),
                bool(role_unit_table),
                None if areas is None else bool(areas),
            )
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (GapAggregator.from_bytes, (self.to_bytes(),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GapAggregator) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"GapAggregator(units={len(self._units)}, competences={len(self._competences)}, people={self.people})"


def aggregate_gaps(
    levels: Any,
    required: Any,
    units: Any,
    tree: Any,
    *,
    roles: Any = None,
    weights: Mapping[str, float] | Sequence[float] | None = None,
    competences: Sequence[str] | None = None,
    min_group: int = 5,
    suppression: str = "secondary",
    level_min: int = 0,
    level_max: int = 8,
    top: int = 5,
    framework: Any = None,
    profiles: Any = None,
    areas: Mapping[str, Sequence[str]] | None = None,
    role_table: bool | None = None,
    role_unit_table: bool = False,
) -> GapPublication:
    """Aggregate people's gaps over an organisation tree in one call.

    ``levels`` and ``required``: people × competences integer matrices
    (numpy arrays, masked arrays or DataFrames; missing level = ``-1``, a
    masked value or NaN; required ``0`` = no requirement). ``units``: one
    unit per person (index into a parent-array ``tree``, or unit id).
    ``tree``: parent array (``-1`` for roots) or ``{unit: parent}`` (units
    in key order, as the core reads a JSON map, so that every language
    gives the same rows).
    ``roles``: one role per person (ids; the layout's roles are the sorted
    distinct values). ``competences``: column ids (default: the DataFrame's
    columns, else ``"0"``, ``"1"``, …).
    ``framework`` / ``profiles`` / ``areas``: competences, areas and role
    requirements from a framework and role profiles (then ``required`` is
    ``None`` and ``roles`` are profile ids; DataFrame columns are matched
    to the framework's competences by name), or areas over plain
    competences; see :class:`GapAggregator`. ``role_table`` and
    ``role_unit_table`` as in :meth:`GapAggregator.finish`.
    """
    if framework is not None or profiles is not None:
        agg = GapAggregator(
            tree,
            competences,
            framework=framework,
            profiles=profiles,
            weights=weights,
            roles=None if profiles is not None or roles is None else _role_ids(roles)[0],
            level_min=level_min,
            level_max=level_max,
            areas=areas,
        )
        ro = roles
        if roles is not None and profiles is None:
            ro = _role_ids(roles)[1]
        agg.update(levels, required, units, ro)
        return agg._finish(min_group, suppression, top, role_table, role_unit_table, None, True)
    if competences is None:
        competences = _frame_columns(levels)
    if competences is None:
        shape = np.shape(levels)
        if len(shape) != 2:
            raise _error("shape_mismatch", "validation", "levels", "levels must be a 2-D matrix (people × competences)")
        competences = [str(i) for i in range(shape[1])]
    role_ids = None
    if roles is not None:
        role_ids, roles = _role_ids(roles)
    agg = GapAggregator(
        tree, competences, roles=role_ids, weights=weights, level_min=level_min, level_max=level_max, areas=areas
    )
    agg._add(levels, required, units, roles)
    return agg._finish(min_group, suppression, top, role_table, role_unit_table, None, True)


def _role_ids(roles: Any) -> tuple[list[str], np.ndarray]:
    """The sorted distinct role ids and each person's index into them."""
    if _tables._instance(roles, "pandas", "Series") or _tables._instance(roles, "polars", "Series"):
        roles = roles.to_numpy()
    values, inverse = np.unique(np.asarray(roles), return_inverse=True)
    return [str(v) for v in values.tolist()], inverse.astype(np.uint32)
