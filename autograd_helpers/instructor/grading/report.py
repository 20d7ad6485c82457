"""What the grader writes in OUT, and how an interrupted run continues.

OUT is checked and locked before any grading: it must be an empty folder, a folder of an
earlier grading run (which is cleared, or continued with ``--resume``), or not exist yet.
Each finished notebook is appended to ``OUT/journal.jsonl`` at once, so Ctrl-C or a crash
loses at most the notebooks being graded; ``grades.csv``, ``summary.csv`` and
``feedback/<learner>.md`` are written from the journal, in a fixed order.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from autograd_helpers.instructor.grading.run import remove
from autograd_helpers.instructor.grading.submissions import GradingError

COLUMNS = ["learner", "notebook", "test_id", "points", "max_points", "status", "message", "flags"]
STATUSES = ("passed", "failed", "timeout", "missing", "invalid")
MARKER = "grading-run.json"
JOURNAL = "journal.jsonl"
OURS = {MARKER, JOURNAL, "grades.csv", "summary.csv", "gradebook.csv", "feedback", ".lock", ".work"}


@dataclass
class Row:
    learner: str
    notebook: str
    test_id: str
    points: float
    max_points: float
    status: str
    message: str
    flags: str = ""

    def as_dict(self) -> dict:
        return {c: getattr(self, c) for c in COLUMNS}


# --- OUT ------------------------------------------------------------------------------------


class Output:
    """OUT, locked for one grader at a time; the journal of finished notebooks."""

    def __init__(self, out: Path, run_info: dict, resume: bool):
        if out.exists() and not out.is_dir():
            raise GradingError(f"--out {out} is an existing file: name a folder")
        if out.is_symlink():
            raise GradingError(f"--out {out} is a symbolic link: name a real folder")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GradingError(f"cannot create --out {out}: {exc.strerror}") from exc
        self.out = out
        self._lock_fd = self._lock()
        present = {p.name for p in out.iterdir()}
        strangers = present - OURS
        if strangers:
            self.release()
            shown = ", ".join(sorted(strangers)[:3])
            raise GradingError(
                f"--out {out} holds files that are not an earlier grading run ({shown}): "
                "choose an empty or new folder"
            )
        self.done: dict[tuple[str, str], dict] = {}
        if resume and (out / MARKER).exists():
            before = json.loads((out / MARKER).read_text(encoding="utf-8"))
            if before.get("release") != run_info["release"]:
                self.release()
                raise GradingError(
                    "--resume: the released notebooks changed since that run; grade into a new "
                    "folder"
                )
            self.done = self._read_journal()
        else:
            for name in present - {".lock"}:
                target = out / name
                remove(target) if target.is_dir() else target.unlink()
        (out / MARKER).write_text(json.dumps(run_info, indent=1), encoding="utf-8")
        self.work = out / ".work"
        self.work.mkdir(exist_ok=True)
        self._journal = open(out / JOURNAL, "a", encoding="utf-8")  # noqa: SIM115

    def _lock(self) -> int:
        import fcntl

        fd = os.open(self.out / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            raise GradingError(f"another grader is writing to {self.out}: wait for it") from exc
        return fd

    def _read_journal(self) -> dict[tuple[str, str], dict]:
        done = {}
        path = self.out / JOURNAL
        if not path.exists():
            return done
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                done[(entry["learner"], entry["notebook"])] = entry
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by an interruption
        return done

    def finished(self, learner: str, notebook: str, digest: str) -> list[Row] | None:
        """The rows of a notebook graded earlier from the same file, if any."""
        entry = self.done.get((learner, notebook))
        if entry is None or entry.get("digest") != digest:
            return None
        return [Row(**r) for r in entry["rows"]]

    def record(self, learner: str, notebook: str, digest: str, rows: list[Row]) -> None:
        entry = {"learner": learner, "notebook": notebook, "digest": digest}
        entry["rows"] = [asdict(r) for r in rows]
        self._journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())

    def release(self) -> None:
        if getattr(self, "_journal", None) is not None:
            self._journal.close()
            self._journal = None
        if getattr(self, "work", None) is not None:
            remove(self.work)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
            (self.out / ".lock").unlink(missing_ok=True)


def digest(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


# --- the files ------------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _num(x: float) -> str:
    return f"{x:g}"


def file_name(learner: str) -> str:
    """A safe file name for ``learner``'s feedback, unique per learner."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", learner)[:80].lstrip(".") or "learner"
    if safe != learner:
        safe += "-" + hashlib.sha256(learner.encode()).hexdigest()[:8]
    return safe


def _by_learner(rows: list[Row]) -> dict[str, list[Row]]:
    """Each learner's rows, learners in the order of ``rows`` (one pass, for every file)."""
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.learner, []).append(row)
    return grouped


def write_gradebook(
    by_learner: dict[str, list[Row]], out: Path, id_column: str = "SIS Login ID"
) -> Path:
    """``gradebook.csv`` for an LMS: one row per learner, one column of points per notebook.

    Canvas matches learners on its "SIS Login ID" (or "SIS User ID", "ID") column and
    takes every other column as an assignment; Moodle maps any column to "Username",
    "ID number" or "Email address" when the file is imported. The learner's folder name
    is the id: name folders by login.
    """
    points: dict[str, dict[str, float]] = {}  # learner -> notebook -> points
    best: dict[str, float] = {}  # notebook -> its points (the most any learner could get)
    for learner, mine in by_learner.items():
        got: dict[str, float] = {}
        most: dict[str, float] = {}
        for r in mine:
            if r.test_id:
                got[r.notebook] = got.get(r.notebook, 0) + r.points
                most[r.notebook] = most.get(r.notebook, 0) + r.max_points
        points[learner] = got
        for nb, value in most.items():
            best[nb] = max(best.get(nb, 0), value)
    notebooks = sorted(best)
    path = out / "gradebook.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["Student", id_column]
            + [f"{nb} ({_num(best[nb])})" for nb in notebooks]
            + [f"Total ({_num(sum(best.values()))})"]
        )
        for learner, got in points.items():
            row = [_num(got.get(nb, 0)) for nb in notebooks]
            writer.writerow([_cell(learner), _cell(learner), *row, _num(sum(got.values()))])
    return path


def write_outputs(rows: list[Row], out: Path, id_column: str = "SIS Login ID") -> None:
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in r.as_dict().items()} for r in rows)
    by_learner = _by_learner(rows)
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["learner", "points", "max_points", "percent", "passed", "checks", "flags"])
        for learner, rows_of_learner in by_learner.items():
            mine = [r for r in rows_of_learner if r.test_id]
            got, best = sum(r.points for r in mine), sum(r.max_points for r in mine)
            flags = sorted({f for r in mine for f in r.flags.split("; ") if f})
            writer.writerow([
                _cell(learner), _num(got), _num(best), f"{100 * got / best:.1f}" if best else "0.0",
                sum(r.status == "passed" for r in mine), len(mine), _cell("; ".join(flags)),
            ])  # fmt: skip
    write_gradebook(by_learner, out, id_column)
    feedback = out / "feedback"
    feedback.mkdir(exist_ok=True)
    for learner, mine in by_learner.items():
        (feedback / f"{file_name(learner)}.md").write_text(
            _feedback(learner, mine), encoding="utf-8"
        )


def _feedback(learner: str, mine: list[Row]) -> str:
    got = sum(r.points for r in mine)
    best = sum(r.max_points for r in mine)
    lines = [f"# Feedback for {learner}", "", f"Total: {_num(got)} / {_num(best)} points.", ""]
    for stem in dict.fromkeys(r.notebook for r in mine):
        nb_rows = [r for r in mine if r.notebook == stem]
        nb_got = sum(r.points for r in nb_rows)
        nb_best = sum(r.max_points for r in nb_rows)
        lines += [f"## {stem or 'submission'} ({_num(nb_got)} / {_num(nb_best)})", ""]
        for r in nb_rows:
            mark = "✔" if r.status == "passed" else "✘"
            what = "passed" if r.status == "passed" else f"{r.status}: {r.message}"
            lines.append(f"- {mark} `{r.test_id or stem or 'folder'}` {what}")
        lines.append("")
    return "\n".join(lines)
