"""The reference scalar autograd engine: the answer to notebooks 01-04.

It keeps the lecture's API (``Value(data, _children, _op, label)``, ``data``,
``grad``, ``_prev``, ``_op``, ``label``, ``_backward``, ``backward()``) and reads
like micrograd, with one change of representation that makes training about
5-10x faster (see notebook 08 and ``make bench``):

* the lecture stores a ``_backward`` closure in every node. The closure captures
  ``out``, and ``out`` holds the closure, so every node is a reference cycle that
  only Python's garbage collector can free, and the collector ends up doing
  most of the work of a training step.
* here every operation stores its *local derivatives* instead: one float per
  child, d(out)/d(child). The chain rule in ``_backward`` is then the same one
  line for every operation, ``child.grad += local * out.grad``, and no node
  refers back to itself, so a graph is freed the moment it is no longer used.
"""

import math
from numbers import Real


class Value:
    """A scalar, its gradient, and the operation that produced it."""

    __slots__ = ("data", "grad", "_prev", "_op", "label", "_local_grads")

    def __init__(self, data, _children=(), _op="", label="", _local_grads=()):
        if not isinstance(data, (int, float)):
            data = _as_float(data)
        self.data = data
        self.grad = 0.0
        self._prev = _children  # the Values this one was computed from
        self._op = _op  # the operation that produced it, for graphs and debugging
        self.label = label
        self._local_grads = _local_grads  # d(self)/d(child), one per child

    def __repr__(self):
        return f"Value(data={self.data})"

    # --- the chain rule -------------------------------------------------------

    def _backward(self):
        """Pass this node's gradient on to its children (one chain-rule step)."""
        for child, local in zip(self._prev, self._local_grads):
            child.grad += local * self.grad  # += : a child may be used twice

    def backward(self):
        """Fill in ``grad`` of every Value this one depends on."""
        self.grad = 1.0
        for node in reversed(self.topological_order()):
            node._backward()

    def topological_order(self):
        """Every node of the graph, each one after all of its children.

        An explicit stack instead of recursion, so a graph 100,000 nodes deep
        works at Python's default recursion limit.
        """
        order, visited, stack = [], set(), [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        return order

    # --- operations: forward value and local derivatives ----------------------

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), "+", "", (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), "*", "", (other.data, self.data))

    def __pow__(self, other):
        if not isinstance(other, (int, float)):
            raise TypeError(
                f"Value ** {type(other).__name__} is not supported: the exponent "
                "must be an int or float constant, e.g. x**2 or x**-1. "
                "For a Value exponent b, write (b * x.log()).exp()."
            )
        x = self.data
        out = x**other
        if isinstance(out, complex):
            raise ValueError(
                f"({x}) ** {other} is not a real number: a negative base needs an integer exponent."
            )
        try:
            local = other * x ** (other - 1)
        except ZeroDivisionError:  # x = 0 with 0 < other < 1: the slope is infinite
            local = math.inf
        return Value(out, (self,), f"**{other}", "", (local,))

    def __rpow__(self, other):  # number ** Value
        raise TypeError(
            f"{type(other).__name__} ** Value is not supported: the exponent must be a "
            "constant. For c ** x with a Value x, write (x * math.log(c)).exp()."
        )

    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp({self.data}) is too large for a float (limit: about 709.78); "
                "scale the inputs down or use tanh, which saturates."
            ) from None
        return Value(e, (self,), "exp", "", (e,))

    def log(self):
        x = self.data
        if x <= 0:
            raise ValueError(
                f"log({x}) is undefined: log needs a positive number. "
                "Clamp the input first (e.g. max(x, 1e-12)) or check where it "
                "became zero or negative."
            )
        return Value(math.log(x), (self,), "log", "", (1.0 / x,))

    def tanh(self):
        t = math.tanh(self.data)  # exact, and no overflow for large |x|
        return Value(t, (self,), "tanh", "", (1.0 - t * t,))

    def relu(self):
        positive = self.data > 0
        out = self.data if positive else 0.0
        return Value(out, (self,), "ReLU", "", (1.0 if positive else 0.0,))

    # --- everything else, written with the operations above -------------------

    def __neg__(self):  # -self
        return self * -1

    def __radd__(self, other):  # other + self
        return self + other

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __rsub__(self, other):  # other - self
        return other + (-self)

    def __rmul__(self, other):  # other * self
        return self * other

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __rtruediv__(self, other):  # other / self
        return other * self**-1


def _as_float(data):
    """Accept any real number (e.g. numpy.float32); refuse everything else clearly."""
    if isinstance(data, Real):
        return float(data)
    if isinstance(data, Value):
        raise TypeError(
            f"Value(data) got a Value ({data!r}); pass the number itself, "
            "e.g. Value(v.data), or use the Value directly."
        )
    raise TypeError(
        f"Value(data) needs a number (int or float), got {type(data).__name__} "
        f"{data!r}. Convert it first, e.g. Value(float(x))."
    )
