r"""The note's theorem, checked by Z3: shape-invariant scaling laws, linear superposition and universality contradict.

Premises (Katta 2024), as formulas over the reals (:func:`premises`), with Model A = (m_A neurons per layer, L_A
layers, F_A features) and Model B likewise, f(p) the capacity per neuron at density p (uninterpreted: only
f > 0 on (0, 1) is used, which ``capacity-shape`` proves):

* (S) scaling laws: the two models have equal parameters, so equal predicted loss. L_B and m_B are the cells of the
  table derived in :mod:`theory.model_table` from the parameter count (n_layer / k^2 and k d_model for Kaplan's N),
  passed in, not retyped;
* (P) linear superposition at capacity: features per layer = m f(p_A) for Model A, <= m f(p_B) for Model B;
* (U) universality: both learn the same features, F_B = F_A (the table's feature row);
* (D) sparsity is a property of the data: p_B = p_A, so f(p_B) = f(p_A).

For k > 1 Z3 answers unsat: the four cannot all hold. Dropping any one of them, Z3 finds a model (printed as a
counterexample), so each premise is necessary; with features per layer = m^2 f(p) in place of (P), the note's way
out, Z3 finds a model too. The theorem's status is Z3's verdict combined with the lemmas that supply its derived
facts (the table's cells, f > 0).

>>> THEOREM.check().status
'proved (SMT)'
"""

import sympy as sp

from proofs.capacity_lemmas import CAPACITY_SHAPE
from proofs.invariance_lemmas import EXPONENT_UNIQUENESS, QUADRATIC_INVARIANCE
from proofs.lemma import PROVED_SMT, Lemma
from proofs.scaling_lemma import SCALING_LAWS
from proofs.shape_lemmas import FEATURE_SCALING, NEURON_SCALING, PARAMETER_INVARIANCE, symbolic_table
from proofs.smt import sat, unsat
from proofs.tactics import inference
from theory import capacity, shapes, total_capacity
from theory.symbols import F, d_model, k, n_layer

#: Model A's and Model B's layers, neurons per layer, features and densities (plain reals: Z3 gets every
#: assumption as a premise), and the capacity per neuron, an uninterpreted function.
L_A, L_B, m_A, m_B, F_A, F_B, p_A, p_B = sp.symbols("L_A L_B m_A m_B F_A F_B p_A p_B")
f = sp.Function("f")
#: The premise names, in the order of the note.
PREMISES = ("(S)", "(P)", "(U)", "(D)")
#: What a counterexample reports.
SHOWN = (k, d_model, n_layer, F, L_A, L_B, m_A, m_B, F_A, F_B, p_A, p_B, f(p_A), f(p_B))


def _positive(*terms):
    return [sp.Gt(term, 0, evaluate=False) for term in terms]


def background() -> dict:
    """What every query assumes: k > 1, positive sizes, densities in (0, 1), and f > 0 there (capacity-shape)."""
    return {
        "k > 1": sp.Gt(k, 1, evaluate=False),
        "positive sizes": _positive(d_model, n_layer, F, L_A, L_B, m_A, m_B, F_A, F_B),
        "densities in (0, 1)": [*_positive(p_A, p_B), sp.Lt(p_A, 1, evaluate=False), sp.Lt(p_B, 1, evaluate=False)],
        "f > 0 on (0, 1) (capacity-shape)": _positive(f(p_A), f(p_B)),
    }


def premises(table, exponent=total_capacity.EXPONENTS["linear"]) -> dict:
    """(S), (P), (U), (D) as SymPy relations; (P) with per-layer capacity m**exponent f(p) (1: linear)."""
    layers, width, features = table.row("layers"), table.row("neurons_per_layer"), table.row("total_features")
    capacity_of = total_capacity.per_layer_capacity
    superposition = "linear superposition" if exponent == 1 else f"superposition with capacity m^{exponent} f(p)"
    return {
        "(S) equal parameters (table derived from N)": [
            sp.Eq(L_A, layers.model_a), sp.Eq(L_B, layers.model_b),
            sp.Eq(m_A, width.model_a), sp.Eq(m_B, width.model_b)],
        f"(P) {superposition} at capacity": [
            sp.Eq(F_A / L_A, capacity_of(m_A, exponent, f(p_A))),
            sp.Le(F_B / L_B, capacity_of(m_B, exponent, f(p_B)))],
        "(U) universality: the same features": [sp.Eq(F_A, features.model_a), sp.Eq(F_B, features.model_b)],
        "(D) sparsity is a property of the data": [sp.Eq(p_B, p_A)],
    }


def prove_theorem(f=capacity.f_note, parameter_count=shapes.parameter_count, table=None):
    table = symbolic_table(parameter_count) if table is None else table
    shape = CAPACITY_SHAPE.check(f=f)
    lemmas = {
        "parameter-invariance (L_B, m_B)": PARAMETER_INVARIANCE.check(parameter_count=parameter_count, table=table),
        "neuron-scaling": NEURON_SCALING.check(parameter_count=parameter_count, table=table),
        "feature-scaling (F_B = F_A)": FEATURE_SCALING.check(parameter_count=parameter_count, table=table),
        "scaling-laws (equal N, equal loss)": SCALING_LAWS.check(parameter_count=parameter_count),
        "capacity-shape (f > 0)": shape,
    }
    linear = premises(table)
    steps = [unsat("(S), (P), (U) and (D) together are unsatisfiable for every k > 1", {**background(), **linear},
                   cited=lemmas, conclusion=True)]
    for dropped in linear:
        kept = {label: formulas for label, formulas in linear.items() if label != dropped}
        steps.append(sat(f"without {dropped.split(' ', 1)[0]} the rest is satisfiable: {dropped.split(' ', 1)[0]} "
                         "is necessary (counterexample)", {**background(), **kept}, shown=SHOWN))
    quadratic = premises(table, total_capacity.EXPONENTS["quadratic"])
    steps += [
        sat("the way out: with capacity m^2 f(p) per layer in place of (P), (S), (U) and (D) are satisfiable",
            {**background(), **quadratic}, shown=SHOWN, cited={"capacity-shape (f > 0)": shape}, conclusion=True),
        inference("and only the exponent beta of N (= 2) is shape-invariant",
                  {"quadratic-invariance": QUADRATIC_INVARIANCE.check(parameter_count=parameter_count),
                   "exponent-uniqueness": EXPONENT_UNIQUENESS.check(parameter_count=parameter_count)}),
    ]
    return steps


THEOREM = Lemma(
    "theorem", "Superposition as a complete theory and universality contradict shape-invariant scaling laws",
    (sp.Gt(k, 1),), prove_theorem,
    summary="(S) equal parameters (loss depends on N only), (P) n = m f(p) per layer at capacity, (U) same F, "
            "(D) same p: for k > 1 not all four hold, each is necessary, and capacity m^2 f(p) is the way out.",
    formal=r"\text{(S)} \wedge \text{(P)} \wedge \text{(U)} \wedge \text{(D)} \;\Longrightarrow\; \bot "
           r"\qquad\text{for every width factor } k > 1",
    evidence=PROVED_SMT,
)
