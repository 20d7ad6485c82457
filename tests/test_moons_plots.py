"""The plots of notebook 08 (autograd_helpers/plots.py): the moons and a decision boundary."""

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from autograd_helpers.data import make_moons
from autograd_helpers.plots import (
    as_number,
    decision_grid,
    loss_curves,
    plot_decision_boundary,
    plot_losses,
    plot_moons,
    score_of,
)
from solutions.engine import Value

X, Y = make_moons(n_samples=40, noise=0.1, seed=1)


def linear(point):
    """A model whose boundary is the line x2 = x1, as a Value like the MLP's output."""
    return Value(point[0]) - point[1]


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_score_of_reads_a_value_a_one_item_list_or_a_number():
    assert score_of(linear, [2.0, 0.5]) == 1.5
    assert score_of(lambda p: [Value(p[0])], (3, 1)) == 3.0
    assert score_of(lambda p: -1, [0.0, 0.0]) == -1.0
    with pytest.raises(ValueError, match="2 outputs"):
        score_of(lambda p: [1.0, 2.0], [0.0, 0.0])


def test_numpy_numbers_are_read_as_numbers_not_as_their_buffer():
    """A numpy scalar has a .data attribute too (a memoryview): it is not a Value's data."""
    assert as_number(np.float64(0.5)) == 0.5
    assert as_number(np.float32(0.25)) == 0.25
    assert as_number(np.int64(3)) == 3.0
    assert as_number(np.array(1.5)) == 1.5
    assert as_number(Value(np.float64(2.5))) == 2.5
    assert score_of(lambda p: np.float64(p[0]), [2.0, 0.0]) == 2.0


def test_plot_losses_takes_accuracies_from_numpy():
    """08's training cell plots accuracies; an accuracy written with np.mean is a numpy float."""
    accuracies = [np.mean([True, False]), np.float64(0.75), 1.0]
    assert loss_curves({"accuracy": accuracies})[0].losses == [0.5, 0.75, 1.0]
    assert isinstance(
        plot_losses({"loss": [Value(1.0), 0.5, 0.25], "accuracy": accuracies}), Figure
    )


def test_decision_grid_covers_the_data_with_square_cells():
    grid = decision_grid(linear, X, resolution=30, margin=0.5)
    rows, cols = grid.shape
    assert len(grid.scores) == rows and all(len(r) == cols for r in grid.scores)
    assert max(rows, cols) == 30
    assert grid.x1s[0] == pytest.approx(min(p[0] for p in X) - 0.5)
    assert grid.x2s[0] == pytest.approx(min(p[1] for p in X) - 0.5)
    assert grid.x1s[-1] >= max(p[0] for p in X) + 0.4  # up to one cell short of the margin
    assert grid.x2s[-1] >= max(p[1] for p in X) + 0.4
    steps = {round(b - a, 9) for a, b in zip(grid.x1s, grid.x1s[1:])}
    steps |= {round(b - a, 9) for a, b in zip(grid.x2s, grid.x2s[1:])}
    assert len(steps) == 1
    for j in (0, rows // 2, rows - 1):
        for i in (0, cols // 2, cols - 1):
            assert math.isclose(grid.scores[j][i], grid.x1s[i] - grid.x2s[j])


def test_decision_grid_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="resolution"):
        decision_grid(linear, X, resolution=1)
    with pytest.raises(ValueError, match="no points"):
        decision_grid(linear, [])


def test_plot_moons_shows_both_classes_with_labels():
    fig = plot_moons(X, Y, title="T")
    (ax,) = fig.axes
    assert ax.get_title() == "T" and ax.get_xlabel() and ax.get_ylabel()
    assert legend_texts(fig) == [
        f"label -1 ({Y.count(-1)} points)",
        f"label +1 ({Y.count(1)} points)",
    ]
    with pytest.raises(ValueError, match="40 points but 3 labels"):
        plot_moons(X, Y[:3])


def test_plot_decision_boundary_shades_both_sides_and_draws_the_line(tmp_path):
    fig = plot_decision_boundary(linear, X, Y, resolution=20, title="Boundary")
    (ax,) = fig.axes
    assert ax.get_title() == "Boundary"
    assert ax.get_xlabel().startswith("x1") and ax.get_ylabel().startswith("x2")
    texts = legend_texts(fig)
    assert texts[:2] == [f"label -1 ({Y.count(-1)} points)", f"label +1 ({Y.count(1)} points)"]
    assert any("says -1" in t for t in texts) and any("says +1" in t for t in texts)
    assert "boundary (score = 0)" in texts
    fig.savefig(tmp_path / "b.png")
    assert (tmp_path / "b.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_decision_boundary_of_a_one_sided_model_has_no_line():
    fig = plot_decision_boundary(lambda p: Value(5.0), X, Y, resolution=10)
    assert "boundary (score = 0)" not in legend_texts(fig)


def test_the_grid_of_a_course_mlp_is_scored_on_floats_with_the_same_numbers():
    """The fast path (no graph per grid point) gives exactly the scores of model(point)."""
    import random

    from autograd_helpers.plots import _float_forward, decision_grid, score_of
    from solutions.nn import MLP

    random.seed(3)
    for model in (
        MLP(2, [16, 16, 1], activation="relu", last_activation="linear"),
        MLP(2, [4, 1]),
    ):
        assert _float_forward(model) is not None
        grid = decision_grid(model, [[0.0, 0.0], [1.0, 0.5]], resolution=7)
        for x2, row in zip(grid.x2s, grid.scores):
            for x1, score in zip(grid.x1s, row):
                assert score == score_of(model, [x1, x2])
    assert _float_forward(lambda point: point[0]) is None  # any other model: called as is
