r"""The note's cylinder analogy: volume (parameters) fixed while the surface (neurons) changes with the shape.

A solid cylinder of radius r (d_model) and height h (n_layer) has volume :math:`\pi r^2 h` (like
N ∝ d_model² n_layer), lateral surface :math:`2\pi r h` (like the total neurons d_model n_layer) and total surface
:math:`2\pi r h + 2\pi r^2`. Widening r -> k r at equal volume fixes the new height (solved, not typed in);
the lateral surface then scales by 1/k, like the total neurons of the note's Model B. The total surface ratio
depends on the aspect ratio a = h/r as well, and drops below 1 only for tall cylinders.

>>> change = derive_cylinder()
>>> change.height_b, change.volume_ratio, change.lateral_ratio
(h/k**2, 1, 1/k)
>>> change.total_ratio
(a + k**3)/(k*(a + 1))
>>> change.total_change, change.total_shrinks_above
(-(k - 1)*(a - k**2 - k)/(k*(a + 1)), k*(k + 1))
"""

import functools
from dataclasses import dataclass

import sympy as sp

from theory import symbols
from theory.validation import check_positive_exact

r = sp.Symbol("r", positive=True)
h = sp.Symbol("h", positive=True)
#: The aspect ratio h / r.
aspect = sp.Symbol("a", positive=True)


def volume(radius=r, height=h):
    """Volume of a solid cylinder, pi r^2 h."""
    return sp.pi * radius**2 * height


def lateral_surface(radius=r, height=h):
    """Lateral (side) surface of a cylinder, 2 pi r h."""
    return 2 * sp.pi * radius * height


def total_surface(radius=r, height=h):
    """Total surface of a solid cylinder: lateral 2 pi r h plus the two ends 2 pi r^2."""
    return lateral_surface(radius, height) + 2 * sp.pi * radius**2


@dataclass(frozen=True)
class CylinderChange:
    """Cylinder A = (r, h) against cylinder B = (k r, height_b) of equal volume; ratios are B/A.

    ``total_ratio`` is a function of k and the aspect ratio a = h/r; ``total_change`` = total_ratio - 1 factored
    shows its sign: for k > 1 the total surface shrinks exactly when a > ``total_shrinks_above``.
    """

    k: sp.Expr
    aspect: sp.Expr
    height_b: sp.Expr
    volume_ratio: sp.Expr
    lateral_ratio: sp.Expr
    total_ratio: sp.Expr
    total_change: sp.Expr
    total_shrinks_above: sp.Expr

    def rows(self) -> list[tuple]:
        """(label, cylinder A, cylinder B, B/A) for radius, height, volume, lateral and total surface, with h = a r.

        >>> [row[3] for row in derive_cylinder(k=2, aspect_ratio=1).rows()]
        [2, 1/4, 1, 1/2, 9/4]
        """
        height_a = self.aspect * r
        height_b = self.height_b.subs(h, height_a)
        cells = [("radius", r, self.k * r), ("height", height_a, height_b)]
        cells += [(label, quantity(r, height_a), quantity(self.k * r, height_b))
                  for label, quantity in (("volume", volume), ("lateral surface", lateral_surface),
                                          ("total surface", total_surface))]
        return [(label, sp.factor(a), sp.factor(b), sp.factor(b / a)) for label, a, b in cells]


def derive_cylinder(k=symbols.k, aspect_ratio=aspect) -> CylinderChange:
    """Derive the cylinder change for width factor ``k`` and aspect ratio ``aspect_ratio`` (symbols or numbers > 0).

    >>> derive_cylinder(k=2, aspect_ratio=1).total_ratio
    9/4
    """
    values = {symbols.k: check_positive_exact("k", k), aspect: check_positive_exact("aspect", aspect_ratio)}
    general = _derive_general()
    return CylinderChange(values[symbols.k], values[aspect], *(
        sp.factor(getattr(general, name).subs(values))
        for name in ("height_b", "volume_ratio", "lateral_ratio", "total_ratio", "total_change", "total_shrinks_above")
    ))


@functools.cache
def _derive_general() -> CylinderChange:
    k = symbols.k
    height_b_symbol = sp.Symbol("h_B", positive=True)
    (height_b,) = sp.solve(sp.Eq(volume(k * r, height_b_symbol), volume(r, h)), height_b_symbol)

    def ratio(quantity):
        return sp.simplify((quantity(k * r, height_b) / quantity(r, h)).subs(h, aspect * r))

    total_ratio = sp.factor(ratio(total_surface))
    (threshold,) = sp.solve(sp.Eq(total_ratio, 1), aspect)
    return CylinderChange(
        k, aspect, height_b, ratio(volume), ratio(lateral_surface), total_ratio,
        sp.factor(total_ratio - 1), sp.factor(threshold),
    )
