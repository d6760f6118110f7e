"""The cylinder analogy: fixed volume pi r^2 h under r -> k r, lateral surface x 1/k, total surface by the aspect ratio."""

import pytest
import sympy as sp
from hypothesis import assume, given

from superposition.testing import positive_rationals, width_factors
from theory.cylinder import aspect, derive_cylinder, h, lateral_surface, r, total_surface, volume
from theory.model_table import derive_model_table
from theory.symbols import k
from theory.validation import InvalidParameter

widths = width_factors()


def test_height_is_solved_from_equal_volume():
    change = derive_cylinder()
    assert change.height_b == h / k**2
    assert change.volume_ratio == 1


def test_lateral_surface_scales_like_total_neurons():
    """The analogy: lateral surface B/A = 1/k = total neurons B/A of the note's table."""
    change = derive_cylinder()
    assert change.lateral_ratio == 1 / k
    assert change.lateral_ratio == derive_model_table().row("total_neurons").ratio


def test_total_surface_ratio_depends_on_aspect():
    change = derive_cylinder()
    assert sp.simplify(change.total_ratio - (aspect + k**3) / (k * (aspect + 1))) == 0
    assert sp.simplify(change.total_change - (change.total_ratio - 1)) == 0
    assert change.total_shrinks_above == k * (k + 1)


def test_note_case_rows():
    """k = 2, a = 1: radius x 2, height x 1/4, volume x 1, lateral x 1/2, total (1 + 8)/(2 (1 + 1)) = 9/4."""
    assert [row[3] for row in derive_cylinder(k=2, aspect_ratio=1).rows()] == [2, sp.Rational(1, 4), 1, sp.Rational(1, 2), sp.Rational(9, 4)]


@given(radius=positive_rationals(), height=positive_rationals(), width=widths)
def test_volume_invariant_and_lateral_surface_scales_by_one_over_k(radius, height, width):
    height_b = derive_cylinder(k=width).height_b.subs(h, height)
    assert volume(width * radius, height_b) == volume(radius, height)
    assert lateral_surface(width * radius, height_b) / lateral_surface(radius, height) == 1 / width


@given(radius=positive_rationals(), height=positive_rationals(), width=widths)
def test_total_ratio_matches_direct_computation(radius, height, width):
    change = derive_cylinder(k=width, aspect_ratio=height / radius)
    height_b = change.height_b.subs(h, height)
    assert sp.simplify(total_surface(width * radius, height_b) / total_surface(radius, height) - change.total_ratio) == 0


@given(ratio=positive_rationals(), width=widths)
def test_total_surface_shrinks_exactly_above_the_threshold_for_wider_cylinders(ratio, width):
    assume(width != 1)
    change = derive_cylinder(k=width, aspect_ratio=ratio)
    threshold = width * (width + 1)
    assume(ratio != threshold)
    shrinks = change.total_ratio < 1
    assert shrinks == (ratio > threshold if width > 1 else ratio < threshold)


def test_symbolic_and_lambdified_total_ratio_agree():
    numeric = sp.lambdify((k, aspect), derive_cylinder().total_ratio, "math")
    for width, ratio in ((2, 0.01), (1.5, 7.0), (0.3, 0.5)):
        exact = derive_cylinder(k=sp.Rational(str(width)), aspect_ratio=sp.Rational(str(ratio))).total_ratio
        assert numeric(width, ratio) == pytest.approx(float(exact), rel=1e-14)


@pytest.mark.parametrize("arguments, name", [({"k": 0}, "k"), ({"k": -1}, "k"), ({"aspect_ratio": 0}, "aspect"),
                                             ({"k": "2"}, "k")])
def test_bad_input_names_the_parameter(arguments, name):
    with pytest.raises(InvalidParameter) as error:
        derive_cylinder(**arguments)
    assert error.value.name == name


def test_radius_symbol_is_positive():
    assert r.is_positive and h.is_positive and aspect.is_positive
