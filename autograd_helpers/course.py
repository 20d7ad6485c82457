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


# The lecture this course follows, and its chapters as the video's description lists them.
LECTURE_VIDEO = "VMj-3S1tku0"
LECTURE_TITLE = "The spelled-out intro to neural networks and backpropagation: building micrograd"
CHAPTERS = {
    "00:00:25": "micrograd overview",
    "00:08:08": "derivative of a simple function with one input",
    "00:14:12": "derivative of a function with multiple inputs",
    "00:19:09": "the core Value object and its visualization",
    "00:32:10": "manual backpropagation example #1: simple expression",
    "00:51:10": "preview of a single optimization step",
    "00:52:52": "manual backpropagation example #2: a neuron",
    "01:09:02": "the backward function for each operation",
    "01:17:32": "the backward function for a whole expression graph",
    "01:22:28": "fixing a backprop bug when one node is used multiple times",
    "01:27:05": "breaking up a tanh, more operations",
    "01:39:31": "the same thing in PyTorch",
    "01:43:55": "building a neural net library (MLP)",
    "01:51:04": "a tiny dataset and the loss function",
    "01:57:56": "collecting the parameters",
    "02:01:12": "gradient descent, training the network",
    "02:14:03": "summary",
    "02:16:46": "walkthrough of micrograd on GitHub",
    "02:21:10": "PyTorch's tanh backward",
}
# Where a notebook's section follows a chapter: (notebook, markdown cell id, chapter).
# `make notebooks` stamps a link under the section's heading that opens the video there.
LECTURE_LINKS = [
    ("00_setup", "md-10", "00:08:08"),
    ("00_setup", "md-18", "00:14:12"),
    ("01_value", "md-02", "00:19:09"),
    ("02_visualization", "md-06", "00:19:09"),
    ("02_visualization", "md-18", "00:32:10"),
    ("03_backward", "md-04", "00:32:10"),
    ("03_backward", "md-11", "00:51:10"),
    ("03_backward", "md-14", "01:09:02"),
    ("03_backward", "md-23", "01:17:32"),
    ("03_backward", "md-33", "01:22:28"),
    ("04_operations", "md-04", "01:27:05"),
    ("04_operations", "md-36", "01:27:05"),
    ("05_neuron", "md-04", "00:52:52"),
    ("05_neuron", "md-24", "01:39:31"),
    ("06_mlp", "md-03", "01:43:55"),
    ("06_mlp", "md-14", "01:57:56"),
    ("06_mlp", "md-19", "01:51:04"),
    ("07_training", "md-05", "01:51:04"),
    ("07_training", "md-14", "02:01:12"),
    ("08_bonus_moons", "md-03", "02:16:46"),
    ("09_bonus_exercises", "md-01", "02:14:03"),
    ("09_bonus_exercises", "md-31", "02:21:10"),
]


def lecture_url(time: str) -> str:
    """The lecture video, opened at ``time`` ("01:09:02")."""
    hours, minutes, seconds = (int(x) for x in time.split(":"))
    return f"https://youtu.be/{LECTURE_VIDEO}?t={3600 * hours + 60 * minutes + seconds}"


def lecture_link(time: str) -> str:
    """Markdown of one lecture link, as stamped under a section's heading."""
    return f"▶ Lecture: [{time} · {CHAPTERS[time]}]({lecture_url(time)})"


def colab_url(path: str) -> str:
    """Address that opens a notebook of the course on Colab."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{REF}/{path}"


def binder_url(path: str) -> str:
    """Address that opens a notebook of the course in JupyterLab on Binder."""
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{REF}?urlpath=lab/tree/{path}"


def pages_url() -> str:
    """The repository's GitHub Pages address, where the course's JupyterLite site is published
    (``.github/workflows/pages.yml`` builds it with ``make lite``)."""
    owner, name = (part.lower() for part in REPOSITORY.split("/"))
    if name == f"{owner}.github.io":  # a user or organisation site is served at the root
        return f"https://{name}/"
    return f"https://{owner}.github.io/{name}/"


def lite_url(path: str) -> str:
    """Address that opens a learner notebook (``notebooks/NN_name.ipynb``) in JupyterLite:
    JupyterLab and Python running in the browser, nothing to install.

    The site holds the learner notebooks only, at the root of its files.
    """
    folder, _, file = path.rpartition("/")
    if folder != "notebooks" or not file.endswith(".ipynb"):
        raise ValueError(f"only the learner notebooks (notebooks/*.ipynb) are on the site: {path}")
    return f"{pages_url()}lab/index.html?path={file}"


def pip_requirement() -> str:
    """What Colab's setup cell installs: the course at REF."""
    return f"{DISTRIBUTION} @ git+https://github.com/{REPOSITORY}@{REF}"


def nbgitpuller_url(
    hub: str, path: str = "notebooks/00_setup.ipynb", interface: str = "lab"
) -> str:
    """A JupyterHub link that copies the course into the learner's home (nbgitpuller) and
    opens ``path`` in JupyterLab (``interface="lab"``) or Notebook 7 (``"notebook"``).

    ``hub`` is the hub's address, e.g. ``https://hub.example.edu``; the hub needs the
    ``nbgitpuller`` package installed.
    """
    from urllib.parse import quote, urlencode

    folder = REPOSITORY.split("/")[-1]  # nbgitpuller clones into a folder named as the repo
    target = f"{folder}/{path}"
    urlpath = f"lab/tree/{target}" if interface == "lab" else f"notebooks/{target}"
    query = urlencode(
        {"repo": f"https://github.com/{REPOSITORY}", "branch": REF, "urlpath": urlpath},
        quote_via=quote,
        safe="",
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
