"""Score a run: each check's probe data, judged here, in the grader's own process.

Statuses: passed, failed (with the judge's own message), timeout (the notebook or the check
ran out of time), missing (no file), invalid (a file that cannot be graded). A check passes
only when its cell answered the grader's request (its nonce) with data on which the judge
passes for every case: the notebook's inputs and the grader's hidden draws. Nothing the
kernel prints counts; an answer a probe could not have written (a forged one) is failed and
flagged for review.
"""

from __future__ import annotations

import json

from autograd_helpers.checks._core import verdict
from autograd_helpers.instructor.grading.rebuild import Probed, Request
from autograd_helpers.instructor.grading.run import CellResult, RunResult
from autograd_helpers.instructor.grading.submissions import Release, tags

MAX_MESSAGE = 500
NO_ANSWER = "its check cell ended without the check's answer"
MALFORMED = "its check cell answered with data no probe writes"


def cap(text: str, limit: int = MAX_MESSAGE) -> str:
    """One line, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _answers(request: Request, cell: CellResult) -> list | None:
    """The answers to ``request`` among the cell's outputs, one per case, or None."""
    for payload in reversed(cell.answers):
        try:
            data = json.loads(payload)
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict) and data.get("nonce") == request.nonce:
            answers = data.get("answers")
            if isinstance(answers, list) and len(answers) == len(request.cases):
                return answers
            return None
    return None


def judged(request: Request, cell: CellResult) -> tuple[str, str, list[str]]:
    """(status, message, flags) of one check cell that ran to its end."""
    test_id = request.check.test_id
    answers = _answers(request, cell)
    if answers is None:
        return "failed", NO_ANSWER, [f"{test_id}: {NO_ANSWER}"]
    for k, (case, answer) in enumerate(zip(request.cases, answers)):
        result = verdict(request.check, answer, case)
        if result.malformed:
            return "failed", MALFORMED, [f"{test_id}: {MALFORMED}: {cap(result.text, 200)}"]
        if not result.passed:
            hidden = "" if k == 0 else "on inputs the grader chose (not the notebook's): "
            return "failed", hidden + result.text, []
    return "passed", "passed", []


def where(probed: Probed, cell_id: str) -> str:
    """A cell as the learner can find it: counted among the code cells of their notebook."""
    if cell_id in probed.positions:
        return f"your code cell {probed.positions[cell_id]}"
    cell = next((c for c in probed.nb["cells"] if c.get("id") == cell_id), None)
    if cell is None:
        return "a cell of the grader's"
    if "hidden-test" in tags(cell):
        return f"the check cell of {cell['metadata']['autograd_course']['test_id']}"
    if "setup" in tags(cell):
        return "the Setup cell"
    return "a cell of the released notebook"


def _stopped(probed: Probed, run: RunResult) -> str:
    if run.stopped == "never finished":
        why = run.cells.get(run.stopped_cell, CellResult("timeout")).evalue
        return f"{where(probed, run.stopped_cell)} never finished" + (f": {why}" if why else "")
    if run.stopped == "the kernel died":
        return f"the kernel died in {where(probed, run.stopped_cell)}"
    if run.stopped.startswith("used more than") and run.stopped_cell:
        return f"{where(probed, run.stopped_cell)} never finished: it {run.stopped}"
    return run.stopped


def _exercise_of(probed: Probed) -> dict[str, str]:
    """test_id -> the id of the exercise cell its check follows."""
    out, exercise = {}, ""
    for cell in probed.nb["cells"]:
        if "exercise" in tags(cell):
            exercise = cell["id"]
        elif "hidden-test" in tags(cell):
            out[cell["metadata"]["autograd_course"]["test_id"]] = exercise
    return out


def score(release: Release, probed: Probed, run: RunResult, limit_hit: str) -> list[tuple]:
    """(status, message, extra flags) per check cell of ``release``."""
    learner_ids = [
        c["id"] for c in probed.nb["cells"] if {"exercise", "learner-added"} & set(tags(c))
    ]
    order = {c["id"]: k for k, c in enumerate(probed.nb["cells"]) if c["cell_type"] == "code"}
    exercise_ids = [c["id"] for c in probed.nb["cells"] if "exercise" in tags(c)]
    exercise_of = _exercise_of(probed)
    check_cells = {
        c["metadata"]["autograd_course"]["test_id"]: c["id"]
        for c in probed.nb["cells"]
        if "hidden-test" in tags(c)
    }
    out = []
    for check in release.checks:
        cell_id = check_cells[check.test_id]
        cell = run.cells.get(cell_id, CellResult("not run"))
        lost = exercise_of.get(check.test_id) in probed.unmatched
        if cell.status == "ok":
            status, message, flags = judged(probed.requests[check.test_id], cell)
            if status == "failed" and not flags:
                before = _before(learner_ids, order, cell_id)
                unwritten = _unwritten(run, exercise_ids, order, cell_id)
                if unwritten and not lost:
                    message = unwritten
                else:
                    message += _earlier_error(probed, run, before)
            out.append((status, cap(message), flags))
        elif cell.status == "not run":
            why = _stopped(probed, run) or "the notebook stopped before this check"
            if limit_hit and limit_hit not in why:  # memory or processes: say which
                why = f"{why}: {limit_hit}" if run.stopped else limit_hit
            status = "timeout" if "time" in why or "never finished" in why else "failed"
            out.append((status, cap(f"not run: {why}"), []))
        elif cell.status == "timeout":
            why = cell.evalue or "it took longer than the per-cell time limit"
            out.append(("timeout", cap(f"the check never finished: {why}"), []))
        else:  # the request itself raised: the learner's code broke the kernel's helpers
            error = f"{cell.ename}: {cell.evalue}" if cell.ename else "an error"
            message = f"the check could not run: its cell raised {error}"
            out.append(("failed", cap(message), [f"{check.test_id}: {cap(message, 200)}"]))
        if lost:  # never scored low in silence: the learner is told, the instructor flagged
            status, message, flags = out[-1]
            out[-1] = (
                status,
                cap(
                    f"could not find your answer to {check.test_id}: was its exercise cell "
                    f"deleted or split? Your instructor will look at it by hand. ({message})"
                ),
                [*flags, f"{check.test_id}: exercise cell not found, review by hand"],
            )
    return out


def _before(ids: list[str], order: dict[str, int], cell_id: str) -> list[str]:
    """Those of ``ids`` (in notebook order) that come before ``cell_id``."""
    at = order[cell_id]
    return [i for i in ids if order[i] < at]


def _unwritten(
    run: RunResult, exercise_ids: list[str], order: dict[str, int], check_id: str
) -> str:
    """ "not written yet: ..." when the exercise just before a check still raises
    NotImplementedError (then the check's own complaint is only a consequence)."""
    before = _before(exercise_ids, order, check_id)
    cell = run.cells.get(before[-1]) if before else None
    if cell is None or cell.ename != "NotImplementedError":
        return ""
    hint = f": {cell.evalue}" if cell.evalue else ""
    return (
        f"not written yet{hint}. Replace `raise NotImplementedError(...)` in the exercise "
        "above with your code."
    )


def _earlier_error(probed: Probed, run: RunResult, learner_ids: list[str]) -> str:
    """A note on the last of the learner's cells before a failed check that raised, if any."""
    for cell_id in reversed(learner_ids):
        cell = run.cells.get(cell_id)
        if cell is not None and cell.status == "error":
            if cell.ename == "NotImplementedError":
                return ""
            return f" (note: {where(probed, cell_id)} raised {cell.ename}: {cap(cell.evalue, 150)})"
        if cell is not None:
            return ""
    return ""
