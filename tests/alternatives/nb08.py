"""Correct answers to 08_bonus_moons, written as different learners write them."""

from alternatives import Alternative

NB = "08_bonus_moons"

_COUNT = """\
    sizes = [nin] + list(nouts)
    return sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(nouts)))
"""
_LOSS = """\
    data_loss = sum((1 - yi * score).relu() for yi, score in zip(ys, scores)) / len(scores)
    reg_loss = alpha * sum(p * p for p in parameters)
    return data_loss + reg_loss
"""
_ACCURACY = """\
    right = sum((yi > 0) == (score.data > 0) for yi, score in zip(ys, scores))
    return right / len(ys)
"""
_STEP = """\
    scores = [model(x) for x in X]
    loss = loss_fn(scores, y, model.parameters())
    acc = accuracy(scores, y)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data += -lr * p.grad
    return loss.data, acc
"""
_TRAIN = """\
        lr = 1.0 - 0.9 * k / steps
        loss, acc = train_step(model, X, y, lr)
        losses.append(loss)
        accuracies.append(acc)
"""

ALTERNATIVES = [
    # --- 1. counting parameters ---
    Alternative(
        "count_loop_previous_size",
        NB,
        "ex-count",
        _COUNT,
        """\
    total = 0
    inputs = nin
    for nout in nouts:
        total += (inputs + 1) * nout
        inputs = nout
    return total
""",
        "a loop carrying the previous layer's size",
    ),
    Alternative(
        "count_zip_weights_plus_biases",
        NB,
        "ex-count",
        _COUNT,
        "    sizes = [nin, *nouts]\n    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))\n",
        "zip(sizes, sizes[1:]), weights and biases as a * b + b",
    ),
    Alternative(
        "count_numpy_int",
        NB,
        "ex-count",
        _COUNT,
        """\
    import numpy as np

    ins = np.array([nin] + list(nouts[:-1]))
    return np.sum((ins + 1) * np.array(nouts))
""",
        "numpy arrays: a numpy int comes back",
    ),
    # --- 2. the max-margin loss ---
    Alternative(
        "loss_loops_from_values",
        NB,
        "ex-loss",
        _LOSS,
        """\
    data_loss = Value(0.0)
    for score, label in zip(scores, ys):
        data_loss += (1 + -label * score).relu()
    data_loss = data_loss * (1.0 / len(scores))
    reg_loss = Value(0.0)
    for p in parameters:
        reg_loss += p**2
    return data_loss + alpha * reg_loss
""",
        "loops from Value(0.0) with +=, the mean as * (1/n), p**2",
    ),
    Alternative(
        "loss_list_of_terms",
        NB,
        "ex-loss",
        _LOSS,
        """\
    losses = [(1 - score * yi).relu() for score, yi in zip(scores, ys)]
    data_loss = sum(losses, Value(0.0)) / len(losses)
    return data_loss + sum((alpha * p**2 for p in parameters), Value(0.0))
""",
        "a list of margin terms, alpha inside the sum",
    ),
    Alternative(
        "loss_indexed",
        NB,
        "ex-loss",
        _LOSS,
        """\
    n = len(scores)
    margins = [(1 - ys[i] * scores[i]).relu() for i in range(n)]
    reg = sum(p * p for p in parameters)
    return sum(margins) * (1 / n) + reg * alpha
""",
        "indexing, the int label on the left of the product",
    ),
    # --- 3. accuracy ---
    Alternative(
        "accuracy_numpy_mean",
        NB,
        "ex-accuracy",
        _ACCURACY,
        """\
    import numpy as np

    return np.mean([(yi > 0) == (score.data > 0) for yi, score in zip(ys, scores)])
""",
        "np.mean of booleans: a numpy float, also in train's history and its plot",
    ),
    Alternative(
        "accuracy_loop_predictions",
        NB,
        "ex-accuracy",
        _ACCURACY,
        """\
    correct = 0
    for score, label in zip(scores, ys):
        prediction = 1 if score.data > 0 else -1
        if prediction == label:
            correct += 1
    return correct / len(scores)
""",
        "the prediction as ±1, compared with the label in a loop",
    ),
    Alternative(
        "accuracy_generator_float_division",
        NB,
        "ex-accuracy",
        _ACCURACY,
        "    right = sum(1 for s, t in zip(scores, ys) if (s.data > 0) == (t == 1))\n"
        "    return right / float(len(ys))\n",
        "a filtered generator, label == 1, float(len(ys))",
    ),
    # --- 4. one training step ---
    Alternative(
        "step_inline_zero_and_float",
        NB,
        "ex-train-step",
        _STEP,
        """\
    scores = list(map(model, X))
    total = loss_fn(scores, y, model.parameters())
    for p in model.parameters():
        p.grad = 0.0
    total.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return float(total.data), accuracy(scores, y)
""",
        "map, zeroing inline, -=, float(loss.data)",
    ),
    Alternative(
        "step_parameters_once",
        NB,
        "ex-train-step",
        _STEP,
        """\
    params = model.parameters()
    scores = [model(x) for x in X]
    loss = loss_fn(scores, y, params)
    for p in params:
        p.grad = 0
    loss.backward()
    for p in params:
        p.data = p.data - lr * p.grad
    return (loss.data, float(accuracy(scores, y)))
""",
        "the parameters listed once, int 0, data reassigned",
    ),
    Alternative(
        "step_accuracy_first_alpha_keyword",
        NB,
        "ex-train-step",
        _STEP,
        """\
    scores = [model(point) for point in X]
    acc = accuracy(scores, y)
    loss = loss_fn(scores, y, model.parameters(), alpha=1e-4)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data += -1 * lr * p.grad
    return loss.data, acc
""",
        "accuracy before the loss, alpha given by keyword",
    ),
    # --- 5. training with a decaying learning rate ---
    Alternative(
        "train_result_indexed",
        NB,
        "ex-train",
        _TRAIN,
        """\
        learning_rate = 1 - 0.9 * (k / steps)
        result = train_step(model, X, y, learning_rate)
        losses.append(result[0])
        accuracies.append(result[1])
""",
        "another name for lr, the pair indexed",
    ),
    Alternative(
        "train_rate_from_the_end",
        NB,
        "ex-train",
        _TRAIN,
        """\
        lr = 0.1 + 0.9 * (steps - k) / steps
        loss, acc = train_step(model, X, y, lr=lr)
        losses += [float(loss)]
        accuracies += [float(acc)]
""",
        "the same rate written from its end, += on lists, float()",
    ),
    Alternative(
        "train_rate_inline",
        NB,
        "ex-train",
        _TRAIN,
        """\
        loss, acc = train_step(model, X, y, 1.0 - 0.9 * k / steps)
        losses.append(loss)
        accuracies.append(acc)
""",
        "the rate computed in the call",
    ),
]
