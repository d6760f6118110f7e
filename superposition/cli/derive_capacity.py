"""``superposition derive capacity``: n/m = f(p) of the note against exact l1, and total capacity of Models A and B."""

from dataclasses import dataclass

import sympy as sp

from superposition.checks import Check
from superposition.cli.emit import emit
from superposition.reports.table_files import TableOutput
from superposition.reports import capacity as report
from superposition.reports import capacity_figures
from theory import capacity, capacity_comparison, total_capacity
from theory.capacity_functions import CAPACITY_FUNCTIONS, REFERENCE, REGISTRY, capacity_ratio
from theory.density_shift import TABLE_DENSITIES, TABLE_K
from theory.symbols import k as k_symbol


def chosen_k(args):
    """--k, or the note's 2 when it is not given."""
    return sp.Integer(TABLE_K) if args.k is None else args.k


@dataclass(frozen=True)
class CapacityResult:
    """Everything the capacity topic reports."""

    k: sp.Expr
    densities: tuple
    functions: tuple
    values: dict
    sign: capacity.SignFinding
    shape: capacity.NoteShape
    small_density: tuple
    totals: tuple
    uniqueness: total_capacity.Uniqueness


def derive(densities=TABLE_DENSITIES, k=TABLE_K, functions=CAPACITY_FUNCTIONS) -> CapacityResult:
    """Capacity at each density for each function, the symbolic findings, and the total-capacity ratios at k."""
    values = {(function, density): capacity_ratio(density, function)
              for function in functions for density in densities}
    totals = tuple(
        total_capacity.total_capacity(a=exponent, k=k, pooling=pooling)
        for pooling in total_capacity.POOLINGS for exponent in total_capacity.EXPONENTS.values()
    )
    small = tuple(capacity_comparison.small_density_comparison(function) for function in functions
                  if REGISTRY[function].small_density_form is not None)
    return CapacityResult(sp.sympify(k), tuple(densities), tuple(functions), values, capacity.printed_sign_finding(),
                          capacity.note_shape(), small, totals, total_capacity.uniqueness())


def run(args) -> int:
    result = derive(args.densities or TABLE_DENSITIES, chosen_k(args), tuple(args.functions or CAPACITY_FUNCTIONS))
    return emit(args, table_output(result))


def table_output(result) -> TableOutput:
    return TableOutput(report.FILES, report.to_payload(result), report.latex_table(result),
                       tuple(report.to_renderables(result)),
                       figures=((capacity_figures.CAPACITY_STEM, capacity_figures.capacity_figure),))


def verify_stage(context) -> list[Check]:
    """The sign finding, f_note's minimum, f_l1 below f_note, the small-p constant, total capacity ratios, a = beta."""
    result = derive()
    table_output(result).write(context.artefacts)
    sign, shape, unique = result.sign, result.shape, result.uniqueness
    checks = [
        Check("capacity.printed_form_negative", sign.negative_on_unit_interval,
              f"1/(p ln p) < 0 on {sign.negative_set}; at p = exp(-u), u > 0: {sign.chart} (negative: "
              f"{sign.chart_is_negative}); printed/derived = {sign.ratio_to_derived}"),
        Check("capacity.f_note_minimum", (shape.critical_point, shape.minimum) == (sp.exp(-1), sp.E),
              f"f_note decreases on {shape.decreasing_on}, minimum {shape.minimum} at p = {shape.critical_point}"),
    ]
    below = [(function, density) for (function, density), value in result.values.items()
             if function != REFERENCE.key and not value <= result.values[(REFERENCE.key, density)]]
    checks.append(Check("capacity.l1_below_note", not below,
                        "f_l1 <= f_note at p = " + ", ".join(map(str, result.densities))
                        + ("" if not below else f"; fails at {below}")))
    for function in capacity_comparison.COMPARED:
        peak = capacity_comparison.l1_note_ratio_peak(function)
        checks.append(Check(f"capacity.l1_below_note_everywhere.{function}", peak.ratio < 1,
                            f"max over p in [1e-300, 1) of f_l1/f_note = {peak.ratio:.4f} at p = {peak.density:.4g}"))
    for comparison in result.small_density:
        checks.append(Check(f"capacity.small_p_constant.{comparison.function}", comparison.constant == sp.Rational(1, 2),
                            f"lim p->0 f_l1/f_note = {comparison.constant}; at p = "
                            + ", ".join(f"{density:g}: {ratio:.4f}" for density, ratio in comparison.ratios)))
    symbolic = {(total.pooling, total.a): total.ratio
                for total in (total_capacity.total_capacity(a=e, pooling=pooling)
                              for pooling in total_capacity.POOLINGS for e in (1, 2))}
    for (pooling, exponent), expected in {("per-layer", 1): 1 / k_symbol, ("per-layer", 2): sp.Integer(1),
                                          ("cross-layer", 1): 1 / k_symbol}.items():
        ratio = symbolic[(pooling, exponent)]
        checks.append(Check(f"capacity.total_ratio.{pooling}.a{exponent}", ratio == expected,
                            f"total capacity B/A = {ratio} for n = m^{exponent} f(p), {pooling}"))
    checks.append(Check("capacity.uniqueness_a_equals_beta",
                        unique.solution == total_capacity.beta and unique.beta_transformer == 2,
                        f"B/A = {unique.ratio}; ln(B/A) = {unique.log_ratio} vanishes for all k iff a = {unique.solution}; "
                        f"beta = {unique.beta_transformer} for Kaplan's N"))
    return checks
