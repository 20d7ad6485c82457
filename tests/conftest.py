"""Shared pytest helpers for the project's own test suite."""

import collections
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from notebook_runner import HANG_GUARD, ROOT, SOLVED, SOLVED_RUN_GROUP, load, stems


def in_ci() -> bool:
    """True when the CI variable is "true" (set by .ci/run): nothing may be skipped."""
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str):
    """Skip the current test locally, but fail it in CI, where everything must run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this test must run in CI)", pytrace=False)
    pytest.skip(reason)


HOW_TO_INSTALL = {
    "torch": "pip install torch==2.13.0 (CPU build) to run the PyTorch oracle tests",
}


def _require(module_name: str):
    """Import and return a module; skip the test (fail in CI) when it is missing."""
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        how = HOW_TO_INSTALL.get(module_name, f"pip install {module_name}")
        skip_or_fail(f"{module_name} not installed ({error}): {how}")


@pytest.fixture(scope="session")
def require():
    """``torch = require("torch")``: an optional test dependency, skipped if missing.

    Session-scoped so that hypothesis tests may use it.
    """
    return _require


# --- the solved notebooks, run once ---------------------------------------------------------
TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class SolvedRun:
    """``pytest --nbval-lax`` over every solved notebook, and what each cell showed."""

    returncode: int
    stdout: str
    stderr: str
    executed: dict[str, dict]  # stem -> the notebook with nbval's outputs


@pytest.fixture(scope="session")
def solved_run(tmp_path_factory) -> SolvedRun:
    """The contract with learners and the grader, run once for every test that needs it:
    nbval checks every cell of every solved notebook (tests/test_notebooks.py), and the
    outputs it saw are what the prose promises are checked against (tests/test_prose.py)."""
    folder = tmp_path_factory.mktemp("nbval-outputs")
    paths = [str(SOLVED / f"{stem}.ipynb") for stem in stems()]
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "NBVAL_OUTPUTS": str(folder),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])),
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "nbval_outputs",
         "--nbval-lax", "--nbval-kernel-startup-timeout", str(HANG_GUARD), *paths],
        capture_output=True, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    executed = {p.stem: load(p) for p in folder.glob("*.ipynb")}
    return SolvedRun(run.returncode, run.stdout, run.stderr, executed)


# --- running in parallel: `make test` runs `pytest -n N --dist loadgroup` (pytest-xdist) ---
# Tests that share a costly fixture must run on one worker, or each worker pays for it:
# every test using a module- or session-scoped fixture of its own test file joins that
# file's group (the 45-learner class of test_grading, the JupyterLab server of test_browser,
# the blank notebooks of test_notebooks...); the catalogs' tests mark their own group, one
# per notebook. xdist's loadgroup finds groups through a suffix it writes into node ids,
# which pytest 9.2 no longer lets it write (pytest-xdist issue #1386): so the workers write
# the groups to a file and a scheduler of ours (the same LoadScope scheduling) reads them.
# Groups go out largest first; the long ones below go out before all others.
RUN_FIRST = (
    "shared-fixtures-test_grading",
    "shared-fixtures-test_browser",
    SOLVED_RUN_GROUP,
    "alternatives-08_bonus_moons",
)


def _groups(items) -> dict[str, str]:
    """Each item's xdist group (its node id when it has none), marking the shared fixtures'."""
    found = {}
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            info = getattr(item, "_fixtureinfo", None)
            defs = info.name2fixturedefs if info else {}
            if any(
                defs.get(name)
                and defs[name][-1].scope != "function"
                and defs[name][-1].baseid.endswith(".py")  # defined in a test file
                for name in item.fixturenames
            ):
                item.add_marker(pytest.mark.xdist_group(f"shared-fixtures-{item.module.__name__}"))
        names = sorted(str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                       for m in item.iter_markers("xdist_group"))  # fmt: skip
        found[item.nodeid] = "_".join(names) if names else item.nodeid
    return found


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # before -m selects: a test that uses a graded class (test_grading's ``graded``: a whole
    # class run through the sandboxed grader) is slow, wherever it is
    for item in items:
        if "graded" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    groups = _groups(items)
    size = collections.Counter(groups.values())
    order = {name: -i for i, name in enumerate(reversed(RUN_FIRST), 1)}
    position = {item.nodeid: i for i, item in enumerate(items)}
    items.sort(key=lambda it: (order.get(groups[it.nodeid], 0), -size[groups[it.nodeid]],
                               position[it.nodeid]))  # fmt: skip
    folder = getattr(config, "workerinput", {}).get("xdist_groups")
    if folder:  # an xdist worker: tell the scheduler
        path = Path(folder) / f"{config.workerinput['workerid']}.json"
        path.write_text(json.dumps(groups), encoding="utf-8")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    if "not slow" in (config.getoption("markexpr", "") or ""):  # the quick loop
        os.environ["HIDDEN_CASES_QUICK"] = "1"  # hidden_cases.seeds: shorter sweeps
    base = getattr(config, "workerinput", None) and config.option.basetemp
    if base:  # popen-gw0 -> 0: grading's socket paths stay under the 107-byte limit
        config.option.basetemp = str(Path(base).parent / config.workerinput["workerid"][2:])
    if config.pluginmanager.hasplugin("xdist") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_XdistGroups(), "course-xdist-groups")


class _XdistGroups:
    """On the xdist controller: a folder for the workers' groups, and the scheduler."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="xdist-groups-"))

    def pytest_configure_node(self, node):
        node.workerinput["xdist_groups"] = str(self.folder)

    def pytest_xdist_make_scheduler(self, config, log):
        if config.getvalue("dist") != "loadgroup":
            return None
        from xdist.scheduler import LoadGroupScheduling

        folder = self.folder

        class FileGroupScheduling(LoadGroupScheduling):
            groups: dict[str, str] | None = None

            def _split_scope(self, nodeid: str) -> str:
                if self.groups is None:
                    self.groups = {}
                    for path in folder.glob("*.json"):
                        self.groups.update(json.loads(path.read_text(encoding="utf-8")))
                # an id with xdist's own @group suffix (pytest before 9.2): xdist's rule
                return self.groups.get(nodeid) or super()._split_scope(nodeid)

        config.option.loadscopereorder = False  # the workers sent them in order
        return FileGroupScheduling(config, log)

    def pytest_unconfigure(self, config):
        shutil.rmtree(self.folder, ignore_errors=True)
