"""The lemmas prove under their hypotheses, and a wrong premise makes the corresponding lemma fail."""

import dataclasses
import importlib
import pathlib

import pytest
import sympy as sp

import proofs
from proofs.capacity_lemmas import CAPACITY_SHAPE, DENSITY_SHIFT
from proofs.catalogue import ALL, NAMES, by_name, check_all
from proofs.invariance_lemmas import EXPONENT_UNIQUENESS, QUADRATIC_INVARIANCE
from proofs.l1_lemma import DENSITY_SHIFT_L1
from proofs.lemma import CITED, DEFINITION, EVIDENCE, FAILED, PROVED_SMT, PROVED_SYMBOLIC, Lemma, weakest
from proofs.shape_lemmas import FEATURE_SCALING, NEURON_SCALING, PARAMETER_INVARIANCE
from proofs.tactics import evidence, identity
from proofs.theorem import THEOREM
from theory.capacity import f_note_printed
from theory.model_table import ROWS, derive_model_table
from theory.symbols import k, n_layer


def table_with_wrong_cell(key, model_b=None):
    """The derived table with Model B's cell of row ``key`` replaced (doubled by default), its ratio to match."""
    table = derive_model_table()
    rows = tuple(dataclasses.replace(row, model_b=2 * row.model_b if model_b is None else model_b,
                                     ratio=(2 * row.model_b if model_b is None else model_b) / row.model_a)
                 if row.key == key else row for row in table.rows)
    return dataclasses.replace(table, rows=rows)


@pytest.mark.parametrize("name", NAMES)
def test_no_step_fails_under_the_hypotheses(name):
    result = by_name(name).check()
    assert all(step.status != FAILED for step in result.steps), [step.detail for step in result.steps]


def test_the_statuses_are_as_strong_as_their_evidence():
    """Each lemma's computed status is exactly the evidence it claims; only these three claim less than a symbolic
    proof (a new lemma declares its own ``evidence`` beside its definition)."""
    statuses = {result.lemma.name: result.status for result in check_all()}
    assert statuses == {name: by_name(name).evidence for name in NAMES}
    assert (DENSITY_SHIFT.evidence, DENSITY_SHIFT_L1.evidence, THEOREM.evidence) == (CITED, EVIDENCE, PROVED_SMT)
    assert CAPACITY_SHAPE.evidence == EXPONENT_UNIQUENESS.evidence == PARAMETER_INVARIANCE.evidence == PROVED_SYMBOLIC


def test_no_step_that_restates_a_premise_or_a_definition_is_proved():
    restating = {
        "parameter-invariance": ["parameters cell of Model A", "parameters cell of Model B", "ratio is 1 by construction"],
        "neuron-scaling": ["cell of Model", "Model B is k times wider", "ratio column"],
        "feature-scaling": ["universality (a hypothesis)", "cell of Model", "ratio column"],
        "scaling-laws": ["predicted loss equals Model A's", "det d(L, N)"],
    }
    for name, fragments in restating.items():
        steps = by_name(name).check().steps
        for fragment in fragments:
            matching = [step for step in steps if fragment in step.description]
            assert matching and all(step.status == DEFINITION for step in matching), (name, fragment)


def test_the_lambert_branch_is_cited_with_its_reference():
    (step,) = [step for step in DENSITY_SHIFT.check().steps if step.description.startswith("W_{-1}(c) <= -1")]
    assert step.status == CITED and "Corless et al. 1996" in step.detail


def test_the_catalogue_follows_the_argument_and_ends_with_the_theorem():
    defined = {id(value) for path in pathlib.Path(proofs.__file__).parent.glob("*.py")
               for value in vars(importlib.import_module(f"proofs.{path.stem}")).values() if isinstance(value, Lemma)}
    assert defined == {id(lemma) for lemma in ALL}  # every lemma defined in proofs/ is catalogued, once
    assert NAMES[-1] == "theorem" and len(set(NAMES)) == len(NAMES)
    assert [result.lemma.name for result in check_all(("cylinder", "theorem"))] == ["cylinder", "theorem"]


def cubic_count(d_model, n_layer):
    """A wrong premise: parameters proportional to d_model**3 n_layer."""
    return d_model**3 * n_layer


def layer_heavy_count(d_model, n_layer):
    """A wrong premise: parameters proportional to d_model n_layer**2."""
    return d_model * n_layer**2


def kaplan_with_18(d_model, n_layer):
    """Another constant, 18 L d**2: only the exponents matter, so nothing may change."""
    return 18 * d_model**2 * n_layer


SHAPE_DEPENDENT = {"parameter-invariance", "neuron-scaling", "feature-scaling", "density-shift",
                   "quadratic-invariance", "exponent-uniqueness", "cylinder", "theorem"}
#: Wrong premise -> exactly the lemmas that must fail under it. scaling-laws survives every count: any L(N) is
#: shape-invariant at equal N, which is why its invariance steps are only "by definition".
MUTATIONS = {
    "N ~ d^3 L": ({"parameter_count": cubic_count}, SHAPE_DEPENDENT),
    "N ~ d L^2": ({"parameter_count": layer_heavy_count}, SHAPE_DEPENDENT),
    "width factor on the layers": ({"table": table_with_wrong_cell("layers", k * n_layer)},
                                   {"parameter-invariance", "neuron-scaling", "feature-scaling", "cylinder", "theorem"}),
    "F_B = 2 F_A": ({"table": table_with_wrong_cell("total_features")}, {"feature-scaling", "theorem"}),
    "printed f = 1/(p ln p)": ({"capacity": "printed"}, {"capacity-shape", "density-shift", "theorem"}),
    "N = 18 L d^2": ({"parameter_count": kaplan_with_18}, set()),
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_wrong_premise_fails_exactly_the_lemmas_that_use_it(mutation):
    premises, expected = MUTATIONS[mutation]
    failed = {result.lemma.name for result in check_all(**premises) if result.status == FAILED}
    assert failed == expected


def test_with_n_proportional_to_d_l_squared_z3_finds_no_contradiction():
    (step, *_) = THEOREM.check(parameter_count=layer_heavy_count).steps
    assert step.status == FAILED and step.smt.verdict == "sat"


def test_with_n_proportional_to_d_cubed_l_the_m_squared_variant_is_no_way_out():
    (way_out,) = [step for step in THEOREM.check(parameter_count=cubic_count).steps if "way out" in step.description
                  and step.smt is not None]
    assert way_out.status == FAILED and way_out.smt.verdict == "unsat"


def test_the_width_factor_on_the_layers_makes_the_premises_consistent():
    (step, *_) = THEOREM.check(table=table_with_wrong_cell("layers", k * n_layer)).steps
    assert step.status == FAILED and step.smt.verdict == "sat"


def test_capacity_exponent_one_fails_the_m_squared_lemma():
    result = QUADRATIC_INVARIANCE.check(exponent=1)
    assert result.status == FAILED
    assert "(1 - k)/k" in result.steps[0].detail


@pytest.mark.parametrize("key", [key for key, _ in ROWS])
def test_a_wrong_table_entry_fails_a_shape_lemma_and_the_theorem(key):
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
    assert any("W(c) e^{W(c)} = c" in step.description and step.status == PROVED_SYMBOLIC for step in result.steps)


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
    assert weakest([DEFINITION, PROVED_SMT, PROVED_SYMBOLIC]) == PROVED_SMT and weakest([DEFINITION]) == DEFINITION
    assert evidence("sampled", False, "at 3 points").status == FAILED


def test_every_lemma_states_something_and_names_its_premises():
    for lemma in ALL:
        result = lemma.check()
        assert lemma.premises, lemma.name
        assert result.statement or lemma.formal or lemma is DENSITY_SHIFT_L1, lemma.name
        assert result.to_dict()["steps"]
