"""Trainer (autograd_helpers/trainer.py) and the plots of notebook 07, without a browser."""

import math
import random

import pytest
from matplotlib.figure import Figure

from autograd_helpers.checks import training as training_checks
from autograd_helpers.plots import (
    loss_curves,
    plot_losses,
    plot_predictions,
    prediction_rows,
)
from autograd_helpers.trainer import Trainer, seeded, sum_squared_error
from solutions.engine import Value
from solutions.nn import MLP

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def make_trainer(lr=0.05, seed=1337):
    return Trainer(lambda: MLP(3, [4, 4, 1]), XS, YS, lr=lr, seed=seed)


# --- the loss ------------------------------------------------------------------------------


def test_sum_squared_error_is_a_sum_not_a_mean():
    preds = [Value(0.5), Value(-0.2), Value(0.9), Value(0.1)]
    loss = sum_squared_error(preds, YS)
    assert math.isclose(loss.data, 0.25 + 0.64 + 3.61 + 0.81)
    loss.backward()
    assert [p.grad for p in preds] == pytest.approx([-1.0, 1.6, 3.8, -1.8])


# --- Trainer -------------------------------------------------------------------------------


def test_reset_brings_back_the_same_initial_weights_and_leaves_random_alone():
    random.seed(5)
    expected_next = random.random()
    random.seed(5)
    trainer = make_trainer()
    assert random.random() == expected_next, "Trainer must not consume the caller's randomness"
    first = [p.data for p in trainer.parameters()]
    trainer.run(3, progress=False)
    assert [p.data for p in trainer.parameters()] != first
    trainer.reset()
    assert [p.data for p in trainer.parameters()] == first
    assert trainer.losses == [] and trainer.steps_done == 0


def test_step_records_the_loss_before_its_update():
    trainer = make_trainer()
    before = trainer.loss()
    recorded = trainer.step()
    assert recorded == before == trainer.losses[0]
    assert trainer.loss() < before, "one step at lr 0.05 goes downhill"
    assert math.isclose(before, 6.0054, abs_tol=1e-4)  # the number notebook 07 promises


def test_step_is_one_gradient_descent_step():
    """Each parameter moves by -lr * dL/dp, dL/dp measured by central differences."""
    trainer = make_trainer(lr=0.05)
    params = trainer.parameters()
    start = [p.data for p in params]
    numerical = []
    for p in params[:6] + params[-5:]:  # a few weights of the first and the last layer
        keep, h = p.data, 1e-6
        p.data = keep + h
        up = trainer.loss()
        p.data = keep - h
        down = trainer.loss()
        p.data = keep
        numerical.append((up - down) / (2 * h))
    trainer.step()
    moved = [p.data - s for p, s in zip(params, start)]
    for m, g in zip(moved[:6] + moved[-5:], numerical):
        assert m == pytest.approx(-0.05 * g, rel=1e-4, abs=1e-9)


def test_run_returns_its_losses_calls_back_and_appends():
    trainer = make_trainer()
    seen = []
    first = trainer.run(5, progress=False, callback=seen.append)
    assert seen == [1, 2, 3, 4, 5]
    second = trainer.run(3, progress=False)
    assert len(first) == 5 and len(second) == 3
    assert trainer.losses == first + second
    assert all(isinstance(v, float) for v in trainer.losses)
    assert trainer.run(0, progress=False) == []


def test_trainer_follows_the_trajectory_the_checks_expect():
    trainer = make_trainer(lr=0.05)
    assert trainer.run(12, progress=False) == pytest.approx(
        training_checks.replay(12, 0.05), rel=1e-12
    )


@pytest.mark.parametrize(("lr", "final_below"), [(0.1, 0.01), (0.001, 4.0)])
def test_learning_rates_of_notebook_07(lr, final_below):
    trainer = make_trainer(lr=lr)
    losses = trainer.run(100, progress=False)
    assert losses[0] == pytest.approx(6.0054, abs=1e-4)
    assert losses[-1] < final_below
    assert losses[-1] < losses[0]


def test_predictions_are_floats_one_per_example():
    trainer = make_trainer(lr=0.1)
    trainer.run(100, progress=False)
    preds = trainer.predictions()
    assert len(preds) == 4 and all(isinstance(p, float) for p in preds)
    assert all(p * y > 0.9 for p, y in zip(preds, YS)), preds


def test_progress_bar_can_be_turned_off(capsys):
    make_trainer().run(3, progress=False)
    assert capsys.readouterr().err == ""
    make_trainer().run(3, progress=True)
    assert "3/3" in capsys.readouterr().err  # tqdm's text bar outside Jupyter


def test_trainer_refuses_bad_input():
    with pytest.raises(ValueError, match="one target per input"):
        Trainer(lambda: MLP(3, [1]), XS, YS[:3])
    with pytest.raises(ValueError, match="0 or more"):
        make_trainer().run(-1, progress=False)


def test_seeded_without_a_seed_changes_nothing():
    random.seed(3)
    expected = random.random()
    random.seed(3)
    with seeded(None):
        pass
    assert random.random() == expected


# --- plots ---------------------------------------------------------------------------------


def test_loss_curves_accept_one_list_or_labelled_lists():
    (one,) = loss_curves([3.0, 2.0, 1.0])
    assert (one.label, one.steps, one.losses) == ("loss", [0, 1, 2], [3.0, 2.0, 1.0])
    two = loss_curves({"a": [1.0], "b": [Value(2.0), Value(1.0)]})
    assert [c.label for c in two] == ["a", "b"] and two[1].losses == [2.0, 1.0]


def test_plot_losses_draws_every_curve_with_labels():
    fig = plot_losses({"lr = 0.001": [6.0, 5.9, 5.8], "lr = 0.1": [6.0, 3.2, 0.7]}, title="T")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title() == "T"
    assert ax.get_xlabel() == "step" and "loss" in ax.get_ylabel()
    assert [line.get_label() for line in ax.get_lines()] == ["lr = 0.001", "lr = 0.1"]
    assert list(ax.get_lines()[1].get_ydata()) == [6.0, 3.2, 0.7]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr = 0.001", "lr = 0.1"]


def test_plot_losses_single_curve_has_no_legend_and_can_use_a_log_scale():
    fig = plot_losses([1.0, 0.1, 0.01], log_scale=True)
    (ax,) = fig.axes
    assert ax.get_legend() is None
    assert ax.get_yscale() == "log"


def test_plot_losses_of_no_steps_says_so():
    (ax,) = plot_losses([]).axes
    assert "no steps yet" in [t.get_text() for t in ax.texts]


def test_prediction_rows_pair_targets_and_predictions():
    rows = prediction_rows(YS, [Value(0.5), -0.5, -1.0, 2.0])
    assert [r.name for r in rows] == ["x0", "x1", "x2", "x3"]
    assert [r.squared_error for r in rows] == [0.25, 0.25, 0.0, 1.0]
    with pytest.raises(ValueError, match="4 targets but 3 predictions"):
        prediction_rows(YS, [0.0, 0.0, 0.0])


def test_plot_predictions_shows_targets_and_each_model(tmp_path):
    fig = plot_predictions(YS, {"lr = 0.1": [0.9, -0.9, -0.9, 0.9], "lr = 0.001": [0.4] * 4})
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["lr = 0.1", "lr = 0.001", "target"]
    assert ax.get_title() and ax.get_xlabel() == "example" and ax.get_ylabel() == "output"
    fig.savefig(tmp_path / "p.png")
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    single = plot_predictions(YS, [0.0, 0.0, 0.0, 0.0])
    assert "prediction" in [t.get_text() for t in single.axes[0].get_legend().get_texts()]


def test_in_pyodide_the_progress_bar_starts_no_monitor_thread(monkeypatch):
    """Pyodide (JupyterLite) cannot start threads; tqdm's monitor thread would fail there."""
    import autograd_helpers.trainer as trainer

    monkeypatch.setattr(trainer.tqdm, "monitor_interval", 10)
    trainer._progress_bars_for("linux")
    assert trainer.tqdm.monitor_interval == 10
    trainer._progress_bars_for("emscripten")
    assert trainer.tqdm.monitor_interval == 0


def test_a_notebook_saved_before_the_rename_still_imports_its_trainer():
    """Learners' copies of 07 from earlier releases import it from autograd_helpers.training."""
    from autograd_helpers import trainer
    from autograd_helpers.training import Trainer, seeded, sum_squared_error

    assert (Trainer, seeded, sum_squared_error) == (
        trainer.Trainer,
        trainer.seeded,
        trainer.sum_squared_error,
    )
