"""The course in the browser: the JupyterLite site (``make lite``) served on 127.0.0.1 and
driven in Chromium by Playwright, with no network beyond this machine.

The site is built once per module, as ``make lite`` builds it (lite/distribution.py, then
lite/build_site.py), into a temporary folder. Screenshots and the bytes a cold start
downloads go to test-artifacts/. In CI (CI=true) a missing prerequisite (chromium,
playwright, the [lite] extra, what ``make lite-deps`` fetches) fails the test; elsewhere it
skips with the reason. The quick tests at the end need none of them.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import jupyterlab_page
import notebook_forms
import pytest
import yaml
from jupyterlab_page import CHROMIUM, kernel_ready, settle

from autograd_helpers import course

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SOLVED = ROOT / "solutions" / "notebooks"
# Every wait is for an event (an element, the kernel's state); these bounds are hang guards
# only: a cold start of Pyodide on a machine whose cores are all busy takes a minute.
PATIENCE_MS = 300_000


def _load_build_site():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "lite" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_site = _load_build_site()


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI: .ci/run provides it)")
    pytest.skip(reason)


# --- the site, built and served ----------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site as ``make lite`` builds it, in a temporary folder."""
    if CHROMIUM is None:
        _missing("chromium not found: apt-get install chromium")
    if importlib.util.find_spec("playwright") is None:
        _missing("playwright not installed: pip install playwright")
    if importlib.util.find_spec("jupyterlite_core") is None:
        _missing('JupyterLite not installed: make lite-deps (pip install -e ".[lite]")')
    folder = tmp_path_factory.mktemp("lite")
    distribution = folder / "pyodide"
    run = subprocess.run(
        [sys.executable, "lite/distribution.py", str(distribution)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if run.returncode != 0:
        said = (run.stdout + run.stderr).strip()[-1500:]
        if "make lite-deps" in said:  # what it is built from was never fetched
            _missing(f"the Pyodide distribution cannot be built: {said}")
        pytest.fail(f"lite/distribution.py failed:\n{said}")
    build_site.build(folder / "site", distribution)
    site = folder / "site"
    # window.jupyterapp, for the test's waits on the kernel (the site itself does not expose it)
    config_path = site / "jupyter-lite.json"
    config = json.loads(config_path.read_text())
    config["jupyter-config-data"]["exposeAppInBrowser"] = True
    config_path.write_text(json.dumps(config))
    return site


class Served:
    """What the server sent: (path, bytes) per response, in order."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.responses: list[tuple[str, int]] = []

    def mark(self) -> int:
        with self.lock:
            return len(self.responses)

    def since(self, mark: int) -> list[tuple[str, int]]:
        with self.lock:
            return list(self.responses[mark:])


def _handler(directory: Path, served: Served):
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".mjs": "text/javascript",
            ".js": "text/javascript",
            ".wasm": "application/wasm",
            ".json": "application/json",
        }

        def send_header(self, keyword, value):
            if keyword.lower() == "content-length":
                with served.lock:
                    served.responses.append((urlparse(self.path).path, int(value)))
            super().send_header(keyword, value)

        def log_message(self, *args):  # quiet: the responses are recorded above
            pass

    return functools.partial(Handler, directory=str(directory))


@pytest.fixture(scope="module")
def server(site):
    """The site on http://127.0.0.1:<free port>/, as any static web server would serve it."""
    served = Served()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, served))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", served
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(server):
    with jupyterlab_page.chromium() as chrome:
        yield chrome


def _new_page(browser, outside: list):
    """A page in a fresh context (empty cache and storage: a learner's first visit). Requests
    that would leave 127.0.0.1 are refused and listed in ``outside`` (kind, url)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def only_local(route):
        url = urlparse(route.request.url)
        if url.hostname == "127.0.0.1" or url.scheme in ("data", "blob"):
            route.continue_()
        else:
            outside.append((route.request.resource_type, route.request.url))
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(PATIENCE_MS)
    return page


def open_notebook(page, base: str, name: str) -> str:
    """Open ``name`` (a file of the site) in JupyterLab; until its kernel is idle. Returns
    what happened at the start: "ready", or "asked" (JupyterLab asked for a kernel). The
    address is the notebook's "Run in your browser" link, on this server."""
    link = course.lite_url(f"notebooks/{name}")
    page.goto(f"{base}/{link.removeprefix(course.pages_url())}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    return kernel_ready(page, name)


def shown(page, selector: str):
    """``selector`` in the notebook shown (other notebooks' tabs stay in the page, hidden)."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").locator(selector)


def run_all(page, shot: str) -> None:
    """Run > Run All Cells; until every cell ran. A screenshot of the page in any case."""
    jupyterlab_page.run_all(page, ARTIFACTS / shot, PATIENCE_MS)


# The stored notebook ``name`` holds ``text`` (read through JupyterLite's contents service).
STORED_HOLDS = """
async ([name, text]) => {
    const model = await window.jupyterapp.serviceManager.contents.get(name, {content: true});
    return JSON.stringify(model.content).includes(text);
}
"""


def run_solved(page, base: str, stem: str) -> None:
    """The solved notebook ``stem`` (uploaded) opened and run: no error, every check ✔."""
    open_notebook(page, base, f"{stem}.ipynb")
    run_all(page, f"lite_{stem[:2]}_solved_run.png")
    outputs = shown(page, ".jp-OutputArea-output").all_text_contents()
    errors = shown(page, "[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.all_text_contents()[:3]
    for test_id in _test_ids(SOLVED / f"{stem}.ipynb"):
        assert any(o.strip().startswith(f"✔ {test_id} ") for o in outputs), (test_id, outputs)


def upload(page, notebook: Path) -> None:
    """Upload ``notebook`` through the file browser's Upload button (how a learner brings back
    a downloaded notebook), overwriting the site's file of that name; until it is stored."""
    button = page.locator(".jp-FileBrowser-toolbar jp-button[title='Upload Files']")
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(str(notebook))
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for()  # the site has a notebook of that name: "File Overwrite?"
    assert "Overwrite" in dialog.inner_text(), dialog.inner_text()
    dialog.locator(".jp-mod-accept").click()
    dialog.wait_for(state="detached")
    page.wait_for_function(STORED_HOLDS, arg=[notebook.name, "### BEGIN SOLUTION"])


def download(page, folder: Path) -> dict:
    """File > Download of the notebook shown: the file the browser saves, read as JSON."""
    page.click(".lm-MenuBar-item:has-text('File')")
    with page.expect_download() as downloading:
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Download$")).click()
    target = folder / downloading.value.suggested_filename
    downloading.value.save_as(target)
    assert target.name == "01_value.ipynb" or target.suffix == ".ipynb", target.name
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(target, ARTIFACTS / f"lite_downloaded_{target.name}")  # to read and compare
    return json.loads(target.read_text(encoding="utf-8"))


def _not_badges(outside: list) -> list:
    """The requests to outside 127.0.0.1 that are not for an image of the notebooks' markdown
    (the Colab, Binder and browser badges: JupyterLab fetches them; offline they are not
    shown, and nothing else depends on them)."""
    images = set()
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                images |= set(re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", "".join(cell["source"])))
    return [(kind, url) for kind, url in outside if url not in images]


def _form(nb: dict) -> tuple:
    """What makes a file JupyterLite's: key order, the kernel it names, how sources are kept."""
    cells = [
        (list(cell), type(cell["source"]).__name__, cell["metadata"].get("trusted"))
        for cell in nb["cells"]
    ]
    metadata = nb["metadata"]
    return list(nb), metadata["kernelspec"], metadata["language_info"], cells


def _test_ids(notebook: Path) -> list[str]:
    """The test ids of a notebook's check cells, read from the notebook file itself."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [c["metadata"]["autograd_course"]["test_id"] for c in cells
            if "autograd_course" in c.get("metadata", {})]  # fmt: skip


# --- the tests in the browser ------------------------------------------------------------------


@pytest.mark.slow
def test_the_site_opens_on_the_index_with_the_browser_notes(browser, server):
    base, served = server
    outside: list = []
    page = _new_page(browser, outside)
    page.goto(f"{base}/")  # the address every "Run in your browser" link starts from
    current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    current.filter(has_text="index.ipynb").wait_for()
    heading = page.locator(".jp-RenderedMarkdown h2", has_text="In your browser")
    heading.first.wait_for()
    heading.first.scroll_into_view_if_needed()
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lite_index.png"))
    assert "lab/index.html" in page.url, page.url
    listed = page.locator(".jp-DirListing-item .jp-DirListing-itemText").all_inner_texts()
    assert {"index.ipynb", "01_value.ipynb", "09_bonus_exercises.ipynb"} <= set(listed), listed
    # the index tells how to hand a notebook in: File > Download is there
    page.click(".lm-MenuBar-item:has-text('File')")
    items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert "Download" in items, items
    page.keyboard.press("Escape")
    assert _not_badges(outside) == [], "the site fetched from outside 127.0.0.1"
    page.context.close()


@pytest.mark.slow
def test_solved_01_and_02_pass_their_checks_and_02_draws_its_graphs(browser, server, tmp_path):
    base, served = server
    outside: list = []
    page = _new_page(browser, outside)
    # a learner's first visit: the site and a cold kernel, until it is idle
    first_visit, started = served.mark(), time.monotonic()
    asked = open_notebook(page, base, "01_value.ipynb")
    measure_first_visit(served.since(first_visit), asked, time.monotonic() - started)
    for stem in ("01_value", "02_visualization"):  # the solved notebooks, uploaded
        upload(page, SOLVED / f"{stem}.ipynb")

    run_solved(page, base, "01_value")
    # File > Download, as the index says to hand a notebook in: the file keeps the outputs,
    # and the course's own check (the grader's way: a fresh local kernel) gives it full marks
    handed_in = download(page, tmp_path)
    made = json.loads(
        notebook_forms.jupyterlite(json.loads(SOLVED.joinpath("01_value.ipynb").read_text()))
    )
    assert _form(made) == _form(handed_in)  # the graders' tests use that form (notebook_forms)
    printed = "".join(
        "".join(o.get("text", "")) for c in handed_in["cells"] for o in c.get("outputs", [])
    )
    printed = re.sub(r"\x1b\[[0-9;]*m", "", printed)  # the ✔ lines' colours
    for test_id in _test_ids(SOLVED / "01_value.ipynb"):
        assert f"✔ {test_id} " in printed, test_id
    checked = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", "check", "01_value.ipynb"],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    count = len(_test_ids(SOLVED / "01_value.ipynb"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"01_value: {count}/{count} ✔ all checks pass" in checked.stdout, checked.stdout

    run_solved(page, base, "02_visualization")
    graphs = shown(page, ".jp-OutputArea-output svg g.graph")
    drawn = graphs.count()
    if drawn:
        graphs.first.scroll_into_view_if_needed()
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "lite_02_graph.png"))
    texts = [" ".join(g.split()) for g in graphs.all_text_contents()]
    assert asked == "ready", "JupyterLab asked which kernel to use for a course notebook"
    assert _not_badges(outside) == [], "the site fetched from outside 127.0.0.1"
    assert drawn >= 2, f"02 shows {drawn} drawn graphs (SVG), expected at least 2"
    # the learner's own draw_dot draws the lecture's L: its record "L | data -8.0000 | ..."
    assert any(re.search(r"\bL\b.*-8\.0000", t) for t in texts), texts
    page.context.close()


def measure_first_visit(responses: list[tuple[str, int]], asked: str, seconds: float) -> None:
    """What a first visit downloads until the kernel is idle, by part, in
    test-artifacts/lite_first_visit.json (and printed); the time it took is recorded, never
    asserted (it depends on the machine's load)."""
    parts = {"pyodide": 0, "wheels": 0, "jupyterlab": 0}
    for path, size in responses:
        if path.endswith(".whl"):
            parts["wheels"] += size
        elif "/static/pyodide/" in path:
            parts["pyodide"] += size
        else:
            parts["jupyterlab"] += size
    measured = {
        "total_bytes": sum(parts.values()),
        "requests": len(responses),
        "bytes_by_part": parts,
        "largest": sorted(responses, key=lambda r: -r[1])[:10],
        "asked_for_a_kernel": asked == "asked",
        "seconds_until_the_kernel_is_idle": round(seconds, 1),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "lite_first_visit.json").write_text(json.dumps(measured, indent=1))
    print(f"lite first visit: {json.dumps(measured)}")


# --- quick: the site's configuration, the Pages workflow --------------------------------------


def _release(tmp_path: Path, files: dict[str, bytes], depends: dict[str, list[str]]):
    """A Pyodide release folder: ``files`` and a lock listing them (name = file's stem)."""
    release = tmp_path / "release"
    release.mkdir()
    packages = {}
    for name, data in files.items():
        (release / f"{name}.whl").write_bytes(data)
        packages[name] = {
            "file_name": f"{name}.whl",
            "sha256": hashlib.sha256(data).hexdigest(),
            "depends": depends.get(name, []),
        }
    lock = {"info": {"version": "314.0.6", "abi_version": "2026_0"}, "packages": packages}
    (release / "pyodide-lock.json").write_text(json.dumps(lock))
    return release, lock


def test_the_release_packages_are_those_the_notebooks_import_with_their_dependencies(tmp_path):
    files = {n: n.encode() * 3 for n in ("numpy", "matplotlib", "pillow", "scipy", "course")}
    depends = {"matplotlib": ["numpy", "pillow"], "scipy": ["numpy"]}
    release, lock = _release(tmp_path, files, depends)
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "course.whl").write_bytes(b"course" * 3)
    (ours / "pyodide-lock.json").write_text(json.dumps(lock))
    assert build_site.add_release_packages(ours, release) == [
        "matplotlib.whl", "numpy.whl", "pillow.whl",
    ]  # fmt: skip
    assert not (ours / "scipy.whl").exists()  # no notebook imports it
    assert (ours / "pillow.whl").read_bytes() == files["pillow"]


def test_a_release_file_that_is_not_the_locks_is_refused(tmp_path):
    release, lock = _release(tmp_path, {"numpy": b"n", "matplotlib": b"m"}, {})
    (release / "numpy.whl").write_bytes(b"tampered")
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "pyodide-lock.json").write_text(json.dumps(lock))
    with pytest.raises(build_site.SiteError, match="sha256 differs"):
        build_site.add_release_packages(ours, release)
    lock["info"]["version"] = "314.0.5"
    (ours / "pyodide-lock.json").write_text(json.dumps(lock))
    with pytest.raises(build_site.SiteError, match="version 314.0.6, the distribution's 314.0.5"):
        build_site.add_release_packages(ours, release)
    del lock["info"]["version"]  # as in npm's lock: the Python and ABI still have to agree
    lock["info"]["abi_version"] = "2025_0"
    (ours / "pyodide-lock.json").write_text(json.dumps(lock))
    with pytest.raises(build_site.SiteError, match="abi_version 2026_0, the distribution's 2025_0"):
        build_site.add_release_packages(ours, release)


def test_a_distribution_without_the_course_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(build_site.SiteError, match="make lite-deps"):
        build_site.check_distribution(tmp_path / "nowhere")
    (tmp_path / "pyodide.mjs").write_text("")
    (tmp_path / "pyodide-lock.json").write_text(json.dumps({"packages": {}}))
    with pytest.raises(build_site.SiteError, match="no package 'micrograd-from-zero'"):
        build_site.check_distribution(tmp_path)


def test_the_site_preloads_the_course_and_opens_on_the_index():
    assert build_site.preloaded_packages() == ["micrograd-from-zero"]
    assert 'location.replace("lab/index.html?path=index.ipynb")' in build_site.START_PAGE
    options = json.loads((ROOT / "lite" / "site" / "jupyter_lite_config.json").read_text())
    assert options["LiteBuildConfig"]["no_sourcemaps"] is True


def _imported_modules() -> set[str]:
    """The top-level modules the course's code and the solved notebooks import."""
    import ast

    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "autograd_helpers").rglob("*.py")
               if "instructor" not in p.parts]  # fmt: skip
    sources += [p.read_text(encoding="utf-8") for p in (ROOT / "solutions").glob("*.py")]
    for notebook in SOLVED.glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                sources.append("\n".join(ln for ln in lines if ln.lstrip()[:1] not in "%!"))
    found = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


def test_every_module_the_notebooks_import_is_on_the_site_or_optional():
    """What the course imports comes with Python, with the distribution's wheels
    (lite/requirements.txt), from Pyodide itself, or from Pyodide's release (FROM_RELEASE,
    on the deployed site); torch stays optional (its cells are skipped without it)."""
    lines = (ROOT / "lite" / "requirements.txt").read_text().splitlines()
    wheels = {ln.split("==")[0].lower() for ln in lines if ln and not ln.startswith("#")}
    course = {"autograd_helpers", "solutions"}
    pyodide = {"js", "pyodide", "pyodide_js"}  # Pyodide's own modules
    optional = {"torch"}
    third_party = {m for m in _imported_modules() if m not in sys.stdlib_module_names}
    unknown = {
        m for m in third_party - course - pyodide - optional - set(build_site.FROM_RELEASE)
        if m.lower() not in wheels
    }  # fmt: skip
    assert unknown == set(), f"imported, but not in the site: {unknown}"
    assert set(build_site.FROM_RELEASE) <= third_party  # each one is needed


def _make_variables() -> dict[str, str]:
    """Make's variables as ``make -pn`` prints them (name -> value)."""
    run = subprocess.run(["make", "-pn", "lite"], cwd=ROOT, capture_output=True, text=True)
    found = {}
    for line in run.stdout.splitlines():
        m = re.match(r"^([A-Z_]+) [:?]?= ?(.*)$", line)
        if m:
            found[m[1]] = m[2].strip()
    return found


def test_the_pages_workflow_runs_the_make_targets_and_publishes_the_site():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [s["run"] for s in build["steps"] if "run" in s]
    uses = [s["uses"].split("@")[0] for s in build["steps"] if "uses" in s]
    assert uses[-2:] == ["actions/configure-pages", "actions/upload-pages-artifact"], uses
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["needs"] == "build"
    variables = _make_variables()
    published = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert published["with"]["path"] == variables["LITE_OUT"], variables.get("LITE_OUT")
    # every step is a make target of the Makefile, with its variables: make -n accepts it
    assert runs == [
        "make lite-deps",
        "make pyodide-release",
        f"make lite PYODIDE_RELEASE={variables['PYODIDE_RELEASE_DIR']}/pyodide",
    ], runs
    for command in runs:
        dry = subprocess.run([*command.split()[:1], "-n", *command.split()[1:]], cwd=ROOT,
                             capture_output=True, text=True)  # fmt: skip
        assert dry.returncode == 0, (command, dry.stderr)


def test_the_build_command_says_what_is_missing(tmp_path, capsys):
    assert build_site.main([str(tmp_path / "site"), "--pyodide", str(tmp_path / "none")]) == 1
    said = capsys.readouterr().err
    assert said.startswith("lite: no Pyodide distribution at") and "make lite-deps" in said
    assert not (tmp_path / "site").exists()
