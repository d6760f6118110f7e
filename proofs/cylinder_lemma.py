r"""Lemma 8 (``cylinder``): the note's analogy; at fixed volume (parameters) the lateral surface (neurons) is x 1/k.

A cylinder of radius r and height h widened to k r at equal volume has height h / k^2
(:func:`theory.cylinder.derive_cylinder`), like Model B's layers; its lateral surface 2 pi r h scales by 1/k,
like the total neurons of :mod:`theory.model_table`. The total surface (with the two ends) shrinks only for tall
cylinders, aspect ratio h/r > k(k + 1): the analogy is about the lateral surface.

>>> CYLINDER.check().status
'proved (symbolic)'
"""

import sympy as sp

from proofs.lemma import Lemma
from proofs.shape_lemmas import symbolic_table
from proofs.tactics import applied, identity, sign, solutions
from theory import cylinder, shapes
from theory.symbols import k

r, h, aspect = cylinder.r, cylinder.h, cylinder.aspect
s, u = sp.symbols("s u", positive=True)


def prove_cylinder(volume=cylinder.volume, lateral_surface=cylinder.lateral_surface,
                   derive_cylinder=cylinder.derive_cylinder, table=None, parameter_count=shapes.parameter_count):
    change = derive_cylinder()
    table = symbolic_table(parameter_count) if table is None else table
    return [
        identity(f"widening r -> k r at equal volume: h_B = {sp.sstr(change.height_b)} keeps the volume",
                 applied(volume, (k * r, change.height_b)), volume(r, h)),
        identity("the lateral surface scales by 1/k", applied(lateral_surface, (k * r, change.height_b)),
                 lateral_surface(r, h) / k, conclusion=True),
        identity("the analogy: height ratio = Model B's layer ratio", change.height_b / h, table.row("layers").ratio,
                 lhs_latex="h_B / h"),
        identity("the analogy: lateral surface ratio = Model B's total-neuron ratio", change.lateral_ratio,
                 table.row("total_neurons").ratio, conclusion=True,
                 lhs_latex=r"S_{\mathrm{lat}, B} / S_{\mathrm{lat}, A}"),
        solutions("the total surface is unchanged only at aspect ratio h/r = k(k + 1) (k != 1)",
                  sp.numer(sp.together(change.total_change)) / (k - 1), aspect, sp.Interval.open(0, sp.oo),
                  [k * (k + 1)]),
        sign("for k > 1 the total surface shrinks when h/r > k(k + 1) (charts k = 1 + u, h/r = k(k + 1) + s)",
             change.total_change, "negative", {aspect: k * (k + 1) + s, k: 1 + u},
             {k: sp.Interval.open(1, sp.oo), aspect: sp.Interval.open(k * (k + 1), sp.oo)}),
    ]


CYLINDER = Lemma(
    "cylinder", "Cylinder analogy: at fixed volume the lateral surface scales by 1/k",
    (sp.Gt(r, 0, evaluate=False), sp.Gt(h, 0, evaluate=False), sp.Gt(k, 0, evaluate=False)), prove_cylinder,
    summary="Volume pi r^2 h plays the parameters, lateral surface 2 pi r h the neurons (Katta 2024).",
)
