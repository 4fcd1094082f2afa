"""The idiomatic API, checked against hand-worked examples (each worked out
in a comment) and the published DigComp structure (Vuorikari, Kluzer &
Punie, DigComp 2.2, JRC 2022: 5 areas, 21 competences, 8 proficiency levels
in 4 groups)."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

import kompetens
from kompetens import Framework, ProfileSet, RoleProfile


@pytest.fixture(scope="module")
def fw() -> Framework:
    return Framework.builtin("digcomp-2.2")


# --- frameworks -------------------------------------------------------------


def test_digcomp22_structure(fw):
    # DigComp 2.2 (JRC 2022): 5 areas with 3, 6, 4, 4, 4 competences.
    assert (fw.id, fw.version) == ("digcomp-2.2", "2.2")
    assert [a.id for a in fw.areas] == ["1", "2", "3", "4", "5"]
    assert [len(a.competences) for a in fw.areas] == [3, 6, 4, 4, 4]
    assert len(fw.competences) == 21
    assert fw.competences[0].id == "1.1" and fw.competences[-1].id == "5.4"
    c = {c.id: c for c in fw.competences}
    assert c["2.4"].area == "2"
    assert c["2.4"].name() == "Collaborating through digital technologies"
    assert c["4.2"].name("en") == "Protecting personal data and privacy"
    assert c["1.1"].name("sv") != c["1.1"].name("en")
    assert c["1.1"].description().startswith("To articulate information needs")
    # 8 proficiency levels, two per group (a level 0 "not yet at level 1" precedes them)
    assert [lv.level for lv in fw.levels] == list(range(0, 9))
    groups = [lv.group for lv in fw.levels]
    assert groups == [None] + ["foundation"] * 2 + ["intermediate"] * 2 + ["advanced"] * 2 + ["highly-specialised"] * 2
    assert [g.name() for g in fw.level_groups] == ["Foundation", "Intermediate", "Advanced", "Highly specialised"]


def test_digcomp30_has_same_ids(fw):
    fw3 = Framework.builtin("digcomp-3.0")
    assert [c.id for c in fw3.competences] == [c.id for c in fw.competences]
    assert fw3.version == "3.0"
    assert {lv.sublevel for lv in fw3.levels if lv.level > 0} == {"lower", "upper"}


def test_text_fallback(fw):
    c = fw.competences[0]
    assert c.name("xx") == c.name("en")  # unknown language falls back to English
    area = fw.areas[0]
    assert area.name("sv") and area.name() != area.name("sv")


def test_framework_round_trips(fw):
    d = fw.to_dict()
    again = Framework.from_dict(d)
    assert again == fw and again.to_dict() == d
    assert Framework.from_json(fw.to_json()) == fw
    d["id"] = "changed"
    assert fw.id == "digcomp-2.2"  # to_dict is a copy


SMALL_FW = {
    "id": "mini",
    "version": "1",
    "name": {"en": "Mini", "sv": "Mini"},
    "scale": {"levels": [{"level": 0, "name": {"en": "None"}}, {"level": 1, "name": {"en": "Basic"}},
                         {"level": 2, "name": {"en": "Good"}}]},
    "areas": [{"id": "A", "name": {"en": "Area A"},
               "competences": [{"id": "a1", "name": {"en": "One"}}, {"id": "a2", "name": {"en": "Two"}}]}],
}

SMALL_TOML = """
id = "mini"
version = "1"
name = { en = "Mini", sv = "Mini" }

[[scale.levels]]
level = 0
name = { en = "None" }

[[scale.levels]]
level = 1
name = { en = "Basic" }

[[scale.levels]]
level = 2
name = { en = "Good" }

[[areas]]
id = "A"
name = { en = "Area A" }
competences = [ { id = "a1", name = { en = "One" } }, { id = "a2", name = { en = "Two" } } ]
"""


def test_custom_framework_from_dict_json_toml():
    a = Framework.from_dict(SMALL_FW)
    b = Framework.from_json(json.dumps(SMALL_FW))
    c = Framework.from_toml(SMALL_TOML)
    assert a == b == c
    assert [x.id for x in a.competences] == ["a1", "a2"]
    assert [lv.name() for lv in a.levels] == ["None", "Basic", "Good"]
    assert a.levels[1].group is None
    # the custom framework works end to end: a1 needs 2, rated 1 → gap 1
    r = kompetens.gap_report(a, {"id": "r", "requirements": [{"competence": "a1", "level": 2}]}, {"a1": 1})
    assert (r.gaps[0].gap, r.readiness) == (1, 0.0)


def test_builtin_name_and_object_give_the_same_report(fw):
    p = {"id": "x", "requirements": [{"competence": "3.1", "level": 3}]}
    assert kompetens.gap_report(fw, p, {"3.1": 2}) == kompetens.gap_report("digcomp-2.2", p, {"3.1": 2})
    assert kompetens.gap_report(fw.to_dict(), p, {"3.1": 2}).to_dict() == kompetens.gap_report(fw, p, {"3.1": 2}).to_dict()


# --- profiles --------------------------------------------------------------

PROFILES = [
    {"id": "all-staff", "name": {"en": "All staff", "sv": "All personal"},
     "requirements": [{"competence": "4.2", "level": 3, "weight": "critical"},
                      {"competence": "2.1", "level": 2}]},
    {"id": "librarian", "extends": "all-staff", "name": {"en": "Librarian", "sv": "Bibliotekarie"},
     "requirements": [{"competence": "1.1", "level": 4, "weight": "critical"},
                      {"competence": "2.1", "level": 4, "weight": 2.5},
                      {"competence": "3.3", "level": 3, "weight": "important"}]},
    {"id": "children-librarian", "extends": "librarian",
     "requirements": [{"competence": "4.2", "level": 0}, {"competence": "3.1", "level": 5, "weight": "useful"}]},
]


def test_profile_inheritance_resolves(fw):
    s = ProfileSet.from_list(PROFILES, framework=fw)
    assert s.ids == ["all-staff", "librarian", "children-librarian"]
    assert len(s) == 3 and "librarian" in s and "nobody" not in s
    lib = s.resolve("librarian")
    assert lib.resolved and lib.id == "librarian" and lib.name("sv") == "Bibliotekarie"
    assert lib.chain == ["all-staff", "librarian"]
    # framework order 1.1, 2.1, 3.3, 4.2; 2.1 overridden by the child (level 4, weight 2.5);
    # critical = 3, important = 2, default useful = 1
    got = [(r.competence, r.level, r.weight, r.from_profile) for r in lib.requirements]
    assert got == [("1.1", 4, 3.0, "librarian"), ("2.1", 4, 2.5, "librarian"),
                   ("3.3", 3, 2.0, "librarian"), ("4.2", 3, 3.0, "all-staff")]
    assert [r.area for r in lib.requirements] == ["1", "2", "3", "4"]
    kid = s.resolve("children-librarian")
    # level 0 removes the inherited 4.2; 3.1 added with weight useful = 1
    assert [r.competence for r in kid.requirements] == ["1.1", "2.1", "3.1", "3.3"]
    assert kid.chain == ["all-staff", "librarian", "children-librarian"]
    assert s.resolve("librarian") is lib  # cached


def test_profile_set_shapes(fw):
    a = ProfileSet.from_json(json.dumps(PROFILES), framework="digcomp-2.2")
    b = ProfileSet.from_json(json.dumps({"profiles": PROFILES}), framework=fw)
    toml = """
[[profiles]]
id = "all-staff"
requirements = [ { competence = "4.2", level = 3, weight = "critical" }, { competence = "2.1", level = 2 } ]

[[profiles]]
id = "librarian"
extends = "all-staff"
name = { en = "Librarian", sv = "Bibliotekarie" }
requirements = [
  { competence = "1.1", level = 4, weight = "critical" },
  { competence = "2.1", level = 4, weight = 2.5 },
  { competence = "3.3", level = 3, weight = "important" },
]
"""
    c = ProfileSet.from_toml(toml, framework=fw)
    assert a.resolve("librarian").requirements == b.resolve("librarian").requirements == c.resolve("librarian").requirements
    one = ProfileSet.from_json(json.dumps(PROFILES[0]), framework=fw)
    assert one.ids == ["all-staff"]
    assert ProfileSet.from_list([], framework=fw).ids == []
    assert a.to_list() == PROFILES
    assert a.framework.id == "digcomp-2.2"


def test_standalone_role_profile(fw):
    raw = RoleProfile.from_dict(PROFILES[0])
    assert not raw.resolved and raw.id == "all-staff" and raw.chain == []
    assert raw.requirements[0].weight == "critical" and raw.requirements[1].weight is None
    assert raw.to_dict() == PROFILES[0]
    eff = RoleProfile.from_dict(PROFILES[0], framework=fw)
    assert eff.resolved and eff.framework == "digcomp-2.2"
    assert [(r.competence, r.weight) for r in eff.requirements] == [("2.1", 1.0), ("4.2", 3.0)]
    assert RoleProfile.from_json(json.dumps(PROFILES[0])) == raw
    # raw and resolved give the same report
    ratings = {"2.1": 2, "4.2": 1}
    assert kompetens.gap_report(fw, raw, ratings) == kompetens.gap_report(fw, eff, ratings)
    with pytest.raises(kompetens.UnknownIdError):  # a standalone profile cannot extend
        kompetens.gap_report(fw, PROFILES[1], ratings)
    assert kompetens.Requirement("1.1", 3, 2.0).to_dict() == {"competence": "1.1", "level": 3, "weight": 2.0}


# --- gap reports -----------------------------------------------------------


def test_gap_report_hand_worked(fw):
    profile = {"id": "r", "requirements": [
        {"competence": "1.1", "level": 4, "weight": "critical"},   # w 3
        {"competence": "2.1", "level": 3, "weight": "important"},  # w 2
        {"competence": "3.3", "level": 3, "weight": 2.5},
        {"competence": "5.2", "level": 2},                         # w 1 (default)
    ]}
    r = kompetens.gap_report(fw, profile, {"1.1": 5, "2.1": 1, "5.2": 2, "5.4": 8})
    # 1.1: 5 ≥ 4 met, gap 0; 2.1: gap 3−1 = 2, weighted 2×2 = 4; 3.3 missing; 5.2 met.
    # readiness = met weight / rated weight = (3 + 1) / (3 + 2 + 1) = 2/3.
    # 5.4 is rated but not required: ignored.
    assert r.role == "r" and r.framework == "digcomp-2.2"
    assert r.readiness == pytest.approx(2 / 3, abs=1e-15)
    assert r.missing == ["3.3"] and r.plan == ["2.1"]
    assert (r.requirements, r.rated, r.met, r.total_weighted_gap) == (4, 3, 2, 4.0)
    g = {x.competence: x for x in r.gaps}
    assert [x.competence for x in r.gaps] == ["1.1", "2.1", "3.3", "5.2"]
    assert g["2.1"] == kompetens.Gap("2.1", "2", 3, 1, None, 2, 2.0, 4.0, False)
    assert (g["3.3"].current, g["3.3"].gap, g["3.3"].weighted_gap, g["3.3"].met) == (None, None, None, None)
    assert g["1.1"].gap == 0 and g["1.1"].met is True
    d = r.to_dict()
    assert d["gaps"][2]["current"] is None and "source" not in d["gaps"][2]
    assert set(d) >= {"role", "readiness", "gaps", "missing", "plan"}
    assert json.loads(json.dumps(d)) == d


def test_plan_order_hand_worked(fw):
    profile = {"id": "r", "requirements": [
        {"competence": "1.1", "level": 4, "weight": "critical"},   # rated 2: gap 2, weighted 6, w 3
        {"competence": "1.2", "level": 3},                         # rated 0: gap 3, weighted 3, w 1
        {"competence": "2.1", "level": 4, "weight": "important"},  # rated 1: gap 3, weighted 6, w 2
        {"competence": "4.1", "level": 5, "weight": 3},            # rated 3: gap 2, weighted 6, w 3
    ]}
    r = kompetens.gap_report(fw, profile, {"1.1": 2, "1.2": 0, "2.1": 1, "4.1": 3})
    # weighted gap desc: 6,6,6 then 3; ties by weight desc (3,3 then 2); then framework order.
    assert r.plan == ["1.1", "4.1", "2.1", "1.2"]
    assert r.readiness == 0.0
    assert r.total_weighted_gap == 21.0


def test_nothing_rated_gives_no_readiness(fw):
    r = kompetens.gap_report(fw, {"id": "r", "requirements": [{"competence": "1.1", "level": 2}]}, {})
    assert r.readiness is None and r.missing == ["1.1"] and r.plan == []


RATINGS = [
    {"competence": "1.1", "level": 2, "source": "self"},
    {"competence": "1.1", "level": 3, "source": "manager"},
    {"competence": "1.1", "level": 4, "source": "test"},
    {"competence": "2.1", "level": 5, "source": "self"},
]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("prefer:manager,test,self", [("1.1", 3, "manager"), ("2.1", 5, "self")]),
        ("prefer:test,manager", [("1.1", 4, "test")]),  # self not listed: 2.1 dropped
        ("max", [("1.1", 4, "test"), ("2.1", 5, "self")]),
        ("min", [("1.1", 2, "self"), ("2.1", 5, "self")]),
        ("only:manager", [("1.1", 3, "manager")]),
        ({"kind": "only", "source": "self"}, [("1.1", 2, "self"), ("2.1", 5, "self")]),
        ({"kind": "prefer", "order": ["activity", "self"]}, [("1.1", 2, "self"), ("2.1", 5, "self")]),
    ],
)
def test_reconcile_policies(fw, policy, expected):
    got = kompetens.reconcile(fw, RATINGS, policy=policy)
    assert [(x["competence"], x["level"], x["source"]) for x in got] == expected


def test_reconcile_never_averages(fw):
    with pytest.raises(kompetens.ValidationError) as info:
        kompetens.reconcile(fw, RATINGS)
    assert info.value.code == "ambiguous_ratings"
    assert kompetens.reconcile(fw, {"2.2": 3, "1.1": 1}) == [
        {"competence": "1.1", "level": 1, "source": None},
        {"competence": "2.2", "level": 3, "source": None},
    ]


def test_policy_in_gap_report(fw):
    p = {"id": "r", "requirements": [{"competence": "1.1", "level": 4, "weight": "critical"}]}
    assert kompetens.gap_report(fw, p, RATINGS, policy="max").plan == []
    r = kompetens.gap_report(fw, p, RATINGS, policy="prefer:manager,test,self")
    assert (r.gaps[0].current, r.gaps[0].source, r.gaps[0].weighted_gap) == (3, "manager", 3.0)


# --- calibration and CSV ------------------------------------------------------


ASSESSMENTS = [
    {"person": "p1", "ratings": [{"competence": "1.1", "level": 4, "source": "self"},
                                 {"competence": "1.1", "level": 3, "source": "manager"},
                                 {"competence": "2.1", "level": 3, "source": "self"}]},
    {"person": "p2", "ratings": [{"competence": "1.1", "level": 2, "source": "self"},
                                 {"competence": "1.1", "level": 2, "source": "manager"},
                                 {"competence": "2.1", "level": 3, "source": "test"}]},
    {"person": "p3", "ratings": [{"competence": "1.1", "level": 3, "source": "self"},
                                 {"competence": "1.1", "level": 5, "source": "manager"}]},
]


def test_calibration_hand_worked(fw):
    rep = kompetens.calibration(fw, ASSESSMENTS)
    assert rep.framework == "digcomp-2.2" and len(rep.competences) == 21
    c = {x.competence: x for x in rep.competences}
    # 1.1: self − manager = +1, 0, −2 → mean −1/3; one above, one equal, one below.
    assert c["1.1"].pairs == 3
    assert c["1.1"].mean_difference == pytest.approx(-1 / 3, abs=1e-15)
    assert (c["1.1"].share_self_above, c["1.1"].share_equal, c["1.1"].share_self_below) == pytest.approx((1 / 3,) * 3)
    # 2.1: no manager ratings → no pairs, shares undefined (never 0)
    assert (c["2.1"].pairs, c["2.1"].mean_difference, c["2.1"].share_self_above) == (0, None, None)
    assert rep.to_dict()["competences"][0]["competence"] == "1.1"


LONG = """person,role,unit,competence,level,source,wave
p1,librarian,lib-north,1.1,3,self,2026-spring
p1,librarian,lib-north,1.1,2,manager,2026-spring
p1,librarian,lib-north,2.1,,self,2026-spring
p2,it,admin,5.4,7,test,2026-spring
"""

WIDE = """person,role,unit,1.1,2.4,5.4
p1,librarian,lib-north,3,,
p2,it,admin,5,6,8
"""


def test_csv_long_and_wide(fw, tmp_path: Path):
    people = kompetens.read_assessments_csv(LONG, framework=fw)
    # p1's empty 2.1 level means "not rated"; rows gathered per person and wave
    assert [p["person"] for p in people] == ["p1", "p2"]
    assert people[0]["role"] == "librarian" and people[0]["wave"] == "2026-spring"
    assert [(r["competence"], r["level"], r["source"]) for r in people[0]["ratings"]] == [
        ("1.1", 3, "self"), ("1.1", 2, "manager")]
    wide = kompetens.read_assessments_csv(WIDE, form="wide", source="manager", framework="digcomp-2.2")
    assert [len(p["ratings"]) for p in wide] == [1, 3]
    assert {r["source"] for p in wide for r in p["ratings"]} == {"manager"}
    path = tmp_path / "a.csv"
    path.write_text("\ufeff" + LONG, encoding="utf-8")  # with a BOM, as Excel writes it
    assert kompetens.read_assessments_csv(path, framework=fw) == people
    assert kompetens.read_assessments_csv(str(path), framework=fw) == people
    assert kompetens.read_assessments_csv(io.StringIO(LONG), framework=fw) == people
    with open(path, "rb") as f:
        assert kompetens.read_assessments_csv(f, framework=fw) == people
    # the imported assessments feed calibration and gap reports directly
    cal = kompetens.calibration(fw, people)
    assert {x.competence: x.mean_difference for x in cal.competences}["1.1"] == 1.0
    r = kompetens.gap_report(fw, {"id": "librarian", "requirements": [{"competence": "1.1", "level": 3}]},
                             people[0]["ratings"], policy="prefer:manager,self")
    assert r.plan == ["1.1"]


def test_csv_missing_file_is_file_not_found(fw, tmp_path):
    with pytest.raises(FileNotFoundError):
        kompetens.read_assessments_csv(str(tmp_path / "nope.csv"), framework=fw)


def test_call_raw_access():
    assert set(kompetens.OPERATIONS) >= {"gap_report", "profiles.resolve", "framework.builtin"}
    assert kompetens.call("policy.parse", {"policy": "prefer:manager,self"}) == {
        "kind": "prefer", "order": ["manager", "self"]}
    out = kompetens.call("gap_report", {"framework": "digcomp-2.2",
                                        "profile": {"id": "x", "requirements": [{"competence": "1.1", "level": 4, "weight": "critical"}]},
                                        "ratings": {"1.1": 2}})
    assert out["gaps"][0]["weighted_gap"] == 6.0 and isinstance(out["gaps"][0]["gap"], int)


def test_fractional_levels_are_rejected_not_truncated(fw):
    p = {"id": "x", "requirements": [{"competence": "1.1", "level": 2}]}
    with pytest.raises(kompetens.ParseError):
        kompetens.gap_report(fw, p, {"1.1": 2.7})
    assert kompetens.gap_report(fw, p, {"1.1": 2}).readiness == 1.0
