"""The learner's progress through the course, for the index notebook (``index.ipynb``).

:func:`show` runs ``autograd-course check`` on the notebooks next to the index (each in a
fresh kernel, the way the grader runs them) and prints its report: one line per notebook,
one per check that is not passing yet, and the progress through the course.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def show(folder: str | Path = ".") -> int:
    """Print the progress report for the notebooks in ``folder``; returns the exit code."""
    if "google.colab" in sys.modules:
        print(
            "On Colab each notebook lives in your Drive on its own, so there is no folder "
            "to check here: open each notebook and run it (Runtime → Run all); its check "
            "cells say where you stand."
        )
        return 0
    if sys.platform == "emscripten":  # JupyterLite: no process can run the notebooks here
        print(
            "In the browser the notebooks cannot be run from here: open each one and run it "
            "(Run → Run All Cells); its check cells say where you stand."
        )
        return 0
    folder = Path(folder)
    notebooks = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print(f"No notebooks (NN_name.ipynb) in {folder.resolve()}.")
        return 2
    print(f"Checking {len(notebooks)} notebooks, each in a fresh kernel (about 20 s)…")
    command = [sys.executable, "-m", "autograd_helpers.instructor.cli", "check"]
    paths = [str(p.resolve()) for p in notebooks]
    proc = subprocess.Popen([*command, *paths], stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:  # as each notebook finishes
        print(line, end="", flush=True)
    return proc.wait()
