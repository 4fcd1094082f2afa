"""Every case of every shared vector file (tests/vectors/*.json) and of the
binding's own vector files (bindings-python/tests/vectors/*.json), run
through the idiomatic Python API by kompetens.vectors — one pytest case per
vector case."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompetens import vectors

from conftest import BINDING_VECTORS, REPO, SHARED_VECTORS


def _cases(folder: Path) -> list:
    params = []
    for path in sorted(folder.glob("*.json")):
        rel = path.relative_to(REPO).as_posix()
        try:
            cases = vectors.load_cases(path)
        except (OSError, ValueError) as err:  # surface a broken file as a failing case
            params.append(pytest.param(None, str(err), id=f"{rel}::<file>"))
            continue
        for i, case in enumerate(cases):
            name = case.get("name") or f"#{i}"
            params.append(pytest.param(case, None, id=f"{rel}::{name}"))
    return params


SHARED = _cases(SHARED_VECTORS)
OWN = _cases(BINDING_VECTORS)


def _check(case, file_error):
    assert file_error is None, file_error
    failure = vectors.check_case(case)
    assert failure is None, failure


@pytest.mark.parametrize(("case", "file_error"), SHARED)
def test_shared_vector(case, file_error):
    _check(case, file_error)


@pytest.mark.parametrize(("case", "file_error"), OWN)
def test_binding_vector(case, file_error):
    _check(case, file_error)


def test_shared_vector_names_are_unique_per_file():
    for path in sorted(SHARED_VECTORS.glob("*.json")) + sorted(BINDING_VECTORS.glob("*.json")):
        names = [c.get("name") for c in vectors.load_cases(path)]
        assert len(names) == len(set(names)), path


def test_survey_stats_and_dsi_vectors_never_fall_back_to_call(monkeypatch):
    """Every survey.*, stats.* and dsi.* case runs through the idiomatic API
    (kompetens.survey, kompetens.stats, kompetens.dsi), never through the
    runner's kompetens.call fallback."""
    fallbacks: list[str] = []
    real = vectors.call

    def spy(op, input):
        fallbacks.append(op)
        return real(op, input)

    monkeypatch.setattr(vectors, "call", spy)
    checked = 0
    for path in sorted(SHARED_VECTORS.glob("*.json")):
        for case in vectors.load_cases(path):
            if str(case.get("op", "")).split(".")[0] in ("survey", "stats", "dsi"):
                assert vectors.check_case(case) is None, case.get("name")
                checked += 1
    assert checked >= 100, checked
    assert fallbacks == [], fallbacks
