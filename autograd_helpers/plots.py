"""Plots of training runs (notebook 07); every function returns a matplotlib Figure.

Computing what to draw and drawing it are kept apart: :func:`loss_curves` and
:func:`prediction_rows` only turn numbers into rows (tests read them), and
:func:`plot_losses` and :func:`plot_predictions` only draw those rows. The figures
are made without pyplot, so nothing is drawn twice in a notebook and nothing stays
open: a notebook shows the returned Figure (its ``_repr_png_``), and
``fig.savefig("x.png")`` saves it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    """A Figure as PNG bytes (what a notebook or an Output widget shows)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


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
        values = [float(getattr(v, "data", v)) for v in losses]
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
    if not any(curve.steps for curve in rows):
        ax.set_xlim(0, 10)
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
        PredictionRow(f"x{i}", float(getattr(t, "data", t)), float(getattr(p, "data", p)))
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
