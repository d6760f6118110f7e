r"""Lemmas 4-5: the capacity function's shape, and the density Model B needs under linear superposition.

4. ``capacity-shape``: f(p) = -1/(p ln p) (:func:`theory.capacity.f_note`) is positive on (0, 1), strictly
   decreasing on the sparse branch (0, 1/e), increasing on (1/e, 1), with its minimum e at p = 1/e.
5. ``density-shift``: at capacity under linear superposition (n = m f(p) per layer), Model B holds 1/k of Model A's
   total features at equal density, so with the same F it needs f(p_B) = k f(p_A); for k > 1 that forces
   p_B < p_A on the sparse branch (Z3, from "f strictly decreasing on (0, 1/e)" as an axiom about an uninterpreted
   f: :func:`sparser_from_decreasing`), and p_B = exp(W_{-1}(p_A ln p_A / k))
   (:func:`theory.density_shift.density_shift_closed_form`), verified by substitution; that this p_B lies on the
   sparse branch rests on W_{-1} <= -1 on [-1/e, 0), cited (Corless et al. 1996), so the lemma is ``cited``.

Intervals are handled by charts whose image is the interval: p = e^{-t} (t > 0) covers (0, 1),
p = e^{-(1+s)} covers (0, 1/e), p = e^{-1/(1+s)} covers (1/e, 1), k = 1 + u covers k > 1 (s, t, u > 0);
SymPy's assumptions then decide signs.

>>> CAPACITY_SHAPE.check().status, DENSITY_SHIFT.check().status
('proved (symbolic)', 'cited')
>>> from theory.capacity import f_note_printed
>>> CAPACITY_SHAPE.check(f=f_note_printed).status
'failed'
"""

import sympy as sp

from proofs.lemma import CITED, Claim, Lemma
from proofs.smt import ForAll, unsat
from proofs.tactics import applied, cited, identity, inference, sign, solutions
from theory import capacity, density_shift, shapes, total_capacity
from theory.symbols import k

p = capacity.p
p_a = density_shift.p_a
#: Positive chart variables.
s, t, u = sp.symbols("s t u", positive=True)
SPARSE_BRANCH = sp.Interval.open(0, sp.exp(-1))
DENSE_BRANCH = sp.Interval.open(sp.exp(-1), 1)
UNIT = sp.Interval.open(0, 1)
K_ABOVE_ONE = sp.Interval.open(1, sp.oo)
#: Corless, Gonnet, Hare, Jeffrey & Knuth (1996), "On the Lambert W function", Adv. Comput. Math. 5, 329-359.
LAMBERT_BRANCHES = ("Corless et al. 1996, Adv. Comput. Math. 5:329, Sec. 4: for -1/e <= x < 0 the real branch "
                    "W_{-1}(x) takes the values <= -1 (W_0 those >= -1)")


def sparser_from_decreasing(description, end, cited_facts, f_name="f") -> "Step":
    """Z3: f strictly decreasing and positive on (0, end), f(p_B) = k f(p_A), k > 1, p_A, p_B in (0, end) => p_B < p_A.

    f is an uninterpreted function; its monotonicity is a universally quantified axiom. ``end`` is a number or a
    symbol (the end of the branch, 1/e for the note's f, which Z3 only knows as a positive real). Z3 answers
    unsat for p_B >= p_A; the step is as strong as ``cited_facts`` (where monotonicity and positivity come from).
    """
    function, x, y = sp.Function(f_name), sp.Symbol("x"), sp.Symbol("y")
    density_a, density_b, factor = sp.symbols("p_A p_B k")
    inside = [relation for density in (density_a, density_b)
              for relation in (sp.Gt(density, 0, evaluate=False), sp.Lt(density, end, evaluate=False))]
    query = {
        f"{f_name} strictly decreasing on (0, {end})": ForAll(
            (x, y), sp.Implies(sp.And(sp.Lt(0, x), sp.Lt(x, y), sp.Lt(y, end)), sp.Gt(function(x), function(y)))),
        f"{f_name} > 0 there": sp.Gt(function(density_a), 0, evaluate=False),
        "k > 1, end > 0": [sp.Gt(factor, 1, evaluate=False), sp.Gt(end, 0, evaluate=False)],
        f"p_A, p_B in (0, {end})": inside,
        "Model B at capacity": sp.Eq(function(density_b), factor * function(density_a)),
        "negated conclusion": sp.Ge(density_b, density_a, evaluate=False),
    }
    return unsat(description, query, cited_facts)


def prove_capacity_shape(f=capacity.f_note):
    capacity_at = f(p)
    slope = sp.diff(capacity_at, p)
    return [
        sign("f(p) > 0 on 0 < p < 1 (chart p = e^{-t}, t > 0)", capacity_at, "positive", {p: sp.exp(-t)},
             {p: UNIT}),
        sign("f'(p) < 0 on the sparse branch 0 < p < 1/e (chart p = e^{-(1+s)})", slope, "negative",
             {p: sp.exp(-(1 + s))}, {p: SPARSE_BRANCH}, conclusion=True, lhs_latex="f'(p)"),
        sign("f'(p) > 0 on 1/e < p < 1 (chart p = e^{-1/(1+s)})", slope, "positive",
             {p: sp.exp(-1 / (1 + s))}, {p: DENSE_BRANCH}, conclusion=True, lhs_latex="f'(p)"),
        solutions("f'(p) = 0 on (0, 1) only at p = 1/e", slope, p, UNIT, [sp.exp(-1)]),
        identity("the value there: f(1/e) = e", applied(f, (sp.exp(-1),)), sp.E, conclusion=True,
                 lhs_latex="f(e^{-1})"),
    ]


def prove_density_shift(f=capacity.f_note, total=total_capacity.total_capacity,
                        closed_form=density_shift.density_shift_closed_form, parameter_count=shapes.parameter_count):
    shape = CAPACITY_SHAPE.check(f=f)
    linear = total(a=total_capacity.EXPONENTS["linear"], parameter_count=parameter_count)
    required = total_capacity.capacity_needed(linear)
    p_b = closed_form()
    (lambert,) = p_b.atoms(sp.LambertW)
    argument = lambert.args[0]
    domain = {p_a: SPARSE_BRANCH, k: K_ABOVE_ONE}
    at_capacity = identity("universality at capacity: total_B(f_B) = total_A(f_A) solved for f_B gives k f_A",
                           required, k * total_capacity.f_a, lhs_latex="f_B")
    gap = sign("k f(p_A) > f(p_A) for k > 1 (charts k = 1 + u, p_A = e^{-t})", (k - 1) * f(p_a), "positive",
               {k: 1 + u, p_a: sp.exp(-t)}, {p_a: UNIT, k: K_ABOVE_ONE})
    argument_form = identity("the argument of W is c = p_A ln p_A / k = -1 / (k f(p_A))", argument,
                             -1 / (k * f(p_a)), lhs_latex="c")
    above = sign("-1/(k e) > -1/e for k > 1, so c >= -1/(k e) > -1/e by f >= e (capacity-shape)",
                 sp.exp(-1) - sp.exp(-1) / k, "positive", {k: 1 + u}, {k: K_ABOVE_ONE})
    below = sign("c < 0 on 0 < p_A < 1", argument, "negative", {p_a: sp.exp(-t)}, {p_a: UNIT}, lhs_latex="c")
    lambert = cited("W_{-1}(c) <= -1 for c in [-1/e, 0)", LAMBERT_BRANCHES)
    branch = inference("c in (-1/e, 0), so p_B = exp(W_{-1}(c)) <= 1/e: the closed form lies on the sparse branch",
                       {"capacity-shape (f >= e)": shape, "c = -1/(k f(p_A))": argument_form,
                        "c > -1/e": above, "c < 0": below, "W_{-1} <= -1 (cited)": lambert})
    sparser = sparser_from_decreasing(
        "any p_B on the sparse branch (0, b), b = 1/e, with f(p_B) = k f(p_A) is < p_A: Z3, from f strictly "
        "decreasing there (an axiom over an uninterpreted f)", sp.Symbol("b"),
        {"capacity-shape (f decreasing, f > 0)": shape, "f(p_B) = k f(p_A)": at_capacity})
    return [
        identity("linear superposition (a = 1): total_B / total_A = 1/k at equal density", linear.ratio, 1 / k,
                 lhs_latex=r"\text{total}_B / \text{total}_A"),
        at_capacity,
        gap,
        identity("the closed form p_B = exp(W_{-1}(p_A ln p_A / k)) solves f(p_B) = k f(p_A) "
                 "(substitution, W(c) e^{W(c)} = c)", applied(f, (p_b,)), k * f(p_a), domain,
                 conclusion=True, rewrite=density_shift.apply_lambert_identity),
        argument_form, above, below, lambert, branch, sparser,
        inference("so the closed form p_B = exp(W_{-1}(p_A ln p_A / k)) is < p_A",
                  {"p_B on the sparse branch": branch, "any such p_B < p_A": sparser},
                  Claim(p_b, "<", p_a, tuple(domain.items())), conclusion=True),
    ]


CAPACITY_SHAPE = Lemma(
    "capacity-shape", "The capacity f(p) = -1/(p ln p) decreases on the sparse branch, minimum e at 1/e",
    (sp.Contains(p, UNIT),), prove_capacity_shape,
    summary="Features per neuron grow without bound as features get sparser (p -> 0) on 0 < p < 1/e.",
)
DENSITY_SHIFT = Lemma(
    "density-shift", "At capacity under linear superposition, Model B needs sparser features: p_B < p_A",
    (sp.Contains(p_a, SPARSE_BRANCH), sp.Gt(k, 1)), prove_density_shift,
    summary="Model B must hold k times the features per neuron, which only sparser features allow; "
            "p_B = exp(W_{-1}(p_A ln p_A / k)).",
    evidence=CITED,
)
