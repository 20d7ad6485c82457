"""Correct answers to 09_bonus_exercises, written as different learners write them."""

from alternatives import Alternative

NB = "09_bonus_exercises"

_BY_HAND = """\
    dfda = -3 * a**2 - 0.5 * a**-0.5
    dfdb = 3 * math.cos(3 * b) + 2.5 * b**1.5
    dfdc = 1 / c**2
    return [dfda, dfdb, dfdc]
"""
_NUMERICAL = """\
    dfda = (f(a + h, b, c) - f(a - h, b, c)) / (2 * h)
    dfdb = (f(a, b + h, c) - f(a, b - h, c)) / (2 * h)
    dfdc = (f(a, b, c + h) - f(a, b, c - h)) / (2 * h)
    return [dfda, dfdb, dfdc]
"""
_LOG = '    return Value(math.log(x), (self,), "log", "", (1 / x,))\n'
_SOFTMAX = """\
    counts = [logit.exp() for logit in logits]
    total = sum(counts)
    return [count / total for count in counts]
"""
_NLL = "    return -probs[label].log()\n"

ALTERNATIVES = [
    # --- 1. derivatives by hand ---
    Alternative(
        "by_hand_sqrt_tuple",
        NB,
        "ex-by-hand",
        _BY_HAND,
        """\
    return (
        -3 * a * a - 1 / (2 * math.sqrt(a)),
        3 * math.cos(3 * b) + 2.5 * math.sqrt(b) ** 3,
        c**-2,
    )
""",
        "square roots instead of powers, a tuple",
    ),
    Alternative(
        "by_hand_numpy_array",
        NB,
        "ex-by-hand",
        _BY_HAND,
        """\
    import numpy as np

    return np.array([-3 * a**2 - 0.5 / np.sqrt(a), 3 * np.cos(3 * b) + 2.5 * b**1.5, 1.0 / (c * c)])
""",
        "numpy: an array of numpy floats",
    ),
    Alternative(
        "by_hand_term_by_term",
        NB,
        "ex-by-hand",
        _BY_HAND,
        """\
    da = -3 * a ** 2  # from -a**3
    da += -0.5 * a ** (-0.5)  # from -a**0.5
    db = math.cos(3 * b) * 3  # sin(3b), chain rule
    db += 2.5 * b ** 1.5
    dc = -(-1) * c ** (-2)  # -1/c = -c**-1
    return [da, db, dc]
""",
        "one term at a time with +=",
    ),
    # --- 2. numerical derivatives ---
    Alternative(
        "numerical_loop_over_a_list",
        NB,
        "ex-numerical",
        _NUMERICAL,
        """\
    point = [a, b, c]
    grads = []
    for i in range(3):
        up = list(point)
        down = list(point)
        up[i] += h
        down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads
""",
        "a loop over the inputs of a list, f(*args)",
    ),
    Alternative(
        "numerical_helper_and_lambdas",
        NB,
        "ex-numerical",
        _NUMERICAL,
        """\
    def central(g, x):
        return (g(x + h) - g(x - h)) / (2 * h)

    return [
        central(lambda t: f(t, b, c), a),
        central(lambda t: f(a, t, c), b),
        central(lambda t: f(a, b, t), c),
    ]
""",
        "a one-variable helper, lambdas fixing the other inputs",
    ),
    Alternative(
        "numerical_unit_steps",
        NB,
        "ex-numerical",
        _NUMERICAL,
        """\
    grads = []
    for da, db, dc in [(h, 0, 0), (0, h, 0), (0, 0, h)]:
        grads.append((f(a + da, b + db, c + dc) - f(a - da, b - db, c - dc)) / (2 * h))
    return grads
""",
        "a step vector per input",
    ),
    # --- 3. log ---
    Alternative(
        "log_keywords",
        NB,
        "ex-log",
        _LOG,
        '    out = Value(math.log(x), _children=(self,), _op="log", _local_grads=(1.0 / x,))\n'
        "    return out\n",
        "the constructor's keywords",
    ),
    Alternative(
        "log_lists_and_power",
        NB,
        "ex-log",
        _LOG,
        "    local = x**-1  # d log(x) / dx\n"
        '    return Value(math.log(x), [self], "log", "", [local])\n',
        "lists for the children and local derivatives, x**-1",
    ),
    Alternative(
        "log_from_self_data",
        NB,
        "ex-log",
        _LOG,
        '    y = math.log(self.data)\n    return Value(y, (self,), "log", "", (1 / self.data,))\n',
        "self.data instead of the given x",
    ),
    # --- 4. softmax ---
    Alternative(
        "softmax_start_and_inverse",
        NB,
        "ex-softmax",
        _SOFTMAX,
        """\
    exps = [z.exp() for z in logits]
    total = sum(exps, Value(0.0))
    return [e * total**-1 for e in exps]
""",
        "sum from Value(0.0), multiplication by total**-1",
    ),
    Alternative(
        "softmax_stable_max_shift",
        NB,
        "ex-softmax",
        _SOFTMAX,
        """\
    m = max(z.data for z in logits)
    exps = [(z - m).exp() for z in logits]
    denom = sum(exps[1:], exps[0])
    return [e / denom for e in exps]
""",
        "the numerically stable version: the largest logit subtracted first",
    ),
    Alternative(
        "softmax_loops",
        NB,
        "ex-softmax",
        _SOFTMAX,
        """\
    total = Value(0.0)
    for z in logits:
        total = total + z.exp()
    probs = []
    for z in logits:
        probs.append(z.exp() / total)
    return probs
""",
        "loops, exp computed twice per logit",
    ),
    # --- 5. negative log-likelihood ---
    Alternative(
        "nll_log_of_the_inverse",
        NB,
        "ex-nll",
        _NLL,
        "    return (1 / probs[label]).log()\n",
        "-log(p) written as log(1/p)",
    ),
    Alternative(
        "nll_times_minus_one",
        NB,
        "ex-nll",
        _NLL,
        "    p = probs[label]\n    return p.log() * -1\n",
        "times -1",
    ),
    Alternative(
        "nll_zero_minus",
        NB,
        "ex-nll",
        _NLL,
        "    return Value(0.0) - probs[label].log()\n",
        "Value(0.0) minus the log",
    ),
]
