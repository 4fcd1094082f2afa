"""``kompetens.demo``: the core's demo organisation handed to Python. The
matrices are checked against the package's own JSON path (``reconcile``,
``profiles.resolve``) person by person, and the records against the
documented shape of the demo (core/src/demo.rs)."""

from __future__ import annotations

import numpy as np
import pytest

import kompetens
import kompetens.demo


@pytest.fixture(scope="module")
def org():
    return kompetens.demo.organisation()


def test_records(org):
    assert org.waves == ["2025", "2026"]
    assert org.framework.id == "digcomp-2.2"
    assert org.policy == "prefer:manager,test,activity,self" and org.min_group == 5
    tree = org.tree
    roots = [u for u, p in tree.items() if p is None]
    assert roots == ["kf"]
    seen: set[str] = set()
    for u, p in tree.items():  # parents before children
        assert p is None or p in seen
        seen.add(u)
    people = org.people
    assert 1000 < len(people) < 1300  # "about 1,100 employees"
    assert set(people["unit"]) <= set(tree)
    assert set(people["role"]) <= set(org.profiles.ids)
    assert org.unit_name("lib-central") == "Main library"
    assert org.unit_name("lib-central", "sv") != ""
    assert kompetens.demo.organisation() is org  # generated once


def test_wave_matrix_matches_reconcile_and_profiles(org):
    m = org.wave_matrix("2026")
    n = len(m.ids)
    assert m.levels.shape == (n, 21) and m.levels.dtype == np.int8
    assert m.required.shape == (n, 21)
    assert m.competences == [c.id for c in org.framework.competences]
    by_person = {a["person"]: a for a in org.assessments("2026")}
    assert list(by_person) == m.ids
    for p in range(0, n, 97):
        a = by_person[m.ids[p]]
        assert m.person_units[p] == a["unit"] and m.person_roles[p] == a["role"]
        want = np.full(21, -1)
        for r in kompetens.reconcile(org.framework, a["ratings"], policy=org.policy):
            want[m.competences.index(r["competence"])] = r["level"]
        assert m.levels[p].tolist() == want.tolist(), m.ids[p]
        req = np.zeros(21)
        for r in org.profiles.resolve(a["role"]).requirements:
            req[m.competences.index(r.competence)] = r.level
        assert m.required[p].tolist() == req.tolist()
    # "no ratings at all for about 5 %": whole rows of -1
    unrated = int((m.levels < 0).all(axis=1).sum())
    assert 0.02 * n < unrated < 0.09 * n
    # the policy matters: self-ratings run about half a level higher
    self_first = org.wave_matrix("2026", policy="prefer:self,manager")
    both = (m.levels >= 0) & (self_first.levels >= 0)
    diff = self_first.levels[both].astype(float) - m.levels[both]
    assert 0.1 < diff.mean() < 0.8
    lf = m.levels_frame()
    assert lf.shape == (n, 21) and lf.isna().to_numpy().sum() == int((m.levels < 0).sum())


def test_wave_matrix_errors(org):
    with pytest.raises(kompetens.KompetensError) as e:
        org.wave_matrix("1999")
    assert e.value.code == "unknown_reference"
    with pytest.raises(kompetens.KompetensError):
        org.wave_matrix("2026", policy="prefer:nobody")


def test_dimios(org):
    d = org.dimios("2026")
    model = kompetens.MaturityModel.builtin(d.model)
    df = d.responses_frame()
    assert len(df) == len(d.respondents) and 40 <= len(df) <= 80  # "about 60 respondents"
    assert set(df.columns) == set(model.item_ids) | {"unit"}
    result = model.score(df, units="unit", tree=d.tree)
    assert result.n_respondents == len(df)
    assert result.type is not None and len(result.weakest(3)) == 3
    withheld = [u for u in result.units if u.withheld]
    assert withheld and all(u.rolled_up.n_respondents < 5 for u in withheld)
    with pytest.raises(kompetens.KompetensError):
        org.dimios("1999")


def test_aggregate_and_waves_on_the_demo(org):
    m = org.wave_matrix("2026")
    pub = kompetens.aggregate_gaps(m.levels, m.required, m.person_units, org.tree,
                                   competences=m.competences, min_group=org.min_group)
    df = pub.to_pandas()
    root = df[(df.unit == "kf") & (df.scope == "rollup") & (df.table == "unit")].set_index("competence")
    # the department's head count per competence: everyone with a
    # requirement and a rating, counted directly from the matrices
    published = 0
    for j, c in enumerate(m.competences):
        counted = int(((m.required[:, j] > 0) & (m.levels[:, j] >= 0)).sum())
        if root.loc[c, "suppressed"] is None:
            assert root.loc[c, "people"] == counted
            published += 1
        else:  # withheld: no number at all
            assert root.loc[c, ["people", "coverage"]].isna().all()
    assert published >= 15
    assert df["suppressed"].notna().any() and pub.audit().clean
    before = org.wave_matrix("2025")
    cmp = kompetens.compare_waves(before, m, org.tree, min_group=org.min_group)
    t = cmp.table()
    both = set(before.ids) & set(m.ids)
    for j, c in enumerate(m.competences):
        b = {i: v for i, v in zip(before.ids, before.levels[:, j].tolist()) if v >= 0}
        a = {i: v for i, v in zip(m.ids, m.levels[:, j].tolist()) if v >= 0}
        pairs = [(b[i], a[i]) for i in both if i in a and i in b]
        assert t.loc[c, "paired"] == len(pairs)
        assert t.loc[c, "improved"] == sum(1 for x, y in pairs if y > x)
        assert t.loc[c, "mean_change"] == pytest.approx(np.mean([y - x for x, y in pairs]), abs=1e-12)
