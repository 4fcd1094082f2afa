"""benches/side_by_side_aggregate.py keeps working: run on small data, its
own asserts check kompetens against the pandas and polars implementations."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

pytest.importorskip("polars")


def test_side_by_side_aggregate_runs_and_agrees():
    out = subprocess.run(
        [sys.executable, str(REPO / "benches" / "side_by_side_aggregate.py"), "--people", "20000", "--repeat", "1",
         "--rounds", "2", "--min-seconds", "0"],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "= pandas = polars on all" in out.stdout
    assert "audit clean = True" in out.stdout and "ratios:" in out.stdout
    # two interleaved rounds, their ratios reported
    assert "2 interleaved rounds" in out.stdout and "per round: " in out.stdout
