"""The neuron explorer of notebook 05, driven headlessly: move a slider, read the numbers.

Expected numbers are computed here independently (math.tanh and the chain rule written
out), never with the engine the explorer uses. Only core widgets that ipywidgets 7 and 8
both have are allowed, so this file also runs against ipywidgets 7.
"""

import math
import re

import ipywidgets as widgets
import pytest

from autograd_helpers.graph import INSTALL_HINT
from autograd_helpers.widgets import (
    LECTURE_NEURON,
    NeuronExplorer,
    neuron_graph_output,
    neuron_output,
    neuron_state,
)

# widgets that exist, with the same API, in ipywidgets 7 and 8
CORE = (
    widgets.FloatSlider,
    widgets.HTML,
    widgets.Output,
    widgets.HBox,
    widgets.VBox,
    widgets.Label,
)
NAMES = ("x1", "x2", "w1", "w2", "b")


def by_hand(x1, x2, w1, w2, b) -> dict[str, float]:
    """n, o and do/d(each input) of o = tanh(x1*w1 + x2*w2 + b), by the chain rule."""
    n = x1 * w1 + x2 * w2 + b
    o = math.tanh(n)
    dn = 1 - o * o
    return {"n": n, "o": o, "dn": dn, "x1": w1 * dn, "w1": x1 * dn, "x2": w2 * dn,
            "w2": x2 * dn, "b": dn}  # fmt: skip


def squeezed(text: str) -> str:
    """Text with every run of spaces made one (the text graph aligns its columns)."""
    return re.sub(r" +", " ", text)


def all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from all_widgets(child)


def table_numbers(html: str) -> dict[str, dict[str, float]]:
    """The explorer's table read back: {"data": {"x1": ...}, "grad": {...}}."""
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    names = re.findall(r"<th[^>]*>([^<]*)</th>", rows[0])[1:]
    out = {}
    for row in rows[1:]:
        what = re.findall(r"<th[^>]*>([^<]*)</th>", row)[0]
        cells = [float(x) for x in re.findall(r"<td[^>]*>([^<]*)</td>", row)]
        out[what] = dict(zip(names, cells))
    return out


@pytest.fixture
def explorer():
    return NeuronExplorer()


def test_neuron_state_has_the_lectures_numbers():
    state = neuron_state(**LECTURE_NEURON)
    assert state["data"]["o"] == pytest.approx(1 / math.sqrt(2))
    assert state["data"]["n"] == pytest.approx(0.8813735870195432)
    want = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "n": 0.5, "o": 1.0}
    assert state["grad"] == pytest.approx(want)
    assert state["root"].data == state["data"]["o"]


@pytest.mark.parametrize(
    "point",
    [
        {"x1": 1.0, "x2": -2.0, "w1": 0.5, "w2": 0.75, "b": 0.25},
        {"x1": -3.5, "x2": 2.5, "w1": 0.0, "w2": -1.25, "b": 9.0},
        {"x1": 0.0, "x2": 0.0, "w1": 0.0, "w2": 0.0, "b": 0.0},
    ],
)
def test_neuron_state_follows_the_chain_rule(point):
    state, want = neuron_state(**point), by_hand(**point)
    assert state["data"]["o"] == pytest.approx(want["o"])
    assert state["data"]["n"] == pytest.approx(want["n"])
    for name in NAMES:
        assert state["data"][name] == point[name]
        assert state["grad"][name] == pytest.approx(want[name], abs=1e-12), name
    assert state["grad"]["n"] == pytest.approx(want["dn"])


def test_neuron_output_is_the_lectures_labelled_graph():
    o = neuron_output(**LECTURE_NEURON)
    (n,) = o._prev
    assert (o.label, o._op, n.label) == ("o", "tanh", "n")
    labels = {v.label for v in (n, *n._prev)}
    assert labels == {"n", "x1*w1 + x2*w2", "b"}


def test_only_core_widgets(explorer):
    kinds = [type(w) for w in all_widgets(explorer.widget)]
    assert all(issubclass(k, CORE) for k in kinds), kinds
    assert kinds.count(widgets.FloatSlider) == 5
    assert [s.description for s in explorer.sliders.values()] == list(NAMES)


def test_starts_at_the_lecture_neuron(explorer):
    assert explorer.values() == pytest.approx(LECTURE_NEURON)
    assert "0.7071" in explorer.result.value
    shown = table_numbers(explorer.table.value)
    assert shown["grad"] == pytest.approx(
        {"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5, "n": 0.5, "o": 1.0}
    )
    assert shown["data"]["o"] == pytest.approx(0.7071)


@pytest.mark.parametrize(
    "moves",
    [
        {"w1": 0.5},
        {"x2": 1.5, "w2": -2.0},
        {"b": -1.25, "x1": 3.0},
        {"x1": -4.0, "x2": 4.0, "w1": 2.5, "w2": 0.75, "b": 0.0},
    ],
)
def test_moving_sliders_updates_o_and_every_gradient(explorer, moves):
    for name, value in moves.items():
        explorer.sliders[name].value = value
    point = {**LECTURE_NEURON, **moves}
    want = by_hand(**point)
    assert explorer.state["data"]["o"] == pytest.approx(want["o"])
    for name in NAMES:
        assert explorer.state["grad"][name] == pytest.approx(want[name], abs=1e-12), name
    shown = table_numbers(explorer.table.value)
    for name in NAMES:
        assert shown["grad"][name] == pytest.approx(want[name], abs=6e-5), name
        assert shown["data"][name] == pytest.approx(point[name], abs=6e-5), name
    assert f"{want['o']:.4f}" in explorer.result.value
    assert f"{want['n']:.4f}" in explorer.result.value


def test_graph_is_redrawn_with_the_new_numbers(explorer):
    (before,) = explorer.graph.outputs
    assert "<svg" in before["data"]["text/html"]
    assert "data 0.7071" in before["data"]["text/html"]
    explorer.sliders["w1"].value = 0.5
    (after,) = explorer.graph.outputs
    o = f"data {math.tanh(2.0 * 0.5 + LECTURE_NEURON['b']):.4f}"
    assert o in after["data"]["text/html"] and o in squeezed(after["data"]["text/plain"])
    assert "data 0.7071" not in after["data"]["text/html"]


def test_graph_is_text_without_dot(explorer, monkeypatch):
    monkeypatch.setenv("PATH", "")  # Graphviz's dot cannot be found
    explorer.sliders["x2"].value = 1.0
    (shown,) = explorer.graph.outputs
    assert set(shown["data"]) == {"text/plain"}
    text = shown["data"]["text/plain"]
    assert text.startswith(INSTALL_HINT)
    o = math.tanh(2.0 * -3.0 + 1.0 * 1.0 + LECTURE_NEURON["b"])
    assert f"o = tanh(n) data {o:.4f} grad 1.0000" in squeezed(text)


def test_graph_output_of_a_root_has_text_always():
    shown = neuron_graph_output(neuron_output(**LECTURE_NEURON))
    assert shown["output_type"] == "display_data"
    assert "x1*w1 = x1 * w1" in shown["data"]["text/plain"]


def test_without_graph_drawing(monkeypatch):
    quiet = NeuronExplorer(draw_graph=False, b=0.0)
    assert quiet.graph.outputs == ()
    quiet.sliders["w2"].value = 2.0
    assert quiet.state["data"]["o"] == pytest.approx(math.tanh(-6.0))
    assert quiet.graph.outputs == ()


def test_starting_values_and_their_range():
    explorer = NeuronExplorer(x1=1.0, b=25.0)  # b beyond the slider: it stops at 10
    assert explorer.values()["x1"] == 1.0 and explorer.values()["b"] == 10.0
    assert explorer.state["data"]["o"] == pytest.approx(math.tanh(1.0 * -3.0 + 10.0))
    with pytest.raises(TypeError, match="unknown inputs"):
        NeuronExplorer(w3=1.0)


def test_shows_itself_in_a_notebook(explorer, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    explorer._ipython_display_()
    assert shown == [explorer.widget]


def test_a_slider_rounding_the_lectures_bias_keeps_it_exact(explorer):
    """A browser snaps b = 6.8813735870195432 to the slider's step, 6.88: o stays 0.7071."""
    explorer.sliders["b"].value = 6.88
    assert explorer.values()["b"] == LECTURE_NEURON["b"]
    assert explorer.state["data"]["o"] == pytest.approx(1 / math.sqrt(2))
    explorer.sliders["b"].value = 6.87  # a real move
    assert explorer.values()["b"] == 6.87
    assert explorer.state["data"]["o"] == pytest.approx(math.tanh(-6 + 6.87))
    explorer.sliders["b"].value = 6.88  # back: now 6.88 is what the learner chose
    assert explorer.values()["b"] == 6.88


def test_the_graph_fits_the_width_of_the_notebook(explorer):
    """The neuron drawn left to right is ~2,500 px wide: shrunk to a column, 7 px text."""
    from autograd_helpers.graph import COLUMN_PX, READABLE_PX

    (shown,) = explorer.graph.outputs
    svg = shown["data"]["text/html"]
    assert svg.startswith('<div class="autograd-graph"><svg ')
    size = re.search(r'<svg width="([\d.]+)px" height="([\d.]+)px"', svg)
    assert size, svg[:300]
    width = float(size.group(1))
    view = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+)', svg).group(1))
    fonts = [float(x) for x in re.findall(r'<text[^>]*font-size="([\d.]+)"', svg)]
    assert width <= COLUMN_PX
    assert min(fonts) * width / view >= READABLE_PX  # the text on screen, in px
    assert 'style="max-width: 100%; height: auto"' in svg
