"""Learners' mistakes as test data: each is a small edit of a solved notebook's answer.

A mistake applied to the solved notebook must make the named check cell fail with a
message that names it (``says`` is a case-insensitive substring of that message) and blames
nothing it has no evidence for (``never``: pieces the message must not hold, e.g. "use +="
to a learner who already does).
Each notebook's mistakes live in ``nbNN.py`` as a list called ``MISTAKES``.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    name: str  # short id: "backward_assigns_instead_of_accumulating"
    notebook: str  # "03_backward"
    cell: str  # id of the exercise cell in the solved notebook
    find: str  # exact text in that cell, present exactly once
    replace: str  # what the learner wrote instead
    test_id: str  # the check that must fail: "03.used_twice"
    says: str  # a piece of its message: "+="
    never: tuple[str, ...] = ()  # pieces it must not hold (a wrong blame)

    def apply(self, nb: dict) -> dict:
        return edit_cell(nb, self.cell, self._replace, f"{self.name} in {self.notebook}")

    def _replace(self, src: str) -> str:
        count = src.count(self.find)
        assert count == 1, f"{self.name}: {self.find!r} occurs {count} times in cell {self.cell}"
        return src.replace(self.find, self.replace)


def edit_cell(nb: dict, cell_id: str, edit, what: str) -> dict:
    """A copy of ``nb`` whose cell ``cell_id`` holds ``edit(its source)`` (``what`` names the
    catalog entry in a failure)."""
    nb = copy.deepcopy(nb)
    cells = [c for c in nb["cells"] if c.get("id") == cell_id]
    assert cells, f"{what}: no cell with id {cell_id!r}"
    cell = cells[0]
    src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    cell["source"] = edit(src)
    return nb


def all_mistakes() -> list[Mistake]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("nb"):
            found += importlib.import_module(f"{__name__}.{info.name}").MISTAKES
    return found
