"""``superposition derive density-shift``: the density p_B with f(p_B) = k f(p_A) that Model B needs."""

from dataclasses import dataclass

import sympy as sp

from superposition.checks import Check
from superposition.cli.derive_capacity import chosen_k
from superposition.cli.emit import emit
from superposition.reports.table_files import TableOutput
from superposition.reports import capacity_figures
from superposition.reports import density_shift as report
from theory.capacity_functions import CAPACITY_FUNCTIONS, shift_table
from theory.density_shift import TABLE_DENSITIES, TABLE_K, density_shift_closed_form, verify_closed_form


@dataclass(frozen=True)
class DensityShiftResult:
    """p_B for each function and density, the closed form and its substitution check."""

    k: sp.Expr
    densities: tuple
    functions: tuple
    rows: tuple
    closed_form: sp.Expr
    residual: sp.Expr


def derive(densities=TABLE_DENSITIES, k=TABLE_K, functions=CAPACITY_FUNCTIONS) -> DensityShiftResult:
    """p_B for every (function, p_A); raises InvalidParameter (naming p_A, k and the function) where none exists."""
    rows = shift_table(densities, float(k), functions)
    return DensityShiftResult(sp.sympify(k), tuple(densities), tuple(functions), rows,
                              density_shift_closed_form(), verify_closed_form().residual)


def run(args) -> int:
    densities = [args.p] if args.p is not None else (args.densities or TABLE_DENSITIES)
    result = derive(densities, chosen_k(args), tuple(args.functions or CAPACITY_FUNCTIONS))
    return emit(args, table_output(result))


def table_output(result) -> TableOutput:
    figure = (capacity_figures.DENSITY_SHIFT_STEM,
              lambda: capacity_figures.density_shift_figure(float(result.k), result.functions))
    return TableOutput(report.FILES, report.to_payload(result), report.latex_table(result),
                       tuple(report.to_renderables(result)), figures=(figure,))


def verify_stage(context) -> list[Check]:
    """The closed form verified by substitution, and p_B < p_A for k = 2 at the table's densities."""
    result = derive()
    table_output(result).write(context.artefacts)
    checks = [Check("density_shift.lambert_w_substitution", result.residual == 0,
                    f"f_note(p_B) - k f_note(p_A) at p_B = {result.closed_form} simplifies to {result.residual}")]
    for function in result.functions:
        rows = [row for row in result.rows if row.function == function]
        checks.append(Check(f"density_shift.sparser.{function}", all(row.p_b < row.p_a for row in rows),
                            f"k = {result.k}: " + ", ".join(f"{row.p_a:g} -> {row.p_b:.4g}" for row in rows)))
    return checks
