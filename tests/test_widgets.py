"""The training dashboard of notebook 07, driven headlessly: set a value, click, read numbers."""

import base64

import ipywidgets as widgets
import pytest
from matplotlib.figure import Figure

from autograd_helpers.trainer import Trainer
from autograd_helpers.widgets import TrainingDashboard
from solutions.nn import MLP

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
# widgets that exist, with the same API, in ipywidgets 7 and 8
CORE = (
    widgets.IntSlider,
    widgets.FloatLogSlider,
    widgets.Button,
    widgets.IntProgress,
    widgets.Output,
    widgets.HBox,
    widgets.VBox,
    widgets.Label,
    widgets.HTML,
)


def make_trainer(lr=0.05):
    return Trainer(lambda: MLP(3, [4, 4, 1]), XS, YS, lr=lr, seed=1337)


@pytest.fixture
def dashboard():
    return TrainingDashboard(make_trainer(), steps=5)


def shown_png(dash) -> bytes:
    (output,) = dash.plot.outputs
    return base64.b64decode(output["data"]["image/png"])


def all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from all_widgets(child)


def test_only_core_widgets(dashboard):
    kinds = [type(w) for w in all_widgets(dashboard.widget)]
    assert all(issubclass(k, CORE) for k in kinds), kinds
    assert {widgets.Button, widgets.IntProgress, widgets.Output} <= set(kinds)


def test_starts_at_step_zero_with_a_drawn_curve(dashboard):
    assert dashboard.progress.value == 0 and dashboard.trainer.losses == []
    assert dashboard.status.value.startswith("step 0 · loss 6.0054")
    assert shown_png(dashboard)[:8] == b"\x89PNG\r\n\x1a\n"
    assert dashboard.run_button.description == "Run 5 steps"


def test_run_button_trains_n_steps_and_fills_the_progress_bar(dashboard):
    dashboard.steps.value = 7
    assert dashboard.run_button.description == "Run 7 steps"
    dashboard.run_button.click()
    assert dashboard.progress.max == 7 and dashboard.progress.value == 7
    assert len(dashboard.trainer.losses) == 7
    assert dashboard.trainer.losses == pytest.approx(make_trainer().run(7, progress=False))
    assert dashboard.status.value.startswith(f"step 7 · loss now {dashboard.trainer.loss():.4f}")
    assert not dashboard.run_button.disabled


def test_runs_add_up_and_read_the_learning_rate_at_each_press(dashboard):
    dashboard.run_button.click()
    dashboard.lr.value = 0.1
    dashboard.run_button.click()
    assert dashboard.trainer.lr == pytest.approx(0.1)
    expected = make_trainer()
    expected.run(5, progress=False)
    expected.lr = 0.1
    expected.run(5, progress=False)
    assert dashboard.trainer.losses == pytest.approx(expected.losses)


def test_reset_button_brings_back_the_initial_weights(dashboard):
    start = dashboard.trainer.loss()
    dashboard.run_button.click()
    assert dashboard.trainer.loss() < start
    dashboard.reset_button.click()
    assert dashboard.trainer.losses == [] and dashboard.progress.value == 0
    assert dashboard.trainer.loss() == start
    assert dashboard.status.value.startswith("step 0")


def test_the_curve_is_redrawn_while_training(dashboard, monkeypatch):
    progress_seen = []
    redraw = dashboard.redraw

    def counting_redraw():
        progress_seen.append(dashboard.progress.value)
        redraw()

    monkeypatch.setattr(dashboard, "redraw", counting_redraw)
    dashboard.redraws = 4
    dashboard.steps.value = 20
    dashboard.run_button.click()
    assert progress_seen == [5, 10, 15, 20], "3 redraws during the run and one at the end"


def test_render_shows_the_current_losses(dashboard):
    dashboard.steps.value = 6
    before = shown_png(dashboard)
    dashboard.run_button.click()
    fig = dashboard.render()
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    (line,) = ax.get_lines()
    now = dashboard.trainer.loss()  # after the 6th update: step 6 of the curve
    assert list(line.get_ydata()) == pytest.approx([*dashboard.trainer.losses, now])
    assert list(line.get_xdata()) == list(range(7))
    assert "6 steps" in ax.get_title()
    assert shown_png(dashboard) != before


def test_shows_itself_in_a_notebook(dashboard, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    dashboard._ipython_display_()
    assert shown == [dashboard.widget]


def test_learning_rate_is_read_to_two_significant_digits(dashboard):
    dashboard.lr.value = 10**-1.3  # where the log slider lands for 0.05
    dashboard.run_button.click()
    assert dashboard.trainer.lr == 0.05


def test_the_first_plot_shows_the_initial_loss(dashboard):
    """Before any step: the loss at the initial weights as a visible point, on its own scale."""
    fig = dashboard.render()
    (ax,) = fig.axes
    (line,) = ax.get_lines()
    initial = dashboard.trainer.loss()
    assert list(line.get_ydata()) == pytest.approx([initial])
    assert line.get_marker() == "o"
    assert ax.get_ylim()[1] >= initial > 0.05  # not the empty 0-0.05 frame
    assert f"loss {initial:.4f} (initial weights)" in dashboard.status.value
