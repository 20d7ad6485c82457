"""Execute notebooks (in a fresh kernel, or many variants in one) and read their check cells."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLVED = ROOT / "solutions" / "notebooks"
RELEASED = ROOT / "notebooks"
SOLVED_RUN_GROUP = "solved-notebooks-run"  # xdist group of the tests using conftest's solved_run
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Seconds a cell, or a kernel's start, may take before the run is given up: a hang guard,
# never a limit under test (no honest cell comes near it, on however busy a machine).
HANG_GUARD = 600


def load(path: Path) -> dict:
    """A notebook as nbformat reads it (each cell's source one string), as plain dicts."""
    return json.loads(json.dumps(nbformat.read(path, as_version=4)))


def gradescope_run(autograder: Path, root: Path, env=None) -> subprocess.CompletedProcess:
    """Gradescope's run_autograder in ``root``, laid out as Gradescope lays it out: the
    autograder unpacked into source/, the learner's files already in submission/."""
    with zipfile.ZipFile(autograder) as zf:
        zf.extractall(root / "source")
    return subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.gradescope", "run",
         "--root", str(root)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip


def stems() -> list[str]:
    return sorted(p.stem for p in SOLVED.glob("[0-9][0-9]_*.ipynb"))


def execute(nb: dict, timeout: int = HANG_GUARD) -> dict:
    """Run every cell (errors do not stop the run) and return the executed copy."""
    node = nbformat.from_dict(copy.deepcopy(nb))
    NotebookClient(
        node,
        timeout=timeout,
        startup_timeout=HANG_GUARD,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(SOLVED)}},
        shutdown_kernel="immediate",  # nothing to save: do not wait for a polite exit
    ).execute()
    return json.loads(nbformat.writes(node))


def added(nb: dict, code: str, after: str = "setup", count: int = 1) -> dict:
    """``nb`` with ``count`` code cells of ``code`` (a learner's own) after the cell ``after``."""
    nb = copy.deepcopy(nb)
    at = next(i for i, c in enumerate(nb["cells"]) if c["id"] == after)
    first = len(nb["cells"])  # ids not yet taken, whatever was added before
    cells = [nbformat.v4.new_code_cell(code, id=f"mine-{first + k}") for k in range(count)]
    nb["cells"][at + 1 : at + 1] = cells
    return nb


def check_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if "hidden-test" in c.get("metadata", {}).get("tags", [])]


def check_id(cell: dict) -> str:
    return cell["metadata"]["autograd_course"]["test_id"]


def outcome(cell: dict) -> tuple[bool, str]:
    """(passed, text): the error's message when the cell raised, else what it printed."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return False, ANSI.sub("", f"{out['ename']}: {out['evalue']}")
    text = "".join(
        "".join(o.get("text", ""))
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    return True, text


def outcomes(executed: dict) -> dict[str, tuple[bool, str]]:
    return {check_id(c): outcome(c) for c in check_cells(executed)}


def errors_outside_checks(executed: dict) -> list[str]:
    """Errors raised by cells that are not check cells (a solved notebook has none)."""
    found = []
    for cell in executed["cells"]:
        if cell["cell_type"] != "code" or cell in check_cells(executed):
            continue
        ok, text = outcome(cell)
        if not ok:
            found.append(f"cell {cell.get('id')}: {text}")
    return found


# --- one kernel for many runs -------------------------------------------------------------
# Starting a kernel and importing the course costs more than most catalog entries' cells.
# A SharedKernel runs many variants of one notebook in one kernel, each from a cleared
# namespace and from its first cell. Only process-wide state could leak from one run into
# the next; a guard inside the kernel fingerprints it (the course's modules and classes,
# the standard library the checks use, IPython's hooks, gc, sys.path, cwd, environment...)
# and any change means a fresh kernel before the next run (the course's classes are put back
# first: 09 patches Value as it asks, and only what is left after that counts); so does a
# watched module first imported by a variant (the next kernels import it at warm-up).
# Checked once over the whole mistake catalog: the same checks pass and fail as with one
# fresh kernel per mistake. FRESH_KERNELS=1 runs every variant in its own kernel instead.

_GUARD_MODULE = "__import__('sys').modules['_notebook_runner_guard']"
# the guard's code: tests/kernel_guard.py, run in the kernel as a module of its own
_GUARD = (Path(__file__).parent / "kernel_guard.py").read_text(encoding="utf-8")


class SharedKernel:
    """Run variants of one notebook in one kernel, each as if in a fresh kernel (see above).

    ``warmup`` is the reference notebook: the cells before its first exercise run once in
    each new kernel, so that the guard's record is taken before any variant's code ran.
    """

    def __init__(self, warmup: dict, timeout: int = HANG_GUARD) -> None:
        first = next(
            (i for i, c in enumerate(warmup["cells"]) if "exercise" in _tags(c)),
            len(warmup["cells"]),
        )
        self.warmup = copy.deepcopy(warmup)
        self.warmup["cells"] = self.warmup["cells"][:first]
        self.timeout = timeout
        self.imports: set[str] = set()  # modules a variant imported first: imported at warmup
        self.client: NotebookClient | None = None
        self.context = None
        self.fresh_each_time = os.environ.get("FRESH_KERNELS", "") not in ("", "0")

    def __enter__(self) -> SharedKernel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.context is not None:
            context, self.context, self.client = self.context, None, None
            try:
                context.__exit__(None, None, None)
            except Exception:  # a dead kernel: nothing left to shut down
                pass

    def _control(self, source: str) -> str:
        """Run code in the kernel outside any variant's history; return what it printed."""
        cell = nbformat.v4.new_code_cell(source)
        self.client.nb = nbformat.v4.new_notebook(cells=[cell])
        self.client.execute_cell(cell, 0, store_history=False)
        ok, text = outcome(cell)
        if not ok:
            raise RuntimeError(f"the test runner's own code failed in the kernel: {text}")
        return text

    def _start(self) -> None:
        self.client = NotebookClient(
            nbformat.from_dict(copy.deepcopy(self.warmup)),
            timeout=self.timeout,
            startup_timeout=HANG_GUARD,
            allow_errors=True,
            kernel_name="python3",
            resources={"metadata": {"path": str(SOLVED)}},
            shutdown_kernel="immediate",  # nothing to save: do not wait for a polite exit
        )
        self.context = self.client.setup_kernel()
        self.context.__enter__()
        self._control(
            "import sys, types\n"
            "_g = types.ModuleType('_notebook_runner_guard')\n"
            f"exec({_GUARD!r}, _g.__dict__)\n"
            "sys.modules[_g.__name__] = _g\n"
            "del sys, types, _g\n"
        )
        self._run(self.warmup)
        if self.imports:
            self._control("".join(f"import {name}\n" for name in sorted(self.imports)))
        self._control(f"{_GUARD_MODULE}.clear()\n{_GUARD_MODULE}.take()")

    def _run(self, nb: dict) -> dict:
        node = nbformat.from_dict(copy.deepcopy(nb))
        self.client.nb = node
        self.client.reset_execution_trackers()
        for index, cell in enumerate(node.cells):
            count = self.client.code_cells_executed + 1  # as NotebookClient.execute numbers them
            self.client.execute_cell(cell, index, execution_count=count)
        return json.loads(nbformat.writes(node))

    def execute(self, nb: dict) -> dict:
        """Run every cell of ``nb`` (errors do not stop the run) and return the executed copy."""
        if self.fresh_each_time:
            return execute(nb, self.timeout)
        if self.client is None:
            self._start()
        try:
            executed = self._run(nb)
            changed = self._control(
                f"{_GUARD_MODULE}.clear()\n{_GUARD_MODULE}.restore_classes()\n"
                f"print(*{_GUARD_MODULE}.changes(), sep='\\n')"
            ).split("\n")
        except Exception:  # a timeout or a dead kernel: the next run gets a new one
            self.close()
            raise
        changed = [line for line in changed if line.strip()]
        if changed:
            self.imports |= {line.split()[-1] for line in changed if line.startswith("new module ")}
            self.close()
        return executed


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def execute_variants(reference: dict, variants: list[dict], timeout: int = HANG_GUARD) -> list:
    """Run each variant of ``reference`` as in a fresh kernel, sharing kernels when safe.

    Returns, in order, each executed notebook or the exception its run raised.
    """
    results: list = []
    with SharedKernel(reference, timeout) as kernel:
        for nb in variants:
            try:
                results.append(kernel.execute(nb))
            except Exception as error:
                results.append(error)
    return results


def batched_runs(
    request, test: str, param: str, notebook: Callable[[Any], str], run: Callable[[Any], dict]
) -> Callable[[Any], dict]:
    """For a session fixture: ``get(p)``, the notebook ``run(p)`` executed, for each value ``p``
    of the parameter ``param`` of the test function ``test``. The first call for a notebook
    runs every selected ``p`` of that notebook, one after another, with
    :func:`execute_variants` (a clean namespace each, a new kernel whenever one could have
    left a trace); group the tests of one notebook on one xdist worker. What a run raised
    (``run`` itself included: a broken catalog entry) is raised again by its ``get``."""
    wanted = [
        item.callspec.params[param]
        for item in request.session.items
        if getattr(item, "originalname", "") == test
    ]
    done: dict[Any, object] = {}

    def get(p: Any) -> dict:
        if p not in done:
            stem = notebook(p)
            runs = {}
            for q in dict.fromkeys([*wanted, p]):  # p too, when it was not selected
                if notebook(q) == stem and q not in done:
                    try:
                        runs[q] = run(q)
                    except AssertionError as error:  # the entry's own test says so
                        done[q] = error
            executed = execute_variants(load(SOLVED / f"{stem}.ipynb"), list(runs.values()))
            done.update(zip(runs, executed))
        result = done[p]
        if isinstance(result, BaseException):
            raise result
        return result  # type: ignore[return-value]

    return get


# --- the grader's path, beside the notebook's -----------------------------------------------
# A check cell runs its probe and judge in the kernel (what the learner sees). The grader
# asks the same probe for the notebook's inputs and for its own draws, and judges in its own
# process. ``with_requests`` makes each check cell do both, in one run: the check as the
# learner runs it, then (whatever it did) the grader's request; ``grader_verdicts`` judges
# the answers here, as the grader does.

PROBE_MIME = "application/x-autograd-course-probe"


def with_requests(nb: dict, seed: int = 0) -> tuple[dict, dict]:
    """(nb with every check cell also answering a grader's request, test_id -> request)."""
    import random

    from autograd_helpers.checks import find, module_of

    rng = random.Random(seed)
    nb = copy.deepcopy(nb)
    requests = {}
    for cell in check_cells(nb):
        test_id = check_id(cell)
        module = module_of(test_id)
        check = find(test_id)
        cases = check.cases(rng)
        requests[test_id] = (check, cases)
        body = "\n".join("    " + line for line in cell["source"].splitlines())
        cell["source"] = (
            f"try:\n{body}\nfinally:\n"
            "    __import__('autograd_helpers.probes', fromlist=['answer']).answer(\n"
            f"        {module!r}, {test_id!r}, 'parity', {cases!r})"
        )
    return nb, requests


def grader_verdicts(executed: dict, requests: dict) -> dict[str, tuple[bool, str]]:
    """test_id -> (passed, message) as the grader judges the answers of ``executed``."""
    from autograd_helpers.checks._core import verdict

    out = {}
    for cell in check_cells(executed):
        test_id = check_id(cell)
        check, cases = requests[test_id]
        payloads = [
            o["data"][PROBE_MIME]
            for o in cell.get("outputs", [])
            if o.get("output_type") == "display_data" and PROBE_MIME in o.get("data", {})
        ]
        if not payloads:
            out[test_id] = (False, "no answer")
            continue
        answers = json.loads("".join(payloads[-1]))["answers"]
        result = (True, "")
        for k, (case, answer) in enumerate(zip(cases, answers)):
            v = verdict(check, answer, case)
            if not v.passed:
                result = (False, ("hidden: " if k else "") + v.text)
                break
        out[test_id] = result
    return out
