"""Checks of 02_visualization: ``trace(root)`` and ``draw_dot(root)``.

``draw_dot`` is checked by reading the DOT source of the Digraph it returns, so any node
names work (``str(id(n))`` like the lecture, or counters): what counts is which labels the
nodes show and which edges connect them.
"""

from __future__ import annotations

import re
from collections import Counter

import graphviz

from autograd_helpers.checks._core import check, expect, fail
from autograd_helpers.checks._lecture import L_GRADS as GRADS
from autograd_helpers.checks._lecture import L_STRUCTURE, l_example
from autograd_helpers.checks._values import children
from autograd_helpers.graph import DotGraph, parse_dot

# The lecture's example, drawn with the gradients notebook 03 will find for it (GRADS): a
# node that shows the wrong number for grad (or data) is easy to spot.
OPERATIONS = {name: (op, left + right) for name, (op, left, right) in L_STRUCTURE.items()}
LECTURE_EDGES = [(child, name) for name, (_, *kids) in L_STRUCTURE.items() for child in kids]


# --- trace -----------------------------------------------------------------------------


def _name(x, names: dict[int, str]) -> str:
    return names.get(id(x), repr(x))


def _pairs(pairs, names: dict[int, str]) -> str:
    return ", ".join(f"({_name(c, names)}, {_name(p, names)})" for c, p in pairs)


def _own(fn, name: str) -> None:
    """Refuse the course's own ``trace``/``draw_dot``: they are the answers of this notebook."""
    expect(
        getattr(fn, "__module__", "") != "autograd_helpers.graph",
        f"`{name}` is the course's own autograd_helpers.graph.{name}: write your own in the "
        "exercise cell above (later notebooks import the course's version)",
    )


def _call_trace(trace, root, what: str) -> tuple[list, list]:
    """The learner's ``trace(root)`` as two lists, or a failure saying what came back."""
    _own(trace, "trace")
    result = trace(root)
    expect(result is not None, f"{what} returned None: end trace with `return nodes, edges`")
    try:
        nodes, edges = result
    except (TypeError, ValueError):
        fail(
            f"{what} returned {type(result).__name__} {result!r:.80}, expected a pair "
            "(nodes, edges): end trace with `return nodes, edges`"
        )
    try:
        nodes, edges = list(nodes), list(edges)
    except TypeError:
        fail(f"{what} returned ({nodes!r:.40}, {edges!r:.40}): nodes and edges must be sets")
    if nodes and all(isinstance(n, tuple) and len(n) == 2 for n in nodes):
        fail(f"{what}: nodes holds pairs: did you return (edges, nodes)? Return nodes first")
    for edge in edges:
        expect(
            isinstance(edge, tuple) and len(edge) == 2,
            f"{what}: edges holds {edge!r:.60}; each edge is a pair (child, parent)",
        )
    return nodes, edges


def _compare(what: str, nodes: list, edges: list, root, expected: dict, pairs: list) -> None:
    """Fail unless ``nodes`` is ``expected``'s Values once each and ``edges`` is ``pairs``."""
    names = {id(x): name for name, x in expected.items()}
    strangers = sorted((n for n in nodes if id(n) not in names), key=repr)  # a stable message
    if strangers:
        x = strangers[0]
        if isinstance(x, (int, float)):
            fail(f"{what}: nodes holds the number {x!r}: add the Value itself, not its data")
        fail(
            f"{what}: nodes holds {x!r:.40}, which is not a Value of the graph it was given: "
            "does trace use its argument `root` (not a global like L), and create nodes and "
            "edges inside the function, so that every call starts empty?"
        )
    counts = Counter(id(n) for n in nodes)
    twice = [x for x in expected.values() if counts[id(x)] > 1]
    if twice:
        fail(
            f"{what}: nodes holds {_name(twice[0], names)} {counts[id(twice[0])]} times: "
            "add each Value once — use a set and skip a Value you have seen "
            "(`if v not in nodes:`)"
        )
    missing = [name for name, x in expected.items() if counts[id(x)] == 0]
    if counts[id(root)] == 0:
        fail(
            f"{what}: nodes lacks the root {_name(root, names)} itself: add each Value to "
            "nodes when you reach it, before walking its children"
        )
    if missing:
        found = [name for name, x in expected.items() if counts[id(x)]]
        fail(
            f"{what} found {', '.join(found)} ({len(found)} of {len(expected)} Values); "
            f"missing {', '.join(missing)}: trace must walk all the way down, calling "
            "build(child) for every child, so that it reaches the children's children too"
        )
    got = Counter((id(c), id(p)) for c, p in edges)
    want = {(id(c), id(p)) for c, p in pairs}
    if got and set(got) == {(p, c) for c, p in want}:
        c, p = pairs[0]
        fail(
            f"{what}: edges are (parent, child), e.g. ({_name(p, names)}, {_name(c, names)}); "
            f"expected (child, parent), e.g. ({_name(c, names)}, {_name(p, names)}): "
            "an edge points from an input to the Value computed from it"
        )
    extra = [(c, p) for c, p in edges if (id(c), id(p)) not in want]
    extra.sort(key=lambda pair: _pairs([pair], names))
    if extra:
        fail(
            f"{what}: edges holds {_pairs(extra[:3], names)}, which are not (child, parent) "
            f"pairs of this graph; expected exactly {_pairs(pairs, names)}"
        )
    lacking = [(c, p) for c, p in pairs if (id(c), id(p)) not in got]
    if lacking:
        fail(
            f"{what}: edges lacks {_pairs(lacking, names)}: add (child, v) for every child "
            "of every Value v you visit"
        )
    for c, p in pairs:
        allowed = max(1, sum(child is c for child in children(p)))  # a tuple _prev may hold a twice
        if got[(id(c), id(p))] > allowed:
            fail(
                f"{what}: edges holds ({_name(c, names)}, {_name(p, names)}) "
                f"{got[(id(c), id(p))]} times: add each edge once (use a set, or skip a "
                "Value you have seen)"
            )


@check("02.trace")
def trace_lecture(trace, Value) -> str:
    v = l_example(Value)
    nodes, edges = _call_trace(trace, v["L"], "trace(L)")
    _compare("trace(L)", nodes, edges, v["L"], v, [(v[c], v[p]) for c, p in LECTURE_EDGES])
    return (
        "trace(L) gives the 7 Values a, b, c, d, e, f, L once each and the 6 edges "
        "(a, e), (b, e), (e, d), (c, d), (d, L), (f, L) as (child, parent) "
        "(not checked yet: a single Value, a Value used twice)"
    )


@check("02.trace_leaf")
def trace_leaf(trace, Value) -> str:
    x = Value(5.0, label="x")
    nodes, edges = _call_trace(trace, x, "trace(x)")
    expect(
        nodes,
        "trace(x) of a single Value x gave no nodes: x itself is a node; add each Value to "
        "nodes when you reach it, not only the children",
    )
    _compare("trace(x) of a single Value x", nodes, edges, x, {"x": x}, [])
    v = l_example(Value)
    part = {name: v[name] for name in "abe"}
    nodes, edges = _call_trace(trace, v["e"], "trace(e)")
    _compare(
        "trace(e) (the part e = a*b of L's graph)", nodes, edges, v["e"], part,
        [(v["a"], v["e"]), (v["b"], v["e"])],
    )  # fmt: skip
    return (
        "trace(x) of a single Value is ({x}, no edges); trace(e) of e = a*b inside L's "
        "graph gives only a, b, e and the edges (a, e), (b, e)"
    )


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


def _reads(node) -> int:
    return node.__dict__.get("reads", 0)


@check("02.trace_shared")
def trace_shared(trace, Value) -> str:
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    nodes, edges = _call_trace(trace, b, "trace(b) for b = a + a")
    _compare("trace(b) for b = a + a", nodes, edges, b, {"a": a, "b": b}, [(a, b)])

    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    d = a + c  # a is reached from d directly and through c
    c.label, d.label = "c", "d"
    nodes, edges = _call_trace(trace, d, "trace(d) for c = a*b, d = a + c")
    _compare(
        "trace(d) for c = a*b, d = a + c", nodes, edges, d, {"a": a, "b": b, "c": c, "d": d},
        [(a, c), (b, c), (a, d), (c, d)],
    )  # fmt: skip

    # x_k = x_(k-1) + x_(k-1)*2: x_0 is reached through 2**12 paths from x_12
    levels = 12
    Counted = _counting(Value)
    x = Counted(1.0, (), "", "x0")
    graph = [x]
    for k in range(1, levels + 1):
        two = Counted(2.0)
        m = Counted(x.data * 2, (x, two), "*")
        x = Counted(x.data + m.data, (x, m), "+", f"x{k}")
        graph += [two, m, x]
    for node in graph:
        node.__dict__["reads"] = 0  # the constructor's own reads do not count
    nodes, edges = _call_trace(trace, x, "trace(x12)")
    most = max(graph, key=_reads)
    expect(
        _reads(most) <= 3,
        f"trace walked into the same Value {_reads(most)} times in a graph of {len(graph)} "
        f"Values (x_k = x_(k-1) + x_(k-1)*2, {levels} times): skip a Value that is already "
        "in nodes (`if v not in nodes:`). Without that, the work doubles at every level "
        "and the graph of a neural net would never finish drawing.",
    )
    expect(
        len({id(n) for n in nodes}) == len(graph)
        and len({(id(p), id(q)) for p, q in edges}) == 4 * levels,
        f"trace(x12) found {len(nodes)} Values and {len(edges)} edges, expected "
        f"{len(graph)} and {4 * levels}",
    )
    return (
        "b = a + a gives nodes a, b once each and the one edge (a, b); a Value reached "
        "through two paths (d = a + a*b) appears once; on a graph where x0 has 4096 paths "
        "to the root, trace reads each Value's children at most 3 times"
    )


# --- draw_dot ------------------------------------------------------------------------


def _drawn(draw_dot, Value) -> tuple[dict, graphviz.Digraph, DotGraph]:
    """The lecture's graph with its gradients set, drawn by the learner's ``draw_dot``."""
    _own(draw_dot, "draw_dot")
    v = l_example(Value)
    for name, grad in GRADS.items():
        v[name].grad = grad
    dot = draw_dot(v["L"])
    expect(dot is not None, "draw_dot(L) returned None: end draw_dot with `return dot`")
    if isinstance(dot, str):
        fail("draw_dot(L) returned a string: return the Digraph itself (`return dot`)")
    if isinstance(dot, graphviz.Graph):
        fail("draw_dot(L) returned a graphviz.Graph, whose edges have no direction: use Digraph")
    expect(
        isinstance(dot, graphviz.Digraph),
        f"draw_dot(L) returned {type(dot).__name__} {dot!r:.60}, expected a graphviz.Digraph",
    )
    try:
        graph = parse_dot(dot.source)
    except ValueError as exc:
        fail(f"draw_dot(L).source is not valid DOT ({exc})")
    expect(
        graph.nodes,
        "draw_dot(L) returned an empty Digraph: add a node for every Value of "
        "trace(root) with dot.node(...)",
    )
    return v, dot, graph


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _numbers(text: str) -> list[float]:
    return [float(x) for x in _NUMBER.findall(text)]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d]\w*", _NUMBER.sub(" ", text)))


def _shows(numbers: list[float], want: float) -> bool:
    return any(abs(x - want) < 0.01 for x in numbers)


def _value_nodes(graph: DotGraph, v: dict) -> dict[str, str]:
    """For each Value name ("a", ..., "L"), the one node showing its label, data and grad."""
    labels = {n: attrs["label"] for n, attrs in graph.nodes.items() if "label" in attrs}
    expect(
        labels,
        "the nodes of draw_dot(L) have no label, so they would show their names: give each "
        "Value's node a label, e.g. label='{ a | data 2.0000 | grad 0.0000 }'",
    )
    found = {}
    for name, value in v.items():
        named = [n for n, text in labels.items() if name in _words(text)]
        loops = [t for t, h in graph.edges if t == h]
        if not named and loops:
            fail(
                f"no node shows {name!r}, and node {loops[0]!r} has an arrow to itself: "
                "add an operation node only `if n._op:`. For a leaf, uid + n._op is uid "
                "itself, so its empty operation node replaced the leaf's box"
            )
        expect(
            named,
            f"no node of draw_dot(L) shows the label {name!r}: put n.label in each node's "
            f"label, e.g. '{{ {name} | data {value.data:.4f} | grad {value.grad:.4f} }}'",
        )
        with_data = [n for n in named if _shows(_numbers(labels[n]), value.data)]
        expect(
            with_data,
            f"the node of {name} reads {labels[named[0]]!r}: {name}.data = {value.data} "
            "is not in it; show the data too, "
            f"e.g. '{{ {name} | data {value.data:.4f} | grad {value.grad:.4f} }}'",
        )
        expect(
            len(with_data) == 1,
            f"{name} has {len(with_data)} nodes ({', '.join(with_data)}): draw one node per "
            "Value, named after that Value (uid = str(id(n)))",
        )
        node = with_data[0]
        numbers = _numbers(labels[node])
        numbers.remove(next(x for x in numbers if abs(x - value.data) < 0.01))
        expect(
            numbers,
            f"the node of {name} reads {labels[node]!r}: show the grad too, "
            f"'grad {value.grad:.4f}' (this check set {name}.grad = {value.grad}; "
            "notebook 03 computes grads)",
        )
        expect(
            _shows(numbers, value.grad),
            f"the node of {name} reads {labels[node]!r}, expected grad {value.grad:.4f} "
            f"(this check set {name}.grad = {value.grad} before drawing): does "
            "draw_dot draw the Values of trace(root), showing n.grad?",
        )
        shape = graph.nodes[node].get("shape", "")
        expect(
            shape.lower() in ("record", "mrecord"),
            f"the node of {name} has shape {shape or 'ellipse (the default)'!r}: use "
            "shape='record', which splits the label at each | into the lecture's boxes",
        )
        found[name] = node
    return found


@check("02.draw_dot")
def draw_dot_type(draw_dot, Value) -> str:
    _, dot, graph = _drawn(draw_dot, Value)
    return (
        f"draw_dot(L) returns a {type(dot).__name__} (a graphviz.Digraph) with "
        f"{len(graph.nodes)} nodes and {len(graph.edges)} edges; what they show is "
        "checked next"
    )


@check("02.draw_dot_values")
def draw_dot_values(draw_dot, Value) -> str:
    v, _, graph = _drawn(draw_dot, Value)
    nodes = _value_nodes(graph, v)
    example = graph.nodes[nodes["a"]]["label"]
    return (
        "each of the 7 Values of L has one record node showing its label, data and grad, "
        f"e.g. a: {example!r} (grads set by this check); operation nodes and edges are "
        "checked next"
    )


@check("02.draw_dot_ops")
def draw_dot_ops(draw_dot, Value) -> str:
    v, _, graph = _drawn(draw_dot, Value)
    node_of = _value_nodes(graph, v)
    name_of = {n: name for name, n in node_of.items()}
    others = [n for n in graph.nodes if n not in name_of]
    edges = set(graph.edges)

    def shown(n: str) -> str:
        """What a node displays: its label, or its name when it has none."""
        return name_of.get(n) or graph.nodes[n].get("label", n)

    for o in sorted(others, key=shown):
        out = sorted(shown(h) for t, h in edges if t == o)
        expect(
            len(out) <= 1,
            f"the {shown(o)!r} node has arrows out to {' and '.join(out)}: an operation node "
            "has one arrow out, to its result, and the arrows from the children go into it "
            "(dot.edge(str(id(child)), str(id(parent)) + parent._op)); is one reversed?",
        )
    for leaf in "abcf":
        into = sorted((t for t, h in edges if h == node_of[leaf]), key=shown)
        expect(
            not into,
            f"an edge leads into leaf {leaf} (from {shown(into[0]) if into else ''!r}): a "
            "leaf was not made by an operation, so it gets no operation node "
            "(add one only `if n._op:`)",
        )
    op_nodes = []
    for name, (op, kids) in OPERATIONS.items():
        node = node_of[name]
        into = sorted((t for t, h in edges if h == node), key=shown)
        straight = [name_of[t] for t in into if t in name_of]
        expect(
            not straight,
            f"an edge goes straight from {straight[0] if straight else ''} to {name}: it "
            f"should go into {name}'s operation node ({op!r}) — connect each child to "
            "str(id(parent)) + parent._op",
        )
        if not into:
            fed = [o for o in others if any((node_of[k], o) in edges for k in kids)]
            if not fed and not others:
                fail(
                    "draw_dot(L) has no operation nodes: for every Value with an _op, add "
                    "a node showing the operation, dot.node(name=uid + n._op, label=n._op), "
                    "and an edge from it to the Value"
                )
            if fed and (node, fed[0]) in edges:
                fail(
                    f"the edge between {name} and its {op!r} node points the wrong way: "
                    "draw it from the operation node to the Value, dot.edge(uid + n._op, uid)"
                )
            if fed and "label" not in graph.nodes[fed[0]]:
                fail(
                    f"the operation that made {name} has no node of its own, only edges "
                    f"ending at the name {fed[0]!r}: for every Value with an _op, add "
                    "dot.node(name=uid + n._op, label=n._op) and dot.edge(uid + n._op, uid)"
                )
            fail(
                f"no edge leads into {name}'s node from its operation node ({op!r}): add "
                "dot.edge(uid + n._op, uid) for every Value with an _op"
            )
        expect(
            len(into) == 1,
            f"{len(into)} nodes lead into {name} ({', '.join(map(repr, map(shown, into)))}): "
            f"expected only the node of its operation {op!r}",
        )
        o = into[0]
        text = shown(o)
        expect(
            text.strip() == op,
            f"the operation node of {name} shows {text!r}, expected {op!r}: give it "
            "label=n._op" + (" (a node without a label shows its name)" if text == o else ""),
        )
        for k in kids:
            if (node_of[k], o) not in edges:
                if (o, node_of[k]) in edges:
                    fail(
                        f"the edge between {k} and the {op!r} node of {name} points the "
                        "wrong way: draw it from the child to the operation node"
                    )
                fail(
                    f"no edge from {k} into the {op!r} node of {name}: for every (child, "
                    "parent) of trace(root), add dot.edge(str(id(child)), str(id(parent)) "
                    "+ parent._op)"
                )
        op_nodes.append(o)
    extra = [shown(n) for n in others if n not in op_nodes]
    expect(
        not extra,
        f"draw_dot(L) has {len(others)} nodes besides the 7 Values ({extra[:3]} too), "
        "expected only the 3 operation nodes ('*' of e, '+' of d, '*' of L)",
    )
    wanted = 3 + 6
    expect(
        len(edges) == wanted,
        f"draw_dot(L) has {len(edges)} edges, expected {wanted}: one from each operation "
        "node to its Value, one from each child to its parent's operation node",
    )
    return (
        "e, d and L each have one operation node ('*', '+', '*') with edges child -> "
        "operation -> Value; leaves have none; 10 nodes and 9 edges in all"
    )
