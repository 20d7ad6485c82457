"""``autograd-course check``: a learner checks their own notebooks the way the grader does.

Each notebook is run top to bottom in a fresh kernel with the grader's runner (its check
cells judged outside the kernel, its time limits), and the report says, per check, ✔, ✘
with the check's message, or "not written yet" when the exercise still raises
NotImplementedError. With no argument, every notebook in ``notebooks/`` is checked and the
report ends with the learner's progress through the course.
"""

from __future__ import annotations

import copy
import datetime
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograd_helpers.instructor.grading import Limits, grade_one
from autograd_helpers.instructor.grading.sandbox import Sandbox
from autograd_helpers.instructor.grading.submissions import Job, read_submission, release_of

NOT_WRITTEN = "not written yet"


@dataclass
class Result:
    stem: str
    passed: int
    not_written: int
    checks: int
    lines: list[str]
    problem: str = ""


def find_notebooks(where: Path) -> list[Path]:
    """The course's notebooks in ``where`` (or in ``where/notebooks``)."""
    for folder in (where / "notebooks", where):
        found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
        if found:
            return found
    return []


def check_one(path: Path, limits: Limits) -> Result:
    """Run one notebook and describe each check in one line."""
    loaded, problem = read_submission(path)
    if loaded is None:
        return Result(path.stem, 0, 0, 0, [], problem)
    try:  # the notebook is its own release: its check cells, even if a tool dropped their tags
        release = release_of(path.stem, copy.deepcopy(loaded.nb), untagged=True)
    except (KeyError, TypeError, ValueError) as exc:
        return Result(path.stem, 0, 0, 0, [], f"not a notebook of this course ({exc})")
    if not release.checks:
        return Result(path.stem, 0, 0, 0, [], "this notebook has no check cells")
    with tempfile.TemporaryDirectory(prefix="autograd-check-") as tmp:
        rows = grade_one(
            Job("you", path.stem, path), {path.stem: release}, limits, Sandbox("none"), Path(tmp)
        )
    lines, passed, not_written = [], 0, 0
    for row in rows:
        if row.status == "passed":
            passed += 1
            lines.append(f"  ✔ {row.test_id}")
        elif row.message.startswith(NOT_WRITTEN):
            not_written += 1
            lines.append(f"  · {row.test_id} — {NOT_WRITTEN}")
        else:
            lines.append(f"  ✘ {row.test_id} — {row.message}")
    return Result(path.stem, passed, not_written, len(rows), lines)


def _headline(r: Result) -> str:
    if r.problem:
        return f"{r.stem}: cannot check it: {r.problem}"
    if r.passed == r.checks:
        return f"{r.stem}: {r.passed}/{r.checks} ✔ all checks pass"
    mistakes = r.checks - r.passed - r.not_written
    parts = [f"{r.passed}/{r.checks} passed"]
    if mistakes:
        parts.append(f"{mistakes} to fix")
    if r.not_written:
        parts.append(f"{r.not_written} not written yet")
    return f"{r.stem}: " + ", ".join(parts)


MAX_SHOWN = 2  # ✘ lines per notebook in the course's report


def _saved(path: Path) -> str:
    """When ``path`` was last saved, as a learner reads a clock."""
    stamp = datetime.datetime.fromtimestamp(path.stat().st_mtime)
    today = datetime.date.today()
    return stamp.strftime("%H:%M" if stamp.date() == today else "%d %b %H:%M")


def _course_line(r: Result, path: Path) -> list[str]:
    """One line for a notebook of the course (and its first ✘ lines when it has some)."""
    saved = f"saved {_saved(path)}"
    if r.problem:
        return [f"{r.stem:<22} {saved:<13} cannot check it: {r.problem}"]
    if r.checks and r.not_written == r.checks:
        return [f"{r.stem:<22} {saved:<13} not started"]
    if r.passed == r.checks:
        return [f"{r.stem:<22} {saved:<13} ✔ {r.passed}/{r.checks}"]
    head = _headline(r).split(": ", 1)[1]
    out = [f"{r.stem:<22} {saved:<13} {head}"]
    mistakes = [ln for ln in r.lines if ln.startswith("  ✘")]
    out += mistakes[:MAX_SHOWN]
    if len(mistakes) > MAX_SHOWN:
        out.append(f"  … and {len(mistakes) - MAX_SHOWN} more: autograd-course check {path.name}")
    return out


def _run_all(paths: list[Path], limits: Limits) -> list[Result]:
    """Every notebook checked, several at once (each in a kernel of its own)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, min(len(paths), os.cpu_count() or 1))) as pool:
        return list(pool.map(lambda p: check_one(p, limits), paths))


def main(paths: list[Path], timeout: int = 30, out=print) -> int:
    """Check ``paths`` (or every notebook in notebooks/); 0 when every check passed."""
    whole_course = not paths
    if whole_course:
        paths = find_notebooks(Path.cwd())
        if not paths:
            out("check: no notebooks (NN_name.ipynb) here or in notebooks/")
            return 2
    missing = [p for p in paths if not p.is_file()]
    if missing:
        out(f"check: no such notebook: {missing[0]}")
        return 2
    limits = Limits(cell_timeout=timeout)
    if len(paths) == 1 and not whole_course:
        result = check_one(paths[0], limits)
        out(_headline(result))
        if result.passed != result.checks:
            for line in result.lines:
                out(line)
        return 0 if result.passed == result.checks and not result.problem else 1
    out("Your notebooks as saved on disk (save with Ctrl+S first: changes not saved are not seen)")
    results = _run_all(paths, limits)
    for result, path in zip(results, paths):
        for line in _course_line(result, path):
            out(line)
    done = sum(r.passed for r in results)
    total = sum(r.checks for r in results)
    complete = [r.stem[:2] for r in results if r.checks and r.passed == r.checks]
    summary = f"progress: {done}/{total} checks passed; notebooks complete: "
    out(summary + (", ".join(complete) if complete else "none yet"))
    nxt = next((r for r in results if r.problem or r.passed != r.checks), None)
    if nxt is not None:
        mistakes = nxt.checks - nxt.passed - nxt.not_written
        why = f"{mistakes} to fix" if mistakes else "exercises to write"
        out(f"next: {nxt.stem} ({why if not nxt.problem else 'cannot check it'})")
    return 0 if all(r.passed == r.checks and not r.problem for r in results) else 1
