r"""Lemma 10 (``density-shift-l1``): the density shift with the exact l1 capacity -- numerical evidence only.

With the basis-pursuit capacity f_l1(p) = 1/delta*, delta* rho(delta*) = p (Donoho, Maleki & Montanari 2009;
:func:`theory.l1_phase_transition.f_l1`, computed by root finding) the argument of ``density-shift`` needs only that
f is decreasing: then f(p_B) = k f(p_A) > f(p_A) forces p_B < p_A (Z3, the same query as ``density-shift`` on
(0, 1): :func:`proofs.capacity_lemmas.sparser_from_decreasing`). f_l1 has no closed form, so its monotonicity and the
computed p_B are checked at sampled points (:func:`theory.capacity_functions.required_density`): the conclusion inherits
that label, and this lemma is numerical evidence, never proved.

>>> DENSITY_SHIFT_L1.check().status
'numerical evidence'
"""

import numpy as np
import sympy as sp

from proofs.capacity_lemmas import sparser_from_decreasing
from proofs.lemma import EVIDENCE, Lemma
from proofs.tactics import evidence
from theory import capacity_functions
from theory.symbols import k

#: Where f_l1 is sampled, and the p_A at which the shift is solved (k = 2, the note's Model B).
GRID = tuple(float(value) for value in np.geomspace(1e-3, 0.9, 9))
DENSITIES = (0.2, 0.05, 0.01)
WIDTH_FACTOR = 2.0
#: Relative tolerance of f(p_B) = k f(p_A) at the computed p_B.
TOLERANCE = 1e-8


#: The capacity functions without a SymPy expression: the shift is checked for them at sampled points.
NUMERIC_FUNCTIONS = tuple(key for key, f in capacity_functions.REGISTRY.items() if f.expression is None)


def prove_density_shift_l1(capacity_ratio=capacity_functions.capacity_ratio,
                           required_density=capacity_functions.required_density, functions=NUMERIC_FUNCTIONS):
    steps = []
    for function in functions:
        values = [capacity_ratio(density, function) for density in GRID]
        decreasing = evidence(f"{function}: f is decreasing on [{GRID[0]:g}, {GRID[-1]:g}] ({len(GRID)} sampled p)",
                              bool(np.all(np.diff(values) < 0)),
                              "f = " + ", ".join(f"{value:.4g}" for value in values))
        shifted = [(p_a, required_density(p_a, WIDTH_FACTOR, function)) for p_a in DENSITIES]
        residuals = [abs(capacity_ratio(p_b, function) / (WIDTH_FACTOR * capacity_ratio(p_a, function)) - 1)
                     for p_a, p_b in shifted]
        solves = evidence(f"{function}: p_B solves f(p_B) = {WIDTH_FACTOR:g} f(p_A) at p_A = "
                          + ", ".join(f"{p_a:g}" for p_a in DENSITIES), max(residuals) < TOLERANCE,
                          f"largest relative residual {max(residuals):.1e} (tolerance {TOLERANCE:g})")
        sparser = evidence(f"{function}: p_B < p_A at each sampled p_A", all(p_b < p_a for p_a, p_b in shifted),
                           "; ".join(f"p_A = {p_a:g}: p_B = {p_b:.6g} (p_B/p_A = {p_b / p_a:.3f})"
                                     for p_a, p_b in shifted))
        positive = evidence(f"{function}: f > 0 at the sampled p", bool(np.all(np.asarray(values) > 0)),
                            f"least sampled value {min(values):.4g}")
        steps += [decreasing, positive, solves, sparser,
                  sparser_from_decreasing(f"{function}: f decreasing and positive on (0, 1) and f(p_B) = k f(p_A), "
                                          "k > 1, give p_B < p_A (Z3; the premises are numerical evidence)", 1,
                                          {"decreasing (sampled)": decreasing, "positive (sampled)": positive})]
    return steps


DENSITY_SHIFT_L1 = Lemma(
    "density-shift-l1", "With the exact l1 capacity Model B also needs sparser features (numerical evidence)",
    (sp.Eq(k, 2, evaluate=False),), prove_density_shift_l1,
    summary="The contradiction does not hinge on the form -1/(p ln p): basis pursuit's exact capacity, "
            "signed or nonnegative, gives the same direction of shift.",
    evidence=EVIDENCE,
)
