r"""Lemmas 6-7: the way out the note proposes, and why it is the only one of its kind.

6. ``quadratic-invariance``: under the m^2 variant n = m^2 f(p) per layer, Model A and Model B hold the same total
   features at equal density, so universality needs no change of density (no contradiction).
7. ``exponent-uniqueness``: with N proportional to d_model^beta n_layer and per-layer capacity m^a f, every
   parameter-preserving shape change multiplies total capacity by k^(a - beta) (read off the table derived for that
   N): k^(a - beta) = 1 for some k > 0, k != 1 iff a = beta (both directions, every such k, by the charts
   k = 1 + u and k = 1/(1 + u)); Kaplan's N has beta = 2, the exponent of the m^2 variant. Pooling all layers' neurons (cross-layer superposition) at a = 1
   still gives 1/k.

Formulas from :mod:`theory.total_capacity` and :mod:`theory.shapes`.

>>> QUADRATIC_INVARIANCE.check().status, EXPONENT_UNIQUENESS.check().status
('proved (symbolic)', 'proved (symbolic)')
>>> QUADRATIC_INVARIANCE.check(exponent=1).status
'failed'
"""

import sympy as sp

from proofs.lemma import Lemma
from proofs.tactics import applied, identity, solutions
from theory import shapes, total_capacity
from theory.symbols import d_model, k, n_layer

a, beta = total_capacity.a, total_capacity.beta


def prove_quadratic_invariance(exponent=total_capacity.EXPONENTS["quadratic"], total=total_capacity.total_capacity,
                               parameter_count=shapes.parameter_count):
    capacity = total(a=exponent, parameter_count=parameter_count)
    required = total_capacity.capacity_needed(capacity)
    return [
        identity(f"per-layer capacity m^{exponent} f(p): Model B's total equals Model A's at equal density",
                 capacity.model_b, capacity.model_a, conclusion=True, lhs_latex=r"\text{total}_B"),
        identity("universality at capacity: total_B(f_B) = total_A(f_A) solved for f_B gives f_B = f_A, "
                 "so p_B = p_A (f is one-to-one on the sparse branch): no contradiction", required, total_capacity.f_a,
                 lhs_latex="f_B"),
    ]


def prove_exponent_uniqueness(parameter_count=shapes.parameter_count, uniqueness=total_capacity.uniqueness,
                              quadratic=total_capacity.EXPONENTS["quadratic"], total=total_capacity.total_capacity):
    count = shapes.count_of_shape(parameter_count)
    derivation = uniqueness(parameter_count)
    pooled = total(a=total_capacity.EXPONENTS["linear"], pooling="cross-layer", parameter_count=parameter_count)
    scale, u = sp.Symbol("c", positive=True), sp.Symbol("u", positive=True)
    transformer_beta = derivation.beta_transformer
    exponent_gap = a - beta
    return [
        identity(f"N is homogeneous of degree beta = {transformer_beta} in d_model: N(k d, L) = k^beta N(d, L)",
                 applied(count, (k * d_model, n_layer)), k**transformer_beta * count(d_model, n_layer)),
        identity("and of degree 1 in n_layer: N(d, c L) = c N(d, L)",
                 applied(count, (d_model, scale * n_layer)), scale * count(d_model, n_layer)),
        identity("for N = d^beta L the table has L_B = L / k^beta (theory.model_table)", derivation.layers_b,
                 n_layer / k**beta, lhs_latex="L_B"),
        identity("total_B / total_A = (L_B (k d)^a f) / (L d^a f), read off that table's layer and width rows, "
                 "is k^(a - beta)", derivation.ratio, k**exponent_gap, lhs_latex=r"\text{total}_B / \text{total}_A"),
        identity("if a = beta the ratio is 1 for every k > 0 (sufficient)", derivation.ratio.subs(a, beta), 1,
                 conclusion=True, lhs_latex=r"\text{total}_B / \text{total}_A\big|_{a = \beta}"),
        solutions("if the ratio is 1 at some k > 1 (chart k = 1 + u, u > 0), then a = beta (necessary)",
                  derivation.ratio.subs(k, 1 + u) - 1, a, sp.Reals, [beta]),
        solutions("if the ratio is 1 at some 0 < k < 1 (chart k = 1/(1 + u), u > 0), then a = beta (necessary)",
                  derivation.ratio.subs(k, 1 / (1 + u)) - 1, a, sp.Reals, [beta]),
        identity("for the given N the invariant exponent is that of the note's m^2 variant",
                 derivation.invariant_exponent(transformer_beta), quadratic, conclusion=True,
                 lhs_latex=rf"a\big|_{{\beta = {transformer_beta}}}"),
        identity("pooling the neurons of all layers (cross-layer superposition, a = 1) still gives 1/k: "
                 "pooling is no way out, only the exponent is", pooled.ratio, 1 / k,
                 lhs_latex=r"\text{total}^{\text{pooled}}_B / \text{total}^{\text{pooled}}_A"),
    ]


QUADRATIC_INVARIANCE = Lemma(
    "quadratic-invariance", "Under the m^2 variant total capacity is shape-invariant (no contradiction)",
    (sp.Gt(k, 0, evaluate=False),), prove_quadratic_invariance,
    summary="With n = m^2 f(1 - S) per layer, capacity is a function of parameters, as scaling laws require.",
)
EXPONENT_UNIQUENESS = Lemma(
    "exponent-uniqueness", "Total capacity is shape-invariant iff the capacity exponent equals beta",
    (sp.Gt(k, 0, evaluate=False), sp.Gt(beta, 0, evaluate=False)), prove_exponent_uniqueness,
    summary="Only a capacity growing like (neurons per layer)^beta, beta = 2 for transformers, escapes the argument.",
)
