"""examples/notebooks/tour.ipynb runs top to bottom (nbclient), offline, and
its outputs show what the tour promises: no errors, the charts as inline
SVG, withheld cells shown as withheld.

The kernel is this interpreter: a kernel spec written to a temporary
directory put first on ``JUPYTER_PATH`` runs ``sys.executable -m
ipykernel_launcher``, so a fresh venv with ipykernel works whatever kernels
the user or the system has registered. Network access is cut inside the
kernel (``socket.socket.connect`` to anything but loopback raises) before
the first cell runs."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = REPO / "examples" / "notebooks" / "tour.ipynb"
KERNEL = "kompetens-test"
TIMEOUT = 300  # seconds per cell

# Run in the kernel before the notebook: no connection leaves the machine.
OFFLINE = '''
import socket as _s
_connect = _s.socket.connect
def _local_only(self, address, *a, **k):
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (_s.AF_INET, _s.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
        raise OSError("network access is disabled in the notebook test: " + str(host))
    return _connect(self, address, *a, **k)
_s.socket.connect = _local_only
del _s
'''


@pytest.fixture(scope="module")
def executed(tmp_path_factory, pytestconfig) -> tuple[object, float]:
    spec_dir = tmp_path_factory.mktemp("jupyter") / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kompetens test (this interpreter)",
        "language": "python",
    }))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(spec_dir.parents[1]), old]))
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(OFFLINE))
        client = nbclient.NotebookClient(
            nb, kernel_name=KERNEL, timeout=TIMEOUT, resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        )
        start = time.perf_counter()
        client.execute()
        elapsed = time.perf_counter() - start
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
    nb.cells.pop(0)
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\ntour.ipynb ran top to bottom in {elapsed:.1f} s")
    return nb, elapsed


def _outputs(nb) -> list[tuple[str, dict]]:
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            out.append(("".join(cell.source), o))
    return out


def _html(nb) -> str:
    return "\n".join(o.get("data", {}).get("text/html", "") for _, o in _outputs(nb))


def test_committed_notebook_is_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "commit the notebook with outputs cleared"


def test_notebook_runs_without_errors(executed):
    nb, elapsed = executed
    errors = [(src[:60], o.get("ename"), o.get("evalue")) for src, o in _outputs(nb) if o.get("output_type") == "error"]
    assert not errors
    stderr = [o.get("text", "") for _, o in _outputs(nb) if o.get("name") == "stderr"]
    assert not any("Traceback" in s for s in stderr)
    assert elapsed < TIMEOUT


def test_notebook_shows_the_results(executed):
    nb, _ = executed
    html = _html(nb)
    for title in ("Survey scores", "Gap report", "Competence gaps by unit", "Digital maturity",
                  "Change between waves", "Change between measurements"):
        assert title in html, title
    assert "withheld (primary)" in html and "withheld (secondary)" in html


def test_notebook_charts_are_inline_svg(executed):
    nb, _ = executed
    charted = {"report": False, "pub": False, "result": False, "waves": False}
    for src, o in _outputs(nb):
        data = o.get("data", {})
        last = src.strip().splitlines()[-1]
        if last in charted:
            charted[last] = "<svg" in data.get("text/html", "")
    assert all(charted.values()), charted
    pictures = [o["data"]["image/svg+xml"] for _, o in _outputs(nb) if "image/svg+xml" in o.get("data", {})]
    assert pictures and all("<svg" in p for p in pictures)
    # Nothing is loaded from elsewhere.
    html = _html(nb)
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html
