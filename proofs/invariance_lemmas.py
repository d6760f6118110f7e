r"""Lemmas 6-7: the way out the note proposes, and why it is the only one of its kind.

6. ``quadratic-invariance``: under the m^2 variant n = m^2 f(p) per layer, Model A and Model B hold the same total
   features at equal density, so universality needs no change of density (no contradiction).
7. ``exponent-uniqueness``: with N proportional to d_model^beta n_layer and per-layer capacity m^a f, every
   parameter-preserving shape change multiplies total capacity by k^(a - beta): invariance iff a = beta; Kaplan's
   N has beta = 2, the exponent of the m^2 variant. Pooling all layers' neurons (cross-layer superposition) at a = 1
   still gives 1/k.

Formulas from :mod:`theory.total_capacity` and :mod:`theory.shapes`.

>>> QUADRATIC_INVARIANCE.check().status, EXPONENT_UNIQUENESS.check().status
('proved', 'proved')
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
    derivation = uniqueness(parameter_count)
    pooled = total(a=total_capacity.EXPONENTS["linear"], pooling="cross-layer", parameter_count=parameter_count)
    scale = sp.Symbol("c", positive=True)
    transformer_beta = derivation.beta_transformer
    return [
        identity(f"N is homogeneous of degree beta = {transformer_beta} in d_model: N(k d, L) = k^beta N(d, L)",
                 applied(parameter_count, (k * d_model, n_layer)),
                 k**transformer_beta * parameter_count(d_model, n_layer)),
        identity("and of degree 1 in n_layer: N(d, c L) = c N(d, L)",
                 applied(parameter_count, (d_model, scale * n_layer)), scale * parameter_count(d_model, n_layer)),
        identity("the equal-N shape change of N ~ d^beta L has L_B = L / k^beta",
                 (k * d_model)**beta * derivation.layers_b, d_model**beta * n_layer),
        identity("per-layer capacity m^a f: total_B / total_A = (L_B (k d)^a f) / (L d^a f) = k^(a - beta)",
                 derivation.layers_b * total_capacity.per_layer_capacity(k * d_model, a)
                 / (n_layer * total_capacity.per_layer_capacity(d_model, a)), k**(a - beta)),
        identity("as derived in theory.total_capacity", derivation.ratio, k**(a - beta),
                 lhs_latex=r"\text{total}_B / \text{total}_A"),
        identity("a = beta makes the ratio 1 for every k > 0 (sufficient)", sp.Subs(derivation.ratio, a, beta), 1,
                 conclusion=True),
        identity("ln(total_B / total_A) = (a - beta) ln k", derivation.log_ratio,
                 derivation.coefficient * sp.log(k)),
        solutions("it vanishes for every k > 0 only if a - beta = 0, i.e. a = beta (necessary)",
                  derivation.coefficient, a, sp.Reals, [beta]),
        identity("for Kaplan's N the invariant exponent is that of the note's m^2 variant",
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
