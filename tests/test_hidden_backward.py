"""The grader's hidden cases of 03_backward, judged as the grader judges them.

Every correct answer (the solved notebook's, and each of tests/alternatives/nb03.py) passes
every hidden case for every seed; every mistake of tests/mistakes/nb03.py that a check with
hidden cases catches fails it in every hidden case too; and an answer replayed from the
notebook's own case fails them. The answers are the solved notebook's cells, executed here
(no kernel); the checks that read the notebook's state (03.manual_grads, 03.nudge,
03.backward_by_hand) have no hidden case.
"""

from __future__ import annotations

import json
import random

import pytest
from alternatives.nb03 import ALTERNATIVES
from hidden_cases import (
    assert_passes,
    assert_replay_fails,
    assert_sound_cases,
    hidden_verdicts,
    judged,
    namespace,
    seeds,
)
from mistakes.nb03 import MISTAKES, NB

from autograd_helpers import probes
from autograd_helpers.checks import backward
from autograd_helpers.checks._core import JUDGES, verdict

CHECKS = [tid for tid, c in JUDGES.items() if tid.startswith("03.") and c.hidden is not None]
SEEDS = seeds(200)


@pytest.fixture(scope="module")
def solved():
    return namespace(NB)


def test_every_check_with_inputs_has_hidden_cases():
    assert set(CHECKS) == {
        "03.numerical_grad", "03.add_backward", "03.mul_backward",
        "03.topo", "03.backward", "03.used_twice",
    }  # fmt: skip
    for tid in CHECKS:
        assert_sound_cases(tid)


def test_the_visible_cases_are_the_notebooks_numbers():
    assert JUDGES["03.add_backward"].visible == {
        "a": 2.0, "b": -3.0, "upstream": -2.0, "start": [0.5, 0.25], "x": 3.0,
    }  # fmt: skip
    assert JUDGES["03.used_twice"].visible == {
        "p": 2.0, "q": -3.0, "x": 3.0, "diamond": {"p": 2.0, "q": -1.0},
    }  # fmt: skip
    seen = JUDGES["03.backward"].visible
    assert seen["leaves"] == {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}
    rng = random.Random(3)  # the 20 random graphs, drawn as the check drew them before
    for spec in seen["graphs"]:
        inputs = [rng.choice([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0]) for _ in range(3)]
        shape, ops = random.Random(rng.random()), []
        for size in range(3, 11):
            i, j = shape.randrange(size), shape.randrange(size)
            ops.append([i, j, shape.choice("+*")])
        assert spec == {"x": inputs, "ops": ops}
    assert len(seen["graphs"]) == 20


@pytest.mark.parametrize("test_id", CHECKS)
def test_the_solved_answer_passes_every_hidden_case(test_id, solved):
    assert_passes([test_id], solved, SEEDS)


def test_the_probe_gives_the_notebooks_leaves_back(solved):
    before = dict(solved["LEAVES"])
    for case in JUDGES["03.numerical_grad"].hidden(random.Random(0)):
        assert judged("03.numerical_grad", case, solved).passed
    assert solved["LEAVES"] == before


@pytest.mark.parametrize("alternative", ALTERNATIVES, ids=lambda a: a.name)
def test_every_alternative_passes_every_hidden_case(alternative):
    assert_passes(CHECKS, namespace(NB, alternative), SEEDS[::10])  # solved: every seed


@pytest.mark.parametrize(
    "mistake", [m for m in MISTAKES if m.test_id in CHECKS], ids=lambda m: m.name
)
def test_every_mistake_fails_every_hidden_case(mistake):
    for seed, case, result in hidden_verdicts(mistake.test_id, namespace(NB, mistake), range(3)):
        assert not result.passed and not result.malformed, (seed, case, result.text)


@pytest.mark.parametrize("test_id", CHECKS)
def test_an_answer_replayed_from_the_notebooks_case_fails_the_hidden_cases(test_id, solved):
    assert_replay_fails(test_id, solved)


def test_an_answer_tuned_to_the_visible_numbers_fails_the_hidden_ones():
    """A _backward for * that gives the notebook's numbers whatever the operands."""
    tuned = next(m for m in MISTAKES if m.name == "mul_backward_swapped")
    tuned = type(tuned)(
        "mul_backward_tuned", NB, tuned.cell, tuned.find,
        "        self.grad += (other.data if self is other else -3.0) * out.grad\n"
        "        other.grad += (self.data if self is other else 2.0) * out.grad",
        "03.mul_backward", "",
    )  # fmt: skip
    tuned_answers = namespace(NB, tuned)
    check = JUDGES["03.mul_backward"]
    results = [judged(check, case, tuned_answers) for case in check.cases(random.Random(0))]
    assert results[0].passed and not any(r.passed for r in results[1:]), results


def test_hidden_leaves_keep_every_slip_apart_from_the_right_grad():
    """In the drawn L examples no wrong value a learner gets equals the right grad, 0, or twice
    it; the drawn graphs are well conditioned."""
    for seed in SEEDS:
        for case in JUDGES["03.backward"].hidden(random.Random(seed)):
            grads, _, slips = backward._l_numbers(case["leaves"])
            assert case["leaves"] != backward.LEAF_VALUES
            for name, x, _ in slips:
                assert min(abs(x - grads[name]), abs(x), abs(x - 2 * grads[name])) >= 0.1
            assert all(backward._conditioned(spec) for spec in case["graphs"])


def test_the_lecture_numbers_give_the_lecture_messages():
    grads, how, slips = backward._l_numbers(backward.LEAF_VALUES)
    assert grads == {"L": 1.0, "f": 4.0, "d": -2.0, "c": -2.0, "e": -2.0, "a": 6.0, "b": -4.0}
    assert how["a"] == "for e = a * b, dL/da = b.data * e.grad = -3.0 * -2.0"
    said = {(n, x): text for n, x, text in slips}
    assert said[("a", -6.0)] == "a sign error: dL/da = b.data * e.grad = -3.0 * -2.0 = +6.0"
    assert said[("f", -4.0)] == "a sign error: dL/df = d.data * L.grad = 4.0 * 1.0 = 4.0"


def test_one_share_of_x_plus_x_is_blamed_only_on_evidence():
    """x + x giving x one share: the message names _prev only when y._backward() wrote x.grad
    once and reads _prev; with no record of x.grad it says what it saw, never "use +="."""
    loop = next(m for m in MISTAKES if m.name == "add_backward_loops_over_prev")
    check = JUDGES["03.add_backward"]
    answer = probes.collect(check.test_id, check.visible, namespace(NB, loop))
    data = json.loads(probes.encode(answer))
    assert data["twice.events"] == [["read", 0.0], ["write", 1.0]]
    for evidence, says in [
        ({}, "goes through out._prev, a set"),
        ({"twice.uses_prev": False}, "update self.grad, then other.grad"),
        ({"twice.prev": 2}, "update self.grad, then other.grad"),
        ({"twice.events": None}, "x received one share (1.0) instead of two"),
        ({"twice.events": [["write", 7.0]] * 3}, "x received one share (1.0) instead of two"),
    ]:
        result = verdict(check, {**data, **evidence}, check.visible)
        assert not result.passed and not result.malformed, result.text
        assert says in result.text and "+=" not in result.text, result.text


def test_a_forged_answer_is_malformed_not_blamed_on_the_learner():
    check = JUDGES["03.topo"]
    forged = {"L": {"graph": {"nodes": ["L"], "children": {}}, "order": [{"node": "L"}]}}
    result = verdict(check, forged, check.visible)
    assert not result.passed and result.malformed, result.text


# --- 03.backward_by_hand reads the cells run since L was built (IPython's, in the kernel) ---

IN_IPYTHON = r"""
import json, sys
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
sys.path.insert(0, "tests")
from mistakes.nb03 import MISTAKES
from notebook_runner import SOLVED, load
from autograd_helpers.probes import MIME


def run(edit, store, ask):
    nb = load(SOLVED / "03_backward.ipynb")
    if edit:
        nb = next(m for m in MISTAKES if m.name == edit).apply(nb)
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance()
    for cell in nb["cells"]:
        tags = cell["metadata"].get("tags", [])
        if cell["cell_type"] != "code" or {"setup", "hidden-test"} & set(tags):
            continue
        with capture_output():
            shell.run_cell(cell["source"], store_history=store)
        if cell["id"] == "ex-by-hand":
            break
    if ask:  # the grader's request, as instructor/grading/rebuild.py writes it
        source = (
            "# the grader asks for the data of check 03.backward_by_hand\n"
            "__import__('autograd_helpers.probes', fromlist=['answer']).answer(\n"
            "    'backward', '03.backward_by_hand', 'n0nce', [{}]\n)"
        )
    else:
        source = "from autograd_helpers import checks\nchecks.backward.backward_by_hand()"
    with capture_output() as seen:
        result = shell.run_cell(source, store_history=store)
    if ask:
        return [o.data[MIME] for o in seen.outputs if MIME in o.data]
    return str(result.error_in_exec or seen.stdout.strip())


print(json.dumps([run(*scenario) for scenario in json.loads(sys.argv[1])]))
"""
SCENARIOS = [  # (mistake, store_history, asked by the grader)
    (None, True, False),
    ("by_hand_grads_typed_in", True, False),
    (None, False, False),
    ("by_hand_grads_typed_in", False, False),
    (None, True, True),
    ("by_hand_grads_typed_in", True, True),
]


@pytest.fixture(scope="module")
def in_ipython() -> dict:
    """What each scenario gives in an IPython shell (in a process of its own: the shell
    takes over __main__)."""
    import subprocess
    import sys

    from notebook_runner import ROOT

    run = subprocess.run(
        [sys.executable, "-c", IN_IPYTHON, json.dumps(SCENARIOS)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(zip(SCENARIOS, json.loads(run.stdout.strip().splitlines()[-1])))


@pytest.mark.slow  # an IPython shell in a process of its own runs notebook 03 six times
@pytest.mark.parametrize("store", [True, False], ids=["In", "linecache"])
def test_backward_by_hand_reads_the_cells_since_L_was_built(store, in_ipython):
    """With ``In`` (Jupyter) or only IPython's cache of sources (nbval's store_history=False)."""
    solved = in_ipython[(None, store, False)]
    assert solved.startswith("✔ 03.backward_by_hand — L.grad = 1.0"), solved
    typed = in_ipython[("by_hand_grads_typed_in", store, False)]
    assert "no cell since L was built calls _backward()" in typed, typed


@pytest.mark.slow  # the same IPython shell
@pytest.mark.parametrize("edit", [None, "by_hand_grads_typed_in"])
def test_backward_by_hand_reads_the_cells_when_the_grader_asks(edit, in_ipython):
    (payload,) = in_ipython[(edit, True, True)]
    answer = json.loads(payload)
    assert answer["nonce"] == "n0nce" and answer["test_id"] == "03.backward_by_hand"
    (data,) = answer["answers"]
    assert len(data["cells"]) == 1, "only the exercise cell: the request is left out"
    result = verdict(JUDGES["03.backward_by_hand"], data, {})
    assert result.passed == (edit is None), result.text
