"""Why a learner's code deserves a human look: flags read the code as IPython runs it.

Each cell is first transformed the way IPython transforms it before running (magics
become ``get_ipython().run_line_magic(...)`` calls, ``!cmd`` becomes ``.system(...)``), so a
cell such as ``_ = %pwd`` or ``%time import gc`` is read like any other code; the code
inside ``%time``/``%%capture``-style magics is read too. A flag is not a verdict: honest
code rarely needs any of these, and each one names what was seen.
"""

from __future__ import annotations

import ast
import collections
import re

# magics that run the code they are given: that code is read as well
_CODE_MAGICS = {"time", "timeit", "capture", "prun"}
_HARMLESS_MAGICS = {"pwd", "matplotlib", "who", "whos", "precision", "lsmagic", "history"}

_MODULES = {
    "solutions": "imports solutions (the answer key)",
    "importlib": "imports importlib",
    "builtins": "imports builtins",
    "ctypes": "imports ctypes",
    "gc": "imports gc (reaches any object in memory)",
    "inspect": "imports inspect (reads frames and closures)",
    "subprocess": "starts processes",
    "multiprocessing": "starts processes",
    "threading": "starts threads",
    "_thread": "starts threads",
    "signal": "uses signals",
    "socket": "opens network sockets",
    "os": "imports os",
    "shutil": "uses the file system",
    "pathlib": "uses the file system",
    "glob": "uses the file system",
    "marshal": "builds code objects",
    "types": "builds code objects",
    "pickle": "imports pickle",
    "runpy": "runs other files",
    "code": "builds code objects",
    "codeop": "builds code objects",
    "sys": "imports sys",
    "IPython": "imports IPython (the notebook's machinery)",
    "ipykernel": "imports ipykernel (the notebook's machinery)",
}
# the helpers a notebook may import (graph, gradcheck, data, plots, widgets, trainer)
_PUBLIC_HELPERS = {"graph", "gradcheck", "data", "plots", "widgets", "trainer"}

_NAMES = {
    "checks": "uses the name `checks` (the check cells' module)",
    "CheckFailed": "touches the checks' internals",
    "__builtins__": "touches __builtins__",
    "globals": "uses globals()",
    "vars": "uses vars()",
    "exec": "uses exec",
    "eval": "uses eval",
    "compile": "uses compile",
    "__import__": "uses __import__",
    "breakpoint": "uses breakpoint",
    "open": "opens files",
    "get_ipython": "uses get_ipython() (the notebook's machinery)",
    "In": "reads the input history",
    "_ih": "reads the input history",
    "Out": "reads the output history",
}

_ATTRIBUTES = {
    # introspection that reaches what a check holds
    "__closure__": "reads closures", "cell_contents": "reads closures",
    "__globals__": "reads a function's globals", "__code__": "touches code objects",
    "__builtins__": "touches __builtins__", "__subclasses__": "walks the class tree",
    "f_back": "walks stack frames", "f_locals": "walks stack frames",
    "f_globals": "walks stack frames", "tb_frame": "walks stack frames",
    "gi_frame": "walks stack frames", "cr_frame": "walks stack frames",
    "_getframe": "walks stack frames", "settrace": "sets a tracer",
    "setprofile": "sets a profiler", "addaudithook": "sets an audit hook",
    "monitoring": "uses sys.monitoring",
    # the import system and the process
    "modules": "touches sys.modules", "meta_path": "changes the import system",
    "path_hooks": "changes the import system", "_exit": "calls os._exit",
    "kill": "sends signals", "fork": "starts processes", "system": "runs shell commands",
    "popen": "runs shell commands", "getoutput": "runs shell commands",
    # the notebook's machinery
    "showtraceback": "changes how errors are shown", "set_custom_exc": "hides errors",
    "showsyntaxerror": "changes how errors are shown",
    "input_transformers_cleanup": "rewrites cells before they run",
    "input_transformers_post": "rewrites cells before they run",
    "ast_transformers": "rewrites cells before they run", "events": "registers IPython hooks",
    "register_magics": "registers magics", "user_ns": "touches the notebook's namespace",
    "run_cell": "runs cells itself", "kernel": "touches the kernel",
    "read_text": "reads files", "read_bytes": "reads files",
}  # fmt: skip
_ASSIGNED_DUNDERS = {"__module__", "__qualname__", "__class__", "__code__", "__name__"}


# the reader's bounds: what it cuts, it flags (so padding a notebook to hide code is seen)
MAX_CELL_CHARS = 200_000  # a larger cell is not parsed (its syntax tree could take gigabytes)
MAX_TOTAL_CHARS = 4_000_000  # all the learner's code read, in order
MAX_MAGIC_LINES = 50  # IPython re-reads a whole cell per magic: more are not transformed
_MAGIC_LINE = re.compile(r"^[ \t]*(?:[\w.,\[\] \t]*=[ \t]*)?[%!]", re.MULTILINE)


def _transform(src: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(src)
    except Exception:  # IPython cannot transform it either: it will fail when run
        return src


def _module_flags(dotted: str) -> set[str]:
    parts = dotted.split(".")
    if parts[0] == "autograd_helpers":
        inner = parts[1:]
        if not inner or any(p not in _PUBLIC_HELPERS or p.startswith("_") for p in inner[:1]):
            return {"touches autograd_helpers internals"}
        return set()
    why = _MODULES.get(parts[0])
    return {why} if why else set()


def _magic_flags(node: ast.Call, method: str) -> tuple[set[str], list[str]]:
    """Flags of a ``get_ipython().method(...)`` call, and code it runs."""
    args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
    if method in ("system", "getoutput"):
        return {"runs shell commands"}, []
    if method not in ("run_line_magic", "run_cell_magic") or not args or args[0] is None:
        return {"uses get_ipython() (the notebook's machinery)"}, []
    name = str(args[0])
    code = [a for a in args[1:] if isinstance(a, str)]
    if name in _CODE_MAGICS:
        return set(), code[-1:]
    if name in _HARMLESS_MAGICS:
        return set(), []
    return {f"uses the magic %{name}"}, []


def _shell_method(node: ast.Call) -> str | None:
    """``method`` of ``get_ipython().method(...)``, as IPython writes magics and shell
    commands; None for any other call."""
    func = node.func
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "get_ipython"
        and not func.value.args
    ):
        return func.attr
    return None


class _Reader(ast.NodeVisitor):
    def __init__(self) -> None:
        self.flags: set[str] = set()
        self.more: list[str] = []  # code inside magics, read next
        self.module_names: set[str] = set()

    def visit_Call(self, node: ast.Call) -> None:
        method = _shell_method(node)
        if method is not None:
            flags, code = _magic_flags(node, method)
            self.flags |= flags
            self.more += code
            if method in _ATTRIBUTES:
                self.flags.add(_ATTRIBUTES[method])
            for arg in node.args:
                self.visit(arg)
            return
        if isinstance(node.func, ast.Name) and node.func.id in ("getattr", "setattr", "delattr"):
            name = node.args[1] if len(node.args) > 1 else None
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                self.flags.add(f"{node.func.id} with a computed name")
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.flags |= _module_flags(alias.name)
            self.module_names.add((alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self.flags |= _module_flags(module)
        for alias in node.names:
            self.flags |= _module_flags(f"{module}.{alias.name}")
            if alias.name in _ATTRIBUTES or alias.name in _NAMES:
                self.flags.add(_ATTRIBUTES.get(alias.name) or _NAMES[alias.name])

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _NAMES:
            self.flags.add(_NAMES[node.id])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in _ATTRIBUTES:
            self.flags.add(_ATTRIBUTES[node.attr])
        if isinstance(node.ctx, ast.Store) and node.attr in _ASSIGNED_DUNDERS:
            self.flags.add(f"assigns {node.attr}")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            if node.value in _ATTRIBUTES:
                self.flags.add(_ATTRIBUTES[node.value])
            if "/proc" in node.value or "solutions/notebooks" in node.value:
                self.flags.add("names files of the machine")

    def patched_modules(self, tree: ast.AST) -> None:
        """``math.isclose = ...``: assigning into an imported module."""
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            elif isinstance(node, ast.Delete):
                targets = node.targets
            for target in targets:
                root = target
                while isinstance(root, (ast.Attribute, ast.Subscript)):
                    root = root.value
                if (
                    isinstance(target, (ast.Attribute, ast.Subscript))
                    and isinstance(root, ast.Name)
                    and root.id in self.module_names
                ):
                    self.flags.add(f"changes the module `{root.id}`")


def review_flags(sources: list[str]) -> list[str]:
    """Why a learner's code deserves a human look (empty when nothing is suspect).

    Linear in the code's size: cells past the bounds above are not read, and say so.
    """
    reader = _Reader()
    trees = []
    todo = collections.deque(sources)
    budget = MAX_TOTAL_CHARS
    while todo:
        src = todo.popleft()
        if not src.strip():
            continue
        if len(src) > MAX_CELL_CHARS:
            reader.flags.add(f"a cell of {len(src):,} characters was too large to read")
            continue
        budget -= len(src)
        if budget < 0:
            reader.flags.add(f"more code than the reader reads ({MAX_TOTAL_CHARS:,} characters)")
            break
        magics = len(_MAGIC_LINE.findall(src))
        if magics > MAX_MAGIC_LINES:
            reader.flags.add(f"a cell with {magics} magic or shell lines was not read")
            continue
        try:
            tree = ast.parse(_transform(src) if magics else src)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # runs and fails like any other mistake
        reader.more = []
        try:
            reader.visit(tree)
        except RecursionError:
            reader.flags.add("code nested too deep to read")
        trees.append(tree)
        todo += reader.more
    for tree in trees:
        reader.patched_modules(tree)
    return sorted(reader.flags)
