"""Reading a class: the released notebooks and each submission, defensively.

Nothing here trusts a submission's shape: every field that the grader uses is checked and
a file that cannot be graded gets a reason a learner can act on. Which file is whose, in
learner folders or an LMS's download, is ``collect``'s job (``collect.plan``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from autograd_helpers.instructor import notebook_files

MAX_NAME = 100  # characters in a learner folder's name
NAME_OK = re.compile(r"[^\x00-\x1f\x7f]+")


class GradingError(Exception):
    """The grader cannot start (bad arguments or release); nothing was written."""


@dataclass
class Check:
    test_id: str
    points: float
    title: str
    call: str  # "backward": the check module that holds it (its probes and judge)


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
        return {c.get("id") for c in self.nb["cells"]}


LINE = re.compile(r'\bcheck\("(\d\d\.\w+)"\)')  # a check cell's one line
CALL = re.compile(r"checks\.(\w+)\.(\w+)\(\)")  # the longer form of earlier releases
TITLE = re.compile(r"^# @title (Check: .+)$")


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def tags(cell: dict) -> list[str]:
    meta = cell.get("metadata")
    found = meta.get("tags", []) if isinstance(meta, dict) else []
    return [t for t in found if isinstance(t, str)] if isinstance(found, list) else []


def _test_id_of(module: str, name: str) -> str | None:
    """The test id a check function declares (for a check cell whose metadata was lost)."""
    import importlib

    try:
        fn = getattr(importlib.import_module(f"autograd_helpers.checks.{module}"), name, None)
    except ImportError:
        return None
    test_id = getattr(fn, "test_id", None)
    return test_id if isinstance(test_id, str) else None


def _known(test_id: str | None) -> bool:
    from autograd_helpers.checks import module_of

    try:
        return test_id is not None and bool(module_of(test_id))
    except ValueError:
        return False


def called(text: str) -> str | None:
    """The test id a check cell's source calls, in either form, or None."""
    line = LINE.search(text)
    if line:
        return line[1]
    call = CALL.search(text)
    return _test_id_of(call[1], call[2]) if call else None


def release_of(stem: str, nb: dict, untagged: bool = False) -> Release:
    """A released notebook and its check cells (KeyError/TypeError/ValueError if malformed).

    ``untagged``: also take, as check cells, cells that lost their tags and metadata (a
    learner's own notebook saved by a tool that drops them) but still read ``# @title
    Check: ...`` and call a check; their test id comes from the check function.
    """
    from autograd_helpers.checks import module_of

    rel = Release(stem, nb)
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        text = source(cell)
        if "hidden-test" in tags(cell):
            meta = cell["metadata"]["autograd_course"]
            test_id, points = meta["test_id"], float(meta.get("points", 1))
            if called(text) is None:
                raise ValueError(f'check cell {cell.get("id")} calls no check("NN.name")')
        elif untagged and TITLE.match(text.lstrip().split("\n")[0]) and _known(called(text)):
            test_id, points = called(text), 1.0
            cell.setdefault("metadata", {}).setdefault("tags", []).append("hidden-test")
            cell["metadata"]["autograd_course"] = {"test_id": test_id, "points": points}
        else:
            continue
        title = text.lstrip().splitlines()[0].removeprefix("# @title ").strip()
        rel.checks.append(Check(test_id, points, title, module_of(test_id)))
    if untagged and not any("exercise" in tags(c) for c in nb["cells"]):
        _tag_exercises(nb["cells"])
    return rel


def _tag_exercises(cells: list[dict]) -> None:
    """Tag as an exercise the code cell before each check cell, when no cell there has the tag
    (a notebook whose tags a tool dropped: "not written yet" still finds its exercises)."""
    previous = None
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        kinds = set(tags(cell))
        if "hidden-test" in kinds:
            if previous is not None and "exercise" not in tags(previous):
                previous.setdefault("metadata", {}).setdefault("tags", []).append("exercise")
            previous = None
        elif "setup" not in kinds and source(cell).strip():
            previous = cell


def load_release(folder: Path) -> dict[str, Release]:
    """The released notebooks and their check cells, by notebook name."""
    releases = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        try:
            releases[path.stem] = release_of(path.stem, notebook_files.read(path).nb)
        except (notebook_files.NotebookError, KeyError, TypeError, ValueError) as exc:
            raise GradingError(f"{path} is not a released notebook of this course: {exc}") from exc
    if not releases:
        raise GradingError(f"no released notebooks (NN_name.ipynb) in {folder}")
    return releases


def read_submission(path: Path) -> tuple[notebook_files.Loaded | None, str]:
    """(the notebook as read, "") when ``path`` can be graded, else (None, why not).

    Whatever tool saved it (see ``notebook_files``); stored outputs are dropped unread.
    """
    try:
        return notebook_files.read(path, drop_outputs=True), ""
    except notebook_files.NotebookError as exc:
        return None, str(exc)


def holds_other_notebook(
    nb: dict, stem: str, releases: dict[str, Release], ids: set[str] | None = None
) -> str:
    """The name of another released notebook whose cells ``nb`` holds, or "".

    ``ids``: the cell ids that were in the file (made-up ones say nothing).
    """
    if ids is None:
        ids = {c.get("id") for c in nb["cells"] if isinstance(c.get("id"), str)}
    overlap = {s: len(ids & r.cell_ids) for s, r in releases.items()}
    best = max(overlap, key=overlap.__getitem__)
    if best != stem and overlap[best] > 2 * overlap.get(stem, 0) and overlap[best] >= 5:
        return best
    return ""


# --- the class (planned by collect.plan) --------------------------------------------------


@dataclass
class Job:
    learner: str
    stem: str
    path: Path | None
    problem: str = ""
    lms: dict[str, str] = field(default_factory=dict)  # ids an LMS gave this learner


def printable(name: str) -> str:
    """A name as it can be shown in a CSV cell and a file name."""
    shown = name if NAME_OK.fullmatch(name) else name.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= MAX_NAME else shown[: MAX_NAME - 1] + "…"


GIVEN = re.compile(r"^\s*(?:from|import)\s+solutions\.(\w+)", re.M)


def given_answers(nb: dict) -> list[str]:
    """The reference modules the released notebook itself imports, as a given ("engine"
    from 05 on, "nn" from 07 on): its grading kernel may import those, and only those."""
    found = set()
    for c in nb["cells"]:
        if c["cell_type"] == "code" and "exercise" not in tags(c):
            found.update(GIVEN.findall(source(c)))
    return sorted(found)
