"""Score a run: a check passes only when its cell ran to success and printed a valid seal.

Statuses: passed, failed (with the check's own message), timeout (the notebook or the check
ran out of time), missing (no file), invalid (a file that cannot be graded). A check cell
that "succeeded" without a valid seal (its failure hidden, its code rewritten, a forged
line) is failed and flagged for review.
"""

from __future__ import annotations

import hmac
import re

from autograd_helpers.checks._seal import seal_text
from autograd_helpers.instructor.grading.rebuild import Sealed
from autograd_helpers.instructor.grading.run import CellResult, RunResult
from autograd_helpers.instructor.grading.submissions import Release, tags

MAX_MESSAGE = 500
SEAL = re.compile(r"⟦seal ([0-9a-f]{64})⟧")
NO_PROOF = "its check cell ended without the check's proof of success"


def cap(text: str, limit: int = MAX_MESSAGE) -> str:
    """One line, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _success_lines(test_id: str, stdout: str) -> list[tuple[str, list[str]]]:
    """(✔ line, the lines after it) pairs, wherever the ✔ sits in a line of ``stdout``.

    Earlier output may end without a newline (a progress bar, ``print(end="")``, a widget's
    text, a carriage return), so the ✔ line can be glued to it: it is cut out from its mark.
    A thread may print between the ✔ line and its seal, so every later line is offered.
    """
    mark = f"✔ {test_id} — "
    lines = stdout.split("\n")
    found = []
    for k, line in enumerate(lines[:-1]):
        at = line.rfind(mark)
        if at >= 0:
            later = [ln.split("\r")[-1] for ln in lines[k + 1 :]]
            found.append((line[at:].rstrip("\r"), later))
    return found


def proven(sealed: Sealed, test_id: str, cell: CellResult) -> bool:
    """True when ``cell`` printed the check's success line and a seal that matches it."""
    if cell.status != "ok":
        return False
    for line, later in _success_lines(test_id, cell.stdout):
        want = seal_text(sealed.key.encode(), sealed.nonces[test_id], test_id, line)
        for after in later:
            found = SEAL.fullmatch(after.strip())
            if found and hmac.compare_digest(found[1], want):
                return True
    return False


def where(sealed: Sealed, cell_id: str) -> str:
    """A cell as the learner can find it: counted among the code cells of their notebook."""
    if cell_id in sealed.positions:
        return f"your code cell {sealed.positions[cell_id]}"
    cell = next((c for c in sealed.nb["cells"] if c.get("id") == cell_id), None)
    if cell is None or "grading-private" in tags(cell):
        return "the grader's setup cell"
    if "hidden-test" in tags(cell):
        return f"the check cell of {cell['metadata']['autograd_course']['test_id']}"
    if "setup" in tags(cell):
        return "the Setup cell"
    return "a cell of the released notebook"


def _stopped(sealed: Sealed, run: RunResult) -> str:
    if run.stopped == "never finished":
        why = run.cells.get(run.stopped_cell, CellResult("timeout")).evalue
        return f"{where(sealed, run.stopped_cell)} never finished" + (f": {why}" if why else "")
    if run.stopped == "the kernel died":
        return f"the kernel died in {where(sealed, run.stopped_cell)}"
    if run.stopped.startswith("used more than") and run.stopped_cell:
        return f"{where(sealed, run.stopped_cell)} never finished: it {run.stopped}"
    return run.stopped


def _exercise_of(sealed: Sealed) -> dict[str, str]:
    """test_id -> the id of the exercise cell its check follows."""
    out, exercise = {}, ""
    for cell in sealed.nb["cells"]:
        if "exercise" in tags(cell):
            exercise = cell["id"]
        elif "hidden-test" in tags(cell):
            out[cell["metadata"]["autograd_course"]["test_id"]] = exercise
    return out


def _message(test_id: str, cell: CellResult) -> str:
    """The check's own ✘ text, or a short account of the error."""
    for text in (cell.evalue, cell.stdout):
        found = re.findall(rf"✘ {re.escape(test_id)} — (.+)", text)
        if found:
            return found[-1].strip()
    if cell.ename:
        return f"{cell.ename}: {cell.evalue}"
    return "the check cell raised an error"


def score(release: Release, sealed: Sealed, run: RunResult, limit_hit: str) -> list[tuple]:
    """(status, message, extra flags) per check cell of ``release``."""
    learner_ids = [
        c["id"] for c in sealed.nb["cells"] if {"exercise", "learner-added"} & set(tags(c))
    ]
    order = {c["id"]: k for k, c in enumerate(sealed.nb["cells"]) if c["cell_type"] == "code"}
    exercise_ids = [c["id"] for c in sealed.nb["cells"] if "exercise" in tags(c)]
    exercise_of = _exercise_of(sealed)
    check_cells = {
        c["metadata"]["autograd_course"]["test_id"]: c["id"]
        for c in sealed.nb["cells"]
        if "hidden-test" in tags(c)
    }
    out = []
    for check in release.checks:
        cell_id = check_cells[check.test_id]
        cell = run.cells.get(cell_id, CellResult("not run"))
        lost = exercise_of.get(check.test_id) in sealed.unmatched
        if proven(sealed, check.test_id, cell):
            out.append(("passed", "passed", []))
            continue
        if cell.status == "not run":
            why = _stopped(sealed, run) or "the notebook stopped before this check"
            if limit_hit and limit_hit not in why:  # memory or processes: say which
                why = f"{why}: {limit_hit}" if run.stopped else limit_hit
            status = "timeout" if "time" in why or "never finished" in why else "failed"
            out.append((status, cap(f"not run: {why}"), []))
        elif cell.status == "timeout":
            why = cell.evalue or "it took longer than the per-cell time limit"
            out.append(("timeout", cap(f"the check never finished: {why}"), []))
        elif cell.status == "ok":
            out.append(("failed", NO_PROOF, [f"{check.test_id}: {NO_PROOF}"]))
        else:
            message = _message(check.test_id, cell)
            flags = [f"{check.test_id}: {cap(message, 200)}"] if "tampering:" in message else []
            before = _before(learner_ids, order, cell_id)
            unwritten = _unwritten(run, exercise_ids, order, cell_id)
            if unwritten and not flags and not lost:
                message = unwritten
            else:
                message += _earlier_error(sealed, run, before)
            out.append(("failed", cap(message), flags))
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
        f"not written yet{hint}. Replace the `raise NotImplementedError(...)` line in the "
        "exercise above with your code."
    )


def _earlier_error(sealed: Sealed, run: RunResult, learner_ids: list[str]) -> str:
    """A note on the last of the learner's cells before a failed check that raised, if any."""
    for cell_id in reversed(learner_ids):
        cell = run.cells.get(cell_id)
        if cell is not None and cell.status == "error":
            if cell.ename == "NotImplementedError":
                return ""
            return f" (note: {where(sealed, cell_id)} raised {cell.ename}: {cap(cell.evalue, 150)})"
        if cell is not None:
            return ""
    return ""
