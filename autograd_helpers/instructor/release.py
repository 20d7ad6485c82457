"""``autograd-course release`` (``make notebooks``): solved notebooks -> learner notebooks.

The solved notebooks in ``solutions/notebooks/`` are the single source. Release
1. normalises each of them in place: the stamped cells (navigation and badges at the
   top, the setup cell, navigation at the bottom) are rewritten from
   :mod:`autograd_helpers.course`, exercise cells are tagged ``exercise``, and check
   cells (first line ``# @title Check: ...``) get their tags, collapsed view,
   ``autograd_course`` metadata (test id read from the check function itself) and their
   canonical source (:func:`check_source`: the title, then `check("NN.name")`);
2. writes ``notebooks/NN_name.ipynb``: every ``### BEGIN SOLUTION`` ... ``### END
   SOLUTION`` block becomes ``raise NotImplementedError("<hint>")`` at the block's
   indentation, outputs and execution counts are stripped, cell ids are kept;
3. regenerates the notebook table in README.md.

Running it twice changes nothing. ``release(check=True)`` only reports what is stale.
"""

from __future__ import annotations

import copy
import importlib
import re
from pathlib import Path

from autograd_helpers import checks, course
from autograd_helpers.instructor import notebook_files

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = ROOT / "solutions" / "notebooks"
RELEASE_DIR = ROOT / "notebooks"
README = ROOT / "README.md"

BEGIN = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION(?::\s*(?P<hint>.*))?$")
END = re.compile(r"^[ \t]*### END SOLUTION\s*$")
CHECK_TITLE = re.compile(r"^# @title (Check: .+)$")
CHECK_CALL = re.compile(r"^checks\.(?P<module>\w+)\.(?P<name>\w+)\(")
CHECK_LINE = re.compile(
    r'^(?:from autograd_helpers import check; )?check\("(?P<test_id>\d\d\.\w+)"\)$'
)
TABLE_START, TABLE_END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"
STAMPED = ("header", "setup", "footer")
DEFAULT_HINT = "write your code here"


class ReleaseError(Exception):
    """A solved notebook breaks a rule of the single source; the message says which."""


# --- stamped cells ------------------------------------------------------------


def _nav(stem: str, stems: list[str], folder: str) -> str:
    i = stems.index(stem)
    links = []
    if i > 0:
        links.append(f"[← {stems[i - 1]}]({stems[i - 1]}.ipynb)")
    links.append("[index](index.ipynb)")
    if i + 1 < len(stems):
        links.append(f"[{stems[i + 1]} →]({stems[i + 1]}.ipynb)")
    return " · ".join(links)


LITE_BADGE = (
    "https://img.shields.io/badge/run_in_your_browser-JupyterLite-F37626"
    "?logo=jupyter&logoColor=white"
)


def badges(path: str) -> str:
    """Markdown of the Colab and Binder badges for a notebook of the repository, and for a
    learner notebook (``notebooks/``) the "Run in your browser" one (the JupyterLite site)."""
    found = (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({course.colab_url(path)}) "
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({course.binder_url(path)})"
    )
    if path.startswith("notebooks/"):  # the site holds the learner notebooks only
        found += f" [![Run in your browser]({LITE_BADGE})]({course.lite_url(path)})"
    return found


SETUP_SOURCE = """\
# @title Setup: run me first (installs the course on Colab, checks this machine)
import importlib.util
import subprocess
import sys

COURSE = "{requirement}"  # noqa: E501
if "google.colab" in sys.modules and importlib.util.find_spec("autograd_helpers") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", COURSE], check=True)

from autograd_helpers import check  # noqa: E402, F401  (each check cell calls it)
from autograd_helpers.environment import ready  # noqa: E402

ready("{stem}")"""


def _stamped_cells(stem: str, folder: str, stems: list[str]) -> dict[str, dict]:
    nav = _nav(stem, stems, folder)
    path = f"{folder}/{stem}.ipynb"
    header = f"{nav}\n\n{badges(path)}"
    setup = SETUP_SOURCE.format(requirement=course.pip_requirement(), stem=stem)
    return {
        "header": _cell("markdown", header, "header"),
        "setup": _cell("code", setup, "setup"),
        "footer": _cell("markdown", nav, "footer"),
    }


def _cell(kind: str, source: str, tag: str) -> dict:
    from nbformat import v4

    make = v4.new_code_cell if kind == "code" else v4.new_markdown_cell
    cell = dict(make(source, id=tag, metadata={"tags": [tag]}))
    if kind == "code":  # the setup cell: collapsed to its title, like the check cells
        cell["metadata"].update(cellView="form", jupyter={"source_hidden": True})
    return cell


# --- normalising a solved notebook ----------------------------------------------


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict) -> list[str]:
    return cell.setdefault("metadata", {}).setdefault("tags", [])


def check_source(title: str, test_id: str) -> str:
    """A check cell's source: its ``# @title Check: ...`` line, then one line that imports
    ``autograd_helpers.check`` and calls it, so that the cell works whether or not the Setup
    cell ran (after a kernel restart, say)."""
    return f'{title.strip()}\nfrom autograd_helpers import check; check("{test_id}")'


def _add_tag(cell: dict, tag: str) -> None:
    tags = _tags(cell)
    if tag not in tags:
        tags.append(tag)


def _check_metadata(cell: dict, stem: str) -> None:
    lines = _source(cell).splitlines()
    test_id = None
    for line in lines[1:]:
        if short := CHECK_LINE.match(line):
            test_id = short["test_id"]
        elif m := CHECK_CALL.match(line):  # the longer form: checks.<module>.<name>()
            module = importlib.import_module(f"autograd_helpers.checks.{m['module']}")
            test_id = getattr(getattr(module, m["name"], None), "test_id", None)
            if test_id is None:
                raise ReleaseError(f"{stem}: `{line.strip()}` is not a check function")
    if test_id is None:
        raise ReleaseError(f'{stem}: check cell {cell.get("id")} has no `check("NN.name")` line')
    try:
        checks.find(test_id)
    except ValueError as exc:
        raise ReleaseError(f"{stem}: check cell {cell.get('id')}: {exc}") from None
    cell["source"] = check_source(lines[0], test_id)
    meta = cell["metadata"]
    old = meta.get("autograd_course", {})
    meta["autograd_course"] = {"test_id": test_id, "points": old.get("points", 1)}
    meta.setdefault("jupyter", {})["source_hidden"] = True
    meta["cellView"] = "form"
    _add_tag(cell, "hidden-test")


LECTURE_LINE = re.compile(r"^▶ Lecture: .*$\n?", re.MULTILINE)


def _stamp_lecture_links(nb: dict, stem: str) -> None:
    """Put each section's lecture link under its heading (the table in course.py)."""
    by_id = {c.get("id"): c for c in nb["cells"]}
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cleaned = LECTURE_LINE.sub("", _source(cell))
            if cleaned != _source(cell):
                cell["source"] = cleaned.replace("\n\n\n", "\n\n").rstrip("\n")
    for where, cell_id, time in course.LECTURE_LINKS:
        if where != stem:
            continue
        cell = by_id.get(cell_id)
        if cell is None or cell["cell_type"] != "markdown":
            raise ReleaseError(f"{stem}: course.LECTURE_LINKS names no markdown cell {cell_id}")
        lines = _source(cell).split("\n")
        heading = next((i for i, ln in enumerate(lines) if ln.startswith("#")), None)
        if heading is None:
            raise ReleaseError(f"{stem}: cell {cell_id} (a lecture link's place) has no heading")
        lines[heading + 1 : heading + 1] = ["", course.lecture_link(time)]
        cell["source"] = "\n".join(lines)


def normalise(nb: dict, stem: str, stems: list[str]) -> dict:
    """The solved notebook with stamped cells and cell metadata made canonical."""
    nb = copy.deepcopy(nb)
    cells = [c for c in nb["cells"] if not set(_tags(c)) & set(STAMPED)]
    seen_ids = set()
    for cell in cells:
        src = _source(cell)
        cell["source"] = src
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            first = src.splitlines()[0] if src else ""
            if "### BEGIN SOLUTION" in src:
                _add_tag(cell, "exercise")
            if CHECK_TITLE.match(first):
                _check_metadata(cell, stem)
        if not cell.get("id") or cell["id"] in seen_ids:
            raise ReleaseError(f"{stem}: every cell needs a unique id ({cell.get('id')})")
        seen_ids.add(cell["id"])
        if not cell["metadata"]["tags"]:
            del cell["metadata"]["tags"]
    stamped = _stamped_cells(stem, "solutions/notebooks", stems)
    # title cell first, then badges/nav under it, then setup (the common template)
    if not cells or cells[0]["cell_type"] != "markdown":
        raise ReleaseError(f"{stem}: the first cell must be the markdown title")
    nb["cells"] = [stamped["header"], cells[0], stamped["setup"], *cells[1:]]
    nb["cells"].append(stamped["footer"])
    _stamp_lecture_links(nb, stem)
    nb["metadata"] = _notebook_metadata(nb.get("metadata", {}))
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    return nb


def _notebook_metadata(meta: dict) -> dict:
    """The notebook metadata JupyterLab 4 leaves as it is (tests/test_browser.py saves it).

    On opening, JupyterLab replaces ``kernelspec`` and ``language_info`` with the kernel's
    (marking the notebook changed) unless they are equal, so both are stored as ipykernel
    reports them. ``version`` is the Python the course is built and tested with: on another
    Python, saving changes that one line and nothing else.
    """
    keep = {k: meta[k] for k in ("autograd_course",) if k in meta}
    keep["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    keep["language_info"] = {  # ipykernel's kernel_info reply, field for field
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    }
    keep["colab"] = {"provenance": [], "toc_visible": True}
    return keep


# --- the learner's notebook ---------------------------------------------------------


def blank_source(src: str, where: str = "") -> str:
    """``src`` with every solution block replaced by ``raise NotImplementedError``."""
    out, inside = [], False
    for n, line in enumerate(src.splitlines(), 1):
        begin = BEGIN.match(line)
        if begin:
            if inside:
                raise ReleaseError(f"{where} line {n}: BEGIN SOLUTION inside a block")
            inside = True
            hint = (begin["hint"] or DEFAULT_HINT).strip().replace('"', "'")
            out.append(f'{begin["indent"]}raise NotImplementedError("{hint}")')
        elif END.match(line):
            if not inside:
                raise ReleaseError(f"{where} line {n}: END SOLUTION without BEGIN")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ReleaseError(f"{where}: BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out)


def learner_notebook(solved: dict, stem: str, stems: list[str]) -> dict:
    """The released notebook for a normalised solved notebook."""
    nb = copy.deepcopy(solved)
    stamped = _stamped_cells(stem, "notebooks", stems)
    for cell in nb["cells"]:
        tags = _tags(cell)
        for tag in STAMPED:
            if tag in tags:
                cell["source"] = stamped[tag]["source"]
        if cell["cell_type"] == "code":
            cell["source"] = blank_source(cell["source"], f"{stem} cell {cell['id']}")
            cell["outputs"], cell["execution_count"] = [], None
        if not tags:
            del cell["metadata"]["tags"]
    return nb


# --- README table -------------------------------------------------------------------


def _title(nb: dict) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and not set(_tags(cell)) & set(STAMPED):
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def readme_table(released: dict[str, dict]) -> str:
    """The README's notebook table: one row per planned notebook."""
    rows = [
        "| # | notebook | you build | lecture | open |",
        "|---|---|---|---|---|",
    ]
    for stem, summary in course.NOTEBOOKS:
        number = stem[:2]
        times = sorted({t for s, _, t in course.LECTURE_LINKS if s == stem})  # lecture order
        lecture = " ".join(f"[{t.removeprefix('00:')}]({course.lecture_url(t)})" for t in times)
        if stem in released:
            path = f"notebooks/{stem}.ipynb"
            title = _title(released[stem]) or stem
            rows.append(
                f"| {number} | [{title}]({path}) | {summary} | {lecture} | {badges(path)} |"
            )
        else:
            rows.append(f"| {number} | {stem} (planned) | {summary} | {lecture} | |")
    return "\n".join(rows)


# --- the index notebook ------------------------------------------------------------

PROGRESS_SOURCE = """\
# @title Your progress: runs each notebook in this folder the way the grader does
try:
    from autograd_helpers.progress import show
except ImportError:  # e.g. on Colab, before any notebook's Setup cell installed the course
    print("Open 00_setup.ipynb and run its Setup cell first: it installs the course.")
else:
    show()"""


BROWSER_NOTE = f"""\
## In your browser (JupyterLite)

The *Run in your browser* links open the course in [JupyterLite]({course.pages_url()}): \
JupyterLab and Python running inside your web browser, nothing to install, no account. The \
first visit downloads Python and the course (about 31 MB, then cached by the browser).

- **Your work stays in this browser.** JupyterLite keeps your notebooks in the browser's \
storage on this computer, not on a server: they are there on your next visit, in this \
browser only. Clearing the site's data (or your browsing data), or closing a private window, \
deletes them.
- **To keep a copy or hand a notebook in:** *File → Download* saves the open notebook as an \
`.ipynb` file (in your Downloads folder); hand in that file. To go on from a downloaded \
notebook, drag it into the file browser on the left (or use its *Upload* button).
- The progress cell above cannot start other kernels in the browser: run a notebook \
(*Run → Run All Cells*) and its check cells say where you stand.
"""


def index_notebook(released: dict[str, dict]) -> dict:
    """``index.ipynb``, beside the notebooks: the table, the lecture, your progress.

    It opens from every notebook's "index" link in JupyterLab, Binder and Colab alike (a
    relative link to a notebook in the same folder).
    """
    lecture = f"[*{course.LECTURE_TITLE}*]({course.lecture_url('00:00:00')})"
    rows = ["| # | notebook | you build | lecture | open |", "|---|---|---|---|---|"]
    for stem, summary in course.NOTEBOOKS:
        if stem not in released:
            continue
        times = sorted({t for s, _, t in course.LECTURE_LINKS if s == stem})  # lecture order
        links = " ".join(f"[{t.removeprefix('00:')}]({course.lecture_url(t)})" for t in times)
        title = _title(released[stem]) or stem
        elsewhere = badges(f"notebooks/{stem}.ipynb")
        rows.append(f"| {stem[:2]} | [{title}]({stem}.ipynb) | {summary} | {links} | {elsewhere} |")
    intro = (
        "# Micrograd from zero: index\n\n"
        f"The notebooks follow Andrej Karpathy's lecture {lecture}: watch a chapter, then do "
        "the notebook's exercises. Each section that follows a chapter links to that moment "
        "of the video (▶ Lecture), and so does the table. Work through them in order; from 05 "
        "on, each notebook stands on its own."
    )
    progress = (
        "## Your progress\n\n"
        "Run the cell below: it runs each notebook in this folder top to bottom in a fresh "
        "kernel, as the grader does, and prints one line per notebook and one per check "
        "that does not pass yet (✘ a mistake to fix, · not written yet)."
    )
    cells = [
        _cell("markdown", intro, "index"),
        _cell("markdown", "\n".join(rows), "index"),
        _cell("markdown", progress, "index"),
        _cell("code", PROGRESS_SOURCE, "index"),
        _cell("markdown", BROWSER_NOTE, "index"),
    ]
    for k, cell in enumerate(cells):
        cell["id"] = f"index-{k}"
    return {
        "cells": cells,
        "metadata": _notebook_metadata({}),
        "nbformat": 4,
        "nbformat_minor": 5,
    }


# --- the command ----------------------------------------------------------------------


def dumps(nb: dict) -> str:
    """A notebook as Jupyter saves it (sources as lists of lines): see ``notebook_files``."""
    return notebook_files.dumps(nb)


def planned_outputs() -> dict[Path, str]:
    """Every file release writes, with its content."""
    sources = sorted(SOURCE_DIR.glob("[0-9][0-9]_*.ipynb"))
    stems = [p.stem for p in sources]
    known = {s for s, _ in course.NOTEBOOKS}
    unknown = [s for s in stems if s not in known]
    if unknown:
        raise ReleaseError(f"add {unknown} to NOTEBOOKS in autograd_helpers/course.py")
    outputs, released = {}, {}
    for path in sources:
        try:
            solved = notebook_files.read(path).nb
        except notebook_files.NotebookError as exc:
            raise ReleaseError(f"{path.name}: {exc}") from None
        solved = normalise(solved, path.stem, stems)
        outputs[path] = dumps(solved)
        learner = learner_notebook(solved, path.stem, stems)
        outputs[RELEASE_DIR / path.name] = dumps(learner)
        released[path.stem] = learner
    readme = README.read_text(encoding="utf-8")
    start, end = readme.find(TABLE_START), readme.find(TABLE_END)
    if start < 0 or end < start:
        raise ReleaseError(f"README.md needs the markers {TABLE_START} and {TABLE_END}")
    table = readme_table(released)
    outputs[README] = readme[: start + len(TABLE_START)] + "\n" + table + "\n" + readme[end:]
    index = dumps(index_notebook(released))
    outputs[RELEASE_DIR / "index.ipynb"] = outputs[SOURCE_DIR / "index.ipynb"] = index
    return outputs


def release(check: bool = False) -> list[Path]:
    """Write (or, with ``check``, only list) the files that are out of date."""
    stale = []
    for path, text in planned_outputs().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return stale


def main(check: bool = False) -> int:
    try:
        stale = release(check=check)
    except ReleaseError as exc:
        print(f"release: {exc}")
        return 1
    for path in stale:
        verb = "stale" if check else "wrote"
        print(f"{verb}: {path.relative_to(ROOT)}")
    if not stale:
        print("release: everything is up to date")
    return 1 if (check and stale) else 0
