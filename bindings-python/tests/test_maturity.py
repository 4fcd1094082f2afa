"""The maturity API (kompetens.MaturityModel, kompetens.maturity,
kompetens.dma): DataFrame / array / polars input, NaN handling, unit
withholding, change, benchmark, DiMiOS published figures and the EU DMA.

Every expected number is worked out by hand in a comment, taken from a
published figure (DiMiOS municipal results quoted in the issue), or computed
independently with pandas (covariances for Cronbach's α) — never copied from
our own output."""

from __future__ import annotations

import doctest
import json
import math

import numpy as np
import pandas as pd
import pytest

import kompetens
from kompetens import MaturityModel, MaturityResult, MaturityType
from kompetens import maturity as mat
from kompetens import dma

# A small model: scale 1–5, linear rescale 100·(x − 1)/4, so
# 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100 %; one scale step = 25 points.
# i5 is reverse keyed: x' = 1 + 5 − x.
MINI = {
    "id": "mini",
    "version": "1",
    "name": {"en": "Mini", "sv": "Mini"},
    "scale": {"min": 1, "max": 5},
    "dimensions": [
        {"id": "D1", "name": {"en": "D1"}, "categories": [
            {"id": "C1", "name": {"en": "Cat one", "sv": "Kat ett"}, "capabilities": [
                {"id": "K1", "name": {"en": "K1"}, "items": [{"id": "i1"}, {"id": "i2"}]},
                {"id": "K2", "name": {"en": "K2"}, "items": [{"id": "i3"}]},
            ]},
            {"id": "C2", "name": {"en": "C2"}, "capabilities": [
                {"id": "K3", "name": {"en": "K3"}, "items": [{"id": "i4"}]},
            ]},
        ]},
        {"id": "D2", "name": {"en": "D2"}, "categories": [
            {"id": "C3", "name": {"en": "C3"}, "capabilities": [
                {"id": "K4", "name": {"en": "K4"}, "items": [{"id": "i5", "reverse": True}, {"id": "i6"}]},
            ]},
        ]},
    ],
}

ITEMS = ["i1", "i2", "i3", "i4", "i5", "i6"]
NAN = float("nan")
# Three respondents; NaN = missing.
ROWS = [
    [5, 4, 3, 2, 1, NAN],
    [3, NAN, 5, 4, 2, 3],
    [1, 2, NAN, NAN, 5, 4],
]


@pytest.fixture(scope="module")
def mini() -> MaturityModel:
    return MaturityModel.from_dict(MINI)


@pytest.fixture(scope="module")
def dimios() -> MaturityModel:
    return MaturityModel.builtin("dimios")


def _json_rows(rows):
    return [[None if isinstance(v, float) and math.isnan(v) else v for v in r] for r in rows]


# --- models --------------------------------------------------------------------


def test_builtin_models_and_structure(dimios):
    # DiMiOS (REFERENCE §4): two dimensions, Digital förmåga with Effektivitet,
    # Innovation, Balansering and Digitalt arv with Organisation, Användare,
    # Teknik; shadow IT and technical debt reverse scored.
    assert [d.id for d in dimios.dimensions] == ["formaga", "arv"]
    assert [c.id for c in dimios.categories] == [
        "effektivitet", "innovation", "balansering", "organisation", "anvandare", "teknik",
    ]
    assert dimios.dimensions[0].name("sv") == "Digital förmåga"
    reverse = {k.id for k in dimios.capabilities if k.reverse_scored}
    assert reverse == {"shadow_it", "technical_debt"}
    assert dimios.categories[5].capabilities[1].category == "teknik"
    assert dimios.categories[5].capabilities[1].dimension == "arv"
    assert not dimios.has_questionnaire
    edih = MaturityModel.builtin("edih-dma-pso")
    # EU DMA (REFERENCE §5): six dimensions.
    assert len(edih.dimensions) == 6 and edih.has_questionnaire
    assert repr(dimios).startswith("MaturityModel(id='dimios'")
    assert MaturityModel.from_dict(dimios.to_dict()) == dimios
    assert MaturityModel.from_json(dimios.to_json()) == dimios


def test_from_toml(mini):
    toml = """
id = "t"
version = "1"
name = { en = "T" }
scale = { min = 1, max = 5 }
[[dimensions]]
id = "D"
name = { en = "D" }
[[dimensions.categories]]
id = "C"
name = { en = "C" }
[[dimensions.categories.capabilities]]
id = "K"
name = { en = "K" }
items = [{ id = "q" }]
"""
    m = MaturityModel.from_toml(toml)
    assert m.item_ids == ["q"]
    # one respondent answers 4 on 1–5: 100·3/4 = 75 %
    assert m.score(pd.DataFrame({"q": [4]})).overall == 75.0


def test_example_instrument_is_labelled(dimios):
    inst = dimios.example_instrument()
    assert inst["example"] is True
    # one statement per capability (26 capabilities)
    assert len(inst["items"]) == len(dimios.capabilities) == 26
    assert {i["capability"] for i in inst["items"]} == {k.id for k in dimios.capabilities}
    assert dimios.item_ids == [i["id"] for i in inst["items"]]


# --- scoring a DataFrame, worked by hand -------------------------------------------


def test_dataframe_scoring_worked_by_hand(mini):
    df = pd.DataFrame(ROWS, columns=ITEMS, index=["r1", "r2", "r3"])
    res = mini.score(df)
    # Item percentages (mean over the respondents who answered):
    #   i1: 5, 3, 1        → 100, 50, 0   → 50
    #   i2: 4, –, 2        → 75, 25       → 50
    #   i3: 3, 5, –        → 50, 100      → 75
    #   i4: 2, 4, –        → 25, 75       → 50
    #   i5 (reverse 6 − x): 1, 2, 5 → 5, 4, 1 → 100, 75, 0 → 58.333…
    #   i6: –, 3, 4        → 50, 75       → 62.5
    items = res.items
    assert items["percentage"].tolist() == pytest.approx([50, 50, 75, 50, 175 / 3, 62.5])
    assert items["n_respondents"].tolist() == [3, 2, 2, 2, 3, 2]
    assert items.loc["i5", "reverse"]
    # Capabilities: K1 = (50 + 50)/2 = 50; K2 = 75; K3 = 50;
    # K4 = (58.333 + 62.5)/2 = 60.41666…
    caps = res.capabilities
    assert caps["percentage"].tolist() == pytest.approx([50, 75, 50, (175 / 3 + 62.5) / 2])
    assert caps.loc["K1", "n_items"] == 2 and caps.loc["K2", "n_respondents"] == 2
    # Categories: C1 = (50 + 75)/2 = 62.5; C2 = 50; C3 = 60.41666…
    cats = res.categories
    assert list(cats.index) == ["C1", "C2", "C3"]
    assert cats["percentage"].tolist() == pytest.approx([62.5, 50, (175 / 3 + 62.5) / 2])
    assert cats.loc["C1", "name"] == "Cat one" and res.table("category", lang="sv").loc["C1", "name"] == "Kat ett"
    assert cats.loc["C1", "dimension"] == "D1"
    # Dimensions: D1 = (62.5 + 50)/2 = 56.25; D2 = 60.41666…
    dims = res.dimensions
    assert dims["percentage"].tolist() == pytest.approx([56.25, (175 / 3 + 62.5) / 2])
    # Overall = (56.25 + 60.41666…)/2 = 58.3333…
    assert res.overall == pytest.approx((56.25 + (175 / 3 + 62.5) / 2) / 2)
    assert res.overall == pytest.approx(175 / 3)
    assert res.n_respondents == 3 and res.n_items == 6
    # Agreement on K1: each respondent's own K1 percentage is the mean of their
    # answered K1 items: r1 (100 + 75)/2 = 87.5, r2 50, r3 (0 + 25)/2 = 12.5.
    # Mean 50, sd (n − 1) = sqrt((37.5² + 0 + 37.5²)/2) = 37.5; median 50;
    # within one step (25) of the median: r2 only → 1/3 < 0.5 → low.
    assert caps.loc["K1", "sd"] == pytest.approx(37.5)
    assert caps.loc["K1", "median"] == pytest.approx(50)
    assert caps.loc["K1", "agreement_step"] == pytest.approx(25)
    assert caps.loc["K1", "share_within_step"] == pytest.approx(1 / 3)
    assert bool(caps.loc["K1", "low_agreement"]) is True
    # Weakest categories: C2 50 < C3 60.42 < C1 62.5; strongest the reverse.
    assert [r.id for r in res.weakest()] == ["C2", "C3", "C1"]
    assert [r.rank for r in res.weakest()] == [1, 2, 3]
    assert [r.id for r in res.strongest(2)] == ["C1", "C3"]
    assert res.strongest(1)[0].name("sv") == "Kat ett"
    # Capabilities: K1 = K3 = 50 tie → model order (K1 first) in both lists.
    assert [r.id for r in res.weakest(4, level="capability")] == ["K1", "K3", "K4", "K2"]
    assert [r.id for r in res.strongest(4, level="capability")] == ["K2", "K4", "K1", "K3"]
    assert res.weakest(0) == []
    assert res.type is None and res.band is None  # no classification, no bands


def test_alpha_against_pandas_pairwise_covariance(mini):
    res = mini.score(pd.DataFrame(ROWS, columns=ITEMS))
    # Independently: raw α = k/(k − 1) · (1 − Σ var_i / Σ cov) with pandas'
    # pairwise-complete covariance matrix of the item percentages.
    p = pd.DataFrame(ROWS, columns=ITEMS)
    p = (p - 1) / 4 * 100
    p["i5"] = 100 - p["i5"]  # reverse keyed
    cov = p[["i5", "i6"]].cov()
    k = 2
    alpha = k / (k - 1) * (1 - np.trace(cov.values) / cov.values.sum())
    assert res.categories.loc["C3", "alpha"] == pytest.approx(alpha)
    # C1: i2 and i3 are both answered only by r1 → their covariance is
    # undefined (pandas: NaN) → α is missing.
    assert math.isnan(p[["i1", "i2", "i3"]].cov().loc["i2", "i3"])
    assert math.isnan(res.categories.loc["C1", "alpha"])


# --- every input form gives the same result ----------------------------------------


def _forms():
    json_form = {"items": ITEMS, "rows": _json_rows(ROWS)}
    nullable = pd.DataFrame(_json_rows(ROWS), columns=ITEMS).astype("Int64")  # pd.NA
    objects = pd.DataFrame(_json_rows(ROWS), columns=ITEMS, dtype=object)  # None cells
    return {
        "json": (json_form, {}),
        "json-with-nan": ({"items": ITEMS, "rows": ROWS}, {}),
        "pandas-float": (pd.DataFrame(ROWS, columns=ITEMS), {}),
        "pandas-nullable-int": (nullable, {}),
        "pandas-object": (objects, {}),
        "numpy": (np.array(ROWS), {"items": ITEMS}),
        "numpy-object": (np.array(_json_rows(ROWS), dtype=object), {"items": ITEMS}),
        "list-of-rows": (ROWS, {"items": tuple(ITEMS)}),
        "list-with-numpy-scalars": ([[np.int64(v) if v == v else np.nan for v in r] for r in ROWS], {"items": ITEMS}),
    }


@pytest.mark.parametrize("form", list(_forms()))
def test_input_forms_agree(mini, form):
    responses, kw = _forms()[form]
    expected = kompetens.call("maturity.score", {"model": MINI, "responses": {"items": ITEMS, "rows": _json_rows(ROWS)}})
    assert mini.score(responses, **kw).to_dict() == expected


def test_polars_dataframe(mini):
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({c: [r[j] if r[j] == r[j] else None for r in ROWS] for j, c in enumerate(ITEMS)})
    expected = mini.score(pd.DataFrame(ROWS, columns=ITEMS)).to_dict()
    assert mini.score(df).to_dict() == expected
    # NaN (not null) in a polars float column is missing too
    df_nan = pl.DataFrame({c: [float(r[j]) for r in ROWS] for j, c in enumerate(ITEMS)})
    assert mini.score(df_nan).to_dict() == expected
    # units as a column of the polars DataFrame, tree as a polars DataFrame
    with_units = df.with_columns(pl.Series("unit", ["a", "a", "b"]))
    tree = pl.DataFrame({"id": ["org", "a", "b"], "parent": ["org", "org", "org"]}).with_columns(
        pl.when(pl.col("id") == "org").then(None).otherwise(pl.col("parent")).alias("parent")
    )
    res = mini.score(with_units, units="unit", tree=tree, settings={"min_respondents": 1})
    assert [u.id for u in res.units] == ["org", "a", "b"]
    assert res.units[0].rolled_up.n_respondents == 3


# --- NaN and missing values --------------------------------------------------------


def test_nan_becomes_missing_not_zero(mini):
    # One respondent answers only i1 = 5 (100 %); everything else NaN.
    df = pd.DataFrame([[5] + [NAN] * 5], columns=ITEMS)
    res = mini.score(df)
    # K1 = i1 = 100; parts without any answer are left out and the weights
    # of the others renormalised: C1 = 100, D1 = 100, overall = 100.
    assert res.overall == 100.0
    assert res.dimensions.loc["D1", "percentage"] == 100.0
    assert math.isnan(res.dimensions.loc["D2", "percentage"])
    assert res.dimensions.loc["D2", "n_respondents"] == 0
    assert math.isnan(res.categories.loc["C2", "percentage"])
    assert pd.isna(res.categories.loc["C2", "weakness_rank"])
    assert res.to_dict()["dimensions"][1]["percentage"] is None
    assert [r.id for r in res.weakest()] == ["C1"]  # only rated parts are ranked


def test_infinity_and_text_are_rejected_with_location(mini):
    df = pd.DataFrame([[5, 4, 3, 2, 1, 1], [5, 4, 3, 2, math.inf, 1]], columns=ITEMS)
    with pytest.raises(kompetens.ParseError) as e:
        mini.score(df)
    assert e.value.location == "responses.rows[1][4]"
    df = pd.DataFrame([[5, "x", 3, 2, 1, 1]], columns=ITEMS)
    with pytest.raises(kompetens.KompetensError) as e:
        mini.score(df)
    assert e.value.location == "responses.rows[0][1]"
    with pytest.raises(kompetens.KompetensError) as e:
        mini.score(pd.DataFrame({"i1": [True]}))
    assert e.value.location == "responses.rows[0][0]"


def test_out_of_range_setting(mini):
    df = pd.DataFrame({"i1": [5, 9]})
    with pytest.raises(kompetens.ValidationError) as e:
        mini.score(df)
    assert (e.value.code, e.value.location) == ("value_out_of_scale", "responses.rows[1][0]")
    # out_of_range = missing: 9 is dropped, i1 = 100
    assert mini.score(df, settings={"out_of_range": "missing"}).overall == 100.0


# --- units and the organisation tree ------------------------------------------------

# 11 respondents answer only i1: unit a 5 × 5 (100 %), b 2 × 1 (0 %),
# b1 4 × 3 (50 %); tree org → a, org → b → b1.
UNIT_DF = pd.DataFrame(
    {
        "i1": [5, 5, 5, 5, 5, 1, 1, 3, 3, 3, 3],
        "unit": ["a"] * 5 + ["b"] * 2 + ["b1"] * 4,
    }
)
TREE = {"org": None, "a": "org", "b": "org", "b1": "b"}


def test_unit_withholding_default_five(mini):
    res = mini.score(UNIT_DF, units="unit", tree=TREE)
    units = {u.id: u for u in res.units}
    assert list(units) == ["org", "a", "b", "b1"]
    # own results: org 0, a 5, b 2, b1 4 respondents; fewer than 5 → withheld
    assert [units[u].own.n_respondents for u in units] == [0, 5, 2, 4]
    assert [units[u].own.withheld for u in units] == [True, False, True, True]
    assert units["b"].own.reason == "fewer_than_min_respondents"
    assert units["b"].own.result is None and units["b"].own.overall is None
    # rolled up: org 11 → (5·100 + 2·0 + 4·50)/11 = 700/11; a 5 → 100;
    # b 6 → (2·0 + 4·50)/6 = 33.33…; b1 4 → withheld
    assert units["org"].rolled_up.overall == pytest.approx(700 / 11)
    assert units["a"].rolled_up.overall == pytest.approx(100)
    assert units["b"].rolled_up.overall == pytest.approx(200 / 6)
    assert units["b1"].withheld and units["b1"].rolled_up.n_respondents == 4
    assert units["b1"].parent == "b" and units["b1"].depth == 2
    assert isinstance(units["a"].rolled_up.result, MaturityResult)
    # the whole measurement is unaffected by the units: 700/11
    assert res.overall == pytest.approx(700 / 11)
    table = res.unit_table()
    assert table.loc["b", "D1"] == pytest.approx(200 / 6)
    assert bool(table.loc["b1", "withheld"]) and math.isnan(table.loc["b1", "overall"])
    own = res.unit_table(rolled_up=False, level="category")
    assert own.loc["a", "C1"] == pytest.approx(100) and math.isnan(own.loc["b", "C1"])


def test_unit_min_respondents_setting_and_tree_forms(mini):
    # min_respondents 4: b1 (4) is shown, own 50 %; b own (2) still withheld
    tree_df = pd.DataFrame({"id": ["org", "a", "b", "b1"], "parent": [None, "org", "org", "b"],
                            "name_sv": ["Förvaltningen", "Avd A", None, "Enhet B1"]})
    res = mini.score(UNIT_DF.drop(columns="unit"), units=UNIT_DF["unit"], tree=tree_df,
                     settings={"min_respondents": 4})
    units = {u.id: u for u in res.units}
    assert units["b1"].own.overall == pytest.approx(50)
    assert units["b"].own.withheld
    assert units["org"].name("sv") == "Förvaltningen" and units["b"].name() == ""
    # the same with a list of dicts
    as_list = [{"id": "org"}, {"id": "a", "parent": "org"}, {"id": "b", "parent": "org"},
               {"id": "b1", "parent": "b"}]
    res2 = mini.score(UNIT_DF, units="unit", tree=as_list, settings={"min_respondents": 4})
    assert res2.units[3].own.overall == pytest.approx(50)


def test_integer_unit_ids_become_strings(mini):
    df = pd.DataFrame({"i1": [5, 5, 1], "unit": [10, 10, 20]})
    res = mini.score(df, units="unit", tree={10: None, 20: 10}, settings={"min_respondents": 1})
    units = {u.id: u for u in res.units}
    # unit 10: own (100 + 100)/2 = 100; rolled up with 20: (100 + 100 + 0)/3
    assert units["10"].own.overall == pytest.approx(100)
    assert units["10"].rolled_up.overall == pytest.approx(200 / 3)
    assert units["20"].parent == "10"


def test_unit_errors(mini):
    with pytest.raises(kompetens.ValidationError) as e:
        mini.score(UNIT_DF, units="unit", tree={"org": "b", "a": "org", "b": "org", "b1": "b"})
    assert e.value.code == "tree_cycle"
    with pytest.raises(kompetens.UnknownIdError) as e:
        mini.score(UNIT_DF, units="unit", tree={"org": None, "a": "org", "b": "nowhere", "b1": "b"})
    assert (e.value.code, e.value.location) == ("unknown_reference", "tree[2].parent")
    with pytest.raises(kompetens.UnknownIdError) as e:
        mini.score(UNIT_DF, units="unit", tree={"org": None})
    assert e.value.location == "responses.units[0]"
    with pytest.raises(kompetens.KompetensError) as e:
        mini.score(UNIT_DF.drop(columns="unit"), units=["a", "b"])
    assert (e.value.code, e.value.location) == ("shape_mismatch", "responses.units")
    with pytest.raises(KeyError):
        mini.score(UNIT_DF, units="no-such-column")


# --- errors ------------------------------------------------------------------------


def test_errors_are_kompetens_errors_with_code_and_location(mini):
    with pytest.raises(kompetens.UnknownIdError) as e:
        mini.score(pd.DataFrame({"i1": [1], "zz": [2]}))
    assert (e.value.code, e.value.location) == ("unknown_reference", "responses.items[1]")
    with pytest.raises(kompetens.KompetensError) as e:
        mini.score(pd.DataFrame([[1, 2]], columns=["i1", "i1"]))
    assert (e.value.code, e.value.location) == ("duplicate_id", "responses.items[1]")
    with pytest.raises(kompetens.ParseError) as e:
        mini.score(pd.DataFrame({"i1": [1]}), settings={"no_such_setting": 1})
    assert e.value.code == "parse_error"
    with pytest.raises(kompetens.ValidationError) as e:
        mini.score(pd.DataFrame({"i1": [1]}), settings={"agreement_threshold": 2})
    assert e.value.location == "settings.agreement_threshold"
    with pytest.raises(kompetens.UnknownIdError) as e:
        MaturityModel.builtin("nope")
    assert e.value.code == "unknown_builtin"
    bad = json.loads(json.dumps(MINI))
    bad["dimensions"][1]["categories"][0]["id"] = "C1"
    with pytest.raises(kompetens.KompetensError) as e:
        MaturityModel.from_dict(bad)
    assert (e.value.code, e.value.location) == ("duplicate_id", "model.dimensions[1].categories[0].id")
    with pytest.raises(kompetens.ParseError):
        MaturityModel.from_json("{")
    with pytest.raises(kompetens.KompetensError) as e:
        mini.score(np.zeros(3), items=["i1"])
    assert e.value.code == "shape_mismatch"
    with pytest.raises(kompetens.KompetensError) as e:
        mini.score([[1, 2], [3]], items=["i1", "i2"])
    assert (e.value.code, e.value.location) == ("shape_mismatch", "responses.rows[1]")


def test_python_argument_errors(mini):
    with pytest.raises(TypeError):
        mini.score(np.ones((2, 2)))  # items= missing
    with pytest.raises(TypeError):
        mini.score(pd.DataFrame({"i1": [1]}), items=["i1"])
    with pytest.raises(TypeError):
        mini.score("i1\n1")
    with pytest.raises(TypeError):
        mini.score(pd.DataFrame({"i1": [1]}), settings="median")
    res = mini.score(pd.DataFrame({"i1": [1]}))
    with pytest.raises(ValueError):
        res.weakest(level="dimension")
    with pytest.raises(ValueError):
        res.table("area")
    with pytest.raises(TypeError):
        res.weakest("3")


def test_instrument_errors_and_licensed_instrument(dimios):
    licensed = {"id": "licensed", "items": [
        {"id": "q2", "capability": "shadow_it"},
        {"id": "q3", "capability": "shadow_it", "reverse": False},
    ]}
    # q2 inherits reverse keying from shadow IT: 6 → 1 + 6 − 6 = 1 → 0 %;
    # q3 overrides it: 6 → 100 %; shadow IT = 50 %, teknik = 50 %, arv = 50 %.
    res = dimios.score(pd.DataFrame({"q2": [6], "q3": [6]}), instrument=licensed)
    assert res.items.loc["q2", "percentage"] == 0 and res.items.loc["q3", "percentage"] == 100
    assert res.dimensions.loc["arv", "percentage"] == pytest.approx(50)
    assert res.instrument == {"id": "licensed", "example": False}
    with_inst = dimios.with_instrument(licensed)
    assert with_inst.item_ids == ["q2", "q3"]
    assert with_inst.score(pd.DataFrame({"q2": [6], "q3": [6]})).to_dict()["capabilities"] == res.to_dict()["capabilities"]
    with pytest.raises(kompetens.UnknownIdError) as e:
        dimios.score(pd.DataFrame({"q": [1]}), instrument={"id": "x", "items": [{"id": "q", "capability": "nope"}]})
    assert e.value.location == "instrument.items[0].capability"


# --- DiMiOS --------------------------------------------------------------------------


def test_dimios_all_fours_hand_worked(dimios):
    # Two respondents answer 4 on every statement of the example instrument
    # (1–6 scale, 100·(x − 1)/5): 4 → 60 %; shadow IT and technical debt are
    # reverse keyed: 1 + 6 − 4 = 3 → 40 %.
    df = pd.DataFrame([[4] * 26, [4] * 26], columns=dimios.item_ids)
    res = dimios.score(df)
    # Teknik = (60 + 40 + 40 + 60)/4 = 50; every other category 60.
    cats = res.categories["percentage"]
    assert cats["teknik"] == pytest.approx(50)
    assert cats.drop("teknik").tolist() == pytest.approx([60] * 5)
    # Förmåga = 60; arv = (60 + 60 + 50)/3 = 56.667; overall = (60 + 56.667)/2
    assert res.dimensions.loc["formaga", "percentage"] == pytest.approx(60)
    assert res.dimensions.loc["arv", "percentage"] == pytest.approx(170 / 3)
    assert res.overall == pytest.approx((60 + 170 / 3) / 2)
    # Both ≥ 50 % → high/high → type D.
    assert isinstance(res.type, MaturityType)
    assert res.type.letter == "D" and res.type.origin == "ours"
    assert [(a.dimension, a.side) for a in res.type.axes] == [("formaga", "high"), ("arv", "high")]
    assert res.type.name("sv").startswith("Typ D") and res.type.recommendations()
    # The three weakest are shown even for a mature organisation: teknik,
    # then the 60 % ties in model order (effektivitet, innovation).
    assert [r.id for r in res.weakest()] == ["teknik", "effektivitet", "innovation"]
    assert [r.id for r in res.weakest(2, level="capability")] == ["shadow_it", "technical_debt"]


def test_dimios_published_figures(dimios):
    # Published municipal results (issue 4): arv 59 %, förmåga 47 % → 53 %.
    est = mat.overall_from_dimensions(dimios, {"arv": 59, "formaga": 47}, inputs_rounded_to_decimals=0)
    assert est.overall == pytest.approx(53)
    assert 53 in est.possible_published
    # 72/57 → 64: the unrounded inputs lie within ±0.5, so the mean lies in
    # [64.0, 65.0] and 64 is a possible published figure.
    est = mat.overall_from_dimensions("dimios", pd.Series({"arv": 72, "formaga": 57}),
                                      inputs_rounded_to_decimals=0)
    assert est.overall_interval == pytest.approx((64.0, 65.0))
    assert 64 in est.possible_published
    # 71/56 → published as 63 or 64 depending on the unrounded inputs.
    est = mat.overall_from_dimensions(dimios, [{"id": "arv", "percentage": 71}, {"id": "formaga", "percentage": 56}],
                                      inputs_rounded_to_decimals=0)
    assert {63, 64} <= set(est.possible_published)
    assert est.type.letter == "D"


def test_classify(dimios):
    # Quadrants (x = förmåga, y = arv; cut 50): type A is low/low (documented).
    t = mat.classify(dimios, {"formaga": 40, "arv": 40})
    assert t.letter == "A" and t.origin == "documented"
    assert mat.classify(dimios, {"formaga": 60, "arv": 40}).letter == "B"
    assert mat.classify(dimios, {"formaga": 40, "arv": 60}).letter == "C"
    # exactly at the cut: "high" by default, "low" with at_cut = low
    assert mat.classify(dimios, {"formaga": 50, "arv": 50}).letter == "D"
    assert mat.classify(dimios, {"formaga": 50, "arv": 50}, settings={"at_cut": "low"}).letter == "A"
    assert mat.classify(dimios, {"formaga": 55, "arv": 55}, settings={"quadrant_cut_x": 60}).letter == "C"
    with pytest.raises(kompetens.KompetensError) as e:
        mat.classify(dimios, {"formaga": 55})
    assert (e.value.code, e.value.location) == ("missing_value", "dimensions")
    # a result (object or dict) is classified by its dimensions
    df = pd.DataFrame([[2] * 26], columns=dimios.item_ids)  # 20 % / 20 %+ → A
    res = dimios.score(df)
    assert mat.classify(dimios, res).letter == res.type.letter == "A"
    assert mat.classify(dimios, res.to_dict()).letter == "A"
    assert mat.classify(MaturityModel.from_dict(MINI), {"D1": 1, "D2": 2}) is None


# --- change and benchmark ------------------------------------------------------------


def test_compare_with_previous(mini):
    now = mini.score(pd.DataFrame(ROWS, columns=ITEMS))  # overall 58.333, C1 62.5, C2 50
    previous = {"model": "mini", "overall": 50, "categories": [{"id": "C1", "percentage": 70},
                                                               {"id": "C2", "percentage": 50}]}
    ch = now.compare(previous)
    # overall 58.333 − 50 = 8.333 points; C1 62.5 − 70 = −7.5; C2 0; C3 has no
    # previous value → change missing.
    assert ch.overall.change == pytest.approx(175 / 3 - 50)
    cats = ch.categories
    assert cats.loc["C1", "change"] == pytest.approx(-7.5)
    assert cats.loc["C2", "change"] == pytest.approx(0)
    assert math.isnan(cats.loc["C3", "change"])
    # a result against itself: no change anywhere
    same = now.compare(now)
    assert same.overall.change == 0 and (same.dimensions["change"] == 0).all()
    with pytest.raises(kompetens.KompetensError) as e:
        now.compare({"model": "other", "overall": 1})
    assert e.value.location == "previous.model"


def test_benchmark_mid_rank(mini):
    now = mini.score(pd.DataFrame(ROWS, columns=ITEMS))  # overall 58.333, C2 50
    def peer(overall, c2):
        return {"model": "mini", "overall": overall, "categories": [{"id": "C2", "percentage": c2}]}
    peers = [
        {"id": "p1", "type": "municipality", "result": peer(40, 50)},
        ("p2", "municipality", peer(80, 40)),
        {"id": "p3", "type": "region", "result": peer(0, 0)},
        {"id": "me", "type": "municipality", "result": now},  # a MaturityResult
    ]
    b = now.benchmark(peers, type="municipality", organisation="me")
    # peers of the type, without "me": p1 40, p2 80 → mean 60; own 58.333 is
    # above one, below one → mid-rank 100·(1 + 0)/2 = 50.
    assert b.n_peers == 2 and b.type == "municipality"
    assert b.overall.peer_mean == pytest.approx(60)
    assert b.overall.difference == pytest.approx(175 / 3 - 60)
    assert b.overall.percentile_rank == pytest.approx(50)
    # C2: own 50; peers 50 (equal, counts ½) and 40 (below) → 100·(1 + ½)/2 = 75
    assert b.categories.loc["C2", "percentile_rank"] == pytest.approx(75)
    assert b.categories.loc["C2", "peer_mean"] == pytest.approx(45)
    with pytest.raises(kompetens.KompetensError) as e:
        mat.benchmark(now, [peers[0], peers[0]], type="municipality")
    assert (e.value.code, e.value.location) == ("duplicate_id", "peers[1].id")


# --- without pandas -------------------------------------------------------------------


def test_lists_of_dicts_without_pandas(mini, monkeypatch):
    from kompetens import _tables

    res = mini.score({"items": ITEMS, "rows": ROWS})
    monkeypatch.setattr(_tables, "_pandas", lambda: None)
    dims = res.dimensions
    assert isinstance(dims, list) and dims[0]["id"] == "D1"
    assert dims[0]["percentage"] == pytest.approx(56.25)
    cats = res.categories
    assert [c["id"] for c in cats] == ["C1", "C2", "C3"]
    assert cats[0]["alpha"] is None and cats[0]["name"] == "Cat one"
    assert isinstance(res.compare(res).categories, list)
    assert isinstance(dma.score({}).dimensions, list)


# --- EU DMA ----------------------------------------------------------------------------


def test_dma_hand_worked():
    # Question scores 0–10, dimension = 10 × mean of its two questions.
    answers = {
        # checklist 3 of 10 options → 3
        "strategy_preparedness": ["o1", "o2", "o3"],
        # grid, 8 rows: invested 1, planned 0.5, both = invested 1, else 0 →
        # (1 + 0.5 + 1)/8 → 10 · 2.5/8 = 3.125
        "strategy_investments": {"r1": ["invested"], "r2": ["planned"], "r3": ["invested", "planned"]},
        # scale 0–5 over 8 rows, unanswered rows lowest (0): (5 + 5 + 0)/40 → 2.5
        "readiness_advanced": {"r1": 5, "r2": 5, "r3": 0},
        # no/partially/yes over 5 rows: (1 + 0.5 + 0 + 0 + 1)/5 → 5
        "green_impact": {"r1": "yes", "r2": "partially", "r3": "no", "r4": "no", "r5": "yes"},
        "data_management": None,  # missing: left out (unanswered = lowest → 0)
    }
    r = dma.score(answers)
    dims = r.dimensions
    # strategy = 5 · (3 + 3.125) = 30.625
    assert dims.loc["strategy", "score"] == pytest.approx(30.625)
    # readiness: readiness_basic unanswered → 0; 5 · (0 + 2.5) = 12.5
    assert dims.loc["readiness", "score"] == pytest.approx(12.5)
    # green: green_practices unanswered → 0; 5 · (0 + 5) = 25
    assert dims.loc["green", "score"] == pytest.approx(25)
    assert dims.loc["human", "score"] == 0 and dims.loc["data", "score"] == 0
    # overall = (30.625 + 12.5 + 0 + 0 + 0 + 25)/6 = 11.354…
    assert r.overall == pytest.approx((30.625 + 12.5 + 25) / 6)
    # bands (REFERENCE §5): Basic 0–25, Average 26–50 …
    assert r.band.id == "basic" and r.band.name() == "Basic"
    assert dims.loc["strategy", "band"] == "average" and dims.loc["green", "band"] == "basic"
    q = r.questions
    assert q.loc["strategy_investments", "score"] == pytest.approx(3.125)
    assert bool(q.loc["green_impact", "answered"]) and not q.loc["data_management", "answered"]
    # planned_weight = 1: the grid is (1 + 1 + 1)/8 → 3.75; strategy 5·(3 + 3.75)
    r1 = MaturityModel.builtin("edih-dma-pso").score_dma(answers, settings={"planned_weight": 1})
    assert r1.dimensions.loc["strategy", "score"] == pytest.approx(33.75)
    assert r1.settings["planned_weight"] == 1
    # the JSON list form gives the same result
    as_list = [
        {"question": "strategy_preparedness", "ticked": ["o1", "o2", "o3"]},
        {"question": "strategy_investments", "rows": [
            {"row": "r1", "ticked": ["invested"]}, {"row": "r2", "ticked": ["planned"]},
            {"row": "r3", "ticked": ["invested", "planned"]}]},
        {"question": "readiness_advanced", "rows": [
            {"row": "r1", "value": 5}, {"row": "r2", "value": 5}, {"row": "r3", "value": 0}]},
        {"question": "green_impact", "rows": [
            {"row": "r1", "value": "yes"}, {"row": "r2", "value": "partially"}, {"row": "r3", "value": "no"},
            {"row": "r4", "value": "no"}, {"row": "r5", "value": "yes"}]},
    ]
    assert dma.score(as_list).to_dict() == r.to_dict()


def test_dma_errors_and_settings():
    with pytest.raises(kompetens.UnknownIdError) as e:
        dma.score({"strategy_preparedness": ["o1", "nope"]})
    assert (e.value.code, e.value.location) == ("unknown_reference", "answers[0].ticked[1]")
    with pytest.raises(kompetens.KompetensError) as e:
        dma.score({"readiness_advanced": {"r1": 6}})
    assert (e.value.code, e.value.location) == ("value_out_of_scale", "answers[0].rows[0].value")
    with pytest.raises(kompetens.KompetensError) as e:
        dma.score({}, settings={"planned_weight": 2})
    assert e.value.location == "settings.planned_weight"
    with pytest.raises(kompetens.KompetensError) as e:
        MaturityModel.builtin("dimios").score_dma({})
    assert e.value.location == "model"
    s = dma.default_settings()
    assert (s["planned_weight"], s["partially_value"], s["unanswered"]) == (0.5, 0.5, "lowest")
    assert dma.default_settings({"unanswered": "skip"})["unanswered"] == "skip"
    m = mat.default_settings()
    assert (m["min_respondents"], m["quadrant_cut_x"], m["combine"]) == (5, 50, "mean")


def test_dma_band_boundaries():
    edih = MaturityModel.builtin("edih-dma-pso")
    ids = [d.id for d in edih.dimensions]
    # REFERENCE §5 bands: 25 → Basic; 25.2 falls between 25 and 26:
    # upper-inclusive (default) → Average; round_first: 25.4 → 25 → Basic.
    assert mat.overall_from_dimensions(edih, {i: 25 for i in ids}).band.id == "basic"
    assert mat.overall_from_dimensions(edih, {i: 25.2 for i in ids}).band.id == "average"
    est = mat.overall_from_dimensions(edih, {i: 25.4 for i in ids}, settings={"band_boundaries": "round_first"})
    assert est.band.id == "basic" and est.type is None


# --- the vector runner uses the idiomatic API -------------------------------------------


def test_vector_runner_uses_idiomatic_api(monkeypatch):
    from conftest import SHARED_VECTORS
    from kompetens import vectors

    def no_fallback(op, inp):
        raise AssertionError(f"{op} fell back to kompetens.call")

    monkeypatch.setattr(vectors, "call", no_fallback)
    seen_frames = []
    real_score = MaturityModel.score

    def spy(self, responses, **kw):
        seen_frames.append(isinstance(responses, pd.DataFrame))
        return real_score(self, responses, **kw)

    monkeypatch.setattr(MaturityModel, "score", spy)
    n = 0
    for path in sorted(SHARED_VECTORS.glob("maturity-*.json")):
        for case in vectors.load_cases(path):
            assert vectors.check_case(case) is None, case["name"]
            n += 1
    assert n >= 60
    # every rectangular table went in as a DataFrame (only the ragged one not)
    assert seen_frames.count(False) == 1 and seen_frames.count(True) >= 20


def _score_cases():
    from conftest import SHARED_VECTORS
    from kompetens import vectors

    out = []
    for path in sorted(SHARED_VECTORS.glob("maturity-*.json")):
        for case in vectors.load_cases(path):
            if case["op"] == "maturity.score" and "expected" in case:
                out.append(pytest.param(case, id=f"{path.stem}::{case['name']}"))
    return out


@pytest.mark.parametrize("case", _score_cases())
def test_score_vectors_through_numpy_and_polars(case):
    # The same vector cases through the other input forms: a numpy array with
    # items=, and a polars DataFrame with units as a column.
    from kompetens import vectors

    inp = case["input"]
    model = MaturityModel.builtin(inp["model"]) if isinstance(inp["model"], str) else MaturityModel.from_dict(inp["model"])
    table = inp["responses"]
    units = table.get("units", inp.get("units"))
    kw = {k: inp[k] for k in ("tree", "settings", "instrument") if k in inp}
    arr = np.array([[NAN if v is None else v for v in row] for row in table["rows"]], dtype=float).reshape(
        len(table["rows"]), len(table["items"])
    )
    got = model.score(arr, items=table["items"], units=units, **kw).to_dict()
    assert vectors.match(case["expected"], got, case.get("tolerance", 1e-9)) is None
    pl = pytest.importorskip("polars")
    if len(set(table["items"])) == len(table["items"]) and "__unit" not in table["items"]:
        data = {item: pl.Series(item, [row[j] for row in table["rows"]], dtype=pl.Float64)
                for j, item in enumerate(table["items"])}
        df = pl.DataFrame(list(data.values()))
        if units is not None:
            df = df.with_columns(pl.Series("__unit", units, dtype=pl.Utf8))
            got = model.score(df, units="__unit", **kw).to_dict()
        else:
            got = model.score(df, **kw).to_dict()
        assert vectors.match(case["expected"], got, case.get("tolerance", 1e-9)) is None


def test_doctests():
    for module in (mat, dma):
        failed, attempted = doctest.testmod(module)
        assert attempted > 0 and failed == 0, module.__name__


def test_reprs(mini):
    res = mini.score(UNIT_DF, units="unit", tree=TREE)
    assert repr(res).startswith("MaturityResult(model='mini'")
    assert "withheld=True" in repr(res.units[0].own)
    assert "Comparison(" in repr(res.compare(res))
    assert repr(dma.score({})).startswith("DmaResult(overall=0.0")
