"""Exception classes, codes, categories and locations; hostile inputs (NaN,
infinities, huge integers, unsupported types, deep nesting) must raise,
never crash."""

from __future__ import annotations

import collections.abc
import decimal
import math
import pickle

import pytest

import kompetens
from kompetens import KompetensError, ParseError, UnknownIdError, ValidationError

FW = "digcomp-2.2"
PROFILE = {"id": "librarian", "requirements": [{"competence": "1.1", "level": 4, "weight": "critical"}]}


def test_hierarchy():
    for cls in (ParseError, UnknownIdError, ValidationError):
        assert issubclass(cls, KompetensError)
    assert issubclass(KompetensError, ValueError)
    assert (ParseError.category, UnknownIdError.category, ValidationError.category) == (
        "parse",
        "reference",
        "validation",
    )


def test_readme_error_example_is_raised():
    fw = kompetens.Framework.builtin(FW)
    with pytest.raises(UnknownIdError) as info:
        kompetens.gap_report(fw, PROFILE, {"9.9": 3})
    err = info.value
    assert (err.code, err.category, err.location) == ("unknown_competence", "reference", "ratings.9.9")
    assert "9.9" in err.message and str(err) == err.message


@pytest.mark.parametrize(
    ("call", "cls", "code", "location"),
    [
        (lambda: kompetens.Framework.builtin("digcomp-9"), UnknownIdError, "unknown_builtin", "digcomp-9"),
        (
            lambda: kompetens.gap_report(FW, PROFILE, {"1.1": 9}),
            ValidationError,
            "level_out_of_scale",
            "ratings.1.1",
        ),
        (
            lambda: kompetens.gap_report(
                FW, PROFILE, [{"competence": "1.1", "level": 2, "source": "self"}, {"competence": "1.1", "level": 3, "source": "manager"}]
            ),
            ValidationError,
            "ambiguous_ratings",
            "ratings[0]",
        ),
        (
            lambda: kompetens.gap_report(FW, PROFILE, {"1.1": 2}, policy="average"),
            ValidationError,
            "invalid_policy",
            "policy",
        ),
        (
            lambda: kompetens.gap_report(FW, {"id": "x", "requirements": [{"competence": "1.1", "level": 2, "weight": -1}]}, {}),
            ValidationError,
            "invalid_weight",
            None,  # checked in test_bad_weights_never_become_the_default
        ),
        (
            lambda: kompetens.gap_report(FW, {"id": "x", "requirements": [{"competence": "1.1", "level": 2, "wieght": 1}]}, {}),
            ParseError,
            "parse_error",
            "profile.requirements[0].wieght",
        ),
        (
            lambda: kompetens.ProfileSet.from_list([{"id": "a", "extends": "nobody"}], framework=FW),
            UnknownIdError,
            "unknown_profile",
            "profiles[0].extends",
        ),
        (
            lambda: kompetens.ProfileSet.from_list([{"id": "a"}], framework=FW).resolve("b"),
            UnknownIdError,
            "unknown_profile",
            "role",
        ),
        (lambda: kompetens.call("no.such.op", {}), UnknownIdError, "unknown_operation", "no.such.op"),
        (
            lambda: kompetens.call("gap_report", {"framework": FW, "profile": PROFILE, "ratings": {}, "extra": 1}),
            ParseError,
            "parse_error",
            "extra",
        ),
        (lambda: kompetens.Framework.from_json("{"), ParseError, "parse_error", None),
        (lambda: kompetens.RoleProfile.from_json('{"id": '), ParseError, "parse_error", "line 1, column 8"),
        (
            lambda: kompetens.read_assessments_csv(
                "person,competence,level,source\np1,1.1,3,self\np1,1.2,x,self\n", framework=FW
            ),
            ParseError,
            "csv_error",
            'line 3, column "level"',
        ),
    ],
)
def test_error_codes_and_locations(call, cls, code, location):
    with pytest.raises(cls) as info:
        call()
    assert info.value.code == code
    if location is not None:
        assert info.value.location == location


def test_inheritance_cycle_is_a_validation_error():
    with pytest.raises(ValidationError) as info:
        kompetens.ProfileSet.from_list(
            [{"id": "a", "extends": "b"}, {"id": "b", "extends": "a"}], framework=FW
        )
    assert info.value.code == "inheritance_cycle"
    assert info.value.location == "a -> b -> a"


def test_framework_validation_names_the_path():
    fw = kompetens.Framework.builtin(FW).to_dict()
    fw["areas"][2]["competences"][1]["id"] = fw["areas"][2]["competences"][0]["id"]
    with pytest.raises(ValidationError) as info:
        kompetens.Framework.from_dict(fw)
    assert info.value.code == "duplicate_id"
    assert info.value.location.endswith("areas[2].competences[1].id")


class _Interrupting(collections.abc.Mapping):
    def __getitem__(self, key):
        raise KeyboardInterrupt

    def __iter__(self):
        return iter(["1.1"])

    def __len__(self):
        return 1


class _Failing(collections.abc.Mapping):
    def __getitem__(self, key):
        raise RuntimeError("boom")

    def __iter__(self):
        return iter(["1.1"])

    def __len__(self):
        return 1


@pytest.mark.parametrize(
    ("ratings", "location"),
    [
        ({"1.1": math.nan}, "ratings.1.1"),
        ({"1.1": math.inf}, "ratings.1.1"),
        ({"1.1": -math.inf}, "ratings.1.1"),
        ({"1.1": 2**64}, "ratings.1.1"),
        ({"1.1": -(2**70)}, "ratings.1.1"),
        ({"1.1": object()}, "ratings.1.1"),
        ({"1.1": decimal.Decimal("3")}, "ratings.1.1"),
        ({"1.1": b"3"}, "ratings.1.1"),
        ([{"competence": "1.1", "level": float("nan"), "source": "self"}], "ratings[0].level"),
        ({"1.1": 2**200}, "ratings.1.1"),
    ],
)
def test_unreadable_python_values_raise_parse_error(ratings, location):
    with pytest.raises(ParseError) as info:
        kompetens.gap_report(FW, PROFILE, ratings)
    assert info.value.code == "parse_error"
    assert info.value.location == location


def test_errors_of_user_containers_are_chained():
    with pytest.raises(ParseError) as info:
        kompetens.gap_report(FW, PROFILE, _Failing())
    assert info.value.location == "ratings"
    assert isinstance(info.value.__cause__, RuntimeError)


@pytest.mark.parametrize(
    "ratings",
    [{"1.1": 2.5}, {"1.1": True}, {"1.1": "3"}, {1: 3}, "1.1=3", 3, [[1, 2]], {"1.1": None}],
)
def test_wrong_shapes_raise_kompetens_error(ratings):
    with pytest.raises(KompetensError) as info:
        kompetens.gap_report(FW, PROFILE, ratings)
    assert info.value.code in ("parse_error", "missing_value")


@pytest.mark.parametrize("weight", [math.nan, math.inf, -math.inf, 0, -2.0])
def test_bad_weights_never_become_the_default(weight):
    profile = {"id": "x", "requirements": [{"competence": "1.1", "level": 3, "weight": weight}]}
    with pytest.raises(KompetensError) as info:
        kompetens.gap_report(FW, profile, {"1.1": 1})
    # NaN/inf never reach the core (parse_error); 0 and negatives are invalid_weight
    assert info.value.code == ("parse_error" if not math.isfinite(weight) else "invalid_weight")
    # core today: "profile.profiles[0].requirements[0].weight" (a standalone
    # profile is validated as a one-element set); "profile.requirements[0].weight"
    # would be the exact path.
    assert info.value.location.startswith("profile")
    assert info.value.location.endswith("requirements[0].weight")


def test_interrupts_pass_through():
    with pytest.raises(KeyboardInterrupt):
        kompetens.gap_report(FW, PROFILE, _Interrupting())


def test_self_referencing_input_is_rejected_not_a_crash():
    loop: list = []
    loop.append(loop)
    with pytest.raises(ParseError) as info:
        kompetens.call("gap_report", {"framework": FW, "profile": PROFILE, "ratings": loop})
    assert "nested deeper" in info.value.message


def test_deep_but_finite_nesting_is_rejected():
    deep: object = 1
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(ParseError):
        kompetens.call("policy.parse", {"policy": deep})


@pytest.mark.parametrize(
    "call",
    [
        lambda: kompetens.call(3, {}),
        lambda: kompetens.call(None, {}),
        lambda: kompetens.Framework.builtin(22),
        lambda: kompetens.Framework.from_json(b"{}"),
        lambda: kompetens.Framework.from_toml(None),
        lambda: kompetens.Framework.from_dict("digcomp-2.2"),
        lambda: kompetens.RoleProfile.from_dict([PROFILE]),
        lambda: kompetens.ProfileSet.from_list("librarian", framework=FW),
        lambda: kompetens.ProfileSet.from_list([PROFILE], framework=22),
        lambda: kompetens.ProfileSet.from_list([PROFILE], framework=FW).resolve(1),
        lambda: kompetens.read_assessments_csv(12, framework=FW),
    ],
)
def test_wrong_argument_types_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_non_object_input_to_call():
    with pytest.raises(ParseError) as info:
        kompetens.call("gap_report", [1, 2])
    assert info.value.location == "$"


def test_errors_pickle_round_trip():
    with pytest.raises(UnknownIdError) as info:
        kompetens.gap_report(FW, PROFILE, {"9.9": 3})
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is UnknownIdError
    assert (again.code, again.category, again.location, again.message) == (
        info.value.code,
        info.value.category,
        info.value.location,
        info.value.message,
    )


def test_error_repr_names_code_and_location():
    err = kompetens.KompetensError("bad", code="invalid_value", location="x.y")
    assert "invalid_value" in repr(err) and "x.y" in repr(err)
    assert err.category == "validation"
