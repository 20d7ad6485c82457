"""The course in a real browser: JupyterLab started here, driven by Playwright + chromium.

Screenshots go to test-artifacts/. In CI (CI=true) a missing browser fails the test;
elsewhere it skips with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TOKEN = "course-browser-test"


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI: .ci/run installs it)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(folder: Path) -> Path:
    """User settings for the test's JupyterLab: every cell in the DOM, no news pop-up."""
    notebook = folder / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    (notebook / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    apputils = folder / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
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
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(ROOT / "test-artifacts" / "jupyterlab.log", "w") if _mkdir() else None
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(_settings(tmp_path_factory.mktemp("lab-settings"))),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path_factory.mktemp("lab-workspaces")),
    }
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail("JupyterLab exited at start; see test-artifacts/jupyterlab.log")
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    if log:
        log.close()


def _mkdir() -> bool:
    ARTIFACTS.mkdir(exist_ok=True)
    return True


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chrome
        chrome.close()


def open_notebook(browser, lab: str, path: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{lab}/lab/tree/{path}?token={TOKEN}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # wait for the kernel to be ready
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    return page


def run_all(page, shot: str) -> None:
    """Run > Run All Cells, then wait until no cell is queued or running."""
    page.click(".lm-MenuBar-item:has-text('Run')", timeout=10_000)
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click(
        timeout=10_000
    )
    try:
        _wait_until_done(page)
    finally:
        page.wait_for_timeout(1000)  # let outputs (SVG, widgets) render
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)


def _wait_until_done(page, timeout: float = 120) -> None:
    """Until the kernel is idle, no cell is queued ([*]) and that holds for 2 s."""
    prompts = (
        "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"
    )
    idle = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
    deadline, quiet_since = time.time() + timeout, None
    while time.time() < deadline:
        texts = page.evaluate(f"() => {prompts}")
        done = (
            any(re.search(r"\[\d+\]", t) for t in texts)
            and not any("*" in t for t in texts)
            and page.locator(idle).count() > 0
        )
        quiet_since = (quiet_since or time.time()) if done else None
        if quiet_since and time.time() - quiet_since > 2:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the notebook did not finish running within {timeout} s")


def test_blank_notebook_shows_check_cells_collapsed(browser, lab):
    page = open_notebook(browser, lab, "notebooks/01_value.ipynb")
    collapsed = page.locator(".jp-InputPlaceholder")
    page.wait_for_timeout(500)
    titles = page.locator(".jp-InputPlaceholder").all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "01_blank_collapsed.png"), full_page=False)
    assert collapsed.count() == 6, titles  # the setup cell and five check cells
    assert sum("Check:" in t for t in titles) == 5, titles
    assert "Setup" in titles[0], titles
    page.close()


def test_solved_notebook_runs_clean_and_draws_graphs(browser, lab):
    page = open_notebook(browser, lab, "solutions/notebooks/02_visualization.ipynb")
    run_all(page, "02_solved_run.png")
    errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.all_inner_texts()[:3]
    assert page.locator(".jp-RenderedSVG").count() >= 1
    passes = page.locator(".jp-OutputArea-output:has-text('✔')")
    assert passes.count() >= 4
    page.close()


def test_neuron_explorer_sliders_move_the_output(browser, lab):
    page = open_notebook(browser, lab, "solutions/notebooks/05_neuron.ipynb")
    run_all(page, "05_solved_run.png")
    errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.all_inner_texts()[:3]
    explorer = page.locator(".widget-vbox:has-text('move a slider')").first
    explorer.scroll_into_view_if_needed(timeout=30_000)
    sliders = explorer.locator(".widget-slider, .widget-hslider")
    assert sliders.count() >= 5, "the explorer's five sliders did not render"
    result = explorer.locator(".widget-html").first
    before = result.inner_text()
    assert "0.7071" in before, before  # the lecture's o
    handle = sliders.first.locator(".noUi-handle, .ui-slider-handle").first
    handle.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, old]) => el.innerText !== old", arg=[result.element_handle(), before], timeout=15_000
    )
    after = result.inner_text()
    explorer.screenshot(path=str(ARTIFACTS / "05_explorer_moved.png"))
    assert after != before and "0.7071" not in after, (before, after)
    page.close()
