"""The checks of 00_setup accept any correct answer, however it is written."""

from __future__ import annotations

import pytest

from autograd_helpers.checks import setup
from autograd_helpers.checks._core import CheckFailed


def forward(f, x, h):
    return (f(x + h) - f(x)) / h


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def backward(f, x, h):
    rise = f(x) - f(x - h)
    return rise / h


def test_slope_accepts_other_spellings(capsys):
    setup.slope(lambda x1, y1, x2, y2: (y1 - y2) / (x1 - x2))
    setup.slope(lambda x1, y1, x2, y2: (y2 - y1) * 1.0 / (x2 - x1))
    assert capsys.readouterr().out.count("✔ 00.slope") == 2


def test_f_accepts_other_spellings(capsys):
    setup.function(lambda x: 3 * x * x - 4 * x + 5)
    setup.function(lambda x: pow(x, 2) * 3 + 5 - x * 4)
    assert capsys.readouterr().out.count("✔ 00.f") == 2


@pytest.mark.parametrize("numerical_derivative", [forward, central, backward])
@pytest.mark.parametrize("h", [0.0001, 1e-6, 0.001])
def test_derivative_accepts_any_difference_quotient(numerical_derivative, h, capsys):
    setup.derivative(numerical_derivative, h)
    assert "✔ 00.derivative" in capsys.readouterr().out


def test_partials_accepts_other_ways(capsys):
    def with_lambdas(a, b, c, h):
        return [
            forward(lambda a_: a_ * b + c, a, h),
            forward(lambda b_: a * b_ + c, b, h),
            central(lambda c_: a * b + c_, c, h),
        ]

    def one_by_one(a, b, c, h):
        d1 = a * b + c
        out = []
        for nudged in ((a + h, b, c), (a, b + h, c), (a, b, c + h)):
            x, y, z = nudged
            out.append((x * y + z - d1) / h)
        return tuple(out)

    setup.partials(with_lambdas)
    setup.partials(one_by_one)
    assert capsys.readouterr().out.count("✔ 00.partials") == 2


def test_derivative_refuses_a_non_number_h():
    with pytest.raises(CheckFailed, match="h is '0.0001'"):
        setup.derivative(forward, "0.0001")


def test_numpy_floats_are_numbers(capsys):
    import numpy as np

    setup.slope(lambda x1, y1, x2, y2: np.float64(y2 - y1) / np.float64(x2 - x1))
    setup.function(lambda x: np.polyval([3, -4, 5], x))
    setup.partials(lambda a, b, c, h: np.array([b, a, 1.0]) + h / 10)
    out = capsys.readouterr().out
    assert "✔ 00.slope" in out and "✔ 00.f" in out and "✔ 00.partials" in out
