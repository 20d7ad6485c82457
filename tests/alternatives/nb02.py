"""Correct answers to 02_visualization, written as different learners write them."""

from alternatives import Alternative

NB = "02_visualization"

_TRACE = """\
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges"""

_DRAW = """\
    nodes, edges = trace(root)
    for n in nodes:
        uid = str(id(n))
        # a box for every Value: its label, data and grad
        dot.node(
            name=uid, label=f"{{ {n.label} | data {n.data:.4f} | grad {n.grad:.4f} }}",
            shape="record",
        )
        if n._op:
            # a node for the operation that made n, and an arrow from it to n
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n1, n2 in edges:
        # an arrow from the child to the parent's operation node
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot"""

ALTERNATIVES = [
    # --- trace ---
    Alternative(
        "trace_explicit_stack",
        NB,
        "ex-trace",
        _TRACE,
        """\
    nodes, edges = set(), set()
    stack = [root]
    while stack:
        v = stack.pop()
        if v in nodes:
            continue
        nodes.add(v)
        for child in v._prev:
            edges.add((child, v))
            stack.append(child)
    return nodes, edges""",
        "explicit stack",
    ),
    Alternative(
        "trace_lists_recursive",
        NB,
        "ex-trace",
        _TRACE,
        """\
    nodes = []
    edges = []

    def build(v):
        nodes.append(v)
        for child in v._prev:
            edges.append((child, v))
            if child not in nodes:
                build(child)

    build(root)
    return nodes, edges""",
        "lists, membership tested before recursing",
    ),
    Alternative(
        "trace_breadth_first_ids",
        NB,
        "ex-trace",
        _TRACE,
        """\
    from collections import deque

    seen = {id(root): root}
    edges = set()
    queue = deque([root])
    while queue:
        v = queue.popleft()
        for child in v._prev:
            edges.add((child, v))
            if id(child) not in seen:
                seen[id(child)] = child
                queue.append(child)
    return set(seen.values()), edges""",
        "breadth first, a dict keyed by id",
    ),
    # --- draw_dot ---
    Alternative(
        "draw_counter_names_node_defaults",
        NB,
        "ex-draw",
        _DRAW,
        """\
    nodes, edges = trace(root)
    dot.attr("node", shape="record")
    names = {}
    for i, n in enumerate(nodes):
        names[n] = f"v{i}"
        dot.node(names[n], "{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad))
    for n in nodes:
        if n._op:
            dot.node(names[n] + "_op", n._op)
            dot.edge(names[n] + "_op", names[n])
    for child, parent in edges:
        dot.edge(names[child], names[parent] + "_op")
    return dot""",
        "counter names, node defaults, % formatting",
    ),
    Alternative(
        "draw_positional_and_round",
        NB,
        "ex-draw",
        _DRAW,
        """\
    nodes, edges = trace(root)
    for n in nodes:
        label = "{ " + n.label + " | data " + str(round(n.data, 4))
        label += " | grad " + str(round(n.grad, 4)) + " }"
        dot.node(str(id(n)), label, shape="record")
        if n._op != "":
            op_name = str(id(n)) + "op"
            dot.node(op_name, n._op)
            dot.edge(op_name, str(id(n)))
    for child, parent in edges:
        dot.edge(str(id(child)), str(id(parent)) + "op")
    return dot""",
        "positional arguments, round() and concatenation",
    ),
    Alternative(
        "draw_edges_from_prev",
        NB,
        "ex-draw",
        _DRAW,
        """\
    nodes, _ = trace(root)
    for n in nodes:
        uid = f"{id(n)}"
        dot.node(uid, label=f"{n.label} | data {n.data:.4f} | grad {n.grad:.4f}", shape="record")
        if not n._op:
            continue
        op = uid + n._op
        dot.node(op, label=n._op)
        dot.edge(op, uid)
        for child in n._prev:
            dot.edge(f"{id(child)}", op)
    return dot""",
        "edges from each node's _prev, no braces in the record label",
    ),
]
