"""Tests of autograd_helpers.graph: trace, draw_dot, text_graph, parse_dot, the text fallback,
and drawings that fit the notebook's column (fit_svg)."""

import re
import shutil
import subprocess

import graphviz
import pytest
from conftest import skip_or_fail
from IPython.core.formatters import DisplayFormatter

from autograd_helpers.graph import (
    COLUMN_PX,
    INSTALL_HINT,
    READABLE_PX,
    Digraph,
    draw_dot,
    fit_svg,
    parse_dot,
    text_from_dot,
    text_graph,
    trace,
)
from solutions.engine import Value


class Bag:
    """Children in a container that is neither list nor tuple, iterated in a given order."""

    def __init__(self, items):
        self.items = list(items)

    def __iter__(self):
        return iter(self.items)


class Node:
    """A minimal Value-like object: data and _prev only (no label, op or grad)."""

    def __init__(self, data, children=()):
        self.data, self._prev = data, set(children)


def lecture(order=(0, 1)):
    """The lecture's L = (a*b + c) * f with set-like children in a chosen order."""

    class V:
        def __init__(self, data, children=(), op="", label=""):
            self.data, self.grad, self._op, self.label = data, 0.0, op, label
            kids = [children[i] for i in order] if len(children) == 2 else list(children)
            self._prev = Bag(kids)

    a, b, c, f = V(2.0, label="a"), V(-3.0, label="b"), V(10.0, label="c"), V(-2.0, label="f")
    e = V(-6.0, (a, b), "*", "e")
    d = V(4.0, (e, c), "+", "d")
    L = V(-8.0, (d, f), "*", "L")
    return dict(a=a, b=b, c=c, d=d, e=e, f=f, L=L)


def reference_lecture():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return dict(a=a, b=b, c=c, d=d, e=e, f=f, L=L)


def labels(pairs):
    return {(x.label, y.label) for x, y in pairs}


# --- trace -------------------------------------------------------------------------------


def test_trace_lecture_graph():
    v = reference_lecture()
    nodes, edges = trace(v["L"])
    assert isinstance(nodes, set) and isinstance(edges, set)
    assert {n.label for n in nodes} == set("abcdefL") and len(nodes) == 7
    assert labels(edges) == {
        ("a", "e"), ("b", "e"), ("e", "d"), ("c", "d"), ("d", "L"), ("f", "L"),
    }  # fmt: skip


def test_trace_leaf_and_value_used_twice():
    a = Value(3.0)
    assert trace(a) == ({a}, set())
    b = a + a
    assert trace(b) == ({a, b}, {(a, b)})
    c = a * b
    d = a + c  # a is reached through d directly and through c
    nodes, edges = trace(d)
    assert nodes == {a, b, c, d}
    assert edges == {(a, b), (a, c), (b, c), (a, d), (c, d)}


def test_trace_10000_deep_chain_without_recursion():
    x = Value(1.0)
    for _ in range(10_000):
        x = x + 1.0
    nodes, edges = trace(x)
    assert len(nodes) == 20_001  # each + also makes a leaf for the constant 1.0
    assert len(edges) == 20_000


def test_trace_works_with_any_value_like_object():
    a = Node(1.0)
    b = Node(2.0, [a])
    assert trace(b) == ({a, b}, {(a, b)})


def test_trace_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match="expected a Value"):
        trace(3.0)


# --- draw_dot --------------------------------------------------------------------------


def test_draw_dot_is_a_digraph_in_the_lectures_style():
    dot = draw_dot(reference_lecture()["L"])
    assert isinstance(dot, graphviz.Digraph)
    assert dot.format == "svg" and "rankdir=LR" in dot.source
    graph = parse_dot(dot.source)
    records = {n: a for n, a in graph.nodes.items() if a.get("shape") == "record"}
    ops = {n: a for n, a in graph.nodes.items() if n not in records}
    assert sorted(a["label"] for a in records.values()) == sorted(
        [
            "{ a | data 2.0000 | grad 0.0000 }",
            "{ b | data -3.0000 | grad 0.0000 }",
            "{ c | data 10.0000 | grad 0.0000 }",
            "{ d | data 4.0000 | grad 0.0000 }",
            "{ e | data -6.0000 | grad 0.0000 }",
            "{ f | data -2.0000 | grad 0.0000 }",
            "{ L | data -8.0000 | grad 0.0000 }",
        ]
    )
    assert sorted(a["label"] for a in ops.values()) == ["*", "*", "+"]
    by_label = {a["label"].split("|")[0].strip("{ "): n for n, a in records.items()}
    op_of = {head: tail for tail, head in graph.edges if tail in ops}
    expected = set()
    for parent, kids in {"e": "ab", "d": "ec", "L": "df"}.items():
        op = op_of[by_label[parent]]
        expected |= {(op, by_label[parent])} | {(by_label[k], op) for k in kids}
    assert set(graph.edges) == expected and len(graph.edges) == 9


def test_draw_dot_names_are_deterministic():
    # the same graph whose children come out of their containers in either order
    sources = {draw_dot(lecture(order)["L"]).source for order in [(0, 1), (1, 0)]}
    assert len(sources) == 1
    assert "id(" not in sources.pop()
    dot = draw_dot(reference_lecture()["L"])
    assert dot.source == draw_dot(reference_lecture()["L"]).source
    assert [n for n in parse_dot(dot.source).nodes] == [
        "n0", "n1", "n2", "n2_op", "n3", "n4", "n4_op", "n5", "n6", "n6_op",
    ]  # fmt: skip


def test_draw_dot_options_and_value_like_objects():
    a = Node(1.0)
    dot = draw_dot(Node(2.0, [a]), format="png", rankdir="TB")
    assert dot.format == "png" and "rankdir=TB" in dot.source
    graph = parse_dot(dot.source)
    assert graph.nodes["n0"]["label"] == "{  | data 1.0000 }"  # no label, no grad
    assert graph.edges == [("n0", "n1")]  # no _op: the edge goes straight to the Value


def test_draw_dot_10000_deep_chain():
    x = Value(1.0)
    for _ in range(10_000):
        x = x * 1.0
    source = draw_dot(x).source
    assert source.count("shape=record") == 20_001 and source.count(" -> ") == 30_000
    assert len(text_graph(x).splitlines()) == 20_001


def test_labels_with_record_syntax_are_escaped():
    v = Value(1.0, label='x|{y} <z> "q"\\')
    dot = draw_dot(v)
    assert parse_dot(dot.source).nodes["n0"]["label"].startswith(r'{ x\|\{y\} \<z\> "q"\\ |')
    if shutil.which("dot") is None:
        skip_or_fail("Graphviz's dot is not installed: cannot render")
    assert b"<svg" in dot.pipe(format="svg")


# --- text ------------------------------------------------------------------------------


def test_text_graph_of_the_lecture():
    v = reference_lecture()
    v["L"].backward()
    assert text_graph(v["L"]) == (
        "a           data  2.0000   grad  6.0000\n"
        "b           data -3.0000   grad -4.0000\n"
        "e = a * b   data -6.0000   grad -2.0000\n"
        "c           data 10.0000   grad -2.0000\n"
        "d = e + c   data  4.0000   grad -2.0000\n"
        "f           data -2.0000   grad  4.0000\n"
        "L = d * f   data -8.0000   grad  1.0000"
    )


def test_text_graph_names_unlabelled_and_shared_values_by_node_name():
    x = Value(3.0, label="x")
    y = Value(4.0, label="x")
    z = ((x * y).tanh() + x) ** 2
    lines = text_graph(z).splitlines()
    assert lines[0].startswith("n0   ") and "label 'x'" in lines[0]
    assert lines[2].startswith("n2 = n0 * n1 ")
    assert lines[3].startswith("n3 = tanh(n2) ")
    assert lines[4].startswith("n4 = n3 + n0 ")
    assert lines[5].startswith("n5 = n4**2 ")


# --- without Graphviz's dot ------------------------------------------------------------


@pytest.fixture
def no_dot(tmp_path, monkeypatch):
    """PATH holds only an empty folder: the `dot` program cannot be found."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("dot") is None


def test_without_dot_jupyter_shows_the_hint_and_the_graph_as_text(no_dot):
    dot = draw_dot(reference_lecture()["L"])
    bundle = dot._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    text = bundle["text/plain"]
    assert text.splitlines()[0] == INSTALL_HINT
    assert "apt-get install graphviz" in INSTALL_HINT and "brew install graphviz" in INSTALL_HINT
    assert "conda install python-graphviz" in INSTALL_HINT
    assert "e = a * b   data -6.0000" in text
    # what IPython does when the notebook displays the graph: no traceback, the text
    data, _ = DisplayFormatter().format(dot)
    assert data["text/plain"] == text
    # render and source still are graphviz's own
    assert dot.source.startswith("digraph {")
    with pytest.raises(graphviz.ExecutableNotFound):
        dot.render("/nonexistent/graph")


def lecture_draw_dot(root):
    """draw_dot as the lecture writes it (id() names), drawing on the course's Digraph."""
    dot = Digraph(format="svg", graph_attr={"rankdir": "LR"})
    nodes, edges = trace(root)
    for n in nodes:
        uid = str(id(n))
        label = f"{{ {n.label} | data {n.data:.4f} | grad {n.grad:.4f} }}"
        dot.node(name=uid, label=label, shape="record")
        if n._op:
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


def test_without_dot_a_learners_digraph_shows_as_text(no_dot):
    v = reference_lecture()
    text = lecture_draw_dot(v["L"])._repr_mimebundle_()["text/plain"]
    lines = text.splitlines()
    assert lines[:2] == [INSTALL_HINT, ""]
    rows = {line.split()[0]: " ".join(line.split()[1:]) for line in lines[2:]}
    assert rows["a"] == "data 2.0000 grad 0.0000" and rows["c"] == "data 10.0000 grad 0.0000"
    # _prev is a tuple here, but trace returns sets: operands come in either order
    assert rows["e"] in {f"= {x} data -6.0000 grad 0.0000" for x in ("a * b", "b * a")}
    assert rows["d"] in {f"= {x} data 4.0000 grad 0.0000" for x in ("e + c", "c + e")}
    assert rows["L"] in {f"= {x} data -8.0000 grad 0.0000" for x in ("d * f", "f * d")}
    assert len(rows) == 7
    order = [line.split()[0] for line in lines[2:]]
    assert order.index("e") > max(order.index("a"), order.index("b"))
    assert order.index("L") == 6


def test_text_from_dot_lists_what_does_not_fit_the_pattern():
    dot = Digraph()
    dot.node("v", label="{ a | data 2.0000 }", shape="record")
    dot.node("w", label="{ | data 3.0000 }", shape="record")
    dot.edge("v", "w")  # no operation node in between
    dot.node("alone")
    assert text_from_dot(dot.source).splitlines() == [
        "a       data 2.0000",
        "n1      data 3.0000",
        "alone",
        "a -> n1",
    ]
    assert dot.copy().as_text() == text_from_dot(dot.source)
    dot.body.append("\t( not DOT )\n")
    assert dot.as_text() == dot.source


def test_with_dot_jupyter_shows_the_svg():
    if shutil.which("dot") is None:
        skip_or_fail("Graphviz's dot is not installed: cannot draw")
    dot = draw_dot(reference_lecture()["L"])
    bundle = dot._repr_mimebundle_()
    assert list(bundle) == ["text/html", "image/svg+xml"]  # the HTML holds the SVG inline
    assert bundle["text/html"] == fit_svg(dot).html and bundle["image/svg+xml"] == fit_svg(dot).svg
    # asked for SVG: the fitted drawing as an SVG document; other formats are graphviz's
    svg = dot._repr_mimebundle_(include=["image/svg+xml"])["image/svg+xml"]
    assert svg.startswith("<?xml") and svg == fit_svg(dot).svg
    png = dot._repr_mimebundle_(include=["image/png"])["image/png"]
    assert png.startswith(b"\x89PNG")


# --- reading DOT -----------------------------------------------------------------------


def test_parse_dot_reads_what_learners_write():
    source = r"""
    // a comment
    strict digraph G {
        graph [rankdir=LR]; rankdir = LR
        node [shape=record]
        "140" [label="{ a | data 2.0000 }"]
        "140*" [label="*", shape=ellipse]
        "140" -> "140*" -> 141:p [color=red]
        141 [label=<<b>L</b>>]
        "q\"x" [label="multi" + "part"]
        /* block
           comment */
        subgraph cluster_0 { inner }
        inner -> { x y }
    }
    """
    graph = parse_dot(source)
    assert graph.nodes["140"] == {"shape": "record", "label": "{ a | data 2.0000 }"}
    assert graph.nodes["140*"] == {"shape": "ellipse", "label": "*"}
    assert graph.nodes["141"]["label"] == "<<b>L</b>>"
    assert graph.nodes['q"x']["label"] == "multipart"
    assert graph.edges == [("140", "140*"), ("140*", "141"), ("inner", "x"), ("inner", "y")]
    assert graph.directed


def test_parse_dot_refuses_what_is_not_dot():
    with pytest.raises(ValueError, match="DOT"):
        parse_dot("hello")
    assert text_from_dot("graph { }") == "(an empty graph)"


# --- drawings that fit the notebook's column --------------------------------------------


@pytest.fixture
def needs_dot():
    if shutil.which("dot") is None:
        skip_or_fail("Graphviz's dot is not installed: cannot draw")


def reference_neuron():
    """The lecture's neuron o = tanh(x1*w1 + x2*w2 + b), labelled, after backward()."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.88137, label="b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    x1w1.label, x2w2.label = "x1*w1", "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def svg_size(svg: str) -> tuple[float, float]:
    """The width and height (px) the SVG asks to be shown at."""
    m = re.search(r'<svg width="([\d.]+)px" height="([\d.]+)px"', svg)
    assert m, svg[:300]
    return float(m.group(1)), float(m.group(2))


def smallest_text_px(svg: str) -> float:
    """The smallest font size of the SVG's text on screen, at the size it asks for (px)."""
    width, _ = svg_size(svg)
    view = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+)', svg).group(1))
    sizes = [float(x) for x in re.findall(r'<text[^>]*font-size="([\d.]+)"', svg)]
    return min(sizes) * width / view


def test_unfitted_drawings_are_too_wide(needs_dot):
    """Why fit_svg exists: as Graphviz draws them, both are wider than a notebook column."""
    for root in (reference_lecture()["L"], reference_neuron()):
        svg = draw_dot(root).pipe(format="svg", encoding="utf-8")
        width_pt = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
        assert width_pt * 4 / 3 > 1.5 * COLUMN_PX


def test_the_lectures_graph_fits_as_the_lecture_draws_it(needs_dot):
    fitted = fit_svg(draw_dot(reference_lecture()["L"]))
    assert fitted.fits and fitted.layout == "as drawn"  # left to right, boxes side by side
    width, height = svg_size(fitted.svg)
    assert width <= COLUMN_PX
    assert (width, height) == (round(fitted.width_px), round(fitted.height_px))
    assert smallest_text_px(fitted.svg) == pytest.approx(fitted.text_px, rel=0.01)
    assert fitted.text_px >= READABLE_PX
    assert 'style="max-width: 100%; height: auto"' in fitted.svg  # a narrower column shrinks it
    assert (
        fitted.html == f'<div class="autograd-graph">{fitted.svg[fitted.svg.find("<svg") :]}</div>'
    )


def test_the_neurons_graph_stacks_its_records_to_fit(needs_dot):
    o = reference_neuron()
    fitted = fit_svg(draw_dot(o))
    assert fitted.fits and fitted.layout == "stacked records"  # still left to right
    assert svg_size(fitted.svg)[0] <= COLUMN_PX
    assert smallest_text_px(fitted.svg) >= READABLE_PX
    for text in ("x1*w1 + x2*w2", "data 0.7071", "grad 1.0000", "tanh"):
        assert f">{text}<" in fitted.svg, text
    # only the picture changes: the source is the lecture's
    assert "nodesep" not in draw_dot(o).source and "{ o | data 0.7071" in draw_dot(o).source


def test_a_narrow_column_turns_the_graph_top_to_bottom(needs_dot):
    fitted = fit_svg(draw_dot(reference_neuron()), column_px=500)
    assert fitted.fits and fitted.layout == "turned"
    assert fitted.width_px <= 500 and fitted.text_px >= READABLE_PX
    assert fitted.height_px > fitted.width_px


def test_a_graph_too_big_to_fit_stays_readable_and_says_so(needs_dot):
    from solutions.nn import MLP

    out = MLP(3, [4, 4, 1])([2.0, 3.0, -1.0])
    fitted = fit_svg(draw_dot(out))
    assert not fitted.fits
    assert fitted.text_px == pytest.approx(READABLE_PX)
    assert smallest_text_px(fitted.svg) == pytest.approx(READABLE_PX, rel=0.01)
    assert fitted.width_px > COLUMN_PX and "max-width" not in fitted.svg  # scrolls sideways
    assert "scroll sideways" in fitted.svg and "text_graph(root)" in fitted.svg
    assert fitted.html.startswith('<div class="autograd-graph" style="overflow-x: auto;')


def test_jupyter_shows_a_learners_digraph_fitted(needs_dot):
    """02's draw_dot is the learner's (id() names, braces in the label): it fits too."""
    dot = lecture_draw_dot(reference_lecture()["L"])
    html = dot._repr_mimebundle_()["text/html"]
    assert svg_size(html)[0] <= COLUMN_PX and smallest_text_px(html) >= READABLE_PX
    data, _ = DisplayFormatter().format(dot)
    assert data["text/html"] == html
    assert "nodesep" not in dot.source  # the learner's Digraph is left as it is


def test_fitting_keeps_what_the_source_sets(needs_dot):
    dot = Digraph(graph_attr={"rankdir": "TB", "ranksep": "1.5"}, node_attr={"margin": "0.3"})
    dot.node("a", label="{ a | data 1.0000 }", shape="record")
    dot.node("b", label="{ b | data 2.0000 }", shape="record")
    dot.edge("a", "b")
    fitted = fit_svg(dot)
    assert fitted.fits and fitted.layout == "as drawn"
    assert fitted.width_px <= COLUMN_PX and fitted.text_px == pytest.approx(14 * 4 / 3)  # 1:1
    loose = dot.pipe(format="svg", encoding="utf-8")
    # ranksep 1.5 and margin 0.3 were kept: the fitted drawing is as tall as the loose one
    height_pt = float(re.search(r'height="([\d.]+)pt"', loose).group(1))
    assert fitted.height_px == pytest.approx(height_pt * 4 / 3, rel=0.05)


def test_fitting_a_graph_that_is_not_our_dot(needs_dot):
    source = graphviz.Source("strict digraph G { a -> b }")
    fitted = fit_svg(source)
    assert fitted.fits and fitted.text_px >= READABLE_PX
    assert fit_svg(graphviz.Digraph()).fits  # an empty graph


def test_a_huge_graph_is_drawn_once_at_readable_size(needs_dot, monkeypatch):
    runs = []
    pipe = graphviz.Source.pipe
    monkeypatch.setattr(
        graphviz.Source, "pipe", lambda self, **kw: runs.append(1) or pipe(self, **kw)
    )
    x = Value(1.0)
    for _ in range(800):  # 2,400 lines of DOT
        x = x * 1.0
    fitted = fit_svg(draw_dot(x))
    assert len(runs) == 1 and not fitted.fits
    assert fitted.text_px == pytest.approx(READABLE_PX)
    assert smallest_text_px(fitted.svg) == pytest.approx(READABLE_PX, rel=0.01)


@pytest.mark.parametrize(
    "failure",
    [
        OSError(138, "emscripten does not support processes"),  # Pyodide, JupyterLite
        PermissionError(13, "Permission denied"),
        subprocess.CalledProcessError(1, ["dot"], stderr=b"Error: syntax error"),
    ],
    ids=["no-processes", "not-runnable", "dot-failed"],
)
def test_every_way_dot_cannot_run_shows_the_graph_as_text(monkeypatch, failure):
    """Not only a missing `dot`: one that cannot run, or fails, gives the text, not a
    traceback (the notebook's display and the explorer's)."""
    from autograd_helpers import widgets

    def broken(*args, **kwargs):
        raise failure

    monkeypatch.setattr(graphviz.Source, "pipe", broken)
    monkeypatch.setattr(graphviz.Digraph, "pipe", broken)
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    data, _ = DisplayFormatter().format(draw_dot(e))
    assert "could not run here" in data["text/plain"], data
    assert "e = a * b" in data["text/plain"]
    shown = widgets.neuron_graph_output(e)["data"]
    assert "text/html" not in shown and "could not run here" in shown["text/plain"]


# --- Graphviz in WebAssembly, in Pyodide (faked here; run for real by test_lite_node) --------

# A drawing as Graphviz lays it out: 150 x 40 points, text 14 points high.
WASM_SVG = (
    '<svg width="150pt" height="40pt" viewBox="0.00 0.00 150.00 40.00">'
    '<text font-size="14.00">drawn in WebAssembly</text></svg>'
)


class FakeJsException(Exception):
    """Stands for pyodide.ffi.JsException: a JavaScript error seen from Python."""


class FakeViz:
    """Stands for a Viz instance of @viz-js/viz: records what it is asked to draw."""

    def __init__(self, fail=None):
        self.calls, self.fail = [], fail

    def renderString(self, source, options):  # noqa: N802 (Viz's own name)
        self.calls.append((source, dict(options)))
        if self.fail:
            raise FakeJsException(self.fail)
        return WASM_SVG


@pytest.fixture
def pyodide(monkeypatch):
    """Python as in Pyodide: sys.platform "emscripten", no process can run, and fake
    ``pyodide.code``, ``pyodide.ffi`` and ``js`` modules; returns what the fakes record."""
    import sys
    from types import ModuleType, SimpleNamespace

    from autograd_helpers import graph

    control = SimpleNamespace(
        state=SimpleNamespace(instance=None, error=None, promise="Viz.instance()'s promise"),
        started_with=[],
        can_run_sync=False,
        waited=[],
        synced=None,
    )

    def run_js(code):
        assert "Viz.instance()" in code and "new WebAssembly.Module" in code
        return lambda source: control.started_with.append(source) or control.state

    def run_sync(promise):
        control.waited.append(promise)
        return control.synced

    code, ffi, js = ModuleType("pyodide.code"), ModuleType("pyodide.ffi"), ModuleType("js")
    code.run_js = run_js
    ffi.can_run_sync, ffi.run_sync = (lambda: control.can_run_sync), run_sync
    ffi.JsException, ffi.to_js = FakeJsException, lambda value, dict_converter: dict(value)
    js.Object = SimpleNamespace(fromEntries=dict)
    package = ModuleType("pyodide")
    package.code, package.ffi = code, ffi
    for name, module in [("pyodide", package), ("pyodide.code", code), ("pyodide.ffi", ffi)]:
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setitem(sys.modules, "js", js)
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(graph, "_viz_source", lambda: "/* @viz-js/viz */")
    for name, value in {"started": False, "state": None, "error": ""}.items():
        monkeypatch.setattr(graph._Wasm, name, value)

    def no_processes(*args, **kwargs):
        raise OSError(138, "emscripten does not support processes")

    monkeypatch.setattr(graphviz.Source, "pipe", no_processes)
    monkeypatch.setattr(graphviz.Digraph, "pipe", no_processes)
    return control


def lecture_e():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    return e


def test_in_pyodide_graphviz_in_webassembly_draws_the_graph(pyodide):
    viz = pyodide.state.instance = FakeViz()
    dot = draw_dot(lecture_e())
    data, _ = DisplayFormatter().format(dot)
    assert "drawn in WebAssembly" in data["image/svg+xml"]
    assert "drawn in WebAssembly" in data["text/html"] and "<svg" in data["text/html"]
    source, options = viz.calls[0]
    assert options == {"format": "svg", "engine": "dot"}
    assert "{ a | data 2.0000 | grad 0.0000 }" in source and "->" in source
    assert len(pyodide.started_with) == 1 and pyodide.started_with[0] == "/* @viz-js/viz */"
    DisplayFormatter().format(draw_dot(lecture_e()))  # a second graph: started once
    assert len(pyodide.started_with) == 1 and len(viz.calls) >= 2


def test_in_pyodide_before_graphviz_has_started_the_graph_is_text_saying_so(pyodide):
    data, _ = DisplayFormatter().format(draw_dot(lecture_e()))
    first, _, rest = data["text/plain"].partition("\n\n")
    assert first.startswith("Graphviz in WebAssembly is still starting")
    assert first.endswith("run this cell again to draw it.")
    assert "e = a * b" in rest and "image/svg+xml" not in data


def test_in_pyodide_with_jspi_the_cell_waits_for_graphviz(pyodide):
    pyodide.can_run_sync, pyodide.synced = True, FakeViz()
    data, _ = DisplayFormatter().format(draw_dot(lecture_e()))
    assert "drawn in WebAssembly" in data["image/svg+xml"]
    assert pyodide.waited and set(pyodide.waited) == {"Viz.instance()'s promise"}


@pytest.mark.parametrize(
    "case, expected",
    [
        ("start failed", "could not start (ReferenceError: require is not defined)"),
        ("draw failed", "could not draw it (Error: syntax error in line 3 near '}')"),
        ("not shipped", "is not part of this install of the course"),
    ],
)
def test_in_pyodide_when_graphviz_cannot_draw_the_graph_is_text_with_the_reason(
    pyodide, monkeypatch, case, expected
):
    from autograd_helpers import graph

    if case == "start failed":
        pyodide.state.error = "ReferenceError: require is not defined"
    elif case == "draw failed":
        pyodide.state.instance = FakeViz(fail="Error: syntax error in line 3 near '}'")
    else:
        monkeypatch.setattr(graph, "_viz_source", lambda: None)
    data, _ = DisplayFormatter().format(draw_dot(lecture_e()))
    first = data["text/plain"].splitlines()[0]
    assert first.startswith("Graphviz in WebAssembly") and expected in first, first
    assert first.endswith("shown as text.") and "e = a * b" in data["text/plain"]
    assert "apt-get" not in data["text/plain"]  # no install hint for a browser


def test_outside_pyodide_nothing_starts_and_dot_draws(monkeypatch):
    from autograd_helpers import graph

    assert not graph._Wasm.started and graph._Wasm.state is None  # importing started nothing
    graph.start_wasm_graphviz()
    assert not graph._Wasm.started
    calls = []
    monkeypatch.setattr(graphviz.Source, "pipe", lambda self, **kw: calls.append(kw) or "<svg/>")
    assert graph.render_svg("digraph { a -> b }") == "<svg/>"
    assert calls == [{"format": "svg", "encoding": "utf-8"}]
