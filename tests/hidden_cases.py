"""The grader's hidden cases, tried in-process: what every tests/test_hidden_*.py shares.

The grader draws cases a notebook never shows (``Check.hidden(rng)``), asks the learner's
kernel for the probe's answer to each, and judges that answer in its own process. Here the
same path runs without a kernel: :func:`namespace` executes the solved notebook's cells
(with an alternative answer or a mistake spliced in), :func:`judged` takes one case through
the probe, JSON and the judge, and the ``assert_*`` helpers hold what every notebook's
hidden cases must be.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import json
import os
import random
from collections.abc import Callable, Iterable

from notebook_runner import SOLVED, check_id, load

from autograd_helpers import probes
from autograd_helpers.checks._core import JUDGES, Check, Verdict, verdict

QUICK = "HIDDEN_CASES_QUICK"  # set by conftest when the run leaves the slow tests out


def seeds(count: int) -> range:
    """The seeds a sweep tries: ``count`` of them in a full run, a tenth (at least 5) in the
    quick loop (``make test-quick``), where the full sweeps would take most of its time."""
    return range(max(5, count // 10)) if os.environ.get(QUICK) else range(count)


SKIPPED = frozenset({"setup", "hidden-test", "nbval-ignore-output"})  # not the learner's answer


@functools.cache
def _solved(stem: str) -> dict:
    return load(SOLVED / f"{stem}.ipynb")  # never changed: an edit's apply() copies it


def definitions(node: ast.stmt) -> bool:
    """A ``keep`` for :func:`namespace`: imports, functions and classes, not the demo lines."""
    return isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))


def namespace(
    stem: str,
    edit=None,
    cells: Iterable[str] | None = None,
    keep: Callable[[ast.stmt], bool] | None = None,
) -> dict:
    """The namespace the solved notebook ``stem`` leaves behind, run here without a kernel.

    ``edit`` (an Alternative or a Mistake) is applied to the notebook first. The cells run
    are its code cells but those tagged setup, hidden-test or nbval-ignore-output, or only
    the cells ``cells`` names (in notebook order); ``keep`` leaves only the top-level
    statements it accepts (:func:`definitions`: no training, no plots). Printed output is
    dropped, and a cell that raises (a mistake's) is passed over, as nbval's run goes on.
    """
    nb = _solved(stem) if edit is None else edit.apply(_solved(stem))
    wanted = None if cells is None else set(cells)
    found: dict = {"__name__": "__main__"}
    for cell in nb["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        chosen = cell.get("id") in wanted if wanted is not None else not SKIPPED & tags
        if cell["cell_type"] != "code" or not chosen:
            continue
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
            tree = ast.parse(cell["source"])
            if keep is not None:
                tree.body = [node for node in tree.body if keep(node)]
            # named as IPython names a cell: the probes know the learner's code by it
            exec(compile(tree, f"<ipython-input-{cell.get('id')}>", "exec"), found)  # noqa: S102
    return found


def judged(check: Check | str, case: dict, given: dict) -> Verdict:
    """The verdict on one case as the grader reaches it: the case as the literal it sends,
    the probe's answer on the objects in ``given``, through JSON, then the judge."""
    check = JUDGES[check] if isinstance(check, str) else check
    case = ast.literal_eval(repr(case))  # the request's literal, as the kernel reads it
    data = json.loads(probes.encode(probes.collect(check.test_id, case, given)))
    return verdict(check, data, case)


def hidden_verdicts(check: Check | str, given: dict, seeds: Iterable[int]) -> list[tuple]:
    """``(seed, case, verdict)`` for every hidden case the grader draws with each seed."""
    check = JUDGES[check] if isinstance(check, str) else check
    return [
        (seed, case, judged(check, case, given))
        for seed in seeds
        for case in check.hidden(random.Random(seed))
    ]


def failures(checks: Iterable[Check | str], given: dict, seeds: Iterable[int]) -> list[str]:
    """One line for each case of ``checks`` that ``given`` fails: the notebook's case, then
    the hidden ones of each seed. Empty when every case passes."""
    found = []
    for check in checks:
        check = JUDGES[check] if isinstance(check, str) else check
        drawn = [("visible", check.visible, judged(check, check.visible, given))]
        for seed, case, result in [*drawn, *hidden_verdicts(check, given, seeds)]:
            if not result.passed:
                found.append(f"{check.test_id}, seed {seed}, {case}: {result.text}")
    return found


def assert_passes(checks: Iterable[Check | str], given: dict, seeds: Iterable[int]) -> None:
    """Every case of ``checks`` passes: the notebook's, and each seed's hidden ones."""
    failed = failures(checks, given, seeds)
    assert not failed, "\n".join(failed[:10])


def assert_sound_cases(test_id: str, least: int = 2, most: int = 4, seeds=range(20)) -> None:
    """The hidden cases of ``test_id``: ``least`` to ``most`` of them after the notebook's
    own, none equal to it, the same for the same seed, other ones for other seeds (most of
    the time), and plain data that travels as JSON."""
    check = JUDGES[test_id]
    drawn = set()
    for seed in seeds:
        cases = check.cases(random.Random(seed))
        assert cases == check.cases(random.Random(seed)), f"{test_id}: seed {seed} draws anew"
        assert cases[0] == check.visible
        assert least <= len(cases) - 1 <= most, f"{test_id}: {len(cases) - 1} hidden cases"
        assert all(case != check.visible for case in cases[1:]), test_id
        assert json.loads(json.dumps(cases)) == cases, f"{test_id}: cases travel as JSON"
        drawn.add(repr(cases[1:]))
    assert len(drawn) > len(seeds) // 2, f"{test_id}: hidden cases hardly vary with the seed"


def assert_caught(test_id: str, given: dict, seeds: Iterable[int]) -> None:
    """A wrong answer is caught: some hidden case of each seed fails, and none is malformed
    (the judge read the answer and blamed the learner's code, not the probe)."""
    for seed in seeds:
        results = [result for *_, result in hidden_verdicts(test_id, given, [seed])]
        assert not all(r.passed for r in results), f"seed {seed}: every hidden case passes"
        assert not any(r.malformed for r in results), [r.text for r in results]


def assert_replay_fails(test_id: str, given: dict, seeds=range(20)) -> None:
    """The probe's answer for the notebook's case passes there, and replayed for a hidden
    case (an answer forged from the notebook's run) fails every one."""
    check = JUDGES[test_id]
    seen = json.loads(probes.encode(probes.collect(test_id, check.visible, given)))
    assert verdict(check, seen, check.visible).passed
    for seed in seeds:
        for case in check.hidden(random.Random(seed)):
            assert not verdict(check, seen, case).passed, (seed, case)


def checks_after(stem: str, cell_id: str) -> list[Check]:
    """The checks of ``stem`` from its cell ``cell_id`` on: those an answer there can change."""
    cells = _solved(stem)["cells"]
    later = cells[[c["id"] for c in cells].index(cell_id) :]
    return [JUDGES[check_id(c)] for c in later if "hidden-test" in c["metadata"].get("tags", [])]
