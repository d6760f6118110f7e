"""Scaling laws: Chinchilla's compute-optimal allocation, shape invariance of the loss, and the note's eq. (1)."""

import functools
import math

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from superposition.testing import positive_rationals
from theory import scaling_laws as laws
from theory.shapes import parameter_count
from theory.symbols import d_model, k, n_layer
from theory.validation import InvalidParameter

FITS = {"kaplan_n": laws.KAPLAN_SEPARATE, "kaplan_nd": laws.KAPLAN_JOINT, "chinchilla": laws.CHINCHILLA}
TOKENS = 10**11  # a data size for the laws that take D


def numeric_loss_of_shape(law):
    """The law at its published constants as a float function of (d_model, n_layer)."""
    expr = laws.loss_of_shape(law, d_model, n_layer).subs(FITS[law].substitutions()).subs(laws.D, TOKENS)
    return sp.lambdify((d_model, n_layer), expr, "math")


# -- Chinchilla: the compute-optimal allocation --------------------------------------------------------------------

def test_chinchilla_exponents_from_its_constants():
    """Hoffmann et al. 2022: N_opt ~ C^(beta/(alpha+beta)) ~ C^0.45, D_opt ~ C^(alpha/(alpha+beta)) ~ C^0.55."""
    general = laws.compute_optimal_allocation()
    assert general.n_exponent == laws.beta / (laws.alpha + laws.beta)
    assert general.d_exponent == laws.alpha / (laws.alpha + laws.beta)
    fitted = laws.compute_optimal_allocation(laws.CHINCHILLA)
    assert (fitted.n_exponent, fitted.d_exponent) == (sp.Rational(14, 31), sp.Rational(17, 31))
    assert float(fitted.n_exponent) == pytest.approx(0.4516, abs=1e-4)
    assert float(fitted.d_exponent) == pytest.approx(0.5484, abs=1e-4)


def test_chinchilla_prefactor_is_hoffmanns_G():
    """Hoffmann et al. 2022, Sec. 3.3: N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b with G = (alpha A / (beta B))^(1/(alpha+beta))."""
    opt = laws.compute_optimal_allocation()
    G = (laws.alpha * laws.A / (laws.beta * laws.B)) ** (1 / (laws.alpha + laws.beta))
    a, b = opt.n_exponent, opt.d_exponent
    assert sp.simplify(opt.chinchilla_g - G) == 0
    assert sp.simplify(sp.expand_power_base(opt.n_opt / (G * (laws.C / 6) ** a), force=True)) == 1
    assert sp.simplify(sp.expand_power_base(opt.d_opt / ((laws.C / 6) ** b / G), force=True)) == 1
    assert sp.simplify(opt.n_coefficient - G * 6 ** (-a)) == 0


def test_chinchilla_optimum_is_stationary_on_the_constraint_symbolically():
    """Lagrange: grad L = lambda grad(6ND) = lambda (6D, 6N), i.e. N dL/dN = D dL/dD, and 6 N_opt D_opt = C."""
    opt, loss = laws.compute_optimal_allocation(), laws.chinchilla_loss()
    stationarity = (laws.N * sp.diff(loss, laws.N) - laws.D * sp.diff(loss, laws.D)).subs({laws.N: opt.n_opt, laws.D: opt.d_opt})
    assert sp.simplify(sp.powsimp(sp.expand_power_base(stationarity, force=True), force=True)) == 0
    assert sp.simplify(laws.training_compute(opt.n_opt, opt.d_opt) - laws.C) == 0


def test_chinchilla_optimum_is_a_minimum():
    """The curvature along the constraint at a stationary point, alpha (alpha + beta) A N^(-alpha-2), is positive."""
    assert laws.compute_optimal_allocation().curvature.is_positive
    assert laws.compute_optimal_allocation(laws.CHINCHILLA).curvature.is_positive


@functools.cache
def chinchilla_numerics():
    """Float functions at Chinchilla's constants: (N_opt, D_opt)(C), (dL/dN, dL/dD)(N, D), L on the constraint (N, C)."""
    opt = laws.compute_optimal_allocation(laws.CHINCHILLA)
    loss = laws.chinchilla_loss().subs(laws.CHINCHILLA.substitutions())
    return (
        sp.lambdify(laws.C, (opt.n_opt, opt.d_opt), "math"),
        sp.lambdify((laws.N, laws.D), (sp.diff(loss, laws.N), sp.diff(loss, laws.D)), "math"),
        sp.lambdify((laws.N, laws.C), loss.subs(laws.D, laws.C / (6 * laws.N)), "math"),
    )


@given(st.floats(min_value=15.0, max_value=27.0))
def test_chinchilla_optimum_satisfies_constraint_and_first_order_conditions(log10_compute):
    compute = 10.0**log10_compute
    allocation, gradient, on_constraint = chinchilla_numerics()
    n, d = allocation(compute)
    assert 6 * n * d == pytest.approx(compute, rel=1e-9)
    grad_n, grad_d = gradient(n, d)
    # Lagrange: grad L = lambda grad(6ND) = lambda (6D, 6N), so dL/dN * N = dL/dD * D.
    assert grad_n * n == pytest.approx(grad_d * d, rel=1e-9)
    assert on_constraint(n, compute) < min(on_constraint(n * 1.01, compute), on_constraint(n / 1.01, compute))


def test_allocation_at_compute_reports_numbers():
    point = laws.compute_optimal_allocation(laws.CHINCHILLA).at_compute(laws.CHINCHILLA_COMPUTE)
    assert float(6 * point["parameters"] * point["tokens"]) == pytest.approx(float(laws.CHINCHILLA_COMPUTE), rel=1e-9)
    assert float(point["loss"]) > float(laws.CHINCHILLA.E)


def test_compute_per_token():
    """Kaplan 2020, Sec. 2.1: 2N FLOPs forward per token, C = 6ND for training."""
    assert laws.forward_flops_per_token() == 2 * laws.N
    assert laws.training_compute() == 6 * laws.N * laws.D


# -- Shape invariance -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("law", list(laws.LAWS))
def test_loss_depends_on_shape_only_through_n(law):
    result = laws.shape_invariance(law)
    assert result.difference == 0 and result.jacobian == 0 and result.holds


@pytest.mark.parametrize("law", list(laws.LAWS))
@given(d=positive_rationals(), layers=positive_rationals(), width=positive_rationals(max_numerator=20, max_denominator=5))
def test_predicted_loss_is_shape_invariant_at_random_shapes(law, d, layers, width):
    loss = numeric_loss_of_shape(law)
    assert loss(float(width * d), float(layers / width**2)) == pytest.approx(loss(float(d), float(layers)), rel=1e-12)


def test_a_shape_dependent_law_would_be_caught():
    """Mutation: a 'loss' depending on d_model beyond N has a nonzero Jacobian determinant."""
    count = parameter_count(d_model, n_layer)
    mutant = (laws.N_c / count) ** laws.alpha_N * d_model
    jacobian = sp.Matrix([[sp.diff(mutant, d_model), sp.diff(mutant, n_layer)],
                          [sp.diff(count, d_model), sp.diff(count, n_layer)]]).det()
    assert sp.simplify(jacobian) != 0


# -- The note's eq. (1) ---------------------------------------------------------------------------------------------

def test_kaplan_eq_1_5_tends_to_its_single_variable_laws():
    limits = laws.note_eq1_limits()
    assert limits.kaplan_limit_n == laws.loss_of_data()
    assert limits.kaplan_limit_d == laws.loss_of_parameters()
    assert limits.kaplan_matches_loss_of_data


def test_printed_eq1_tends_to_dc_over_d_to_the_alpha_d_squared():
    """facts.md: the printed form's N -> oo limit is (D_c/D)^(alpha_D^2), not L(D)."""
    limits = laws.note_eq1_limits()
    assert sp.simplify(limits.printed_limit_n - (laws.D_c / laws.D) ** (laws.alpha_D**2)) == 0
    assert not limits.printed_matches_loss_of_data
    assert limits.agree_only_at == (laws.D_c,)
    assert limits.printed_matches_loss_of_parameters  # the D -> oo limit is right


@given(st.floats(min_value=1e6, max_value=1e16).filter(lambda tokens: abs(tokens / 1.8e13 - 1) > 1e-3))
def test_printed_limit_differs_from_l_of_d_at_the_joint_fit(tokens):
    values = laws.eq1_limit_values(laws.KAPLAN_JOINT, sp.Rational(tokens))
    assert values["kaplan_limit_n"] == values["loss_of_data"]
    assert abs(float(values["printed_limit_n"]) - float(values["loss_of_data"])) > 1e-6
    expected = (1.8e13 / tokens) ** (0.103**2)
    assert float(values["printed_limit_n"]) == pytest.approx(expected, rel=1e-12)


def test_limit_at_ten_billion_tokens():
    values = laws.eq1_limit_values()
    assert float(values["loss_of_data"]) == pytest.approx((1.8e13 / 1e10) ** 0.103, rel=1e-12)
    assert float(values["printed_limit_n"]) == pytest.approx((1.8e13 / 1e10) ** (0.103**2), rel=1e-12)


# -- Published constants and agreement of symbolic and numeric forms -----------------------------------------------

def test_published_constants_are_exact():
    """Kaplan 2020 eqs. 1.1, 1.2, Table 2; Hoffmann 2022 Sec. 3.3."""
    assert laws.KAPLAN_SEPARATE.alpha_N == sp.Rational("0.076") and laws.KAPLAN_SEPARATE.N_c == 88 * 10**12
    assert laws.KAPLAN_SEPARATE.alpha_D == sp.Rational("0.095") and laws.KAPLAN_SEPARATE.D_c == 54 * 10**12
    assert (laws.KAPLAN_JOINT.alpha_N, laws.KAPLAN_JOINT.alpha_D) == (sp.Rational("0.076"), sp.Rational("0.103"))
    assert (laws.KAPLAN_JOINT.N_c, laws.KAPLAN_JOINT.D_c) == (64 * 10**12, 18 * 10**12)
    c = laws.CHINCHILLA
    assert (c.E, c.A, c.B, c.alpha, c.beta) == tuple(sp.Rational(v) for v in ("1.69", "406.4", "410.7", "0.34", "0.28"))


FORMS = {
    "kaplan_n": (laws.loss_of_parameters, laws.KAPLAN_SEPARATE, lambda n, d: (8.8e13 / n) ** 0.076),
    "kaplan_d": (lambda: laws.loss_of_data(), laws.KAPLAN_SEPARATE, lambda n, d: (5.4e13 / d) ** 0.095),
    "kaplan_nd": (laws.kaplan_joint_loss, laws.KAPLAN_JOINT,
                  lambda n, d: ((6.4e13 / n) ** (0.076 / 0.103) + 1.8e13 / d) ** 0.103),
    "note_eq1": (laws.note_eq1_printed, laws.KAPLAN_JOINT,
                 lambda n, d: ((6.4e13 / n) ** (0.076 / 0.103) + (1.8e13 / d) ** 0.103) ** 0.103),
    "chinchilla": (laws.chinchilla_loss, laws.CHINCHILLA, lambda n, d: 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28),
}


@pytest.mark.parametrize("name", list(FORMS))
@given(log_n=st.floats(min_value=6, max_value=13), log_d=st.floats(min_value=8, max_value=14))
def test_symbolic_and_lambdified_forms_agree(name, log_n, log_d):
    form, fit, reference = FORMS[name]
    expr = form().subs(fit.substitutions())
    n, d = 10.0**log_n, 10.0**log_d
    numeric = sp.lambdify((laws.N, laws.D), expr, "math")(n, d)
    symbolic = float(expr.subs({laws.N: sp.Float(n, 30), laws.D: sp.Float(d, 30)}).evalf(30))
    assert numeric == pytest.approx(symbolic, rel=1e-12)
    assert numeric == pytest.approx(reference(n, d), rel=1e-12)


# -- The whole derivation and bad input -----------------------------------------------------------------------------

def test_derive_scaling_laws_for_symbolic_and_numeric_k():
    for width in (k, 2, sp.Rational(3, 2)):
        result = laws.derive_scaling_laws(k=width)
        assert all(check.holds for check in result.invariance)
        assert result.k == width


@pytest.mark.parametrize("arguments, name", [({"k": 0}, "k"), ({"k": -2}, "k"), ({"compute": 0}, "compute"),
                                             ({"compute": math.inf}, "compute"), ({"k": "2"}, "k")])
def test_bad_input_names_the_parameter(arguments, name):
    with pytest.raises(InvalidParameter) as error:
        laws.derive_scaling_laws(**arguments)
    assert error.value.name == name


# -- Besiroglu et al. 2024: a second constant set -------------------------------------------------------------------

def test_besiroglu_constants_are_exact_as_published():
    """Besiroglu et al. 2024 (arXiv:2404.10102), refit of Approach 3 (reference/facts.md)."""
    fit = laws.CHINCHILLA_FITS["besiroglu"]
    assert (fit.E, fit.A, fit.B, fit.alpha, fit.beta) == tuple(
        sp.Rational(v) for v in ("1.8172", "482.01", "2085.43", "0.3478", "0.3658"))
    assert list(laws.CHINCHILLA_FITS) == ["hoffmann", "besiroglu"] and laws.CHINCHILLA_FITS["hoffmann"] is laws.CHINCHILLA


def test_besiroglu_exponent_is_beta_over_alpha_plus_beta():
    """0.3658 / (0.3478 + 0.3658) = 1829/3568 = 0.5126, against Hoffmann's rounded 14/31 = 0.4516."""
    rows = {row.key: row for row in laws.compare_fits()}
    assert rows["besiroglu"].allocation.n_exponent == sp.Rational(1829, 3568)
    assert float(rows["besiroglu"].allocation.n_exponent) == pytest.approx(0.3658 / (0.3478 + 0.3658), rel=1e-12)
    assert rows["hoffmann"].allocation.n_exponent == sp.Rational(14, 31)


def test_fits_at_the_chinchilla_models_compute_match_an_independent_float_formula():
    """At C = 6 * 70e9 * 1.4e12 = 5.88e23, N_opt = G (C/6)^a with G = (alpha A / (beta B))^(1/(alpha+beta))
    (Hoffmann et al. 2022, Sec. 3.3), in plain floats; Besiroglu's set gives about 20 tokens per parameter, as
    Chinchilla was trained, Hoffmann's rounded set about 93 (the replication's point)."""
    compute = 6 * 70e9 * 1.4e12
    for row in laws.compare_fits():
        a, b, big_a, big_b = (float(v) for v in (row.fit.alpha, row.fit.beta, row.fit.A, row.fit.B))
        n_opt = (a * big_a / (b * big_b)) ** (1 / (a + b)) * (compute / 6) ** (b / (a + b))
        assert float(row.at_model_compute["compute"]) == pytest.approx(5.88e23, rel=1e-15)
        assert float(row.at_model_compute["parameters"]) == pytest.approx(n_opt, rel=1e-10)
    rows = {row.key: float(row.tokens_per_parameter) for row in laws.compare_fits()}
    assert 15 < rows["besiroglu"] < 25 and rows["hoffmann"] > 80


def test_derive_scaling_laws_uses_the_selected_constants():
    result = laws.derive_scaling_laws(k=2, constants="besiroglu")
    assert result.fit is laws.BESIROGLU and result.allocation_chinchilla.n_exponent == sp.Rational(1829, 3568)
    assert all(check.holds for check in result.invariance)
    with pytest.raises(InvalidParameter) as error:
        laws.derive_scaling_laws(constants="kaplan")
    assert error.value.name == "constants"
