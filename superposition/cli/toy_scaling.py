"""``superposition toy scaling``: loss against width in Liu, Liu & Gore's toy model, weak and strong superposition.

Train Liu, Liu & Gore's toy model (arXiv:2505.10465): frequencies p_i ~ i^-(1+alpha), active features Uniform[0, 2),
weight decay gamma on W only (gamma < 0 pulls every feature's norm to 1: strong superposition), AdamW lr 1e-2, 10%
warm-up then cosine to 5%. Reports per (alpha, gamma, m) the loss, the represented fraction and the mean squared
overlap (beside 1/m and the Welch bound), and per (alpha, gamma) the fitted exponent of loss against m with a
bootstrap interval.
"""

from numerics import toy_scaling as experiment
from numerics.host import retain_freed_memory
from numerics.memory import toy_peak
from numerics.toy_data import CHUNK_ENTRIES
from superposition.checks import Check
from superposition.cli import arguments, output, toy_run
from superposition.reports import toy_scaling as report
from superposition.reports.table_files import TableOutput
from theory import validation

decay_value = arguments.argument_type(
    lambda text: validation.check_in_interval("value", validation.parse_float("value", text), -1, 1,
                                              closed_low=True, closed_high=True),
    "weight decay in [-1, 1]",
)
alpha_value = arguments.argument_type(
    lambda text: validation.check_in_interval("value", validation.parse_float("value", text), 0, 3,
                                              closed_low=True, closed_high=True),
    "exponent alpha in [0, 3]",
)

LAPTOP, FULL = experiment.LAPTOP, experiment.FULL
HELP = "loss against width m in Liu, Liu & Gore's toy model (2025): weak (~ m^-alpha) and strong (~ 1/m)"
LAPTOP_NOTE = (f"Laptop size, scaled down from the paper's n = {FULL.n}, m = {FULL.ms[0]} ... {FULL.ms[-1]}, "
               f"{len(FULL.alphas)} alphas x {len(FULL.decays)} decays, {FULL.steps} steps of batch {FULL.batch_size} "
               "(--full runs those sizes, for a GPU).")
FULL_NOTE = "The paper's sizes (Liu et al. exp-10)."


def add_parser(experiments_parsers) -> None:
    sizes = (f"Default: a laptop size (n = {LAPTOP.n}, m = {', '.join(map(str, LAPTOP.ms))}, {LAPTOP.steps} steps of "
             f"batch {LAPTOP.batch_size}; a few minutes on 2 cores); --full: the paper's sizes, for a GPU.")
    parser = experiments_parsers.add_parser("scaling", help=HELP,
                                            description=" ".join(__doc__.split("\n\n")[1].split()) + " " + sizes)
    parser.add_argument("--full", action="store_true",
                        help=f"the paper's sizes: n = {FULL.n}, m = {', '.join(map(str, FULL.ms))}, 9 alphas, 10 decays, "
                             f"{FULL.steps} steps of batch {FULL.batch_size} (hours on a CPU: use --backend cupy)")
    parser.add_argument("--n", type=arguments.positive_int, default=None,
                        help=f"features (default: {LAPTOP.n}; --full: {FULL.n})")
    parser.add_argument("--m", type=arguments.comma_list(arguments.positive_int), default=None, metavar="M,M,...",
                        help=f"widths, at least two (default: {','.join(map(str, LAPTOP.ms))})")
    parser.add_argument("--alphas", type=arguments.comma_list(alpha_value), default=None, metavar="A,A,...",
                        help=f"frequency exponents (default: {','.join(f'{a:g}' for a in LAPTOP.alphas)})")
    parser.add_argument("--decays", type=arguments.comma_list(decay_value), default=None, metavar="G,G,...",
                        help=f"weight decays in [-1, 1] (default: {','.join(f'{g:g}' for g in LAPTOP.decays)})")
    group = parser.add_argument_group("training")
    group.add_argument("--steps", type=arguments.positive_int, default=None, help=f"AdamW steps (default: {LAPTOP.steps})")
    group.add_argument("--batch-size", type=arguments.positive_int, default=None,
                       help=f"samples per step (default: {LAPTOP.batch_size})")
    group.add_argument("--lr", type=arguments.positive_float, default=None,
                       help=f"peak learning rate (default: {LAPTOP.learning_rate:g})")
    toy_run.add_common_options(parser, group, run)


def chosen_config(args) -> tuple:
    """The configuration the flags ask for and a sentence saying what was scaled down."""
    base, note = (FULL, FULL_NOTE) if args.full else (LAPTOP, LAPTOP_NOTE)
    config = experiment.with_sizes(
        base, n=args.n, ms=tuple(args.m) if args.m else None, alphas=tuple(args.alphas) if args.alphas else None,
        decays=tuple(args.decays) if args.decays else None, steps=args.steps, batch_size=args.batch_size,
        learning_rate=args.lr,
    )
    return config, note if config == base else f"Custom sizes. {note}"


def table_output(result, note) -> TableOutput:
    return TableOutput(report.FILES, report.payload(result, result.config.training_settings(), note),
                       report.latex(result, note), (report.rich_table(result, note),),
                       figures=((report.STEM, lambda: report.figure(result)),))


def run(args) -> int:
    config, note = chosen_config(args)
    peak = toy_peak(instances=len(experiment.instance_grid(config)), n=config.n, m=max(config.ms),
                    batch_size=max(config.batch_size, config.eval_batch), chunk_entries=CHUNK_ENTRIES)
    backend, provenance, artefacts = toy_run.start(args, peak)
    with output.progress_bar(config.steps * len(config.ms), "toy scaling: steps", enabled=not args.json) as advance:
        result = experiment.run_scaling(config, seed=args.seed, backend=backend, threshold=args.threshold,
                                        on_progress=advance)
    return toy_run.finish(args, table_output(result, note), provenance, artefacts)


#: The verify stage's size (seconds on a laptop CPU) and the tolerance on the strong-regime exponent, set from the
#: issue (within 0.1 of 1) before measuring; one-sided because finite n and few steps steepen the curve (README).
VERIFY = experiment.ScalingConfig(n=60, ms=(4, 6, 9, 13), alphas=(1.0,), decays=(-1.0, 1.0), steps=600, batch_size=128,
                                  eval_batch=4096)
STRONG_TOLERANCE = 0.1


def verify_stage(context) -> list[Check]:
    """A tiny strong/weak run: regimes separate, superposition lowers the loss, the strong exponent is not below 1."""
    retain_freed_memory()
    result = experiment.run_scaling(VERIFY, seed=context.seed, backend=context.backend)
    note = f"Verify size (n = {VERIFY.n}, {VERIFY.steps} steps): far below the paper's; see toy scaling --full."
    table_output(result, note).write(context.artefacts)
    alpha, largest = VERIFY.alphas[0], max(VERIFY.ms)
    strong, weak = result.cell(alpha, result.strong_decay, largest), result.cell(alpha, result.weak_decay, largest)
    fit = result.fit(alpha, result.strong_decay)
    return [
        Check("toy_scaling.regimes_separate", strong.represented_fraction == 1.0 and weak.represented_fraction < 0.5,
              f"m = {largest}: decay {result.strong_decay:g} keeps {strong.represented_fraction:.2f} of the features, "
              f"decay {result.weak_decay:g} keeps {weak.represented_fraction:.2f}"),
        Check("toy_scaling.superposition_lowers_loss", strong.loss < weak.loss,
              f"m = {largest}: loss {strong.loss:.3e} strong vs {weak.loss:.3e} weak"),
        Check("toy_scaling.strong_exponent_not_below_1", fit.exponent >= 1 - STRONG_TOLERANCE,
              f"strong regime, alpha = {alpha:g}: loss ~ m^-{report._interval(fit)} (paper: about 1; tolerance "
              f"{STRONG_TOLERANCE} below 1; small n and few steps give steeper curves, the overlap at m = {largest} is "
              f"{strong.mean_squared_overlap:.3g} vs 1/m = {1 / largest:.3g})"),
    ]
