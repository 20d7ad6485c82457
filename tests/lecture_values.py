"""A learner's Value as the lecture writes it: every operation a closure ``_backward``.

Test data for the checks and for gradcheck: the same answers a learner who followed the
video gives, so that a check is tried on closures as well as on the reference engine's
local derivatives. Subclass it to plant one mistake.
"""

import math


def node(cls, data, children, op, locals_):
    """A lecture-style node of class ``cls`` whose _backward applies the local derivatives."""
    out = cls(data, children, op)

    def _backward():
        for child, local in zip(children, locals_):
            child.grad += local * out.grad

    out._backward = _backward
    return out


class LectureValue:
    """The lecture's Value, micrograd-style: every operation built as in the video."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        return node(type(self), self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        return node(type(self), self.data * other.data, (self, other), "*", (other.data, self.data))

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        return node(
            type(self), self.data**other, (self,), f"**{other}", (other * self.data ** (other - 1),)
        )

    def exp(self):
        e = math.exp(self.data)
        return node(type(self), e, (self,), "exp", (e,))

    def tanh(self):
        x = self.data
        t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
        return node(type(self), t, (self,), "tanh", (1 - t**2,))

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
