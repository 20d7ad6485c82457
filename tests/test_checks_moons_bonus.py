"""The checks of 08_bonus_moons and 09_bonus_exercises accept correct answers however written.

The mistake catalog (tests/mistakes/nb08.py, nb09.py) proves they catch wrong ones; here,
answers written differently from the solved notebooks must pass, and a few wrong ones
must fail with a message that names the mistake.
"""

import math
import random

import numpy as np
import pytest

from autograd_helpers.checks import bonus, moons
from autograd_helpers.checks._core import CheckFailed
from solutions.engine import Value
from solutions.nn import MLP

# --- 08: other ways to write the same answers -------------------------------------------


def count_parameters_loop(nin, nouts):
    total, previous = 0, nin
    for n in nouts:
        total += previous * n + n  # weights, then biases
        previous = n
    return total


def loss_fn_loop(scores, ys, parameters, alpha=1e-4):
    """A loop, -y*score + 1, multiplication by 1/n, and the L2 sum starting from a Value."""
    data_loss = Value(0.0)
    for score, label in zip(scores, ys):
        data_loss = data_loss + (-label * score + 1).relu()
    reg = Value(0.0)
    for p in parameters:
        reg = reg + p**2
    return data_loss * (1.0 / len(scores)) + reg * alpha


def accuracy_signs(scores, ys):
    """math.copysign style: the prediction as ±1, compared with the label."""
    predictions = [1 if s.data > 0 else -1 for s in scores]
    return sum(p == label for p, label in zip(predictions, ys)) / len(ys)


def train_step_other(model, X, y, lr):
    scores = list(map(model, X))
    loss = loss_fn_loop(scores, y, model.parameters())
    for p in model.parameters():
        p.grad = 0
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return float(loss.data), accuracy_signs(scores, y)


def train_other(model, X, y, steps=100):
    history = [train_step_other(model, X, y, 1 - 0.9 * k / steps) for k in range(steps)]
    return [h[0] for h in history], [h[1] for h in history]


def accuracy_numpy(scores, ys):
    """np.mean of booleans: a numpy float, which the notebook's plots must take too."""
    return np.mean([(label > 0) == (s.data > 0) for s, label in zip(scores, ys)])


def accuracy_float32(scores, ys):
    return np.float32(accuracy_signs(scores, ys))


@pytest.mark.parametrize(
    "check, answer, kwargs",
    [
        (moons.parameters, count_parameters_loop, {}),
        (moons.loss, loss_fn_loop, {"Value": Value}),
        (moons.accuracy, accuracy_signs, {"Value": Value}),
        (moons.accuracy, accuracy_numpy, {"Value": Value}),
        (moons.accuracy, accuracy_float32, {"Value": Value}),
        (moons.train_step, train_step_other, {"MLP": MLP}),
        (moons.train, train_other, {"MLP": MLP}),
    ],
    ids=[
        "parameters",
        "loss",
        "accuracy",
        "accuracy-numpy",
        "accuracy-float32",
        "train_step",
        "train",
    ],
)
def test_moons_checks_accept_other_correct_answers(check, answer, kwargs, capsys):
    check(answer, **kwargs)
    assert "✔ 08." in capsys.readouterr().out


def test_accuracy_by_the_margin_is_named():
    def by_margin(scores, ys):  # y * score > 0 is False at score 0, also for label -1
        return sum(label * s.data > 0 for s, label in zip(scores, ys)) / len(ys)

    with pytest.raises(CheckFailed, match="a score of exactly 0 with label -1"):
        moons.accuracy(by_margin, Value=Value)


def test_accuracy_with_score_zero_as_plus_one_is_named():
    def at_least_zero(scores, ys):
        return sum((label > 0) == (s.data >= 0) for s, label in zip(scores, ys)) / len(ys)

    with pytest.raises(CheckFailed, match="a score of exactly 0 is counted as \\+1"):
        moons.accuracy(at_least_zero, Value=Value)


def test_trained_check_needs_a_trained_model(capsys):
    random.seed(1337)
    untrained = MLP(2, [16, 16, 1], activation="relu", last_activation="linear")
    with pytest.raises(CheckFailed, match="looks untrained"):
        moons.trained(untrained)
    with pytest.raises(CheckFailed, match="expected 337"):
        moons.trained(MLP(2, [4, 1], activation="relu", last_activation="linear"))


def test_loss_check_names_an_ignored_default_alpha():
    def no_default_l2(scores, ys, parameters, alpha=0.0):
        return loss_fn_loop(scores, ys, parameters, alpha)

    with pytest.raises(CheckFailed, match="the L2 term is missing"):
        moons.loss(no_default_l2, Value=Value)


# --- 09: other ways to write the same answers -------------------------------------------


def by_hand_other(a, b, c):
    return (
        -3 * a * a - 1 / (2 * math.sqrt(a)),
        3 * math.cos(3 * b) + 2.5 * math.sqrt(b) ** 3,
        c**-2,
    )


def numerical_other(f, a, b, c, h=1e-5):
    point = [a, b, c]
    grads = []
    for i in range(3):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def log_keywords(self):
    return Value(math.log(self.data), _children=(self,), _op="log", _local_grads=(self.data**-1,))


def softmax_stable(logits):
    """Subtracting the largest logit (a float) first: the same probabilities and gradients."""
    top = max(z.data for z in logits)
    exps = [(z - top).exp() for z in logits]
    total = Value(0.0)
    for e in exps:
        total = total + e
    return [e * total**-1 for e in exps]


def nll_by_exp(probs, label):
    return probs[label].log() * -1


@pytest.mark.parametrize(
    "check, kwargs",
    [
        (bonus.by_hand, {"gradf_by_hand": by_hand_other}),
        (bonus.numerical, {"numerical_grad": numerical_other}),
        (bonus.log, {"Value": Value, "log": log_keywords}),
        (bonus.softmax, {"Value": Value, "softmax": softmax_stable}),
        (bonus.nll, {"Value": Value, "nll": nll_by_exp}),
        (
            bonus.softmax_nll,
            {"Value": Value, "softmax": softmax_stable, "nll": nll_by_exp},
        ),
    ],
    ids=["by_hand", "numerical", "log", "softmax", "nll", "softmax_nll"],
)
def test_bonus_checks_accept_other_correct_answers(check, kwargs, capsys):
    check(**kwargs)
    assert "✔ 09." in capsys.readouterr().out


def test_expected_numbers_are_the_lectures():
    assert bonus.gradient(2, 3, 4) == pytest.approx(bonus.LECTURE_ANSWER, rel=1e-15)
    probs = bonus.softmax_of(bonus.LECTURE_LOGITS)
    assert -math.log(probs[3]) == pytest.approx(2.1755153626167147, rel=1e-15)
    grads = [p - (j == 3) for j, p in enumerate(probs)]
    lecture = [0.041772570515350445, 0.8390245074625319, 0.005653302662216329, -0.8864503806403986]
    assert grads == pytest.approx(lecture, rel=1e-12)


def test_numerical_check_refuses_a_function_that_ignores_its_argument():
    def uses_the_notebooks_f(f, a, b, c, h=1e-6):
        return numerical_other(bonus.f, a, b, c, h)

    with pytest.raises(CheckFailed, match="call the function you are given"):
        bonus.numerical(uses_the_notebooks_f)
