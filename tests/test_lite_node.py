"""The course in Pyodide, under Node, with no network: what runs in the browser (JupyterLite).

lite/distribution.py writes an offline Pyodide distribution with the course; lite/run_notebook.mjs
runs a notebook's cells in it through the JupyterLite kernel's own shell. Every solved notebook
that can run without numpy and matplotlib (whose Pyodide builds only Pyodide's package server
has) must pass every check, with the cells that need them skipped and named; a learner's blank
notebook must fail its checks with the course's ✘ lines; 02's graphs must be drawn (SVG, by
Graphviz in WebAssembly), not shown as text. Where user namespaces allow it, Node runs without
a network (``unshare -rn``): under Node, Pyodide would otherwise fetch a missing package from
its CDN instead of failing.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
LITE = ROOT / "lite"
SOLVED = ROOT / "solutions" / "notebooks"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lite-node")]

# The cells each notebook cannot run without numpy or matplotlib (read in the notebooks: a
# plot in 00, 05's tanh plot and its neuron explorer, whose module imports the course's plots).
SKIPPED = {
    "00_setup": {"code-17": "matplotlib"},
    "01_value": {},
    "02_visualization": {},
    "03_backward": {},
    "04_operations": {},
    "05_neuron": {"code-05": "matplotlib", "code-27": "matplotlib"},
    "06_mlp": {},
    "09_bonus_exercises": {},
}


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    if not (LITE / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        return "lite/node_modules has no pyodide: make lite-deps"
    if not any((ROOT / ".cache" / "lite" / "kernel").glob("pyodide_kernel-*.whl")):
        return ".cache/lite has not the wheels: make lite-deps"
    return None


@pytest.fixture(scope="module")
def distribution(tmp_path_factory) -> Path:
    missing = _missing()
    if missing:
        skip_or_fail(missing)
    target = tmp_path_factory.mktemp("pyodide")
    subprocess.run(
        [sys.executable, str(LITE / "distribution.py"), str(target)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def _offline() -> list[str]:
    """A prefix that takes the network away (a user and network namespace), where allowed."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn"]
    return []


_summaries: dict[tuple[Path, Path], dict] = {}


def run(distribution: Path, notebook: Path) -> dict:
    """The runner's summary of one notebook (it prints one SUMMARY line per notebook), run
    once per distribution."""
    if (distribution, notebook) not in _summaries:
        _summaries[distribution, notebook] = _run(distribution, notebook)
    return _summaries[distribution, notebook]


def _run(distribution: Path, notebook: Path) -> dict:
    command = [*_offline(), "node", str(LITE / "run_notebook.mjs"), "--dist", str(distribution)]
    proc = subprocess.run(
        [*command, str(notebook)], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("SUMMARY ")]
    assert proc.returncode in (0, 1) and len(lines) == 1, proc.stdout + proc.stderr
    summary = json.loads(lines[0].removeprefix("SUMMARY "))
    summary["exit"], summary["log"] = proc.returncode, proc.stdout + proc.stderr
    return summary


def check_cells(notebook: Path) -> dict[str, str]:
    """{test_id: cell id} of the notebook's check cells, read from its metadata."""
    nb = nbformat.read(notebook, as_version=4)
    return {
        cell.metadata["autograd_course"]["test_id"]: cell.id
        for cell in nb.cells
        if cell.cell_type == "code" and "test_id" in cell.metadata.get("autograd_course", {})
    }


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_solved_notebook_passes_every_check_in_pyodide(distribution, name):
    notebook = SOLVED / f"{name}.ipynb"
    summary = run(distribution, notebook)
    log = summary["log"]
    skipped = {cell["id"]: cell["reason"] for cell in summary["skipped"]}
    assert set(skipped) == set(SKIPPED[name]), log
    for cell_id, needs in SKIPPED[name].items():
        assert skipped[cell_id].startswith(f"it needs {needs} "), skipped
        assert f"{cell_id}: skipped, it needs {needs}" in log  # named in the output too
    errors = [cell for cell in summary["cells"] if cell["status"] == "error"]
    assert errors == [] and summary["exit"] == 0, log
    expected = check_cells(notebook)
    assert expected, f"{name} has no check cells"
    checks = {check["test_id"]: check for check in summary["checks"]}
    assert set(checks) == set(expected), log
    for test_id, check in checks.items():
        assert check["passed"] and check["text"].startswith(f"✔ {test_id} — "), check


def test_setup_in_the_browser_finds_nothing_to_fix(distribution):
    """00's Setup line and environment check, in Pyodide: graphs drawn by Graphviz in
    WebAssembly, matplotlib loaded on import, no [FAIL] and no apt or brew command."""
    cells = {cell["id"]: cell for cell in run(distribution, SOLVED / "00_setup.ipynb")["cells"]}
    assert "graphs drawn by Graphviz in WebAssembly" in cells["setup"]["printed"]
    report = cells["environment"]["printed"]
    assert "[FAIL]" not in report and "apt-get" not in report and "brew" not in report, report
    assert "(Pyodide, in the browser)" in report and "All 10 items OK" in report, report


def test_solved_02_draws_the_lectures_graph_as_svg(distribution):
    cells = {
        cell["id"]: cell for cell in run(distribution, SOLVED / "02_visualization.ipynb")["cells"]
    }
    for cell_id, grads in [("draw-L", ["grad 0.0000"] * 7), ("draw-grads", ["grad 1.0000"])]:
        cell = cells[cell_id]
        assert "image/svg+xml" in cell["outputs"][0], cell  # drawn, not text
        # L = (a*b + c) * f: 7 Values and 3 operations, with the lecture's numbers
        assert cell["svg_nodes"] == 7 + 3, cell
        texts = [t.replace("&#45;", "-") for t in cell["svg_texts"]]
        for label, data in [("a", 2), ("b", -3), ("c", 10), ("e", -6), ("d", 4), ("L", -8)]:
            assert label in texts and f"data {data:.4f}" in texts, (label, texts)
        assert all(grad in texts for grad in grads), texts
        assert texts.count("*") == 2 and texts.count("+") == 1


def test_learners_blank_notebook_fails_with_the_courses_lines(distribution):
    notebook = ROOT / "notebooks" / "01_value.ipynb"
    summary = run(distribution, notebook)
    checks = {check["test_id"]: check for check in summary["checks"]}
    assert set(checks) == set(check_cells(notebook)), summary["log"]
    for test_id, check in checks.items():
        assert not check["passed"], check
        assert check["text"].startswith(f"✘ {test_id} — "), check
        # named by its class, as in a Jupyter kernel (not "<class '...CheckFailed'>")
        assert check["ename"] == "CheckFailed", check
    assert "not written yet" in checks["01.init"]["text"]
    assert "NotImplementedError" in checks["01.init"]["text"]  # where to write: the raise
    exercise = next(cell for cell in summary["cells"] if cell["id"] == "ex-init")
    assert exercise["status"] == "error" and exercise["ename"] == "NotImplementedError"


def test_index_progress_cell_says_what_to_do_in_the_browser(distribution):
    summary = run(distribution, ROOT / "notebooks" / "index.ipynb")
    printed = [cell.get("printed", "") for cell in summary["cells"] if cell["status"] == "ok"]
    progress = [text for text in printed if "Run All" in text]
    assert len(progress) == 1 and len(progress[0].strip().splitlines()) == 1, printed
    assert "open each one and run it" in progress[0]
    assert summary["exit"] == 0, summary["log"]


# --- the same distribution in a browser's worker (where JupyterLite's kernel runs) -----------

WORKER = """
import { loadPyodide } from "./pyodide/pyodide.mjs";
try {
  const py = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
  await py.loadPackage("micrograd-from-zero");
  py.runPython("import autograd_helpers");  // the Setup cell: Graphviz starts
  await new Promise((resolve) => setTimeout(resolve, 0));  // the next cell: another task
  const bundle = py.runPython(`
from autograd_helpers.graph import draw_dot
from solutions.engine import Value
a, b = Value(2.0, label="a"), Value(-3.0, label="b")
e = a * b
e.label = "e"
draw_dot(e)._repr_mimebundle_()`).toJs({ dict_converter: Object.fromEntries });
  postMessage({ bundle });
} catch (error) {
  postMessage({ error: String(error) });
}
"""
PAGE = """<!doctype html><script>
const worker = new Worker("worker.mjs", { type: "module" });
worker.onmessage = (event) => { window.result = event.data; document.title = "done"; };
worker.onerror = (event) => { window.result = { error: event.message }; document.title = "done"; };
</script>"""


def test_in_chromium_a_worker_draws_with_graphviz_in_webassembly(distribution, tmp_path):
    """In a page's worker, as JupyterLite runs its kernel: the course loads from the
    distribution alone and, one task after its import, draw_dot's graph is an SVG."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        skip_or_fail("chromium not found: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    site = tmp_path / "site"
    shutil.copytree(distribution, site / "pyodide")
    (site / "worker.mjs").write_text(WORKER, encoding="utf-8")
    (site / "index.html").write_text(PAGE, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    requested = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--no-first-run"],
            )  # fmt: skip
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            page.wait_for_function("document.title === 'done'", timeout=300_000)  # hang guard
            result = page.evaluate("window.result")
            browser.close()
    finally:
        server.shutdown()
    assert "error" not in result, result
    bundle = result["bundle"]
    assert set(bundle) == {"text/html", "image/svg+xml"}, bundle.get("text/plain")
    svg = bundle["image/svg+xml"]
    # a, b, e and the "*" node, with e's number as Graphviz writes it
    assert svg.count('class="node"') == 3 + 1 and ">data &#45;6.0000<" in svg, svg[:500]
    # everything came from the page's own server: Graphviz is not fetched from anywhere
    assert requested and all(url.startswith("http://127.0.0.1:") for url in requested), requested
