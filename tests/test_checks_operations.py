"""The checks of 04_operations accept every correct answer, however it is written.

The mistake catalog (tests/mistakes/nb04.py) proves that wrong answers fail with the right
message; here, answers written differently from the solved notebook must pass: operations
with their own nodes instead of compositions, tuples for _prev, int data, TypeError for
``Value ** Value`` or even full support of it, tanh by math.tanh or built from exp.
"""

import math

import pytest
from lecture_values import LectureValue, node

from autograd_helpers.checks import operations
from autograd_helpers.checks._core import CheckFailed


class OwnNodes:
    """Every operation its own node with its own derivative; _prev a tuple; TypeError for **."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._prev = tuple(_children)
        self._op = _op
        self._locals = ()

    def _make(self, data, children, op, locals_):
        out = OwnNodes(data, children, op)
        out._locals = locals_
        return out

    @staticmethod
    def wrap(x):
        return x if isinstance(x, OwnNodes) else OwnNodes(x)

    def __add__(self, other):
        other = self.wrap(other)
        return self._make(self.data + other.data, (self, other), "+", (1, 1))

    __radd__ = __add__

    def __mul__(self, other):
        other = self.wrap(other)
        return self._make(self.data * other.data, (self, other), "*", (other.data, self.data))

    __rmul__ = __mul__

    def __neg__(self):
        return self._make(-self.data, (self,), "neg", (-1,))

    def __sub__(self, other):
        other = self.wrap(other)
        return self._make(self.data - other.data, (self, other), "-", (1, -1))

    def __rsub__(self, other):
        return self.wrap(other) - self

    def __truediv__(self, other):
        other = self.wrap(other)
        a, b = self.data, other.data
        return self._make(a / b, (self, other), "/", (1 / b, -a / b**2))

    def __rtruediv__(self, other):
        return self.wrap(other) / self

    def __pow__(self, n):
        if not isinstance(n, (int, float)):
            raise TypeError("exponent must be a number")
        return self._make(self.data**n, (self,), f"**{n}", (n * self.data ** (n - 1),))

    def exp(self):
        return self._make(math.exp(self.data), (self,), "exp", (math.exp(self.data),))

    def tanh(self):  # built from the other operations: no tanh node at all
        e = (2 * self).exp()
        return (e - 1) / (e + 1)

    def backward(self):
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((c, False) for c in node._prev)
        self.grad = 1
        for node in reversed(order):
            for child, local in zip(node._prev, node._locals):
                child.grad += local * node.grad


class FullPow(LectureValue):
    """Value ** Value supported, with the exponent's gradient x**y * ln x."""

    def __pow__(self, other):
        if not isinstance(other, LectureValue):
            return super().__pow__(other)
        x, y = self.data, other.data
        out = FullPow(x**y, (self, other), "**")

        def _backward():
            self.grad += y * x ** (y - 1) * out.grad
            other.grad += x**y * math.log(x) * out.grad

        out._backward = _backward
        return out


def mean_by_sum(values):
    return sum(values) / len(values)


def mean_by_loop(values):
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total * (1 / len(values))


def tanh_lecture(x):
    e = (2 * x).exp()
    return (e - 1) / (e + 1)


def tanh_other_order(x):
    e = (x * 2).exp()
    return (e - 1) * (e + 1) ** -1


CHECKS = [
    operations.constants,
    operations.reflected,
    operations.subtraction,
    operations.power,
    operations.division,
    operations.exponential,
    operations.tanh,
]


@pytest.mark.parametrize("cls", [LectureValue, OwnNodes, FullPow], ids=lambda c: c.__name__)
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.test_id)
def test_every_operation_check_passes_a_correct_value(check, cls, capsys):
    check(cls)
    assert capsys.readouterr().out.startswith(f"✔ {check.test_id} — ")


@pytest.mark.parametrize("cls", [LectureValue, OwnNodes], ids=lambda c: c.__name__)
@pytest.mark.parametrize("mean", [mean_by_sum, mean_by_loop])
def test_sum_check_passes_any_correct_mean(cls, mean, capsys):
    operations.sum_of_values(cls, mean)
    assert "✔ 04.sum" in capsys.readouterr().out


@pytest.mark.parametrize("cls", [LectureValue, OwnNodes], ids=lambda c: c.__name__)
@pytest.mark.parametrize("tanh_from_exp", [tanh_lecture, tanh_other_order])
def test_together_passes_any_correct_tanh_from_exp(cls, tanh_from_exp, capsys):
    operations.together(cls, tanh_from_exp)
    assert "✔ 04.tanh_from_exp" in capsys.readouterr().out


def test_value_power_check_says_how_value_exponents_are_handled(capsys):
    operations.power(LectureValue)
    operations.power(OwnNodes)
    operations.power(FullPow)
    out = capsys.readouterr().out
    assert "refused by an assert" in out
    assert "refused with a TypeError" in out
    assert "supported, with the exponent's gradient" in out


def test_tanh_from_exp_must_not_be_tanh_itself():
    with pytest.raises(CheckFailed, match="build it from the pieces"):
        operations.together(LectureValue, lambda x: x.tanh())


def test_the_reference_engine_is_refused():
    from solutions.engine import Value

    with pytest.raises(CheckFailed, match="reference answer"):
        operations.constants(Value)


# --- the learner's functions only ever see the learner's own Values (issue 11) ---------------


def _own_values_only(cls, fn):
    """``fn``, refusing any argument that is not a ``cls`` (e.g. a reference-engine Value)."""

    def guarded(*args):
        for arg in args:
            for v in arg if isinstance(arg, list) else [arg]:
                assert type(v) is cls, f"handed a {type(v).__module__}.{type(v).__name__}"
        return fn(*args)

    return guarded


def mean_with_value_start(values):
    total = sum(values, LectureValue(0.0))
    return total / len(values)


def mean_over_a_value(values):
    return sum(values) / LectureValue(len(values))


def tanh_with_value_one(x):
    one = LectureValue(1.0)
    e = (LectureValue(2.0) * x).exp()
    return (e - one) / (e + one)


@pytest.mark.parametrize("mean", [mean_by_sum, mean_with_value_start, mean_over_a_value])
def test_sum_check_hands_mean_only_the_learners_values(mean, capsys):
    operations.sum_of_values(LectureValue, _own_values_only(LectureValue, mean))
    assert "✔ 04.sum" in capsys.readouterr().out


@pytest.mark.parametrize("tanh_from_exp", [tanh_lecture, tanh_with_value_one])
def test_together_hands_tanh_from_exp_only_the_learners_values(tanh_from_exp, capsys):
    operations.together(LectureValue, _own_values_only(LectureValue, tanh_from_exp))
    assert "✔ 04.tanh_from_exp" in capsys.readouterr().out


def test_mean_that_always_divides_by_3_is_named():
    with pytest.raises(CheckFailed, match="not by a fixed number"):
        operations.sum_of_values(LectureValue, lambda values: sum(values) / 3)


def test_wrapping_a_value_in_a_value_is_named_not_radd():
    class WrapsAlways(LectureValue):
        def __add__(self, other):
            other = WrapsAlways(other)  # even when other already is a Value
            return node(WrapsAlways, self.data + other.data, (self, other), "+", (1.0, 1.0))

    with pytest.raises(CheckFailed, match="already is a Value") as caught:
        operations.constants(WrapsAlways)
    assert "__radd__" not in str(caught.value)


def test_pow_exponent_stored_as_a_child_is_named():
    class ExponentChild(LectureValue):
        def __pow__(self, other):
            out = node(
                ExponentChild,
                self.data**other,
                (self,),
                f"**{other}",
                (other * self.data ** (other - 1),),
            )
            out._prev = {self, ExponentChild(other)}
            return out

    with pytest.raises(CheckFailed, match="x is the only child"):
        operations.power(ExponentChild)
