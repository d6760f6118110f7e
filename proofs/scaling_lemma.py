r"""Lemma 9 (``scaling-laws``): predicted loss depends on the shape only through N; the note's eq. (1) misprint.

For each law of :data:`theory.scaling_laws.LAWS` (Kaplan L(N), Kaplan L(N, D), Chinchilla) with N = N(d_model,
n_layer) substituted, Model B's predicted loss equals Model A's and the Jacobian of (L, N) with respect to
(d_model, n_layer) vanishes: L is a function of N alone (:func:`theory.scaling_laws.shape_invariance`). Any L(N)
does this at equal N, for any parameter count, so these steps are ``by definition``: they restate premise (S).

The note prints eq. (1) as [(N_c/N)^(alpha_N/alpha_D) + (D_c/D)^alpha_D]^alpha_D. Its N -> oo limit is
(D_c/D)^(alpha_D^2) = L(D)^alpha_D, not L(D) as Kaplan's eq. 1.5 gives
(:func:`theory.scaling_laws.note_eq1_limits`): for 0 < alpha_D < 1 the two differ at every D != D_c.

>>> SCALING_LAWS.check().status
'proved (symbolic)'
"""

import sympy as sp

from proofs.lemma import Lemma
from proofs.tactics import definition, identity, sign
from theory import scaling_laws, shapes
from theory.symbols import k

alpha_D, D, D_c = scaling_laws.alpha_D, scaling_laws.D, scaling_laws.D_c
s = sp.Symbol("s", positive=True)


def prove_scaling_laws(shape_invariance=scaling_laws.shape_invariance, eq1_limits=scaling_laws.note_eq1_limits,
                       laws=tuple(scaling_laws.LAWS), parameter_count=shapes.parameter_count):
    steps = []
    for law in laws:
        result = shape_invariance(law, parameter_count=parameter_count)
        steps += [
            definition(f"{result.description}: Model B's predicted loss equals Model A's (a law of N at equal N)",
                       result.loss_model_b, result.loss_model_a, conclusion=True, lhs_latex="L_B"),
            definition(f"{result.description}: det d(L, N)/d(d_model, n_layer) = 0, so L depends on the shape only "
                       "through N (true of any L(N))", result.jacobian, 0,
                     lhs_latex=r"\det \frac{\partial(L, N)}{\partial(d_{\mathrm{model}}, n_{\mathrm{layer}})}"),
        ]
    limits = eq1_limits()
    exponent = alpha_D * (1 - alpha_D)
    return steps + [
        identity("Kaplan's eq. 1.5 tends to L(D) = (D_c/D)^alpha_D as N -> oo", limits.kaplan_limit_n,
                 limits.loss_of_data, lhs_latex=r"\lim_{N \to \infty} L_{\text{eq. 1.5}}"),
        identity("the note's printed eq. (1) tends to L(D)^alpha_D = (D_c/D)^(alpha_D^2) as N -> oo",
                 limits.printed_limit_n, limits.loss_of_data**alpha_D, conclusion=True,
                 lhs_latex=r"\lim_{N \to \infty} L_{\text{note, eq. (1)}}"),
        identity("so printed limit / L(D) = (D/D_c)^e with e = alpha_D (1 - alpha_D)",
                 limits.ratio_to_loss_of_data, (D / D_c)**exponent,
                 lhs_latex=r"\lim_{N \to \infty} L_{\text{note, eq. (1)}} / L(D)"),
        sign("e > 0 for 0 < alpha_D < 1 (chart alpha_D = 1/(1 + s)): the printed limit differs from L(D) "
             "at every D != D_c (a misprint)", exponent, "positive", {alpha_D: 1 / (1 + s)},
             {alpha_D: sp.Interval.open(0, 1)}, lhs_latex="e"),
    ]


SCALING_LAWS = Lemma(
    "scaling-laws", "Loss depends on the shape only through N; the note's eq. (1) has the wrong N -> oo limit",
    (sp.Gt(k, 0, evaluate=False), sp.Contains(alpha_D, sp.Interval.open(0, 1))), prove_scaling_laws,
    summary="The premise of the note: at fixed N the predicted loss is the same for every shape.",
)
