"""Checks of 01_value: the Value class, its repr, + and *, and the lecture's L expression."""

from autograd_helpers.checks._core import attribute, check, close, expect, fail, number
from autograd_helpers.probes import value as _probes  # noqa: F401  (registers the probes)


def children(prev: dict) -> list:
    """The children a probe reported (``prev_of``), or a failure."""
    if prev.get("missing"):
        fail("a Value has no attribute `_prev`: set `self._prev = ...` in __init__")
    if not prev["iterable"]:
        fail(f"_prev is {prev['repr']}, expected a set or tuple of Values")
    return prev["items"]


def same_children(kids: list, expected: list[str]) -> bool:
    """True when the reported children (names, as probes report them) are exactly the
    objects named ``expected``, in any order; used by the checks of 01 and 03."""
    if not all(isinstance(k, str) for k in kids):  # a child the probe could not name
        return False
    return sorted(kids) == sorted(expected) or (
        # a set collapses a+a to one child: accept that too
        set(kids) == set(expected) and len(kids) == len(set(expected))
    )


def _pairs(rng):
    """Operands the grader draws: apart from 0 and 1, with a + b far from a * b."""
    cases: list[dict] = []
    while len(cases) < 3:
        a, b = (round(rng.uniform(-9, 9), 2) for _ in range(2))
        if min(abs(a), abs(b)) > 0.5 and abs((a + b) - a * b) > 0.5 and abs(a - b) > 0.5:
            cases.append({"a": a, "b": b})
    return cases


def _numbers(rng):
    """Values the grader draws for a leaf: not 0, not a whole number."""
    return [{"x": round(rng.uniform(-9, 9), 3) + 0.125 * rng.choice((1, -1))} for _ in range(2)]


def _labels(rng):
    cases = []
    for case in _numbers(rng):
        label = "".join(rng.choice("abcdefghpqrstuvwxyz") for _ in range(rng.randint(1, 4)))
        cases.append({**case, "label": label, "op": rng.choice(("+", "*"))})
    return cases


def _leaves(rng):
    return [
        {"leaves": {name: round(rng.uniform(-5, 5), 2) for name in ("a", "b", "c", "f")}}
        for _ in range(2)
    ]


def _binary(d, symbol: str, name: str, a_val: float, b_val: float) -> str:
    expected = a_val + b_val if symbol == "+" else a_val * b_val
    result = d["result"]
    expect(
        d["is_value"],
        f"a {symbol} b returned {result['type']} {result['repr']}, expected a new Value: "
        f"return Value(self.data {symbol} other.data, (self, other), '{symbol}')",
    )
    expect(
        not d["operand"],
        f"a {symbol} b returned one of its operands: {name} must create a new Value, "
        "not change self",
    )
    a_data = d["a_data"]
    expect(
        close(a_data, a_val) and close(d["b_data"], b_val),
        f"a {symbol} b changed its operands (a.data became {number(a_data)}): "
        f"{name} must not modify self or other",
    )
    data = attribute(d["data"], "data")
    if close(data, a_val + b_val) and symbol == "*":
        fail(
            f"(Value({a_val}) * Value({b_val})).data is {number(data)}: that is the sum; "
            "__mul__ should multiply"
        )
    if close(data, a_val * b_val) and symbol == "+":
        fail(
            f"(Value({a_val}) + Value({b_val})).data is {number(data)}: that is the "
            "product; __add__ should add"
        )
    expect(
        close(data, expected),
        f"(Value({a_val}) {symbol} Value({b_val})).data is {number(data)}, "
        f"expected {number(expected)}",
    )
    prev = d["prev"]
    expect(
        children(prev),
        f"(a {symbol} b)._prev is empty: pass the operands as children, "
        f"Value(..., (self, other), '{symbol}')",
    )
    expect(
        same_children(children(prev), ["a", "b"]),
        f"(a {symbol} b)._prev holds {prev['shown']}, expected the two operands "
        "a and b themselves (not copies, not their data)",
    )
    op = attribute(d["op"], "_op")
    expect(
        op == symbol,
        f"(a {symbol} b)._op is {op!r}, expected {symbol!r}: pass it as the third "
        "argument of Value",
    )
    return (
        f"Value({a_val}) {symbol} Value({b_val}) = Value(data={number(expected)}), "
        f"children (a, b), _op {symbol!r}; operands unchanged"
    )


@check("01.init", visible={"x": 2.0, "label": "x", "op": "+"}, hidden=_labels)
def init(d, x, label, op) -> str:
    data = attribute(d["data"], "data")
    leaf = f"Value({x})"
    expect(close(data, x), f"{leaf}.data is {number(data)}, expected {number(x)}")
    prev = d["prev"]
    expect(
        len(children(prev)) == 0,
        f"{leaf}._prev is {prev['repr']}, expected empty: a leaf has no children "
        "(the default _children=() )",
    )
    op_ = attribute(d["op"], "_op")
    expect(op_ == "", f"{leaf}._op is {op_!r}, expected ''")
    label_ = attribute(d["label"], "label")
    expect(label_ == "", f"{leaf}.label is {label_!r}, expected ''")
    labelled = d["labelled"]
    made = f"Value({number(x + 1)}, label={label!r})"
    expect(labelled == label, f"{made}.label is {labelled!r}, expected {label!r}")
    given = d["given_prev"]
    built = f"Value({number(x + 1)}, (a, b), {op!r})"
    expect(
        same_children(children(given), ["a", "b"]),
        f"{built}._prev is {given['repr']}: store the children given as "
        "_children (e.g. self._prev = set(_children))",
    )
    given_op = d["given_op"]
    expect(given_op == op, f"{built}._op is {given_op!r}, expected {op!r}")
    return (
        f"{leaf} has data {number(x)}, no children, _op '' and label ''; _children, _op "
        "and label are stored (+ and * are checked next)"
    )


@check("01.repr", visible={"x": 2.0}, hidden=_numbers)
def representation(d, x) -> str:
    if "type_error" in d:
        error, shown = d["type_error"], d["printed"]
        said = f"printed {shown!r} and " if shown else ""
        kind = error.rsplit("type ", 1)[-1].rstrip(")")
        returned = "None (no return)" if kind == "NoneType" else f"a {kind}"
        fail(
            f"repr(Value({x})) failed: your __repr__ {said}returned {returned} (TypeError: "
            f"{error}). Return the string instead of printing it: "
            "return f'Value(data={self.data})'"
        )
    text = d["text"]
    want = f"Value(data={x!r}"
    expect(
        isinstance(text, str) and text.startswith(want),
        f"repr(Value({x})) is {text!r}, expected '{want})': "
        "return f'Value(data={self.data})' from __repr__",
    )
    return f"repr(Value({x})) is {text!r}"


@check("01.add", visible={"a": 2.0, "b": -3.0}, hidden=_pairs)
def add(d, a, b) -> str:
    return _binary(d, "+", "__add__", a, b)


@check("01.mul", visible={"a": 2.0, "b": -3.0}, hidden=_pairs)
def mul(d, a, b) -> str:
    return _binary(d, "*", "__mul__", a, b)


@check("01.expression", hidden=_leaves)
def expression(d, leaves=None) -> str:
    lecture = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}
    for name, want in lecture.items():
        data = attribute(d[name]["data"], "data")
        expect(
            close(data, want),
            f"{name}.data is {number(data)}, expected {number(want)} "
            "(a=2.0, b=-3.0, c=10.0, f=-2.0 as in the lecture)",
        )
    for name, parts, op, want in [
        ("e", ["a", "b"], "*", -6.0),
        ("d", ["e", "c"], "+", 4.0),
        ("L", ["d", "f"], "*", -8.0),
    ]:
        node = d[name]
        expect(
            same_children(children(node["prev"]), parts) and attribute(node["op"], "_op") == op,
            f"{name} is not built as in the lecture: e = a*b, d = e + c, L = d * f "
            f"({name}._op is {node['op']!r})",
        )
        expect(
            close(node["data"], want),
            f"{name}.data is {number(node['data'])}, expected {number(want)}",
        )
    for name in ("a", "b", "c", "e", "d", "f", "L"):
        label = attribute(d[name]["label"], "label")
        expect(
            label == name,
            f"{name}.label is {label!r}, expected {name!r}: give every Value its "
            "label (the graph in 02 shows it)",
        )
    if leaves is not None:  # the grader's own leaves, through the same + and *
        want = (leaves["a"] * leaves["b"] + leaves["c"]) * leaves["f"]
        again = d["again"]
        expect(
            close(again, want),
            f"with a={leaves['a']}, b={leaves['b']}, c={leaves['c']}, f={leaves['f']}, "
            f"(a*b + c) * f gives {number(again)}, expected {number(want)}",
        )
    return "L = (a*b + c) * f = -8.0, built from e = a*b and d = e + c, every label set"
