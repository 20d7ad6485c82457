"""What a grading kernel can import: the probes, never the judges, the instructor's tooling
or a reference answer the notebook does not give itself.

The judges run in the grader's process (tests/test_probes.py); here a learner's cell in the
real sandboxed kernel looks for the rest, by import and by reading every file on its
``sys.path``, and the grader's own run reports what it found.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
import pytest
from notebook_runner import RELEASED, load

from autograd_helpers.instructor.grading import run, sandbox
from autograd_helpers.instructor.grading.rebuild import probed
from autograd_helpers.instructor.grading.submissions import given_answers, load_release

pytestmark = pytest.mark.slow

MODULES = [
    "solutions.engine", "solutions.nn", "autograd_helpers.checks._core",
    "autograd_helpers.checks.value", "autograd_helpers.instructor.grading",
    "autograd_helpers.probes",
]  # fmt: skip
SPY = f"""
import importlib.util, os, sys
for m in {MODULES!r}:
    try:
        found = importlib.util.find_spec(m) is not None
    except ImportError:
        found = False
    print("module", m, found)
import autograd_helpers  # an editable install is found by a hook, not a sys.path entry
for top in sys.path + [os.path.dirname(os.path.dirname(autograd_helpers.__file__))]:
    for folder, dirs, files in os.walk(top or "."):
        parts = folder.split(os.sep)
        if "autograd_helpers" in parts or "solutions" in parts:
            for name in files:
                path = os.path.join(folder, name)
                if name.endswith(".py") and os.access(path, os.R_OK):
                    print("file", "/".join(parts[parts.index(
                        "autograd_helpers" if "autograd_helpers" in parts else "solutions"):]
                    ) + "/" + name)
"""


def holdings(stem: str, kind: str) -> tuple[dict[str, bool], set[str]]:
    """(module -> importable, the course's .py files it can read) as a learner's cell sees
    them (files as ``autograd_helpers/probes/value.py``)."""
    release = load_release(RELEASED)[stem]
    nb = load(RELEASED / f"{stem}.ipynb")
    at = next(i for i, c in enumerate(nb["cells"]) if "setup" in c["metadata"].get("tags", []))
    nb["cells"].insert(at + 1, nbformat.v4.new_code_cell(SPY, id="spy"))
    built = probed(release, nb)
    box = sandbox.choose(kind, [])
    work = Path(tempfile.mkdtemp(prefix="holdings-"))
    work.chmod(0o711)
    try:
        dirs = run.make_run_dir(work)
        result, _ = run.execute(
            built.nb, release.code_cells, box, sandbox.Limits(), dirs, given_answers(release.nb)
        )
    finally:
        run.remove(work)
    assert not result.stopped, result.stopped
    spy = next(c for c in result.cells.values() if "module " in c.stdout)
    modules: dict[str, bool] = {}
    files: set[str] = set()
    for line in spy.stdout.splitlines():
        kind_, _, rest = line.partition(" ")
        if kind_ == "module":
            name, found = rest.split()
            modules[name] = found == "True"
        elif kind_ == "file":
            files.add(rest)
    return modules, files


def _kinds() -> list[str]:
    kinds = ["bwrap"]
    try:  # the user mode needs root, and Python where any user can run it
        sandbox.choose("user", [])
        kinds.append("user")
    except sandbox.SandboxUnavailable:
        pass
    return kinds


KINDS = _kinds()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("stem", ["04_operations", "06_mlp", "07_training"])
def test_a_grading_kernel_holds_no_judge_and_only_the_answers_it_is_given(stem, kind):
    given = given_answers(load_release(RELEASED)[stem].nb)
    modules, files = holdings(stem, kind)
    assert modules["autograd_helpers.probes"], "the probes must be there"
    assert not modules["autograd_helpers.checks._core"]
    assert not modules["autograd_helpers.checks.value"]
    assert not modules["autograd_helpers.instructor.grading"]
    assert modules["solutions.engine"] == ("engine" in given)
    assert modules["solutions.nn"] == ("nn" in given)
    assert "autograd_helpers/probes/value.py" in files
    allowed = {f"solutions/{name}.py" for name in given} | ({"solutions/__init__.py"} & files)
    forbidden = {
        f
        for f in files
        if f.startswith(("autograd_helpers/checks/", "autograd_helpers/instructor/", "solutions/"))
    }
    assert forbidden <= allowed, sorted(forbidden - allowed)


def test_what_each_notebook_is_given():
    given = {stem: given_answers(r.nb) for stem, r in load_release(RELEASED).items()}
    assert all(given[f"0{k}_" + s] == [] for k, s in [(1, "value"), (4, "operations")])
    assert given["06_mlp"] == ["engine"]
    assert given["07_training"] == ["engine", "nn"]
