"""Correct answers written the way learners write them: every check must accept each one.

An alternative is a small edit of a solved notebook's exercise cell, like a mistake of
``tests/mistakes/`` but right: applied to the solved notebook, every check cell still
passes and no other cell raises. Each notebook's alternatives live in ``nbNN.py`` as a list
called ``ALTERNATIVES``; a missing module simply contributes none.

``find`` must occur exactly once in the cell (the same rule as a mistake); an empty
``find`` makes ``replace`` the whole new source of the cell, for answers that share no
line with the reference.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from mistakes import edit_cell


@dataclass(frozen=True)
class Alternative:
    name: str  # short unique id: "topo_recursive_with_list"
    notebook: str  # "03_backward"
    cell: str  # id of the exercise cell in the solved notebook
    find: str  # exact text in that cell, present exactly once ("" = the whole cell)
    replace: str  # what the learner wrote instead
    style: str  # what makes it different: "recursive topological sort, a list for visited"

    def new_source(self, src: str) -> str:
        """The cell's source with this answer in it."""
        if self.find == "":
            return self.replace
        count = src.count(self.find)
        assert count == 1, f"{self.name}: {self.find!r} occurs {count} times in cell {self.cell}"
        return src.replace(self.find, self.replace)

    def apply(self, nb: dict) -> dict:
        """A copy of the solved notebook ``nb`` with this answer in its cell."""
        return edit_cell(nb, self.cell, self.new_source, f"{self.name} in {self.notebook}")


def all_alternatives() -> list[Alternative]:
    """Every ``ALTERNATIVES`` of ``tests/alternatives/nbNN.py``, in notebook order."""
    found: list[Alternative] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("nb"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            found += getattr(module, "ALTERNATIVES", [])
    return found


def variants(alternatives: list[Alternative], notebook: str) -> list[list[Alternative]]:
    """The notebook's alternatives in batches: batch k holds each cell's k-th alternative.

    Cells with fewer alternatives keep the reference answer in the later batches, so a
    notebook runs as many times as its most varied cell has alternatives.
    """
    by_cell: dict[str, list[Alternative]] = {}
    for alt in alternatives:
        if alt.notebook == notebook:
            by_cell.setdefault(alt.cell, []).append(alt)
    depth = max((len(alts) for alts in by_cell.values()), default=0)
    return [[alts[k] for alts in by_cell.values() if k < len(alts)] for k in range(depth)]
