"""The course in a real browser: JupyterLab started here, driven by Playwright + chromium.

Screenshots go to test-artifacts/. In CI (CI=true) a missing browser fails the test;
elsewhere it skips with the reason.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupyterlab_page
import pytest
from jupyterlab_page import CHROMIUM, kernel_ready, last_count, settle, wait_until_done

pytestmark = pytest.mark.slow  # a JupyterLab server and a browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "course-browser-test"
# a graph is readable when its smallest text is at least this tall on screen (CSS px);
# draw_dot aims for 12 px (autograd_helpers.graph.READABLE_PX), the test allows 11
MIN_TEXT_PX = 12  # the smallest graph text a learner must read, in CSS px (issue: 12)
# Every wait below is for an event (an element, the kernel's state, a response, a rendered
# image); these bounds are hang guards only, generous for a machine whose cores are all busy.
PATIENCE_MS = 180_000
START_GUARD_S = 300


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI: .ci/run installs it)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(folder: Path) -> Path:
    """User settings for the test's JupyterLab: every cell in the DOM, no news pop-up, and
    no autosave (a run that outlasts the 120 s autosave would rewrite a solved notebook)."""
    docmanager = folder / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    notebook = folder / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    (notebook / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    apputils = folder / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # the course's own defaults, as `make lab` and Binder install them
    for plugin, values in json.loads((ROOT / "binder" / "overrides.json").read_text()).items():
        package, name = plugin.split(":")
        (folder / package).mkdir(parents=True, exist_ok=True)
        (folder / package / f"{name}.jupyterlab-settings").write_text(json.dumps(values))
    return folder


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving the repository, stopped after the tests."""
    if CHROMIUM is None:
        _missing("chromium not found: apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("playwright not installed: pip install playwright")
    port = _free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.disable_check_xsrf=True", "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: see KERNEL_METADATA_APPLIED
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "jupyterlab.log", "w")
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(_settings(tmp_path_factory.mktemp("lab-settings"))),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path_factory.mktemp("lab-workspaces")),
    }
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_GUARD_S  # a hang guard
    while True:  # until the server answers
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=10)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail("JupyterLab exited at start; see test-artifacts/jupyterlab.log")
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not answer within {START_GUARD_S} s")
            time.sleep(0.2)
    yield base
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()


def expect(*args, **kwargs):
    """Playwright's ``expect`` (imported when used: playwright may be missing)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(*args, **kwargs)


def _eventually(wait) -> None:
    """Run a wait for something a test then asserts; if it never comes, the test's own
    assertion (with its own message) says what is wrong instead of the wait's timeout."""
    from playwright.sync_api import Error

    try:
        wait()
    except (AssertionError, Error):
        pass


@pytest.fixture(scope="module")
def browser(lab):
    with jupyterlab_page.chromium() as chrome:
        yield chrome


def open_notebook(browser, lab: str, path: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PATIENCE_MS)
    page.goto(f"{lab}/lab/tree/{path}?token={TOKEN}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    kernel_ready(page, path)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    return page


def run_all(page, shot: str) -> None:
    """Run > Run All Cells, then wait until every cell ran and what they show is drawn."""
    jupyterlab_page.run_all(page, ARTIFACTS / shot, PATIENCE_MS)


def run_clean(browser, lab, path: str, shot: str):
    """The notebook at ``path`` opened and run (:func:`run_all`), none of its cells failing."""
    page = open_notebook(browser, lab, path)
    run_all(page, shot)
    errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.all_inner_texts()[:3]
    return page


# Every Graphviz drawing in the notebook's outputs (an inline <svg>, or an <img> of an SVG as
# JupyterLab 4 shows image/svg+xml): its width on screen, the width of the column it sits in,
# and the font size of its smallest text on screen (the SVG's font-size times its scale).
MEASURE_GRAPHS = """
() => [...document.querySelectorAll(
        '.jp-OutputArea-output svg, .jp-OutputArea-output img[src^="data:image/svg"]')]
    .map(el => {
        let svg = el;
        if (el.tagName.toLowerCase() === 'img') {
            const text = decodeURIComponent(el.src.slice(el.src.indexOf(',') + 1));
            svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
        }
        return [el, svg];
    })
    .filter(([el, svg]) => el.closest('.jp-Cell') && svg.querySelector('g.graph'))
    .map(([el, svg]) => {
        const box = el.getBoundingClientRect();
        const cell = el.closest('.jp-Cell');
        const column = cell.querySelector('.jp-Cell-outputArea').getBoundingClientRect();
        const output = el.closest('.jp-OutputArea-output');
        const viewBox = (svg.getAttribute('viewBox') || '0 0 0 0').trim().split(/[\\s,]+/);
        const scale = box.width / Number(viewBox[2]);
        const sizes = [...svg.querySelectorAll('text')].map(
            t => parseFloat(t.getAttribute('font-size') || '14'));
        return {
            cell: [...document.querySelectorAll('.jp-Notebook .jp-Cell')].indexOf(cell),
            width: Math.round(box.width), column: Math.round(column.width),
            right: Math.round(box.right), column_right: Math.round(column.right),
            scrolls: output ? output.scrollWidth > output.clientWidth + 1 : false,
            text_px: sizes.length ? Math.min(...sizes) * scale : 0,
            texts: [...svg.querySelectorAll('text')].map(t => t.textContent).join(' '),
        };
    })
"""


def graphs_on_page(page) -> list[dict]:
    return page.evaluate(MEASURE_GRAPHS)


def assert_graphs_fit(graphs: list[dict], name: str) -> None:
    """Each graph is inside its column (no horizontal scrolling) with readable text."""
    assert graphs, f"{name}: no drawn graph found"
    for g in graphs:
        where = f"{name}: the graph in cell {g['cell']} ({g['texts'][:40]}...)"
        assert g["width"] <= g["column"] and g["right"] <= g["column_right"] + 1, (
            f"{where} is {g['width']} px wide in a {g['column']} px column: {g}"
        )
        assert not g["scrolls"], f"{where} scrolls sideways: {g}"
        assert g["text_px"] >= MIN_TEXT_PX, (
            f"{where} has {g['text_px']:.1f} px text, less than {MIN_TEXT_PX} px: {g}"
        )


def shoot_graphs(page, graphs: list[dict], prefix: str) -> None:
    """A screenshot of the window scrolled to each graph (what a learner sees there), and
    the measurements of every graph in ``<prefix>_graphs.json``."""
    (ARTIFACTS / f"{prefix}_graphs.json").write_text(json.dumps(graphs, indent=1))
    for i, g in enumerate(graphs):
        output = page.locator(".jp-Notebook .jp-Cell").nth(g["cell"]).locator(".jp-Cell-outputArea")
        output.first.scroll_into_view_if_needed()
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"{prefix}_graph{i + 1}.png"))


def test_blank_notebook_shows_check_cells_collapsed(browser, lab):
    page = open_notebook(browser, lab, "notebooks/01_value.ipynb")
    collapsed = page.locator(".jp-InputPlaceholder")
    _eventually(lambda: expect(collapsed).to_have_count(6, timeout=PATIENCE_MS))
    settle(page)
    titles = page.locator(".jp-InputPlaceholder").all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "01_blank_collapsed.png"), full_page=False)
    # the file browser shows every notebook's whole name (no "Modified" column)
    names = page.locator(".jp-DirListing-item .jp-DirListing-itemText")
    _eventually(lambda: expect(names.nth(9)).to_be_visible(timeout=PATIENCE_MS))
    cut = names.evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"
    )
    assert cut == [], cut
    assert collapsed.count() == 6, titles  # the setup cell and five check cells
    assert sum("Check:" in t for t in titles) == 5, titles
    assert "Setup" in titles[0], titles
    # opened, a check cell is its title and one short line
    cells = page.locator(".jp-Notebook .jp-Cell")
    at = next(  # a fixed position: a locator by placeholder moves once the cell opens
        i
        for i, c in enumerate(cells.all())
        if any("Check:" in t for t in c.locator(".jp-InputPlaceholder").all_inner_texts())
    )
    check = cells.nth(at)
    check.locator(".jp-InputPlaceholder").first.click()
    lines = check.locator(".cm-line")
    _eventually(lambda: expect(lines.nth(1)).to_be_attached(timeout=PATIENCE_MS))
    assert [ln.strip() for ln in lines.all_inner_texts()] == [
        "# @title Check: the constructor stores data, _prev, _op and label",
        'from autograd_helpers import check; check("01.init")',
    ]
    page.close()


def test_solved_notebook_runs_clean_and_draws_graphs(browser, lab):
    solved = "solutions/notebooks/02_visualization.ipynb"
    page = run_clean(browser, lab, solved, "02_solved_run.png")
    drawn = page.locator(".jp-OutputArea-output svg g.graph")
    _eventually(lambda: expect(drawn.nth(1)).to_be_attached(timeout=PATIENCE_MS))
    assert drawn.count() >= 2
    passes = page.locator(".jp-OutputArea-output:has-text('✔')")
    assert passes.count() >= 4
    mark = page.locator(".jp-OutputArea-output .ansi-green-fg:has-text('✔ 02.')").first
    green = mark.evaluate("el => getComputedStyle(el).color")  # ✔ and its test id, in green
    r, g, b = (int(x) for x in re.findall(r"\d+", green)[:3])
    assert g > 100 and g > r + 40 and g > b + 20, green
    settle(page)
    graphs = graphs_on_page(page)
    shoot_graphs(page, graphs, "02")
    # the learner's own draw_dot draws the lecture's L; the prose asks to read L, d and f
    assert any(" L " in f" {g['texts']} " for g in graphs), graphs
    assert_graphs_fit(graphs, "02")
    # a narrower window (a laptop, the file browser open): the drawings shrink with the column
    page.set_viewport_size({"width": 1000, "height": 1000})
    _eventually(  # until the column has shrunk and the drawings with it
        lambda: page.wait_for_function(
            f"() => window.innerWidth === 1000 && ({MEASURE_GRAPHS})().every("
            "g => g.column < 1000 && g.width <= g.column && !g.scrolls)",
            timeout=PATIENCE_MS,
        )
    )
    settle(page)
    for g in graphs_on_page(page):
        assert g["width"] <= g["column"] and not g["scrolls"], g
    page.close()


def test_backward_notebook_draws_a_graph_that_fits(browser, lab):
    page = run_clean(browser, lab, "solutions/notebooks/03_backward.ipynb", "03_solved_run.png")
    graphs = graphs_on_page(page)
    shoot_graphs(page, graphs, "03")
    assert_graphs_fit(graphs, "03")
    page.close()


def test_neuron_explorer_sliders_move_the_output(browser, lab):
    page = run_clean(browser, lab, "solutions/notebooks/05_neuron.ipynb", "05_solved_run.png")
    explorer = page.locator(".widget-vbox:has-text('move a slider')").first
    explorer.scroll_into_view_if_needed()
    sliders = explorer.locator(".widget-slider, .widget-hslider")
    assert sliders.count() >= 5, "the explorer's five sliders did not render"
    result = explorer.locator(".widget-html").first
    before = result.inner_text()
    assert "0.7071" in before, before  # the lecture's o
    graph = explorer.locator(".widget-output svg g.graph").first
    graph_before = graph.text_content()
    handle = sliders.first.locator(".noUi-handle, .ui-slider-handle").first
    handle.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, old]) => el.innerText !== old", arg=[result.element_handle(), before]
    )
    after = result.inner_text()
    page.wait_for_function(  # the graph is redrawn after the numbers
        """([box, old]) => {
            const graph = box.querySelector('.widget-output svg g.graph');
            return graph !== null && graph.textContent !== old;
        }""",
        arg=[explorer.element_handle(), graph_before],
    )
    settle(page)
    explorer.screenshot(path=str(ARTIFACTS / "05_explorer_moved.png"))
    assert after != before and "0.7071" not in after, (before, after)
    graphs = graphs_on_page(page)
    shoot_graphs(page, graphs, "05")
    # the notebook's drawings of the neuron (n and o on the right) and the explorer's graph
    assert sum(" o " in f" {g['texts']} " for g in graphs) >= 3, graphs
    in_explorer = page.locator(".widget-output svg g.graph")
    assert in_explorer.count() >= 1, "the explorer's graph did not render"
    assert_graphs_fit(graphs, "05")
    page.close()


def _run_cell(page, cell) -> None:
    """Select ``cell`` (a click on its collapsed title shows it) and run it with Shift+Enter."""
    before = last_count(page)
    cell.locator(".jp-InputPlaceholder").first.click()
    page.keyboard.press("Escape")  # command mode: Shift+Enter runs the selected cell
    page.keyboard.press("Shift+Enter")
    wait_until_done(page, before, PATIENCE_MS)


def test_a_failing_check_shows_one_line(browser, lab):
    """A check run before its exercise: one ✘ line, no traceback frames (was ~10 red lines)."""
    page = open_notebook(browser, lab, "notebooks/01_value.ipynb")
    cells = page.locator(".jp-Notebook .jp-Cell")
    titles = [c.locator(".jp-InputPlaceholder").all_inner_texts() for c in cells.all()]
    # fixed positions: the locators must not move when a click expands a collapsed cell
    setup = cells.nth(next(i for i, t in enumerate(titles) if any("Setup" in x for x in t)))
    check = cells.nth(next(i for i, t in enumerate(titles) if any("Check:" in x for x in t)))
    _run_cell(page, setup)
    _run_cell(page, check)
    error = check.locator("[data-mime-type='application/vnd.jupyter.stderr']")
    error.first.wait_for()
    text = error.first.inner_text().strip()
    check.scroll_into_view_if_needed()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "01_failing_check_one_line.png"))
    assert text.startswith("✘ 01.init — "), text
    assert len(text.splitlines()) <= 2, text  # wrapped between words, not a traceback
    assert "Traceback" not in text and "_core.py" not in text
    mark = check.locator(".ansi-red-fg").first  # the ✘ and the test id, in red
    assert mark.inner_text().strip() == "✘ 01.init"
    red = mark.evaluate("el => getComputedStyle(el).color")
    r, g, b = (int(x) for x in re.findall(r"\d+", red)[:3])
    assert r > 150 and g < 100 and b < 100, red
    page.close()


def test_index_link_opens_the_index_and_sections_link_the_lecture(browser, lab):
    page = open_notebook(browser, lab, "notebooks/01_value.ipynb")
    lecture = page.locator(".jp-RenderedMarkdown a[href*='youtu.be/VMj-3S1tku0?t=1149']")
    assert lecture.count() >= 1, "01's first section links the lecture at 00:19:09"
    assert "00:19:09" in lecture.first.inner_text()
    page.locator(".jp-RenderedMarkdown a", has_text=re.compile(r"^index$")).first.click()
    index = page.locator(".jp-Notebook:visible .jp-RenderedMarkdown h1:has-text('index')")
    index.wait_for()
    table = page.locator(".jp-Notebook:visible .jp-RenderedMarkdown table a")
    notebooks = page.locator(".jp-Notebook:visible .jp-RenderedMarkdown table a[href*='.ipynb']")
    _eventually(lambda: expect(notebooks.nth(9)).to_be_attached(timeout=PATIENCE_MS))
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "index_opened.png"))
    hrefs = [a.get_attribute("href") or "" for a in table.all()]
    local = [  # JupyterLab serves the table's relative links from this server
        h for h in hrefs if h.startswith(lab) and h.split("?")[0].endswith(".ipynb")
    ]
    assert len(local) == 10, hrefs  # each notebook's own row (besides Colab, Binder, browser)
    assert any("youtu.be/VMj-3S1tku0?t=" in h for h in hrefs), hrefs
    page.close()


# --- saving: the files are stored exactly as JupyterLab saves them ---------------------------

# Once the kernel's kernel_info reply and its spec arrive, the notebook panel writes the
# kernel's language_info and kernelspec into the notebook's metadata (the model turns dirty if
# they differ from the file's). The idle indicator can come before that reply, so wait for the
# very promises the panel waits for: its handlers were attached first and so have run when
# they resolve here; two animation frames later the tab bar shows the result.
KERNEL_METADATA_APPLIED = """
async path => {
    const panel = [...window.jupyterapp.shell.widgets('main')].find(
        w => w.context && w.context.path === path);
    await panel.context.ready;
    await panel.sessionContext.ready;
    const kernel = panel.sessionContext.session.kernel;
    const info = await kernel.info;
    await kernel.spec;
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    return {
        dirty: panel.context.model.dirty,
        language_info: info.language_info,
        metadata: panel.context.model.sharedModel.getMetadata(),
    };
}
"""


def _fresh_copy(source: Path, folder: str) -> Path:
    """``source`` copied byte for byte into an emptied test-artifacts/<folder>/."""
    target = ARTIFACTS / folder
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    copy = target / source.name
    copy.write_bytes(source.read_bytes())
    return copy


def _tab(page, name: str):
    """The main area's tab of the document ``name``."""
    label = page.locator(".lm-TabBar-tabLabel", has_text=re.compile(rf"^{re.escape(name)}$"))
    return page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has=label)


def _dirty(tab) -> bool:
    return "jp-mod-dirty" in (tab.get_attribute("class") or "").split()


def _close_asks_to_save(page, name: str) -> str:
    """Close the tab of ``name``; the text of the dialog that asks to save it, or "" (closed).

    A dialog is answered with Cancel, so the document stays open."""
    _tab(page, name).locator(".lm-TabBar-tabCloseIcon").click()
    page.wait_for_function(
        """name => document.querySelector('.jp-Dialog') || ![...document.querySelectorAll(
               '.lm-DockPanel-tabBar .lm-TabBar-tabLabel')].some(l => l.textContent === name)""",
        arg=name,
    )
    dialog = page.locator(".jp-Dialog")
    if not dialog.count():
        return ""
    text = dialog.inner_text()
    dialog.locator("button", has_text=re.compile(r"^Cancel$")).click()
    dialog.wait_for(state="detached")
    return text


def save_through_menu(page, name: str) -> dict:
    """File > Save Notebook; returns the contents API's answer once the server has written."""
    with page.expect_response(
        lambda r: r.request.method == "PUT" and "/api/contents/" in r.url
    ) as answer:
        page.click(".lm-MenuBar-item:has-text('File')")
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Save Notebook$")).click()
    response = answer.value
    assert response.ok, f"saving {name}: HTTP {response.status} {response.text()[:300]}"
    expect(_tab(page, name)).not_to_have_class(re.compile(r"\bjp-mod-dirty\b"), timeout=PATIENCE_MS)
    return response.json()


def _diff(before: bytes, after: bytes, name: str) -> str:
    lines = difflib.unified_diff(
        before.decode("utf-8").splitlines(keepends=True),
        after.decode("utf-8").splitlines(keepends=True),
        f"{name} (as stored)",
        f"{name} (saved by JupyterLab)",
    )
    return "".join(list(lines)[:300])


@pytest.mark.parametrize(
    "source",
    ["notebooks/01_value.ipynb", "solutions/notebooks/03_backward.ipynb"],
    ids=["released", "solved"],
)
def test_saving_an_untouched_notebook_changes_nothing(browser, lab, source):
    """Open, wait for the kernel, save: the bytes are the stored ones (`git diff` is empty)."""
    original = (ROOT / source).read_bytes()
    kind = "released" if source.startswith("notebooks/") else "solved"
    copy = _fresh_copy(ROOT / source, f"saved-untouched-{kind}")
    path, name = copy.relative_to(ROOT).as_posix(), copy.name
    page = open_notebook(browser, lab, path)
    state = page.evaluate(KERNEL_METADATA_APPLIED, path)
    tab = _tab(page, name)
    page.screenshot(path=str(ARTIFACTS / f"saved_untouched_{kind}_dirty_check.png"))
    problems = []
    if _dirty(tab) or state["dirty"]:
        problems.append(
            f"opening marks it changed (tab dirty: {_dirty(tab)}, model dirty: "
            f"{state['dirty']}); the kernel's language_info is {state['language_info']}, "
            f"the notebook's metadata is now {state['metadata']}"
        )
    asked = _close_asks_to_save(page, name)
    if asked:
        problems.append(f"closing the untouched tab asks to save it: {asked!r}")
    else:  # closed without a question: open it again to save it
        page.close()
        page = open_notebook(browser, lab, path)
        page.evaluate(KERNEL_METADATA_APPLIED, path)
    saved = save_through_menu(page, name)
    page.close()
    after = copy.read_bytes()
    if after != original:
        problems.append(f"saving changed the file:\n{_diff(original, after, source)}")
    assert saved["path"] == path, saved
    assert not problems, f"{source}:\n" + "\n".join(problems)


def test_a_notebook_saved_by_jupyterlab_gets_full_marks(browser, lab):
    """The solved 01, run and saved in JupyterLab, passes every check; kept for the forms."""
    copy = _fresh_copy(ROOT / "solutions/notebooks/01_value.ipynb", "jupyterlab-saved")
    path, name = copy.relative_to(ROOT).as_posix(), copy.name
    page = run_clean(browser, lab, path, "jupyterlab_saved_01_run.png")
    save_through_menu(page, name)
    page.close()
    forms = ARTIFACTS / "forms"
    forms.mkdir(exist_ok=True)
    kept = forms / "jupyterlab_01_value.ipynb"
    kept.write_bytes(copy.read_bytes())
    nb = json.loads(kept.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        assert isinstance(cell["source"], list), f"cell {cell['id']}: source is not a list of lines"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) == 10, [c["id"] for c in code]  # setup, 4 exercises, 5 checks
    for cell in code:  # each of 01's code cells prints or shows something
        assert isinstance(cell["execution_count"], int), f"cell {cell['id']} did not run"
        assert cell["outputs"], f"cell {cell['id']} was saved without its output"
    result = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", "check", str(copy)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    report = f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "01_value: 5/5 ✔ all checks pass" in result.stdout.splitlines(), report
    assert result.returncode == 0, report
