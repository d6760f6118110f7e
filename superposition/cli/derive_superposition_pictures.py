"""``superposition derive superposition-pictures``: counting, the m^2 variant and interference (Liu et al. 2025)
side by side, each as a B/A ratio derived from the Model A/B table."""

from superposition.checks import Check
from superposition.cli.emit import emit
from superposition.reports.table_files import TableOutput
from superposition.reports import superposition_pictures as report
from theory.capacity_functions import required_density
from theory.note import NOTE_K
from theory.superposition_pictures import derive_pictures

#: Model A's density for the counting picture's p_B when --p is not given (a row of the density-shift table).
DEFAULT_DENSITY = 0.1


def _inputs(args):
    k_value = NOTE_K if args.k is None else args.k
    density = DEFAULT_DENSITY if getattr(args, "p", None) is None else args.p
    return k_value, (density, required_density(density, float(k_value)))


def run(args) -> int:
    k_value, density_needed = _inputs(args)
    result = derive_pictures()
    return emit(args, table_output(result, k_value, density_needed))


def table_output(result, k_value, density_needed) -> TableOutput:
    return TableOutput(report.FILES, report.to_payload(result, k_value, density_needed),
                       report.to_latex_table(result, k_value, density_needed),
                       (report.to_rich_table(result, k_value, density_needed),))


def verify_stage(context) -> list[Check]:
    """The four B/A ratios derived from the table, and which of them agrees with the scaling laws."""
    result = derive_pictures()
    density_needed = (DEFAULT_DENSITY, required_density(DEFAULT_DENSITY, NOTE_K))
    table_output(result, NOTE_K, density_needed).write(context.artefacts)
    ratios = {row.key: row.ratio for row in result.pictures}
    agreeing = [row.key for row in result.pictures if result.agrees_with_scaling_laws(row.key)]
    return [
        Check("superposition_pictures.ratios_from_table", list(ratios.values()) == [
            1 / result.k, 1, 1 / result.k, result.k],
              "B/A derived from the Model A/B table: " + ", ".join(f"{key} {value}" for key, value in ratios.items())),
        Check("superposition_pictures.only_m2_is_shape_invariant", agreeing == ["quadratic"],
              f"pictures whose B/A equals the scaling laws' {result.scaling_law_ratio} for every k: {agreeing}"),
    ]
