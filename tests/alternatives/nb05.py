"""Correct answers to 05_neuron, written as different learners write them."""

from alternatives import Alternative

NB = "05_neuron"

_NEURON = """\
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
"""
_BY_HAND = """\
    dn = 1 - o**2
    return {"x1": w1 * dn, "w1": x1 * dn, "x2": w2 * dn, "w2": x2 * dn, "b": dn}
"""
_BACKWARD = """\
o.backward()
grads = {"x1": x1.grad, "w1": w1.grad, "x2": x2.grad, "w2": w2.grad, "b": b.grad}
"""
_TANH = """\
    e = (2 * n).exp()
    e.label = "e"
    o = (e - 1) / (e + 1)
"""
_GRADCHECK = """\
report = gradcheck(
    neuron_exp, {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}, Value
)
"""

ALTERNATIVES = [
    # --- 1. the neuron ---
    Alternative(
        "neuron_factors_reversed_labels_last",
        NB,
        "ex-neuron",
        _NEURON,
        """\
    x1w1 = w1 * x1
    x2w2 = w2 * x2
    x1w1x2w2 = x2w2 + x1w1
    n = b + x1w1x2w2
    o = n.tanh()
    x1w1.label = "x1*w1"
    x2w2.label = "x2*w2"
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n.label = "n"
    o.label = "o"
""",
        "weight times input, the bias added first, every label set at the end",
    ),
    Alternative(
        "neuron_labels_by_a_helper",
        NB,
        "ex-neuron",
        _NEURON,
        """\
    def named(v, text):
        v.label = text
        return v

    x1w1 = named(x1 * w1, "x1*w1")
    x2w2 = named(x2 * w2, "x2*w2")
    x1w1x2w2 = named(x1w1 + x2w2, "x1*w1 + x2*w2")
    n = named(x1w1x2w2 + b, "n")
    o = named(n.tanh(), "o")
""",
        "a small helper that labels and returns each step",
    ),
    Alternative(
        "neuron_products_in_a_list",
        NB,
        "ex-neuron",
        _NEURON,
        """\
    products = [x1 * w1, x2 * w2]
    for product, text in zip(products, ["x1*w1", "x2*w2"]):
        product.label = text
    x1w1x2w2 = products[0] + products[1]
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = Value.tanh(n)
    o.label = "o"
""",
        "the products in a list labelled by a loop, tanh called on the class",
    ),
    # --- 2. by hand ---
    Alternative(
        "by_hand_dict_filled_key_by_key",
        NB,
        "ex-by-hand",
        _BY_HAND,
        """\
    dn = 1 - o * o
    grads = {}
    grads["x1"] = w1 * dn
    grads["w1"] = x1 * dn
    grads["x2"] = w2 * dn
    grads["w2"] = x2 * dn
    grads["b"] = dn
    return grads
""",
        "o * o, and the dict filled one key at a time",
    ),
    Alternative(
        "by_hand_sech_squared",
        NB,
        "ex-by-hand",
        _BY_HAND,
        """\
    dn = 1 / math.cosh(n) ** 2  # sech², the same as 1 - tanh²
    return dict(x1=w1 * dn, w1=x1 * dn, x2=w2 * dn, w2=x2 * dn, b=dn)
""",
        "tanh' as 1/cosh², dict() with keywords",
    ),
    Alternative(
        "by_hand_numpy",
        NB,
        "ex-by-hand",
        _BY_HAND,
        """\
    import numpy as np

    do_dn = 1 - np.tanh(n) ** 2
    return {"x1": do_dn * w1, "w1": do_dn * x1, "x2": do_dn * w2, "w2": do_dn * x2, "b": do_dn}
""",
        "numpy's tanh: every gradient a numpy float",
    ),
    # --- 3. backward() ---
    Alternative(
        "backward_grads_by_label",
        NB,
        "ex-backward",
        _BACKWARD,
        "o.backward()\ngrads = {v.label: v.grad for v in (x1, w1, x2, w2, b)}\n",
        "a comprehension keyed by each leaf's label",
    ),
    Alternative(
        "backward_grads_dict_keywords",
        NB,
        "ex-backward",
        _BACKWARD,
        "o.backward()\ngrads = dict(x1=x1.grad, w1=w1.grad, x2=x2.grad, w2=w2.grad, b=b.grad)\n",
        "dict() with keywords",
    ),
    Alternative(
        "backward_grads_in_a_loop",
        NB,
        "ex-backward",
        _BACKWARD,
        """\
o.backward()
grads = {}
for name, leaf in zip(["x1", "w1", "x2", "w2", "b"], [x1, w1, x2, w2, b]):
    grads[name] = leaf.grad
""",
        "a loop over names and leaves with zip",
    ),
    # --- 4. tanh from exp ---
    Alternative(
        "tanh_exp_times_inverse",
        NB,
        "ex-tanh-from-exp",
        _TANH,
        """\
    e = (n * 2).exp()
    e.label = "e"
    o = (e - 1) * (e + 1) ** -1
""",
        "n * 2, and the division as a power -1",
    ),
    Alternative(
        "tanh_exp_one_minus_two_over",
        NB,
        "ex-tanh-from-exp",
        _TANH,
        """\
    two_n = n + n
    e = two_n.exp()
    e.label = "e"
    o = 1 - 2 / (e + 1)
""",
        "2n as n + n, and tanh = 1 - 2 / (e + 1)",
    ),
    Alternative(
        "tanh_exp_constants_as_values",
        NB,
        "ex-tanh-from-exp",
        _TANH,
        """\
    e = (Value(2.0) * n).exp()
    e.label = "e"
    one = Value(1.0)
    o = (e - one) / (e + one)
""",
        "every constant wrapped in Value",
    ),
    # --- 5. gradcheck ---
    Alternative(
        "gradcheck_inputs_in_a_variable",
        NB,
        "ex-gradcheck",
        _GRADCHECK,
        """\
lecture = dict(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=6.8813735870195432)
report = gradcheck(neuron_exp, lecture, Value)
""",
        "the inputs built with dict() first",
    ),
    Alternative(
        "gradcheck_inputs_from_the_leaves",
        NB,
        "ex-gradcheck",
        _GRADCHECK,
        """\
inputs = {v.label: v.data for v in (x1, x2, w1, w2, b)}
report = gradcheck(neuron_exp, inputs, Value)
""",
        "the numbers read from the leaves of the cell above",
    ),
    Alternative(
        "gradcheck_tanh_neuron_other_order",
        NB,
        "ex-gradcheck",
        _GRADCHECK,
        """\
report = gradcheck(
    neuron, {"b": 6.8813735870195432, "w2": 1, "w1": -3, "x2": 0, "x1": 2}, value_class=Value
)
""",
        "the tanh neuron, inputs in another order, ints, value_class by keyword",
    ),
]
