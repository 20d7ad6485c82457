"""The reference scalar autograd engine: the answer to notebooks 01-04.

The lecture's ``Value``, built as in Karpathy's microgpt (2026,
gist.github.com/karpathy/8627fe009c40f57531cb18360106ce95): each operation stores its
*local derivatives*, d(out)/d(child), instead of a ``_backward`` closure, and one
chain-rule step serves every node. A closure and its node refer to each other, a cycle
only Python's garbage collector can free; numbers do not, so reference counting frees a
graph as soon as it is unused. A node keeps its one or two children and their local
derivatives in its own slots: one object per node, where two tuples make three (see 08).
"""

import math
from numbers import Real


class Value:
    """A scalar, its gradient, and how it was computed."""

    # children a and b, each next to its local derivative; None and 0.0 when absent
    __slots__ = ("data", "grad", "_op", "label", "_a", "_da", "_b", "_db")

    def __init__(self, data, _children=(), _op="", label="", _local_grads=()):
        self.data = data if isinstance(data, (int, float)) else _number(data)
        self.grad = 0.0
        self._op = _op  # the operation that produced it, for graphs and debugging
        self.label = label
        if len(_children) > 2:
            raise ValueError(f"{len(_children)} children: build a + b + c as (a + b) + c")
        children, grads = iter(_children), iter(_local_grads)
        self._a, self._b = next(children, None), next(children, None)
        self._da, self._db = next(grads, 0.0), next(grads, 0.0)  # none given: no gradient

    @property
    def _prev(self):  # the lecture's _prev: the Values this one was computed from
        return tuple(child for child in (self._a, self._b) if child is not None)

    def __repr__(self):
        return f"Value(data={self.data})"

    def _backward(self):
        """One chain-rule step: pass this node's gradient on to its children."""
        if self._a is not None:
            self._a.grad += self._da * self.grad  # += : a child may be used twice
        if self._b is not None:
            self._b.grad += self._db * self.grad

    def backward(self):
        """Fill in ``grad`` of every Value this one depends on."""
        # the lecture's topological sort, with a stack instead of recursion (100,000 deep works)
        topo, visited, stack = [], {self}, [self]
        while stack:
            node = stack[-1]
            if node._a is not None and node._a not in visited:  # its first child first
                visited.add(node._a)
                stack.append(node._a)
            elif node._b is not None and node._b not in visited:  # then its second
                visited.add(node._b)
                stack.append(node._b)
            else:  # both are in topo: the node goes next
                topo.append(stack.pop())
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()

    # operations: the result, its children and their local derivatives
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), "+", "", (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), "*", "", (other.data, self.data))

    def __pow__(self, other):
        if not isinstance(other, (int, float)):
            raise TypeError("x ** y needs an int or float y; for a Value y: (y * x.log()).exp()")
        out = self.data**other
        if isinstance(out, complex):
            raise ValueError(f"{self.data} ** {other}: a negative base needs an integer power")
        steep = self.data == 0 and other < 1  # x**0.5 at 0: the slope is infinite
        local = math.inf if steep else other * self.data ** (other - 1)
        return Value(out, (self,), f"**{other}", "", (local,))

    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:  # Python's own message says only "math range error"
            raise OverflowError(f"exp({self.data}) is too large for a float") from None
        return Value(e, (self,), "exp", "", (e,))

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log({self.data}) is undefined: log needs a positive number")
        return Value(math.log(self.data), (self,), "log", "", (1.0 / self.data,))

    def tanh(self):
        t = math.tanh(self.data)  # (e**2x - 1) / (e**2x + 1) overflows for large x
        return Value(t, (self,), "tanh", "", (1.0 - t * t,))

    def relu(self):
        positive = self.data > 0
        return Value(self.data if positive else 0.0, (self,), "ReLU", "", (float(positive),))

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


def _number(data):
    """Another real number (e.g. numpy.float32) as a float; anything else refused."""
    if isinstance(data, Real):
        return float(data)
    hint = "use its .data" if isinstance(data, Value) else "convert it first, e.g. float(x)"
    raise TypeError(f"Value(data) needs a number, got {type(data).__name__} {data!r}: {hint}")
