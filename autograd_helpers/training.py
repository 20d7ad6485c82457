"""The old name of :mod:`autograd_helpers.trainer`, kept so that a notebook 07 saved before
the rename (``from autograd_helpers.training import Trainer``) still runs."""

from autograd_helpers.trainer import Trainer, seeded, sum_squared_error

__all__ = ["Trainer", "seeded", "sum_squared_error"]
