"""Correct answers to 07_training, written as different learners write them."""

from alternatives import Alternative

NB = "07_training"

_LOSS = "    return sum((y_pred - y_gt) ** 2 for y_pred, y_gt in zip(ys_pred, ys_gt))\n"
_ZERO = "    for p in parameters:\n        p.grad = 0.0\n"
_UPDATE = (
    "    for p in parameters:\n"
    "        p.data += -lr * p.grad  # minus: against the gradient, downhill\n"
)
_TRAIN = """\
        ys_pred = [mlp(x) for x in xs]
        loss = loss_fn(ys_pred, ys)
        zero_grad(mlp.parameters())
        loss.backward()
        update(mlp.parameters(), lr)
        losses.append(loss.data)
"""
_RATES = """\
    runs = {}
    for lr in lrs:
        net = fresh_mlp()
        runs[lr] = train(net, xs, ys, steps, lr, progress=False)
    return runs
"""

ALTERNATIVES = [
    # --- 1. the loss ---
    Alternative(
        "loss_loop_from_a_value_times_itself",
        NB,
        "ex-loss",
        _LOSS,
        """\
    total = Value(0.0)
    for y_pred, y_gt in zip(ys_pred, ys_gt):
        diff = y_pred - y_gt
        total = total + diff * diff
    return total
""",
        "a loop from Value(0.0), (a - b) * (a - b)",
    ),
    Alternative(
        "loss_indexed_list_with_start",
        NB,
        "ex-loss",
        _LOSS,
        "    return sum([(ys_gt[i] - ys_pred[i]) ** 2 for i in range(len(ys_gt))], Value(0))\n",
        "indexing, target minus prediction, sum(list, Value(0))",
    ),
    Alternative(
        "loss_plus_equals_from_int",
        NB,
        "ex-loss",
        _LOSS,
        """\
    loss = 0
    for pred, target in zip(ys_pred, ys_gt):
        loss += (pred - target) ** 2.0
    return loss
""",
        "+= from the int 0, a float exponent",
    ),
    # --- 2. zero_grad ---
    Alternative(
        "zero_grad_index_loop_int",
        NB,
        "ex-zero-grad",
        _ZERO,
        "    for i in range(len(parameters)):\n        parameters[i].grad = 0\n",
        "an index loop, the int 0",
    ),
    Alternative(
        "zero_grad_comprehension_setattr",
        NB,
        "ex-zero-grad",
        _ZERO,
        '    [setattr(p, "grad", 0.0) for p in parameters]\n',
        "a list comprehension for its side effect",
    ),
    Alternative(
        "zero_grad_map_lambda",
        NB,
        "ex-zero-grad",
        _ZERO,
        '    list(map(lambda p: setattr(p, "grad", 0.0), parameters))\n',
        "map with a lambda",
    ),
    # --- 3. update ---
    Alternative(
        "update_minus_equals",
        NB,
        "ex-update",
        _UPDATE,
        "    for p in parameters:\n        p.data -= lr * p.grad\n",
        "p.data -= lr * p.grad",
    ),
    Alternative(
        "update_index_loop_assignment",
        NB,
        "ex-update",
        _UPDATE,
        """\
    for i in range(len(parameters)):
        parameters[i].data = parameters[i].data - lr * parameters[i].grad
""",
        "an index loop, data assigned from a new number",
    ),
    Alternative(
        "update_steps_computed_first",
        NB,
        "ex-update",
        _UPDATE,
        """\
    steps = [-lr * p.grad for p in parameters]
    for p, step in zip(parameters, steps):
        p.data += step
""",
        "every step computed first, then applied with zip",
    ),
    # --- 4. train ---
    Alternative(
        "train_mlp_zero_grad_float",
        NB,
        "ex-train",
        _TRAIN,
        """\
        loss = loss_fn([mlp(x) for x in xs], ys)
        mlp.zero_grad()
        loss.backward()
        update(mlp.parameters(), lr)
        losses.append(float(loss.data))
""",
        "the network's own zero_grad(), float(loss.data)",
    ),
    Alternative(
        "train_inline_steps_plus_equals",
        NB,
        "ex-train",
        _TRAIN,
        """\
        params = mlp.parameters()
        ys_pred = list(map(mlp, xs))
        loss = loss_fn(ys_pred, ys)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= lr * p.grad
        losses += [loss.data]
""",
        "zeroing and the update written inline, map, losses += [...]",
    ),
    Alternative(
        "train_records_before_backward",
        NB,
        "ex-train",
        _TRAIN,
        """\
        ys_pred = [mlp(x) for x in xs]
        loss = loss_fn(ys_pred, ys)
        losses.append(loss.data)
        zero_grad(mlp.parameters())
        loss.backward()
        update(mlp.parameters(), lr=lr)
""",
        "the loss recorded right after the forward pass, lr by keyword",
    ),
    # --- 5. two learning rates ---
    Alternative(
        "rates_dict_comprehension",
        NB,
        "ex-learning-rates",
        _RATES,
        "    return {lr: train(fresh_mlp(), xs, ys, steps, lr, progress=False) for lr in lrs}\n",
        "a dict comprehension",
    ),
    Alternative(
        "rates_zip_keywords_progress_bars",
        NB,
        "ex-learning-rates",
        _RATES,
        "    return dict(zip(lrs, [train(fresh_mlp(), xs, ys, steps=steps, lr=lr) "
        "for lr in lrs]))\n",
        "dict(zip(...)), keywords, the progress bars left on",
    ),
    Alternative(
        "rates_loop_other_names",
        NB,
        "ex-learning-rates",
        _RATES,
        """\
    results = {}
    for learning_rate in lrs:
        model = fresh_mlp(seed=1337)
        history = train(model, xs, ys, steps, learning_rate, progress=False)
        results[learning_rate] = history
    return results
""",
        "other names, the seed given explicitly",
    ),
]
