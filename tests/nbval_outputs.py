"""A pytest plugin for the nbval run of the solved notebooks: keeps what every cell showed.

``pytest --nbval-lax -p nbval_outputs NOTEBOOK...`` with ``NBVAL_OUTPUTS`` naming a folder
writes there, for each notebook, a copy holding the outputs its cells showed in nbval's
kernel. Other tests read those copies (conftest.py's ``solved_run``) instead of running the
notebooks a second time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

_shown: dict[Path, dict[int, list]] = {}  # notebook -> cell index -> outputs
OUTPUT_GUARD = 120  # seconds between a cell's messages: nbval's own 5 s fails a busy machine


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if hasattr(item, "output_timeout"):  # an nbval cell: a hang guard, not a time limit
        item.output_timeout = OUTPUT_GUARD


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    try:
        yield
    finally:  # a cell that raised keeps what it showed, the error included
        outputs = getattr(item, "test_outputs", None)
        index = getattr(item, "cell_num", None)
        if outputs is not None and index is not None:
            _shown.setdefault(Path(item.path), {})[index] = [dict(o) for o in outputs]


def pytest_sessionfinish(session):
    folder = os.environ.get("NBVAL_OUTPUTS")
    if not folder:
        return
    for path, cells in _shown.items():
        nb = json.loads(json.dumps(nbformat.read(path, as_version=4)))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        for index, outputs in cells.items():
            code[index]["outputs"] = outputs
        (Path(folder) / path.name).write_text(json.dumps(nb), encoding="utf-8")
