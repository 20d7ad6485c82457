"""Computation graphs of Values: ``trace``, ``draw_dot``, ``text_graph`` (from 02_visualization).

These are the reference versions of what a learner writes in 02_visualization; later
notebooks import them (``from autograd_helpers.graph import draw_dot``). They work with
any Value-like object: one with ``data`` and ``_prev`` (its children), and optionally
``_op``, ``label`` and ``grad``.

* Graphs of any depth work: every walk uses an explicit stack, never recursion.
* Node names are deterministic (``n0``, ``n1``, ... in a stable order, never ``id()``), so
  drawing the same expression twice gives the same DOT source.
* Without Graphviz's ``dot`` program, a drawn graph shows itself in Jupyter as a one-line
  install hint followed by the graph as text, instead of a traceback.
* In the browser (Pyodide, JupyterLite), where no program can run, Graphviz compiled to
  WebAssembly (``@viz-js/viz``, shipped inside the course's wheel for the browser) draws
  instead; until it has started, or when it cannot draw, the graph is text with the reason.
* In Jupyter a drawn graph fits the notebook's column with text a person can read (see
  :func:`fit_svg`): the lecture's left-to-right drawing of a neuron is ~2,500 px wide, and
  shrunk to a ~950 px column its text would be 7 px high.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import graphviz

INSTALL_HINT = (
    "Graphviz's `dot` program was not found, so the graph is shown as text. To draw it, "
    "install Graphviz's dot: apt-get install graphviz / brew install graphviz / "
    "conda install python-graphviz"
)


class CannotDraw(RuntimeError):
    """Graphviz in WebAssembly (in the browser) cannot draw now: the line shown above the
    graph's text, which says why."""


# Every way `dot` can fail to run: not installed; found but not runnable (a permission, a
# platform without processes such as Pyodide: OSError errno 138); run and failed; and in the
# browser, Graphviz in WebAssembly not there, not started yet, or failing.
CANNOT_RUN_DOT = (graphviz.ExecutableNotFound, OSError, subprocess.CalledProcessError, CannotDraw)


def cannot_draw(exc: BaseException) -> str:
    """The line shown above a graph's text when ``dot`` could not draw it."""
    if isinstance(exc, graphviz.ExecutableNotFound):
        return INSTALL_HINT
    if isinstance(exc, CannotDraw):
        return str(exc)
    why = f"{type(exc).__name__}: {exc}"
    return f"Graphviz's `dot` could not run here ({why}), so the graph is shown as text."


# --- Graphviz in WebAssembly, in the browser ------------------------------------------------

# @viz-js/viz's standalone build (its WebAssembly inside), put in the course's wheel for the
# browser by lite/distribution.py: Graphviz 16 compiled to WebAssembly (viz-js: MIT;
# Graphviz: EPL-1.0). A pip install from the repository does not have it.
VIZ_JS = ("viz", "viz-global.js")
AS_TEXT = "the graph is shown as text."

# Runs the UMD build so that it defines globalThis.Viz (never a CommonJS or AMD module),
# then starts an instance with its WebAssembly compiled at once, not in the background.
# Viz.instance() is a Promise; here JavaScript itself records its outcome in `state`, as
# soon as JavaScript's queue of promise callbacks runs: before the notebook's next cell, even
# under Run All (a callback into Python would wait for Python's event loop).
_START_VIZ = """
(source) => {
  const state = { instance: undefined, error: undefined, promise: undefined }; // None in Python
  const { instantiate } = WebAssembly;
  const restore = () => { WebAssembly.instantiate = instantiate; };
  WebAssembly.instantiate = async (binary, imports) => {
    if (binary instanceof WebAssembly.Module) return instantiate(binary, imports);
    const module = new WebAssembly.Module(binary);
    return { module, instance: new WebAssembly.Instance(module, imports) };
  };
  try {
    (new Function("exports", "module", "define", source)).call(globalThis);
    state.promise = globalThis.Viz.instance();
  } catch (error) {
    restore();
    state.error = String(error);
    return state;
  }
  state.promise.then(
    (viz) => { state.instance = viz; },
    (error) => { state.error = String(error); },
  ).finally(restore);
  return state;
}
"""


class _Wasm:
    """Where Graphviz in WebAssembly stands: not started, starting, ready, or why not."""

    started = False
    state: Any = None  # _START_VIZ's state: a JavaScript object (instance, error, promise)
    error = ""  # why it cannot draw, when known before JavaScript ran


def in_pyodide() -> bool:
    """True where Python runs in WebAssembly (Pyodide: JupyterLite, Node): no processes."""
    return sys.platform == "emscripten"


def _viz_source() -> str | None:
    """The JavaScript of Graphviz in WebAssembly, or None when this install lacks it."""
    try:
        return resources.files("autograd_helpers").joinpath(*VIZ_JS).read_text("utf-8")
    except OSError:
        return None


def wasm_graphviz_shipped() -> bool:
    """True when this install of the course has Graphviz in WebAssembly (its browser build)."""
    return resources.files("autograd_helpers").joinpath(*VIZ_JS).is_file()


def start_wasm_graphviz() -> None:
    """Start Graphviz in WebAssembly, once, in Pyodide (nothing elsewhere).

    Called when the course is imported (the Setup cell), so that it is ready by the time a
    graph is drawn; :func:`wasm_svg` draws with it.
    """
    if _Wasm.started or not in_pyodide():
        return
    _Wasm.started = True
    source = _viz_source()
    if source is None:
        _Wasm.error = (
            "Graphviz in WebAssembly is not part of this install of the course (the course's "
            "build for the browser has it), so the graph is shown as text."
        )
        return
    try:
        from pyodide.code import run_js

        _Wasm.state = run_js(_START_VIZ)(source)
    except Exception as exc:  # a JavaScript error (JsException)
        _Wasm.error = f"Graphviz in WebAssembly could not start ({exc}): {AS_TEXT}"


def _wasm_instance() -> Any:
    """The running Viz instance, waiting for it where JavaScript allows it (JSPI); else
    raises :class:`CannotDraw` saying why."""
    start_wasm_graphviz()
    state = _Wasm.state
    if state is not None and state.instance is None and state.error is None:
        try:
            from pyodide.ffi import can_run_sync, run_sync

            if can_run_sync():  # JSPI: this cell can wait for the start to end
                return run_sync(state.promise)
        except Exception:  # a Pyodide without run_sync, or the start failed (state.error)
            pass
    if state is not None and state.instance is not None:
        return state.instance
    if state is not None and state.error is not None:
        raise CannotDraw(f"Graphviz in WebAssembly could not start ({state.error}): {AS_TEXT}")
    if _Wasm.error:
        raise CannotDraw(_Wasm.error)
    raise CannotDraw(
        "Graphviz in WebAssembly is still starting (it starts when the cell that imports the "
        "course ends), so the graph is shown as text: run this cell again to draw it."
    )


def wasm_svg(source: str, engine: str = "dot") -> str:
    """``source`` (DOT) drawn as SVG by Graphviz in WebAssembly (in Pyodide only).

    Raises :class:`CannotDraw` with the reason when it is not there, has not started yet,
    or fails to draw (Graphviz's own message).
    """
    instance = _wasm_instance()
    from pyodide.ffi import JsException, to_js

    try:
        import js

        options = to_js({"format": "svg", "engine": engine}, dict_converter=js.Object.fromEntries)
        return str(instance.renderString(source, options))
    except JsException as exc:
        raise CannotDraw(f"Graphviz in WebAssembly could not draw it ({exc}): {AS_TEXT}") from exc


def render_svg(source: str, engine: str = "dot") -> str:
    """``source`` (DOT) drawn as SVG: by Graphviz's ``dot``, or in Pyodide by
    :func:`wasm_svg`. Raises one of CANNOT_RUN_DOT when it cannot be drawn."""
    if in_pyodide():
        return wasm_svg(source, engine)
    return graphviz.Source(source, engine=engine).pipe(format="svg", encoding="utf-8")


# --- walking the graph -------------------------------------------------------------


def _check_value_like(v: Any) -> None:
    if not (hasattr(v, "data") and hasattr(v, "_prev")):
        raise TypeError(
            f"expected a Value (an object with .data and ._prev), got {type(v).__name__} {v!r}"
        )


def trace(root: Any) -> tuple[set, set]:
    """All Values ``root`` depends on, and the edges between them (02_visualization).

    Returns ``(nodes, edges)``: ``nodes`` is the set of Values reachable from ``root``
    through ``_prev`` (``root`` included) and ``edges`` the set of pairs
    ``(child, parent)``, one for each Value and each of its children.
    """
    _check_value_like(root)
    nodes, edges, seen, stack = set(), set(), set(), [root]
    while stack:
        v = stack.pop()
        if id(v) in seen:  # reached again through another path: already walked
            continue
        seen.add(id(v))
        nodes.add(v)
        for child in v._prev:
            edges.add((child, v))
            stack.append(child)
    return nodes, edges


def _postorder(root: Any, children_of) -> list:
    """Every node reachable from ``root``, each one after all of its children."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            # reversed, so that the first child is walked (and numbered) first
            stack.extend((child, False) for child in reversed(children_of(node)))
    return order


def _distinct(values) -> list:
    out, seen = [], set()
    for v in values:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def _label(v: Any) -> str:
    label = getattr(v, "label", "")
    return "" if label is None else str(label)


def _op(v: Any) -> str:
    op = getattr(v, "_op", "")
    return "" if op is None else str(op)


def _stable_order(root: Any) -> tuple[list, dict[int, list]]:
    """The nodes children-first in an order that does not depend on memory addresses.

    ``_prev`` is often a set, whose order follows ``id()`` and changes from run to run.
    The children in a set are sorted by label and then by a fingerprint of everything
    below them (label, op, data, grad, recursively); tuples and lists keep their order.
    Returns the order and, for each node's ``id``, its distinct children in that order.
    """
    _check_value_like(root)
    unordered = _postorder(root, lambda v: list(v._prev))
    fingerprint: dict[int, str] = {}
    for v in unordered:  # children come first, so theirs are known
        text = "\x00".join(
            [_label(v), _op(v), repr(v.data), repr(getattr(v, "grad", None))]
            + sorted(fingerprint[id(c)] for c in v._prev)
        )
        fingerprint[id(v)] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    children: dict[int, list] = {}
    for v in unordered:
        kids = _distinct(v._prev)
        if not isinstance(v._prev, (list, tuple)):
            kids.sort(key=lambda c: (_label(c), fingerprint[id(c)]))
        children[id(v)] = kids
    return _postorder(root, lambda v: children[id(v)]), children


# --- text ----------------------------------------------------------------------------


def _number(x: Any) -> str:
    try:
        return f"{x:.4f}"
    except (TypeError, ValueError):
        return str(x)


def _expression(op: str, operands: list[str]) -> str:
    """How a Value was computed, e.g. ``a * b``, ``tanh(n)``, ``x**2``."""
    if not operands:
        return ""
    if not op:
        return "from " + ", ".join(operands)
    if len(operands) == 1 and op in {"+", "*", "-", "/"}:
        operands = operands * 2  # a + a: a set of children holds a once
    if len(operands) == 2 and not op[0].isalpha():
        return f"{operands[0]} {op} {operands[1]}"
    if len(operands) == 1:
        return f"{op}({operands[0]})" if op[0].isalpha() else f"{operands[0]}{op}"
    return f"{op}({', '.join(operands)})"


def _names(order: list) -> dict[int, str]:
    """A Value's name in text: its label when that is set and unique, else its node name."""
    counts: dict[str, int] = {}
    for v in order:
        counts[_label(v)] = counts.get(_label(v), 0) + 1
    return {
        id(v): _label(v) if _label(v) and counts[_label(v)] == 1 else f"n{i}"
        for i, v in enumerate(order)
    }


def _text(order: list, children: dict[int, list]) -> str:
    names = _names(order)
    rows = []
    for v in order:
        left = names[id(v)]
        how = _expression(_op(v), [names[id(c)] for c in children[id(v)]])
        if how:
            left += f" = {how}"
        grad = _number(v.grad) if hasattr(v, "grad") else None
        extra = f"label {_label(v)!r}" if _label(v) and names[id(v)] != _label(v) else ""
        rows.append((left, _number(v.data), grad, extra))
    width = max(len(r[0]) for r in rows)
    data_width = max(len(r[1]) for r in rows)
    grad_width = max(len(r[2] or "") for r in rows)
    lines = []
    for left, data, grad, extra in rows:
        line = f"{left:<{width}}   data {data:>{data_width}}"
        if grad is not None:
            line += f"   grad {grad:>{grad_width}}"
        lines.append(f"{line}   {extra}".rstrip())
    return "\n".join(lines)


def text_graph(root: Any) -> str:
    """The graph of ``root`` as text, one line per Value, inputs first (02_visualization).

    For the lecture's example ``L = (a*b + c) * f``::

        a           data  2.0000   grad 0.0000
        b           data -3.0000   grad 0.0000
        e = a * b   data -6.0000   grad 0.0000
        ...
        L = d * f   data -8.0000   grad 0.0000

    A Value without a label (or with one that several Values share) is named by its node
    name in :func:`draw_dot`'s graph (``n3``).
    """
    return _text(*_stable_order(root))


# --- reading DOT source ---------------------------------------------------------------


@dataclass
class DotGraph:
    """What :func:`parse_dot` read: node names with their attributes, and edges."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)
    directed: bool = True


_TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/|^\#[^\n]*)
    | (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<edgeop>->|--)
    | (?P<number>-?(?:\.\d+|\d+(?:\.\d*)?))
    | (?P<id>[A-Za-z_\x80-\U0010ffff][\w\x80-\U0010ffff]*)
    | (?P<punct>[{}\[\]=;,:+<])
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)


def _tokens(source: str) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(source):
        m = _TOKEN.match(source, i)
        if m is None:
            raise ValueError(f"cannot read the DOT source at {source[i : i + 20]!r}")
        kind = m.lastgroup
        if kind == "punct" and m.group() == "<":  # an HTML string: <...> with nesting
            depth, j = 0, i
            while j < len(source):
                depth += {"<": 1, ">": -1}.get(source[j], 0)
                j += 1
                if depth == 0:
                    break
            out.append(("id", source[i:j]))
            i = j
            continue
        if kind == "string":
            text = m.group()[1:-1].replace('\\"', '"').replace("\\\n", "")
            out.append(("id", text))
        elif kind in ("number", "id"):
            out.append(("id", m.group()))
        elif kind != "space":
            out.append(("punct", m.group()))
        i = m.end()
    return out


class _Parser:
    def __init__(self, source: str) -> None:
        self.toks, self.i = _tokens(source), 0
        self.graph = DotGraph()
        self.node_defaults: dict[str, str] = {}

    def peek(self, k: int = 0) -> tuple[str, str]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ("end", "")

    def take(self, value: str | None = None) -> str:
        kind, text = self.peek()
        if kind == "end" or (value is not None and text != value):
            raise ValueError(
                f"cannot read the DOT source: expected {value or 'more'}, got {text!r}"
            )
        self.i += 1
        return text

    def keyword(self, *words: str) -> bool:
        kind, text = self.peek()
        return kind == "id" and text.lower() in words

    def parse(self) -> DotGraph:
        if self.keyword("strict"):
            self.take()
        if not self.keyword("graph", "digraph"):
            raise ValueError("cannot read the DOT source: it does not start with digraph")
        self.graph.directed = self.take().lower() == "digraph"
        if self.peek()[0] == "id":
            self.take()
        self.take("{")
        self.statements()
        self.take("}")
        return self.graph

    def statements(self) -> None:
        while self.peek()[1] != "}" and self.peek()[0] != "end":
            self.statement()
            if self.peek()[1] == ";":
                self.take()

    def ident(self) -> str:
        kind, text = self.peek()
        if kind != "id":
            raise ValueError(f"cannot read the DOT source: expected a name, got {text!r}")
        self.take()
        while self.peek()[1] == "+" and self.peek(1)[0] == "id":  # "a" + "b"
            self.take()
            text += self.take()
        return text

    def attributes(self) -> dict[str, str]:
        attrs: dict[str, str] = {}
        while self.peek()[1] == "[":
            self.take("[")
            while self.peek()[1] != "]":
                key, value = self.ident(), "true"
                if self.peek()[1] == "=":
                    self.take("=")
                    value = self.ident()
                attrs[key] = value
                if self.peek()[1] in (",", ";"):
                    self.take()
            self.take("]")
        return attrs

    def operand(self) -> list[str]:
        """A node (ports dropped) or a subgraph, as the list of node names it stands for."""
        if self.keyword("subgraph") or self.peek()[1] == "{":
            before = set(self.graph.nodes)
            if self.keyword("subgraph"):
                self.take()
                if self.peek()[0] == "id":
                    self.take()
            self.take("{")
            self.statements()
            self.take("}")
            return [n for n in self.graph.nodes if n not in before]
        name = self.ident()
        while self.peek()[1] == ":":
            self.take()
            self.ident()
        return [name]

    def declare(self, name: str, attrs: dict[str, str]) -> None:
        node = self.graph.nodes.setdefault(name, dict(self.node_defaults))
        node.update(attrs)

    def statement(self) -> None:
        if self.keyword("node", "edge", "graph") and self.peek(1)[1] == "[":
            kind = self.take().lower()
            attrs = self.attributes()
            if kind == "node":
                self.node_defaults.update(attrs)
            return
        if self.peek()[0] == "id" and self.peek(1)[1] == "=":
            self.ident()
            self.take("=")
            self.ident()
            return
        group = self.operand()
        groups = [group]
        while self.peek()[1] in ("->", "--"):
            self.take()
            groups.append(self.operand())
        attrs = self.attributes()
        if len(groups) == 1:
            for name in group:
                self.declare(name, attrs)
            return
        for names in groups:
            for name in names:
                self.declare(name, {})
        for tails, heads in zip(groups, groups[1:]):
            self.graph.edges += [(t, h) for t in tails for h in heads]


def parse_dot(source: str) -> DotGraph:
    """Read DOT source (e.g. a Digraph's ``.source``) into nodes and edges (02_visualization).

    Nodes keep their attributes (``label``, ``shape``, ...), with ``node [...]`` defaults
    applied; nodes that appear only in edges are included with no attributes. Ports
    (``a:p``) are dropped. Raises ``ValueError`` when the source is not DOT.
    """
    return _Parser(source).parse()


def _is_record(attrs: dict[str, str]) -> bool:
    return attrs.get("shape", "").lower() in ("record", "mrecord")


def _fields(name: str, attrs: dict[str, str]) -> list[str]:
    """The boxes of a record node's label (braces only group boxes: dropped)."""
    label = re.sub(r"(?<!\\)[{}]", "", attrs.get("label", name))
    return [re.sub(r"\\(.)", r"\1", f).strip() for f in re.split(r"(?<!\\)\|", label)]


def _topological(graph: DotGraph) -> list[str]:
    """The nodes, each after the nodes with an edge into it (source order breaks ties)."""
    waiting = {n: 0 for n in graph.nodes}
    for _, head in set(graph.edges):
        waiting[head] += 1
    heads: dict[str, list[str]] = {n: [] for n in graph.nodes}
    for tail, head in dict.fromkeys(graph.edges):
        heads[tail].append(head)
    position = {n: i for i, n in enumerate(graph.nodes)}
    ready = sorted((n for n, k in waiting.items() if k == 0), key=position.get, reverse=True)
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for head in heads[node]:
            waiting[head] -= 1
            if waiting[head] == 0:
                ready.append(head)
                ready.sort(key=position.get, reverse=True)
    return order + [n for n in graph.nodes if n not in set(order)]  # nodes on a cycle


def text_from_dot(source: str) -> str:
    """Any DOT graph as text, in the style of :func:`text_graph` (02_visualization).

    One line per node, each after the nodes with an edge into it. A record node whose only
    input is an operation node (``a -> * -> e``) reads ``e = a * b``, followed by its other
    boxes; a record is named by its first box when that is a unique label, else ``n0``,
    ``n1``, ... Edges that do not fit that pattern are listed after the nodes.
    """
    graph = parse_dot(source)
    if not graph.nodes:
        return "(an empty graph)"
    nodes = graph.nodes
    edges = list(dict.fromkeys(graph.edges))
    tails = {n: [t for t, h in edges if h == n] for n in nodes}
    heads = {n: [h for t, h in edges if t == n] for n in nodes}
    fields = {n: _fields(n, a) if _is_record(a) else [a.get("label", n)] for n, a in nodes.items()}
    first = Counter(f[0] for n, f in fields.items() if _is_record(nodes[n]))
    order = _topological(graph)
    # a record is named by its first box when that is a unique label, else n0, n1, ...
    records = [n for n in order if _is_record(nodes[n])]
    short = {
        n: fields[n][0] if first[fields[n][0]] == 1 and fields[n][0] else f"n{i}"
        for i, n in enumerate(records)
    }
    short.update({n: fields[n][0] for n in nodes if n not in short})
    how, folded, explained = {}, set(), set()
    for n in nodes:
        op = tails[n][0] if len(tails[n]) == 1 else None
        if (
            op is not None
            and _is_record(nodes[n])
            and not _is_record(nodes[op])
            and heads[op] == [n]
            and all(_is_record(nodes[c]) for c in tails[op])
        ):
            how[n] = _expression(fields[op][0], [short[c] for c in tails[op]])
            folded.add(op)
            explained |= {(op, n)} | {(c, op) for c in tails[op]}
    rows = []
    for n in order:
        if n in folded:
            continue
        left = short[n] + (f" = {how[n]}" if how.get(n) else "")
        rest = fields[n][1:] if short[n] == fields[n][0] else fields[n]
        rows.append((left, [f for f in rest if f] if _is_record(nodes[n]) else []))
    width = max(len(left) for left, _ in rows)
    lines = [f"{left:<{width}}   {'   '.join(rest)}".rstrip() for left, rest in rows]
    arrow = "->" if graph.directed else "--"
    lines += [f"{short[t]} {arrow} {short[h]}" for t, h in edges if (t, h) not in explained]
    return "\n".join(lines)


# --- fitting a drawing to the notebook's column ------------------------------------------

COLUMN_PX = 900  # a notebook's column: ~1,030 px in JupyterLab at 1400 px, ~950 in Colab
READABLE_PX = 12  # the smallest text height, in CSS px, a drawing may show
# Layout made tighter than Graphviz's defaults (which leave 0.25-0.5 inch between nodes and
# draw "*" as a 0.75 inch ellipse): the text, not the space around it, takes the width.
COMPACT_GRAPH = {"nodesep": "0.12", "ranksep": "0.22"}
COMPACT_NODE = {"width": "0", "height": "0", "margin": "0.05,0.03"}

_HEADER = re.compile(
    r"\A(?:\s|//[^\n]*|/\*.*?\*/|\#[^\n]*)*(?:strict\s+)?(?:di)?graph\b[^{]*\{", re.I | re.S
)
_NODE_LINE = re.compile(r'^(\s*)("(?:[^"\\]|\\.)*"|[\w.]+)(\s*\[.*)$')
_LABEL = re.compile(r'(\blabel\s*=\s*)"((?:[^"\\]|\\.)*)"')
_SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
_FONT_SIZE = re.compile(r'<text[^>]*font-size="([\d.]+)"')
PX_PER_PT = 4 / 3  # Graphviz measures in points, browsers in CSS px
MAX_LINES_TO_TRY = 2_000  # DOT sources longer than this are drawn in one layout only


@dataclass
class FittedSvg:
    """A drawing chosen by :func:`fit_svg`: the SVG, its size on screen, its smallest text."""

    svg: str
    width_px: float
    height_px: float
    text_px: float
    layout: str  # "as drawn", "stacked records" or "turned" (rankdir LR <-> TB)
    fits: bool  # True: the whole drawing is in the column with readable text

    @property
    def html(self) -> str:
        """The SVG inline in HTML, which is what lets it shrink with a narrower column.

        JupyterLab shows an ``image/svg+xml`` output as an ``<img>`` that no CSS keeps inside
        the column; an inline ``<svg>`` obeys its ``max-width: 100%``. A drawing that does not
        fit scrolls sideways in its own box.
        """
        svg = self.svg[self.svg.find("<svg") :]
        scroll = "" if self.fits else ' style="overflow-x: auto; max-width: 100%"'
        return f'<div class="autograd-graph"{scroll}>{svg}</div>'


def _with_defaults(source: str) -> str | None:
    """The DOT source with COMPACT_* as defaults: attributes the source sets keep its value."""
    header = _HEADER.match(source)
    if header is None:
        return None
    graph = [f"{k}={v}" for k, v in COMPACT_GRAPH.items() if not re.search(rf"\b{k}\s*=", source)]
    node = [f'{k}="{v}"' for k, v in COMPACT_NODE.items() if not re.search(rf"\b{k}\s*=", source)]
    lines = [f"\tgraph [{' '.join(graph)}]\n" if graph else ""]
    lines.append(f"\tnode [{' '.join(node)}]\n" if node else "")
    return source[: header.end()] + "\n" + "".join(lines) + source[header.end() :]


def _stacked(source: str) -> str | None:
    """Every record's boxes turned a quarter: side by side becomes one above the other.

    In a record label each pair of braces flips the direction of the boxes, so one more
    pair around "{ a | data 2.0000 | grad 0.0000 }" stacks them in a left-to-right graph.
    """
    try:
        records = {n for n, attrs in parse_dot(source).nodes.items() if _is_record(attrs)}
    except ValueError:
        return None
    out, changed = [], False
    for line in source.splitlines(keepends=True):
        m = _NODE_LINE.match(line)
        name = m and m.group(2).strip('"').replace('\\"', '"')
        if m and name in records and name.lower() not in ("graph", "node", "edge"):
            line, n = _LABEL.subn(r'\1"{\2}"', line, count=1)
            changed = changed or n > 0
        out.append(line)
    return "".join(out) if changed else None


def _turned(source: str) -> str:
    """The graph laid out the other way: left to right becomes top to bottom, and back."""
    lr = re.findall(r"\brankdir\s*=\s*\"?(\w+)", source)
    rankdir = "TB" if lr and lr[-1].upper() in ("LR", "RL") else "LR"
    end = source.rstrip().rfind("}")
    return source[:end] + f"\tgraph [rankdir={rankdir}]\n" + source[end:]


def _measure(svg: str) -> tuple[float, float, float]:
    """Width and height (points) of a Graphviz SVG and the size of its smallest text."""
    box = _VIEWBOX.search(svg) or _SVG_SIZE.search(svg)
    width, height = (float(box.group(1)), float(box.group(2))) if box else (0.0, 0.0)
    sizes = [float(x) for x in _FONT_SIZE.findall(svg)]
    return width, height, min(sizes, default=14.0)


def _sized(svg: str, width_px: float, height_px: float, shrink: bool) -> str:
    """The SVG with its size in px: ``shrink`` lets it shrink further in a narrower column."""
    style = ' style="max-width: 100%; height: auto"' if shrink else ""
    return _SVG_SIZE.sub(
        f'<svg width="{width_px:.0f}px" height="{height_px:.0f}px"{style}', svg, count=1
    )


def fit_svg(
    dot: graphviz.Digraph | graphviz.Graph | graphviz.Source,
    column_px: float = COLUMN_PX,
    readable_px: float = READABLE_PX,
) -> FittedSvg:
    """The drawing of ``dot`` as an SVG that fits a notebook column, with readable text (02).

    How a drawing is made to fit ``column_px`` (CSS px) with text at least ``readable_px``:

    1. Graphviz lays it out tighter (COMPACT_GRAPH, COMPACT_NODE, where ``dot`` does not set
       them) and the SVG is shrunk to the column when it is wider, never enlarged.
    2. If its text would then be smaller than ``readable_px`` (the lecture's left-to-right
       neuron: 7 px), each record's boxes are stacked (label over data over grad), which
       keeps inputs on the left and the output on the right at a third of the width.
    3. Failing that, the graph is laid out top to bottom instead (or left to right, if it was
       top to bottom): a notebook scrolls down more easily than sideways.
    4. A graph too big for all three (an MLP's, hundreds of Values) is shown in the layout
       that needs the least width at ``readable_px`` text, at that size: wider than the
       column, the output scrolls sideways, and a note at its top says so and points to
       :func:`text_graph`. Microscopic text would show nothing at all. (A DOT source of
       more than MAX_LINES_TO_TRY lines is only drawn as it is, at that size, without the
       note: each layout tried costs a run of ``dot``, seconds for such a graph.)

    Only the picture changes: ``dot.source`` and what ``.render``/``.pipe`` write stay as
    drawn. The SVG's width and height are set in px, with ``max-width: 100%`` so that a
    narrower column shrinks a fitting drawing further (inline, as :attr:`FittedSvg.html`).
    Raises ``graphviz.ExecutableNotFound`` without Graphviz's ``dot`` program.
    """
    source = dot.source
    compact = _with_defaults(source)
    candidates = [("as drawn", compact or source)]
    # each layout tried is one run of dot: a huge graph (seconds per run) gets only the first
    if compact is not None and source.count("\n") <= MAX_LINES_TO_TRY:
        stacked = _stacked(compact)
        if stacked is not None:
            candidates.append(("stacked records", stacked))
        candidates.append(("turned", _turned(compact)))

    def render(text: str) -> str:
        return render_svg(text, engine=dot.engine)

    tried = []
    for layout, text in candidates:
        svg = render(text)
        width, height, font = _measure(svg)
        scale = min(PX_PER_PT, column_px / width) if width else PX_PER_PT
        if font * scale >= readable_px:
            return FittedSvg(
                _sized(svg, width * scale, height * scale, shrink=True),
                width * scale, height * scale, font * scale, layout, fits=True,
            )  # fmt: skip
        tried.append((width * readable_px / font, layout, text))
    # nothing fits: the layout narrowest at readable text, at that size, with a note on top
    _, layout, text = min(tried)
    if len(tried) == 1 and source.count("\n") > MAX_LINES_TO_TRY:  # huge: no second run
        return FittedSvg(
            _sized(svg, width * readable_px / font, height * readable_px / font, shrink=False),
            width * readable_px / font, height * readable_px / font, readable_px, layout,
            fits=False,
        )  # fmt: skip
    note = (
        "This graph is wider than the notebook: scroll sideways to see all of it, "
        "or print(text_graph(root)) for it as text."
    )
    if not re.search(r"(?m)^\s*(graph\s*\[[^\]]*\b)?label\s*=", source):
        end = text.rstrip().rfind("}")
        text = text[:end] + f'\tgraph [label="{note}" labelloc=t labeljust=l]\n' + text[end:]
    svg = render(text)
    width, height, font = _measure(svg)
    scale = min(PX_PER_PT, readable_px / font)
    return FittedSvg(
        _sized(svg, width * scale, height * scale, shrink=False),
        width * scale, height * scale, font * scale, layout, fits=False,
    )  # fmt: skip


# --- drawing ---------------------------------------------------------------------------


class Digraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` that fits the notebook, or shows as text without ``dot`` (02).

    Jupyter displays a Digraph by running Graphviz's ``dot`` program. This class displays
    the drawing made to fit the notebook's column with readable text (:func:`fit_svg`), and
    where ``dot`` is not installed, a one-line install hint and the graph as text, instead
    of a traceback. Everything else (``.source``, ``.render``, ``.pipe``) is graphviz's.
    """

    _text: str | None = None  # set by draw_dot; otherwise the text is read from the source

    def as_text(self) -> str:
        """The graph as text (what Jupyter shows without ``dot``)."""
        if self._text is not None:
            return self._text
        try:
            return text_from_dot(self.source)
        except ValueError:  # DOT this reader does not follow: the source is text too
            return self.source

    def _repr_image_svg_xml(self) -> str:
        return fit_svg(self).svg

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            if include is None and not exclude:  # what Jupyter asks for: the fitted drawing
                fitted = fit_svg(self)
                # front ends show the HTML (richer); tools that read pictures find the SVG
                return {"text/html": fitted.html, "image/svg+xml": fitted.svg}
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except CANNOT_RUN_DOT as exc:
            return {"text/plain": f"{cannot_draw(exc)}\n\n{self.as_text()}"}


def _record_field(text: str) -> str:
    """Text safe inside one field of a record label (these characters are special there)."""
    return re.sub(r'([\\{}|<>"])', r"\\\1", text)


def _record(v: Any) -> str:
    fields = [_record_field(_label(v)), f"data {_number(v.data)}"]
    if hasattr(v, "grad"):
        fields.append(f"grad {_number(v.grad)}")
    return "{ " + " | ".join(fields) + " }"


def draw_dot(root: Any, format: str = "svg", rankdir: str = "LR") -> Digraph:
    """The lecture's drawing of the graph of ``root`` (02_visualization).

    One record node "label | data 2.0000 | grad 0.0000" per Value, and for every Value made
    by an operation a small node showing the operation ("+", "*", "tanh", ...) with an
    edge from each child into it and an edge from it to the result. Node names are
    ``n0``, ``n1``, ... (children before parents) and ``n3_op`` for operation nodes.

    ``format`` is the output format of ``.render``/``.pipe``; ``rankdir="LR"`` draws
    inputs on the left (``"TB"``: top to bottom). Displayed in Jupyter without Graphviz's
    ``dot`` program, the result shows as text (see :class:`Digraph`).
    """
    order, children = _stable_order(root)
    name = {id(v): f"n{i}" for i, v in enumerate(order)}
    dot = Digraph(format=format, graph_attr={"rankdir": rankdir})
    for v in order:
        node = name[id(v)]
        dot.node(node, label=_record(v), shape="record")
        target = node
        if _op(v):
            target = f"{node}_op"
            dot.node(target, label=_op(v))
            dot.edge(target, node)
        for child in children[id(v)]:
            dot.edge(name[id(child)], target)
    dot._text = _text(order, children)
    return dot
