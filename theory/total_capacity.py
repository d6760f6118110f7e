r"""Total capacity of Model A and Model B, the note's m**2 variant, cross-layer pooling, and when capacity is shape-free.

Per layer of m neurons at density p a model holds n = m**a f(p) features: a = 1 is linear superposition
(compressed sensing, Elhage et al. 2022), a = 2 the note's speculative variant n = m**2 f(1 - S). Summed over
layers, Model A (d_model, n_layer) and Model B (k d_model, n_layer / k**2) of :mod:`theory.model_table` hold

.. math:: \frac{\text{total}_B}{\text{total}_A} = \frac{(n_{\mathrm{layer}}/k^2)(k d)^a}{n_{\mathrm{layer}} d^a} = k^{a-2},

so 1/k for linear superposition and 1 for the m**2 variant. Pooling the neurons of all layers (cross-layer
superposition, capacity m_total**a f) gives k**(-a): still 1/k at a = 1.

In general, with N proportional to d_model**beta n_layer and per-layer capacity proportional to m**a, every
parameter-preserving shape change multiplies total capacity by k**(a - beta), which is 1 for every k > 0 iff
a = beta (:func:`uniqueness`); beta = 2 for transformers (Kaplan et al. 2020, eq. 2.1).

>>> total_capacity(a=1).ratio, total_capacity(a=2).ratio
(1/k, 1)
>>> total_capacity(a=1, pooling="cross-layer").ratio
1/k
>>> uniqueness().solution, uniqueness().beta_transformer
(beta, 2)
"""

import functools
from dataclasses import dataclass

import sympy as sp

from theory import symbols
from theory.model_table import derive_model_table
from theory.shapes import count_of_shape, parameter_count
from theory.validation import as_exact, check_choice

#: Exponent of the per-layer capacity in the neurons m: n = m**a f(p).
a = sp.Symbol("a", real=True)
#: Exponent of d_model in the parameter count N proportional to d_model**beta n_layer.
beta = sp.Symbol("beta", positive=True)
#: Capacity per neuron f(p) at the data's density: the same for both models (same data).
f_p = sp.Symbol("f_p", positive=True)
#: Capacity per neuron of Model A and of Model B, when each model may have its own density.
f_a, f_b = sp.symbols("f_A f_B", positive=True)

#: Per-layer capacity exponents by name: linear superposition and the note's m**2 variant.
EXPONENTS = {"linear": sp.Integer(1), "quadratic": sp.Integer(2)}
#: Where features live: in each layer separately, or across the pooled neurons of all layers.
POOLINGS = ("per-layer", "cross-layer")


def per_layer_capacity(neurons, exponent=a, capacity_per_neuron=f_p):
    """Features one layer of ``neurons`` holds: n = m**a f(p)."""
    return neurons**exponent * capacity_per_neuron


@dataclass(frozen=True)
class TotalCapacity:
    """Total features Model A and Model B hold, and B/A, for exponent ``a`` and a pooling."""

    a: sp.Expr
    k: sp.Expr
    pooling: str
    neurons: str
    model_a: sp.Expr
    model_b: sp.Expr
    ratio: sp.Expr


def total_capacity(a=1, k=symbols.k, pooling: str = "per-layer", neurons: str = "residual",
                   parameter_count=parameter_count) -> TotalCapacity:
    """Total capacity of Model A and Model B (shapes from :func:`theory.model_table.derive_model_table`).

    ``parameter_count`` is the count the shapes keep equal (Kaplan's by default).

    ``per-layer``: layers x m**a f(p). ``cross-layer``: (total neurons)**a f(p), one pool for the whole model.

    >>> total_capacity(a=2, pooling="cross-layer").ratio
    k**(-2)
    """
    check_choice("pooling", pooling, POOLINGS)
    exponent = as_exact("a", a)
    table = derive_model_table(k=k, neurons=neurons, parameter_count=parameter_count)
    if pooling == "per-layer":
        width, layers = table.row("neurons_per_layer"), table.row("layers")
        model_a = layers.model_a * per_layer_capacity(width.model_a, exponent)
        model_b = layers.model_b * per_layer_capacity(width.model_b, exponent)
    else:
        pooled = table.row("total_neurons")
        model_a = per_layer_capacity(pooled.model_a, exponent)
        model_b = per_layer_capacity(pooled.model_b, exponent)
    model_a, model_b = sp.powsimp(sp.simplify(model_a)), sp.powsimp(sp.simplify(model_b))
    return TotalCapacity(exponent, table.k, pooling, neurons, model_a, model_b, sp.simplify(model_b / model_a))


def capacity_needed(total: TotalCapacity) -> sp.Expr:
    """f_B solving total_B(f_B) = total_A(f_A): the capacity per neuron Model B needs to hold Model A's features.

    >>> capacity_needed(total_capacity(a=1)), capacity_needed(total_capacity(a=2))
    (f_A*k, f_A)
    """
    (solution,) = sp.solve(sp.Eq(total.model_b.subs(f_p, f_b), total.model_a.subs(f_p, f_a)), f_b)
    return solution


@dataclass(frozen=True)
class Uniqueness:
    """The derivation that total capacity is shape-invariant iff a = beta.

    ``layers_b`` is Model B's layer count in the table derived for N = d**beta L
    (:func:`power_law_count`); ``ratio`` is total_B/total_A = k**(a - beta), read off that table's layer and
    width rows; ``log_ratio`` = (a - beta) ln k vanishes for a k > 0, k != 1 iff its coefficient of ln k does,
    which ``solution`` solves for a. ``beta_transformer`` and ``layer_exponent`` are read off the parameter count
    the derivation was given (Kaplan's by default) by logarithmic derivatives (d ln N / d ln d_model,
    d ln N / d ln n_layer).
    """

    layers_b: sp.Expr
    ratio: sp.Expr
    log_ratio: sp.Expr
    coefficient: sp.Expr
    solution: sp.Expr
    beta_transformer: sp.Expr
    layer_exponent: sp.Expr

    def invariant_exponent(self, beta_value) -> sp.Expr:
        """The only per-layer exponent a that keeps total capacity shape-invariant when N ~ d_model**beta n_layer."""
        return self.solution.subs(beta, beta_value)


def power_law_count(d_model, n_layer):
    """The parameter count N = d_model**beta n_layer, for a symbolic exponent beta (Kaplan's N has beta = 2)."""
    return d_model**beta * n_layer


def capacity_ratio_of_table(table, exponent=a) -> sp.Expr:
    """total_B / total_A = (L_B m_B**a f) / (L_A m_A**a f), from the table's layer and neurons-per-layer cells.

    >>> capacity_ratio_of_table(derive_model_table(parameter_count=power_law_count))
    k**(a - beta)
    """
    width, layers = table.row("neurons_per_layer"), table.row("layers")
    total_a = layers.model_a * per_layer_capacity(width.model_a, exponent)
    total_b = layers.model_b * per_layer_capacity(width.model_b, exponent)
    return sp.powsimp(sp.simplify(total_b / total_a), force=True)


@functools.cache
def uniqueness(parameter_count=parameter_count) -> Uniqueness:
    """Derive a = beta: solve for the per-layer exponent that makes every equal-parameter shape change capacity-free.

    The ratio comes from the table derived for N = d**beta L; beta of ``parameter_count`` is read off it.

    >>> uniqueness(lambda d, layers: 18 * d**2 * layers).beta_transformer
    2
    """
    d, layers, k = symbols.d_model, symbols.n_layer, symbols.k
    power_law = derive_model_table(parameter_count=power_law_count)
    ratio = capacity_ratio_of_table(power_law)
    log_ratio = sp.expand(sp.expand_log(sp.log(ratio), force=True))
    coefficient = sp.simplify(log_ratio.coeff(sp.log(k)))
    if sp.simplify(log_ratio - coefficient * sp.log(k)) != 0:
        raise ArithmeticError(f"log of the capacity ratio is not linear in ln k: {log_ratio}")
    (solution,) = sp.solve(coefficient, a)
    parameters = count_of_shape(parameter_count)(d, layers)
    return Uniqueness(
        layers_b=power_law.row("layers").model_b,
        ratio=ratio,
        log_ratio=log_ratio,
        coefficient=coefficient,
        solution=solution,
        beta_transformer=sp.simplify(d * sp.diff(parameters, d) / parameters),
        layer_exponent=sp.simplify(layers * sp.diff(parameters, layers) / parameters),
    )
