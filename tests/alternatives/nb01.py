"""Correct answers to 01_value, written as different learners write them."""

from alternatives import Alternative

NB = "01_value"

_INIT = """\
        self.data = data
        self._prev = set(_children)
        self._op = _op
        self.label = label"""
_REPR = 'return f"Value(data={self.data})"'
_ADD = 'out = Value(self.data + other.data, (self, other), "+")\n    return out'
_MUL = 'out = Value(self.data * other.data, (self, other), "*")\n    return out'
_EXPRESSION = """\
a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = Value(10.0, label="c")
e = a * b
e.label = "e"
d = e + c
d.label = "d"
f = Value(-2.0, label="f")
L = d * f
L.label = "L"
"""


def _init(prev: str, repr_: str) -> str:
    """The whole ex-init cell with ``prev`` as the _prev line and ``repr_`` as __repr__'s body."""
    return f'''class Value:
    """A scalar that remembers the Values and the operation it came from."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        {prev}
        self._op = _op
        self.label = label

    def __repr__(self):
        {repr_}


Value(2.0)'''


ALTERNATIVES = [
    # --- constructor and repr ---
    Alternative(
        "init_tuple_prev_percent_repr",
        NB,
        "ex-init",
        "",
        _init("self._prev = tuple(_children)", 'return "Value(data=%s)" % self.data'),
        "tuple _prev, % formatting",
    ),
    Alternative(
        "init_list_prev_format_repr",
        NB,
        "ex-init",
        "",
        _init("self._prev = list(_children)", 'return "Value(data={})".format(self.data)'),
        "list _prev, str.format",
    ),
    Alternative(
        "init_dict_prev_concatenated_repr",
        NB,
        "ex-init",
        "",
        _init(
            "self._prev = dict.fromkeys(_children)  # an ordered set",
            'return "Value(data=" + str(self.data) + ")"',
        ),
        "dict keys as an ordered set, string concatenation",
    ),
    Alternative(
        "init_float_data_raw_children",
        NB,
        "ex-init",
        _INIT,
        """\
        self.data = float(data)
        self._prev = _children
        self._op = _op
        self.label = label""",
        "data converted to float, _children stored as given",
    ),
    # --- + ---
    Alternative(
        "add_one_line",
        NB,
        "ex-add",
        _ADD,
        'return Value(self.data + other.data, (self, other), "+")',
        "one line",
    ),
    Alternative(
        "add_type_self_keywords",
        NB,
        "ex-add",
        _ADD,
        'return type(self)(self.data + other.data, _children=(self, other), _op="+")',
        "type(self), keyword arguments",
    ),
    Alternative(
        "add_list_children",
        NB,
        "ex-add",
        _ADD,
        'total = self.data + other.data\n    return Value(total, [self, other], "+")',
        "a list of children",
    ),
    # --- * ---
    Alternative(
        "mul_one_line_set_children",
        NB,
        "ex-mul",
        _MUL,
        'return Value(self.data * other.data, {self, other}, "*")',
        "a set of children",
    ),
    Alternative(
        "mul_keywords",
        NB,
        "ex-mul",
        _MUL,
        "product = self.data * other.data\n"
        '    return Value(data=product, _children=(self, other), _op="*")',
        "keyword arguments",
    ),
    Alternative(
        "mul_type_self_list",
        NB,
        "ex-mul",
        _MUL,
        'return type(self)(self.data * other.data, [self, other], "*")',
        "type(self), a list of children",
    ),
    # --- the expression ---
    Alternative(
        "expression_labels_afterwards",
        NB,
        "ex-expression",
        _EXPRESSION,
        """\
a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
e = a * b
d = e + c
L = d * f
for v, name in zip((a, b, c, d, e, f, L), "abcdefL"):
    v.label = name
""",
        "labels set in a loop",
    ),
    Alternative(
        "expression_int_data",
        NB,
        "ex-expression",
        _EXPRESSION,
        """\
a = Value(2, label="a")
b = Value(-3, label="b")
c = Value(10, label="c")
f = Value(-2, label="f")
e = a * b; e.label = "e"
d = e + c; d.label = "d"
L = d * f; L.label = "L"
""",
        "int data",
    ),
    Alternative(
        "expression_tuple_labels",
        NB,
        "ex-expression",
        _EXPRESSION,
        """\
a = Value(2.0)
a.label = "a"
b = Value(-3.0)
b.label = "b"
c = Value(10.0)
c.label = "c"
f = Value(-2.0)
f.label = "f"
e = a * b
d = e + c
L = d * f
e.label, d.label, L.label = "e", "d", "L"
""",
        "labels as attributes",
    ),
]
