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
import html
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from autograd_helpers.instructor.grading.run import remove
from autograd_helpers.instructor.grading.submissions import GradingError
from autograd_helpers.instructor.notebook_files import NotRegular, read_regular

COLUMNS = ["learner", "notebook", "test_id", "points", "max_points", "status", "message", "flags"]
STATUSES = ("passed", "failed", "timeout", "missing", "invalid")
MARKER = "grading-run.json"
JOURNAL = "journal.jsonl"
CANVAS_FILE, MOODLE_FILE = "gradebook_canvas.csv", "gradebook_moodle.csv"
WORKSHEET_FILE = "grading_worksheet_moodle.csv"
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]  # Canvas's order
GRADEBOOKS = (CANVAS_FILE, MOODLE_FILE, WORKSHEET_FILE, "gradebook.csv")  # and an older run's
OURS = {MARKER, JOURNAL, "grades.csv", "summary.csv", *GRADEBOOKS, "feedback", ".lock", ".work"}


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
        self._lock_fd: int | None = self._lock()
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
        self._journal: TextIO | None = open(out / JOURNAL, "a", encoding="utf-8")  # noqa: SIM115

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
        done: dict[tuple[str, str], dict] = {}
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
        if self._journal is None:
            raise RuntimeError("record() after release(): the journal is closed")
        entry = {
            "learner": learner,
            "notebook": notebook,
            "digest": digest,
            "rows": [asdict(r) for r in rows],
        }
        self._journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())

    def release(self) -> None:
        journal = getattr(self, "_journal", None)  # None too when __init__ stopped early
        if journal is not None:
            journal.close()
            self._journal = None
        if getattr(self, "work", None) is not None:
            remove(self.work)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
            (self.out / ".lock").unlink(missing_ok=True)


def digest(path: Path | None) -> str:
    """The file's sha256 ("" when it is no regular file): a link or a FIFO is never opened."""
    if path is None:
        return ""
    try:
        return hashlib.sha256(read_regular(path)[0]).hexdigest()
    except (NotRegular, OSError):
        return ""


# --- the files ------------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


# terminal escape sequences (CSI, OSC, and other ESC sequences), then any control character
# left (C0 but tab and newline, DEL, C1) and the bidirectional overrides that make text read
# otherwise than it is
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """``text`` without terminal escapes, control characters or bidirectional overrides."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def _cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as plain text, never runs as a formula."""
    if isinstance(value, str):
        value = plain(value)
        if value.startswith(_FORMULA):
            return "'" + value
    return value


def _markdown(text: str) -> str:
    """Learner-made text for a Markdown file: plain, its markup shown, never rendered."""
    return html.escape(plain(text), quote=False).replace("`", "\\`")


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


def _points(by_learner: dict[str, list[Row]]) -> tuple[dict, dict[str, float]]:
    """Points per learner and notebook, and each notebook's maximum."""
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
    return points, dict(sorted(best.items()))


def _title(notebook: str) -> str:
    """A column title an LMS takes as a new item's name: Canvas reads "Title (123)" as the
    assignment with id 123, so a trailing number in brackets is written [123]."""
    return re.sub(r"\s*\((\d+)\)\s*$", r" [\1]", notebook)


def write_gradebooks(
    by_learner: dict[str, list[Row]],
    out: Path,
    id_column: str = "username",
    lms: dict[str, dict[str, str]] | None = None,
) -> list[str]:
    """The gradebooks LMSs import: one row per learner, one column of points per notebook.

    ``gradebook_canvas.csv``: Canvas's own layout (``Student, ID, SIS User ID, SIS Login ID,
    Section``, a ``Points Possible`` row, no total: Canvas would make it an assignment).
    Canvas matches on ``ID`` (the user id, from a Canvas download), then the SIS ids (the
    folder name as the login), then the name. ``gradebook_moodle.csv``: Moodle's gradebook
    import, the identifier (``id_column``: "username" or "email") mapped to that user field.
    ``grading_worksheet_moodle.csv``, for learners from Moodle's download (which names no
    username): the assignment's offline grading worksheet, matched on the participant id.
    Returns lines for the instructor (learners a file could not identify).
    """
    lms = lms or {}
    points, best = _points(by_learner)
    notebooks = list(best)
    notes = []
    with open(out / CANVAS_FILE, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CANVAS_COLUMNS + [_title(nb) for nb in notebooks])
        possible = [_num(best[nb]) for nb in notebooks]
        writer.writerow(["    Points Possible", "", "", "", ""] + possible)  # as Canvas writes it
        for learner, got in points.items():
            ids = lms.get(learner, {})
            from_lms = any(k.startswith(("canvas_", "moodle_", "gradescope_")) for k in ids)
            login = ids.get("email", "") if from_lms else learner  # a folder is named by login
            writer.writerow(
                [_cell(ids.get("name", learner)), ids.get("canvas_user_id", ""),
                 _cell(ids.get("sid", "")), _cell(login), ""]
                + [_num(got.get(nb, 0)) for nb in notebooks]
            )  # fmt: skip
    by_email = id_column.strip().lower() in ("email", "email address", "useremail")
    header, unknown = ("Email address" if by_email else "Username"), []
    with open(out / MOODLE_FILE, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([header, "Full name"] + [_title(nb) for nb in notebooks])
        for learner, got in points.items():
            ids = lms.get(learner, {})
            from_lms = any(k.startswith(("canvas_", "moodle_", "gradescope_")) for k in ids)
            if by_email:
                key = ids.get("email") or (learner if "@" in learner else "")
            else:
                key = "" if from_lms else learner  # an LMS's download names no Moodle username
            if not key:
                unknown.append(learner)
                continue
            writer.writerow(
                [_cell(key), _cell(ids.get("name", learner))]
                + [_num(got.get(nb, 0)) for nb in notebooks]
            )
    participants = [ln for ln in points if "moodle_participant" in lms.get(ln, {})]
    if participants:
        total = sum(best.values())
        with open(out / WORKSHEET_FILE, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(
                ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)"]
            )
            for learner in participants:
                ids = lms[learner]
                writer.writerow([
                    f"Participant {ids['moodle_participant']}", _cell(ids.get("name", learner)),
                    _num(sum(points[learner].values())), _num(total), "",
                ])  # fmt: skip
    if unknown:
        what = "email address" if by_email else "Moodle username"
        shown = ", ".join(unknown[:5]) + (", …" if len(unknown) > 5 else "")
        where = f"; they are in {WORKSHEET_FILE}" if participants else ""
        notes.append(
            f"{MOODLE_FILE}: no {what} for {len(unknown)} learners ({shown}): left out{where}"
        )
    return notes


def write_outputs(
    rows: list[Row],
    out: Path,
    id_column: str = "username",
    lms: dict[str, dict[str, str]] | None = None,
) -> None:
    """grades.csv, summary.csv, the gradebooks and feedback/ from every row graded."""
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in r.as_dict().items()} for r in rows)
    by_learner = _by_learner(rows)
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as fh:
        table = csv.writer(fh)
        table.writerow(["learner", "points", "max_points", "percent", "passed", "checks", "flags"])
        for learner, rows_of_learner in by_learner.items():
            mine = [r for r in rows_of_learner if r.test_id]
            got, best = sum(r.points for r in mine), sum(r.max_points for r in mine)
            flags = sorted({f for r in mine for f in r.flags.split("; ") if f})
            table.writerow([
                _cell(learner), _num(got), _num(best), f"{100 * got / best:.1f}" if best else "0.0",
                sum(r.status == "passed" for r in mine), len(mine), _cell("; ".join(flags)),
            ])  # fmt: skip
    for name in GRADEBOOKS:  # an earlier run's (its learners may have changed)
        (out / name).unlink(missing_ok=True)
    for note in write_gradebooks(by_learner, out, id_column, lms):
        print(f"note: {note}")
    feedback = out / "feedback"
    feedback.mkdir(exist_ok=True)
    for learner, mine in by_learner.items():
        (feedback / f"{file_name(learner)}.md").write_text(
            _feedback(learner, mine), encoding="utf-8"
        )


def _feedback(learner: str, mine: list[Row]) -> str:
    got = sum(r.points for r in mine)
    best = sum(r.max_points for r in mine)
    lines = [
        f"# Feedback for {_markdown(learner)}",
        "",
        f"Total: {_num(got)} / {_num(best)} points.",
        "",
    ]
    for stem in dict.fromkeys(r.notebook for r in mine):
        nb_rows = [r for r in mine if r.notebook == stem]
        nb_got = sum(r.points for r in nb_rows)
        nb_best = sum(r.max_points for r in nb_rows)
        lines += [f"## {_markdown(stem or 'submission')} ({_num(nb_got)} / {_num(nb_best)})", ""]
        for r in nb_rows:
            mark = "✔" if r.status == "passed" else "✘"
            what = "passed" if r.status == "passed" else f"{r.status}: {_markdown(r.message)}"
            lines.append(f"- {mark} `{plain(r.test_id or stem or 'folder')}` {what}")
        lines.append("")
    return "\n".join(lines)
