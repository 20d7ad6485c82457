"""The checks of 05_neuron accept every correct answer, however it is written.

The mistake catalog (tests/mistakes/nb05.py) proves that wrong answers fail with the right
message; here, answers written differently from the solved notebook must pass: other
orders of the sum, one-line neurons with labels set afterwards, the lecture's own Value
class, Values in the dict of gradients, gradcheck of either neuron.
"""

import math

import pytest
from lecture_values import LectureValue

from autograd_helpers.checks import neuron as checks
from autograd_helpers.checks._core import CheckFailed
from autograd_helpers.gradcheck import gradcheck
from solutions.engine import Value

LECTURE = dict(checks.LECTURE)


def leaves(cls=Value):
    return {name: cls(x, label=name) for name, x in LECTURE.items()}


# --- 05.neuron ----------------------------------------------------------------------------


def one_line_neuron(x1, x2, w1, w2, b):
    """Everything in one expression, the labels set afterwards by walking the graph."""
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    (n,) = o._prev
    n.label = "n"
    stack = list(n._prev)
    while stack:
        v = stack.pop()
        if v._prev and not v.label:
            v.label = "step"
            stack.extend(v._prev)
    return o


def bias_first_neuron(x1, x2, w1, w2, b):
    """The bias added first, other names, labels through the constructor where possible."""
    products = [x1 * w1, x2 * w2]
    for p, text in zip(products, ["x1*w1", "x2*w2"]):
        p.label = text
    total = b + products[0]
    total.label = "b + x1*w1"
    n = total + products[1]
    n.label = "n"
    out = n.tanh()
    out.label = "o"
    return out


@pytest.mark.parametrize("fn", [one_line_neuron, bias_first_neuron])
def test_neuron_accepts_other_ways_to_write_it(fn, capsys):
    checks.neuron(Value, fn)
    assert "✔ 05.neuron" in capsys.readouterr().out


def test_neuron_works_with_the_lectures_own_value_class(capsys):
    checks.neuron(LectureValue, bias_first_neuron)
    assert "✔ 05.neuron" in capsys.readouterr().out


def test_neuron_refuses_a_tanh_from_the_data():
    def detached(x1, x2, w1, w2, b):
        o = Value(math.tanh(x1.data * w1.data + x2.data * w2.data + b.data), label="o")
        return o

    with pytest.raises(CheckFailed, match="not part of the graph"):
        checks.neuron(Value, detached)


def test_neuron_names_a_missing_return():
    with pytest.raises(CheckFailed, match="returned None"):
        checks.neuron(Value, lambda x1, x2, w1, w2, b: None)


# --- 05.by_hand ---------------------------------------------------------------------------


def by_hand_with_values(x1, x2, w1, w2, b):
    """Computed with Values and backward(): a dict of Values' grads, extra keys included."""
    vs = {name: Value(x) for name, x in dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b).items()}
    o = (vs["x1"] * vs["w1"] + vs["x2"] * vs["w2"] + vs["b"]).tanh()
    o.backward()
    return {**{name: v.grad for name, v in vs.items()}, "o": 1.0}


def by_hand_with_exp(x1, x2, w1, w2, b):
    n = x1 * w1 + x2 * w2 + b
    t = (math.exp(2 * n) - 1) / (math.exp(2 * n) + 1)
    do_dn = 1 - t * t
    return dict(b=do_dn, w2=x2 * do_dn, x2=w2 * do_dn, w1=x1 * do_dn, x1=w1 * do_dn)


@pytest.mark.parametrize("fn", [by_hand_with_values, by_hand_with_exp])
def test_by_hand_accepts_other_ways_to_write_it(fn, capsys):
    checks.by_hand(fn)
    assert "✔ 05.by_hand" in capsys.readouterr().out


def test_by_hand_names_a_missing_key():
    with pytest.raises(CheckFailed, match="no key 'b'"):
        checks.by_hand(lambda x1, x2, w1, w2, b: {"x1": 0.0, "w1": 0.0, "x2": 0.0, "w2": 0.0})


# --- 05.backward --------------------------------------------------------------------------


def test_backward_accepts_the_grads_as_values(capsys):
    ls = leaves()
    o = bias_first_neuron(**ls)
    o.backward()
    checks.backward(**ls, o=o, grads=dict(ls))  # Values instead of their grads: fine
    assert "✔ 05.backward" in capsys.readouterr().out


def test_backward_refuses_leaves_that_are_not_in_the_graph():
    ls = leaves()
    o = one_line_neuron(**leaves())
    o.backward()
    with pytest.raises(CheckFailed, match="not part of o's graph"):
        checks.backward(**ls, o=o, grads={k: v.grad for k, v in ls.items()})


# --- 05.tanh_from_exp ---------------------------------------------------------------------


def exp_of_minus_2n(x1, x2, w1, w2, b):
    """tanh n = (1 - exp(-2n)) / (1 + exp(-2n)): another correct formula."""
    n = x1 * w1 + x2 * w2 + b
    e = (-2 * n).exp()
    return (1 - e) / (1 + e)


def sum_from_zero_exp(x1, x2, w1, w2, b):
    n = sum([x1 * w1, x2 * w2, b])
    e = (n * 2).exp()
    return (e + -1) * (e + 1) ** -1


@pytest.mark.parametrize("fn", [exp_of_minus_2n, sum_from_zero_exp])
def test_tanh_from_exp_accepts_other_formulas(fn, capsys):
    checks.tanh_from_exp(Value, fn)
    assert "✔ 05.tanh_from_exp" in capsys.readouterr().out


def test_tanh_from_exp_refuses_tanh_itself():
    with pytest.raises(CheckFailed, match="has a tanh node"):
        checks.tanh_from_exp(Value, one_line_neuron)


# --- 05.gradcheck -------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [one_line_neuron, exp_of_minus_2n])
def test_gradcheck_accepts_a_report_of_either_neuron(fn, capsys):
    report = gradcheck(fn, dict(reversed(LECTURE.items())), Value)  # any order of inputs
    checks.gradient_check(report)
    assert "✔ 05.gradcheck" in capsys.readouterr().out


def test_gradcheck_refuses_a_report_of_something_else():
    report = gradcheck(lambda x1, x2, w1, w2, b: x1 * w1 + x2 * w2 + b, LECTURE, Value)
    with pytest.raises(CheckFailed, match="output is 0.881374"):
        checks.gradient_check(report)


def test_checks_give_their_ids():
    ids = [checks.neuron, checks.by_hand, checks.backward, checks.tanh_from_exp]
    assert [f.test_id for f in ids] == [
        "05.neuron",
        "05.by_hand",
        "05.backward",
        "05.tanh_from_exp",
    ]
    assert checks.gradient_check.test_id == "05.gradcheck"
