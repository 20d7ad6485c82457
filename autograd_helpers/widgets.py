"""Interactive widgets of the course, built from core ipywidgets only (7 and 8 alike).

Each widget only draws: the numbers come from a plain object that tests drive
without a browser (e.g. :class:`autograd_helpers.trainer.Trainer`). A test sets a
control's ``value`` and calls ``button.click()``, then reads the numbers, the
progress bar and the rendered figure.

Sections: the training dashboard (07_training), the neuron explorer (05_neuron).
"""

from __future__ import annotations

import base64
from typing import Any

from autograd_helpers.plots import figure_png, plot_losses
from autograd_helpers.trainer import Trainer

# ---------------------------------------------------------------------------------------
# 07_training: the training dashboard
# ---------------------------------------------------------------------------------------


class TrainingDashboard:
    """Run N steps of gradient descent with a button and watch the loss fall (07).

    Controls: an IntSlider ``steps`` (N), a FloatLogSlider ``lr``, the buttons
    ``run_button`` ("Run N steps") and ``reset_button``, an IntProgress ``progress``
    bar, a ``status`` Label and the loss curve in the Output widget ``plot``. While it
    runs, the bar and the status line move with every step; the curve is drawn once at
    the end (a drawing costs more than a step: ten per run made a 20-step run wait). All
    numbers live in ``trainer`` (a :class:`Trainer`); the learning rate is read from the
    slider each time Run is pressed.

        >>> dashboard = TrainingDashboard(Trainer(make_mlp, xs, ys, lr=0.05, seed=1337))
        >>> dashboard          # shows it in a notebook
    """

    def __init__(
        self, trainer: Trainer, steps: int = 20, max_steps: int = 500, redraws: int = 1
    ) -> None:
        import ipywidgets as widgets

        self.trainer = trainer
        self.redraws = max(1, redraws)  # drawings of the curve per run, the last one included
        self.steps = widgets.IntSlider(
            value=steps, min=1, max=max_steps, step=1, description="N steps"
        )
        self.lr = widgets.FloatLogSlider(
            value=trainer.lr,
            base=10,
            min=-4,
            max=0,
            step=0.1,
            description="lr",
            readout_format=".2g",
        )
        self.run_button = widgets.Button(
            description=self._run_label(steps), button_style="primary", icon="play"
        )
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.progress = widgets.IntProgress(value=0, min=0, max=steps, description="progress")
        self.status = widgets.Label()
        self.plot = widgets.Output()
        self.run_button.on_click(self._on_run)
        self.reset_button.on_click(self._on_reset)
        self.steps.observe(self._on_steps, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.steps, self.lr]),
                widgets.HBox([self.run_button, self.reset_button, self.progress]),
                self.status,
                self.plot,
            ]
        )
        self.redraw()

    # --- what a person sees ------------------------------------------------------------

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    @staticmethod
    def _run_label(n: int) -> str:
        return f"Run {n} step" + ("" if n == 1 else "s")

    def curve(self) -> list[float]:
        """The loss at the start of every step so far, then at the current weights.

        Never empty: before any step it is the initial loss alone (step 0), so the plot
        shows where training starts instead of an empty frame.
        """
        return [*self.trainer.losses, self.trainer.loss()]

    def render(self, curve: list[float] | None = None) -> Any:
        """The loss curve as a matplotlib Figure (what ``plot`` shows)."""
        curve = self.curve() if curve is None else curve
        trainer = self.trainer
        return plot_losses(
            curve,
            title=f"Training loss after {trainer.steps_done} steps (lr now {trainer.lr:g})",
        )

    def status_text(self, curve: list[float] | None = None) -> str:
        """One line: steps done, the loss now, the learning rate."""
        curve = self.curve() if curve is None else curve
        trainer = self.trainer
        if not trainer.losses:
            return f"step 0 · loss {curve[-1]:.4f} (initial weights) · lr {trainer.lr:g}"
        return f"step {trainer.steps_done} · loss now {curve[-1]:.4f} · lr {trainer.lr:g}"

    def redraw(self) -> None:
        """Show the current loss curve and status (called during and after a run)."""
        curve = self.curve()
        png = base64.b64encode(figure_png(self.render(curve), dpi=80)).decode("ascii")
        # setting `outputs` works the same in ipywidgets 7 and 8, in a kernel or not
        self.plot.outputs = (
            {
                "output_type": "display_data",
                "data": {"image/png": png, "text/plain": "<loss curve>"},
                "metadata": {},
            },
        )
        self.status.value = self.status_text(curve)

    # --- what the controls do ----------------------------------------------------------

    def _on_steps(self, change: dict) -> None:
        self.run_button.description = self._run_label(change["new"])

    def learning_rate(self) -> float:
        """The slider's lr to 2 significant digits: the slider's 10**-1.3 is 0.05, not 0.0501."""
        return float(f"{self.lr.value:.2g}")

    def _on_run(self, _button: Any = None) -> None:
        n = int(self.steps.value)
        self.trainer.lr = self.learning_rate()
        self.progress.max = n
        self.progress.value = 0
        every = max(1, n // self.redraws)
        self.run_button.disabled = True

        def after_step(k: int) -> None:
            self.progress.value = k
            if self.trainer.losses:
                loss = self.trainer.losses[-1]
                self.status.value = f"step {k} of {n} · loss {loss:.4f} · lr {self.trainer.lr:g}"
            if k % every == 0 and k < n:
                self.redraw()

        try:
            self.trainer.run(n, progress=False, callback=after_step)
        finally:
            self.run_button.disabled = False
            self.redraw()

    def _on_reset(self, _button: Any = None) -> None:
        self.trainer.reset()
        self.progress.value = 0
        self.redraw()


# ---------------------------------------------------------------------------------------
# 05_neuron: the neuron explorer
# ---------------------------------------------------------------------------------------

NEURON_INPUTS = ("x1", "x2", "w1", "w2", "b")
# the lecture's neuron: b makes n = 0.8814 and o = tanh(n) = 1/sqrt(2)
LECTURE_NEURON = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
NEURON_RANGES = {"x1": 4.0, "x2": 4.0, "w1": 4.0, "w2": 4.0, "b": 10.0}  # each slider: ±


def neuron_output(x1: float, x2: float, w1: float, w2: float, b: float) -> Any:
    """The lecture's neuron o = tanh(x1*w1 + x2*w2 + b) after ``o.backward()`` (05_neuron).

    Built from the reference Value with the lecture's labels (x1*w1, x2*w2,
    x1*w1 + x2*w2, n, o), so ``draw_dot`` of the result is the lecture's drawing.
    """
    from solutions.engine import Value

    leaves = {name: Value(x, label=name) for name, x in zip(NEURON_INPUTS, (x1, x2, w1, w2, b))}
    x1w1 = leaves["x1"] * leaves["w1"]
    x1w1.label = "x1*w1"
    x2w2 = leaves["x2"] * leaves["w2"]
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + leaves["b"]
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def neuron_state(x1: float, x2: float, w1: float, w2: float, b: float) -> dict[str, Any]:
    """Everything the neuron explorer shows, as plain numbers (05_neuron).

    Returns ``{"data": {...}, "grad": {...}, "root": o}``: ``data`` and ``grad`` map
    x1, x2, w1, w2, b, n and o to their value and to do/d(that), and ``root`` is the
    output Value (for drawing).

        >>> neuron_state(2.0, 0.0, -3.0, 1.0, 6.8813735870195432)["grad"]["x1"]  # about -1.5
    """
    o = neuron_output(x1, x2, w1, w2, b)
    (n,) = o._prev
    nodes = {v.label: v for v in (o, n, *_leaves_of(o))}
    names = (*NEURON_INPUTS, "n", "o")
    return {
        "data": {name: float(nodes[name].data) for name in names},
        "grad": {name: float(nodes[name].grad) for name in names},
        "root": o,
    }


def _leaves_of(root: Any) -> list:
    """The Values without children in ``root``'s graph."""
    found, seen, stack = [], set(), [root]
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            if v._prev:
                stack.extend(v._prev)
            else:
                found.append(v)
    return found


def neuron_result_html(state: dict[str, Any]) -> str:
    """One line of HTML: n and o of a :func:`neuron_state` (05_neuron)."""
    data = state["data"]
    return (
        f"n = x1·w1 + x2·w2 + b = <b>{data['n']:.4f}</b> &nbsp;→&nbsp; "
        f"o = tanh(n) = <b>{data['o']:.4f}</b> &nbsp; (do/dn = 1 − o² = {state['grad']['n']:.4f})"
    )


def neuron_table_html(state: dict[str, Any]) -> str:
    """An HTML table of data and grad (do/d…) of every input, n and o (05_neuron)."""
    names = (*NEURON_INPUTS, "n", "o")
    cell = "padding: 2px 10px; text-align: right; font-family: monospace"
    head = "".join(f'<th style="{cell}">{name}</th>' for name in names)
    rows = "".join(
        f'<tr><th style="{cell}">{what}</th>'
        + "".join(f'<td style="{cell}">{state[what][name]:.4f}</td>' for name in names)
        + "</tr>"
        for what in ("data", "grad")
    )
    return f'<table><tr><th style="{cell}"></th>{head}</tr>{rows}</table>'


def neuron_graph_output(root: Any) -> dict[str, Any]:
    """What the explorer's graph shows: draw_dot's SVG, or text without ``dot`` (05_neuron).

    An output of an ``Output`` widget (a ``display_data`` dict); ``text/plain`` is always
    there, ``text/html`` (the SVG inline) only when Graphviz's ``dot`` program runs. The
    drawing fits the notebook's column with readable text (``graph.fit_svg``): the neuron's
    records stacked (label over data over grad), inputs still on the left and o on the
    right, 900 px wide with 16 px text, instead of 2,460 px shrunk to 7 px text.
    """
    from autograd_helpers.graph import CANNOT_RUN_DOT, cannot_draw, draw_dot, fit_svg, text_graph

    data = {"text/plain": text_graph(root)}
    try:
        data["text/html"] = fit_svg(draw_dot(root)).html  # inline: shrinks with the column
    except CANNOT_RUN_DOT as exc:
        data["text/plain"] = f"{cannot_draw(exc)}\n\n{data['text/plain']}"
    return {"output_type": "display_data", "data": data, "metadata": {}}


class NeuronExplorer:
    """Sliders for the lecture's neuron; o, its gradients and its graph follow live (05).

    Controls: ``sliders``, one FloatSlider per input ("x1", "x2", "w1", "w2", "b").
    Shown: ``result`` (HTML: n and o), ``table`` (HTML: data and grad of every input,
    n and o) and ``graph`` (Output: the drawn graph, as text when Graphviz's ``dot`` is
    missing). The numbers come from :func:`neuron_state`; ``state`` is the latest one.

        >>> explorer = NeuronExplorer()     # the lecture's numbers
        >>> explorer.sliders["w1"].value = 0.5
        >>> explorer.state["data"]["o"]     # tanh(2 * 0.5 + 6.88...)
    """

    def __init__(self, draw_graph: bool = True, **values: float) -> None:
        import ipywidgets as widgets

        unknown = set(values) - set(NEURON_INPUTS)
        if unknown:
            raise TypeError(f"unknown inputs {sorted(unknown)}: use {', '.join(NEURON_INPUTS)}")
        start = {**LECTURE_NEURON, **values}
        self.draw_graph = draw_graph
        self.sliders = {
            name: widgets.FloatSlider(
                value=start[name],
                min=-NEURON_RANGES[name],
                max=NEURON_RANGES[name],
                step=0.01,
                description=name,
                readout_format=".2f",
                continuous_update=True,
            )
            for name in NEURON_INPUTS
        }
        # the exact inputs: a slider shows (and a browser snaps it to) multiples of its step,
        # 6.88 for the lecture's b = 6.8813735870195432, which would make o 0.7064, not 0.7071
        self._exact = {name: float(slider.value) for name, slider in self.sliders.items()}
        self.result = widgets.HTML()
        self.table = widgets.HTML()
        self.graph = widgets.Output()
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.widget = widgets.VBox(
            [
                widgets.Label("o = tanh(x1·w1 + x2·w2 + b): move a slider"),
                widgets.HBox(
                    [
                        widgets.VBox(list(self.sliders.values())),
                        widgets.VBox([self.result, self.table]),
                    ]
                ),
                self.graph,
            ]
        )
        self.state: dict[str, Any] = {}
        self.update()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def values(self) -> dict[str, float]:
        """The inputs now: each slider's value, or the exact starting value it rounds."""
        return dict(self._exact)

    def update(self) -> None:
        """Recompute the neuron from the sliders and show o, the gradients and the graph."""
        self.state = neuron_state(**self.values())
        self.result.value = neuron_result_html(self.state)
        self.table.value = neuron_table_html(self.state)
        if self.draw_graph:
            # setting `outputs` works the same in ipywidgets 7 and 8, in a kernel or not
            self.graph.outputs = (neuron_graph_output(self.state["root"]),)

    def _on_change(self, change: dict) -> None:
        name = next(n for n, s in self.sliders.items() if s is change["owner"])
        new = float(change["new"])
        # within half a step of the exact value: the slider only rounded it, keep it exact
        if abs(new - self._exact[name]) > self.sliders[name].step / 2 + 1e-12:
            self._exact[name] = new
        self.update()
