"""The course's one place for where it lives and what it contains.

Forking the course? Change REPOSITORY (and REF, the branch or tag learners get),
then run ``make notebooks``: every badge, link and Colab setup cell follows.
"""

REPOSITORY = "micrograd-from-zero/micrograd-from-zero"  # GitHub owner/name
REF = "main"  # branch or tag that Colab installs and badges open
DISTRIBUTION = "micrograd-from-zero"  # the name in pyproject.toml

# Every notebook of the course, in order: (file stem, what the learner builds).
NOTEBOOKS = [
    ("00_setup", "environment check, how check cells work, numerical derivatives"),
    ("01_value", "the Value class: data, children, op, +, *"),
    ("02_visualization", "trace and draw_dot: see the computation graph"),
    ("03_backward", "gradients by hand, _backward closures, topological sort"),
    ("04_operations", "constants, neg, sub, pow, div, exp, tanh"),
    ("05_neuron", "a neuron, tanh from exp, gradient check, PyTorch"),
    ("06_mlp", "Neuron, Layer, MLP"),
    ("07_training", "loss, gradient descent, a training loop"),
    ("08_bonus_moons", "micrograd's moons demo: ReLU, max-margin loss, decay"),
    ("09_bonus_exercises", "derivatives, log, softmax and negative log-likelihood"),
]


def github_url(path: str = "") -> str:
    """Address of a file of the course on GitHub at REF."""
    return f"https://github.com/{REPOSITORY}/blob/{REF}/{path}"


def colab_url(path: str) -> str:
    """Address that opens a notebook of the course on Colab."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{REF}/{path}"


def binder_url(path: str) -> str:
    """Address that opens a notebook of the course in JupyterLab on Binder."""
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{REF}?urlpath=lab/tree/{path}"


def pip_requirement() -> str:
    """What Colab's setup cell installs: the course at REF."""
    return f"{DISTRIBUTION} @ git+https://github.com/{REPOSITORY}@{REF}"
