"""SurveyInstrument scoring and kompetens.dsi against independent pandas
implementations of the documented definitions, written out here
(core/src/survey/scoring.rs, levels.rs, dsi.rs), plus hand-worked cases."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import kompetens
from kompetens import dsi, survey
from kompetens.survey import SurveyInstrument

FW = kompetens.Framework.builtin("digcomp-2.2")
COMPETENCES = [c.id for c in FW.competences]
AREA_OF = {c.id: c.id.split(".")[0] for c in FW.competences}


def digcompsat_like(n_items: int = 82, seed: int = 0) -> dict:
    """An instrument shaped like DigCompSAT: 4-option answers 0..3 over the
    21 DigComp 2.2 competences, some items reverse keyed or weighted."""
    rng = np.random.default_rng(seed)
    items = []
    for i in range(n_items):
        item = {"id": f"q{i + 1}", "target": COMPETENCES[i % len(COMPETENCES)], "scale": "sat4"}
        if i % 9 == 4:
            item["reverse"] = True
        if i % 7 == 3:
            item["weight"] = float(rng.choice([0.5, 2.0]))
        items.append(item)
    return {
        "id": "sat-like",
        "framework": "digcomp-2.2",
        "scales": [{"id": "sat4", "min": 0, "max": 3}],
        "items": items,
    }


def answers(n: int, n_items: int, missing: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=(n, n_items)).astype(float)
    x[rng.random((n, n_items)) < missing] = np.nan
    return pd.DataFrame(x, columns=[f"q{i + 1}" for i in range(n_items)])


def pandas_scores(df: pd.DataFrame, inst: dict, min_answered: float = 0.5):
    """The documented scoring rules, in pandas: rescale (reverse on the
    nominal ends), weighted mean of answered items, missing below the
    answered share; area scores pool the area's items."""
    lo, hi = 0.0, 3.0
    items = inst["items"]
    r = pd.DataFrame(index=df.index)
    w = {}
    for it in items:
        x = df[it["id"]]
        r[it["id"]] = (hi - x) / (hi - lo) if it.get("reverse") else (x - lo) / (hi - lo)
        w[it["id"]] = it.get("weight", 1.0)

    def pooled(ids):
        rr = r[ids]
        ww = pd.Series({i: w[i] for i in ids})
        answered = rr.notna()
        num = (rr * ww).sum(axis=1)
        den = (answered * ww).sum(axis=1)
        share = answered.sum(axis=1) / len(ids)
        ok = (answered.any(axis=1)) & (share >= min_answered - 1e-12)
        return (num / den).where(ok)

    targets = [c for c in COMPETENCES if any(it["target"] == c for it in items)]
    scores = pd.DataFrame({t: pooled([it["id"] for it in items if it["target"] == t]) for t in targets})
    areas = sorted({AREA_OF[t] for t in targets})
    area_scores = pd.DataFrame(
        {a: pooled([it["id"] for it in items if AREA_OF[it["target"]] == a]) for a in areas}
    )
    return scores, area_scores


def digcompsat_level(s: pd.DataFrame) -> pd.DataFrame:
    """Low < 0.30 ≤ Foundation < 0.48 ≤ Intermediate < 0.81 ≤ Advanced, with
    the documented 1e-9 tolerance; levels 0, 1, 3, 5."""
    out = np.select([s >= 0.81 - 1e-9, s >= 0.48 - 1e-9, s >= 0.30 - 1e-9, s.notna()], [5, 1 + 2, 1, 0], -1)
    return pd.DataFrame(out, index=s.index, columns=s.columns).replace(-1, pd.NA).astype("Int64")


@pytest.fixture(scope="module")
def sat():
    return SurveyInstrument.from_dict(digcompsat_like())


def test_scores_levels_and_areas_match_pandas(sat):
    df = answers(500, 82, 0.15, 1)
    res = sat.score(df)
    want, want_areas = pandas_scores(df, sat.to_dict())
    assert res.targets == list(want.columns)
    pd.testing.assert_frame_equal(res.scores, want, check_names=False, rtol=1e-12)
    pd.testing.assert_frame_equal(res.levels, digcompsat_level(want), check_names=False, check_dtype=False)
    assert res.area_ids == ["1", "2", "3", "4", "5"]
    pd.testing.assert_frame_equal(res.area_scores, want_areas, check_names=False, rtol=1e-12)
    frame = res.frame
    assert list(frame.columns.levels[0]) == ["score", "level"] or set(frame.columns.get_level_values(0)) == {
        "score",
        "level",
    }
    pd.testing.assert_frame_equal(frame["score"], res.scores)
    assert res.areas["level"].shape == (500, 5)


def test_large_inputs_scored_in_blocks_match_pandas(sat):
    # 13,000 × 82 answers (over the binding's block threshold): scored in
    # row blocks on threads, in item order and with shuffled columns.
    df = answers(13_000, 82, 0.1, 12)
    want, want_areas = pandas_scores(df, sat.to_dict())
    for data in (df, df[list(reversed(df.columns))], np.ascontiguousarray(df.to_numpy())):
        res = sat.score(data)
        np.testing.assert_allclose(res.scores.to_numpy(), want.to_numpy(), rtol=1e-12)
        np.testing.assert_allclose(res.area_scores.to_numpy(), want_areas.to_numpy(), rtol=1e-12)
    bad = df.copy()
    bad.iloc[12_345, 3] = 4
    bad.iloc[12_999, 80] = -1
    with pytest.raises(kompetens.ValidationError) as e:
        sat.score(bad)
    assert e.value.location == "responses.rows[12345][3]"
    assert "2 value(s)" in str(e.value)


def test_min_answered_and_reasons(sat):
    df = answers(300, 82, 0.6, 2)
    for share in (0.0, 0.25, 0.5, 1.0):
        res = sat.score(df, min_answered=share)
        want, _ = pandas_scores(df, sat.to_dict(), share)
        pd.testing.assert_frame_equal(res.scores, want, check_names=False, rtol=1e-12)
    res = sat.score(df)
    reasons = res.reasons
    none_answered = df.notna().T.groupby(
        [it["target"] for it in sat.items]
    ).sum().T[res.targets] == 0
    assert ((reasons == "no_answers") == none_answered).all().all()
    assert set(pd.unique(reasons.to_numpy().ravel())) <= {None, "no_answers", "too_few_answers"}
    assert (reasons.isna() == res.scores.notna()).all().all()


def test_every_input_form_scores_the_same(sat):
    df = answers(60, 82, 0.1, 3)
    ref = sat.score(df).to_dict()["respondents"]
    shuffled = df[list(np.random.default_rng(0).permutation(df.columns))]
    pl = pytest.importorskip("polars")
    forms = [
        sat.score(shuffled),
        sat.score(df.to_numpy()),
        sat.score(np.asfortranarray(df.to_numpy())),
        sat.score(shuffled.to_numpy(), items=list(shuffled.columns)),
        sat.score(pl.from_pandas(shuffled)),
        sat.score([[None if v != v else int(v) for v in row] for row in df.to_numpy().tolist()]),
        sat.score({"items": list(df.columns), "rows": df.astype(object).where(df.notna(), None).values.tolist()}),
        sat.score(df.astype("Int64")),
    ]
    for res in forms:
        assert res.to_dict()["respondents"] == ref
    one = sat.score_answers({k: v for k, v in df.iloc[7].items() if v == v})
    assert one.to_dict()["respondents"][0]["scores"] == ref[7]["scores"]


def test_ids_assessments_and_gap_report(sat):
    df = answers(5, 82, 0.0, 4)
    df.index = ["anna", "bo", "cia", "dan", "eva"]
    res = sat.score(df)
    assert res.ids == list(df.index)
    assert list(res.scores.index) == list(df.index)
    assessments = res.to_assessments(source="test")
    assert [a["person"] for a in assessments] == list(df.index)
    levels = res.levels
    for a in assessments:
        for rating in a["ratings"]:
            assert rating["source"] == "test"
            assert rating["level"] == levels.loc[a["person"], rating["competence"]]
    ratings = res.ratings("cia")
    assert ratings == res.ratings(2, source="self")
    profile = {"id": "handläggare", "requirements": [{"competence": "1.1", "level": 3}]}
    report = kompetens.gap_report(FW, profile, ratings)
    current = int(levels.loc["cia", "1.1"])
    assert report.gaps[0].current == current
    assert report.gaps[0].gap == max(0, 3 - current)
    assert kompetens.calibration(FW, assessments) is not None
    by_column = sat.score(df.reset_index(names="person"), ids="person")
    assert by_column.ids == list(df.index)


def test_strategies(sat):
    df = answers(200, 82, 0.05, 5)
    scores = sat.score(df).scores
    floor8 = sat.score(df, strategy="floor8").levels
    want = np.clip(np.floor(8 * scores + 1e-9), 1, 8).astype("Int64")
    pd.testing.assert_frame_equal(floor8, want, check_names=False, check_dtype=False)
    custom = sat.score(df, strategy=[(0, 1, "low"), (0.5, 4, "mid"), (0.9, 7)]).levels
    want = (
        pd.DataFrame(
            np.select([scores >= 0.9 - 1e-9, scores >= 0.5 - 1e-9], [7, 4], 1),
            index=scores.index,
            columns=scores.columns,
        )
        .astype("Int64")
        .where(scores.notna())
    )
    pd.testing.assert_frame_equal(custom, want, check_names=False, check_dtype=False)
    listed = survey.levels([0.2999, 0.3, None], "digcompsat")
    assert [(x["level"], x["label"]) for x in listed] == [(0, "low"), (1, "foundation"), (None, None)]


def test_hand_worked_score():
    # q1 (1.1) 5 → (5−1)/4 = 1; q2 (1.1, reverse) 2 → (5−2)/4 = 0.75; mean 0.875.
    # q3 (1.2, weight 2) 3 → 0.5. Row 2: 1.1 has 1 of 2 items (share 0.5) → 0.
    inst = kompetens.Instrument.from_json(
        json.dumps(
            {
                "id": "t",
                "scale": {"min": 1, "max": 5},
                "items": [
                    {"id": "q1", "target": "1.1"},
                    {"id": "q2", "target": "1.1", "reverse": True},
                    {"id": "q3", "target": "1.2", "weight": 2},
                ],
            }
        )
    )
    assert kompetens.Instrument is kompetens.SurveyInstrument
    res = inst.score(np.array([[5, 2, 3], [1, np.nan, np.nan]]))
    assert res.scores.to_numpy().tolist()[0] == [0.875, 0.5]
    assert res.scores.iloc[1, 0] == 0.0 and np.isnan(res.scores.iloc[1, 1])
    assert res.area_ids == []  # no framework
    assert res.reasons.iloc[1, 1] == "no_answers"
    with pytest.raises(kompetens.KompetensError) as e:
        res.to_assessments()
    assert (e.value.code, e.value.location) == ("missing_value", "framework")
    toml = 'id = "t"\nscale = { min = 1, max = 5 }\n[[items]]\nid = "q1"\ntarget = "1.1"\n'
    assert kompetens.Instrument.from_toml(toml).item_ids == ["q1"]


def test_every_out_of_scale_answer_is_in_details():
    import pickle

    inst = kompetens.Instrument.from_json(json.dumps(
        {"id": "t", "scale": {"min": 1, "max": 5}, "items": [
            {"id": "a", "target": "1.1"}, {"id": "b", "target": "1.1"}, {"id": "c", "target": "1.2"}]}
    ))
    # respondent r1 answers a = 0 and c = 9, r2 answers b = 6 (row-major order)
    df = pd.DataFrame({"a": [0, 1], "b": [2, 6], "c": [9, np.nan]}, index=["r1", "r2"])
    with pytest.raises(kompetens.ValidationError) as e:
        inst.score(df)
    assert (e.value.code, e.value.location) == ("value_out_of_scale", "responses.rows[0][0]")
    got = [(a["respondent"], a.get("respondent_id"), a["item"], a["value"]) for a in e.value.details["answers"]]
    assert got == [(0, "r1", "a", 0.0), (0, "r1", "c", 9.0), (1, "r2", "b", 6.0)]
    assert all((a["min"], a["max"]) == (1.0, 5.0) for a in e.value.details["answers"])
    again = pickle.loads(pickle.dumps(e.value))
    assert again.details == e.value.details and again.code == "value_out_of_scale"
    # other errors carry no details
    with pytest.raises(kompetens.KompetensError) as e:
        inst.score(df.rename(columns={"c": "zz"}))
    assert e.value.details is None


def test_errors_name_the_original_column(sat):
    df = answers(4, 82, 0.0, 6)
    shuffled = df[["q5"] + [c for c in df.columns if c != "q5"]]
    shuffled.iloc[2, 0] = 7
    with pytest.raises(kompetens.ValidationError) as e:
        sat.score(shuffled)
    assert (e.value.code, e.value.location) == ("value_out_of_scale", "responses.rows[2][0]")
    with pytest.raises(kompetens.KompetensError) as e:
        sat.score(df.rename(columns={"q3": "zz"}))
    assert e.value.location == "responses.items[2]"
    with pytest.raises(kompetens.KompetensError) as e:
        sat.score(df.to_numpy()[:, :80])
    assert e.value.code == "shape_mismatch"
    with pytest.raises(kompetens.KompetensError) as e:
        sat.score(df, min_answered=2)
    assert e.value.location == "min_answered"
    with pytest.raises(kompetens.KompetensError) as e:
        sat.score(df, framework="digcomp-3.0")
    assert e.value.location == "framework"
    with pytest.raises(kompetens.ValidationError) as e:
        sat.score_answers({"q1": 9})
    assert e.value.location == "answers.q1"


# --- DSI ------------------------------------------------------------------------

# Eurostat DSI 2.0 thresholds: basic from 1 activity; above basic from 2
# (information, communication) or 3 (content, safety, problem solving).
ABOVE = {"information": 2, "communication": 2, "content": 3, "safety": 3, "problem_solving": 3}


def eurostat_category(row) -> str:
    if row is None:
        return "not_assessed"
    k = sum(1 for a in dsi.AREAS if row[a] >= 1)
    above = sum(1 for a in dsi.AREAS if row[a] >= ABOVE[a])
    if k == 5:
        return "above_basic" if above == 5 else "basic"
    return {4: "low", 3: "narrow", 2: "limited"}.get(k, "no_skills")


def test_dsi_classify_hand_worked():
    r = dsi.classify({"information": 1, "communication": 2, "content": 0, "safety": 3, "problem_solving": 1})
    assert r.category == "low" and r.areas_at_least_basic == 4
    assert r.levels["content"] == "none" and r.levels["communication"] == "above_basic"
    assert dsi.classify(pd.Series([2, 2, 3, 3, 3], index=list(dsi.AREAS))).category == "above_basic"
    assert dsi.classify([2, 2, 2, 3, 3]).category == "basic"  # content 2 < 3
    assert dsi.classify(None).category == "not_assessed"
    with pytest.raises(kompetens.KompetensError) as e:
        dsi.classify([1, 2, 3, 4])
    assert e.value.code == "shape_mismatch"


def test_dsi_summarise_matches_pandas():
    rng = np.random.default_rng(9)
    n = 400
    counts = pd.DataFrame(rng.integers(0, 5, size=(n, 5)), columns=list(dsi.AREAS)).astype(float)
    counts.iloc[rng.random(n) < 0.1] = np.nan  # not assessed
    weights = pd.Series(rng.uniform(0.2, 3.0, size=n))
    cats = pd.Series(
        [eurostat_category(None if row.isna().all() else row) for _, row in counts.iterrows()]
    )
    s = dsi.summarise(counts, weights)
    want = weights.groupby(cats).sum() / weights.sum()
    for cat in dsi.CATEGORIES:
        assert s.shares[cat] == pytest.approx(want.get(cat, 0.0), rel=1e-12)
    assert s.at_least_basic == pytest.approx(want.reindex(["basic", "above_basic"]).fillna(0).sum(), rel=1e-12)
    assessed = cats != "not_assessed"
    assert s.at_least_basic_of_assessed == pytest.approx(
        weights[cats.isin(["basic", "above_basic"])].sum() / weights[assessed].sum(), rel=1e-12
    )
    assert s.categories.loc["low", "count"] == (cats == "low").sum()
    unweighted = dsi.summarise(counts.assign(w=weights), "w")
    assert unweighted.shares == s.shares  # weights taken from the column
    assert dsi.summarise_categories(cats, weights).shares == pytest.approx(s.shares)
    assert dsi.thresholds()["areas"][2] == {"area": "content", "basic": 1, "above_basic": 3}


def test_example_self_assessment_instrument_of_the_web_form():
    """The web form's instrument file (bindings-wasm/examples/self-assessment/)
    loads in Python: marked as an example in our own words, 21 competences in
    framework order, 2-3 statements each in Swedish and English; a person who
    answers "on my own" (3 on 1..4, i.e. 2/3) everywhere gets 2/3 and level
    floor(8 * 2/3) = 5 in every competence and area."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bindings-wasm/examples/self-assessment/digcomp-2.2-self-assessment.json"
    inst = SurveyInstrument.from_json(path.read_text(encoding="utf-8"))
    assert inst.example is True
    assert "origin: ours" in inst.note("en") and "EXEMPEL" in inst.note("sv")
    assert inst.targets == COMPETENCES
    counts = pd.Series([i["target"] for i in inst.items]).value_counts()
    assert set(counts) <= {2, 3} and len(inst) == 47
    assert all(i["text"]["sv"] and i["text"]["en"] for i in inst.items)
    person = inst.score_answers({i: 3 for i in inst.item_ids}, strategy="floor8").to_dict()["respondents"][0]
    assert {s["level"] for s in person["scores"]} == {5}
    assert [a["level"] for a in person["areas"]] == [5] * 5
    assert person["scores"][0]["score"] == pytest.approx(2 / 3)
