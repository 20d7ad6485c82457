from mistakes import Mistake

NB = "06_mlp"

MISTAKES = [
    Mistake(
        "weights_are_floats",
        NB,
        "ex-neuron",
        "self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]",
        "self.w = [random.uniform(-1, 1) for _ in range(nin)]",
        "06.neuron_parameters",
        "expected Values",
    ),
    Mistake(
        "bias_missing_from_parameters",
        NB,
        "ex-neuron",
        "return self.w + [self.b]",
        "return self.w",
        "06.neuron_parameters",
        "the bias is missing",
    ),
    Mistake(
        "bias_listed_first",
        NB,
        "ex-neuron",
        "return self.w + [self.b]",
        "return [self.b] + self.w",
        "06.neuron_parameters",
        "weights first, then the bias",
    ),
    Mistake(
        "bias_missing_from_sum",
        NB,
        "ex-neuron",
        "zip(self.w, x)), self.b)",
        "zip(self.w, x)))",
        "06.neuron_forward",
        "the bias is missing from the sum",
    ),
    Mistake(
        "activation_missing",
        NB,
        "ex-neuron",
        "out = act.tanh()",
        "out = act",
        "06.neuron_forward",
        "the activation is missing",
    ),
    Mistake(
        "neurons_sized_by_nout",
        NB,
        "ex-layer",
        "[Neuron(nin) for _ in range(nout)]",
        "[Neuron(nout) for _ in range(nout)]",
        "06.layer",
        "zip(self.w, x) stops silently",
    ),
    Mistake(
        "layer_parameters_nested",
        NB,
        "ex-layer",
        "return [p for neuron in self.neurons for p in neuron.parameters()]",
        "return [neuron.parameters() for neuron in self.neurons]",
        "06.layer",
        "list of lists",
    ),
    Mistake(
        "one_neuron_layer_returns_list",
        NB,
        "ex-layer",
        "return outs[0] if len(outs) == 1 else outs",
        "return outs",
        "06.layer",
        "the single Value itself",
    ),
    Mistake(
        "sizes_without_nin",
        NB,
        "ex-mlp",
        "sz = [nin] + nouts\n"
        "        self.layers = [Layer(sz[i], sz[i + 1]) for i in range(len(nouts))]",
        "sz = nouts\n        self.layers = [Layer(sz[i], sz[i + 1]) for i in range(len(sz) - 1)]",
        "06.mlp_parameters",
        "sz = [nin] + nouts",
    ),
    Mistake(
        "sizes_without_nin_index_error",
        NB,
        "ex-mlp",
        "sz = [nin] + nouts",
        "sz = nouts",
        "06.mlp_parameters",
        "IndexError",
    ),
    Mistake(
        "parameters_of_last_layer_only",
        NB,
        "ex-mlp",
        "return [p for layer in self.layers for p in layer.parameters()]",
        "params = []\n"
        "        for layer in self.layers:\n"
        "            params = layer.parameters()\n"
        "        return params",
        "06.mlp_parameters",
        "are skipped",
    ),
    Mistake(
        "layers_not_chained",
        NB,
        "ex-mlp",
        "x = layer(x)\n        return x",
        "out = layer(x)\n        return out",
        "06.mlp_forward",
        "feed each layer's output into the next",
    ),
    Mistake(
        "weights_from_uniform_0_1",
        NB,
        "ex-neuron",
        "self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]\n"
        "        self.b = Value(random.uniform(-1, 1))",
        "self.w = [Value(random.uniform(0, 1)) for _ in range(nin)]\n"
        "        self.b = Value(random.uniform(0, 1))",
        "06.neuron_parameters",
        "none is negative",
    ),
    Mistake(
        "weights_from_random_random",
        NB,
        "ex-neuron",
        "self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]\n"
        "        self.b = Value(random.uniform(-1, 1))",
        "self.w = [Value(random.random()) for _ in range(nin)]\n"
        "        self.b = Value(random.random())",
        "06.neuron_parameters",
        "random.random() draw only from [0, 1]",
    ),
    Mistake(
        "every_layer_takes_nin_inputs",
        NB,
        "ex-mlp",
        "Layer(sz[i], sz[i + 1])",
        "Layer(nin, sz[i + 1])",
        "06.mlp_parameters",
        "layer 1 has 3 inputs, expected 4 (the 4 outputs of layer 0)",
    ),
]
