"""Probes of 03_backward: gradients by hand, _backward closures, topological order, backward().

What the learner's Values hold (data, grad, children by name), what their functions return
and which ``_backward`` ran when; for ``03.backward_by_hand`` also the sources of the cells
run since ``L`` was built (read from IPython, as its tracebacks do).
"""

import ast
import linecache
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from autograd_helpers.probes import attr, plain, probe, shown
from autograd_helpers.probes._lecture import L_LEAVES, L_NAMES, labelled
from autograd_helpers.probes._values import children, walk

MAX_CALLS = 5000  # _backward calls recorded per graph (a wrong backward() may call many)
MAX_CELLS = 50  # cells reported since L was built
MAX_LINES = 400  # lines reported per cell
MAX_EVENTS = 20  # reads and writes of x.grad reported for y = x op x


# --- graphs as names ------------------------------------------------------------------


def _names(known: dict) -> dict:
    """``{id(node): name}`` for the nodes a probe built itself."""
    return {id(v): name for name, v in known.items()}


def _name(v, names: dict) -> str:
    """``v``'s name; a node the probe did not build is named (once) by its repr."""
    if id(v) not in names:
        text, taken = shown(v), set(names.values())
        name, k = text, 2
        while name in taken:
            name, k = f"{text} #{k}", k + 1
        names[id(v)] = name
    return names[id(v)]


def _kids(v, names: dict) -> list:
    """``v``'s children: the name of each one the probe built, else ``{"other": repr}``."""
    return [names[id(x)] if id(x) in names else {"other": shown(x)} for x in children(v)]


def _graph(root, names: dict) -> dict:
    """Every node reachable from ``root`` (root first) and each one's children, by name."""
    nodes = walk(root)
    for v in nodes:
        _name(v, names)
    return {
        "nodes": [names[id(v)] for v in nodes],
        "children": {names[id(v)]: [names[id(x)] for x in children(v)] for v in nodes},
    }


def _record_calls(nodes, names: dict) -> list:
    """Wrap every node's _backward so that calling it is recorded (by name); the record."""
    calls: list = []
    for v in nodes:
        original, name = getattr(v, "_backward", None), _name(v, names)
        if callable(original):

            def recorded(name=name, original=original):
                if len(calls) < MAX_CALLS:
                    calls.append(name)
                return original()

            try:
                v._backward = recorded
            except Exception:  # a class that refuses new attributes: not recorded
                pass
    return calls


def _run_backward(out: dict, key: str, root) -> bool:
    """Call ``root.backward()``; report whether it could be called and root's grad after."""
    fn = attr(root, "backward")
    if isinstance(fn, dict) and fn.get("~") == "missing":
        out[f"{key}.backward"] = fn
        return False
    if not callable(fn):
        out[f"{key}.backward"] = {"not_callable": shown(fn)}
        return False
    out[f"{key}.backward"] = True
    fn()
    out[f"{key}.grad"] = attr(root, "grad")
    return True


def _run_closure(out: dict, key: str, node) -> bool:
    """Call ``node._backward()``; report whether it could be called."""
    fn = attr(node, "_backward")
    if isinstance(fn, dict) and fn.get("~") == "missing":
        out[key] = fn
        return False
    if not callable(fn):
        out[key] = {"not_callable": shown(fn)}
        return False
    out[key] = True
    fn()
    return True


def _l_example(Value, leaves: dict) -> dict:
    """The lecture's L = (a*b + c) * f with the leaves ``leaves``, labelled, L_NAMES order."""
    nodes = {name: labelled(Value, leaves[name], name) for name in ("a", "b", "c", "f")}
    nodes["e"] = nodes["a"] * nodes["b"]
    nodes["d"] = nodes["e"] + nodes["c"]
    nodes["L"] = nodes["d"] * nodes["f"]
    return {name: nodes[name] for name in L_NAMES}


def _diamond(Value, p: float, q: float) -> tuple:
    """p*q feeds both y and z, which meet again in w; returns (w, {name: node})."""
    nodes = {"p": labelled(Value, p, "p"), "q": labelled(Value, q, "q")}
    nodes["three"], nodes["four"] = labelled(Value, 3.0, "three"), labelled(Value, 4.0, "four")
    nodes["x"] = nodes["p"] * nodes["q"]
    nodes["y"] = nodes["x"] + nodes["three"]
    nodes["z"] = nodes["x"] * nodes["four"]
    nodes["w"] = nodes["y"] * nodes["z"]
    return nodes["w"], nodes


def _expression(Value, spec: dict) -> tuple:
    """The graph ``spec`` describes: leaves x0, x1, ... = spec["x"], then for each
    ``[i, j, op]`` of spec["ops"] a new node ``pool[i] op pool[j]`` (named v3, v4, ...).
    Returns (root, leaves, {name: node})."""
    pool = [Value(x) for x in spec["x"]]
    leaves = list(pool)
    for i, j, op in spec["ops"]:
        pool.append(pool[i] + pool[j] if op == "+" else pool[i] * pool[j])
    named = {(f"x{k}" if k < len(leaves) else f"v{k}"): v for k, v in enumerate(pool)}
    return pool[-1], leaves, named


def _example(out: dict, nodes: dict) -> None:
    """The L example as the notebook holds it: each node's data, children and grad."""
    names = _names(nodes)
    for name, v in nodes.items():
        out[name] = {"data": attr(v, "data"), "prev": _kids(v, names), "grad": attr(v, "grad")}


# --- 1. by hand -----------------------------------------------------------------------


@probe("03.manual_grads")
def manual_grads(out, a, b, c, e, d, f, L):
    _example(out, {"a": a, "b": b, "c": c, "e": e, "d": d, "f": f, "L": L})


def _noting(name: str) -> Callable[..., Any]:
    """float's method ``name``, noting on the instance's class that the step was used."""

    def method(self: float, *args: Any) -> Any:
        type(self).used = True  # type: ignore[attr-defined]  # _Step and its subclasses
        return getattr(float, name)(float.__float__(self), *args)

    return method


class _Step(float):
    """A step h that notes when it is used: in arithmetic, compared, or turned into a float."""

    used = False

    for _name in (
        "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ "
        "__pow__ __rpow__ __neg__ __float__ __lt__ __le__ __gt__ __ge__ __eq__ __hash__ __bool__"
    ).split():
        locals()[_name] = _noting(_name)
    del _name


@probe("03.numerical_grad")
def numerical_grad(out, numerical_grad, LEAVES, *, leaves=None, h=1e-4):
    """numerical_grad's slopes at the notebook's LEAVES (``leaves`` None) or at ``leaves``,
    put into LEAVES for the probe and taken out again."""
    original = dict(LEAVES)
    if leaves is not None:
        for name in list(LEAVES):
            if name in leaves:
                LEAVES[name] = leaves[name]
    try:
        out["before"] = dict(LEAVES)
        step = type("_Step", (_Step,), {"used": False})(h)  # a fresh class: a fresh flag
        got = numerical_grad("a", h=step)
        out["step_used"] = type(step).used
        out["step_result"] = plain(got)
        for given in (None, h):
            for name in ("a", "b", "c", "f"):
                got = numerical_grad(name) if given is None else numerical_grad(name, h=given)
                out[f"{name} h={given}"] = {"leaves": plain(dict(LEAVES)), "result": plain(got)}
    finally:
        if leaves is not None:  # the grader's leaves out, the notebook's back
            LEAVES.clear()
            LEAVES.update(original)


# --- 2. the nudge ---------------------------------------------------------------------


@probe("03.nudge")
def nudge(out, a, b, c, f, L):
    out["L"] = attr(L, "data")
    leaves = {"a": a, "b": b, "c": c, "f": f}
    out["grads"] = {name: attr(v, "grad") for name, v in leaves.items()}
    out["data"] = {name: attr(v, "data") for name, v in leaves.items()}


# --- 3. _backward closures ------------------------------------------------------------


@contextmanager
def _watched_grad(v):
    """Record every read and write of ``v.grad`` inside the block: ``[["read", 0.0],
    ["write", 1.0], ...]``; None when ``v`` cannot be watched (no plain ``grad`` attribute).

    ``v`` gets, for the block only, a subclass of its class whose ``grad`` is a property.
    """
    events: list = []
    cls = type(v)
    try:
        stored = vars(v)
        if "grad" not in stored or isinstance(getattr(cls, "grad", None), property):
            raise TypeError("grad is not a plain attribute")

        def read(obj):
            value = vars(obj)["grad"]
            if len(events) < MAX_EVENTS:
                events.append(["read", plain(value)])
            return value

        def write(obj, value):
            if len(events) < MAX_EVENTS:
                events.append(["write", plain(value)])
            vars(obj)["grad"] = value

        v.__class__ = type(cls.__name__, (cls,), {"grad": property(read, write)})
    except Exception:  # slots, a metaclass, a grad property of the learner's: not watched
        yield None
        return
    try:
        yield events
    finally:
        v.__class__ = cls


def _names_in(code) -> set:
    """The attribute and global names ``code`` (and the code nested in it) uses."""
    names, todo = set(), [code]
    while todo:
        c = todo.pop()
        names.update(c.co_names)
        todo += [k for k in c.co_consts if hasattr(k, "co_names")]
    return names


def _one_use(out: dict, key: str, y, x, run, *args) -> bool:
    """``run(out, *args)``, with evidence on how y = x op x treated x.grad meanwhile.

    ``{key}.events``: the reads and writes of x.grad; ``{key}.prev``: how many children y
    holds (a set holds x once); ``{key}.uses_prev``: whether y._backward reads ``_prev``.
    """
    code = getattr(getattr(y, "_backward", None), "__code__", None)
    out[f"{key}.prev"] = len(children(y))
    out[f"{key}.uses_prev"] = code is not None and "_prev" in _names_in(code)
    with _watched_grad(x) as events:
        ran = run(out, *args)
    out[f"{key}.events"] = events
    return ran


def _is_do_nothing(node, Value) -> bool:
    """True when ``node._backward`` is still the leaf's do-nothing lambda from __init__."""
    code = getattr(getattr(node, "_backward", None), "__code__", None)
    leaf_code = getattr(getattr(Value(0.0), "_backward", None), "__code__", None)
    return code is not None and code is leaf_code


def _closure(out, Value, symbol: str, a, b, upstream, start, x) -> None:
    def apply(u, v):
        return u + v if symbol == "+" else u * v

    # out = a op b, out.grad = upstream, out._backward()
    va, vb = Value(a), Value(b)
    o = apply(va, vb)
    out["fresh"] = [attr(va, "grad"), attr(vb, "grad")]
    o.grad = upstream
    out["do_nothing"] = _is_do_nothing(o, Value)
    if not _run_closure(out, "run", o):
        return
    out["after"] = {"a": attr(va, "grad"), "b": attr(vb, "grad"), "out": attr(o, "grad")}
    # the same with grads already there (a Value used elsewhere too)
    va, vb = Value(a), Value(b)
    o = apply(va, vb)
    va.grad, vb.grad, o.grad = start[0], start[1], upstream
    if not _run_closure(out, "run_again", o):
        return
    out["accumulated"] = [attr(va, "grad"), attr(vb, "grad")]
    # y = x op x, y.grad = 1.0, y._backward()
    vx = Value(x)
    y = apply(vx, vx)
    y.grad = 1.0
    if not _one_use(out, "twice", y, vx, _run_closure, "run_twice", y):
        return
    out["twice"] = attr(vx, "grad")


@probe("03.add_backward")
def add_backward(out, Value, *, a, b, upstream, start, x):
    _closure(out, Value, "+", a, b, upstream, start, x)


@probe("03.mul_backward")
def mul_backward(out, Value, *, a, b, upstream, start, x):
    _closure(out, Value, "*", a, b, upstream, start, x)


@probe("03.backward_by_hand")
def backward_by_hand(out, a, b, c, e, d, f, L):
    _example(out, {"a": a, "b": b, "c": c, "e": e, "d": d, "f": f, "L": L})
    cells = _cells_since_built("L", "backward_by_hand")
    out["cells"] = None if cells is None else [_lines(s) for s in cells[:MAX_CELLS]]


def _lines(source: str) -> list[str]:
    return source.splitlines()[:MAX_LINES]


def _cell_sources(check_name: str) -> list[str] | None:
    """The sources of the cells run in this kernel, oldest first; None outside IPython.

    Jupyter keeps them in ``In``. A runner that does not record history (nbval runs cells
    with store_history=False) leaves ``In`` behind; IPython still caches every cell's
    source for its tracebacks, in the order the cells were first run.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None:
        return None
    history = getattr(shell, "user_ns", {}).get("In")
    if isinstance(history, list) and history and check_name in str(history[-1]):
        return [source for source in history if isinstance(source, str)]
    # IPython's private cache of cell file names (tests/test_pinned_apis.py pins it)
    cached = getattr(getattr(shell, "compile", None), "_filename_map", None)
    if not isinstance(cached, dict):
        return None
    entries = [linecache.cache.get(name) for name in cached]
    return ["".join(e[2]) for e in entries if e is not None and len(e) == 4]  # not lazy ones


def _cells_since_built(name: str, check_name: str) -> list[str] | None:
    """The sources of the cells run since (and including) the last one that assigned ``name``,
    newest first.

    Check cells (and the grader's requests) are left out. None when that is not known (no
    IPython, no such cell).
    """
    history = _cell_sources(check_name)
    if history is None:
        return None
    since: list[str] = []
    for source in reversed(history):
        if "checks." in source or 'check("' in source or "autograd_helpers.probes" in source:
            continue
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        since.append(source)
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                names = target.elts if isinstance(target, ast.Tuple) else [target]
                if any(isinstance(t, ast.Name) and t.id == name for t in names):
                    return since
    return None


# --- 4. topological order -------------------------------------------------------------


def _order(build_topo, root, names: dict) -> dict:
    """What build_topo(root) returned, each item by name (or ``{"other": ...}``), and
    root's graph."""
    graph = _graph(root, names)
    members = {id(v) for v in walk(root)}
    result = build_topo(root)
    if result is None:
        return {"graph": graph, "none": True}
    try:
        items = list(result)
    except TypeError:
        return {"graph": graph, "not_list": shown(result)}
    return {
        "graph": graph,
        "order": [
            {"node": names[id(v)]} if id(v) in members else {"other": plain(v)} for v in items
        ],
        "shown": shown(items),
    }


@probe("03.topo")
def topo(out, build_topo, Value, *, graph=None):
    nodes = _l_example(Value, L_LEAVES)
    names = _names(nodes)
    out["L"] = _order(build_topo, nodes["L"], names)
    out["L_again"] = _order(build_topo, nodes["L"], names)
    w, nodes = _diamond(Value, 2.0, -1.0)
    out["w"] = _order(build_topo, w, _names(nodes))
    leaf = Value(1.0)
    out["leaf"] = _order(build_topo, leaf, {id(leaf): "leaf"})
    if graph is not None:
        root, _, nodes = _expression(Value, graph)
        out["graph"] = _order(build_topo, root, _names(nodes))


# --- 5. backward() --------------------------------------------------------------------


def _backward_of(out: dict, key: str, root, nodes: dict, reported) -> bool:
    """root.backward() with every _backward recorded: the grads of ``reported``, the graph
    and the record of _backward calls."""
    names = _names(nodes)
    calls = _record_calls(walk(root), names)
    if not _run_backward(out, key, root):
        return False
    out[f"{key}.grads"] = {name: attr(nodes[name], "grad") for name in reported}
    out[f"{key}.graph"] = _graph(root, names)
    out[f"{key}.calls"] = calls
    return True


@probe("03.backward")
def backward(out, Value, *, leaves, diamond, graphs):
    nodes = _l_example(Value, leaves)
    if not _backward_of(out, "L", nodes["L"], nodes, L_NAMES):
        return
    w, nodes = _diamond(Value, diamond["p"], diamond["q"])
    if not _backward_of(out, "w", w, nodes, ("p", "q", "three", "four")):
        return
    for k, spec in enumerate(graphs):
        root, mine, _ = _expression(Value, spec)
        root.backward()
        out[f"graph{k}"] = [attr(v, "grad") for v in mine]
    # y = x * x, y.backward() twice
    x = Value(3.0)
    y = x * x
    y.backward()
    y.backward()
    out["seeded"] = {"y": attr(y, "grad"), "x": attr(x, "grad")}


# --- 6. a Value used twice ------------------------------------------------------------


@probe("03.used_twice")
def used_twice(out, Value, a, b, f, *, p, q, x, diamond):
    out["example"] = {"a": attr(a, "data"), "b": attr(b, "data")}
    graph = walk(f)  # f.backward() leaves f.grad = 1.0; grads typed in leave it alone
    out["f"] = {
        "data": attr(f, "data"),
        "grad": attr(f, "grad"),
        "from_a_and_b": any(v is a for v in graph) and any(v is b for v in graph),
    }
    for symbol in "+*":  # y = p op q: no Value used twice
        vp, vq = Value(p), Value(q)
        y = vp + vq if symbol == "+" else vp * vq
        if not _run_backward(out, f"p{symbol}q", y):
            return
        out[f"p{symbol}q.grads"] = [attr(vp, "grad"), attr(vq, "grad")]
    for symbol in "+*":  # y = x op x
        vx = Value(x)
        y = vx + vx if symbol == "+" else vx * vx
        if not _one_use(out, f"x{symbol}x", y, vx, _run_backward, f"x{symbol}x", y):
            return
        out[f"x{symbol}x.x_grad"] = attr(vx, "grad")
    w, nodes = _diamond(Value, diamond["p"], diamond["q"])
    if not _backward_of(out, "w", w, nodes, ("p", "q", "three", "four")):
        return
    out["example_grads"] = {"a": attr(a, "grad"), "b": attr(b, "grad")}
    # the exercise asks for labels: what each Value of f's graph is called
    out["labels"] = sorted(str(attr(v, "label")) for v in graph if v is not a and v is not b)
    out["labels_ab"] = [str(attr(a, "label")), str(attr(b, "label"))]
