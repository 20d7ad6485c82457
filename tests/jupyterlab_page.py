"""Driving JupyterLab in Chromium with Playwright: what the browser tests share, whether the
page is served by a JupyterLab server (tests/test_browser.py) or is the JupyterLite site
(tests/test_lite_site.py). Every wait is for an event in the page; the time limits the
callers pass are hang guards only."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


# The kernel of the notebook ``path`` is connected and idle, or JupyterLab asks which kernel
# to use (on a cold start): whichever comes first.
KERNEL_READY_OR_ASKED = """
path => {
    const dialog = document.querySelector('.jp-Dialog');
    if (dialog && dialog.textContent.includes('Select Kernel')) return 'asked';
    if (!window.jupyterapp) return false;
    const panel = [...window.jupyterapp.shell.widgets('main')].find(
        w => w.context && w.context.path === path);
    const session = panel && panel.sessionContext.session;
    const kernel = session && session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
        && 'ready';
}
"""

# Fonts loaded, every image decoded, and two frames drawn: what the page shows is laid out.
SETTLED = """
async () => {
    await document.fonts.ready;
    await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    return true;
}
"""

PROMPTS = "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"
LAST_COUNT = (
    f"() => Math.max(0, ...{PROMPTS}.map(t => Number((t.match(/\\[(\\d+)\\]/) || [0, 0])[1])))"
)
# Cells queued or running show [*] (all of them, as soon as they are queued); done when none
# does, the kernel is idle, and a cell ran that had not when the cells were started.
DONE = f"""
before => ({LAST_COUNT})() > before && !{PROMPTS}.some(t => t.includes('*'))
    && !!document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
"""


def settle(page) -> None:
    """Until what the page shows is drawn (for measurements and screenshots)."""
    page.evaluate(SETTLED)


def kernel_ready(page, path: str) -> str:
    """Until the kernel of the open notebook ``path`` is idle, taking the notebook's own
    kernel when JupyterLab asks for one. Returns "ready", or "asked" when it asked."""
    state = page.wait_for_function(KERNEL_READY_OR_ASKED, arg=path).json_value()
    if state == "asked":
        page.locator(".jp-Dialog:has-text('Select Kernel') .jp-mod-accept").first.click()
        page.wait_for_selector(".jp-Dialog", state="detached")
        page.wait_for_function(f"path => ({KERNEL_READY_OR_ASKED})(path) === 'ready'", arg=path)
    return state


def last_count(page) -> int:
    """The highest execution count the notebook shows ([3] -> 3; 0 when none ran)."""
    return page.evaluate(LAST_COUNT)


def wait_until_done(page, before: int, timeout_ms: int) -> None:
    """Until no cell is queued or running and one ran after ``before`` (see DONE)."""
    try:
        page.wait_for_function(DONE, arg=before, timeout=timeout_ms)
    except Exception as error:  # playwright's TimeoutError: say what the page shows
        prompts = page.evaluate(f"() => {PROMPTS}")
        raise AssertionError(f"the cells did not finish running (a hang?): {prompts}") from error


def run_all(page, screenshot: Path, timeout_ms: int) -> None:
    """Run > Run All Cells; until every cell ran and what they show is drawn. A screenshot
    of the whole page goes to ``screenshot`` in any case."""
    before = last_count(page)
    page.click(".lm-MenuBar-item:has-text('Run')")
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    try:
        wait_until_done(page, before, timeout_ms)
    finally:
        settle(page)
        screenshot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
