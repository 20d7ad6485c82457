"""Probes of 02_visualization: the learner's ``trace(root)`` and ``draw_dot(root)``.

Each probe builds a small graph with the learner's ``Value`` (the lecture's
L = (a*b + c) * f with the case's leaf values, a Value used twice, ...), hands its root to
the learner's function and reports what came back as plain data:

* a trace as ``objects`` (each distinct object of its result once: a Value of the graph the
  probe built is reported by its name there, with data, grad, op, label and its children's
  names; anything else by its repr) and ``nodes`` and ``edges`` as indices into them;
* a drawing as the nodes (with their attributes) and edges of its DOT source (for
  ``02.draw_dot_values`` also that of an L whose e, d and L have no label).
"""

import graphviz

from autograd_helpers.graph import parse_dot
from autograd_helpers.probes import attr, probe, shown
from autograd_helpers.probes._lecture import L_NAMES, labelled
from autograd_helpers.probes._values import children


def _module(fn) -> object:
    """Where a learner's function says it comes from (the course's own versions are refused)."""
    try:
        return getattr(fn, "__module__", "")
    except Exception:
        return ""


def _named(v, name: str) -> None:
    try:
        v.label = name
    except Exception:  # a class with __slots__ and no label: the label is only a nicety
        pass


def _l_graph(Value, leaves: dict) -> dict:
    """The lecture's e = a*b, d = e + c, L = d*f built with ``Value`` from ``leaves``."""
    v = {name: labelled(Value, x, name) for name, x in leaves.items()}
    v["e"] = v["a"] * v["b"]
    v["d"] = v["e"] + v["c"]
    v["L"] = v["d"] * v["f"]
    for name in ("e", "d", "L"):
        _named(v[name], name)
    return {name: v[name] for name in L_NAMES}


# --- trace ---------------------------------------------------------------------------


def _returned(trace, root) -> tuple[dict, tuple[list, list] | None]:
    """``trace(root)``: what it returned, as plain data, and its (nodes, edges) as lists."""
    result = trace(root)
    if result is None:
        return {"kind": "none"}, None
    try:
        nodes, edges = result
    except (TypeError, ValueError):
        return {"kind": "not_pair", "type": type(result).__name__, "repr": shown(result)}, None
    try:
        nodes, edges = list(nodes), list(edges)
    except TypeError:
        return {"kind": "not_iterable", "nodes": shown(nodes), "edges": shown(edges)}, None
    if nodes and all(isinstance(n, tuple) and len(n) == 2 for n in nodes):
        return {"kind": "pairs"}, None
    for edge in edges:
        if not (isinstance(edge, tuple) and len(edge) == 2):
            return {"kind": "bad_edge", "edge": shown(edge)}, None
    return {"kind": "pair"}, (nodes, edges)


def _object(x, names: dict[int, str]) -> dict:
    name = names.get(id(x))
    if name is None:  # not a Value of the graph the probe built
        return {"name": None, "repr": shown(x), "number": isinstance(x, (int, float))}
    return {
        "name": name,
        "data": attr(x, "data"),
        "grad": attr(x, "grad"),
        "op": attr(x, "_op"),
        "label": attr(x, "label"),
        "children": [names.get(id(c)) for c in children(x)],
    }


def _traced(trace, root, known: dict) -> dict:
    """``trace(root)`` of a graph whose Values are ``known`` ({name: Value}), as plain data."""
    record, lists = _returned(trace, root)
    if lists is None:
        return record
    nodes, edges = lists
    names = {id(x): name for name, x in known.items()}
    objects: list[dict] = []
    index: dict[int, int] = {}

    def ref(x) -> int:
        if id(x) not in index:
            index[id(x)] = len(objects)
            objects.append(_object(x, names))
        return index[id(x)]

    record["nodes"] = [ref(n) for n in nodes]
    record["edges"] = [[ref(c), ref(p)] for c, p in edges]
    record["objects"] = objects
    return record


@probe("02.trace")
def trace_lecture(out, trace, Value, *, leaves):
    out["module"] = _module(trace)
    v = _l_graph(Value, leaves)
    out["L"] = _traced(trace, v["L"], v)


@probe("02.trace_leaf")
def trace_leaf(out, trace, Value, *, x, leaves):
    out["module"] = _module(trace)
    single = labelled(Value, x, "x")
    out["x"] = _traced(trace, single, {"x": single})
    v = _l_graph(Value, leaves)
    out["e"] = _traced(trace, v["e"], {name: v[name] for name in "abe"})


def _counting(Value) -> type:
    """A subclass of the learner's ``Value`` whose nodes count how often ``_prev`` is read.

    A subclass, so that a trace that asks ``isinstance(v, Value)`` still sees Values; its
    nodes are made with the learner's constructor, ``Value(data, _children, _op, label)``.
    """

    class Counted(Value):
        @property
        def _prev(self):
            self.__dict__["reads"] = self.__dict__.get("reads", 0) + 1
            return self.__dict__["_counted_prev"]

        @_prev.setter
        def _prev(self, children):
            self.__dict__["_counted_prev"] = children

    Counted.__name__ = Counted.__qualname__ = Value.__name__
    return Counted


@probe("02.trace_shared")
def trace_shared(out, trace, Value, *, twice, a, b, levels):
    out["module"] = _module(trace)
    x = labelled(Value, twice, "a")
    y = x + x
    _named(y, "b")
    out["twice"] = _traced(trace, y, {"a": x, "b": y})

    p, q = labelled(Value, a, "a"), labelled(Value, b, "b")
    r = p * q
    s = p + r  # p is reached from s directly and through r
    _named(r, "c")
    _named(s, "d")
    out["shared"] = _traced(trace, s, {"a": p, "b": q, "c": r, "d": s})

    # x_k = x_(k-1) + x_(k-1)*2: x_0 is reached through 2**levels paths from the root
    Counted = _counting(Value)
    node = Counted(1.0, (), "", "x0")
    graph = [node]
    for k in range(1, levels + 1):
        two = Counted(2.0)
        m = Counted(node.data * 2, (node, two), "*")
        node = Counted(node.data + m.data, (node, m), "+", f"x{k}")
        graph += [two, m, node]
    for n in graph:
        n.__dict__["reads"] = 0  # the constructor's own reads do not count
    record, lists = _returned(trace, node)
    if lists is not None:
        nodes, edges = lists
        record["most_reads"] = max(n.__dict__.get("reads", 0) for n in graph)
        record["nodes"] = len(nodes)
        record["edges"] = len(edges)
        record["distinct_nodes"] = len({id(n) for n in nodes})
        record["distinct_edges"] = len({(id(c), id(p)) for c, p in edges})
    out["chain"] = record


# --- draw_dot ------------------------------------------------------------------------


def _drawn(out, draw_dot, Value, leaves: dict, grads: dict) -> None:
    """The L graph with ``grads`` set, drawn by the learner's ``draw_dot``: what came back."""
    out["module"] = _module(draw_dot)
    v = _l_graph(Value, leaves)
    for name, grad in grads.items():
        v[name].grad = grad
    dot = draw_dot(v["L"])
    if dot is None:
        kind = "none"
    elif isinstance(dot, str):
        kind = "str"
    elif isinstance(dot, graphviz.Graph):
        kind = "graph"
    elif isinstance(dot, graphviz.Digraph):
        kind = "digraph"
    else:
        kind = "other"
    out["returned"] = {"kind": kind, "type": type(dot).__name__, "repr": shown(dot)}
    if kind != "digraph":
        return
    try:
        graph = parse_dot(dot.source)
    except ValueError as exc:
        out["dot"] = {"error": str(exc)[:300]}
        return
    out["dot"] = {"nodes": graph.nodes, "edges": [list(edge) for edge in graph.edges]}


@probe("02.draw_dot")
def draw_dot_type(out, draw_dot, Value, *, leaves, grads):
    _drawn(out, draw_dot, Value, leaves, grads)


@probe("02.draw_dot_values")
def draw_dot_values(out, draw_dot, Value, *, leaves, grads):
    _drawn(out, draw_dot, Value, leaves, grads)
    # the same L, but e, d and L keep the empty label + and * give them: nodes named after
    # their labels would merge into one
    v = {name: labelled(Value, leaves[name], name) for name in "abcf"}
    L = (v["a"] * v["b"] + v["c"]) * v["f"]
    dot = draw_dot(L)
    try:
        graph = parse_dot(dot.source)
    except (AttributeError, ValueError):  # the first drawing's verdict comes first
        return
    out["unlabelled"] = {"nodes": graph.nodes, "edges": [list(edge) for edge in graph.edges]}


@probe("02.draw_dot_ops")
def draw_dot_ops(out, draw_dot, Value, *, leaves, grads):
    _drawn(out, draw_dot, Value, leaves, grads)
