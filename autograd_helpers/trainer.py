"""Gradient descent on a small network, with no drawing at all (notebook 07).

:class:`Trainer` holds one training run: the model, the data, the learning rate and
the losses so far. The training dashboard (:mod:`autograd_helpers.widgets`) only
draws what a Trainer computes, so tests drive the same object without a browser:

    >>> trainer = Trainer(lambda: MLP(3, [4, 4, 1]), xs, ys, lr=0.05, seed=1337)
    >>> trainer.run(20, progress=False)   # 20 steps; returns their 20 losses
    >>> trainer.losses[0]                 # the loss of the initial weights
    >>> trainer.reset()                   # the same initial weights again

Convention, as in notebook 07's ``train``: ``losses[k]`` is the loss measured
*before* update ``k``, so ``losses[0]`` is the loss of the initial weights.
"""

from __future__ import annotations

import contextlib
import random
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from tqdm.auto import tqdm


def _progress_bars_for(platform: str) -> None:
    """Pyodide (JupyterLite) starts no threads: tqdm's bar monitor (a thread) is off there."""
    if platform == "emscripten":
        tqdm.monitor_interval = 0


_progress_bars_for(sys.platform)


class Model(Protocol):
    """What a Trainer trains: called on one example, with ``parameters()`` (notebook 06's MLP)."""

    def __call__(self, x: Sequence[Any]) -> Any: ...

    def parameters(self) -> Iterable[Any]: ...


def sum_squared_error(ys_pred: Sequence[Any], ys_gt: Sequence[float]) -> Any:
    """The loss of notebook 07: the SUM over examples of (prediction - target)**2.

    A sum, not a mean: with the lecture's 4 examples it is 4 times the mean squared
    error, and so are its gradients.
    """
    return sum(((yp - yg) ** 2 for yp, yg in zip(ys_pred, ys_gt)), 0.0)


@contextlib.contextmanager
def seeded(seed: int | None) -> Iterator[None]:
    """Run a block with ``random.seed(seed)``, then give the caller's random state back."""
    if seed is None:
        yield
        return
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def _output(value: Any) -> Any:
    """A model's output for one example: the Value itself when the model has one output."""
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    return value


class Trainer:
    """One training run of ``model_factory()`` on ``(xs, ys)`` by gradient descent (07).

    Every step does what notebook 07's ``train`` does: forward pass on every example,
    ``loss_fn`` (sum of squared errors by default), zero the gradients, backward,
    ``p.data += -lr * p.grad`` for every parameter. ``seed`` (if given) is set before
    ``model_factory`` is called, so :meth:`reset` brings back the same initial weights;
    the caller's random state is left as it was.
    """

    def __init__(
        self,
        model_factory: Callable[[], Model],
        xs: Sequence[Sequence[float]],
        ys: Sequence[float],
        lr: float = 0.05,
        seed: int | None = None,
        loss_fn: Callable[[Sequence[Any], Sequence[float]], Any] = sum_squared_error,
    ) -> None:
        if len(xs) != len(ys):
            raise ValueError(f"{len(xs)} inputs but {len(ys)} targets: give one target per input")
        self.model_factory = model_factory
        self.xs = [list(x) for x in xs]
        self.ys = list(ys)
        self.lr = float(lr)
        self.seed = seed
        self.loss_fn = loss_fn
        self.model: Model
        self.losses: list[float] = []
        self.reset()

    def reset(self) -> None:
        """A fresh model from ``model_factory`` and no losses (the lr is kept)."""
        with seeded(self.seed):
            self.model = self.model_factory()
        self.losses = []

    @property
    def steps_done(self) -> int:
        """How many updates the model has had since the last reset."""
        return len(self.losses)

    def parameters(self) -> list[Any]:
        """The model's parameters (its ``parameters()``)."""
        return list(self.model.parameters())

    def forward(self) -> Any:
        """The loss of the current model on all examples, as a Value (nothing is updated)."""
        return self.loss_fn([_output(self.model(x)) for x in self.xs], self.ys)

    def loss(self) -> float:
        """The current loss as a float, without training."""
        return float(self.forward().data)

    def predictions(self) -> list[float]:
        """The current model's output for every example, as floats."""
        return [float(_output(self.model(x)).data) for x in self.xs]

    def step(self) -> float:
        """One step of gradient descent; returns the loss measured before the update."""
        loss = self.forward()
        params = self.parameters()
        for p in params:
            p.grad = 0.0  # gradients accumulate (+=): start every step from zero
        loss.backward()
        for p in params:
            p.data += -self.lr * p.grad  # downhill: against the gradient
        self.losses.append(float(loss.data))
        return self.losses[-1]

    def run(
        self,
        steps: int,
        progress: bool = True,
        callback: Callable[[int], None] | None = None,
    ) -> list[float]:
        """``steps`` steps of :meth:`step`; returns their losses.

        ``progress`` shows a tqdm progress bar (a widget in Jupyter, text elsewhere);
        ``callback(k)`` is called after the k-th step of this run (k = 1 .. steps).
        """
        if steps < 0:
            raise ValueError(f"steps must be 0 or more, got {steps}")
        start = len(self.losses)
        bar = tqdm(range(steps), desc=f"training (lr={self.lr:g})", disable=not progress)
        for k in bar:
            self.step()
            if callback is not None:
                callback(k + 1)
        return self.losses[start:]
