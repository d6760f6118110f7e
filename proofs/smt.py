r"""SMT checks with Z3: premises written as SymPy relations, converted once, decided over the reals.

Premises are SymPy relations (``Eq``, ``Lt``, ``Le``, ``Gt``, ``Ge``, ``And``, ``Implies``) over SymPy symbols and
applications of undefined functions (``sp.Function("f")(p)``), so the shape quantities come straight from
:mod:`theory` and the document shows the same formulas Z3 decides. :func:`to_z3` is the one converter; a power with
a rational exponent r = u/v becomes a fresh variable y > 0 with y**v = base**u (bases are positive here).
:class:`ForAll` quantifies a relation over bound symbols (an axiom about an uninterpreted function).

:func:`unsat` and :func:`sat` turn a query into a :class:`~proofs.lemma.Step`: an unsat answer proves the
conclusion (status ``proved (SMT)``, as weak as the premises it cites), a sat answer where unsat was expected
fails with Z3's model; :func:`sat` expects a model (a counterexample, a way out) and prints it.

>>> x = sp.Symbol("x")
>>> unsat("x > 1 and x < 0 contradict", {"x > 1": sp.Gt(x, 1), "x < 0": sp.Lt(x, 0)}).status
'proved (SMT)'
>>> step = sat("x > 1 is consistent", {"x > 1": sp.Gt(x, 1)}, shown=(x,))
>>> step.status, step.smt.model
('proved (SMT)', (('x', 'x', '2'),))
"""

import dataclasses
from dataclasses import dataclass

import sympy as sp
import z3

from proofs.lemma import FAILED, PROVED_SMT, Step, weakest
from theory.symbols import to_latex

#: Z3 gives up after this many milliseconds (the checks here take a few); a timeout is an ``unknown`` answer.
TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class ForAll:
    """``body`` for every value of the bound ``variables`` (SymPy symbols): a universally quantified axiom."""

    variables: tuple
    body: sp.Basic

    def latex(self) -> str:
        return rf"\forall {', '.join(to_latex(v) for v in self.variables)}:\ {to_latex(self.body)}"

    def text(self) -> str:
        return f"forall {', '.join(map(str, self.variables))}: {sp.sstr(self.body)}"


@dataclass(frozen=True)
class SmtQuery:
    """What Z3 was asked (label, LaTeX, text per formula), its answer, and its model ((text, LaTeX, value) per term)."""

    premises: tuple
    verdict: str
    model: tuple = ()
    #: Where the premises' derived facts come from (and which of them failed), as the step's detail says.
    sources: str = ""

    def to_dict(self) -> dict:
        return {"solver": f"Z3 {z3.get_version_string()}", "verdict": self.verdict,
                "premises": [{"label": label, "latex": latex, "text": text} for label, latex, text in self.premises],
                "model": {name: value for name, _, value in self.model}}


class _Converter:
    """SymPy -> Z3 over the reals, one Z3 constant per SymPy symbol and one function per undefined function.

    Each converter has its own Z3 context, so a query's answer and model do not depend on the queries before it.
    """

    def __init__(self):
        self.context = z3.Context()
        self.constants, self.functions, self.side_conditions = {}, {}, []

    def constant(self, symbol):
        if symbol not in self.constants:
            self.constants[symbol] = z3.Real(str(symbol), self.context)
        return self.constants[symbol]

    def convert(self, expr, bound=None):
        bound = bound or {}
        if isinstance(expr, ForAll):
            variables = {v: z3.Real(f"{v}!bound", self.context) for v in expr.variables}
            return z3.ForAll(list(variables.values()), self.convert(expr.body, {**bound, **variables}))
        if expr in bound:
            return bound[expr]
        if expr in (sp.true, sp.false):
            return z3.BoolVal(bool(expr), self.context)
        if isinstance(expr, sp.Symbol):
            return self.constant(expr)
        if expr.is_Rational:
            return z3.RealVal(f"{expr.p}/{expr.q}", self.context)
        if isinstance(expr, sp.Add):
            return z3.Sum(*(self.convert(arg, bound) for arg in expr.args))
        if isinstance(expr, sp.Mul):
            return z3.Product(*(self.convert(arg, bound) for arg in expr.args))
        if isinstance(expr, sp.Pow) and expr.exp.is_Rational:
            return self._power(self.convert(expr.base, bound), expr.exp)
        if isinstance(expr, sp.core.function.AppliedUndef):
            name = str(expr.func)
            if name not in self.functions:
                self.functions[name] = z3.Function(name, *[z3.RealSort(self.context)] * (len(expr.args) + 1))
            return self.functions[name](*(self.convert(arg, bound) for arg in expr.args))
        relations = {sp.Eq: lambda a, b: a == b, sp.Lt: lambda a, b: a < b, sp.Le: lambda a, b: a <= b,
                     sp.Gt: lambda a, b: a > b, sp.Ge: lambda a, b: a >= b, sp.Ne: lambda a, b: a != b}
        if type(expr) in relations:
            return relations[type(expr)](*(self.convert(arg, bound) for arg in expr.args))
        connectives = {sp.And: z3.And, sp.Or: z3.Or, sp.Not: z3.Not, sp.Implies: z3.Implies}
        if type(expr) in connectives:
            return connectives[type(expr)](*(self.convert(arg, bound) for arg in expr.args))
        raise TypeError(f"no Z3 form for {sp.srepr(expr)}")

    def _power(self, base, exponent: sp.Rational):
        if exponent.q == 1:
            return base**int(exponent.p) if exponent.p >= 0 else 1 / base**int(-exponent.p)
        root = z3.FreshReal("root", self.context)
        numerator = abs(int(exponent.p))
        # root = base**(p/q) for base > 0: root > 0 and root**q = base**p (base**-p * root**q = 1 when p < 0).
        self.side_conditions += [root > 0, root**exponent.q == base**numerator if exponent.p > 0
                                 else root**exponent.q * base**numerator == 1]
        return root


def to_z3(expr, converter=None):
    """One SymPy relation (or :class:`ForAll`) as a Z3 formula.

    >>> to_z3(sp.Eq(sp.Symbol("L_B"), sp.Symbol("n_layer") / sp.Symbol("k")**2))
    L_B == n_layer*(1/k**2)
    """
    return (converter or _Converter()).convert(expr)


def _latex(formula) -> str:
    return formula.latex() if isinstance(formula, ForAll) else to_latex(formula)


def _text(formula) -> str:
    return formula.text() if isinstance(formula, ForAll) else sp.sstr(formula)


def _value(value) -> str:
    """A model value: exact for a rational, 6 decimals (Z3's trailing ``?`` marks an approximation) otherwise."""
    if z3.is_rational_value(value):
        return str(value.as_fraction()) if value.denominator_as_long() != 1 else str(value.numerator_as_long())
    if z3.is_algebraic_value(value):
        return value.as_decimal(6)
    return str(value)


def ask(premises: dict, shown=()):
    """Z3's answer to the conjunction of ``premises`` (label -> relation or list of relations) and its query record.

    ``shown`` lists the SymPy terms (symbols, f(p) applications) whose values a model reports.
    """
    converter = _Converter()
    solver = z3.Solver(ctx=converter.context)
    solver.set("timeout", TIMEOUT_MS)
    listed = []
    for label, formulas in premises.items():
        for formula in (formulas if isinstance(formulas, (list, tuple)) else [formulas]):
            solver.add(converter.convert(formula))
            listed.append((label, _latex(formula), _text(formula)))
    solver.add(*converter.side_conditions)
    answer = solver.check()
    model = ()
    if answer == z3.sat:
        found = solver.model()
        model = tuple((sp.sstr(term), to_latex(term), _value(found.eval(converter.convert(term), model_completion=True)))
                      for term in shown)
    return answer, SmtQuery(tuple(listed), str(answer), model)


def unsat(description, premises: dict, cited=None, claim=None, conclusion=False) -> Step:
    """Z3 finds the conjunction of ``premises`` unsatisfiable: proved (SMT), as weak as the ``cited`` results.

    ``cited`` maps labels to the steps or lemma results that the premises' derived facts rest on.
    """
    answer, query = ask(premises, shown=())
    cited = cited or {}
    if answer != z3.unsat:
        return Step(description, FAILED, f"Z3 answers {answer}, not unsat", claim, conclusion, query)
    status = weakest([PROVED_SMT, *(item.status for item in cited.values())])
    query = dataclasses.replace(query, sources=_sources(cited))
    return Step(description, status, f"Z3 answers unsat{query.sources}", claim, conclusion, query)


def sat(description, premises: dict, shown=(), cited=None, conclusion=False) -> Step:
    """Z3 finds a model of ``premises``: proved (SMT) with the model as the witness; failed when unsat or unknown."""
    answer, query = ask(premises, shown)
    cited = cited or {}
    if answer != z3.sat:
        return Step(description, FAILED, f"Z3 answers {answer}, not sat: no witness", None, conclusion, query)
    status = weakest([PROVED_SMT, *(item.status for item in cited.values())])
    query = dataclasses.replace(query, sources=_sources(cited))
    witness = ", ".join(f"{name} = {value}" for name, _, value in query.model)
    return Step(description, status, f"Z3 answers sat: {witness}{query.sources}", None, conclusion, query)


def _sources(cited: dict) -> str:
    """Where the premises' derived facts come from, naming any that failed."""
    if not cited:
        return ""
    failed = [label for label, item in cited.items() if item.status == FAILED]
    if failed:
        return f"; but premises from {'; '.join(failed)} failed"
    return f"; premises from: {'; '.join(cited)}"
