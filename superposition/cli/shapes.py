"""``superposition shapes``: the note's arithmetic applied to published model shapes (GPT-3, Pythia, Kaplan Fig. 5, Llama).

Per model, its architecture's count (12 L d^2, Kaplan eq. 2.1, or SwiGLU / grouped-query attention) against the
published count; for every pair of models whose N differ
by less than ``--tolerance``, the features-per-neuron ratio universality implies and the density the wider
model's features would need under f_note and f_l1 at the reference density ``--p-ref``.
"""

from dataclasses import dataclass

import sympy as sp

from numerics.memory import csv_peak
from superposition.checks import Check
from superposition.cli import arguments
from superposition.cli.memory_option import add_memory_option, check_memory
from superposition.cli.emit import emit
from superposition.reports import shapes as report
from theory.published_shapes import (
    DATA_FILE, DENSITY_FUNCTIONS, check_shape, density_needed, load_published_shapes, pairs_within,
)

DEFAULT_TOLERANCE = 0.15
DEFAULT_REFERENCE_DENSITY = 0.05

#: What the command does and does not show, printed with every result.
STATEMENT = (
    "What this shows: for real models of nearly equal non-embedding parameter count N (each model's architecture count, "
    "12 L d^2 for Kaplan's), the factor by which "
    "universality plus linear per-layer superposition would require the wider model to pack more features per "
    "neuron, and how much sparser its features would then have to be. What it does not show: that those models learn "
    "the same features, or that their losses are equal (only Kaplan's Fig. 5 pair is reported within 3%)."
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "shapes",
        description=" ".join(part.strip().replace("\n", " ") for part in __doc__.split(": ", 1)[1].split("\n\n")[:2]),
    )
    parser.add_argument("--tolerance", type=arguments.positive_rational, default=DEFAULT_TOLERANCE, metavar="T",
                        help=f"pair models whose N differ by less than this fraction (default: {DEFAULT_TOLERANCE})")
    parser.add_argument("--p-ref", type=arguments.probability_open, default=DEFAULT_REFERENCE_DENSITY, metavar="P",
                        help="model A's feature density p_A in (0, 1); f_note needs p_A < 1/e "
                             f"(default: {DEFAULT_REFERENCE_DENSITY})")
    parser.add_argument("--data", metavar="CSV", default=None,
                        help=f"a CSV of shapes with the columns of the shipped {DATA_FILE} (default: the shipped file)")
    add_memory_option(parser)
    arguments.add_format_option(parser)
    arguments.add_output_options(parser)
    parser.set_defaults(run=run)


@dataclass(frozen=True)
class ShapesResult:
    """Every model's check, every pair within the tolerance with B's densities, and the settings."""

    data_name: str
    tolerance: float
    reference_density: float
    functions: tuple
    checks: tuple
    pairs: tuple
    statement: str = STATEMENT


def analyse(shapes, tolerance=DEFAULT_TOLERANCE, reference_density=DEFAULT_REFERENCE_DENSITY,
            data_name=DATA_FILE) -> ShapesResult:
    """Check each model and pair those within ``tolerance``; B's density under each of DENSITY_FUNCTIONS."""
    tolerance = float(tolerance)
    pairs = tuple(
        (pair, {function: density_needed(pair, reference_density, function) for function in DENSITY_FUNCTIONS})
        for pair in pairs_within(shapes, tolerance)
    )
    return ShapesResult(data_name, tolerance, float(reference_density), DENSITY_FUNCTIONS,
                        tuple(check_shape(shape) for shape in shapes), pairs)


def run(args) -> int:
    if args.data is not None:
        check_memory(args, csv_peak(args.data))
    shapes = load_published_shapes(args.data, name="data" if args.data else None)
    result = analyse(shapes, args.tolerance, args.p_ref, args.data or DATA_FILE)
    return emit(args, report.table_output(result))


#: The features-per-neuron ratio of Kaplan's Fig. 5 pair, (48 x 1600) / (6 x 4288) (Kaplan 2020, Fig. 5).
KAPLAN_PAIR_RATIO = sp.Rational(48 * 1600, 6 * 4288)


def verify_stage(context) -> list[Check]:
    """Pythia counts within 0.5%, the Kaplan pair's ratio, GPT-3 totals, and the disagreeing rows reported."""
    result = analyse(load_published_shapes())
    report.table_output(result).write(context.artefacts)
    by_family = {}
    for check in result.checks:
        by_family.setdefault(check.shape.family, []).append(check)
    pythia = by_family["Pythia"]
    worst = max(pythia, key=lambda check: abs(check.kaplan_relative_error))
    kaplan = [pair for pair, _ in result.pairs if {pair.narrow.family, pair.wide.family} == {"Kaplan"}]
    gpt3_totals = [check for check in by_family["GPT-3"] if check.relative_error is not None]
    flagged = sorted(check.shape.model for check in result.checks if check.disagreements)
    return [
        Check("shapes.pythia_12_L_d2_within_0.5_percent", all(abs(c.kaplan_relative_error) < 0.005 for c in pythia),
              f"largest |12 L d^2 / published - 1| = {100 * abs(worst.kaplan_relative_error):.3f}% ({worst.shape.model})"),
        Check("shapes.pythia_remainder_is_biases_and_norms", all(c.remainder_is_bias_and_norm for c in pythia),
              "published - 12 L d^2 = 13 L d + 2 d exactly for every Pythia model (GPT-NeoX biases and layer norms)"),
        Check("shapes.kaplan_pair_features_per_neuron_ratio",
              len(kaplan) == 1 and kaplan[0].features_per_neuron_ratio == KAPLAN_PAIR_RATIO,
              f"(48 x 1600)/(6 x 4288) = {KAPLAN_PAIR_RATIO} = {float(KAPLAN_PAIR_RATIO):.4f}; measured "
              + ", ".join(str(pair.features_per_neuron_ratio) for pair in kaplan)),
        Check("shapes.gpt3_totals_with_embeddings", all(abs(c.relative_error) <= 0.025 for c in gpt3_totals),
              "12 L d^2 + (n_vocab + n_ctx) d vs printed totals: "
              + ", ".join(f"{c.shape.model} {100 * c.relative_error:+.2f}%" for c in gpt3_totals)),
        Check("shapes.disagreements_reported", flagged == ["GPT-3 13B", "GPT-3 XL"],
              "rows whose published numbers disagree: " + "; ".join(
                  f"{check.shape.model}: {text}" for check in result.checks for text in check.disagreements)),
    ]
