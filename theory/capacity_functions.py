r"""The registry of capacity functions n/m = f(p): one frozen record per function, the dict built from the records.

Everything that iterates capacity functions (the density shift, tables, figures, CLI choices, the proofs' premises,
the toy-model and shapes reports) reads :data:`REGISTRY`; adding a function is one record here plus its tests.

- ``note``: the note's f(p) = -1/(p ln p) (:mod:`theory.capacity`), decreasing on its sparse branch (0, 1/e) down
  to its minimum e; the density shift has the closed form p_B = exp(W_{-1}(p_A ln p_A / k))
  (:mod:`theory.density_shift`).
- ``l1-signed``, ``l1-nonneg``: the exact basis-pursuit capacity f_l1(p) = 1/delta*, delta* rho(delta*) = p
  (:mod:`theory.l1_phase_transition`), decreasing on (0, 1) towards 1; the shift by root finding.

The note's function is the :data:`REFERENCE` the others are compared with (ratio columns, the small-p limit).

>>> tuple(REGISTRY)
('note', 'l1-signed', 'l1-nonneg')
>>> round(capacity_ratio(0.1, "note"), 6), round(required_density(0.1, 2), 6)
(4.342945, 0.034068)
"""

from dataclasses import dataclass
from typing import Callable, Optional

import sympy as sp

from theory import capacity, density_shift
from theory.l1_phase_transition import f_l1, f_l1_asymptotic
from theory.names import CAPACITY_FUNCTIONS  # the records' keys, listed without SymPy (tests/test_names.py)
from theory.validation import InvalidParameter, check_choice, check_in_interval, check_positive


@dataclass(frozen=True)
class CapacityFunction:
    """One capacity function f: names, how to print it, how to evaluate it, where it decreases, how to invert it.

    ``evaluate(p)`` is n/m at a float density (validating p); ``branch_end()`` ends the decreasing branch (0, end)
    on which the density shift is solved (1 for the whole unit interval), described by ``branch`` when it is a part
    of it; ``floor()`` is the infimum of f on that branch (no density holds fewer features per neuron).
    ``shift(p_A, k)`` is a closed-form p_B with f(p_B) = k f(p_A), unvalidated (None: root finding on the branch).
    ``expression(p)`` is the SymPy form where there is one; ``small_density_form(p)`` the leading form as p -> 0 where
    only that is known; ``signal`` the phase-transition signal model behind an l1 function; ``premise_note`` the
    sentence (LaTeX) the proof document opens with when the lemmas are checked with this f (needed with ``expression``).
    """

    key: str
    label: str
    symbol_latex: str
    heading_latex: str
    colour: str
    evaluate: Callable[[float], float]
    branch_end: Callable[[], float]
    floor: Callable[[], float]
    branch: Optional[str] = None
    branch_end_latex: Optional[str] = None
    shift: Optional[Callable[[float, float], float]] = None
    expression: Optional[Callable[..., sp.Expr]] = None
    small_density_form: Optional[Callable[..., sp.Expr]] = None
    signal: Optional[str] = None
    premise_note: Optional[str] = None

    @property
    def ratio_heading_latex(self) -> str:
        """Column heading of f / f_reference in LaTeX."""
        return f"${self.symbol_latex}/{REFERENCE.symbol_latex}$"


def _l1(signal: str, label: str, symbol_latex: str, heading_latex: str, colour: str) -> CapacityFunction:
    """An exact-l1 record for one signal model: no closed form, decreasing on the whole of (0, 1) towards 1."""
    return CapacityFunction(
        key=f"l1-{signal}", label=label, symbol_latex=symbol_latex, heading_latex=heading_latex, colour=colour,
        evaluate=lambda density: float(f_l1(density, signal)), branch_end=lambda: 1.0, floor=lambda: 1.0,
        small_density_form=lambda density=capacity.p: f_l1_asymptotic(density, signal), signal=signal,
    )


NOTE = CapacityFunction(
    key="note", label="f_note", symbol_latex=r"f_{\mathrm{note}}", heading_latex=r"$f_{\mathrm{note}}$", colour="C0",
    evaluate=capacity.f_note_value, branch_end=capacity.sparse_branch_end,
    floor=lambda: float(capacity.note_shape().minimum),
    branch="its sparse branch, where f_note decreases", branch_end_latex="1/e",
    shift=density_shift.note_density_value, expression=capacity.f_note,
    premise_note="The capacity function is the note's $f(p) = -1/(p \\ln p)$.",
)
L1_SIGNED = _l1("signed", "f_l1 signed", r"f_{\ell_1}^{\pm}", r"$f_{\ell_1}$ signed", "C1")
L1_NONNEG = _l1("nonneg", "f_l1 nonneg", r"f_{\ell_1}^{+}", r"$f_{\ell_1}$ nonneg.", "C2")

#: Every capacity function by key, in the order tables list them.
REGISTRY = {function.key: function for function in (NOTE, L1_SIGNED, L1_NONNEG)}
#: The function the others are compared with.
REFERENCE = NOTE
#: Premises the proofs can be checked with: each function with a SymPy expression, and the note's misprinted
#: 1/(p ln p) as some copies print it (a transcription under test, not a capacity function).
SYMBOLIC_PREMISES = {**{key: f.expression for key, f in REGISTRY.items() if f.expression is not None},
                     "printed": capacity.f_note_printed}


def get(function: str) -> CapacityFunction:
    """The record called ``function``; InvalidParameter naming ``function`` for an unknown key."""
    return REGISTRY[check_choice("function", function, CAPACITY_FUNCTIONS)]


def for_signal(signal: str) -> CapacityFunction:
    """The exact-l1 record of a phase-transition signal model (``signed`` or ``nonneg``)."""
    (function,) = (f for f in REGISTRY.values() if f.signal == signal)
    return function


def capacity_ratio(density: float, function: str = "note") -> float:
    """Features per neuron n/m at density p in (0, 1) for a capacity function of :data:`CAPACITY_FUNCTIONS`.

    ``"l1-signed"`` and ``"l1-nonneg"`` are the exact basis-pursuit capacities 1/delta* with
    delta* rho(delta*) = p (:func:`theory.l1_phase_transition.f_l1`).
    """
    record = get(function)
    check_in_interval("p", density, 0, 1)
    return record.evaluate(density)


def _check_on_branch(record: CapacityFunction, p_a: float) -> None:
    if record.branch is None:
        check_in_interval("p_A", p_a, 0, 1)
    elif not 0 < p_a < record.branch_end():
        raise InvalidParameter("p_A", f"must lie in (0, {record.branch_end_latex}) = (0, {record.branch_end():.6g}) "
                                      f"for f = {record.key} ({record.branch}), got {p_a}")


def _check_reachable(function: str, target: float, floor: float) -> None:
    if not target >= floor:
        raise InvalidParameter(
            "k", f"too small: k f(p_A) = {target:.6g} is below {floor:.6g}, the least capacity of "
            f"f = {function} on its decreasing branch, so no density holds k times the features per neuron"
        )


def required_density(p_a: float, k: float, function: str = "note") -> float:
    """The density p_B with f(p_B) = k f(p_A) on the decreasing branch of ``function``.

    Allowed: k > 0, p_A on the function's decreasing branch ((0, 1/e) for ``note``, (0, 1) for ``l1-*``) and
    k f(p_A) at least the function's floor (e for ``note``, 1 for ``l1-*``). The record's closed form where it has
    one (:func:`theory.density_shift.density_shift_closed_form` for the note), else Brent's method on log p.

    >>> required_density(0.5, 2)
    Traceback (most recent call last):
    ...
    theory.validation.InvalidParameter: p_A must lie in (0, 1/e) = (0, 0.367879) for f = note (its sparse branch, where f_note decreases), got 0.5
    """
    record = get(function)
    k = float(check_positive("k", k))
    _check_on_branch(record, p_a)
    target = k * capacity_ratio(p_a, function)
    _check_reachable(function, target, record.floor())
    if record.shift is not None:
        return record.shift(p_a, k)
    if k == 1:
        return float(p_a)
    return density_shift.solve_decreasing(lambda density: capacity_ratio(density, function), target, p_a, k > 1)


@dataclass(frozen=True)
class ShiftRow:
    """One row of the p_A -> p_B table."""

    function: str
    p_a: float
    p_b: float

    @property
    def ratio(self) -> float:
        return self.p_b / self.p_a


def shift_table(densities=density_shift.TABLE_DENSITIES, k: float = density_shift.TABLE_K,
                functions=CAPACITY_FUNCTIONS) -> tuple:
    """p_B for each capacity function and each p_A (function-major order); raises where :func:`required_density` does.

    >>> [round(row.p_b, 5) for row in shift_table((0.3, 0.1), functions=("note",))]
    [0.0667, 0.03407]
    """
    return tuple(ShiftRow(function, float(density), required_density(density, k, function))
                 for function in functions for density in densities)
