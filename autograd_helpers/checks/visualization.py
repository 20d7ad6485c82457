"""Checks of 02_visualization: ``trace(root)`` and ``draw_dot(root)``.

``draw_dot`` is checked by reading the DOT source of the Digraph it returns, so any node
names work (``str(id(n))`` like the lecture, or counters): what counts is which labels the
nodes show and which edges connect them.

The probes (``autograd_helpers.probes.visualization``) build the graphs with the learner's
``Value``: the lecture's L = (a*b + c) * f from the case's leaves (the notebook's are the
lecture's; the grader draws others), a Value used twice, a chain with many paths. A trace
comes back as objects named after the Values of that graph, and nodes and edges as
indices into them; a drawing as the nodes and edges of its DOT source.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

from autograd_helpers.checks._core import Malformed, check, close, expect, fail, number
from autograd_helpers.graph import DotGraph
from autograd_helpers.probes import visualization as _probes  # noqa: F401  (registers the probes)
from autograd_helpers.probes._lecture import L_GRADS, L_LEAVES, L_NAMES, L_STRUCTURE

# The lecture's example, drawn with the gradients notebook 03 will find for it (L_GRADS): a
# node that shows the wrong number for grad (or data) is easy to spot.
OPERATIONS = {name: (op, left + right) for name, (op, left, right) in L_STRUCTURE.items()}
LECTURE_EDGES = [(child, name) for name, (_, *kids) in L_STRUCTURE.items() for child in kids]


def l_data(leaves: dict) -> dict[str, float]:
    """The data of every Value of L = (a*b + c) * f, computed as the Value class does."""
    a, b, c, f = (leaves[name] for name in "abcf")
    e = a * b
    d = e + c
    return {"a": a, "b": b, "c": c, "f": f, "e": e, "d": d, "L": d * f}


def l_grads(leaves: dict) -> dict[str, float]:
    """dL/d(every Value) of L = (a*b + c) * f: what notebook 03's backward finds."""
    v = l_data(leaves)
    f = v["f"]
    return {"a": v["b"] * f, "b": v["a"] * f, "c": f, "e": f, "d": f, "f": v["d"], "L": 1.0}


# --- the grader's cases --------------------------------------------------------------------


def _leaves(rng, integers: bool = False) -> dict:
    """Leaves for L whose 7 data differ, and whose every node shows data far from its grad."""
    while True:
        if integers:
            drawn = [rng.choice((-1, 1)) * rng.randint(2, 6) for _ in range(4)]
        else:
            drawn = [rng.choice((-1, 1)) * round(rng.uniform(0.5, 5.0), 2) for _ in range(4)]
        leaves = dict(zip("abcf", drawn))
        data, grads = l_data(leaves), l_grads(leaves)
        numbers = [*data.values(), *grads.values()]
        if (
            leaves != L_LEAVES
            and all(abs(x) >= 0.5 for x in numbers)
            and all(abs(x - y) >= 0.1 for x, y in combinations(data.values(), 2))
            and all(abs(data[name] - grads[name]) >= 0.1 for name in data)
        ):
            return leaves


def _number(rng) -> float:
    """A number with 2 decimals, 0.5 to 9 from 0, either sign."""
    return rng.choice((-1, 1)) * round(rng.uniform(0.5, 9.0), 2)


def _l_cases(rng) -> list[dict]:
    """L from integer leaves, then from two draws of 2-decimal leaves."""
    return [{"leaves": _leaves(rng, integers=True)}, *({"leaves": _leaves(rng)} for _ in "12")]


def _leaf_cases(rng) -> list[dict]:
    """A single Value x (an integer, then 2 decimals), and the part e = a*b of an L."""
    return [
        {"x": rng.choice((-1, 1)) * rng.randint(1, 9), "leaves": _leaves(rng, integers=True)},
        {"x": _number(rng), "leaves": _leaves(rng)},
    ]


def _shared_cases(rng) -> list[dict]:
    """Other numbers for a + a and a + a*b; a chain of 8-11 levels, then the notebook's 12."""
    return [
        {"twice": _number(rng), "a": _number(rng), "b": _number(rng), "levels": levels}
        for levels in (rng.randint(8, 11), 12)
    ]


def _drawing_cases(rng) -> list[dict]:
    """The L cases, each drawn with the gradients notebook 03 will find for it."""
    return [{**case, "grads": l_grads(case["leaves"])} for case in _l_cases(rng)]


# --- trace -----------------------------------------------------------------------------


def _own(module: object, name: str) -> None:
    """Refuse the course's own ``trace``/``draw_dot``: they are the answers of this notebook."""
    expect(
        module != "autograd_helpers.graph",
        f"`{name}` is the course's own autograd_helpers.graph.{name}: write your own in the "
        "exercise cell above (later notebooks import the course's version)",
    )


def _returned(r: dict, what: str) -> None:
    """Fail unless the learner's trace returned a pair (nodes, edges) of usable lists."""
    kind = r["kind"]
    expect(kind != "none", f"{what} returned None: end trace with `return nodes, edges`")
    if kind == "not_pair":
        fail(
            f"{what} returned {r['type']} {r['repr']:.80}, expected a pair "
            "(nodes, edges): end trace with `return nodes, edges`"
        )
    if kind == "not_iterable":
        fail(f"{what} returned ({r['nodes']:.40}, {r['edges']:.40}): nodes and edges must be sets")
    if kind == "pairs":
        fail(f"{what}: nodes holds pairs: did you return (edges, nodes)? Return nodes first")
    if kind == "bad_edge":
        fail(f"{what}: edges holds {r['edge']:.60}; each edge is a pair (child, parent)")
    if kind != "pair":
        raise Malformed(f"a trace answer of kind {kind!r}")


def _compare(what: str, r: dict, root: str, expected: dict, pairs: list) -> None:
    """Fail unless the trace ``r`` holds ``expected``'s Values once each and edges ``pairs``.

    ``expected`` maps each name of the graph to its data, ``pairs`` are (child, parent) names.
    """
    objects = r["objects"]
    nodes, edges = r["nodes"], [tuple(edge) for edge in r["edges"]]
    ok = range(len(objects))
    if not (all(i in ok for i in nodes) and all(len(e) == 2 and set(e) <= set(ok) for e in edges)):
        raise Malformed("a trace answer whose nodes or edges are not indices of its objects")

    def name(i: int) -> str:
        o = objects[i]
        return o["name"] if o["name"] in expected else o["repr"]

    def shown_pairs(pairs_: list) -> str:
        return ", ".join(f"({name(c)}, {name(p)})" for c, p in pairs_)

    strangers = [objects[i] for i in nodes if objects[i]["name"] not in expected]
    strangers.sort(key=lambda o: o["repr"])  # a stable message
    if strangers:
        x = strangers[0]
        if x["number"]:
            fail(f"{what}: nodes holds the number {x['repr']}: add the Value itself, not its data")
        fail(
            f"{what}: nodes holds {x['repr']:.40}, which is not a Value of the graph it was given: "
            "does trace use its argument `root` (not a global like L), and create nodes and "
            "edges inside the function, so that every call starts empty?"
        )
    counts = Counter(objects[i]["name"] for i in nodes)
    twice = [x for x in expected if counts[x] > 1]
    if twice:
        fail(
            f"{what}: nodes holds {twice[0]} {counts[twice[0]]} times: "
            "add each Value once — use a set and skip a Value you have seen "
            "(`if v not in nodes:`)"
        )
    missing = [x for x in expected if counts[x] == 0]
    if counts[root] == 0:
        fail(
            f"{what}: nodes lacks the root {root} itself: add each Value to "
            "nodes when you reach it, before walking its children"
        )
    if missing:
        found = [x for x in expected if counts[x]]
        fail(
            f"{what} found {', '.join(found)} ({len(found)} of {len(expected)} Values); "
            f"missing {', '.join(missing)}: trace must walk all the way down, calling "
            "build(child) for every child, so that it reaches the children's children too"
        )
    index = {objects[i]["name"]: i for i in nodes}
    want_pairs = [(index[c], index[p]) for c, p in pairs]
    got = Counter(edges)
    want = set(want_pairs)
    if got and set(got) == {(p, c) for c, p in want}:
        c, p = pairs[0]
        fail(
            f"{what}: edges are (parent, child), e.g. ({p}, {c}); "
            f"expected (child, parent), e.g. ({c}, {p}): "
            "an edge points from an input to the Value computed from it"
        )
    extra = [(c, p) for c, p in edges if (c, p) not in want]
    extra.sort(key=lambda pair: shown_pairs([pair]))
    if extra:
        fail(
            f"{what}: edges holds {shown_pairs(extra[:3])}, which are not (child, parent) "
            f"pairs of this graph; expected exactly {shown_pairs(want_pairs)}"
        )
    lacking = [(c, p) for c, p in want_pairs if (c, p) not in got]
    if lacking:
        fail(
            f"{what}: edges lacks {shown_pairs(lacking)}: add (child, v) for every child "
            "of every Value v you visit"
        )
    for (c, p), (child, parent) in zip(want_pairs, pairs):
        # a tuple _prev may hold a twice
        allowed = max(1, list(objects[p]["children"]).count(child))
        if got[(c, p)] > allowed:
            fail(
                f"{what}: edges holds ({child}, {parent}) "
                f"{got[(c, p)]} times: add each edge once (use a set, or skip a "
                "Value you have seen)"
            )
    for x, want_data in expected.items():  # the Values are those of the graph built from the case
        data = objects[index[x]]["data"]
        expect(
            close(data, want_data),
            f"{what}: {x}.data is {number(data)}, expected {number(want_data)}: the check "
            "built this graph with your Value class, whose + and * compute the data "
            "(as in notebook 01)",
        )


@check("02.trace", visible={"leaves": dict(L_LEAVES)}, hidden=_l_cases)
def trace_lecture(d, leaves) -> str:
    _own(d["module"], "trace")
    r = d["L"]
    _returned(r, "trace(L)")
    _compare("trace(L)", r, "L", l_data(leaves), LECTURE_EDGES)
    return (
        "trace(L) gives the 7 Values a, b, c, d, e, f, L once each and the 6 edges "
        "(a, e), (b, e), (e, d), (c, d), (d, L), (f, L) as (child, parent) "
        "(a single Value and a Value used twice are checked next)"
    )


@check("02.trace_leaf", visible={"x": 5.0, "leaves": dict(L_LEAVES)}, hidden=_leaf_cases)
def trace_leaf(d, x, leaves) -> str:
    _own(d["module"], "trace")
    r = d["x"]
    _returned(r, "trace(x)")
    expect(
        r["nodes"],
        "trace(x) of a single Value x gave no nodes: x itself is a node; add each Value to "
        "nodes when you reach it, not only the children",
    )
    _compare("trace(x) of a single Value x", r, "x", {"x": x}, [])
    r = d["e"]
    _returned(r, "trace(e)")
    data = l_data(leaves)
    _compare(
        "trace(e) (the part e = a*b of L's graph)", r, "e", {name: data[name] for name in "abe"},
        [("a", "e"), ("b", "e")],
    )  # fmt: skip
    return (
        "trace(x) of a single Value is ({x}, no edges); trace(e) of e = a*b inside L's "
        "graph gives only a, b, e and the edges (a, e), (b, e)"
    )


@check(
    "02.trace_shared",
    visible={"twice": 3.0, "a": 2.0, "b": -3.0, "levels": 12},
    hidden=_shared_cases,
)
def trace_shared(d, twice, a, b, levels) -> str:
    _own(d["module"], "trace")
    what = "trace(b) for b = a + a"
    r = d["twice"]
    _returned(r, what)
    _compare(what, r, "b", {"a": twice, "b": twice + twice}, [("a", "b")])

    what = "trace(d) for c = a*b, d = a + c"
    r = d["shared"]
    _returned(r, what)
    c = a * b
    _compare(
        what, r, "d", {"a": a, "b": b, "c": c, "d": a + c},
        [("a", "c"), ("b", "c"), ("a", "d"), ("c", "d")],
    )  # fmt: skip

    # x_k = x_(k-1) + x_(k-1)*2: x_0 is reached through 2**levels paths from x_levels
    size = 1 + 3 * levels
    r = d["chain"]
    _returned(r, f"trace(x{levels})")
    most = r["most_reads"]
    expect(
        most <= 3,
        f"trace walked into the same Value {most} times in a graph of {size} "
        f"Values (x_k = x_(k-1) + x_(k-1)*2, {levels} times): skip a Value that is already "
        "in nodes (`if v not in nodes:`). Without that, the work doubles at every level "
        "and the graph of a neural net would never finish drawing.",
    )
    expect(
        r["distinct_nodes"] == size and r["distinct_edges"] == 4 * levels,
        f"trace(x{levels}) found {r['nodes']} Values and {r['edges']} edges, expected "
        f"{size} and {4 * levels}",
    )
    return (
        "b = a + a gives nodes a, b once each and the one edge (a, b); a Value reached "
        f"through two paths (d = a + a*b) appears once; on a graph where x0 has {2**levels} "
        "paths to the root, trace reads each Value's children at most 3 times"
    )


# --- draw_dot ------------------------------------------------------------------------


def _drawn(d) -> tuple[str, DotGraph]:
    """The type the learner's ``draw_dot(L)`` returned and the graph of its DOT source."""
    _own(d["module"], "draw_dot")
    r = d["returned"]
    kind = r["kind"]
    expect(kind != "none", "draw_dot(L) returned None: end draw_dot with `return dot`")
    if kind == "str":
        fail("draw_dot(L) returned a string: return the Digraph itself (`return dot`)")
    if kind == "graph":
        fail("draw_dot(L) returned a graphviz.Graph, whose edges have no direction: use Digraph")
    expect(
        kind == "digraph",
        f"draw_dot(L) returned {r['type']} {r['repr']:.60}, expected a graphviz.Digraph",
    )
    dot = d["dot"]
    if "error" in dot:
        fail(f"draw_dot(L).source is not valid DOT ({dot['error']})")
    nodes, edges = dot["nodes"], [tuple(edge) for edge in dot["edges"]]
    if not (
        isinstance(nodes, dict)
        and all(
            isinstance(attrs, dict) and all(isinstance(v, str) for v in attrs.values())
            for attrs in nodes.values()
        )
        and all(len(e) == 2 and e[0] in nodes and e[1] in nodes for e in edges)
    ):
        raise Malformed("a drawing whose nodes or edges are not those of a DOT graph")
    graph = DotGraph(nodes=nodes, edges=edges)
    expect(
        graph.nodes,
        "draw_dot(L) returned an empty Digraph: add a node for every Value of "
        "trace(root) with dot.node(...)",
    )
    return r["type"], graph


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _numbers(text: str) -> list[float]:
    return [float(x) for x in _NUMBER.findall(text)]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d]\w*", _NUMBER.sub(" ", text)))


def _shows(numbers: list[float], want: float) -> bool:
    return any(abs(x - want) < 0.01 for x in numbers)


def _values(leaves: dict, grads: dict) -> dict[str, tuple[float, float]]:
    """Each Value of L by name ("a", ..., "L"): the data it has and the grad the probe set."""
    data = l_data(leaves)
    return {name: (data[name], grads[name]) for name in L_NAMES}


def _value_nodes(graph: DotGraph, values: dict) -> dict[str, str]:
    """For each Value name ("a", ..., "L"), the one node showing its label, data and grad."""
    labels = {n: attrs["label"] for n, attrs in graph.nodes.items() if "label" in attrs}
    expect(
        labels,
        "the nodes of draw_dot(L) have no label, so they would show their names: give each "
        "Value's node a label, e.g. label='{ a | data 2.0000 | grad 0.0000 }'",
    )
    found = {}
    for name, (data, grad) in values.items():
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
            f"label, e.g. '{{ {name} | data {data:.4f} | grad {grad:.4f} }}'",
        )
        with_data = [n for n in named if _shows(_numbers(labels[n]), data)]
        if not with_data and len(_numbers(labels[named[0]])) >= 2:  # numbers, but not its data
            fail(
                f"the node of {name} reads {labels[named[0]]!r}: {name}.data = {number(data)} "
                "is not in it (this check built an L of its own and drew that): does "
                "draw_dot draw the Values of trace(root), showing n.data?"
            )
        expect(
            with_data,
            f"the node of {name} reads {labels[named[0]]!r}: {name}.data = {number(data)} "
            "is not in it; show the data too, "
            f"e.g. '{{ {name} | data {data:.4f} | grad {grad:.4f} }}'",
        )
        expect(
            len(with_data) == 1,
            f"{name} has {len(with_data)} nodes ({', '.join(with_data)}): draw one node per "
            "Value, named after that Value (uid = str(id(n)))",
        )
        node = with_data[0]
        numbers = _numbers(labels[node])
        numbers.remove(next(x for x in numbers if abs(x - data) < 0.01))
        expect(
            numbers,
            f"the node of {name} reads {labels[node]!r}: show the grad too, "
            f"'grad {grad:.4f}' (this check set {name}.grad = {number(grad)}; "
            "notebook 03 computes grads)",
        )
        expect(
            _shows(numbers, grad),
            f"the node of {name} reads {labels[node]!r}, expected grad {grad:.4f} "
            f"(this check set {name}.grad = {number(grad)} before drawing): does "
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


DRAWN = {"leaves": dict(L_LEAVES), "grads": dict(L_GRADS)}


@check("02.draw_dot", visible=DRAWN, hidden=_drawing_cases)
def draw_dot_type(d, leaves, grads) -> str:
    type_name, graph = _drawn(d)
    return (
        f"draw_dot(L) returns a {type_name} (a graphviz.Digraph) with "
        f"{len(graph.nodes)} nodes and {len(graph.edges)} edges; what they show is "
        "checked next"
    )


def _unlabelled(d: dict, leaves: dict, node_of: dict[str, str]) -> None:
    """Fail unless the drawing of an L whose e, d and L have no label shows all 7 Values."""
    drawn = d.get("unlabelled")
    if not isinstance(drawn, dict) or not isinstance(drawn.get("nodes"), dict):
        raise Malformed("no drawing of the unlabelled L")
    labels = [
        attrs.get("label", "") for attrs in drawn["nodes"].values() if isinstance(attrs, dict)
    ]
    data = l_data(leaves)
    missing = [name for name in L_NAMES if not any(_shows(_numbers(t), data[name]) for t in labels)]
    if not missing:
        return
    seen = f"no node shows the data of {', '.join(missing)}"
    if all(node == name for name, node in node_of.items()):
        fail(
            f"draw_dot of an L whose e, d and L have no label (label='', as + and * leave "
            f"it) drew fewer boxes than Values: {seen}. Its nodes are named after the "
            "labels ('a', 'b', ...), so Values without a label share one node: name each "
            "node after the Value itself, uid = str(id(n)) (labels can be empty or repeat)"
        )
    fail(
        f"draw_dot of an L whose e, d and L have no label (label='', as + and * leave it) "
        f"drew fewer boxes than Values: {seen}; expected a node per Value, named after "
        "the Value itself (uid = str(id(n)))"
    )


@check("02.draw_dot_values", visible=DRAWN, hidden=_drawing_cases)
def draw_dot_values(d, leaves, grads) -> str:
    _, graph = _drawn(d)
    nodes = _value_nodes(graph, _values(leaves, grads))
    _unlabelled(d, leaves, nodes)
    example = graph.nodes[nodes["a"]]["label"]
    return (
        "each of the 7 Values of L has one record node showing its label, data and grad, "
        f"e.g. a: {example!r} (grads set by this check), also when e, d and L have no "
        "label; operation nodes and edges are checked next"
    )


def _child_arrows(
    node_of: dict[str, str], others: list[str], edges: set[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The arrows between each (child, parent) of L: those going down, from the parent's
    node to the child's (or to the child's operation node), and those going up, from the
    child's node to the parent's (or to the parent's operation node), as (parent, child)."""

    def near(name: str) -> set[str]:
        """The node of Value ``name`` and the nodes with an arrow into it (its operation's)."""
        return {node_of[name]} | {o for o in others if (o, node_of[name]) in edges}

    downward, upward = [], []
    for parent, (_, kids) in OPERATIONS.items():
        for kid in kids:
            if any((node_of[parent], h) in edges for h in near(kid)):
                downward.append((parent, kid))
            if any((node_of[kid], h) in edges for h in near(parent)):
                upward.append((parent, kid))
    return downward, upward


@check("02.draw_dot_ops", visible=DRAWN, hidden=_drawing_cases)
def draw_dot_ops(d, leaves, grads) -> str:
    _, graph = _drawn(d)
    node_of = _value_nodes(graph, _values(leaves, grads))
    name_of = {n: name for name, n in node_of.items()}
    others = [n for n in graph.nodes if n not in name_of]
    edges = set(graph.edges)

    def shown(n: str) -> str:
        """What a node displays: its label, or its name when it has none."""
        return name_of.get(n) or graph.nodes[n].get("label", n)

    def made(o: str) -> str:
        """An operation node by the Value it leads to: "e's '*' node"."""
        results = [name for name, n in node_of.items() if (o, n) in edges]
        return f"{results[0]}'s {shown(o)!r} node" if results else f"the {shown(o)!r} node"

    for o in sorted(others, key=shown):
        out = sorted(shown(h) for t, h in edges if t == o)
        to_values = sorted(name_of[h] for t, h in edges if t == o and h in name_of)
        to_ops = sorted(made(h) for t, h in edges if t == o and h in others)
        if len(to_values) == 1 and to_ops:
            fail(
                f"{made(o)} has arrows out to {to_values[0]} and to {' and '.join(to_ops)}: "
                "the arrow from a child into its parent's operation node starts at the "
                "child's own box, so its tail is str(id(child)), without + child._op"
            )
        expect(
            len(out) <= 1,
            f"the {shown(o)!r} node has arrows out to {' and '.join(out)}: an operation node "
            "has one arrow out, to its result, and the arrows from the children go into it "
            "(dot.edge(str(id(child)), str(id(parent)) + parent._op)); is one reversed?",
        )
    downward, upward = _child_arrows(node_of, others, edges)
    if downward:
        seen = ", ".join(f"{p} -> {k}" for p, k in downward[:4])
        if not upward:
            fail(
                f"the arrows between Values point the wrong way, from each Value to its "
                f"children ({seen}): expected from each child to its parent's operation "
                "node (a -> '*' -> e). trace(root) gives (child, parent) pairs; the likely "
                "cause is that pair unpacked in the wrong order (or its two names swapped "
                "in dot.edge): `for child, parent in edges:`, then "
                "dot.edge(str(id(child)), str(id(parent)) + parent._op)"
            )
        fail(
            f"some arrows go from a Value to its child ({seen}), the wrong way, while "
            "others go from a child to its parent's operation node, as expected: is the "
            "(child, parent) pair swapped in one dot.edge?"
        )
    for leaf in "abcf":
        into = sorted((t for t, h in edges if h == node_of[leaf]), key=shown)
        if into and into[0] not in name_of and not shown(into[0]).strip():
            fail(
                f"an edge leads into leaf {leaf} from a node with an empty label: a leaf "
                "was not made by an operation (its _op is ''), so it gets no operation "
                "node (add one only `if n._op:`)"
            )
        expect(
            not into,
            f"an edge leads into leaf {leaf} from the {shown(into[0]) if into else ''!r} "
            "node: expected none, a leaf's only arrow goes out of it, to the operation "
            "node of the Value computed from it",
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
