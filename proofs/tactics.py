r"""Proof tactics: each turns one symbolic check into a :class:`~proofs.lemma.Step` with an honest status.

* :func:`identity` -- ``lhs = rhs`` because ``simplify(lhs - rhs)`` is zero;
* :func:`sign` -- an expression is positive (negative) on an interval: the interval is written as the image of
  a positive symbol (e.g. p = e^{-(1+s)}, s > 0 covers 0 < p < 1/e; :func:`chart_covers` checks that it does)
  and SymPy's assumption system decides the sign of the substituted expression;
* :func:`solutions` -- the solution set of an equation on an interval is what the lemma says;
* :func:`definition` -- ``lhs = rhs`` restates a definition or a premise: checked like :func:`identity`, so a
  wrong cell still fails, but ``by definition``, never proved;
* :func:`cited` -- an external fact with its reference, not checked here;
* :func:`inference` -- a logical step from earlier steps or lemmas: as strong as the weakest of them;
* :func:`evidence` -- a check that only holds at sampled points: labelled numerical evidence, never proved.

SMT steps (Z3) live in :mod:`proofs.smt`. A check SymPy cannot decide is ``failed`` (with the reason), never proved.

>>> x = sp.Symbol("x", positive=True)
>>> identity("square", (x + 1)**2, x**2 + 2*x + 1).status
'proved (symbolic)'
>>> definition("restated", x + x, 2 * x).status
'by definition'
>>> identity("wrong", (x + 1)**2, x**2 + 1).detail
'not identically equal: lhs - rhs simplifies to 2*x'
>>> s = sp.Symbol("s", positive=True)
>>> sign("x - 1 > 0 on x > 1", x - 1, "positive", {x: 1 + s}, {x: sp.Interval.open(1, sp.oo)}).status
'proved (symbolic)'
"""

import dataclasses
import functools
import inspect

import sympy as sp

from proofs.lemma import CITED, DEFINITION, EVIDENCE, FAILED, PROVED_SYMBOLIC, Claim, Step, weakest


def _domain(domain) -> tuple:
    return tuple((domain or {}).items())


def applied(function, arguments, *constants):
    """``function(*arguments, *constants)`` kept unevaluated in ``arguments`` (a ``Subs``).

    The placeholders are named by the initials of ``function``'s parameters (``d``, ``n`` for d_model, n_layer).

    A claim then shows what was substituted, and evaluating it with numbers substituted first
    (``.subs(values).doit()``) runs the formula on numbers, which the property tests compare with the
    simplified symbolic result.

    >>> x = sp.Symbol("x", positive=True)
    >>> applied(lambda base: base**2, (2 * x,)).doit()
    4*x**2
    """
    names = list(inspect.signature(function).parameters)[:len(arguments)]
    initials = [name[0] for name in names]
    dummies = tuple(sp.Dummy(initial if initials.count(initial) == 1 else name, positive=True)
                    for initial, name in zip(initials, names))
    return sp.Subs(function(*dummies, *constants), dummies, tuple(arguments))


def identity(description, lhs, rhs, domain=None, conclusion=False, lhs_latex=None, rewrite=None) -> Step:
    """``lhs = rhs``: proved when ``simplify(lhs - rhs)`` is exactly zero (after ``rewrite``, a named identity).

    ``lhs_latex`` names the left side in the document.
    """
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    difference = lhs.doit() - rhs
    residual = sp.simplify(rewrite(difference) if rewrite else difference)
    claim = Claim(lhs, "=", rhs, _domain(domain), lhs_latex)
    how = f"after {rewrite.__doc__.splitlines()[0].rstrip('.')}, " if rewrite else ""
    if residual == 0:
        return Step(description, PROVED_SYMBOLIC, f"{how}lhs - rhs simplifies to 0", claim, conclusion)
    return Step(description, FAILED, f"not identically equal: {how}lhs - rhs simplifies to {sp.sstr(residual)}",
                claim, conclusion)


def sign(description, expr, expected, substitution, domain, conclusion=False, lhs_latex=None) -> Step:
    """``expr`` is ``expected`` ("positive" or "negative") on ``domain``, the image of ``substitution``.

    ``substitution`` maps each constrained symbol (in order) to a chart: an expression in one new positive
    symbol that maps (0, oo) monotonically onto the symbol's interval in ``domain`` (checked by
    :func:`chart_covers`); SymPy's assumptions then decide the sign of the substituted expression.
    """
    expr = sp.sympify(expr)
    claim = Claim(expr, ">" if expected == "positive" else "<", sp.Integer(0), _domain(domain), lhs_latex)
    where = ", ".join(f"{symbol} = {sp.sstr(value)}" for symbol, value in substitution.items())
    uncovered = [f"{symbol} = {sp.sstr(chart)} does not cover {sp.sstr(domain.get(symbol))}"
                 for symbol, chart in substitution.items()
                 if not chart_covers(chart, domain.get(symbol), frozenset(domain))]
    if uncovered:
        return Step(description, FAILED, "; ".join(uncovered), claim, conclusion)
    substituted = sp.factor(sp.simplify(expr.subs(substitution)))
    decided = substituted.is_positive if expected == "positive" else substituted.is_negative
    if decided:
        return Step(description, PROVED_SYMBOLIC, f"with {where} (charts checked): {sp.sstr(substituted)} is {expected}",
                    claim, conclusion)
    reason = "SymPy's assumptions cannot decide the sign" if decided is None else f"it is not {expected}"
    return Step(description, FAILED, f"with {where}: {sp.sstr(substituted)}: {reason}", claim, conclusion)


@functools.cache
def chart_covers(chart, interval, constrained=frozenset()) -> bool:
    """Whether ``chart``, in one new positive symbol s, maps (0, oo) monotonically onto the open ``interval``.

    Monotone: the sign of d chart/ds is decided by SymPy; onto: its limits at s -> 0+ and s -> oo are the
    interval's ends. Symbols in ``constrained`` (other charted symbols) may appear in the chart and the ends.

    >>> s = sp.Symbol("s", positive=True)
    >>> chart_covers(sp.exp(-(1 + s)), sp.Interval.open(0, sp.exp(-1))), chart_covers(1 + s, sp.Interval.open(0, 1))
    (True, False)
    """
    if interval is None:
        return False
    new = [symbol for symbol in sp.sympify(chart).free_symbols if symbol not in constrained]
    if len(new) != 1 or not new[0].is_positive:
        return False
    (variable,) = new
    slope = sp.simplify(sp.diff(chart, variable))
    if not (slope.is_positive or slope.is_negative):
        return False
    ends = [sp.limit(chart, variable, 0, "+"), sp.limit(chart, variable, sp.oo)]
    return _same_finite_set(sp.FiniteSet(*ends), sp.FiniteSet(interval.inf, interval.sup))


def solutions(description, equation_lhs, variable, interval, expected, conclusion=False) -> Step:
    """The solutions of ``equation_lhs = 0`` for ``variable`` in ``interval`` are exactly ``expected``."""
    found = sp.solveset(sp.simplify(equation_lhs), variable, domain=interval)
    expected = sp.FiniteSet(*expected)
    detail = f"solveset on {sp.sstr(interval)} gives {sp.sstr(found)}"
    if _same_finite_set(found, expected):
        return Step(description, PROVED_SYMBOLIC, detail, None, conclusion)
    return Step(description, FAILED, f"{detail}, expected {sp.sstr(expected)}", None, conclusion)


def _same_finite_set(found, expected) -> bool:
    """Both finite and each element of one equals (by simplification) an element of the other."""
    if not (isinstance(found, sp.FiniteSet) and len(found) == len(expected)):
        return False
    return all(any(a == b or sp.simplify(a - b) == 0 for b in found) for a in expected)


def definition(description, lhs, rhs, conclusion=False, lhs_latex=None) -> Step:
    """``lhs = rhs`` restates a definition or a premise: ``by definition`` when it matches, failed when it does not."""
    step = identity(description, lhs, rhs, conclusion=conclusion, lhs_latex=lhs_latex)
    return dataclasses.replace(step, status=DEFINITION, detail="a restatement, not a proof: " + step.detail) \
        if step.status == PROVED_SYMBOLIC else step


def cited(description, reference, claim=None) -> Step:
    """An external fact taken from ``reference``, not checked here: ``cited``."""
    return Step(description, CITED, f"cited: {reference}", claim)


def inference(description, cited: dict, claim=None, conclusion=False) -> Step:
    """A logical step from ``cited`` (label -> step or lemma result): as strong as the weakest of them."""
    status = weakest(item.status for item in cited.values())
    return Step(description, status, f"from: {'; '.join(cited)}", claim, conclusion)


def evidence(description, holds: bool, detail, claim=None) -> Step:
    """A check made at sampled numeric points: numerical evidence when it holds, failed when it does not."""
    return Step(description, EVIDENCE if holds else FAILED, detail, claim)

