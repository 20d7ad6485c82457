"""make_moons (autograd_helpers/data.py): scikit-learn's two moons, labels -1/+1, pure Python."""

import math
import random

import pytest

from autograd_helpers.data import make_moons


def test_shape_types_and_labels():
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    assert isinstance(X, list) and isinstance(y, list)
    assert len(X) == len(y) == 100
    assert all(isinstance(p, list) and len(p) == 2 for p in X)
    assert all(isinstance(v, float) for p in X for v in p)
    assert set(y) == {-1, 1} and all(isinstance(label, int) for label in y)


@pytest.mark.parametrize("n, minus, plus", [(100, 50, 50), (7, 3, 4), (2, 1, 1)])
def test_labels_are_balanced_as_in_scikit_learn(n, minus, plus):
    _, y = make_moons(n_samples=n, seed=0)
    assert (y.count(-1), y.count(1)) == (minus, plus)


def test_without_noise_the_points_lie_on_two_half_circles():
    X, y = make_moons(n_samples=60, noise=0.0, seed=3)
    for (x1, x2), label in zip(X, y):
        if label == -1:  # upper half of the unit circle centred at (0, 0)
            assert math.isclose(math.hypot(x1, x2), 1.0, rel_tol=1e-12)
            assert x2 >= -1e-12
        else:  # lower half of the unit circle centred at (1, 0.5)
            assert math.isclose(math.hypot(x1 - 1.0, x2 - 0.5), 1.0, rel_tol=1e-12)
            assert x2 <= 0.5 + 1e-12


def test_without_noise_each_moon_is_sampled_at_even_angles_from_0_to_pi():
    X, y = make_moons(n_samples=10, noise=0.0, seed=0)
    upper = sorted(math.atan2(x2, x1) for (x1, x2), label in zip(X, y) if label == -1)
    assert upper == pytest.approx([math.pi * i / 4 for i in range(5)], abs=1e-12)
    lower = sorted(math.atan2(0.5 - x2, 1.0 - x1) for (x1, x2), label in zip(X, y) if label == 1)
    assert lower == pytest.approx([math.pi * i / 4 for i in range(5)], abs=1e-12)


def test_points_are_shuffled():
    _, y = make_moons(n_samples=100, seed=1337)
    assert y != sorted(y) and y != sorted(y, reverse=True)


def test_noise_moves_points_off_the_circles_by_about_its_size():
    X, y = make_moons(n_samples=400, noise=0.1, seed=5)
    gaps = [
        math.hypot(x1, x2) - 1 if label == -1 else math.hypot(x1 - 1, x2 - 0.5) - 1
        for (x1, x2), label in zip(X, y)
    ]
    spread = math.sqrt(sum(g * g for g in gaps) / len(gaps))
    assert 0.05 < spread < 0.15


def test_same_seed_same_data_and_the_global_random_state_is_left_alone():
    random.seed(42)
    expected_next = random.random()
    random.seed(42)
    first = make_moons(n_samples=50, noise=0.2, seed=7)
    assert random.random() == expected_next
    assert make_moons(n_samples=50, noise=0.2, seed=7) == first
    assert make_moons(n_samples=50, noise=0.2, seed=8) != first


def test_refuses_bad_arguments():
    with pytest.raises(ValueError, match="at least 2"):
        make_moons(n_samples=1)
    with pytest.raises(ValueError, match="cannot be negative"):
        make_moons(noise=-0.1)
