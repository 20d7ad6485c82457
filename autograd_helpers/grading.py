"""``autograd-course grade``: score a whole class with the released check cells.

Submissions are laid out as ``SUBMISSIONS/<learner>/<NN_name>.ipynb``. For each one:

1. **Rebuild** it on the released notebook: the learner's code is taken from the
   exercise cells only (matched by cell id, then by order) and from code cells the
   learner added; every check cell and every other released cell comes from the release,
   even when the learner deleted or edited it. Stored outputs never count.
2. **Run** it with pytest + nbval (``--nbval-lax``) in its own process group, with a
   per-cell timeout, a time limit for the notebook and a memory limit, so an endless
   loop, ``os._exit``, a segfault or a memory bomb costs that notebook only.
3. **Score** each check cell: passed, failed (with the check's own message), timeout,
   missing (no file) or invalid (a file that cannot be graded).

Outputs in ``OUT``: ``grades.csv`` (one row per learner x notebook x check),
``summary.csv`` (one row per learner) and ``feedback/<learner>.md``. The submissions
folder is only read. Same input, same grades.
"""

from __future__ import annotations

import ast
import copy
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

STATUSES = ("passed", "failed", "timeout", "missing", "invalid")
ANSI = re.compile(r"\x1b\[[0-9;]*m|#x1B\[[0-9;]*m")
COLUMNS = ["learner", "notebook", "test_id", "points", "max_points", "status", "message", "flags"]


class GradingError(Exception):
    """The grader cannot start (bad arguments); nothing was written."""


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


@dataclass
class Check:
    test_id: str
    points: float
    title: str


@dataclass
class Release:
    stem: str
    nb: dict
    checks: list[Check] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _tags(cell: dict) -> list:
    meta = cell.get("metadata")
    tags = meta.get("tags", []) if isinstance(meta, dict) else []
    return tags if isinstance(tags, list) else []


def load_release(folder: Path) -> dict[str, Release]:
    """The released notebooks and their check cells, by notebook name."""
    releases = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        rel = Release(path.stem, nb)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and "hidden-test" in _tags(cell):
                meta = cell["metadata"]["autograd_course"]
                title = _source(cell).splitlines()[0].removeprefix("# @title ").strip()
                rel.checks.append(Check(meta["test_id"], float(meta.get("points", 1)), title))
        releases[path.stem] = rel
    if not releases:
        raise GradingError(f"no released notebooks (NN_name.ipynb) in {folder}")
    return releases


def read_submission(path: Path) -> tuple[dict | None, str]:
    """(notebook, "") when ``path`` can be graded, else (None, why not)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror}"
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"not valid notebook JSON ({exc}); re-save it from Jupyter"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        if isinstance(nb, dict) and "worksheets" in nb:
            return None, "nbformat 3 notebook: open and save it in a current Jupyter"
        return None, "not a Jupyter notebook (no list of cells)"
    major = nb.get("nbformat")
    if not isinstance(major, int) or major < 4:
        return None, f"nbformat {major} is too old: open and save it in a current Jupyter"
    if not all(isinstance(c, dict) and "cell_type" in c for c in nb["cells"]):
        return None, "a cell of the notebook is malformed"
    return nb, ""


# --- rebuilding ------------------------------------------------------------------------


def rebuild(release: dict, submission: dict) -> tuple[dict, list[str]]:
    """The release with the learner's exercise code (and added code cells) put in.

    Returns the notebook to run and the learner's code that went into it.
    """
    nb = copy.deepcopy(release)
    release_ids = {c.get("id") for c in nb["cells"]}
    learner_code = [c for c in submission["cells"] if c.get("cell_type") == "code"]
    by_id = {c.get("id"): c for c in learner_code if c.get("id")}
    exercises = [c for c in nb["cells"] if "exercise" in _tags(c)]
    # learner cells that could stand for an exercise when ids were lost (e.g. copy-paste)
    unmatched = [c for c in learner_code if c.get("id") not in release_ids]
    tagged = [c for c in unmatched if "exercise" in _tags(c)]
    used: set[int] = set()
    for k, cell in enumerate(exercises):
        mine = by_id.get(cell["id"])
        if mine is None and not any(c.get("id") in by_id for c in exercises):
            # no id matched at all: fall back to the order of exercise cells
            mine = tagged[k] if k < len(tagged) else None
        if mine is not None:
            cell["source"] = _source(mine)
            used.add(id(mine))
    # code cells the learner added go after the released cell they followed
    released_sources = {_source(c).strip() for c in nb["cells"]}
    insert_after: dict[str, list[dict]] = {}
    anchor = None
    for cell in submission["cells"]:
        if cell.get("id") in release_ids:
            anchor = cell.get("id")
        elif _is_added_code(cell, used, released_sources):
            added = {
                "cell_type": "code",
                "id": f"learner-{len(used) + sum(map(len, insert_after.values()))}",
                "metadata": {"tags": ["learner-added"]},
                "execution_count": None,
                "outputs": [],
                "source": _source(cell),
            }
            insert_after.setdefault(anchor, []).append(added)
    cells = []
    for cell in nb["cells"]:
        cells.append(cell)
        cells.extend(insert_after.get(cell.get("id"), []))
    if None in insert_after:  # added before any released cell: run them after the setup
        setup = next((i for i, c in enumerate(cells) if "setup" in _tags(c)), 0)
        cells[setup + 1 : setup + 1] = insert_after[None]
    nb["cells"] = cells
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    learner = [_source(c) for c in cells if "exercise" in _tags(c) or "learner-added" in _tags(c)]
    return nb, learner


def _is_added_code(cell: dict, used: set[int], released_sources: set[str]) -> bool:
    """A code cell of the learner's own: not an exercise, not a copy of a released cell."""
    if cell.get("cell_type") != "code" or id(cell) in used:
        return False
    src = _source(cell).strip()
    fixed = {"hidden-test", "setup", "header", "footer"} & set(_tags(cell))
    return bool(src) and not fixed and src not in released_sources


# --- flags for review --------------------------------------------------------------------

_SUSPECT_NAMES = {
    "checks": "uses the name `checks` (the check cells' module)",
    "autograd_helpers": "touches autograd_helpers internals",
    "CheckFailed": "touches the checks' internals",
}
_SUSPECT_CALLS = {
    "exec": "uses exec",
    "eval": "uses eval",
    "__import__": "uses __import__",
    "_exit": "calls os._exit",
    "exit": "calls exit",
}


# the helpers a notebook may import (graph, gradcheck, data, plots, widgets, training)
_PRIVATE_HELPERS = {"checks", "grading", "release", "cli", "course"}


def _import_flags(parts: list[str]) -> set[str]:
    """Flags for importing the dotted name ``parts``."""
    if parts[0] == "solutions":
        return {"imports solutions"}
    if parts[0] == "autograd_helpers":
        inner = parts[1:]
        if not inner or any(p in _PRIVATE_HELPERS or p.startswith("_") for p in inner):
            return {"touches autograd_helpers internals"}
    if parts[0] in ("importlib", "builtins", "ctypes"):
        return {f"imports {parts[0]}"}
    return set()


def review_flags(sources: list[str]) -> list[str]:
    """Why a learner's code deserves a human look (empty when nothing is suspect)."""
    flags: set[str] = set()
    for src in sources:
        text = "\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # runs and fails like any other mistake
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    flags.update(_import_flags(alias.name.split(".")))
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    parts = (node.module or "").split(".") + [alias.name]
                    flags.update(_import_flags(parts))
            elif isinstance(node, ast.Name) and node.id in _SUSPECT_NAMES:
                flags.add(_SUSPECT_NAMES[node.id])
            elif isinstance(node, ast.Attribute):
                if node.attr == "modules" and getattr(node.value, "id", "") == "sys":
                    flags.add("touches sys.modules")
                if node.attr in _SUSPECT_CALLS and getattr(node.value, "id", "") in ("os", "sys"):
                    flags.add(_SUSPECT_CALLS[node.attr])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in _SUSPECT_CALLS:
                    flags.add(_SUSPECT_CALLS[node.func.id])
    return sorted(flags)


# --- running ---------------------------------------------------------------------------------


@dataclass
class Limits:
    cell_timeout: int = 30  # seconds per cell
    memory_mb: int = 2048  # address space of the kernel and of pytest
    startup: int = 60  # seconds for pytest and the kernel to start

    def notebook_timeout(self, code_cells: int) -> int:
        return self.startup + self.cell_timeout * code_cells


def _limit_memory(megabytes: int):
    def apply() -> None:
        import resource

        limit = megabytes * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_nbval(nb: dict, workdir: Path, limits: Limits) -> dict[int, tuple[str, str]] | str:
    """Run ``nb`` with pytest + nbval; {code cell index: (outcome, message)} or why not."""
    path = workdir / "submission.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    (workdir / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
    report = workdir / "report.xml"
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "nbval",
        "--nbval-lax", f"--nbval-cell-timeout={limits.cell_timeout}",
        f"--junitxml={report}", "--rootdir", str(workdir), "-c", str(workdir / "pytest.ini"),
        str(path),
    ]  # fmt: skip
    code_cells = sum(c["cell_type"] == "code" for c in nb["cells"])
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # only nbval (-p nbval): faster start
    }
    env.pop("CI", None)
    proc = subprocess.Popen(
        command,
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_limit_memory(limits.memory_mb) if os.name == "posix" else None,
    )
    try:
        output, _ = proc.communicate(timeout=limits.notebook_timeout(code_cells))
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return f"the notebook took longer than {limits.notebook_timeout(code_cells)} s in all"
    finally:
        _kill_group(proc)
    if not report.exists():
        tail = output.decode("utf-8", "replace").strip().splitlines()[-3:]
        return "the notebook could not be run: " + " / ".join(tail)
    return _parse_report(report)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _parse_report(report: Path) -> dict[int, tuple[str, str]]:
    results = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        m = re.fullmatch(r"Cell (\d+)", case.get("name", ""))
        if not m:
            continue
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        skipped = case.find("skipped")
        if problem is not None:
            text = ANSI.sub("", (problem.get("message") or "") + "\n" + (problem.text or ""))
            results[int(m[1])] = ("error", text)
        elif skipped is not None:
            results[int(m[1])] = ("skipped", ANSI.sub("", skipped.get("message") or ""))
        else:
            results[int(m[1])] = ("ok", "")
    return results


def _check_message(test_id: str, text: str) -> str:
    """The check's own ✘ line in nbval's failure text, or a short summary of the error."""
    found = re.findall(rf"✘ {re.escape(test_id)} — (.+)", text)
    if found:
        return found[-1].strip()
    lines = [ln.strip() for ln in text.splitlines() if re.match(r"^\w*(Error|Exception)\b", ln)]
    return lines[-1] if lines else "the check cell raised an error"


def code_positions(nb: dict) -> tuple[dict[str, int], list[int]]:
    """Where each check cell sits among ``nb``'s code cells, and where the learner's code is."""
    checks, learner, index = {}, [], 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tags = _tags(cell)
        if "hidden-test" in tags:
            checks[cell["metadata"]["autograd_course"]["test_id"]] = index
        elif "exercise" in tags or "learner-added" in tags:
            learner.append(index)
        index += 1
    return checks, learner


def score(release: Release, nb: dict, results: dict[int, tuple[str, str]]) -> list[tuple[str, str]]:
    """(status, message) per check cell of ``release`` from nbval's per-cell results."""
    positions, learner_cells = code_positions(nb)
    stopped = None  # first cell where the kernel stopped or timed out
    for index in sorted(results):
        outcome, text = results[index]
        if outcome == "error" and "Timeout of" in text and stopped is None:
            stopped = (index, "Failed to interrupt kernel" in text)
    out = []
    for check in release.checks:
        where = positions[check.test_id]
        outcome, text = results.get(where, ("missing", ""))
        if outcome == "ok":
            out.append(("passed", "passed"))
        elif outcome == "error" and "Timeout of" in text and "✘" not in text:
            out.append(("timeout", "the check took longer than the per-cell time limit"))
        elif outcome == "error":
            out.append(("failed", _check_message(check.test_id, text) + _earlier_error(
                results, [i for i in learner_cells if i < where]
            )))  # fmt: skip
        elif stopped is not None and stopped[0] < where:
            index, died = stopped
            why = (
                "the kernel stopped (crash, exit or hang)" if died else "it ran past the time limit"
            )
            out.append(("timeout", f"not run: code cell {index + 1} never finished: {why}"))
        else:
            out.append(("failed", "not run: " + (text or "no result for this check cell")))
    return out


def _earlier_error(results: dict[int, tuple[str, str]], cells: list[int]) -> str:
    """A note on the last of the learner's cells before a check that raised, if any."""
    for index in reversed(cells):
        outcome, text = results.get(index, ("ok", ""))
        if outcome == "error" and "Timeout of" not in text:
            lines = [
                ln.strip() for ln in text.splitlines() if re.match(r"^\w*(Error|Exception)", ln)
            ]
            if lines and not lines[-1].startswith("NotImplementedError"):
                return f" (note: your code cell {index + 1} raised {lines[-1][:200]})"
            return ""
    return ""


# --- the class ---------------------------------------------------------------------------------


@dataclass
class Job:
    learner: str
    stem: str
    path: Path | None
    problem: str = ""


def plan(submissions: Path, releases: dict[str, Release]) -> list[Job]:
    """One job per learner x released notebook, plus one per unexpected file."""
    jobs = []
    learners = sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in learners:
        files = {p.stem: p for p in folder.glob("*.ipynb") if p.is_file()}
        for stem in releases:
            path = files.get(stem)
            problem = "" if path else f"no {stem}.ipynb in {folder.name}/"
            if not files:
                problem = f"{folder.name}/ holds no notebooks"
            jobs.append(Job(folder.name, stem, path, problem))
        for stem in sorted(set(files) - set(releases)):
            jobs.append(Job(folder.name, stem, files[stem], "unknown notebook name"))
    return jobs


def grade_one(job: Job, releases: dict[str, Release], limits: Limits) -> list[Row]:
    """Every row of one learner x notebook; never raises for a bad submission."""
    release = releases.get(job.stem)
    if release is None:
        names = ", ".join(releases)
        return [
            Row(job.learner, job.stem, "", 0, 0, "invalid",
                f"{job.stem}.ipynb is not a notebook of this course (expected one of: {names})")
        ]  # fmt: skip

    def rows(status: str, message: str, flags: list[str] = ()) -> list[Row]:
        return [
            Row(job.learner, job.stem, c.test_id, 0, c.points, status, message, "; ".join(flags))
            for c in release.checks
        ]

    if job.path is None:
        return rows("missing", job.problem)
    submission, problem = read_submission(job.path)
    if submission is None:
        return rows("invalid", problem)
    nb, learner_code = rebuild(release.nb, submission)
    flags = review_flags(learner_code)
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        results = run_nbval(nb, Path(tmp), limits)
    if isinstance(results, str):
        status = "timeout" if "longer than" in results else "failed"
        return rows(status, results, flags)
    scored = score(release, nb, results)
    out = []
    for check, (status, message) in zip(release.checks, scored):
        points = check.points if status == "passed" else 0
        out.append(
            Row(job.learner, job.stem, check.test_id, points, check.points, status, message,
                "; ".join(flags))
        )  # fmt: skip
    return out


def write_outputs(rows: list[Row], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerows(r.as_dict() for r in rows)
    learners = sorted({r.learner for r in rows})
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["learner", "points", "max_points", "percent", "passed", "checks", "flags"])
        for learner in learners:
            mine = [r for r in rows if r.learner == learner and r.test_id]
            got, best = sum(r.points for r in mine), sum(r.max_points for r in mine)
            flags = sorted({f for r in mine for f in r.flags.split("; ") if f})
            writer.writerow([
                learner, _num(got), _num(best), f"{100 * got / best:.1f}" if best else "0.0",
                sum(r.status == "passed" for r in mine), len(mine), "; ".join(flags),
            ])  # fmt: skip
    feedback = out / "feedback"
    feedback.mkdir(exist_ok=True)
    for learner in learners:
        (feedback / f"{learner}.md").write_text(_feedback(learner, rows), encoding="utf-8")


def _num(x: float) -> str:
    return f"{x:g}"


def _feedback(learner: str, rows: list[Row]) -> str:
    mine = [r for r in rows if r.learner == learner]
    got = sum(r.points for r in mine)
    best = sum(r.max_points for r in mine)
    lines = [f"# Feedback for {learner}", "", f"Total: {_num(got)} / {_num(best)} points.", ""]
    for stem in sorted({r.notebook for r in mine}):
        nb_rows = [r for r in mine if r.notebook == stem]
        nb_got = sum(r.points for r in nb_rows)
        nb_best = sum(r.max_points for r in nb_rows)
        lines += [f"## {stem} ({_num(nb_got)} / {_num(nb_best)})", ""]
        for r in nb_rows:
            mark = "✔" if r.status == "passed" else "✘"
            what = "passed" if r.status == "passed" else f"{r.status}: {r.message}"
            lines.append(f"- {mark} `{r.test_id or stem}` {what}")
        lines.append("")
    return "\n".join(lines)


def grade(
    submissions: Path,
    out: Path,
    release_dir: Path,
    jobs: int = 1,
    limits: Limits | None = None,
    progress: bool = True,
) -> list[Row]:
    """Grade every submission; write OUT/grades.csv, summary.csv and feedback/."""
    submissions, out = submissions.resolve(), out.resolve()
    if not submissions.is_dir():
        raise GradingError(f"submissions folder not found: {submissions}")
    if out == submissions or submissions in out.parents:
        raise GradingError("--out must be outside the submissions folder (it is only read)")
    if not release_dir.is_dir():
        raise GradingError(f"release folder not found: {release_dir} (run `make notebooks`)")
    if shutil.which("dot") is None:
        print("note: graphviz `dot` is missing; graph cells will show text instead")
    releases = load_release(release_dir)
    limits = limits or Limits()
    work = plan(submissions, releases)
    if not work:
        raise GradingError(
            f"no learner folders in {submissions} (expected <learner>/NN_name.ipynb)"
        )

    from tqdm.auto import tqdm

    bar = tqdm(total=len(work), desc="grading", unit="notebook", disable=not progress)

    def run(job: Job) -> list[Row]:
        try:
            return grade_one(job, releases, limits)
        finally:
            bar.update(1)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(run, work))
    bar.close()
    rows = [row for group in results for row in group]
    write_outputs(rows, out)
    return rows
