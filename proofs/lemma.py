r"""The lemma structure: hypotheses, a proof built from injectable premises, and a checked result.

A :class:`Lemma` holds its hypotheses (SymPy relations) and a ``prove`` function whose keyword arguments are
its *premises* (a parameter-count function, a capacity function, a table, ...), each defaulting to the
formula in :mod:`theory`. ``check()`` runs the proof and returns a :class:`LemmaResult`: the statement (the
claims of its concluding steps, SymPy relations), every derivation step with its own status, and the time it
took. Passing a different premise (``lemma.check(parameter_count=...)``) checks the same argument from a
mutated premise, which is how the tests show the checker can fail.

Statuses (:data:`LEGEND` says what each means), weakest first: ``failed`` < ``numerical evidence`` < ``cited`` <
``proved (SMT)`` < ``proved (symbolic)``. A lemma is as strong as its weakest step. A step ``by definition``
restates a definition or a premise: it weakens nothing and proves nothing, so a lemma made only of such steps is
``by definition``. Numeric sampling never makes a step proved.

>>> from proofs.tactics import identity
>>> x = sp.Symbol("x", positive=True)
>>> square = Lemma("square", "Squares", (sp.Gt(x, 0, evaluate=False),),
...                lambda: [identity("expand", (x + 1)**2, x**2 + 2*x + 1, conclusion=True)])
>>> square.check().status
'proved (symbolic)'
"""

import inspect
import time
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from theory.symbols import to_latex

PROVED_SYMBOLIC = "proved (symbolic)"
PROVED_SMT = "proved (SMT)"
DEFINITION = "by definition"
CITED = "cited"
EVIDENCE = "numerical evidence"
FAILED = "failed"
#: Weakest first: a result takes the weakest status among its steps (``by definition`` last: it weakens nothing).
STATUSES = (FAILED, EVIDENCE, CITED, PROVED_SMT, PROVED_SYMBOLIC, DEFINITION)
#: What each status means, in the order the document, the JSON and the terminal list them.
LEGEND = {
    PROVED_SYMBOLIC: "SymPy establishes it: an identity simplifies to 0, a solution set is exactly the one stated, or "
                     "an expression's sign on an interval follows from its assumptions (the interval written as the "
                     "image of positive variables)",
    PROVED_SMT: "the SMT solver Z3 answers unsat for the premises with the conclusion negated (or, for a witness, "
                "sat with the model shown); no weaker than the facts its premises cite",
    DEFINITION: "the step restates a definition or a premise (checked to match, so a wrong table still fails): it "
                "proves nothing and weakens nothing",
    CITED: "an external fact taken from the literature, with its reference, not checked here",
    EVIDENCE: "checked only at sampled numeric points",
    FAILED: "the check does not hold or cannot be established",
}

#: Relation -> its LaTeX operator.
RELATIONS = {"=": "=", "<": "<", ">": ">", "<=": r"\le", ">=": r"\ge"}


def weakest(statuses) -> str:
    """The weakest of ``statuses`` (``by definition`` for none: nothing was proved).

    >>> weakest([PROVED_SYMBOLIC, EVIDENCE, PROVED_SMT]), weakest([DEFINITION, PROVED_SMT])
    ('numerical evidence', 'proved (SMT)')
    """
    return min(statuses, key=STATUSES.index, default=DEFINITION)


@dataclass(frozen=True)
class Claim:
    """``lhs relation rhs`` for every value of its free symbols in ``domain`` (symbol -> interval).

    Free symbols missing from ``domain`` range over what their assumptions allow (positive symbols: (0, oo)).
    Kept as two sides, so a claim stays readable even where SymPy would fold ``Eq(a, a)`` to ``True``;
    ``lhs_latex`` names the left side in the document where its expression would repeat the right side.
    """

    lhs: sp.Expr
    relation: str
    rhs: sp.Expr
    domain: tuple = ()
    lhs_latex: str | None = None

    def latex(self) -> str:
        relation = f"{self.lhs_latex or to_latex(self.lhs)} {RELATIONS[self.relation]} {to_latex(self.rhs)}"
        if not self.domain:
            return relation
        where = ", ".join(f"{to_latex(symbol)} \\in {to_latex(interval)}" for symbol, interval in self.domain)
        return rf"{relation} \quad \text{{for }} {where}"

    def text(self) -> str:
        where = "".join(f", {symbol} in {interval}" for symbol, interval in self.domain)
        return f"{sp.sstr(self.lhs)} {self.relation} {sp.sstr(self.rhs)}{where}"


@dataclass(frozen=True)
class Step:
    """One derivation step: what was done, its status and detail, and the claim it establishes (if any)."""

    description: str
    status: str
    detail: str = ""
    claim: Claim | None = None
    conclusion: bool = False
    #: The SMT query behind the step (:class:`proofs.smt.SmtQuery`), if Z3 decided it.
    smt: object = None

    def to_dict(self) -> dict:
        return {
            "description": self.description,
            "status": self.status,
            "detail": self.detail,
            "claim": None if self.claim is None else {"latex": self.claim.latex(), "text": self.claim.text()},
            "conclusion": self.conclusion,
            "smt": None if self.smt is None else self.smt.to_dict(),
        }


@dataclass(frozen=True)
class LemmaResult:
    """What ``Lemma.check`` found: the statement, the steps, the overall status, and the time taken."""

    lemma: "Lemma"
    steps: tuple
    seconds: float

    @property
    def status(self) -> str:
        return weakest(step.status for step in self.steps) if self.steps else FAILED

    @property
    def statement(self) -> tuple:
        """The claims of the concluding steps: what the lemma asserts under its premises."""
        return tuple(step.claim for step in self.steps if step.conclusion and step.claim is not None)

    def to_dict(self) -> dict:
        return {
            "name": self.lemma.name,
            "title": self.lemma.title,
            "status": self.status,
            "seconds": round(self.seconds, 4),
            "premises": list(self.lemma.premises),
            "hypotheses": [{"latex": to_latex(h), "text": sp.sstr(h)} for h in self.lemma.hypotheses],
            "formal": self.lemma.formal,
            "statement": [{"latex": claim.latex(), "text": claim.text()} for claim in self.statement],
            "steps": [step.to_dict() for step in self.steps],
        }


@dataclass(frozen=True)
class Lemma:
    """A named lemma: ``prove(**premises)`` returns its derivation steps; defaults come from :mod:`theory`."""

    name: str
    title: str
    hypotheses: tuple
    prove: Callable[..., list]
    summary: str = ""
    #: The statement in LaTeX where it is logical rather than a relation (the theorem's implication).
    formal: str = ""
    #: The status its evidence supports with the default premises, as its author claims it; the test suite checks
    #: that the computed status is exactly this (a step silently weakened, or a claim stronger than its checks, fails).
    evidence: str = PROVED_SYMBOLIC
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def premises(self) -> tuple:
        """The names of the premises ``check`` accepts as keyword arguments."""
        return tuple(inspect.signature(self.prove).parameters)

    def check(self, **premises) -> LemmaResult:
        """Run the proof (from the default premises unless some are given); never raises for a bad premise.

        A premise given as its own default counts as not given. The result from the default premises is
        cached: the theorem and ``verify`` reuse it.
        """
        defaults = {name: parameter.default for name, parameter in inspect.signature(self.prove).parameters.items()}
        premises = {name: value for name, value in premises.items() if defaults.get(name, self) is not value}
        if not premises and "default" in self._cache:
            return self._cache["default"]
        unknown = set(premises) - set(self.premises)
        if unknown:
            raise TypeError(f"{self.name} has no premise {sorted(unknown)}; its premises: {', '.join(self.premises)}")
        started = time.perf_counter()
        try:
            steps = tuple(self.prove(**premises))
        except Exception as error:  # a mutated premise may break the derivation itself: that is a failure
            steps = (Step("derivation", FAILED, f"the derivation raised {type(error).__name__}: {error}"),)
        result = LemmaResult(self, steps, time.perf_counter() - started)
        if not premises:
            self._cache["default"] = result
        return result
