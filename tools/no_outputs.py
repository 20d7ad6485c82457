"""Fails when a notebook to be committed carries outputs or execution counts.

The notebooks in git are sources (Jupyter's own form, no outputs): the solved ones are
what release reads, the learners' are what learners open. A run left in a notebook
makes diffs unreadable and can leak answers into a learner's notebook.

    python tools/no_outputs.py [NOTEBOOK ...]

Without arguments: every notebook under notebooks/ and solutions/notebooks/. Exit status 1
names each notebook and cell that carries something; pre-commit runs it on staged notebooks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "solutions/notebooks")


def carried(path: Path) -> list[str]:
    """One line per code cell of ``path`` that has outputs or an execution count."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        what = []
        if cell.get("outputs"):
            what.append(f"{len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            what.append(f"execution count {cell.execution_count}")
        if what:
            name = cell.get("id") or f"#{index}"
            found.append(f"{path}: cell {name}: {', '.join(what)}")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(
        p for folder in FOLDERS for p in (ROOT / folder).glob("*.ipynb")
    )
    found = [line for path in paths for line in carried(path)]
    for line in found:
        print(line)
    if found:
        print(
            "clear them (JupyterLab: Edit > Clear Outputs of All Cells; for solved notebooks "
            "`make notebooks` also strips them) and commit again"
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
