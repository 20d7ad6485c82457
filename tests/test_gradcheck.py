"""autograd_helpers.gradcheck: relative errors, verdicts, and catching a wrong derivative."""

import math

import pytest
from lecture_values import LectureValue, node

from autograd_helpers.gradcheck import (
    GradcheckReport,
    gradcheck,
    numerical_grad,
    relative_error,
    verdict,
)
from solutions.engine import Value


class WrongExp(LectureValue):
    def exp(self):  # the mistake: d/dx e^x written as x instead of e^x
        return node(type(self), math.exp(self.data), (self,), "exp", (self.data,))


# --- relative error and verdict against numbers worked out by hand ------------------


@pytest.mark.parametrize(
    "a, n, expected",
    [
        (1.0, 1.0, 0.0),
        (2.0, 1.0, 0.5),  # |2-1| / 2
        (-1.0, 1.0, 2.0),  # |-1-1| / 1
        (1e-3, 1.001e-3, 1e-6 / 1.001e-3),
        (0.0, 0.0, 0.0),  # the 1e-8 floor: no division by zero
        (0.0, 1e-10, 1e-2),  # 1e-10 / 1e-8
        (100.0, 100.00001, 1e-5 / 100.00001),
    ],
)
def test_relative_error_matches_hand_computed_numbers(a, n, expected):
    assert relative_error(a, n) == pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(
    "rel, expected",
    [
        (0.0, "great"),
        (9.9e-8, "great"),
        (1e-7, "ok-ish"),
        (9.9e-5, "ok-ish"),
        (1e-4, "wrong"),
        (0.5, "wrong"),
        (float("nan"), "wrong"),
        (float("inf"), "wrong"),
    ],
)
def test_verdict_thresholds_are_cs231n_s(rel, expected):
    assert verdict(rel) == expected


# --- numerical gradients --------------------------------------------------------------


def test_numerical_grad_of_plain_floats_is_the_derivative():
    # f(x) = 3x^2 - 4x + 5, f'(3) = 6*3 - 4 = 14
    grads = numerical_grad(lambda x: 3 * x**2 - 4 * x + 5, {"x": 3.0})
    assert grads["x"] == pytest.approx(14.0, rel=1e-8)


def test_numerical_grad_of_the_lecture_d_is_b_a_1():
    # d = a*b + c at a=2, b=-3, c=10: dd/da = b = -3, dd/db = a = 2, dd/dc = 1
    grads = numerical_grad(lambda a, b, c: a * b + c, {"a": 2.0, "b": -3.0, "c": 10.0})
    assert grads == pytest.approx({"a": -3.0, "b": 2.0, "c": 1.0}, rel=1e-8)


def test_numerical_grad_builds_leaves_of_the_value_class():
    seen = []

    def f(x):
        seen.append(type(x))
        return x.tanh()

    grads = numerical_grad(f, {"x": 0.5}, value_class=Value)
    assert set(seen) == {Value}
    assert grads["x"] == pytest.approx(1 - math.tanh(0.5) ** 2, rel=1e-8)


def test_numerical_grad_uses_the_given_step():
    # central differences of x^3 are exact up to h^2: (3x^2 h + h^3) / h -> 3x^2 + h^2
    grads = numerical_grad(lambda x: x**3, {"x": 1.0}, h=0.1)
    assert grads["x"] == pytest.approx(3.0 + 0.01, rel=1e-12)


# --- gradcheck --------------------------------------------------------------------------


def test_gradcheck_of_a_right_engine_is_great_for_every_input():
    report = gradcheck(
        lambda a, b, c: (a * b + c).tanh() + a**2 / b - (c * 0.1).exp(),
        {"a": 0.5, "b": -1.5, "c": 0.3},
        Value,
    )
    assert isinstance(report, GradcheckReport)
    assert [e.name for e in report.entries] == ["a", "b", "c"]
    assert report.verdict == "great" and report.ok
    assert report.worst < 1e-7
    # the analytic gradient really is backward()'s: d/da of the above, by hand
    a, b, c = 0.5, -1.5, 0.3
    t = math.tanh(a * b + c)
    assert report["a"].analytic == pytest.approx((1 - t**2) * b + 2 * a / b, rel=1e-12)
    assert report.output == pytest.approx(t + a**2 / b - math.exp(0.1 * c), rel=1e-12)


def test_gradcheck_flags_a_wrong_derivative():
    report = gradcheck(lambda x: x.exp(), {"x": 2.0}, WrongExp)
    entry = report["x"]
    assert entry.analytic == 2.0  # the mistake: x instead of e^x
    assert entry.numerical == pytest.approx(math.exp(2.0), rel=1e-8)
    assert entry.rel_error == pytest.approx((math.exp(2) - 2) / math.exp(2), rel=1e-6)
    assert entry.verdict == "wrong" and report.verdict == "wrong" and not report.ok
    assert "wrong" in report.table().splitlines()[1]


def test_gradcheck_flags_only_the_input_whose_gradient_is_wrong():
    report = gradcheck(lambda x, y: x.exp() * y, {"x": 1.0, "y": 3.0}, WrongExp)
    assert report["y"].verdict == "great"  # d/dy = e^x: the forward value, not the mistake
    assert report["x"].verdict == "wrong"


def test_gradcheck_of_the_same_class_without_the_mistake_is_great():
    assert gradcheck(lambda x: x.exp(), {"x": 2.0}, LectureValue).verdict == "great"


def test_gradcheck_takes_the_class_from_values_given_as_inputs():
    report = gradcheck(lambda x, y: x * y, {"x": Value(2.0), "y": -3.0})
    assert report["x"].analytic == -3.0 and report["y"].analytic == 2.0


def test_gradcheck_uses_fresh_leaves_so_given_values_keep_their_grad():
    x = Value(2.0)
    gradcheck(lambda x: x * x, {"x": x})
    assert x.grad == 0.0


def test_gradcheck_without_a_value_class_says_how_to_give_one():
    with pytest.raises(TypeError, match="needs a Value class"):
        gradcheck(lambda x: x * 2, {"x": 1.0})


def test_gradcheck_of_a_build_that_returns_a_number_says_so():
    with pytest.raises(TypeError, match="expected a Value"):
        gradcheck(lambda x: x.data * 2, {"x": 1.0}, Value)


def test_a_nan_gradient_is_wrong():
    report = gradcheck(lambda x: x * float("nan"), {"x": 1.0}, Value)
    assert math.isnan(report.worst) and report.verdict == "wrong"


def test_unknown_input_name_lists_the_inputs():
    report = gradcheck(lambda x: x * 2, {"x": 1.0}, Value)
    with pytest.raises(KeyError, match="x"):
        report["y"]


def test_table_has_a_row_per_input_and_explains_the_thresholds():
    report = gradcheck(lambda a, b: a * b, {"a": 2.0, "b": -3.0}, Value)
    lines = str(report).splitlines()
    assert lines[0].split() == ["input", "analytic", "numerical", "rel.", "error", "verdict"]
    assert lines[1].split()[0] == "a" and lines[1].split()[1] == "-3"
    assert lines[2].split()[0] == "b" and lines[2].split()[1] == "2"
    assert lines[1].endswith("great") and lines[2].endswith("great")
    assert "< 1e-7 great, < 1e-4 ok-ish, otherwise wrong" in lines[-1]
    assert repr(report) == str(report)


def test_a_zero_gradient_against_rounding_noise_is_great_and_starred():
    # d(a/a)/da = 0, but central differences of a * a**-1 give about -5.6e-11
    report = gradcheck(lambda a: a / a, {"a": -2.5}, Value)
    entry = report["a"]
    assert entry.analytic == 0.0 and 0 < abs(entry.numerical) < 1e-9
    assert entry.rel_error > 1e-4  # the plain relative error alone would say "wrong"
    assert entry.within_noise and entry.verdict == "great" and report.verdict == "great"
    assert "great*" in report.table() and "rounding noise" in report.table()


def test_the_noise_allowance_grows_with_the_output_but_stays_tiny():
    report = gradcheck(lambda a: a * 1000.0, {"a": 1.0}, Value)
    assert report["a"].noise == pytest.approx(1e-15 * 1000.000001 / 1e-6)
    assert "*" not in report.table()


def test_a_small_real_error_is_not_hidden_as_noise():
    # a gradient off by 1e-6 on a function of size 1: far above its noise of about 1e-9
    class Off(LectureValue):
        def exp(self):
            out = super().exp()
            inner = out._backward

            def _backward():
                inner()
                self.grad += 1e-6 * out.grad

            out._backward = _backward
            return out

    report = gradcheck(lambda x: x.exp(), {"x": 0.0}, Off)
    assert not report["x"].within_noise and report["x"].verdict == "ok-ish"
