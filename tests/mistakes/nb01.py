from mistakes import Mistake

NB = "01_value"

MISTAKES = [
    Mistake(
        "children_not_stored",
        NB,
        "ex-init",
        "self._prev = set(_children)",
        "self._prev = set()",
        "01.init",
        "store the children",
    ),
    Mistake(
        "repr_returns_data_only",
        NB,
        "ex-init",
        'return f"Value(data={self.data})"',
        "return str(self.data)",
        "01.repr",
        "Value(data=2.0)",
    ),
    Mistake(
        "add_modifies_self",
        NB,
        "ex-add",
        'out = Value(self.data + other.data, (self, other), "+")\n    return out',
        "self.data += other.data\n    return self",
        "01.add",
        "must create a new Value",
    ),
    Mistake(
        "add_forgets_op",
        NB,
        "ex-add",
        '(self, other), "+")',
        "(self, other))",
        "01.add",
        "_op",
    ),
    Mistake(
        "mul_adds",
        NB,
        "ex-mul",
        "self.data * other.data",
        "self.data + other.data",
        "01.mul",
        "that is the sum",
    ),
    Mistake(
        "mul_children_are_numbers",
        NB,
        "ex-mul",
        '(self, other), "*")',
        '(self.data, other.data), "*")',
        "01.mul",
        "not copies, not their data",
    ),
    Mistake(
        "expression_labels_missing",
        NB,
        "ex-expression",
        'e.label = "e"\n',
        "",
        "01.expression",
        "label",
    ),
]
