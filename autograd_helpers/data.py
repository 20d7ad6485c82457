"""Small data sets made in pure Python, with no download and no numpy (notebook 08).

:func:`make_moons` is scikit-learn's two interleaving half circles, with the labels
micrograd's demo uses (-1 and +1 instead of 0 and 1), returned as plain lists.
"""

from __future__ import annotations

import math
import random


def make_moons(
    n_samples: int = 100, noise: float = 0.1, seed: int | None = 0
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles in 2-D, labelled -1 and +1 (08_bonus_moons).

    As scikit-learn's ``make_moons`` defines them: the ``n_samples // 2`` points of label
    -1 lie on the upper half of the unit circle centred at (0, 0), the others (label +1)
    on the lower half of the unit circle centred at (1, 0.5); each half circle is sampled
    at evenly spaced angles from 0 to pi. The points are shuffled, then Gaussian noise of
    standard deviation ``noise`` is added to both coordinates.

    Returns ``(X, y)``: ``X`` a list of ``[x1, x2]`` pairs, ``y`` a list of -1/+1 labels.
    The same ``seed`` always gives the same data (``random.Random(seed)``; the global
    random state is not touched).
    """
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2 (one point per moon), got {n_samples}")
    if noise < 0:
        raise ValueError(f"noise is a standard deviation and cannot be negative, got {noise}")
    rng = random.Random(seed)
    n_out = n_samples // 2  # the upper moon, label -1
    n_in = n_samples - n_out  # the lower moon, label +1
    points = [(_angle(i, n_out), -1) for i in range(n_out)]
    points += [(_angle(i, n_in), +1) for i in range(n_in)]
    rng.shuffle(points)
    X, y = [], []
    for t, label in points:
        if label == -1:
            x1, x2 = math.cos(t), math.sin(t)
        else:
            x1, x2 = 1.0 - math.cos(t), 0.5 - math.sin(t)
        X.append([x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)])
        y.append(label)
    return X, y


def _angle(i: int, n: int) -> float:
    """The i-th of n evenly spaced angles from 0 to pi (both ends included)."""
    return math.pi * i / (n - 1) if n > 1 else 0.0
