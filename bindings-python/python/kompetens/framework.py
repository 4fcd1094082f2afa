"""Competence frameworks: areas, competences and the proficiency scale.

DigComp 2.2 (``"digcomp-2.2"``, levels 0–8 in four groups) and DigComp 3.0
(``"digcomp-3.0"``, four levels each with a lower and upper sub-level) are
built in; custom frameworks load from JSON, TOML or a dict and are validated
by the core (errors name the path of the bad field).
"""

from __future__ import annotations

import copy
import json
from typing import Any, Mapping

from ._api import _check_str, _text, call

__all__ = ["Framework", "Area", "Competence", "Level", "LevelGroup"]


class _Node:
    """A read-only view of one part of a framework."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of this item (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._data == self._data  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, json.dumps(self._data, sort_keys=True)))


class Competence(_Node):
    """A competence with a stable id such as ``"2.4"``."""

    __slots__ = ("_area",)

    def __init__(self, data: Mapping[str, Any], area: str) -> None:
        super().__init__(data)
        self._area = area

    @property
    def id(self) -> str:
        """Stable id, e.g. ``"2.4"``."""
        return self._data["id"]

    @property
    def area(self) -> str:
        """Id of the competence's area, e.g. ``"2"``."""
        return self._area

    def name(self, lang: str = "en") -> str:
        """Name in ``lang`` (falls back to English, then any language)."""
        return _text(self._data.get("name"), lang)

    def description(self, lang: str = "en") -> str:
        """Description in ``lang`` ("" when the framework has none)."""
        return _text(self._data.get("description"), lang)

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and other._area == self._area  # type: ignore[attr-defined]

    __hash__ = _Node.__hash__

    def __repr__(self) -> str:
        return f"Competence(id={self.id!r}, area={self.area!r}, name={self.name()!r})"


class Area(_Node):
    """A competence area and its competences."""

    __slots__ = ("_competences",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self._competences = tuple(Competence(c, data["id"]) for c in data["competences"])

    @property
    def id(self) -> str:
        """Area id, e.g. ``"1"``."""
        return self._data["id"]

    @property
    def competences(self) -> list[Competence]:
        """The area's competences, in order."""
        return list(self._competences)

    def name(self, lang: str = "en") -> str:
        """Name in ``lang`` (falls back to English, then any language)."""
        return _text(self._data.get("name"), lang)

    def description(self, lang: str = "en") -> str:
        """Description in ``lang``."""
        return _text(self._data.get("description"), lang)

    def __repr__(self) -> str:
        return f"Area(id={self.id!r}, name={self.name()!r}, competences={len(self._competences)})"


class LevelGroup(_Node):
    """A named group of levels (DigComp 2.2: Foundation … Highly specialised)."""

    __slots__ = ()

    @property
    def id(self) -> str:
        """Group id, e.g. ``"foundation"``."""
        return self._data["id"]

    def name(self, lang: str = "en") -> str:
        """Name in ``lang``."""
        return _text(self._data.get("name"), lang)

    def description(self, lang: str = "en") -> str:
        """Description in ``lang``."""
        return _text(self._data.get("description"), lang)

    def __repr__(self) -> str:
        return f"LevelGroup(id={self.id!r}, name={self.name()!r})"


class Level(_Node):
    """One proficiency level and its descriptors."""

    __slots__ = ()

    @property
    def level(self) -> int:
        """The level number."""
        return self._data["level"]

    @property
    def group(self) -> str | None:
        """Id of the level's group, if any."""
        return self._data.get("group")

    @property
    def sublevel(self) -> str | None:
        """Sub-level within the group (``"lower"``/``"upper"`` in DigComp 3.0)."""
        return self._data.get("sublevel")

    def name(self, lang: str = "en") -> str:
        """Label in ``lang``."""
        return _text(self._data.get("name"), lang)

    def descriptor(self, lang: str = "en") -> str:
        """Free descriptor in ``lang``."""
        return _text(self._data.get("descriptor"), lang)

    def complexity(self, lang: str = "en") -> str:
        """Complexity of tasks at this level."""
        return _text(self._data.get("complexity"), lang)

    def autonomy(self, lang: str = "en") -> str:
        """Autonomy at this level."""
        return _text(self._data.get("autonomy"), lang)

    def cognitive_domain(self, lang: str = "en") -> str:
        """Cognitive domain at this level."""
        return _text(self._data.get("cognitive_domain"), lang)

    def __repr__(self) -> str:
        return f"Level(level={self.level!r}, name={self.name()!r}, group={self.group!r})"


class Framework:
    """A validated competence framework (immutable).

    Create one with :meth:`builtin`, :meth:`from_json`, :meth:`from_toml` or
    :meth:`from_dict`.
    """

    __slots__ = ("_data", "_ref", "_areas", "_levels", "_groups")

    def __init__(self, data: Mapping[str, Any], *, _builtin: str | None = None) -> None:
        # Private: `data` must come from the core (validated).
        self._data = data
        self._ref: Any = _builtin if _builtin is not None else data
        self._areas = tuple(Area(a) for a in data["areas"])
        self._levels = tuple(Level(lv) for lv in data["scale"]["levels"])
        self._groups = tuple(LevelGroup(g) for g in data["scale"].get("groups", ()))

    @classmethod
    def builtin(cls, name: str) -> Framework:
        """A built-in framework: ``"digcomp-2.2"`` or ``"digcomp-3.0"``."""
        _check_str(name, "name")
        return cls(call("framework.builtin", {"name": name}), _builtin=name)

    @classmethod
    def from_json(cls, text: str) -> Framework:
        """Load and validate a framework from JSON text."""
        _check_str(text, "text")
        return cls(call("framework.load", {"text": text, "format": "json"}))

    @classmethod
    def from_toml(cls, text: str) -> Framework:
        """Load and validate a framework from TOML text."""
        _check_str(text, "text")
        return cls(call("framework.load", {"text": text, "format": "toml"}))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Framework:
        """Load and validate a framework from a dict in the JSON shape."""
        if not isinstance(d, Mapping):
            raise TypeError(f"d must be a dict, not {type(d).__name__}")
        return cls(call("framework.load", {"framework": d}))

    @property
    def id(self) -> str:
        """Stable id, e.g. ``"digcomp-2.2"``."""
        return self._data["id"]

    @property
    def version(self) -> str:
        """Version string, e.g. ``"2.2"``."""
        return self._data["version"]

    def name(self, lang: str = "en") -> str:
        """Name in ``lang`` (falls back to English, then any language)."""
        return _text(self._data.get("name"), lang)

    def description(self, lang: str = "en") -> str:
        """Description in ``lang``."""
        return _text(self._data.get("description"), lang)

    @property
    def areas(self) -> list[Area]:
        """Competence areas, in order."""
        return list(self._areas)

    @property
    def competences(self) -> list[Competence]:
        """All competences in framework order (area by area)."""
        return [c for a in self._areas for c in a._competences]

    @property
    def levels(self) -> list[Level]:
        """The proficiency levels, lowest first."""
        return list(self._levels)

    @property
    def level_groups(self) -> list[LevelGroup]:
        """Groups of levels (may be empty)."""
        return list(self._groups)

    def to_dict(self) -> dict[str, Any]:
        """The framework in its JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def to_json(self, indent: int | None = 2) -> str:
        """The framework as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self._data, ensure_ascii=False, indent=indent)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Framework) and other._data == self._data

    def __hash__(self) -> int:
        return hash((self.id, self.version))

    def __repr__(self) -> str:
        n = sum(len(a._competences) for a in self._areas)
        return f"Framework(id={self.id!r}, version={self.version!r}, competences={n})"
