from mistakes import Mistake

NB = "02_visualization"

_VISITED_BUILD = """\
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)"""

_DRAW_BY_ID = """\
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
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)"""

_OP_NODE = """\
        if n._op:
            # a node for the operation that made n, and an arrow from it to n
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
"""

MISTAKES = [
    # --- trace ---
    Mistake(
        "trace_edges_reversed",
        NB,
        "ex-trace",
        "edges.add((child, v))",
        "edges.add((v, child))",
        "02.trace",
        "expected (child, parent)",
    ),
    Mistake(
        "trace_does_not_recurse",
        NB,
        "ex-trace",
        "build(child)",
        "nodes.add(child)",
        "02.trace",
        "walk all the way down",
    ),
    Mistake(
        "trace_uses_global_L",
        NB,
        "ex-trace",
        "build(root)",
        "build(L)",
        "02.trace",
        "not a global like L",
    ),
    Mistake(
        "trace_lists_without_visited_check",
        NB,
        "ex-trace",
        "    nodes, edges = set(), set()\n\n    def build(v):\n" + _VISITED_BUILD,
        "    nodes, edges = [], []\n\n    def build(v):\n"
        "        nodes.append(v)\n"
        "        for child in v._prev:\n"
        "            edges.append((child, v))\n"
        "            build(child)",
        "02.trace_shared",
        "skip a Value you have seen",
    ),
    Mistake(
        "trace_sets_without_visited_check",
        NB,
        "ex-trace",
        _VISITED_BUILD,
        "        nodes.add(v)\n"
        "        for child in v._prev:\n"
        "            edges.add((child, v))\n"
        "            build(child)",
        "02.trace_shared",
        "walked into the same Value",
    ),
    Mistake(
        "trace_imported_from_the_course",
        NB,
        "ex-trace",
        "def trace(root):",
        "from autograd_helpers.graph import trace\n\n\ndef my_trace(root):",
        "02.trace",
        "write your own",
    ),
    # --- draw_dot ---
    Mistake(
        "draw_dot_forgets_return",
        NB,
        "ex-draw",
        "    return dot\n",
        "",
        "02.draw_dot",
        "returned None",
    ),
    Mistake(
        "draw_dot_imported_from_the_course",
        NB,
        "ex-draw",
        "def draw_dot(root):",
        "from autograd_helpers.graph import draw_dot\n\n\ndef mine(root):",
        "02.draw_dot",
        "write your own",
    ),
    Mistake(
        "draw_dot_draws_global_L",
        NB,
        "ex-draw",
        "nodes, edges = trace(root)",
        "nodes, edges = trace(L)",
        "02.draw_dot_values",
        "draw the Values of trace(root)",
    ),
    Mistake(
        "draw_dot_label_without_data",
        NB,
        "ex-draw",
        "| data {n.data:.4f} ",
        "",
        "02.draw_dot_values",
        "show the data",
    ),
    Mistake(
        "draw_dot_label_without_grad",
        NB,
        "ex-draw",
        " | grad {n.grad:.4f}",
        "",
        "02.draw_dot_values",
        "show the grad too",
    ),
    Mistake(
        "draw_dot_not_a_record",
        NB,
        "ex-draw",
        '\n            shape="record",',
        "",
        "02.draw_dot_values",
        "shape='record'",
    ),
    Mistake(
        "draw_dot_without_op_nodes",
        NB,
        "ex-draw",
        _OP_NODE,
        "",
        "02.draw_dot_ops",
        "has no node of its own",
    ),
    Mistake(
        "draw_dot_op_node_for_leaves_too",
        NB,
        "ex-draw",
        _OP_NODE,
        "        # a node for the operation that made n, and an arrow from it to n\n"
        "        dot.node(name=uid + n._op, label=n._op)\n"
        "        dot.edge(uid + n._op, uid)\n",
        "02.draw_dot_values",
        "only `if n._op:`",
    ),
    Mistake(
        "draw_dot_op_node_unlabelled",
        NB,
        "ex-draw",
        "dot.node(name=uid + n._op, label=n._op)",
        "dot.node(name=uid + n._op)",
        "02.draw_dot_ops",
        "a node without a label shows its name",
    ),
    Mistake(
        "draw_dot_op_edge_missing",
        NB,
        "ex-draw",
        "            dot.edge(uid + n._op, uid)\n",
        "",
        "02.draw_dot_ops",
        "add dot.edge(uid + n._op, uid)",
    ),
    Mistake(
        "draw_dot_op_edge_reversed",
        NB,
        "ex-draw",
        "dot.edge(uid + n._op, uid)",
        "dot.edge(uid, uid + n._op)",
        "02.draw_dot_ops",
        "points the wrong way",
    ),
    Mistake(
        "draw_dot_child_edges_reversed",
        NB,
        "ex-draw",
        "dot.edge(str(id(n1)), str(id(n2)) + n2._op)",
        "dot.edge(str(id(n2)) + n2._op, str(id(n1)))",
        "02.draw_dot_ops",
        "is one reversed",
    ),
    Mistake(
        "draw_dot_child_edges_skip_op_node",
        NB,
        "ex-draw",
        "str(id(n2)) + n2._op)",
        "str(id(n2)))",
        "02.draw_dot_ops",
        "goes straight from",
    ),
    Mistake(
        "draw_dot_edge_pair_unpacked_backwards",
        NB,
        "ex-draw",
        "for n1, n2 in edges:",
        "for n2, n1 in edges:",
        "02.draw_dot_ops",
        "unpacked",
        never=("if n._op:",),
    ),
    Mistake(
        "draw_dot_child_edge_from_its_op_node",
        NB,
        "ex-draw",
        "dot.edge(str(id(n1)), str(id(n2)) + n2._op)",
        "dot.edge(str(id(n1)) + n1._op, str(id(n2)) + n2._op)",
        "02.draw_dot_ops",
        "without + child._op",
        never=("reversed", "wrong way"),
    ),
    # names nodes by label: passes on the lecture's L, where every Value has a label
    Mistake(
        "draw_dot_nodes_named_by_label",
        NB,
        "ex-draw",
        _DRAW_BY_ID,
        _DRAW_BY_ID.replace("uid = str(id(n))", "uid = n.label").replace(
            "dot.edge(str(id(n1)), str(id(n2)) + n2._op)", "dot.edge(n1.label, n2.label + n2._op)"
        ),
        "02.draw_dot_values",
        "named after the labels",
        never=("show the data", "trace(root)"),
    ),
]
