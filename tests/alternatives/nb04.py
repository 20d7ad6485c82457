"""Correct answers to 04_operations, written as different learners write them."""

from alternatives import Alternative

NB = "04_operations"


def _constants(wrap: str, cls: str = "Value") -> str:
    """The whole ex-constants cell with ``wrap`` as the first lines of __add__ and __mul__."""
    return f"""def __add__(self, other):
{wrap}
    out = {cls}(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad += out.grad
        other.grad += out.grad

    out._backward = _backward
    return out


def __mul__(self, other):
{wrap}
    out = {cls}(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad

    out._backward = _backward
    return out


Value.__add__ = __add__
Value.__mul__ = __mul__
Value(2.0) + 1, Value(3.0) * 2"""


_POW_TAIL = """

Value.__pow__ = __pow__
x = Value(2.0)
y = x**3
y.backward()
y, x.grad"""

_EXP_TAIL = """

Value.exp = exp
x = Value(2.0)
y = x.exp()
y.backward()
y, x.grad"""

_TANH_TAIL = """

Value.tanh = tanh
x = Value(0.5)
y = x.tanh()
y.backward()
y, x.grad"""

_MEAN = "return sum(values) / len(values)"
_TANH_FROM_EXP = "e = (2 * x).exp()\n    return (e - 1) / (e + 1)"

ALTERNATIVES = [
    # --- 1. constants ---
    Alternative(
        "constants_if_not_isinstance",
        NB,
        "ex-constants",
        "",
        _constants("    if not isinstance(other, Value):\n        other = Value(other)"),
        "an if statement",
    ),
    Alternative(
        "constants_wrap_numbers_only",
        NB,
        "ex-constants",
        "",
        _constants("    if isinstance(other, (int, float)):\n        other = Value(other)"),
        "isinstance of the number types",
    ),
    Alternative(
        "constants_duck_typed_type_self",
        NB,
        "ex-constants",
        "",
        _constants(
            "    other = other if hasattr(other, 'data') else type(self)(other)", "type(self)"
        ),
        "duck typing, type(self)",
    ),
    # --- 2. reflected ---
    Alternative(
        "reflected_dunder_calls",
        NB,
        "ex-reflected",
        "return self + other\n",
        "return self.__add__(other)\n",
        "calls __add__ and __mul__ by name",
    ),
    Alternative(
        "reflected_wrapped_constant",
        NB,
        "ex-reflected",
        "",
        """def __radd__(self, other):  # other + self
    return Value(other) + self


def __rmul__(self, other):  # other * self
    return Value(other) * self


Value.__radd__ = __radd__
Value.__rmul__ = __rmul__
1 + Value(2.0), 2 * Value(3.0)""",
        "the constant wrapped, the order kept",
    ),
    Alternative(
        "reflected_aliases",
        NB,
        "ex-reflected",
        "",
        "Value.__radd__ = Value.__add__  # + and * do not care about the order\n"
        "Value.__rmul__ = Value.__mul__\n1 + Value(2.0), 2 * Value(3.0)",
        "the class's own methods as aliases",
    ),
    # --- 3. negation and subtraction ---
    Alternative(
        "subtraction_own_closure",
        NB,
        "ex-subtraction",
        "",
        """def __neg__(self):  # -self
    return -1 * self


def __sub__(self, other):  # self - other
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data - other.data, (self, other), "-")

    def _backward():
        self.grad += out.grad
        other.grad -= out.grad

    out._backward = _backward
    return out


def __rsub__(self, other):  # other - self
    return Value(other) - self


Value.__neg__ = __neg__
Value.__sub__ = __sub__
Value.__rsub__ = __rsub__
-Value(3.0), Value(5.0) - Value(2.0), 1 - Value(5.0)""",
        "__sub__ as its own node with its own _backward",
    ),
    Alternative(
        "subtraction_neg_closure",
        NB,
        "ex-subtraction",
        "",
        """def __neg__(self):  # -self
    out = Value(-self.data, (self,), "neg")

    def _backward():
        self.grad -= out.grad

    out._backward = _backward
    return out


def __sub__(self, other):  # self - other
    return self + other * -1


def __rsub__(self, other):  # other - self
    return -self + other


Value.__neg__ = __neg__
Value.__sub__ = __sub__
Value.__rsub__ = __rsub__
-Value(3.0), Value(5.0) - Value(2.0), 1 - Value(5.0)""",
        "__neg__ as its own node",
    ),
    Alternative(
        "subtraction_wrapped_constants",
        NB,
        "ex-subtraction",
        "",
        """def __neg__(self):  # -self
    return self * Value(-1.0)


def __sub__(self, other):  # self - other
    if not isinstance(other, Value):
        other = Value(other)
    return self + (-other)


def __rsub__(self, other):  # other - self
    return Value(other) + (-self)


Value.__neg__ = __neg__
Value.__sub__ = __sub__
Value.__rsub__ = __rsub__
-Value(3.0), Value(5.0) - Value(2.0), 1 - Value(5.0)""",
        "every constant wrapped in a Value",
    ),
    # --- 4. powers ---
    Alternative(
        "pow_type_error",
        NB,
        "ex-pow",
        "",
        """def __pow__(self, other):  # self ** other, other an int or float
    if not isinstance(other, (int, float)):
        raise TypeError("the exponent must be an int or a float")
    out = Value(self.data**other, (self,), f"**{other}")

    def _backward():
        self.grad += (other * self.data ** (other - 1)) * out.grad

    out._backward = _backward
    return out"""
        + _POW_TAIL,
        "TypeError instead of assert",
    ),
    Alternative(
        "pow_math_pow_isinstance_value",
        NB,
        "ex-pow",
        "",
        """def __pow__(self, n):  # self ** n, n an int or float
    assert not isinstance(n, Value), "only constant exponents"
    out = Value(math.pow(self.data, n), (self,), "**")

    def _backward():
        local = n * math.pow(self.data, n - 1)
        self.grad += local * out.grad

    out._backward = _backward
    return out"""
        + _POW_TAIL,
        "math.pow, an isinstance(other, Value) guard, another name",
    ),
    Alternative(
        "pow_numbers_real_type_self",
        NB,
        "ex-pow",
        "",
        """import numbers


def __pow__(self, other):  # self ** other, other an int or float
    assert isinstance(other, numbers.Real), "only int/float powers are supported"
    out = type(self)(self.data**other, (self,), "pow")

    def _backward():
        self.grad = self.grad + other * (self.data ** (other - 1)) * out.grad

    out._backward = _backward
    return out"""
        + _POW_TAIL,
        "numbers.Real, type(self), x = x + ...",
    ),
    # --- 5. division ---
    Alternative(
        "division_own_closure",
        NB,
        "ex-division",
        "",
        """def __truediv__(self, other):  # self / other
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data / other.data, (self, other), "/")

    def _backward():
        self.grad += (1 / other.data) * out.grad
        other.grad += (-self.data / other.data**2) * out.grad

    out._backward = _backward
    return out


def __rtruediv__(self, other):  # other / self
    return Value(other) / self


Value.__truediv__ = __truediv__
Value.__rtruediv__ = __rtruediv__
Value(6.0) / Value(3.0), 3 / Value(6.0)""",
        "__truediv__ as its own node",
    ),
    Alternative(
        "division_reciprocal_of_numbers",
        NB,
        "ex-division",
        "",
        """def __truediv__(self, other):  # self / other
    if isinstance(other, Value):
        return self * other**-1
    return self * (1 / other)


def __rtruediv__(self, other):  # other / self
    return self**-1 * other


Value.__truediv__ = __truediv__
Value.__rtruediv__ = __rtruediv__
Value(6.0) / Value(3.0), 3 / Value(6.0)""",
        "a number's reciprocal computed directly",
    ),
    Alternative(
        "division_wrapped_constants",
        NB,
        "ex-division",
        "",
        """def __truediv__(self, other):  # self / other
    other = other if isinstance(other, Value) else Value(other)
    return self * other.__pow__(-1)


def __rtruediv__(self, other):  # other / self
    return Value(other) * self**-1


Value.__truediv__ = __truediv__
Value.__rtruediv__ = __rtruediv__
Value(6.0) / Value(3.0), 3 / Value(6.0)""",
        "constants wrapped in a Value",
    ),
    # --- 6. exp ---
    Alternative(
        "exp_math_e_power",
        NB,
        "ex-exp",
        "",
        """def exp(self):
    out = Value(math.e**self.data, (self,), "exp")

    def _backward():
        self.grad += out.grad * out.data

    out._backward = _backward
    return out"""
        + _EXP_TAIL,
        "math.e ** x",
    ),
    Alternative(
        "exp_local_variable_type_self",
        NB,
        "ex-exp",
        "",
        """def exp(self):
    e = math.exp(self.data)
    out = type(self)(e, (self,), "exp")

    def _backward():
        self.grad += e * out.grad

    out._backward = _backward
    return out"""
        + _EXP_TAIL,
        "the forward number reused, type(self)",
    ),
    Alternative(
        "exp_numpy",
        NB,
        "ex-exp",
        "",
        """import numpy as np


def exp(self):
    out = Value(np.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += np.exp(self.data) * out.grad

    out._backward = _backward
    return out"""
        + _EXP_TAIL,
        "numpy floats",
    ),
    # --- 7. tanh ---
    Alternative(
        "tanh_math_tanh",
        NB,
        "ex-tanh",
        "",
        """def tanh(self):
    t = math.tanh(self.data)
    out = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out"""
        + _TANH_TAIL,
        "math.tanh",
    ),
    Alternative(
        "tanh_exp_both_sides",
        NB,
        "ex-tanh",
        "",
        """def tanh(self):
    x = self.data
    out = Value((math.exp(x) - math.exp(-x)) / (math.exp(x) + math.exp(-x)), (self,), "tanh")

    def _backward():
        self.grad += (1 - out.data**2) * out.grad

    out._backward = _backward
    return out"""
        + _TANH_TAIL,
        "(e^x - e^-x) / (e^x + e^-x), the derivative from out.data",
    ),
    Alternative(
        "tanh_numpy",
        NB,
        "ex-tanh",
        "",
        """import numpy as np


def tanh(self):
    t = np.tanh(self.data)
    out = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out"""
        + _TANH_TAIL,
        "numpy floats",
    ),
    # --- 8. sum and mean ---
    Alternative(
        "mean_sum_with_value_start",
        NB,
        "ex-sum",
        _MEAN,
        "n = len(values)\n    total = sum(values, Value(0.0))\n    return total / n",
        "sum(..., Value(0.0))",
    ),
    Alternative(
        "mean_loop_times_reciprocal",
        NB,
        "ex-sum",
        _MEAN,
        "total = Value(0.0)\n    for v in values:\n        total = total + v\n"
        "    return total * (1 / len(values))",
        "a loop, times 1/n",
    ),
    Alternative(
        "mean_divided_by_value",
        NB,
        "ex-sum",
        _MEAN,
        "return sum(values) / Value(len(values))",
        "n wrapped in a Value",
    ),
    Alternative(
        "mean_comprehension",
        NB,
        "ex-sum",
        _MEAN,
        "n = len(values)\n    return sum(v / n for v in values)",
        "a generator of v / n",
    ),
    # --- 9. tanh from exp ---
    Alternative(
        "tanh_from_exp_value_one",
        NB,
        "ex-tanh-from-exp",
        _TANH_FROM_EXP,
        "one = Value(1.0)\n    e = (x * 2).exp()\n    return (e - one) / (e + one)",
        "one = Value(1.0)",
    ),
    Alternative(
        "tanh_from_exp_value_two",
        NB,
        "ex-tanh-from-exp",
        _TANH_FROM_EXP,
        "e = (Value(2.0) * x).exp()\n    return (e - 1) * (e + 1) ** -1",
        "Value(2.0) * x, a power -1",
    ),
    Alternative(
        "tanh_from_exp_isinstance_guard",
        NB,
        "ex-tanh-from-exp",
        _TANH_FROM_EXP,
        "if not isinstance(x, Value):\n        x = Value(x)\n"
        "    e2x = x.exp() * x.exp()\n    return (e2x + -1) / (e2x + 1)",
        "an isinstance guard, exp(x) squared",
    ),
]
