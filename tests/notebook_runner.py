"""Execute notebooks in a fresh kernel and read what their check cells said."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLVED = ROOT / "solutions" / "notebooks"
RELEASED = ROOT / "notebooks"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def stems() -> list[str]:
    return sorted(p.stem for p in SOLVED.glob("[0-9][0-9]_*.ipynb"))


def execute(nb: dict, timeout: int = 60) -> dict:
    """Run every cell (errors do not stop the run) and return the executed copy."""
    node = nbformat.from_dict(copy.deepcopy(nb))
    NotebookClient(
        node,
        timeout=timeout,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(SOLVED)}},
    ).execute()
    return json.loads(nbformat.writes(node))


def check_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if "hidden-test" in c.get("metadata", {}).get("tags", [])]


def check_id(cell: dict) -> str:
    return cell["metadata"]["autograd_course"]["test_id"]


def outcome(cell: dict) -> tuple[bool, str]:
    """(passed, text): the error's message when the cell raised, else what it printed."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return False, ANSI.sub("", f"{out['ename']}: {out['evalue']}")
    text = "".join(
        "".join(o.get("text", ""))
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    return True, text


def outcomes(executed: dict) -> dict[str, tuple[bool, str]]:
    return {check_id(c): outcome(c) for c in check_cells(executed)}


def errors_outside_checks(executed: dict) -> list[str]:
    """Errors raised by cells that are not check cells (a solved notebook has none)."""
    found = []
    for cell in executed["cells"]:
        if cell["cell_type"] != "code" or cell in check_cells(executed):
            continue
        ok, text = outcome(cell)
        if not ok:
            found.append(f"cell {cell.get('id')}: {text}")
    return found
