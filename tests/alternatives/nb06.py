"""Correct answers to 06_mlp, written as different learners write them.

Each replaces a whole class (its three methods); the notebook's contract decides what
is correct: attributes ``w`` and ``b`` (the cell prints them), parameters() weights
then bias, and a layer of one neuron returning that neuron's Value itself.
"""

from alternatives import Alternative

NB = "06_mlp"

_NEURON = '''\
class Neuron:
    """One neuron: tanh(w·x + b), with nin weights and a bias, all Values."""

    def __init__(self, nin):
        ### BEGIN SOLUTION: self.w: nin random Values in [-1, 1]; self.b: one more
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))
        ### END SOLUTION

    def __call__(self, x):
        ### BEGIN SOLUTION: add up w_i * x_i and the bias with Values, then tanh
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        out = act.tanh()
        return out
        ### END SOLUTION

    def parameters(self):
        ### BEGIN SOLUTION: one list: the weights first, then the bias
        return self.w + [self.b]
        ### END SOLUTION
'''
_LAYER = '''\
class Layer:
    """nout neurons, each seeing the same nin inputs."""

    def __init__(self, nin, nout):
        ### BEGIN SOLUTION: self.neurons: a list of nout neurons of nin inputs each
        self.neurons = [Neuron(nin) for _ in range(nout)]
        ### END SOLUTION

    def __call__(self, x):
        ### BEGIN SOLUTION: every neuron's output for x; the Value alone if there is one neuron
        outs = [neuron(x) for neuron in self.neurons]
        return outs[0] if len(outs) == 1 else outs
        ### END SOLUTION

    def parameters(self):
        ### BEGIN SOLUTION: every neuron's parameters, neuron by neuron, in one flat list
        return [p for neuron in self.neurons for p in neuron.parameters()]
        ### END SOLUTION
'''
_MLP = '''\
class MLP:
    """Layers in a row: MLP(3, [4, 4, 1]) is 3 inputs -> 4 -> 4 -> 1 output."""

    def __init__(self, nin, nouts):
        ### BEGIN SOLUTION: self.layers: one Layer per entry of nouts, sizes chained from nin
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i + 1]) for i in range(len(nouts))]
        ### END SOLUTION

    def __call__(self, x):
        ### BEGIN SOLUTION: pass x through the layers one after the other; return the result
        for layer in self.layers:
            x = layer(x)
        return x
        ### END SOLUTION

    def parameters(self):
        ### BEGIN SOLUTION: every layer's parameters, layer by layer, in one flat list
        return [p for layer in self.layers for p in layer.parameters()]
        ### END SOLUTION
'''

ALTERNATIVES = [
    # --- 1. Neuron ---
    Alternative(
        "neuron_loops_bias_drawn_first",
        NB,
        "ex-neuron",
        _NEURON,
        '''\
class Neuron:
    """One neuron, written with loops."""

    def __init__(self, nin):
        self.b = Value(random.uniform(-1, 1))
        self.w = []
        for _ in range(nin):
            self.w.append(Value(random.uniform(-1, 1)))

    def __call__(self, x):
        act = self.b
        for i in range(len(self.w)):
            act = act + self.w[i] * x[i]
        return act.tanh()

    def parameters(self):
        params = list(self.w)
        params.append(self.b)
        return params
''',
        "bias drawn first, index loops, append",
    ),
    Alternative(
        "neuron_sum_from_zero_tanh_by_exp",
        NB,
        "ex-neuron",
        _NEURON,
        '''\
class Neuron:
    """One neuron; tanh from exp."""

    def __init__(self, nin):
        self.w = [Value(2 * random.random() - 1) for _ in range(nin)]
        self.b = Value(2 * random.random() - 1)

    def __call__(self, x):
        act = sum(wi * xi for wi, xi in zip(self.w, x)) + self.b
        e = (2 * act).exp()
        return (e - 1) / (e + 1)

    def parameters(self):
        return [*self.w, self.b]
''',
        "2 * random.random() - 1, sum() from 0 then + b, tanh from exp, unpacking",
    ),
    Alternative(
        "neuron_list_sum_input_times_weight",
        NB,
        "ex-neuron",
        _NEURON,
        '''\
class Neuron:
    """One neuron; a list given to sum() with the bias as its start."""

    def __init__(self, nin):
        self.w = [Value(random.uniform(-1.0, 1.0)) for i in range(nin)]
        self.b = Value(random.uniform(-1.0, 1.0))

    def __call__(self, x):
        act = sum([xi * wi for wi, xi in zip(self.w, x)], self.b)
        return act.tanh()

    def parameters(self):
        return [w for w in self.w] + [self.b]
''',
        "input * weight (numbers on the left), a list for sum(..., start)",
    ),
    # --- 2. Layer ---
    Alternative(
        "layer_loops_and_extend",
        NB,
        "ex-layer",
        _LAYER,
        '''\
class Layer:
    """A layer written with loops."""

    def __init__(self, nin, nout):
        self.neurons = []
        for _ in range(nout):
            self.neurons.append(Neuron(nin))

    def __call__(self, x):
        outs = []
        for neuron in self.neurons:
            outs.append(neuron(x))
        if len(outs) == 1:
            return outs[0]
        return outs

    def parameters(self):
        params = []
        for neuron in self.neurons:
            params.extend(neuron.parameters())
        return params
''',
        "loops, append, extend, an if for the single neuron",
    ),
    Alternative(
        "layer_itertools_chain",
        NB,
        "ex-layer",
        _LAYER,
        '''\
class Layer:
    """A layer; parameters chained with itertools."""

    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin=nin) for i in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs if len(outs) > 1 else outs[0]

    def parameters(self):
        import itertools

        return list(itertools.chain.from_iterable(n.parameters() for n in self.neurons))
''',
        "itertools.chain.from_iterable, the condition the other way round",
    ),
    Alternative(
        "layer_plus_equals",
        NB,
        "ex-layer",
        _LAYER,
        '''\
class Layer:
    """A layer; one neuron answers alone."""

    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        if len(self.neurons) == 1:
            return self.neurons[0](x)
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        params = []
        for neuron in self.neurons:
            params += neuron.parameters()
        return params
''',
        "the single neuron's Value returned before building a list, += on a list",
    ),
    # --- 3. MLP ---
    Alternative(
        "mlp_loops_previous_size",
        NB,
        "ex-mlp",
        _MLP,
        '''\
class MLP:
    """Layers in a row, sizes carried along in a loop."""

    def __init__(self, nin, nouts):
        self.layers = []
        size = nin
        for nout in nouts:
            self.layers.append(Layer(size, nout))
            size = nout

    def __call__(self, x):
        out = x
        for layer in self.layers:
            out = layer(out)
        return out

    def parameters(self):
        params = []
        for layer in self.layers:
            for p in layer.parameters():
                params.append(p)
        return params
''',
        "the previous size in a variable, nested loops for parameters()",
    ),
    Alternative(
        "mlp_zip_reduce_sum_of_lists",
        NB,
        "ex-mlp",
        _MLP,
        '''\
class MLP:
    """Layers in a row: zip of sizes, reduce, sum of lists."""

    def __init__(self, nin, nouts):
        sizes = [nin, *nouts]
        self.layers = [Layer(a, b) for a, b in zip(sizes, sizes[1:])]

    def __call__(self, x):
        import functools

        return functools.reduce(lambda h, layer: layer(h), self.layers, x)

    def parameters(self):
        return sum((layer.parameters() for layer in self.layers), [])
''',
        "zip(sizes, sizes[1:]), functools.reduce, sum(lists, [])",
    ),
    Alternative(
        "mlp_index_loop_itertools_chain",
        NB,
        "ex-mlp",
        _MLP,
        '''\
class MLP:
    """Layers in a row, indexed."""

    def __init__(self, nin, nouts):
        sz = [nin] + list(nouts)
        self.layers = [Layer(sz[i], sz[i + 1]) for i in range(len(sz) - 1)]

    def __call__(self, x):
        for i in range(len(self.layers)):
            x = self.layers[i](x)
        return x

    def parameters(self):
        import itertools

        return list(itertools.chain(*[layer.parameters() for layer in self.layers]))
''',
        "an index loop, itertools.chain(*lists)",
    ),
]
