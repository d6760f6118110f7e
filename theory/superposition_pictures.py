r"""Three pictures of superposition and what each predicts for Model B relative to Model A.

Every prediction is built from the rows of the Model A/B table (:mod:`theory.model_table`): neurons per layer
m, layers L and features per layer n_l = F/L (universality: both models learn the same F features). Model B
is k times wider with L/k**2 layers (equal parameters).

* **Counting** (the note; Elhage et al. 2022): a layer of m neurons holds m f(p) features, so the total
  capacity is L m f(p) (:func:`theory.total_capacity.total_capacity`, a = 1). B/A = 1/k: Model B holds 1/k of
  the features Model A holds at the same density, or needs f(p_B) = k f(p_A).
* **m² variant** (the note's speculative fix): a layer holds m**2 f(p); B/A = 1, capacity is a function of N.
* **Interference** (Liu, Liu & Gore 2025, arXiv:2505.10465): every feature is kept at unit norm and the loss
  comes from the squared overlaps of n unit vectors in m dimensions, whose mean is at least the Welch bound
  (n - m)/(m (n - 1)) and tends to 1/m for n >> m (:func:`welch_bound`, :func:`overlap_many_features`).
  Two readings of "loss per layer", both with overlap 1/m:

  - *per feature*: loss per layer ∝ (features per layer) x (overlap), each feature paying one overlap
    (Liu et al.'s normalisation: the expected number of active features per input is held at 1);
  - *co-active at density p*: each active feature is disturbed by the n_l p other features active in its
    layer, so loss per layer ∝ (n_l p) (n_l p) (overlap) (the toy model's data at a fixed density p).

  Total loss = layers x loss per layer.

The scaling laws' own prediction is L_B/L_A = 1 at equal N (:func:`theory.scaling_laws.shape_invariance`).

>>> [(row.key, row.ratio) for row in derive_pictures().pictures]
[('counting', 1/k), ('quadratic', 1), ('interference', 1/k), ('interference_coactive', k)]
>>> overlap_many_features()
1/m_dim
"""

import functools
from dataclasses import dataclass

import sympy as sp

from theory import symbols
from theory.l1_phase_transition import density
from theory.model_table import derive_model_table
from theory.scaling_laws import shape_invariance
from theory.shapes import parameter_count
from theory.total_capacity import capacity_needed, f_a, total_capacity
from theory.validation import check_positive_exact

#: Number of unit vectors and the dimension they live in (Welch bound).
n_vectors, m_dimension = sp.symbols("n_vec m_dim", positive=True)
#: Proportionality constant of the interference loss (the same for both models: same data, same loss).
c_interference = sp.Symbol("c_I", positive=True)


def welch_bound(n=n_vectors, m=m_dimension):
    r"""Welch (1974): n unit vectors in R^m have mean squared off-diagonal overlap at least (n - m)/(m (n - 1)).

    From ‖G‖_F² >= (tr G)²/m = n²/m for the Gram matrix G of rank <= m: the n(n - 1) off-diagonal squares sum to
    at least n²/m - n. Meant for n >= m (for n <= m orthogonal vectors reach 0).

    >>> welch_bound(1000, 10)
    11/111
    """
    n, m = sp.sympify(n), sp.sympify(m)
    return (n - m) / (m * (n - 1))


@functools.cache
def overlap_many_features(m=m_dimension):
    """The mean squared overlap of many more unit vectors than dimensions: lim_{n -> oo} of the Welch bound, 1/m."""
    return sp.limit(welch_bound(n_vectors, m_dimension), n_vectors, sp.oo).subs(m_dimension, m)


@dataclass(frozen=True)
class Picture:
    """One picture's quantity for Model A and Model B and the ratio B/A (``ratio``), plus its per-layer ratio.

    ``quantity`` says what is compared (total capacity, or total loss); ``needed`` is, for the capacity pictures,
    the capacity per neuron f_B that Model B needs divided by f_A (None for the loss pictures).
    """

    key: str
    label: str
    source: str
    quantity: str
    model_a: sp.Expr
    model_b: sp.Expr
    ratio: sp.Expr
    per_layer_ratio: sp.Expr
    needed: sp.Expr | None

    def at(self, k_value) -> sp.Expr:
        """The ratio B/A at a number k."""
        return sp.simplify(self.ratio.subs(symbols.k, k_value))


@dataclass(frozen=True)
class PicturesDerivation:
    """All pictures for width factor ``k`` (symbolic or a number), and the scaling laws' loss ratio (1)."""

    k: sp.Expr
    pictures: tuple
    scaling_law_ratio: sp.Expr

    def picture(self, key: str) -> Picture:
        return next(row for row in self.pictures if row.key == key)

    def agrees_with_scaling_laws(self, key: str) -> bool:
        """Whether the picture's B/A equals the scaling laws' loss ratio for every k (symbolically)."""
        return sp.simplify(self.picture(key).ratio - self.scaling_law_ratio) == 0


def _capacity_picture(key, label, source, exponent, count) -> Picture:
    total = total_capacity(a=exponent, parameter_count=count)
    table = derive_model_table(parameter_count=count)
    width = table.row("neurons_per_layer").ratio
    per_layer_needed = table.row("features_per_layer").ratio
    return Picture(key, label, source, "total capacity (features held)", total.model_a, total.model_b, total.ratio,
                   sp.simplify(width**exponent / per_layer_needed), sp.simplify(capacity_needed(total) / f_a))


def _interference_picture(key, label, source, coactive: bool, count) -> Picture:
    table = derive_model_table(parameter_count=count)
    width, layers, per_layer = (table.row(name) for name in ("neurons_per_layer", "layers", "features_per_layer"))

    def total_loss(features, neurons, depth):
        partners = features * density if coactive else 1
        active = features * density if coactive else features
        return depth * c_interference * active * partners * overlap_many_features(neurons)

    model_a = sp.simplify(total_loss(per_layer.model_a, width.model_a, layers.model_a))
    model_b = sp.simplify(total_loss(per_layer.model_b, width.model_b, layers.model_b))
    per_layer_ratio = sp.simplify((model_b / layers.model_b) / (model_a / layers.model_a))
    return Picture(key, label, source, "total loss", model_a, model_b, sp.simplify(model_b / model_a), per_layer_ratio, None)


@functools.cache
def _derive_general(count) -> PicturesDerivation:
    note = "Katta 2024 (the note); Elhage et al. 2022"
    liu = "Liu, Liu & Gore 2025, arXiv:2505.10465"
    pictures = (
        _capacity_picture("counting", "Counting: m f(p) features per layer", note, 1, count),
        _capacity_picture("quadratic", "m^2 variant: m^2 f(p) features per layer", "Katta 2024 (speculative fix)", 2,
                          count),
        _interference_picture("interference", "Interference: loss/layer ~ (features/layer) x (1/m)", liu, False, count),
        _interference_picture("interference_coactive", "Interference at density p: loss/layer ~ (n_l p)^2 / m",
                              f"{liu}, at a fixed density p", True, count),
    )
    law = shape_invariance("chinchilla", parameter_count=count)
    return PicturesDerivation(symbols.k, pictures, sp.simplify(law.loss_model_b / law.loss_model_a))


def derive_pictures(k=symbols.k, parameter_count=parameter_count) -> PicturesDerivation:
    """Each picture's B/A for width factor ``k`` (symbolic by default); ``parameter_count`` is the count the two
    shapes keep equal (Kaplan's by default; :mod:`theory.shapes`).

    >>> result = derive_pictures(k=2)
    >>> [(row.key, row.ratio, row.needed) for row in result.pictures]
    [('counting', 1/2, 2), ('quadratic', 1, 1), ('interference', 1/2, None), ('interference_coactive', 2, None)]
    """
    general = _derive_general(parameter_count)
    k = check_positive_exact("k", k)
    if k == symbols.k:
        return general

    def at(expr):
        return None if expr is None else sp.simplify(expr.subs(symbols.k, k))

    pictures = tuple(
        Picture(row.key, row.label, row.source, row.quantity, at(row.model_a), at(row.model_b), at(row.ratio),
                at(row.per_layer_ratio), at(row.needed))
        for row in general.pictures
    )
    return PicturesDerivation(k, pictures, general.scaling_law_ratio)
