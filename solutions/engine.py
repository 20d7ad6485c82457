"""The reference scalar autograd engine: the answer to notebooks 01-04.

It keeps the lecture's API (``Value(data, _children, _op, label)``, ``data``,
``grad``, ``_prev``, ``_op``, ``label``, ``_backward()``, ``backward()``) and reads
like micrograd, with two changes of representation, a faster topological sort
and less work per node. One training step of notebook 08's network (``make
bench``, section ``training``, CPU time on a 2-core machine, Python's garbage
collector on): micrograd 0.1.0 ~1,200 ms; this engine ~165 ms with tuples per
node (7x), ~145 ms with the new sort (9x), ~76 ms with one object per node
(15x), ~73 ms with less work per node (17x; with the collector off, 57 -> 42 ms).

**Local derivatives instead of closures.** The lecture stores a ``_backward``
closure in every node. The closure refers to ``out`` and ``out`` to the closure,
so every node is a reference cycle that only Python's garbage collector can
free, and the collector ends up doing most of the work of a training step.
Here every operation gives, instead, its *local derivatives*: one number per
input, d(out)/d(input), e.g. ``(other.data, self.data)`` for ``self * other``.
The chain rule is then the same line for every node,
``input.grad += local * out.grad``, and no node refers back to itself, so a graph
is freed by reference counting the moment it is no longer used. Karpathy's own
later microgpt (2026; gist.github.com/karpathy/8627fe009c40f57531cb18360106ce95)
is built the same way: each ``Value`` stores its children and their local
gradients, no closures.

**One object per node.** microgpt keeps children and local derivatives in two
tuples per node, three objects in all. Every operation here has one or two
inputs, so a node keeps them in its own slots instead: input ``_a`` next to its
local derivative ``_da``, and ``_b`` next to ``_db`` (``None`` and 0.0 when
absent). ``_prev`` and ``_local_grads`` still give them as tuples. The collector
runs after every few hundred new objects and walks again and again through the
objects still alive, so a third as many objects per node means fewer
collections (95 per step instead of 232) that each walk fewer objects: ~18 ms of
a step in the collector instead of ~50-70. With no tuples kept and no ``zip`` in
the chain rule, the step is also ~20 ms faster with the collector off (80 -> 61).

**Topological order with a plain stack.** A node stays on the stack until both of
its inputs are in order (the first, then the second), then goes into the order
itself: no recursion, so a graph 100,000 nodes deep works at Python's default
recursion limit, and nothing allocated per node but its place in ``visited``.
The sort of a step takes ~13 ms, against ~40 for a stack of (node, done?) pairs.

**Less work per node.** An operation makes its node with ``_node(...)``, which
fills the slots directly instead of calling ``Value(...)``, whose ``__init__``
first has to find out what it was given; and ``backward()`` does each node's
chain-rule step itself rather than calling ``node._backward()`` (the same two
lines, without a call per node). With the collector off, building a step's graph
takes ~20 ms instead of ~29, and the chain rule ~5 ms instead of ~8.
"""

import math
from numbers import Real


class Value:
    """A scalar, its gradient, and the operation that produced it."""

    __slots__ = ("data", "grad", "_op", "label", "_a", "_b", "_da", "_db")

    def __init__(self, data, _children=(), _op="", label="", _local_grads=()):
        if type(data) is not float and not isinstance(data, (int, float)):
            data = _as_float(data)
        self.data = data
        self.grad = 0.0
        self._op = _op  # the operation that produced it, for graphs and debugging
        self.label = label
        # The inputs a and b (None when absent), each next to its local derivative
        # d(self)/d(input): slots of this one object, not tuples (see above).
        if len(_children) == 2:  # + and *
            self._a, self._b = _children
        elif len(_children) == 1:  # tanh, relu, exp, log, **
            (self._a,), self._b = _children, None
        elif not _children:  # a leaf: an input or a weight
            self._a = self._b = None
        else:
            raise ValueError(_TOO_MANY_CHILDREN.format(n=len(_children)))
        if len(_local_grads) == 2:
            self._da, self._db = _local_grads
        elif len(_local_grads) == 1:
            (self._da,), self._db = _local_grads, 0.0
        else:  # none given (notebook 02's style): no gradient flows back
            self._da = self._db = 0.0

    @property
    def _prev(self):
        """The Values this one was computed from, as a tuple (a leaf has none)."""
        if self._b is not None:
            return (self._a, self._b)
        return () if self._a is None else (self._a,)

    @property
    def _local_grads(self):
        """d(self)/d(child) for each child in ``_prev``, in the same order."""
        return (self._da, self._db)[: len(self._prev)]

    def __repr__(self):
        return f"Value(data={self.data})"

    # --- the chain rule -------------------------------------------------------

    def _backward(self):
        """Pass this node's gradient on to its inputs (one chain-rule step)."""
        if self._a is not None:
            self._a.grad += self._da * self.grad  # += : an input may be used twice
        if self._b is not None:
            self._b.grad += self._db * self.grad

    def backward(self):
        """Fill in ``grad`` of every Value this one depends on."""
        self.grad = 1.0
        for node in reversed(self.topological_order()):
            # node._backward(), written out here: a call per node costs a third of the pass
            a = node._a
            if a is not None:
                a.grad += node._da * node.grad
                b = node._b
                if b is not None:  # a node with a second input always has a first
                    b.grad += node._db * node.grad

    def topological_order(self):
        """Every node of the graph, each one after all of its children.

        Depth first with an explicit stack instead of recursion, so a graph
        100,000 nodes deep works at Python's default recursion limit.
        """
        order, visited, stack = [], {self, None}, [self]  # None: an absent input
        while stack:
            node = stack[-1]
            if node._a not in visited:  # go down to its first input first
                visited.add(node._a)
                stack.append(node._a)
            elif node._b not in visited:  # then to its second
                visited.add(node._b)
                stack.append(node._b)
            else:  # both inputs are in order: the node goes next
                order.append(stack.pop())
        return order

    # --- operations: forward value and local derivatives ----------------------

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return _node(self.data + other.data, "+", self, 1.0, other, 1.0)

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return _node(self.data * other.data, "*", self, other.data, other, self.data)

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
        return _node(out, f"**{other}", self, local)

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
        return _node(e, "exp", self, e)

    def log(self):
        x = self.data
        if x <= 0:
            raise ValueError(
                f"log({x}) is undefined: log needs a positive number. "
                "Clamp the input first (e.g. max(x, 1e-12)) or check where it "
                "became zero or negative."
            )
        return _node(math.log(x), "log", self, 1.0 / x)

    def tanh(self):
        t = math.tanh(self.data)  # exact, and no overflow for large |x|
        return _node(t, "tanh", self, 1.0 - t * t)

    def relu(self):
        if self.data > 0:
            return _node(self.data, "ReLU", self, 1.0)
        return _node(0.0, "ReLU", self, 0.0)

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


def _node(data, op, a, da, b=None, db=0.0):
    """The result of operation ``op``: ``Value(data, (a, b), op, "", (da, db))``, made faster.

    Calling the class runs ``__init__``, which sorts out what it was given (how many
    children, a tuple or a set, the data's type). An operation already knows all of
    it, so it fills the new node's slots directly: building a graph takes about 30%
    less time (``make bench``).
    """
    out = _new_object(Value)
    out.data = data
    out.grad = 0.0
    out._op = op
    out.label = ""
    out._a = a
    out._da = da
    out._b = b
    out._db = db
    return out


_new_object = object.__new__  # a bare instance of a class, without calling __init__

_TOO_MANY_CHILDREN = (
    "Value(data, _children, ...) got {n} children; every operation here has one or two "
    "inputs. Build it from two-input operations, e.g. a + b + c as (a + b) + c."
)


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
