"""The reference engine (solutions/engine.py) against independent oracles.

Every expected number comes from outside our code: the lecture's published
values, calculus by hand, central differences, PyTorch in float64, and
micrograd 0.1.0's own tests (downloaded, not copied).
"""

import gc
import math
import os
import random
import subprocess
import sys
import tarfile
import types
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import skip_or_fail
from expressions import (
    ALL_OPS,
    EXPRESSION_SETTINGS,
    FLOAT_OPS,
    VALUE_OPS,
    evaluate,
    expressions,
    to_string,
    torch_ops,
)
from hypothesis import given
from hypothesis import strategies as st

from autograd_helpers.data import make_moons
from solutions.engine import Value
from solutions.nn import MLP

ROOT = Path(__file__).resolve().parents[1]


def close(actual, expected, rel=1e-12, abs_=1e-12):
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_)


# --- the lecture's numbers (Karpathy, "The spelled-out intro to neural networks
# --- and backpropagation: building micrograd") --------------------------------


def test_lecture_L_example():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.backward()
    assert L.data == -8.0
    grads = {v.label: v.grad for v in (a, b, c, f, e, d)}
    assert grads == {"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0, "e": -2.0, "d": -2.0}


def lecture_neuron(tanh_by_exp):
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    if tanh_by_exp:
        e = (2 * n).exp()
        o = (e - 1) / (e + 1)
    else:
        o = n.tanh()
    o.backward()
    return o, {v.label: v.grad for v in (x1, w1, x2, w2)}


@pytest.mark.parametrize("tanh_by_exp", [False, True], ids=["tanh", "tanh_by_exp"])
def test_lecture_neuron(tanh_by_exp):
    o, grads = lecture_neuron(tanh_by_exp)
    assert close(o.data, math.sqrt(0.5))  # the lecture prints 0.7071
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0}
    assert grads.keys() == expected.keys()
    for name, grad in grads.items():
        assert close(grad, expected[name], rel=1e-9, abs_=1e-9), (name, grad)


def test_lecture_value_used_twice_a_plus_a():
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    assert b.data == 6.0
    assert a.grad == 2.0


def test_lecture_value_used_twice_in_two_branches():
    a = Value(-2.0, label="a")
    b = Value(3.0, label="b")
    d = a * b
    e = a + b
    f = d * e
    f.backward()
    assert f.data == -6.0
    assert (a.grad, b.grad) == (-3.0, -8.0)


# --- random expressions: central differences and PyTorch ----------------------

STEP = 1e-6


def central_differences(tree, inputs):
    """d(tree)/d(input i) by (f(x + h) - f(x - h)) / 2h, in plain floats."""
    grads = []
    for i in range(len(inputs)):
        plus, minus = list(inputs), list(inputs)
        plus[i] += STEP
        minus[i] -= STEP
        f_plus = evaluate(tree, plus, FLOAT_OPS)
        f_minus = evaluate(tree, minus, FLOAT_OPS)
        grads.append((f_plus - f_minus) / (2 * STEP))
    return grads


def value_forward_backward(tree, inputs):
    leaves = [Value(x) for x in inputs]
    out = evaluate(tree, leaves, VALUE_OPS)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


@pytest.mark.parametrize("root", ALL_OPS)
@EXPRESSION_SETTINGS
@given(data=st.data())
def test_random_expressions_match_central_differences(root, data):
    tree, inputs = data.draw(expressions(root), label="expression")
    result, grads = value_forward_backward(tree, inputs)
    where = f"f = {to_string(tree)} at x = {inputs}"
    assert close(result, evaluate(tree, inputs, FLOAT_OPS), rel=1e-12), where
    for i, (grad, numeric) in enumerate(zip(grads, central_differences(tree, inputs), strict=True)):
        assert close(grad, numeric, rel=1e-5, abs_=1e-6), (
            f"df/dx{i}: engine {grad!r}, central differences {numeric!r}; {where}"
        )


@pytest.mark.parametrize("root", ALL_OPS)
@EXPRESSION_SETTINGS
@given(data=st.data())
def test_random_expressions_match_pytorch(require, root, data):
    torch = require("torch")
    tree, inputs = data.draw(expressions(root), label="expression")
    result, grads = value_forward_backward(tree, inputs)

    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    out = evaluate(tree, leaves, torch_ops(torch))
    out.backward()
    torch_grads = [0.0 if t.grad is None else t.grad.item() for t in leaves]

    where = f"f = {to_string(tree)} at x = {inputs}"
    assert close(result, out.item(), rel=1e-9), (result, out.item(), where)
    for i, (grad, expected) in enumerate(zip(grads, torch_grads, strict=True)):
        assert close(grad, expected, rel=1e-9), (
            f"df/dx{i}: engine {grad!r}, torch {expected!r}; {where}"
        )


# --- micrograd 0.1.0's own tests, run against our Value -----------------------

MICROGRAD_SDIST = "micrograd-0.1.0.tar.gz"
MICROGRAD_TESTS = "micrograd-0.1.0/test/test_engine.py"


def micrograd_sdist() -> Path:
    """micrograd 0.1.0's sdist from PyPI, cached in .cache/micrograd/."""
    cache = ROOT / ".cache" / "micrograd"
    sdist = cache / MICROGRAD_SDIST
    if sdist.exists():
        return sdist
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "micrograd==0.1.0",
        "--no-binary",
        ":all:",
        "--no-deps",
        "--disable-pip-version-check",
        "-d",
        str(cache),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        failure = None if result.returncode == 0 else result.stderr.strip()[-2000:]
    except (OSError, subprocess.TimeoutExpired) as error:
        failure = str(error)
    if failure is not None or not sdist.exists():
        skip_or_fail(
            f"could not download micrograd 0.1.0's sdist with `{' '.join(command)}`: "
            f"{failure or 'no ' + MICROGRAD_SDIST + ' was written'}"
        )
    return sdist


def test_micrograd_0_1_0_own_tests_pass_on_our_value(require, monkeypatch):
    require("torch")  # micrograd's tests compare with PyTorch
    with tarfile.open(micrograd_sdist()) as archive:
        source = archive.extractfile(MICROGRAD_TESTS).read().decode()

    # `from micrograd.engine import Value` in their tests must give our Value.
    package = types.ModuleType("micrograd")
    package.__path__ = []
    engine = types.ModuleType("micrograd.engine")
    engine.Value = Value
    package.engine = engine
    monkeypatch.setitem(sys.modules, "micrograd", package)
    monkeypatch.setitem(sys.modules, "micrograd.engine", engine)

    namespace = {"__name__": "micrograd_0_1_0_test_engine"}
    exec(compile(source, f"{MICROGRAD_SDIST}/{MICROGRAD_TESTS}", "exec"), namespace)
    assert namespace["Value"] is Value
    tests = {name: f for name, f in namespace.items() if name.startswith("test_")}
    assert len(tests) >= 2, f"expected micrograd's tests, found {sorted(tests)}"
    failures = []
    for name, test in tests.items():
        try:
            test()
        except Exception as error:
            failures.append(f"{name}: {type(error).__name__}: {error}")
    assert not failures, "micrograd 0.1.0's tests failed:\n" + "\n".join(failures)


# --- beyond the lecture ------------------------------------------------------


# The engine's key property: no node refers back to itself (no closures, no
# reference cycles), so reference counting frees a whole graph and the garbage
# collector never has anything to find. Notebook 08 and `make bench` rely on it.


def garbage_left_by(run) -> int:
    """How many unreachable objects the collector finds after ``run()``, run with it off."""
    gc.collect()
    gc.disable()
    try:
        run()
        return gc.collect()
    finally:
        gc.enable()


def test_a_training_step_leaves_no_garbage_for_the_collector():
    random.seed(1337)
    model = MLP(2, [16, 16, 1], activation="relu", last_activation="linear")
    points, labels = make_moons(100, seed=0)
    losses = []

    def training_step():  # micrograd's moons demo: max-margin loss + L2, SGD
        scores = [model([Value(a), Value(b)]) for a, b in points]
        data_loss = sum((1 + -y * s).relu() for y, s in zip(labels, scores, strict=True))
        loss = data_loss * (1.0 / len(scores)) + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
        losses.append(loss.data)

    assert garbage_left_by(training_step) == 0
    assert losses and sum(p.grad != 0.0 for p in model.parameters()) > 300  # it did train


def test_the_garbage_count_sees_a_lecture_style_closure_cycle():
    # The measure above can fail: a node holding a closure that refers to the node.
    def lecture_node():
        out = types.SimpleNamespace(data=1.0, grad=0.0)

        def _backward():
            out.grad += 1.0

        out._backward = _backward

    assert garbage_left_by(lecture_node) > 0


def test_prev_is_a_tuple_of_the_children_in_order():
    a, b = Value(2.0), Value(3.0)
    assert (a * b)._prev == (a, b) and (b + a)._prev == (b, a)
    assert a.tanh()._prev == (a,) and a._prev == ()


def test_a_node_made_with_local_derivatives_passes_them_on():
    a, b = Value(2.0), Value(3.0)
    out = Value(7.0, (a, b), "f", "", (-1.5, 4.0))  # as notebook 09 makes log
    out.grad = 2.0
    out._backward()  # one chain-rule step: child.grad += local * out.grad
    assert (a.grad, b.grad) == (-3.0, 8.0)


def test_backward_calls_each_nodes_backward_once_after_every_node_that_uses_it(monkeypatch):
    # The lecture's contract: backward() is _backward() of every node, in topological order.
    a, b = Value(2.0), Value(3.0)
    e = a * b
    d = e + a  # a used twice
    L = d * d  # (ab + a)^2 = 64
    calls, chain_rule_step = [], Value._backward

    def spy(node):
        calls.append(node)
        chain_rule_step(node)

    monkeypatch.setattr(Value, "_backward", spy)
    L.backward()
    assert len(calls) == 5 and {id(n) for n in calls} == {id(n) for n in (a, b, e, d, L)}
    at = {id(n): i for i, n in enumerate(calls)}
    for user, used in [(L, d), (d, e), (d, a), (e, a), (e, b)]:
        assert at[id(user)] < at[id(used)]
    assert (a.grad, b.grad) == (64.0, 32.0)  # 2(ab + a)(b + 1), 2(ab + a)a


def test_a_node_made_as_in_notebook_02_has_children_but_passes_no_gradient():
    a, b = Value(2.0), Value(3.0)
    c = Value(5.0, (a, b), "+")  # no local derivatives given
    assert c._prev == (a, b) and c._op == "+"
    c.backward()
    assert (a.grad, b.grad) == (0.0, 0.0)
    d = Value(6.0, _children={a}, _op="*3", _local_grads=[3.0])  # any container
    d.backward()
    assert d._prev == (a,) and a.grad == 3.0


def test_more_than_two_children_says_to_build_from_two_input_operations():
    a = Value(1.0)
    with pytest.raises(ValueError, match=r"3 children.*\(a \+ b\) \+ c"):
        Value(3.0, (a, a, a), "+")


DEEP_CHAIN = """
import gc, sys
from solutions.engine import Value
assert sys.getrecursionlimit() == 1000, sys.getrecursionlimit()
x = Value(0.5)
y = x
for _ in range(100_000):
    y = y + 1.0
y.backward()
assert y.data == 100_000.5, y.data
assert x.grad == 1.0, x.grad
del x, y
gc.collect()
print("freed")
"""


def test_backward_through_a_chain_100000_deep_at_the_default_recursion_limit():
    # A fresh interpreter: the default recursion limit, and a crash while freeing
    # the graph shows up as a failed test instead of ending the test run.
    result = subprocess.run(
        [sys.executable, "-c", DEEP_CHAIN],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,  # a hang guard
    )
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert result.stdout.strip() == "freed"


@pytest.mark.parametrize("x", [0.0, 0.5, -3.0, 19.0, -20.0, 100.0, -710.0, 1000.0])
def test_tanh_is_exact_and_does_not_overflow(x):
    v = Value(x)
    t = v.tanh()
    t.backward()
    assert t.data == math.tanh(x)
    sech_squared = 0.0 if abs(x) > 700 else 1.0 / math.cosh(x) ** 2
    assert math.isfinite(v.grad)
    assert close(v.grad, sech_squared, rel=1e-9, abs_=1e-15)


def test_value_to_the_power_of_a_value_says_what_to_do():
    with pytest.raises(TypeError, match=r"int or float") as info:
        Value(2.0) ** Value(3.0)
    assert "**" in str(info.value)


def test_a_number_to_the_power_of_a_value_is_refused():
    with pytest.raises(TypeError, match=r"\*\*.*'int' and 'Value'"):
        2 ** Value(3.0)


def test_square_root_of_zero_has_an_infinite_slope_like_pytorch():
    x = Value(0.0)
    y = x**0.5
    y.backward()
    assert y.data == 0.0 and x.grad == math.inf  # torch: sqrt(0) = 0, grad inf


def test_fractional_power_of_a_negative_number_is_refused():
    with pytest.raises(ValueError, match="negative"):
        Value(-8.0) ** 0.5


@pytest.mark.parametrize("x", [0.0, -1.0, -1e-300])
def test_log_of_zero_or_a_negative_number_raises_value_error(x):
    with pytest.raises(ValueError, match="log"):
        Value(x).log()


def test_exp_overflow_says_so():
    with pytest.raises(OverflowError, match="exp"):
        Value(1000.0).exp()


@pytest.mark.parametrize(
    "data, type_name",
    [("1.0", "str"), ([1.0], "list"), (None, "NoneType"), (1 + 2j, "complex")],
)
def test_non_numeric_data_raises_type_error(data, type_name):
    with pytest.raises(TypeError, match="number") as info:
        Value(data)
    assert type_name in str(info.value)


@pytest.mark.parametrize("operand", ["1.0", None, [1.0]])
def test_an_operand_that_is_not_a_number_raises_type_error(operand):
    for operation in (lambda: Value(1.0) + operand, lambda: operand * Value(1.0)):
        with pytest.raises(TypeError, match=f"number.*{type(operand).__name__}"):
            operation()


def test_a_value_as_data_raises_type_error_that_says_to_use_its_data():
    with pytest.raises(TypeError, match=r"\.data"):
        Value(Value(1.0))


def test_other_real_numbers_are_accepted_as_floats(require):
    numpy = require("numpy")
    for number, expected in [(Fraction(1, 4), 0.25), (numpy.float32(1.5), 1.5)]:
        v = Value(number)
        assert type(v.data) is float and v.data == expected
        out = v * 2
        out.backward()
        assert out.data == 2 * expected and v.grad == 2.0


def test_gradients_accumulate_for_a_times_a():
    a = Value(3.0)
    b = a * a
    b.backward()
    assert a.grad == 6.0  # d(a^2)/da = 2a


def test_gradients_accumulate_in_a_diamond_graph():
    a = Value(3.0)
    top, bottom = a * 2.0, a + 1.0  # two paths from a ...
    d = top * bottom  # ... that meet again: d = 2a(a + 1)
    d.backward()
    assert d.data == 24.0
    assert a.grad == 14.0  # 4a + 2
    assert (top.grad, bottom.grad) == (4.0, 6.0)


def test_a_shared_inner_node_passes_on_its_whole_gradient():
    a, b = Value(2.0), Value(5.0)
    e = a * b
    f = e + e * e  # e = 10 used three times: df/de = 1 + 2e = 21
    f.backward()
    assert f.data == 110.0
    assert e.grad == 21.0
    assert (a.grad, b.grad) == (105.0, 42.0)  # 21 * b, 21 * a


def test_prev_holds_the_children():
    a, b = Value(2.0), Value(3.0)
    assert set((a + b)._prev) == {a, b}
    assert set((a * b)._prev) == {a, b}
    assert set((a * a)._prev) == {a}
    assert set(a.tanh()._prev) == {a}
    assert len(a._prev) == 0
    constant = [v for v in (a + 4)._prev if v is not a]
    assert [v.data for v in constant] == [4]


def test_op_labels_are_the_lectures():
    a = Value(2.0)
    assert a._op == ""
    assert (a + a)._op == "+"
    assert (a * a)._op == "*"
    assert (a**2)._op == "**2"
    assert a.tanh()._op == "tanh"
    assert a.exp()._op == "exp"
    assert a.relu()._op == "ReLU"  # micrograd's label
    assert a.log()._op == "log"


def test_label_and_repr():
    a = Value(2.0, label="a")
    assert a.label == "a"
    assert Value(1.0).label == ""
    assert repr(a) == "Value(data=2.0)"
    assert repr(Value(-0.5)) == "Value(data=-0.5)"


def test_a_fresh_value_has_zero_grad():
    assert Value(1.0).grad == 0.0
