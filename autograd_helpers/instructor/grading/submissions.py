"""Reading a class: the released notebooks, learner folders, and each submission, defensively.

Nothing here trusts a submission's shape: every field that the grader uses is checked and
a file that cannot be graded gets a reason a learner can act on. Symbolic links, hidden
folders and unusable names are refused with a row, never skipped silently.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 50 * 2**20  # a notebook larger than this is refused
MAX_NAME = 100  # characters in a learner folder's name
NAME_OK = re.compile(r"[^\x00-\x1f\x7f]+")


class GradingError(Exception):
    """The grader cannot start (bad arguments or release); nothing was written."""


@dataclass
class Check:
    test_id: str
    points: float
    title: str
    call: str  # "backward.used_twice": the function the check cell calls


@dataclass
class Release:
    stem: str
    nb: dict
    checks: list[Check] = field(default_factory=list)

    @property
    def code_cells(self) -> int:
        return sum(c["cell_type"] == "code" for c in self.nb["cells"])

    @property
    def cell_ids(self) -> set[str]:
        return {c["id"] for c in self.nb["cells"]}


CALL = re.compile(r"checks\.(\w+)\.(\w+)\(\)")


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def tags(cell: dict) -> list[str]:
    meta = cell.get("metadata")
    found = meta.get("tags", []) if isinstance(meta, dict) else []
    return [t for t in found if isinstance(t, str)] if isinstance(found, list) else []


def release_of(stem: str, nb: dict) -> Release:
    """A released notebook and its check cells (KeyError/TypeError/ValueError if malformed)."""
    rel = Release(stem, nb)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "hidden-test" in tags(cell):
            meta = cell["metadata"]["autograd_course"]
            text = source(cell)
            call = CALL.search(text)
            if call is None:
                raise ValueError(f"check cell {cell.get('id')} calls no checks.<module>.<check>()")
            title = text.splitlines()[0].removeprefix("# @title ").strip()
            rel.checks.append(
                Check(meta["test_id"], float(meta.get("points", 1)), title, f"{call[1]}.{call[2]}")
            )
    return rel


def load_release(folder: Path) -> dict[str, Release]:
    """The released notebooks and their check cells, by notebook name."""
    releases = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        try:
            releases[path.stem] = release_of(path.stem, json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise GradingError(f"{path} is not a released notebook of this course: {exc}") from exc
    if not releases:
        raise GradingError(f"no released notebooks (NN_name.ipynb) in {folder}")
    return releases


def _validate_cells(cells: list) -> str:
    """ "" when every cell has the fields the grader reads, else what is wrong."""
    for n, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            return f"cell {n} is not a JSON object"
        if cell.get("cell_type") not in ("code", "markdown", "raw"):
            return f"cell {n} has no valid cell_type"
        src = cell.get("source", "")
        if not isinstance(src, str) and not (
            isinstance(src, list) and all(isinstance(s, str) for s in src)
        ):
            return f"cell {n}: its source is not text"
        if "id" in cell and not isinstance(cell["id"], str):
            return f"cell {n}: its id is not text"
        meta = cell.get("metadata", {})
        if not isinstance(meta, dict):
            return f"cell {n}: its metadata is not a JSON object"
        found = meta.get("tags", [])
        if not isinstance(found, list) or not all(isinstance(t, str) for t in found):
            return f"cell {n}: its tags are not a list of words"
    return ""


def read_submission(path: Path) -> tuple[dict | None, str]:
    """(notebook, "") when ``path`` can be graded, else (None, why not)."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            return None, "the file is a symbolic link: submit the notebook itself"
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if info.st_size > MAX_BYTES:
            return None, f"the file is larger than {MAX_BYTES // 2**20} MB: clear its outputs"
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror}"
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, f"not valid notebook JSON ({str(exc)[:200]}); re-save it from Jupyter"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        if isinstance(nb, dict) and "worksheets" in nb:
            return None, "nbformat 3 notebook: open and save it in a current Jupyter"
        return None, "not a Jupyter notebook (no list of cells)"
    major = nb.get("nbformat")
    if not isinstance(major, int) or major < 4:
        return None, f"nbformat {str(major)[:20]} is too old: open and save it in a current Jupyter"
    problem = _validate_cells(nb["cells"])
    if problem:
        return None, f"{problem}; re-save the notebook from Jupyter"
    return nb, ""


def holds_other_notebook(nb: dict, stem: str, releases: dict[str, Release]) -> str:
    """The name of another released notebook whose cells ``nb`` holds, or ""."""
    ids = {c.get("id") for c in nb["cells"] if isinstance(c.get("id"), str)}
    overlap = {s: len(ids & r.cell_ids) for s, r in releases.items()}
    best = max(overlap, key=overlap.get)
    if best != stem and overlap[best] > 2 * overlap.get(stem, 0) and overlap[best] >= 5:
        return best
    return ""


# --- the class ----------------------------------------------------------------------------


@dataclass
class Job:
    learner: str
    stem: str
    path: Path | None
    problem: str = ""


def printable(name: str) -> str:
    """A name as it can be shown in a CSV cell and a file name."""
    shown = name if NAME_OK.fullmatch(name) else name.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= MAX_NAME else shown[: MAX_NAME - 1] + "…"


def _refused_folder(folder: Path) -> str:
    if folder.is_symlink():
        return "the learner folder is a symbolic link: refused (copy the files instead)"
    if folder.name.startswith("."):
        return "hidden folder (its name starts with a dot): not graded; rename it to grade it"
    if not NAME_OK.fullmatch(folder.name) or len(folder.name) > MAX_NAME:
        return (
            f"unusable folder name (control characters or more than {MAX_NAME} characters): "
            "rename it to grade it"
        )
    return ""


def plan(submissions: Path, releases: dict[str, Release]) -> list[Job]:
    """One job per learner x released notebook, plus one per refused folder or unknown file."""
    jobs = []
    for folder in sorted(submissions.iterdir()):
        if not folder.is_dir() and not folder.is_symlink():
            continue  # a loose file beside the learner folders
        refused = _refused_folder(folder)
        if refused:
            jobs.append(Job(printable(folder.name), "", None, refused))
            continue
        try:
            files = {p.stem: p for p in folder.iterdir() if p.suffix == ".ipynb"}
        except OSError as exc:
            jobs.append(Job(folder.name, "", None, f"cannot read the folder: {exc.strerror}"))
            continue
        for stem in releases:
            path = files.get(stem)
            problem = "" if path else f"no {stem}.ipynb in {folder.name}/"
            if not files:
                problem = f"{folder.name}/ holds no notebooks"
            jobs.append(Job(folder.name, stem, path, problem))
        for stem in sorted(set(files) - set(releases)):
            jobs.append(Job(folder.name, printable(stem), files[stem], "unknown notebook name"))
    return jobs
