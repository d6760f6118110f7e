"""A parameter count is injectable: every count-dependent theory function takes ``parameter_count=``."""

import sympy as sp

from theory import symbols
from theory.model_table import derive_model_table
from theory.scaling_laws import loss_of_parameters, shape_invariance
from theory.shapes import parameter_count, width_preserving_layers
from theory.total_capacity import total_capacity, uniqueness

k, d, n = symbols.k, symbols.d_model, symbols.n_layer


def cubic(d_model, n_layer):
    """A wrong count: N proportional to d_model**3 n_layer."""
    return d_model**3 * n_layer


def kaplan_times_three_halves(d_model, n_layer):
    """18 L d**2: Kaplan's count with another constant."""
    return 18 * d_model**2 * n_layer


def test_the_default_count_is_kaplans():
    assert width_preserving_layers(k) == width_preserving_layers(k, parameter_count=parameter_count) == n / k**2


def test_a_cubic_count_changes_the_layers_and_every_ratio_after_them():
    assert width_preserving_layers(k, parameter_count=cubic) == n / k**3
    table = derive_model_table(parameter_count=cubic)
    assert [row.ratio for row in table.rows] == [1, k, k**-3, k**-2, 1, k**3, k**2]
    assert total_capacity(a=2, parameter_count=cubic).ratio == 1 / k
    assert uniqueness(cubic).beta_transformer == 3


def test_a_count_linear_in_width_and_quadratic_in_layers():
    assert width_preserving_layers(k, parameter_count=lambda width, layers: width * layers**2) == n / sp.sqrt(k)
    assert uniqueness(lambda width, layers: width * layers**2).layer_exponent == 2


def test_another_constant_changes_no_ratio():
    kaplan, scaled = derive_model_table(), derive_model_table(parameter_count=kaplan_times_three_halves)
    assert [row.ratio for row in scaled.rows] == [row.ratio for row in kaplan.rows]
    assert scaled.row("total_parameters").model_a == 18 * d**2 * n
    assert uniqueness(kaplan_times_three_halves).beta_transformer == uniqueness().beta_transformer == 2


def test_any_count_makes_a_law_of_n_shape_invariant():
    result = shape_invariance("kaplan_n", parameter_count=cubic)
    assert result.difference == 0 and result.jacobian == 0
    assert result.loss_model_a == loss_of_parameters(cubic(d, n))
