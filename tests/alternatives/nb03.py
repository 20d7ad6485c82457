"""Correct answers to 03_backward, written as different learners write them."""

from alternatives import Alternative

NB = "03_backward"

_MANUAL = """\
L.grad = 1.0
f.grad = d.data * L.grad  # L = d * f
d.grad = f.data * L.grad
c.grad = 1.0 * d.grad  # d = e + c
e.grad = 1.0 * d.grad
a.grad = b.data * e.grad  # e = a * b
b.grad = a.data * e.grad
"""
_NUMERICAL = """\
    nudged = dict(LEAVES)
    nudged[name] += h
    return (L_value(**nudged) - L_value(**LEAVES)) / h"""
_NUDGE = """\
a.data += 0.01 * a.grad
b.data += 0.01 * b.grad
c.data += 0.01 * c.grad
f.data += 0.01 * f.grad
e = a * b
d = e + c
L = d * f
"""
_ADD = """\
        self.grad += 1.0 * out.grad
        other.grad += 1.0 * out.grad"""
_MUL = """\
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad"""
_BY_HAND = "L.grad = 1.0\nL._backward()\nd._backward()\ne._backward()\n"
_TOPO = """\
    topo = []
    visited = set()

    def visit(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                visit(child)
            topo.append(v)

    visit(root)
    return topo"""
_BACKWARD = """\
    self.grad = 1.0
    for node in reversed(build_topo(self)):
        node._backward()"""
_USED_TWICE = """\
a = Value(-2.0, label="a")
b = Value(3.0, label="b")
d = a * b
d.label = "d"
e = a + b
e.label = "e"
f = d * e
f.label = "f"
f.backward()
"""

ALTERNATIVES = [
    # --- 1. by hand ---
    Alternative(
        "manual_typed_numbers",
        NB,
        "ex-manual",
        _MANUAL,
        "L.grad = 1\nf.grad = 4.0\nd.grad = -2.0\nc.grad = -2\ne.grad = -2.0\n"
        "a.grad = 6.0\nb.grad = -4.0\n",
        "numbers worked out on paper, some ints",
    ),
    Alternative(
        "manual_factors_reordered",
        NB,
        "ex-manual",
        _MANUAL,
        "L.grad = 1.0\nd.grad = L.grad * f.data\nf.grad = L.grad * d.data\n"
        "e.grad = d.grad\nc.grad = d.grad\nb.grad = e.grad * a.data\na.grad = e.grad * b.data\n",
        "upstream first, the + rule without the 1.0",
    ),
    Alternative(
        "manual_accumulating",
        NB,
        "ex-manual",
        _MANUAL,
        "L.grad += 1.0\nf.grad += d.data * L.grad\nd.grad += f.data * L.grad\n"
        "c.grad += d.grad\ne.grad += d.grad\na.grad += b.data * e.grad\n"
        "b.grad += a.data * e.grad\n",
        "+= everywhere (the grads start at 0.0)",
    ),
    # --- numerical gradient ---
    Alternative(
        "numerical_central_difference",
        NB,
        "ex-numerical",
        _NUMERICAL,
        """\
    up, down = dict(LEAVES), dict(LEAVES)
    up[name] += h
    down[name] -= h
    return (L_value(**up) - L_value(**down)) / (2 * h)""",
        "central difference",
    ),
    Alternative(
        "numerical_dict_comprehension",
        NB,
        "ex-numerical",
        _NUMERICAL,
        """\
    L1 = L_value(**LEAVES)
    nudged = {k: (v + h if k == name else v) for k, v in LEAVES.items()}
    L2 = L_value(**nudged)
    return (L2 - L1) / h""",
        "dict comprehension",
    ),
    Alternative(
        "numerical_copy_positional",
        NB,
        "ex-numerical",
        _NUMERICAL,
        """\
    nudged = LEAVES.copy()
    nudged[name] = nudged[name] + h
    before = L_value(*LEAVES.values())
    after = L_value(*nudged.values())
    return (after - before) / h""",
        "dict.copy, positional arguments",
    ),
    # --- 2. the nudge ---
    Alternative(
        "nudge_loop_one_expression",
        NB,
        "ex-nudge",
        _NUDGE,
        "for leaf in (a, b, c, f):\n    leaf.data += 0.01 * leaf.grad\nL = (a * b + c) * f\n",
        "a loop, L in one expression",
    ),
    Alternative(
        "nudge_step_variable",
        NB,
        "ex-nudge",
        _NUDGE,
        "step = 0.01\na.data = a.data + step * a.grad\nb.data = b.data + step * b.grad\n"
        "c.data = c.data + step * c.grad\nf.data = f.data + step * f.grad\n"
        'e = a * b\ne.label = "e"\nd = e + c\nd.label = "d"\nL = d * f\nL.label = "L"\n',
        "a step variable, labels kept",
    ),
    Alternative(
        "nudge_list_comprehension",
        NB,
        "ex-nudge",
        _NUDGE,
        "leaves = [a, b, c, f]\n_ = [setattr(v, 'data', v.data + 0.01 * v.grad) for v in leaves]\n"
        "e = a * b\nd = e + c\nL = d * f\n",
        "setattr in a comprehension",
    ),
    # --- 3. _backward closures ---
    Alternative(
        "add_backward_without_local",
        NB,
        "ex-add-backward",
        _ADD,
        "        self.grad += out.grad\n        other.grad += out.grad",
        "no 1.0 factor",
    ),
    Alternative(
        "add_backward_spelled_out",
        NB,
        "ex-add-backward",
        _ADD,
        "        self.grad = self.grad + 1.0 * out.grad\n"
        "        other.grad = other.grad + 1.0 * out.grad",
        "x = x + ... instead of +=",
    ),
    Alternative(
        "add_backward_loop",
        NB,
        "ex-add-backward",
        _ADD,
        "        for child in (self, other):\n            child.grad += out.grad",
        "a loop over the children",
    ),
    Alternative(
        "mul_backward_upstream_first",
        NB,
        "ex-mul-backward",
        _MUL,
        "        self.grad += out.grad * other.data\n        other.grad += out.grad * self.data",
        "out.grad first",
    ),
    Alternative(
        "mul_backward_spelled_out",
        NB,
        "ex-mul-backward",
        _MUL,
        "        self.grad = self.grad + other.data * out.grad\n"
        "        other.grad = other.grad + self.data * out.grad",
        "x = x + ... instead of +=",
    ),
    Alternative(
        "mul_backward_named_locals",
        NB,
        "ex-mul-backward",
        _MUL,
        "        d_self, d_other = other.data, self.data  # local derivatives\n"
        "        self.grad += d_self * out.grad\n        other.grad += d_other * out.grad",
        "local derivatives named first",
    ),
    # --- calling _backward by hand ---
    Alternative(
        "by_hand_loop",
        NB,
        "ex-by-hand",
        _BY_HAND,
        "L.grad = 1.0\nfor node in (L, d, e):\n    node._backward()\n",
        "a loop",
    ),
    Alternative(
        "by_hand_int_seed_one_line",
        NB,
        "ex-by-hand",
        _BY_HAND,
        "L.grad = 1\nL._backward(); d._backward(); e._backward()\n",
        "int seed, one line",
    ),
    Alternative(
        "by_hand_every_node",
        NB,
        "ex-by-hand",
        _BY_HAND,
        "L.grad = 1.0\nfor v in [L, f, d, c, e, a, b]:\n    v._backward()\n",
        "every node top down, leaves included",
    ),
    # --- 4. topological order ---
    Alternative(
        "topo_explicit_stack",
        NB,
        "ex-topo",
        _TOPO,
        """\
    topo, visited = [], set()
    stack = [(root, False)]
    while stack:
        v, children_done = stack.pop()
        if children_done:
            topo.append(v)
        elif v not in visited:
            visited.add(v)
            stack.append((v, True))
            for child in v._prev:
                stack.append((child, False))
    return topo""",
        "explicit stack with a done flag",
    ),
    Alternative(
        "topo_kahn",
        NB,
        "ex-topo",
        _TOPO,
        """\
    # Kahn's algorithm: a node is ready once all its children are placed
    nodes, stack = [], [root]
    while stack:
        v = stack.pop()
        if v not in nodes:
            nodes.append(v)
            stack.extend(v._prev)
    parents = {v: [] for v in nodes}
    waiting = {}
    for v in nodes:
        kids = set(v._prev)
        waiting[v] = len(kids)
        for child in kids:
            parents[child].append(v)
    ready = [v for v in nodes if waiting[v] == 0]
    topo = []
    while ready:
        v = ready.pop()
        topo.append(v)
        for p in parents[v]:
            waiting[p] -= 1
            if waiting[p] == 0:
                ready.append(p)
    return topo""",
        "Kahn's algorithm",
    ),
    Alternative(
        "topo_recursive_with_arguments",
        NB,
        "ex-topo",
        "",
        '''def build_topo(root, topo=None, visited=None):
    """Every node of root's graph, each one after all of its children."""
    if topo is None:
        topo, visited = [], set()
    if root not in visited:
        visited.add(root)
        for child in root._prev:
            build_topo(child, topo, visited)
        topo.append(root)
    return topo


[v.label for v in build_topo(L)]''',
        "build_topo itself recursive, state passed as arguments",
    ),
    # --- 5. backward() ---
    Alternative(
        "backward_slice_reversed",
        NB,
        "ex-backward",
        _BACKWARD,
        "    topo = build_topo(self)\n    self.grad = 1.0\n    for node in topo[::-1]:\n"
        "        node._backward()",
        "topo[::-1]",
    ),
    Alternative(
        "backward_reverse_in_place_int_seed",
        NB,
        "ex-backward",
        _BACKWARD,
        "    self.grad = 1\n    order = build_topo(self)\n    order.reverse()\n"
        "    for v in order:\n        v._backward()",
        "list.reverse(), int seed",
    ),
    Alternative(
        "backward_own_topo",
        NB,
        "ex-backward",
        _BACKWARD,
        """\
    topo, seen = [], set()

    def visit(v):
        if id(v) in seen:
            return
        seen.add(id(v))
        for child in v._prev:
            visit(child)
        topo.append(v)

    visit(self)
    self.grad = 1.0
    for i in range(len(topo) - 1, -1, -1):
        topo[i]._backward()""",
        "its own topological sort, ids, an index loop",
    ),
    # --- 6. a Value used twice ---
    Alternative(
        "used_twice_labels_in_a_loop",
        NB,
        "ex-used-twice",
        _USED_TWICE,
        "a, b = Value(-2.0), Value(3.0)\nd = a * b\ne = a + b\nf = d * e\n"
        'for v, name in zip((a, b, d, e, f), "abdef"):\n    v.label = name\nf.backward()\n',
        "labels set afterwards, in a loop",
    ),
    Alternative(
        "used_twice_int_data",
        NB,
        "ex-used-twice",
        _USED_TWICE,
        _USED_TWICE.replace("-2.0", "-2").replace("3.0", "3"),
        "int data",
    ),
    Alternative(
        "used_twice_labels_afterwards",
        NB,
        "ex-used-twice",
        _USED_TWICE,
        "a, b = Value(-2.0), Value(3.0)\nd = a * b\ne = a + b\nf = d * e\n"
        "for v, name in ((a, 'a'), (b, 'b'), (d, 'd'), (e, 'e'), (f, 'f')):\n"
        "    v.label = name\nf.backward()\n",
        "labels set in a loop",
    ),
]
