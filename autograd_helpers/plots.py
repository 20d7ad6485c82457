"""Plots of training runs (notebooks 07 and 08); every function returns a matplotlib Figure.

Computing what to draw and drawing it are kept apart: :func:`loss_curves`,
:func:`prediction_rows` and :func:`decision_grid` only turn numbers into rows or
grids (tests read them), and :func:`plot_losses`, :func:`plot_predictions`,
:func:`plot_moons` and :func:`plot_decision_boundary` only draw them. The figures
are made without pyplot, so nothing is drawn twice in a notebook and nothing stays
open: a notebook shows the returned Figure (its ``_repr_png_``), and
``fig.savefig("x.png")`` saves it.
"""

from __future__ import annotations

import io
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    """A Figure as PNG bytes (what a notebook or an Output widget shows)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def as_number(v: Any) -> float:
    """A Value's ``data``, or a plain number (int, float, numpy scalar), as a float (07, 08).

    Numbers come first: a numpy scalar also has a ``.data`` attribute (its memory buffer),
    which is not the number.
    """
    data = getattr(v, "data", None)
    if isinstance(v, numbers.Number) or data is None or isinstance(data, memoryview):
        return float(v)
    return float(data)


class CourseFigure(Figure):
    """A matplotlib Figure that shows itself in Jupyter as a PNG, with no pyplot involved."""

    def _repr_png_(self) -> bytes:
        return figure_png(self)


@dataclass(frozen=True)
class Curve:
    """One loss curve: its legend label, the step numbers and the losses."""

    label: str
    steps: list[int]
    losses: list[float]


def loss_curves(curves: Sequence[float] | Mapping[str, Sequence[float]]) -> list[Curve]:
    """Loss lists as curves: one list, or ``{label: losses}`` for several (07_training).

    Step ``k`` is the loss before update ``k``, so a curve starts at step 0 with the
    loss of the initial weights.
    """
    named = dict(curves) if isinstance(curves, Mapping) else {"loss": curves}
    out = []
    for label, losses in named.items():
        values = [as_number(v) for v in losses]
        out.append(Curve(str(label), list(range(len(values))), values))
    return out


def plot_losses(
    curves: Sequence[float] | Mapping[str, Sequence[float]],
    title: str = "Training loss",
    log_scale: bool = False,
    ylabel: str = "loss (sum of squared errors)",
) -> Figure:
    """The loss after each step of training, one line per curve (07_training).

    ``curves`` is one list of losses or ``{label: losses}``: e.g.
    ``plot_losses({"lr = 0.001": slow, "lr = 0.1": fast})``.
    """
    rows = loss_curves(curves)
    fig = CourseFigure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.subplots()
    for curve in rows:
        marker = "o" if len(curve.steps) == 1 else None  # a single point would be invisible
        ax.plot(curve.steps, curve.losses, label=curve.label, marker=marker, linewidth=2)
    if log_scale:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.set_xlabel("step")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # steps are whole numbers
    ax.set_ylabel(ylabel + (" (log scale)" if log_scale else ""))
    ax.grid(alpha=0.3)
    if len(rows) > 1:
        ax.legend()
    if all(len(curve.steps) <= 1 for curve in rows):  # nothing trained yet: room for steps
        ax.set_xlim(-0.5, 10)
    if not any(curve.steps for curve in rows):
        ax.text(0.5, 0.5, "no steps yet", transform=ax.transAxes, ha="center", va="center")
    return fig


@dataclass(frozen=True)
class PredictionRow:
    """One example: its name, target, the model's prediction and the squared error."""

    name: str
    target: float
    prediction: float

    @property
    def squared_error(self) -> float:
        return (self.prediction - self.target) ** 2


def prediction_rows(ys_gt: Sequence[float], ys_pred: Sequence[float]) -> list[PredictionRow]:
    """Targets and predictions side by side, one row per example (07_training).

    Predictions may be Values or numbers; they are read as floats.
    """
    if len(ys_gt) != len(ys_pred):
        raise ValueError(f"{len(ys_gt)} targets but {len(ys_pred)} predictions")
    return [
        PredictionRow(f"x{i}", as_number(t), as_number(p))
        for i, (t, p) in enumerate(zip(ys_gt, ys_pred))
    ]


def plot_predictions(
    ys_gt: Sequence[float],
    ys_pred: Sequence[float] | Mapping[str, Sequence[float]],
    title: str = "Predictions vs targets",
) -> Figure:
    """Each example's target and the model's prediction; the gap is its error (07).

    ``ys_pred`` is one list of predictions or ``{label: predictions}`` to compare models.
    """
    series = dict(ys_pred) if isinstance(ys_pred, Mapping) else {"prediction": ys_pred}
    tables = {label: prediction_rows(ys_gt, preds) for label, preds in series.items()}
    targets = prediction_rows(ys_gt, ys_gt)
    x = list(range(len(targets)))
    fig = CourseFigure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.subplots()
    width = 0.5 / max(1, len(tables))  # several models: side by side around each example
    offsets = [(k - (len(tables) - 1) / 2) * width for k in range(len(tables))]
    for (label, rows), dx, marker in zip(tables.items(), offsets, "osD^v<>"):
        xs = [i + dx for i in x]
        for xi, row in zip(xs, rows):  # each example's error, as a thin vertical line
            ax.plot([xi, xi], [row.target, row.prediction], color="grey", linewidth=1, zorder=1)
        ax.scatter(xs, [r.prediction for r in rows], s=50, marker=marker, label=label, zorder=3)
    ax.scatter(
        x,
        [r.target for r in targets],
        s=300,
        marker="_",
        color="black",
        linewidths=2.5,
        label="target",
        zorder=2,
    )
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_xticks(x, [r.name for r in targets])
    ax.set_ylim(-1.25, 1.25)  # tanh outputs lie in (-1, 1)
    ax.set_title(title)
    ax.set_xlabel("example")
    ax.set_ylabel("output")
    ax.grid(alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


# --- notebook 08: two moons and a decision boundary --------------------------------------

# (colour, marker, legend label) of each class; a label > 0 is class +1, any other is -1
_CLASSES = {
    -1: ("tab:red", "o", "label -1"),
    +1: ("tab:blue", "s", "label +1"),
}
_REGION_COLOURS = ("#f4b6b6", "#b6cdf4")  # light red where the score is < 0, light blue > 0


@dataclass(frozen=True)
class DecisionGrid:
    """A model's score at every point of a grid: ``scores[j][i]`` is at ``(x1s[i], x2s[j])``."""

    x1s: list[float]
    x2s: list[float]
    scores: list[list[float]]

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns): how many x2 values, how many x1 values."""
        return len(self.x2s), len(self.x1s)


def score_of(model: Callable[[list[float]], Any], point: Sequence[float]) -> float:
    """``model(point)`` as a float: a Value's data, or the only element of a one-item list."""
    out = model([float(v) for v in point])
    if isinstance(out, (list, tuple)):
        if len(out) != 1:
            raise ValueError(f"the model has {len(out)} outputs; a decision needs one score")
        out = out[0]
    return as_number(out)


def _float_forward(model: Any) -> Callable[[list[float]], float] | None:
    """``model``'s forward pass on plain floats, when it is built like the course's MLP.

    Drawing needs scores, not gradients: the same arithmetic in the same order on floats
    gives the same numbers without building a graph per grid point (about 10x faster).
    None for any other model (it is then called as it is).
    """
    try:
        layers = [
            [([float(w.data) for w in n.w], float(n.b.data), n.activation) for n in layer.neurons]
            for layer in model.layers
        ]
    except (AttributeError, TypeError, ValueError):
        return None
    if any(act not in ("tanh", "relu", "linear") for layer in layers for _, _, act in layer):
        return None

    def forward(x: list[float]) -> float:
        h = x
        for layer in layers:
            out = []
            for w, b, activation in layer:
                act = b
                for wi, xi in zip(w, h):
                    act = act + wi * xi
                if activation == "tanh":
                    act = math.tanh(act)
                elif activation == "relu":
                    act = act if act > 0 else 0.0
                out.append(act)
            h = out
        if len(h) != 1:
            raise ValueError(f"the model has {len(h)} outputs; a decision needs one score")
        return h[0]

    return forward


def decision_grid(
    model: Callable[[list[float]], Any],
    X: Sequence[Sequence[float]],
    resolution: int = 40,
    margin: float = 0.5,
) -> DecisionGrid:
    """The model's score on an even grid covering the points ``X`` plus ``margin`` (08).

    ``resolution`` points along the wider axis; the other axis gets the same spacing, so
    the cells are square. Each grid point costs one forward pass of the model (on plain
    floats when the model is built like the course's MLP: see :func:`_float_forward`).
    """
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    if not X:
        raise ValueError("X has no points: nothing to draw around")
    lo1, hi1 = min(p[0] for p in X) - margin, max(p[0] for p in X) + margin
    lo2, hi2 = min(p[1] for p in X) - margin, max(p[1] for p in X) + margin
    spacing = max(hi1 - lo1, hi2 - lo2) / (resolution - 1)
    if spacing == 0:
        spacing = 1.0  # a single point and no margin: a 1x1 cell around it
    x1s = [lo1 + i * spacing for i in range(max(2, round((hi1 - lo1) / spacing) + 1))]
    x2s = [lo2 + j * spacing for j in range(max(2, round((hi2 - lo2) / spacing) + 1))]
    fast = _float_forward(model)
    if fast is not None:
        scores = [[fast([a, b]) for a in x1s] for b in x2s]
    else:
        scores = [[score_of(model, [a, b]) for a in x1s] for b in x2s]
    return DecisionGrid(x1s, x2s, scores)


def _class_of(label: float) -> int:
    return +1 if as_number(label) > 0 else -1


def _scatter_classes(ax: Axes, X: Sequence[Sequence[float]], y: Sequence[float]) -> None:
    if len(X) != len(y):
        raise ValueError(f"{len(X)} points but {len(y)} labels")
    for cls, (colour, marker, name) in _CLASSES.items():
        points = [p for p, label in zip(X, y) if _class_of(label) == cls]
        ax.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            c=colour,
            marker=marker,
            s=28,
            edgecolors="black",
            linewidths=0.5,
            label=f"{name} ({len(points)} points)",
            zorder=3,
        )


def _decorate(ax: Axes, title: str) -> None:
    ax.set_title(title)
    ax.set_xlabel("x1 (first coordinate)")
    ax.set_ylabel("x2 (second coordinate)")
    ax.set_aspect("equal")  # the moons are half circles: keep them round
    ax.grid(alpha=0.3)


def plot_moons(
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    title: str = "The two moons data set",
) -> Figure:
    """The 2-D points ``X`` coloured by their label ``y`` (-1 or +1), as in 08_bonus_moons."""
    fig = CourseFigure(figsize=(6.4, 3.9), layout="constrained")
    ax = fig.subplots()
    _scatter_classes(ax, X, y)
    _decorate(ax, title)
    ax.legend(loc="upper right", fontsize="small")
    return fig


def plot_decision_boundary(
    model: Callable[[list[float]], Any],
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    resolution: int = 60,
    title: str = "Decision boundary",
) -> Figure:
    """Where the model says +1 and where -1, with the data on top (08_bonus_moons).

    The model is evaluated on a :func:`decision_grid` (``resolution`` points along the
    wider axis); the plane is shaded by the sign of its score and the black line is
    where the score is 0, the decision boundary.
    """
    grid = decision_grid(model, X, resolution)
    flat = [s for row in grid.scores for s in row]
    lowest, highest = min(flat), max(flat)
    fig = CourseFigure(figsize=(7.8, 3.7), layout="constrained")
    ax = fig.subplots()
    # two filled regions, split at score 0 (levels must increase and cover every score)
    levels = [min(lowest, -1.0) - 1.0, 0.0, max(highest, 1.0) + 1.0]
    ax.contourf(grid.x1s, grid.x2s, grid.scores, levels=levels, colors=_REGION_COLOURS)
    handles: list[Artist] = [
        Patch(color=_REGION_COLOURS[0], label="model says -1 (score < 0)"),
        Patch(color=_REGION_COLOURS[1], label="model says +1 (score > 0)"),
    ]
    if lowest < 0 < highest:  # otherwise there is no boundary to draw
        ax.contour(grid.x1s, grid.x2s, grid.scores, levels=[0.0], colors="black", linewidths=1.5)
        handles.append(Line2D([], [], color="black", linewidth=1.5, label="boundary (score = 0)"))
    _scatter_classes(ax, X, y)
    _decorate(ax, title)
    point_handles, _ = ax.get_legend_handles_labels()
    ax.legend(
        handles=point_handles + handles,
        loc="center left",
        bbox_to_anchor=(1.02, 0.5),
        fontsize="small",
    )
    return fig
