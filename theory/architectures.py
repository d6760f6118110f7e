r"""Parameter-count families of transformer architectures, and the homogeneity the note's argument needs.

A parameter count is a callable ``count(d_model, n_layer) -> sympy.Expr`` (non-embedding weight matrices,
biases and norms left out), passed to count-dependent functions as ``parameter_count=``. Per layer it is
the attention block plus the MLP block:

* attention with query width d_attn = r_attn d_model and key/value width d_kv: Q and O are d_model x d_attn,
  K and V are d_model x d_kv, so 2 d_model d_attn + 2 d_model d_kv. Multi-head attention has d_kv = d_attn
  (Vaswani et al. 2017; Kaplan et al. 2020, eq. 2.1: 4 d_model d_attn); grouped-query attention shares each
  key/value head among n_heads/n_kv_heads query heads, d_kv = (n_kv_heads/n_heads) d_attn
  (Ainslie et al. 2023, "GQA", arXiv:2305.13245);
* an MLP of width d_ff = r_ff d_model: two matrices, 2 d_model d_ff (Kaplan et al. 2020), or three for a gated
  linear unit such as SwiGLU, 3 d_model d_ff (Shazeer 2020, "GLU Variants Improve Transformer",
  arXiv:2002.05202; LLaMA, Touvron et al. 2023, arXiv:2302.13971, uses d_ff = 2/3 4 d_model = 8/3 d_model
  so that the count stays 12 n_layer d_model^2).

The Model A/B table, the lemmas and the theorem rest on N(k d_model, n_layer/k^2) = N(d_model, n_layer), which
holds when N is homogeneous of degree 2 in d_model and 1 in n_layer (:func:`homogeneity`). Every width that
scales with d_model keeps that; a fixed key/value width (G heads of a fixed d_head, as Llama 2 70B's 8 heads of
128 would be if held fixed while d_model grows) does not, and :func:`require_homogeneous` refuses it with the
offending term.

>>> from theory.symbols import d_model, n_layer
>>> ARCHITECTURES["swiglu"](d_model, n_layer)
12*d_model**2*n_layer
>>> ARCHITECTURES["gqa"](d_model, n_layer)
41*d_model**2*n_layer/4
>>> homogeneity(ARCHITECTURES["gqa-fixed-kv"]).holds
False
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import sympy as sp

from theory import symbols
from theory.names import ARCHITECTURE_SUMMARIES
from theory.validation import InvalidParameter, check_choice, check_positive_exact

if TYPE_CHECKING:
    from theory.model_table import ModelTable

__all__ = [
    "ARCHITECTURES",
    "Architecture",
    "Homogeneity",
    "ParameterCount",
    "architecture",
    "architecture_table",
    "attention_parameters",
    "homogeneity",
    "mlp_parameters",
    "require_homogeneous",
]

#: A parameter count: ``count(d_model, n_layer) -> sympy.Expr``.
ParameterCount = Callable[[sp.Expr, sp.Expr], sp.Expr]


def attention_parameters(d_model: sp.Expr | int, d_attn: sp.Expr | int, d_kv: sp.Expr | int) -> sp.Expr:
    """Q, K, V, O projections: 2 d_model d_attn + 2 d_model d_kv (d_kv = d_attn for multi-head attention).

    >>> from theory.symbols import d_model
    >>> attention_parameters(d_model, d_model, d_model)
    4*d_model**2
    """
    return sp.sympify(2 * d_model * d_attn + 2 * d_model * d_kv)


def mlp_parameters(d_model: sp.Expr | int, d_ff: sp.Expr | int, gated: bool) -> sp.Expr:
    """2 d_model d_ff for a two-matrix MLP (Kaplan 2020), 3 d_model d_ff for a gated one (SwiGLU, Shazeer 2020).

    >>> from theory.symbols import d_model
    >>> mlp_parameters(d_model, 4 * d_model, gated=False), mlp_parameters(d_model, 4 * d_model, gated=True)
    (8*d_model**2, 12*d_model**2)
    """
    return sp.sympify((3 if gated else 2) * d_model * d_ff)


@dataclass(frozen=True)
class Architecture:
    """A parameter-count family at given ratios; call it as ``count(d_model, n_layer)``.

    ``attn_ratio`` = d_attn/d_model, ``ff_ratio`` = d_ff/d_model, ``kv_ratio`` = n_kv_heads/n_heads (1 for
    multi-head attention), ``gated`` for a three-matrix MLP; ``kv_width`` a fixed key/value width
    n_kv_heads d_head that does not scale with d_model (then ``kv_ratio`` is unused).
    """

    name: str
    summary: str
    source: str
    attn_ratio: sp.Expr = sp.Integer(1)
    ff_ratio: sp.Expr = sp.Integer(4)
    kv_ratio: sp.Expr = sp.Integer(1)
    gated: bool = False
    kv_width: sp.Expr | None = None

    def __call__(self, d_model: sp.Expr | int, n_layer: sp.Expr | int) -> sp.Expr:
        """n_layer (attention + MLP) at width ``d_model``."""
        d_attn = self.attn_ratio * d_model
        d_kv = self.kv_width if self.kv_width is not None else self.kv_ratio * d_attn
        per_layer = attention_parameters(d_model, d_attn, d_kv) + mlp_parameters(d_model, self.ff_ratio * d_model,
                                                                                  self.gated)
        return sp.expand(n_layer * per_layer)

    def with_ratios(self, *, attn_ratio: sp.Expr | float | None = None, ff_ratio: sp.Expr | float | None = None,
                    kv_ratio: sp.Expr | float | None = None) -> "Architecture":
        """The same family at other ratios (each a positive exact number; None keeps the family's).

        >>> from theory.symbols import d_model, n_layer
        >>> ARCHITECTURES["swiglu"].with_ratios(ff_ratio=sp.Rational(7, 2))(d_model, n_layer)
        29*d_model**2*n_layer/2
        """
        changes = {name: check_positive_exact(name, value)
                   for name, value in (("attn_ratio", attn_ratio), ("ff_ratio", ff_ratio), ("kv_ratio", kv_ratio))
                   if value is not None}
        if "kv_ratio" in changes and changes["kv_ratio"].is_number and changes["kv_ratio"] > 1:
            raise InvalidParameter("kv_ratio", f"must be <= 1 (n_kv_heads <= n_heads), got {changes['kv_ratio']}")
        return replace(self, **changes)

    @property
    def is_homogeneous(self) -> bool:
        """Whether the count is homogeneous of degree 2 in d_model and 1 in n_layer (:func:`homogeneity`)."""
        return homogeneity(self).holds


def _family(name: str, source: str, **ratios) -> Architecture:
    """The family ``name`` with its one-line summary from :data:`theory.names.ARCHITECTURE_SUMMARIES`."""
    return Architecture(name, ARCHITECTURE_SUMMARIES[name], source, **ratios)


#: The named families at their default ratios; the keys are what ``--architecture`` accepts (listed without SymPy
#: in :data:`theory.names.ARCHITECTURE_SUMMARIES`).
ARCHITECTURES = {
    family.name: family
    for family in (
        _family("kaplan", "Kaplan et al. 2020, arXiv:2001.08361, eq. 2.1"),
        _family("swiglu",
                "Shazeer 2020, arXiv:2002.05202; ratio 2/3 * 4 of LLaMA, Touvron et al. 2023, arXiv:2302.13971",
                ff_ratio=sp.Rational(8, 3), gated=True),
        _family("gqa", "Ainslie et al. 2023, arXiv:2305.13245 (GQA-8 of 64 heads)", kv_ratio=sp.Rational(1, 8)),
        _family("swiglu-gqa", "Touvron et al. 2023, Llama 2, arXiv:2307.09288, Table 1 and Sec. 2.2; "
                "config of meta-llama/Llama-2-70b-hf (d_ff = 28672 = 7/2 x 8192, 8 of 64 heads)",
                ff_ratio=sp.Rational(7, 2), kv_ratio=sp.Rational(1, 8), gated=True),
        _family("gqa-fixed-kv", "Touvron et al. 2023, Llama 2, arXiv:2307.09288 (70B: 8 key/value heads of 128)",
                ff_ratio=sp.Rational(7, 2), gated=True, kv_width=sp.Integer(8 * 128)),
    )
}


def architecture(name: str, *, attn_ratio: sp.Expr | float | None = None, ff_ratio: sp.Expr | float | None = None,
                 kv_ratio: sp.Expr | float | None = None) -> Architecture:
    """The family ``name`` of :data:`ARCHITECTURES`, at its own ratios unless others are given.

    >>> architecture("gqa", kv_ratio=1).name, architecture("gqa", kv_ratio=1).kv_ratio
    ('gqa', 1)
    """
    check_choice("architecture", name, tuple(ARCHITECTURES))
    return ARCHITECTURES[name].with_ratios(attn_ratio=attn_ratio, ff_ratio=ff_ratio, kv_ratio=kv_ratio)


@dataclass(frozen=True)
class Homogeneity:
    """Whether N(t d, L) = t^2 N(d, L) and N(d, t L) = t N(d, L) for all t > 0 (checked symbolically), and why."""

    count: sp.Expr
    holds: bool
    reason: str


def _degrees(term: sp.Expr) -> tuple | None:
    try:
        poly = sp.Poly(term, symbols.d_model, symbols.n_layer)
    except sp.PolynomialError:
        return None
    return poly.monoms()[0] if len(poly.monoms()) == 1 else None


def homogeneity(count: ParameterCount) -> Homogeneity:
    """Check, with SymPy, that ``count`` is homogeneous of degree 2 in d_model and 1 in n_layer.

    Scaling t > 0 symbolic: simplify(N(t d, L) - t^2 N(d, L)) and simplify(N(d, t L) - t N(d, L)) must be 0.
    When not, the reason names the first term of another degree (or says the count is not a polynomial).

    >>> from theory.symbols import d_model, n_layer
    >>> homogeneity(lambda d, L: 12 * d**3 * L).reason
    'N = 12*d_model**3*n_layer is not homogeneous of degree 2 in d_model and 1 in n_layer: its term 12*d_model**3*n_layer has degree 3 in d_model and 1 in n_layer'
    """
    d, layers, scale = symbols.d_model, symbols.n_layer, sp.Symbol("t", positive=True)
    expression = sp.expand(sp.sympify(count(d, layers)))
    width = sp.simplify(sp.sympify(count(scale * d, layers)) - scale**2 * expression) == 0
    depth = sp.simplify(sp.sympify(count(d, scale * layers)) - scale * expression) == 0
    if width and depth:
        return Homogeneity(expression, True, f"N = {expression} is homogeneous of degree 2 in d_model and 1 in n_layer")
    prefix = f"N = {expression} is not homogeneous of degree 2 in d_model and 1 in n_layer"
    for term in sp.Add.make_args(expression):
        degrees = _degrees(term)
        if degrees is None:
            return Homogeneity(expression, False, f"{prefix}: its term {term} is not a power product of them")
        if degrees != (2, 1):
            return Homogeneity(expression, False, f"{prefix}: its term {term} has degree {degrees[0]} in d_model "
                                                  f"and {degrees[1]} in n_layer")
    return Homogeneity(expression, False, prefix)


def require_homogeneous(count: ParameterCount, name: str = "parameter_count") -> ParameterCount:
    """Return ``count`` if it is homogeneous of degree (2, 1); else raise InvalidParameter naming ``name``.

    The parameter-preserving shape change (d_model, n_layer) -> (k d_model, n_layer/k^2) keeps N only then.

    >>> require_homogeneous(ARCHITECTURES["gqa-fixed-kv"], "architecture")
    Traceback (most recent call last):
    ...
    theory.validation.InvalidParameter: architecture must be homogeneous of degree 2 in d_model and 1 in n_layer (the table, the lemmas and the theorem need N(k d, L/k^2) = N(d, L)): N = 25*d_model**2*n_layer/2 + 2048*d_model*n_layer is not homogeneous of degree 2 in d_model and 1 in n_layer: its term 2048*d_model*n_layer has degree 1 in d_model and 1 in n_layer
    """
    result = homogeneity(count)
    if not result.holds:
        raise InvalidParameter(name, "must be homogeneous of degree 2 in d_model and 1 in n_layer (the table, the "
                                     f"lemmas and the theorem need N(k d, L/k^2) = N(d, L)): {result.reason}")
    return count


def architecture_table(family: Architecture, k: sp.Expr | float = symbols.k, neurons: str = "residual") -> "ModelTable":
    """The Model A/B table (:func:`theory.model_table.derive_model_table`) under ``family``'s count and its own
    ratios (so ``neurons="mlp"`` counts its d_ff); refused unless the count is homogeneous of degree (2, 1).

    >>> architecture_table(ARCHITECTURES["swiglu"], k=2, neurons="mlp").row("neurons_per_layer").model_a
    8*d_model/3
    """
    from theory.model_table import derive_model_table

    require_homogeneous(family, "family")
    return derive_model_table(k=k, attn_ratio=family.attn_ratio, ff_ratio=family.ff_ratio, neurons=neurons,
                              parameter_count=family)
