"""benches/side_by_side_stats.py keeps working: run on small data, its own
asserts check kompetens against pingouin and the pandas scoring."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

pytest.importorskip("pingouin")


def test_side_by_side_script_runs_and_agrees():
    out = subprocess.run(
        [sys.executable, str(REPO / "benches" / "side_by_side_stats.py"),
         "--alpha-rows", "3000", "--score-rows", "2000", "--repeat", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "agree" in out.stdout and "ratios:" in out.stdout
