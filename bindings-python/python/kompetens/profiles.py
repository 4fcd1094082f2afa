"""Role profiles (yrkesroll): the required level and weight per competence.

A profile may extend another (``all-staff`` → ``librarian``); profiles are
loaded as a :class:`ProfileSet` so that ``extends`` can be resolved, and
:meth:`ProfileSet.resolve` returns the effective profile. Named weights:
``critical`` = 3, ``important`` = 2, ``useful`` = 1 (the default), or any
positive number.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union

from . import _native
from ._api import _check_str, _framework_ref, _loads, _text, call
from .framework import Framework

__all__ = ["RoleProfile", "ProfileSet", "Requirement"]


@dataclass(frozen=True)
class Requirement:
    """One requirement of a role profile.

    In a resolved (effective) profile ``weight`` is a number and ``area`` and
    ``from_profile`` (the profile that set the requirement; JSON key ``from``)
    are filled in; in a profile as written, ``weight`` is what was written
    (a name, a number or ``None`` for the default).
    """

    competence: str
    level: int
    weight: Union[float, str, None] = None
    area: Union[str, None] = None
    from_profile: Union[str, None] = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the requirement."""
        d: dict[str, Any] = {"competence": self.competence}
        if self.area is not None:
            d["area"] = self.area
        d["level"] = self.level
        if self.weight is not None:
            d["weight"] = self.weight
        if self.from_profile is not None:
            d["from"] = self.from_profile
        return d


class RoleProfile:
    """A role profile: either as written (:meth:`from_dict`, :meth:`from_json`)
    or resolved against a framework (:meth:`ProfileSet.resolve`, or
    ``from_dict(d, framework=…)``), with inheritance applied and numeric
    weights. Both kinds can be passed to :func:`kompetens.gap_report`.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, framework: Any = None) -> RoleProfile:
        """A standalone profile from a dict.

        Without ``framework`` the dict is held as written and checked when it
        is used; with a framework (a :class:`Framework` or a built-in name) it
        is validated and resolved at once (it must not ``extend`` another).
        """
        if not isinstance(d, Mapping):
            raise TypeError(f"d must be a dict, not {type(d).__name__}")
        if framework is None:
            return cls(copy.deepcopy(dict(d)))
        role = d.get("id")
        return cls(
            call(
                "profiles.resolve",
                {
                    "framework": _framework_ref(framework),
                    "profiles": [d],
                    "role": role if isinstance(role, str) else "",
                },
            )
        )

    @classmethod
    def from_json(cls, text: str, *, framework: Any = None) -> RoleProfile:
        """A standalone profile from JSON text (see :meth:`from_dict`)."""
        d = _loads(text, "text")
        if not isinstance(d, Mapping):
            raise TypeError("the JSON text must hold one profile object")
        return cls.from_dict(d, framework=framework)

    @property
    def id(self) -> str:
        """Profile id, e.g. ``"librarian"``."""
        return self._data.get("id")  # type: ignore[return-value]

    def name(self, lang: str = "en") -> str:
        """Name in ``lang`` ("" when the profile has none)."""
        return _text(self._data.get("name"), lang)

    @property
    def resolved(self) -> bool:
        """True for an effective profile (inheritance resolved, validated)."""
        return "chain" in self._data

    @property
    def extends(self) -> str | None:
        """Id of the parent profile as written (``None`` once resolved)."""
        return self._data.get("extends")

    @property
    def framework(self) -> str | None:
        """Id of the framework the profile refers to, when known."""
        return self._data.get("framework")

    @property
    def chain(self) -> list[str]:
        """Profile ids from the root ancestor to this one ([] until resolved)."""
        return list(self._data.get("chain", []))

    @property
    def requirements(self) -> list[Requirement]:
        """The requirements (in framework order once resolved)."""
        return [
            Requirement(
                competence=r.get("competence"),
                level=r.get("level"),
                weight=r.get("weight"),
                area=r.get("area"),
                from_profile=r.get("from"),
            )
            for r in self._data.get("requirements", [])
            if isinstance(r, Mapping)
        ]

    def to_dict(self) -> dict[str, Any]:
        """The profile in its JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def to_json(self, indent: int | None = 2) -> str:
        """The profile as JSON text."""
        return json.dumps(self._data, ensure_ascii=False, indent=indent)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RoleProfile) and other._data == self._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        kind = "resolved" if self.resolved else "as written"
        return f"RoleProfile(id={self.id!r}, requirements={len(self.requirements)}, {kind})"


def _profile_list(value: Any) -> Any:
    """A list of profile dicts from the accepted file shapes, or ``value``
    unchanged when it has none of them (the core then reports the error)."""
    if isinstance(value, Mapping):
        if "profiles" in value:
            inner = value["profiles"]
            return list(inner) if isinstance(inner, (list, tuple)) and len(value) == 1 else value
        return [value]
    if isinstance(value, (list, tuple)):
        return [p._data if isinstance(p, RoleProfile) else p for p in value]
    return value


class ProfileSet:
    """A set of role profiles validated against a framework, so that
    ``extends`` can be resolved.

    Unknown competences, unknown parents, levels outside the scale, bad
    weights and inheritance cycles raise when the set is loaded.
    """

    __slots__ = ("_profiles", "_framework", "_cache")

    def __init__(self, profiles: Any, framework: Any) -> None:
        # Private: use from_list / from_json / from_toml.
        fw = framework if isinstance(framework, Framework) else None
        if fw is None:
            if isinstance(framework, str):
                fw = Framework.builtin(framework)
            elif isinstance(framework, Mapping):
                fw = Framework.from_dict(framework)
            else:
                raise TypeError(
                    "framework must be a Framework or a built-in name, "
                    f"not {type(framework).__name__}"
                )
        self._framework = fw
        self._cache: dict[str, RoleProfile] = {}
        profiles = _profile_list(profiles)
        if isinstance(profiles, list) and not profiles:
            self._profiles: list[Any] = []
            return
        first = None
        if isinstance(profiles, list) and isinstance(profiles[0], Mapping):
            first = profiles[0].get("id")
        role = first if isinstance(first, str) else ""
        # One call validates the whole set (ids, competences, levels,
        # weights, parents, cycles) and resolves the first profile.
        resolved = call(
            "profiles.resolve",
            {"framework": _framework_ref(fw), "profiles": profiles, "role": role},
        )
        self._profiles = copy.deepcopy(profiles)
        self._cache[role] = RoleProfile(resolved)

    @classmethod
    def from_list(
        cls, profiles: Sequence[Mapping[str, Any] | RoleProfile], *, framework: Any
    ) -> ProfileSet:
        """Load profiles from a list of dicts (or unresolved :class:`RoleProfile`)."""
        if not isinstance(profiles, (list, tuple)):
            raise TypeError(f"profiles must be a list, not {type(profiles).__name__}")
        return cls(list(profiles), framework)

    @classmethod
    def from_json(cls, text: str, *, framework: Any) -> ProfileSet:
        """Load profiles from JSON: a list, ``{"profiles": [...]}`` or one profile."""
        return cls(_loads(text, "text"), framework)

    @classmethod
    def from_toml(cls, text: str, *, framework: Any) -> ProfileSet:
        """Load profiles from TOML (``[[profiles]]`` tables)."""
        _check_str(text, "text")
        return cls(_native.parse_toml(text), framework)

    @property
    def framework(self) -> Framework:
        """The framework the set was validated against."""
        return self._framework

    @property
    def ids(self) -> list[str]:
        """Profile ids in input order."""
        return [p["id"] for p in self._profiles]

    def resolve(self, role: str) -> RoleProfile:
        """The effective profile of ``role``: inherited requirements
        overridden by the child, level-0 requirements removed."""
        _check_str(role, "role")
        hit = self._cache.get(role)
        if hit is None:
            hit = RoleProfile(
                call(
                    "profiles.resolve",
                    {
                        "framework": _framework_ref(self._framework),
                        "profiles": self._profiles,
                        "role": role,
                    },
                )
            )
            self._cache[role] = hit
        return hit

    def to_list(self) -> list[dict[str, Any]]:
        """The profiles as given (a deep copy)."""
        return copy.deepcopy(self._profiles)

    def __len__(self) -> int:
        return len(self._profiles)

    def __contains__(self, role: object) -> bool:
        return any(p["id"] == role for p in self._profiles)

    def __repr__(self) -> str:
        return f"ProfileSet(framework={self._framework.id!r}, ids={self.ids!r})"
