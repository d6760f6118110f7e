"""Z3 decides the theorem: unsat with all four premises, a model (checked by SymPy) without any one, the m^2 way out."""

import pytest
import sympy as sp

from proofs import theorem
from proofs.capacity_lemmas import DENSITY_SHIFT
from proofs.lemma import FAILED, PROVED_SMT
from proofs.smt import ForAll, ask, sat, to_z3, unsat
from theory.model_table import derive_model_table
from theory.symbols import k, n_layer

x, y = sp.symbols("x y")


def test_a_rational_power_becomes_a_positive_root():
    root_of_two = sp.Symbol("r")
    premises = {"r = 2^(1/2)": sp.Eq(root_of_two, sp.Integer(2)**sp.Rational(1, 2), evaluate=False)}
    assert unsat("r^2 = 2", {**premises, "r^2 != 2": sp.Ne(root_of_two**2, 2)}).status == PROVED_SMT
    assert sat("r exists", premises, shown=(root_of_two,)).smt.model == (("r", "r", "1.414213?"),)


def test_a_universal_axiom_is_used_and_its_absence_is_noticed():
    f = sp.Function("f")
    decreasing = ForAll((x, y), sp.Implies(sp.Lt(x, y), sp.Gt(f(x), f(y))))
    rest = {"f(1) >= f(0)": sp.Ge(f(1), f(0))}
    assert str(ask({"decreasing": decreasing, **rest})[0]) == "unsat"
    assert str(ask(rest)[0]) == "sat"


def test_an_unconvertible_formula_is_refused():
    with pytest.raises(TypeError, match="no Z3 form"):
        to_z3(sp.sin(x) > 0)


def test_the_premises_read_the_derived_table_not_retyped_cells():
    premises = theorem.premises(derive_model_table())
    equal_parameters = next(value for label, value in premises.items() if label.startswith("(S)"))
    assert sp.Eq(theorem.L_B, n_layer / k**2) in equal_parameters
    cubic = theorem.premises(derive_model_table(parameter_count=lambda d, n: d**3 * n))
    assert sp.Eq(theorem.L_B, n_layer / k**3) in next(value for label, value in cubic.items() if label.startswith("(S)"))


def test_z3_answers_unsat_for_the_four_premises():
    (main, *_) = theorem.THEOREM.check().steps
    assert main.status == PROVED_SMT and main.smt.verdict == "unsat"
    assert [label.split()[0] for label, _, _ in main.smt.premises if label.startswith("(")] == \
        ["(S)"] * 4 + ["(P)"] * 2 + ["(U)"] * 2 + ["(D)"]


def _holds(formula, values) -> bool:
    return bool(sp.simplify(formula.subs(values)))


@pytest.mark.parametrize("dropped", theorem.PREMISES + ("m^2",))
def test_without_any_one_premise_z3_gives_a_model_that_satisfies_the_rest(dropped):
    steps = [step for step in theorem.THEOREM.check().steps if step.smt is not None and step.smt.verdict == "sat"]
    step = next(step for step in steps if (f"without {dropped}" in step.description) or
                (dropped == "m^2" and "m^2" in step.description))
    assert step.status == PROVED_SMT
    model = {name: sp.Rational(value) for name, _, value in step.smt.model}
    values = {term: model[sp.sstr(term)] for term in theorem.SHOWN if term.is_Function}
    values.update({term: model[sp.sstr(term)] for term in theorem.SHOWN if not term.is_Function})
    table = derive_model_table()
    kept = theorem.premises(table, 2) if dropped == "m^2" else \
        {label: formulas for label, formulas in theorem.premises(table).items() if not label.startswith(dropped)}
    for formulas in [*theorem.background().values(), *kept.values()]:
        for formula in formulas if isinstance(formulas, list) else [formulas]:
            assert _holds(formula, values), (dropped, formula)


def test_density_shift_gets_p_b_below_p_a_from_monotonicity_by_z3():
    (step,) = [step for step in DENSITY_SHIFT.check().steps if step.smt is not None]
    assert step.status == PROVED_SMT and step.smt.verdict == "unsat"
    assert any("strictly decreasing" in label and "forall" in text for label, _, text in step.smt.premises)


def test_the_printed_f_fails_the_z3_steps_through_capacity_shape():
    from theory.capacity import f_note_printed

    (main, *_) = theorem.THEOREM.check(f=f_note_printed).steps
    assert main.smt.verdict == "unsat" and main.status == FAILED and "capacity-shape" in main.detail
