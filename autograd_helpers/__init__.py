"""Everything a learner imports that is not an answer: checks, graphs, gradcheck, plots."""

__version__ = "0.1.0"
