"""The lemmas prove under their hypotheses, and a wrong premise makes the corresponding lemma fail."""

import dataclasses

import pytest
import sympy as sp

from proofs.capacity_lemmas import CAPACITY_SHAPE, DENSITY_SHIFT
from proofs.catalogue import ALL, NAMES, by_name, check_all
from proofs.invariance_lemmas import EXPONENT_UNIQUENESS, QUADRATIC_INVARIANCE
from proofs.l1_lemma import DENSITY_SHIFT_L1
from proofs.lemma import EVIDENCE, FAILED, PROVED, weakest
from proofs.shape_lemmas import FEATURE_SCALING, NEURON_SCALING, PARAMETER_INVARIANCE
from proofs.tactics import evidence, identity
from proofs.theorem import THEOREM
from theory.capacity import f_note_printed
from theory.model_table import ROWS, derive_model_table


def cubic_parameter_count(d_model, n_layer, *ratios):
    """A wrong premise: parameters proportional to d_model**3 n_layer."""
    return d_model**3 * n_layer


def table_with_wrong_cell(key):
    """The derived table with Model B's cell of row ``key`` doubled."""
    table = derive_model_table()
    rows = tuple(dataclasses.replace(row, model_b=2 * row.model_b) if row.key == key else row for row in table.rows)
    return dataclasses.replace(table, rows=rows)


@pytest.mark.parametrize("name", [name for name in NAMES if name != DENSITY_SHIFT_L1.name])
def test_each_lemma_proves_under_its_hypotheses(name):
    result = by_name(name).check()
    assert result.status == PROVED, [(step.description, step.detail) for step in result.steps if step.status != PROVED]
    assert result.steps and all(step.status == PROVED for step in result.steps)


def test_the_catalogue_follows_the_argument_and_ends_with_the_theorem():
    assert NAMES[-1] == "theorem" and len(set(NAMES)) == len(NAMES) == 11
    assert [result.lemma.name for result in check_all(("cylinder", "theorem"))] == ["cylinder", "theorem"]


@pytest.mark.parametrize("lemma", [PARAMETER_INVARIANCE, EXPONENT_UNIQUENESS, THEOREM], ids=lambda lemma: lemma.name)
def test_parameters_proportional_to_d_cubed_fail(lemma):
    assert lemma.check(parameter_count=cubic_parameter_count).status == FAILED


def test_capacity_exponent_one_fails_the_m_squared_lemma():
    result = QUADRATIC_INVARIANCE.check(exponent=1)
    assert result.status == FAILED
    assert "(1 - k)/k" in result.steps[0].detail


@pytest.mark.parametrize("key", [key for key, _ in ROWS])
def test_a_wrong_table_entry_fails_a_shape_lemma(key):
    table = table_with_wrong_cell(key)
    statuses = {lemma.name: lemma.check(table=table).status
                for lemma in (PARAMETER_INVARIANCE, NEURON_SCALING, FEATURE_SCALING)}
    assert FAILED in statuses.values(), statuses
    assert THEOREM.check(table=table).status == FAILED


@pytest.mark.parametrize("lemma", [CAPACITY_SHAPE, DENSITY_SHIFT, THEOREM], ids=lambda lemma: lemma.name)
def test_the_printed_sign_of_f_fails(lemma):
    assert lemma.check(f=f_note_printed).status == FAILED


def test_the_printed_sign_fails_where_expected():
    failed = [step.description for step in CAPACITY_SHAPE.check(f=f_note_printed).steps if step.status == FAILED]
    assert any("f'(p) < 0 on the sparse branch" in description for description in failed)
    assert any("f(p) > 0" in description for description in failed)


def test_density_shift_carries_the_lambert_w_closed_form():
    result = DENSITY_SHIFT.check()
    (closed_form,) = [claim for claim in result.statement if claim.relation == "<"]
    assert closed_form.lhs.atoms(sp.LambertW) and closed_form.lhs.atoms(sp.LambertW).pop().args[1] == -1
    assert any("W(c) e^{W(c)} = c" in step.description and step.status == PROVED for step in result.steps)


def test_the_l1_density_shift_is_numerical_evidence_not_proved():
    result = DENSITY_SHIFT_L1.check()
    assert result.status == EVIDENCE and {step.status for step in result.steps} == {EVIDENCE}


def test_an_increasing_capacity_fails_the_l1_lemma():
    def increasing(density, function):
        return 1 + density

    assert DENSITY_SHIFT_L1.check(capacity_ratio=increasing).status == FAILED


def test_a_derivation_that_raises_is_a_failure_not_a_crash():
    result = NEURON_SCALING.check(table="not a table")
    assert result.status == FAILED and "raised" in result.steps[0].detail


def test_unknown_premise_is_refused():
    with pytest.raises(TypeError, match="no premise"):
        PARAMETER_INVARIANCE.check(capacity=1)


def test_a_default_premise_given_explicitly_reuses_the_cached_result():
    assert CAPACITY_SHAPE.check(f=CAPACITY_SHAPE.prove.__defaults__[0]) is CAPACITY_SHAPE.check()


def test_a_chart_that_does_not_cover_the_interval_fails_the_sign_step():
    from proofs.capacity_lemmas import SPARSE_BRANCH, p
    from proofs.tactics import sign

    t = sp.Symbol("t", positive=True)
    step = sign("f' < 0", sp.diff(-1 / (p * sp.log(p)), p), "negative", {p: sp.exp(-t)}, {p: SPARSE_BRANCH})
    assert step.status == FAILED and "does not cover" in step.detail


def test_numerical_evidence_is_never_proved():
    x = sp.Symbol("x", positive=True)
    steps = [identity("square", (x + 1)**2, x**2 + 2 * x + 1), evidence("sampled", True, "at 3 points")]
    assert steps[1].status == EVIDENCE and weakest(step.status for step in steps) == EVIDENCE
    assert evidence("sampled", False, "at 3 points").status == FAILED


def test_every_lemma_states_something_and_names_its_premises():
    for lemma in ALL:
        result = lemma.check()
        assert lemma.premises, lemma.name
        assert result.statement or lemma.formal or lemma is DENSITY_SHIFT_L1, lemma.name
        assert result.to_dict()["steps"]
