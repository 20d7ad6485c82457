"""The Python half of lite/run_notebook.mjs, run inside Pyodide: a notebook's cells, one at a time.

Cells run through the JupyterLite kernel's own Python side (``pyodide_kernel``: IPython's
InteractiveShell as that kernel sets it up in a page, with its streams, display publisher and
error reporting), so display(), tracebacks and the course's ✔/✘ lines come out as they do in
the browser. Its outputs, which a page's JavaScript would receive, are collected here instead.

Two functions for the JavaScript side:

* :func:`needs_unavailable` (cell source) -> why the cell cannot run here ("matplotlib", or a
  course module that imports it, and how), or None;
* :func:`run_cell` (cell source) -> JSON: ``status`` ("ok" or "error"), ``outputs`` (nbformat
  outputs: stream, display_data, execute_result) and, on an error, ``ename``, ``evalue`` and
  ``traceback`` as the kernel sends them.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

import pyodide_kernel  # sets up the kernel's shell, as the page's worker does
from IPython.core.inputtransformer2 import TransformerManager

# Pyodide's builds of these are served only by Pyodide's package server: not here.
UNAVAILABLE = ("numpy", "matplotlib")
COURSE = ("autograd_helpers", "solutions")  # whose modules are read for what they import

_outputs: list[dict] = []


def _text(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def _stream(name: str, text: str) -> None:
    if _outputs and _outputs[-1].get("name") == name:  # as a page joins a stream's pieces
        _outputs[-1]["text"] += text
    else:
        _outputs.append({"output_type": "stream", "name": name, "text": text})


def _display(kind: str):
    def publish(data, metadata=None, transient=None) -> None:
        bundle = {str(mime): _text(value) for mime, value in dict(data).items()}
        _outputs.append({"output_type": kind, "data": bundle})

    return publish


def _execute_result(count, data, metadata) -> None:
    _display("execute_result")(data)


pyodide_kernel.stdout_stream.publish_stream_callback = _stream
pyodide_kernel.stderr_stream.publish_stream_callback = _stream
_publisher = pyodide_kernel.ipython_shell.display_pub
_publisher.display_data_callback = _display("display_data")
_publisher.update_display_data_callback = _display("display_data")
_publisher.clear_output_callback = lambda wait=False: _outputs.clear()
pyodide_kernel.ipython_shell.displayhook.publish_execution_result = _execute_result


async def run_cell(source: str) -> str:
    """Run one cell as the kernel does; its outputs and outcome as JSON."""
    _outputs.clear()
    result = await pyodide_kernel.kernel_instance.run(source)
    reply = {"status": result["status"], "outputs": list(_outputs)}
    if result["status"] == "error":
        reply.update(
            ename=str(result["ename"]),
            evalue=str(result["evalue"]),
            traceback=[str(line) for line in result["traceback"]],
        )
    return json.dumps(reply)


# --- which cells need numpy or matplotlib ---------------------------------------------------


def _module_level(tree: ast.AST):
    """The nodes run when a module is imported: not the bodies of its functions."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _imported(nodes) -> list[str]:
    """Module names imported (``from a import b`` gives ``a`` and ``a.b``: b may be one)."""
    names = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _module_source(name: str) -> str | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):  # ``a.b`` where b is not a module
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin).read_text(encoding="utf-8")


def _search(names: list[str], seen: set[str], via: list[str]) -> str | None:
    for name in names:
        if name.split(".")[0] in UNAVAILABLE:
            return " → ".join([*via, name])
        if name.split(".")[0] not in COURSE:
            continue
        parts = name.split(".")
        for module in (".".join(parts[: i + 1]) for i in range(len(parts))):
            if module in seen:
                continue
            seen.add(module)
            source = _module_source(module)
            if source is None:
                continue
            found = _search(_imported(_module_level(ast.parse(source))), seen, [*via, module])
            if found:
                return found
    return None


def needs_unavailable(source: str) -> str | None:
    """What makes this cell need numpy or matplotlib ("autograd_helpers.plots → matplotlib"):
    an import in the cell, or in a course module it imports; None when it needs neither."""
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:  # the cell's own error is shown when it runs
        return None
    return _search(_imported(ast.walk(tree)), set(), [])
