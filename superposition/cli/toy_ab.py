"""``superposition toy ab``: Model A against Model B on trained toy models, beside counting and interference.

One toy model stands for one layer holding its share of the features: Model A's layer has n_A features in m_A
dimensions, Model B's (k times wider, 1/k^2 the layers, the same features) k^2 n_A in k m_A. Both train at the same
densities (the grid plus the note's p_B for p_A) with the same steps and batch, in the natural regime (AdamW decay
0.01) and the strong one (Liu et al.'s decay -1 on W). Reports represented fractions, loss per feature and total loss
B/A beside the counting and interference predictions.
"""

from numerics import toy_ab as experiment
from numerics.host import retain_freed_memory
from numerics.memory import toy_peak
from numerics.toy_data import CHUNK_ENTRIES
from superposition.checks import Check
from superposition.cli import arguments, output, toy_run
from superposition.reports import toy_ab as report
from superposition.reports.table_files import TableOutput

DEFAULTS = experiment.ABConfig()
HELP = "Model A's layer (n, m) against Model B's (k^2 n, k m) on trained toys, beside the predictions"


def add_parser(experiments_parsers) -> None:
    parser = experiments_parsers.add_parser("ab", help=HELP, description=" ".join(__doc__.split("\n\n")[1].split()))
    parser.add_argument("--k", type=arguments.positive_int, default=DEFAULTS.k, help=f"width factor (default: {DEFAULTS.k})")
    parser.add_argument("--n", type=arguments.positive_int, default=DEFAULTS.n_a,
                        help=f"Model A's features per layer (default: {DEFAULTS.n_a})")
    parser.add_argument("--m", type=arguments.positive_int, default=DEFAULTS.m_a,
                        help=f"Model A's width (default: {DEFAULTS.m_a})")
    parser.add_argument("--densities", type=arguments.comma_list(arguments.density), default=list(DEFAULTS.densities),
                        metavar="P,P,...", help="densities in (0, 1] (default: "
                        + ",".join(f"{p:g}" for p in DEFAULTS.densities) + "; p_A and the note's p_B are added)")
    parser.add_argument("--reference-density", type=arguments.probability_open, default=DEFAULTS.reference_density,
                        metavar="P", help=f"p_A, whose p_B with f(p_B) = k f(p_A) is added (default: {DEFAULTS.reference_density})")
    parser.add_argument("--regimes", type=arguments.comma_list(str), default=list(DEFAULTS.regimes), metavar="R,R",
                        help="natural and/or strong (default: natural,strong)")
    group = parser.add_argument_group("training")
    group.add_argument("--steps", type=arguments.positive_int, default=DEFAULTS.steps, help=f"AdamW steps (default: {DEFAULTS.steps})")
    group.add_argument("--batch-size", type=arguments.positive_int, default=DEFAULTS.batch_size,
                       help=f"samples per step (default: {DEFAULTS.batch_size})")
    toy_run.add_common_options(parser, group, run)


def chosen_config(args) -> experiment.ABConfig:
    return experiment.ABConfig(k=args.k, n_a=args.n, m_a=args.m, densities=tuple(args.densities),
                               reference_density=args.reference_density, regimes=tuple(args.regimes),
                               steps=args.steps, batch_size=args.batch_size)


def table_output(result) -> TableOutput:
    return TableOutput(report.FILES, report.payload(result), report.latex(result), (report.rich_table(result),),
                       figures=((report.STEM, lambda: report.figure(result)),))


def run(args) -> int:
    config = chosen_config(args)
    config.all_densities()  # p_B exists (InvalidParameter otherwise) before anything trains
    peak = toy_peak(instances=len(config.all_densities()), n=config.k ** 2 * config.n_a, m=config.k * config.m_a,
                    batch_size=max(config.batch_size, config.eval_batch), chunk_entries=CHUNK_ENTRIES)
    backend, provenance, artefacts = toy_run.start(args, peak)
    total = config.steps * 2 * len(config.regimes)
    with output.progress_bar(total, "toy ab: steps", enabled=not args.json) as advance:
        result = experiment.run_ab(config, seed=args.seed, backend=backend, threshold=args.threshold, on_progress=advance)
    return toy_run.finish(args, table_output(result), provenance, artefacts)


#: The verify stage's size: a few seconds on a laptop CPU.
VERIFY = experiment.ABConfig(densities=(0.1, 0.01), regimes=("natural",), steps=1000, batch_size=256, eval_batch=4096)


def verify_stage(context) -> list[Check]:
    """Model B keeps a smaller share of its features at p_A; its total loss lies between the interference readings."""
    retain_freed_memory()
    result = experiment.run_ab(VERIFY, seed=context.seed, backend=context.backend)
    table_output(result).write(context.artefacts)
    guesses = report.predictions(VERIFY.k)
    at_reference = next(row for row in result.rows if row.density == VERIFY.reference_density)
    low, high = sorted((guesses["interference"], guesses["interference_coactive"]))
    ratios = [row.total_loss_ratio for row in result.rows]
    return [
        Check("toy_ab.model_b_keeps_a_smaller_share", at_reference.represented_ratio < 1,
              f"p = {VERIFY.reference_density:g}: represented fraction B/A = {at_reference.represented_ratio:.2f} "
              f"(counting: {guesses['counting']:g} at capacity)"),
        Check("toy_ab.total_loss_between_interference_readings", all(low <= ratio <= high for ratio in ratios),
              "total loss B/A " + ", ".join(f"p = {row.density:.3g}: {row.total_loss_ratio:.2f}" for row in result.rows)
              + f" (interference per feature {low:g}, co-active {high:g}, scaling laws 1)"),
    ]
