"""Shared paths for the Python binding tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED_VECTORS = REPO / "tests" / "vectors"
BINDING_VECTORS = HERE / "vectors"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def python() -> str:
    return sys.executable
