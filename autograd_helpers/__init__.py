"""Everything a learner imports that is not an answer: checks, graphs, gradcheck, plots."""

import sys
from importlib.metadata import PackageNotFoundError, version

try:  # one version, pyproject.toml's, as the installed distribution says it
    __version__ = version("micrograd-from-zero")
except PackageNotFoundError:  # imported from a source folder that was never installed
    __version__ = "0+unknown"


def check(test_id: str, **objects: object) -> None:
    """A check cell's one line: run the check ``test_id`` ("03.used_twice") on the notebook's
    objects, print its ✔ line or raise its ✘ (``autograd_helpers.checks``).

    ``objects`` replace the notebook's by name: ``check("00.slope", slope=my_slope)``.
    """
    __tracebackhide__ = True
    from autograd_helpers.checks import run

    run(test_id, **objects)


if sys.platform == "emscripten":  # in the browser (Pyodide, JupyterLite)
    from autograd_helpers import graph as _graph
    from autograd_helpers.checks import _core

    _graph.start_wasm_graphviz()  # Graphviz in WebAssembly: ready when a graph is drawn
    _core.name_errors_by_class()  # "CheckFailed", not "<class '...CheckFailed'>"
