from mistakes import Mistake

NB = "03_backward"

_NUDGE = """\
a.data += 0.01 * a.grad
b.data += 0.01 * b.grad
c.data += 0.01 * c.grad
f.data += 0.01 * f.grad"""

_ADD = """\
        self.grad += 1.0 * out.grad
        other.grad += 1.0 * out.grad"""

_MUL = """\
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad"""

_BY_HAND = "L.grad = 1.0\nL._backward()\nd._backward()\ne._backward()\n"

_VISIT = """\
            for child in v._prev:
                visit(child)
            topo.append(v)"""

MISTAKES = [
    # --- 1. by hand ---
    Mistake(
        "manual_forgets_chain_rule",
        NB,
        "ex-manual",
        "a.grad = b.data * e.grad",
        "a.grad = b.data",
        "03.manual_grads",
        "you forgot to multiply by e.grad",
    ),
    Mistake(
        "manual_sign_error",
        NB,
        "ex-manual",
        "b.grad = a.data * e.grad",
        "b.grad = -a.data * e.grad",
        "03.manual_grads",
        "sign error",
    ),
    Mistake(
        "manual_own_data_instead_of_other_factor",
        NB,
        "ex-manual",
        "f.grad = d.data * L.grad",
        "f.grad = f.data * L.grad",
        "03.manual_grads",
        "the other factor",
    ),
    Mistake(
        "manual_forgets_root",
        NB,
        "ex-manual",
        "L.grad = 1.0\n",
        "",
        "03.manual_grads",
        "set L.grad = 1.0",
    ),
    Mistake(
        "numerical_not_divided_by_h",
        NB,
        "ex-numerical",
        "return (L_value(**nudged) - L_value(**LEAVES)) / h",
        "return L_value(**nudged) - L_value(**LEAVES)",
        "03.numerical_grad",
        "divide it by h",
    ),
    Mistake(
        "numerical_nudges_leaves_in_place",
        NB,
        "ex-numerical",
        "nudged = dict(LEAVES)",
        "nudged = LEAVES",
        "03.numerical_grad",
        "changed LEAVES",
    ),
    # --- 2. the nudge ---
    Mistake(
        "nudge_with_minus_sign",
        NB,
        "ex-nudge",
        _NUDGE,
        _NUDGE.replace("+=", "-="),
        "03.nudge",
        "a minus sign walks downhill",
    ),
    Mistake(
        "nudge_without_recomputing",
        NB,
        "ex-nudge",
        "e = a * b\nd = e + c\nL = d * f\n",
        "",
        "03.nudge",
        "recompute e = a * b",
    ),
    Mistake(
        "nudge_skips_a_leaf",
        NB,
        "ex-nudge",
        "c.data += 0.01 * c.grad\n",
        "",
        "03.nudge",
        "c.data is still 10.0",
    ),
    # --- 3. _backward closures ---
    Mistake(
        "add_backward_assigns",
        NB,
        "ex-add-backward",
        _ADD,
        _ADD.replace("+=", "="),
        "03.add_backward",
        "use += so that a Value used twice",
    ),
    Mistake(
        "add_backward_multiplies_by_data",
        NB,
        "ex-add-backward",
        _ADD,
        "        self.grad += other.data * out.grad\n        other.grad += self.data * out.grad",
        "03.add_backward",
        "which is the rule for *",
    ),
    Mistake(
        "add_backward_forgets_out_grad",
        NB,
        "ex-add-backward",
        _ADD,
        "        self.grad += 1.0\n        other.grad += 1.0",
        "03.add_backward",
        "multiply it by out.grad (the chain rule)",
    ),
    Mistake(
        "mul_backward_swapped",
        NB,
        "ex-mul-backward",
        _MUL,
        "        self.grad += self.data * out.grad\n        other.grad += other.data * out.grad",
        "03.mul_backward",
        "is the other factor",
    ),
    Mistake(
        "mul_backward_forgets_out_grad",
        NB,
        "ex-mul-backward",
        _MUL,
        "        self.grad += other.data\n        other.grad += self.data",
        "03.mul_backward",
        "forgot to multiply by out.grad",
    ),
    Mistake(
        "mul_backward_not_attached",
        NB,
        "ex-mul-backward",
        "    out._backward = _backward  # without this, out keeps the do-nothing lambda\n",
        "",
        "03.mul_backward",
        "out._backward = _backward",
    ),
    Mistake(
        "mul_backward_assigns",
        NB,
        "ex-mul-backward",
        _MUL,
        _MUL.replace("+=", "="),
        "03.used_twice",
        "use += in _backward",
    ),
    Mistake(
        "by_hand_wrong_order",
        NB,
        "ex-by-hand",
        "d._backward()\ne._backward()",
        "e._backward()\nd._backward()",
        "03.backward_by_hand",
        "call e._backward() after e.grad is known",
    ),
    Mistake(
        "by_hand_root_grad_not_set",
        NB,
        "ex-by-hand",
        "L.grad = 1.0\n",
        "",
        "03.backward_by_hand",
        "set L.grad = 1.0",
    ),
    # --- 4. topological order ---
    Mistake(
        "topo_appends_before_children",
        NB,
        "ex-topo",
        _VISIT,
        "            topo.append(v)\n"
        "            for child in v._prev:\n"
        "                visit(child)",
        "03.topo",
        "append a node only after all its children",
    ),
    Mistake(
        "topo_only_immediate_children",
        NB,
        "ex-topo",
        "                visit(child)",
        "                topo.append(child)",
        "03.topo",
        "visit the children's children too",
    ),
    Mistake(
        "topo_without_visited_set",
        NB,
        "ex-topo",
        "            visited.add(v)\n",
        "",
        "03.topo",
        "keep a set of visited nodes",
    ),
    Mistake(
        "topo_list_shared_between_calls",
        NB,
        "ex-topo",
        "def build_topo(root):\n"
        '    """Every node of root\'s graph, each one after all of its children."""\n'
        "    ### BEGIN SOLUTION: visit children first, then append the node; skip visited nodes\n"
        "    topo = []\n"
        "    visited = set()\n",
        "topo = []\n"
        "visited = set()\n\n\n"
        "def build_topo(root):\n"
        '    """Every node of root\'s graph, each one after all of its children."""\n',
        "03.topo",
        "inside build_topo",
    ),
    # --- 5. backward() ---
    Mistake(
        "backward_root_grad_not_set",
        NB,
        "ex-backward",
        "    self.grad = 1.0\n",
        "",
        "03.backward",
        "start with self.grad = 1.0",
    ),
    Mistake(
        "backward_not_reversed",
        NB,
        "ex-backward",
        "reversed(build_topo(self))",
        "build_topo(self)",
        "03.backward",
        "reversed(build_topo(self)), from the root down",
    ),
    Mistake(
        "backward_only_immediate_children",
        NB,
        "ex-backward",
        "reversed(build_topo(self))",
        "[self, *self._prev]",
        "03.backward",
        "call _backward on every node of the graph",
    ),
    Mistake(
        "backward_recursive_preorder",
        NB,
        "ex-backward",
        "    for node in reversed(build_topo(self)):\n        node._backward()\n",
        "    def go(v):\n        v._backward()\n        for child in v._prev:\n"
        "            go(child)\n\n    go(self)\n",
        "03.backward",
        "times",
    ),
    # --- 6. a Value used twice ---
    Mistake(
        "used_twice_example_backward_twice",
        NB,
        "ex-used-twice",
        'f.label = "f"\nf.backward()\n',
        'f.label = "f"\nf.backward()\nf.backward()\n',
        "03.used_twice",
        "ran twice",
    ),
    # --- found by trying the notebook as a learner (issue 11) ---
    Mistake(
        "numerical_ignores_h",
        NB,
        "ex-numerical",
        "    nudged[name] += h\n    return (L_value(**nudged) - L_value(**LEAVES)) / h",
        "    nudged[name] += 0.001\n    return (L_value(**nudged) - L_value(**LEAVES)) / 0.001",
        "03.numerical_grad",
        "never used its h",
    ),
    Mistake(
        "add_backward_assigns_the_second_child",
        NB,
        "ex-add-backward",
        "other.grad += 1.0 * out.grad",
        "other.grad = 1.0 * out.grad",
        "03.add_backward",
        "this check set b.grad = 0.25",
    ),
    Mistake(
        "by_hand_grads_typed_in",
        NB,
        "ex-by-hand",
        _BY_HAND,
        "L.grad = 1.0\nf.grad = 4.0\nd.grad = -2.0\nc.grad = -2.0\ne.grad = -2.0\n"
        "a.grad = 6.0\nb.grad = -4.0\n",
        "03.backward_by_hand",
        "calls _backward()",
    ),
    Mistake(
        "backward_seed_accumulates",
        NB,
        "ex-backward",
        "    self.grad = 1.0\n",
        "    self.grad += 1.0\n",
        "03.backward",
        "adds 1.0 to the root's grad (self.grad += 1.0)",
    ),
    Mistake(
        "mul_backward_swapped_is_not_blamed_on_plus_equals",
        NB,
        "ex-mul-backward",
        _MUL,
        "        self.grad += self.data * out.grad\n        other.grad += other.data * out.grad",
        "03.used_twice",
        "the bug is not about using a Value twice",
    ),
    # --- a message that blames += to a learner who uses it (issue 24) ---
    Mistake(
        "add_backward_loops_over_prev",
        NB,
        "ex-add-backward",
        _ADD,
        "        for child in out._prev:\n            child.grad += out.grad",
        "03.add_backward",
        "the set holds x once: iterate the operands (for child in (self, other))",
        never=("use +=", "replaced"),
    ),
    Mistake(
        "add_backward_loops_over_prev_seen_by_used_twice",
        NB,
        "ex-add-backward",
        _ADD,
        "        for child in out._prev:\n            child.grad += out.grad",
        "03.used_twice",
        "x.grad was updated once, by 1.0. Your _backward goes through out._prev",
        never=("use +=", "replaced"),
    ),
    Mistake(
        "add_backward_tuple_assignment",
        NB,
        "ex-add-backward",
        _ADD,
        "        self.grad, other.grad = self.grad + out.grad, other.grad + out.grad",
        "03.add_backward",
        "computed from the old x.grad before either was stored",
        never=("use +=",),  # self.grad = self.grad + ... is accepted (add_backward_spelled_out)
    ),
    Mistake(
        "used_twice_grads_typed_in",
        NB,
        "ex-used-twice",
        'f.label = "f"\nf.backward()\n',
        'f.label = "f"\na.grad = -3.0  # worked out above\nb.grad = -8.0\n',
        "03.used_twice",
        "f.grad is still 0.0: f.backward() did not run on this f",
    ),
    Mistake(
        "used_twice_without_labels",
        NB,
        "ex-used-twice",
        'd = a * b\nd.label = "d"',
        "d = a * b",
        "03.used_twice",
        "labelled ['', 'a', 'b', 'e', 'f']",
        never=("+=", "backward"),
    ),
]
