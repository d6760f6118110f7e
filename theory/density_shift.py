r"""The density Model B needs to hold the same features at capacity: f(p_B) = k f(p_A).

Model B (k times wider, k**2 fewer layers, equal parameters) must hold k times as many features per neuron
(:mod:`theory.model_table`). At capacity n/m = f(p) that needs a density p_B with f(p_B) = k f(p_A).

For the note's f(p) = -1/(p ln p) the equation is p_B ln p_B = p_A ln p_A / k. With u = ln p_B it reads
u e^u = c, c = p_A ln p_A / k, solved by the Lambert W function; its two real branches for -1/e <= c < 0 are
W_0(c) >= -1 (the dense branch p_B >= 1/e) and W_{-1}(c) <= -1 (the sparse branch p_B <= 1/e), so

.. math:: p_B = \exp\bigl(W_{-1}(p_A \ln p_A / k)\bigr).

SymPy derives it (:func:`density_shift_closed_form`) and checks it by substitution
(:func:`verify_closed_form`). For the l1 capacities p_B is found by root finding (f_l1 decreases on (0, 1)).

:func:`theory.capacity_functions.required_density` solves the shift for every registered capacity function
(with the closed form for the note) and says what is allowed.

>>> density_shift_closed_form()
exp(LambertW(p_A*log(p_A)/k, -1))
>>> verify_closed_form().residual
0
>>> round(note_density_value(0.1, 2), 6)
0.034068
"""

import functools
from dataclasses import dataclass

import numpy as np
import scipy.optimize
import sympy as sp

from theory.capacity import f_note
from theory.names import TABLE_DENSITIES, TABLE_K  # noqa: F401 (the p_A -> p_B table's densities and k)
from theory.symbols import k
from theory.validation import InvalidParameter

p_a = sp.Symbol("p_A", positive=True)
p_b = sp.Symbol("p_B", positive=True)


@dataclass(frozen=True)
class ClosedFormDerivation:
    """The steps: the equation, SymPy's principal-branch solution, both real branches, the sparse one."""

    equation: sp.Eq
    principal_solution: sp.Expr
    branches: dict
    sparse_solution: sp.Expr


@functools.cache
def derive_closed_form() -> ClosedFormDerivation:
    """Solve f_note(p_B) = k f_note(p_A) for p_B and pick the branch p_B <= 1/e."""
    equation = sp.Eq(f_note(p_b), k * f_note(p_a))
    (principal,) = sp.solve(equation, p_b)
    branches = {
        branch: principal.replace(sp.LambertW, lambda argument, *_: sp.LambertW(argument, branch))
        for branch in (0, -1)
    }
    # W_{-1} <= -1 on [-1/e, 0), so exp(W_{-1}) <= 1/e: the sparse branch.
    sparse = branches[-1]
    return ClosedFormDerivation(equation, principal, branches, sparse)


def density_shift_closed_form() -> sp.Expr:
    """p_B = exp(W_{-1}(p_A ln p_A / k)), the sparse-branch solution of f_note(p_B) = k f_note(p_A)."""
    return derive_closed_form().sparse_solution


@dataclass(frozen=True)
class SubstitutionCheck:
    """f_note(p_B) - k f_note(p_A) after substituting the closed form and using W(c) e^{W(c)} = c."""

    substituted: sp.Expr
    residual: sp.Expr


@functools.cache
def verify_closed_form(branch: int = -1) -> SubstitutionCheck:
    """Substitute the closed form into f_note(p_B) - k f_note(p_A) and simplify with the definition of W.

    log(exp(W)) = W holds because W_b(c) is real for -1/e <= c < 0 (both real branches); the defining
    identity W(c) e^{W(c)} = c then removes the exponentials.
    """
    solution = derive_closed_form().branches[branch]
    substituted = f_note(solution) - k * f_note(p_a)
    return SubstitutionCheck(substituted, apply_lambert_identity(substituted))


def apply_lambert_identity(expr: sp.Expr) -> sp.Expr:
    """Rewrite with W(c) e^{W(c)} = c (true on every branch) after log(e^W) = W (W real on [-1/e, 0)).

    >>> c = sp.Symbol("c", negative=True)
    >>> apply_lambert_identity(sp.LambertW(c, -1) * sp.exp(sp.LambertW(c, -1)))
    c
    """
    expr = sp.expand_log(expr, force=True)
    for w in expr.atoms(sp.LambertW):
        argument = w.args[0]
        expr = expr.subs({sp.exp(-w): w / argument, sp.exp(w): argument / w})
    return sp.simplify(expr)


@functools.cache
def _closed_form_numeric():
    """The closed form lambdified with SciPy's lambertw (complex-typed; real on the branch)."""
    return sp.lambdify((p_a, k), density_shift_closed_form(), "scipy")


def note_density_value(density: float, factor: float) -> float:
    """The closed form at floats (no validation: :func:`theory.capacity_functions.required_density` validates)."""
    return float(np.real(_closed_form_numeric()(density, factor)))


def solve_decreasing(f, target: float, start: float, sparser: bool) -> float:
    """The root of f(p) = target for a decreasing f on (0, 1): bracket in log p from ``start``, then Brent.

    Towards sparser densities the bracket steps log p down by 1; towards denser ones it halves log p (p -> sqrt p).
    """

    def gap(log_density):
        return f(float(np.exp(log_density))) - target

    inside, outside = float(np.log(start)), float(np.log(start))
    while (gap(outside) < 0) if sparser else (gap(outside) > 0):
        inside, outside = outside, (outside - 1.0 if sparser else outside / 2)
        if outside < -690 or outside > -1e-12:
            raise InvalidParameter("k", f"out of reach: no density in (1e-300, 1) gives k f(p_A) = {target:.6g}")
    low, high = sorted((inside, outside))
    return float(np.exp(scipy.optimize.brentq(gap, low, high, xtol=1e-14, rtol=4 * np.finfo(float).eps)))
