"""``python -m kompetens.vectors FILE...`` as a subprocess: a line per case,
the summary line, and the exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BINDING_VECTORS, SHARED_VECTORS


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kompetens.vectors", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _write(tmp_path: Path, cases: list) -> str:
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"format": "kompetens-vectors/1", "description": "t", "cases": cases}))
    return str(path)


GOOD = {
    "name": "hand-worked",
    "op": "gap_report",
    "input": {"framework": "digcomp-2.2",
              "profile": {"id": "r", "requirements": [{"competence": "1.1", "level": 4, "weight": "critical"},
                                                      {"competence": "2.1", "level": 3, "weight": "important"}]},
              "ratings": {"1.1": 4, "2.1": 1}},
    # 1.1 met (w 3); 2.1 gap 2 × w 2 = 4; readiness 3 / (3 + 2) = 0.6
    "expected": {"readiness": 0.6, "plan": ["2.1"], "gaps": [{"gap": 0}, {"weighted_gap": 4}]},
}
ERR = {"name": "unknown", "op": "gap_report",
       "input": {"framework": "digcomp-2.2", "profile": {"id": "r"}, "ratings": {"9.9": 1}},
       "error": {"code": "unknown_competence", "location": "ratings.9.9"}}


def test_all_pass(tmp_path):
    out = _run(_write(tmp_path, [GOOD, ERR]))
    lines = out.stdout.strip().splitlines()
    assert out.returncode == 0, out.stdout + out.stderr
    assert lines[0].startswith("PASS ") and lines[0].endswith("::hand-worked")
    assert lines[1].startswith("PASS ") and lines[1].endswith("::unknown")
    assert lines[-1] == "2 passed, 0 failed"


def test_failures_give_exit_1(tmp_path):
    wrong = dict(GOOD, name="wrong", expected={"readiness": 0.61})
    wrong_code = dict(ERR, name="wrong-code", error={"code": "unknown_profile"})
    bool_vs_int = dict(GOOD, name="bool-is-not-a-number", expected={"gaps": [{"met": 1}, {}]})
    out = _run(_write(tmp_path, [GOOD, wrong, wrong_code, bool_vs_int]))
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert [ln.split()[0] for ln in lines[:-1]] == ["PASS", "FAIL", "FAIL", "FAIL"]
    assert "$.readiness" in lines[1] and "unknown_profile" in lines[2]
    assert lines[-1] == "1 passed, 3 failed"


def test_tolerance(tmp_path):
    close = dict(GOOD, name="close", expected={"readiness": 0.6000001}, tolerance=1e-6)
    assert _run(_write(tmp_path, [close])).returncode == 0


def test_unreadable_file_is_a_failure(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}')
    out = _run(str(bad), str(tmp_path / "missing.json"))
    assert out.returncode == 1
    assert out.stdout.strip().splitlines()[-1] == "0 passed, 2 failed"


def test_no_arguments_is_usage_error():
    out = _run()
    assert out.returncode == 2 and "usage" in out.stderr


def test_repository_vectors_pass():
    files = sorted(map(str, SHARED_VECTORS.glob("*.json"))) + sorted(map(str, BINDING_VECTORS.glob("*.json")))
    if not files:
        pytest.skip("no vector files")
    out = _run("-q", *files)
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip().splitlines()[-1].endswith(" 0 failed")
