r"""The note's theorem: under shape-invariant scaling laws, linear superposition and universality contradict.

Premises (Katta 2024): (S) scaling laws, loss is a function of N alone; (P) superposition is a complete theory of
feature representation: each layer of m neurons holds n = m f(p) features and a model uses its capacity;
(U) universality: models trained on the same data to the same loss learn the same F features, of the same
density p (a property of the data). For every width factor k > 1, (S), (P) and (U) cannot all hold:

1. Models A and B have equal N (``parameter-invariance``), so equal predicted loss (``scaling-laws``);
2. Model B has 1/k the neurons and k times the features per neuron (``neuron-scaling``, ``feature-scaling``);
3. at capacity it needs f(p_B) = k f(p_A), so p_B < p_A (``density-shift``, using ``capacity-shape``);
4. (U) says p_B = p_A: then (k - 1) f(p_A) = 0, but it is > 0. Contradiction.

The way out the note proposes: capacity m^2 f(p) per layer makes total capacity shape-invariant
(``quadratic-invariance``), and an exponent equal to beta is the only one that does (``exponent-uniqueness``).

>>> THEOREM.check().status
'proved'
"""

import sympy as sp

from proofs.capacity_lemmas import CAPACITY_SHAPE, DENSITY_SHIFT, K_ABOVE_ONE, SPARSE_BRANCH, UNIT, p_a
from proofs.invariance_lemmas import EXPONENT_UNIQUENESS, QUADRATIC_INVARIANCE
from proofs.lemma import Lemma
from proofs.scaling_lemma import SCALING_LAWS
from proofs.shape_lemmas import FEATURE_SCALING, NEURON_SCALING, PARAMETER_INVARIANCE
from proofs.tactics import inference, sign
from theory import capacity, shapes
from theory.symbols import k

t, u = sp.symbols("t u", positive=True)


def prove_theorem(f=capacity.f_note, parameter_count=shapes.parameter_count, table=None):
    invariance = PARAMETER_INVARIANCE.check(parameter_count=parameter_count, table=table)
    neurons = NEURON_SCALING.check(parameter_count=parameter_count, table=table)
    features = FEATURE_SCALING.check(table=table, parameter_count=parameter_count)
    shape = CAPACITY_SHAPE.check(f=f)
    shift = DENSITY_SHIFT.check(f=f, parameter_count=parameter_count)
    laws = SCALING_LAWS.check(parameter_count=parameter_count)
    equal_density = sign("(U) gives p_B = p_A; then f(p_B) - k f(p_A) = (1 - k) f(p_A), which is < 0 for k > 1, "
                         "never 0", (1 - k) * f(p_a), "negative", {k: 1 + u, p_a: sp.exp(-t)},
                         {k: K_ABOVE_ONE, p_a: UNIT}, lhs_latex="f(p_A) - k f(p_A)")
    return [
        inference("(S): Models A and B have equal N, hence equal predicted loss",
                  {"parameter-invariance": invariance, "scaling-laws": laws}),
        inference("(P) and (U): Model B has 1/k the neurons and k times the features per neuron",
                  {"neuron-scaling": neurons, "feature-scaling": features}),
        inference("(P) at capacity: Model B needs f(p_B) = k f(p_A), so p_B < p_A",
                  {"capacity-shape": shape, "density-shift": shift}),
        equal_density,
        inference("contradiction: (S), (P) and (U) cannot all hold for k > 1",
                  {"(S)": invariance, "(P), (U)": features, "p_B < p_A": shift, "p_B = p_A impossible": equal_density},
                  conclusion=True),
        inference("the way out: per-layer capacity m^2 f(p) is shape-invariant, and only exponent beta = 2 is",
                  {"quadratic-invariance": QUADRATIC_INVARIANCE.check(parameter_count=parameter_count),
                   "exponent-uniqueness": EXPONENT_UNIQUENESS.check(parameter_count=parameter_count)}),
    ]


THEOREM = Lemma(
    "theorem", "Superposition as a complete theory and universality contradict shape-invariant scaling laws",
    (sp.Gt(k, 1), sp.Contains(p_a, SPARSE_BRANCH)), prove_theorem,
    summary="(S) loss depends on N only, (P) n = m f(p) per layer at capacity, (U) same F and same p: "
            "for k > 1 not all three hold; capacity m^2 f(p) is the way out.",
    formal=r"\text{(S)} \wedge \text{(P)} \wedge \text{(U)} \;\Longrightarrow\; \bot "
           r"\qquad\text{for every width factor } k > 1",
)

