"""``superposition toy intro|capacity|phase-diagram|geometry``: train toy models of superposition (Elhage et al. 2022).

``intro`` reproduces the paper's first result (n = 5, m = 2, I_i = 0.9^i): about 2 features when dense, all 5 as a
pentagon when sparse. ``capacity`` measures represented features per neuron against density and m, beside the
capacity functions of :mod:`theory.capacity`, and the density at which a toy model stores twice the features per
neuron of a reference density, beside the note's Model-B prediction :func:`theory.capacity_functions.required_density`.
``phase-diagram`` trains the n = 2, m = 1 model over importance ratio x density beside the exact phase map, and
``geometry`` measures feature dimensionality against sparsity with Elhage's sticky values.
"""


from numerics import toy_experiments as experiments
from numerics import toy_geometry, toy_phase_diagram
from numerics.toy_initialisation import INITIALISATIONS
from numerics.toy_model import DTYPES
from numerics.host import retain_freed_memory
from numerics.memory import toy_peak
from numerics.toy_data import CHUNK_ENTRIES
from numerics.statistics import significant_increase
from numerics.toy_model import ACTIVATIONS
from superposition.checks import Check, measurement
from superposition.cli import arguments, output, toy_ab, toy_run, toy_scaling
from superposition.reports import toy as report
from superposition.reports import toy_geometry as geometry_report
from superposition.reports import toy_phase as phase_report
from superposition.reports.table_files import TableFiles, TableOutput
from theory.validation import InvalidParameter


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "toy",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
    )
    experiments_parsers = parser.add_subparsers(dest="experiment", metavar="EXPERIMENT", required=True,
                                                parser_class=type(parser))
    intro = experiments_parsers.add_parser(
        "intro", help="n = 5 features in m = 2 dimensions from dense to sparse (the pentagon)",
        description="Train one toy model per density (n = 5, m = 2, importance 0.9^i, all at once) and report "
                    "the represented features and their directions. Defaults: 10 000 AdamW steps of batch 1024 as in "
                    "Elhage's notebook, at lr 3e-3 (the notebook's 1e-3 leaves the dense case unconverged).",
    )
    intro.add_argument("--densities", type=arguments.comma_list(arguments.density), default=list(experiments.INTRO_DENSITIES),
                       metavar="P,P,...", help="feature densities p = 1 - S in (0, 1] (default: "
                       + ",".join(f"{p:g}" for p in experiments.INTRO_DENSITIES) + ")")
    intro.add_argument("--importance-decay", type=arguments.positive_float, default=experiments.INTRO_DECAY, metavar="R",
                       help=f"feature importance I_i = R^i (default: {experiments.INTRO_DECAY}; Elhage also uses 0.7)")
    intro.add_argument("--model", choices=ACTIVATIONS, default="relu",
                       help="relu: x' = ReLU(W^T W x + b); linear: x' = W^T W x + b (default: relu)")
    add_training_options(intro, experiments.INTRO_SETTINGS, run_intro)

    capacity = experiments_parsers.add_parser(
        "capacity", help="represented features per neuron against density and m, beside f_note(p) and f_l1(p)",
        description="Train ReLU toy models (uniform importance) for every m and density and count represented "
                    "features per neuron; compare with the capacity functions and find the density at which the "
                    "toy stores FACTOR times the features per neuron of the reference density.",
    )
    capacity.add_argument("--m", type=arguments.comma_list(arguments.positive_int), default=list(experiments.CAPACITY_MS),
                          metavar="M,M,...", help="hidden dimensions (default: "
                          + ",".join(map(str, experiments.CAPACITY_MS)) + ")")
    capacity.add_argument("--n", type=arguments.positive_int, default=experiments.CAPACITY_N,
                          help=f"features, more than every m (default: {experiments.CAPACITY_N})")
    capacity.add_argument("--densities", type=arguments.comma_list(arguments.density),
                          default=list(experiments.CAPACITY_DENSITIES), metavar="P,P,...",
                          help="feature densities in (0, 1] (default: "
                          + ",".join(f"{p:g}" for p in experiments.CAPACITY_DENSITIES) + ")")
    capacity.add_argument("--reference-density", type=arguments.probability_open, default=experiments.REFERENCE_DENSITY,
                          metavar="P", help="Model A's density p_A, within the trained densities "
                          f"(default: {experiments.REFERENCE_DENSITY})")
    capacity.add_argument("--factor", type=arguments.positive_float, default=experiments.FACTOR, metavar="K",
                          help=f"features-per-neuron factor of Model B (default: {experiments.FACTOR:g}, the note's)")
    add_training_options(capacity, experiments.CAPACITY_SETTINGS, run_capacity)
    toy_scaling.add_parser(experiments_parsers)
    toy_ab.add_parser(experiments_parsers)

    phase = experiments_parsers.add_parser(
        "phase-diagram", help="n = 2, m = 1 over importance ratio x density, beside the exact phase map",
        description="Train the n = 2, m = 1 toy model (importance 1 and r, both features at density p) on a grid "
                    "of r in [0.1, 10] and p in [0.01, 1], best of --restarts per cell, and compare each cell's "
                    "phase (feature 1 kept, feature 2 kept, antipodal pair) with the exact optimum's.",
    )
    phase.add_argument("--grid", type=arguments.positive_int, default=toy_phase_diagram.GRID, metavar="N",
                       help=f"cells per axis (default: {toy_phase_diagram.GRID})")
    add_restarts_option(phase, toy_phase_diagram.RESTARTS)
    add_training_options(phase, toy_phase_diagram.SETTINGS, run_phase, threshold=False)

    geometry = experiments_parsers.add_parser(
        "geometry", help="feature dimensionality D_i against 1/(1-S), with the sticky values 3/4, 2/3, 1/2, 2/5",
        description="Train uniform-importance toy models over a sweep of densities and report every represented "
                    "feature's dimensionality D_i, m/||W||_F^2 against 1/(1-S), the share of D_i near each sticky "
                    "value against a uniform spread, and the final loss beside the axis-aligned solution's.",
    )
    geometry.add_argument("--n", type=arguments.positive_int, default=None,
                          help=f"features (default: {toy_geometry.N}; {toy_geometry.FULL['n']} with --full)")
    geometry.add_argument("--m", type=arguments.positive_int, default=None,
                          help=f"hidden dimensions (default: {toy_geometry.M}; {toy_geometry.FULL['m']} with --full)")
    geometry.add_argument("--densities", type=arguments.comma_list(arguments.density), default=None,
                          metavar="P,P,...", help=f"densities in (0, 1] (default: {len(toy_geometry.DENSITIES)} from "
                          f"1 to 1/300; {len(toy_geometry.FULL_DENSITIES)} from 1 to 0.001 with --full)")
    geometry.add_argument("--full", action="store_true",
                          help=f"Elhage's size, n = {toy_geometry.FULL['n']}, m = {toy_geometry.FULL['m']}, "
                               f"{toy_geometry.FULL_SETTINGS.steps} steps (for a GPU: --backend cupy)")
    add_restarts_option(geometry, toy_geometry.RESTARTS)
    add_training_options(geometry, toy_geometry.SETTINGS, run_geometry, threshold=False,
                         steps_note=f"; {toy_geometry.FULL_SETTINGS.steps} with --full")


def add_restarts_option(parser, default: int) -> None:
    parser.add_argument("--restarts", type=arguments.positive_int, default=default, metavar="K",
                        help=f"initialisations per cell trained together; the lowest final loss is kept "
                             f"(default: {default})")


def add_training_options(parser, defaults, run, threshold=True, steps_note="") -> None:
    """Options these experiments share: training length, optimiser, initialisation, precision, then the options of
    every toy experiment (:func:`superposition.cli.toy_run.add_common_options`)."""
    group = parser.add_argument_group("training")
    group.add_argument("--steps", type=arguments.positive_int, default=None,
                       help=f"AdamW steps (default: {defaults.steps}{steps_note})")
    group.add_argument("--lr", type=arguments.positive_float, default=defaults.optimizer.learning_rate,
                       help=f"learning rate (default: {defaults.optimizer.learning_rate:g})")
    group.add_argument("--batch-size", type=arguments.positive_int, default=defaults.batch_size,
                       help=f"samples per step (default: {defaults.batch_size})")
    group.add_argument("--init", choices=tuple(INITIALISATIONS), default=defaults.initialisation,
                       help="initial W: xavier N(0, 2/(m+n)); notebook: Elhage's notebook, N(0, 2/(m(n+instances))); "
                            f"liu: N(0, 1/m) (default: {defaults.initialisation})")
    group.add_argument("--dtype", choices=DTYPES, default=defaults.dtype,
                       help=f"floating-point precision of training (default: {defaults.dtype})")
    toy_run.add_common_options(parser, group, run, threshold=threshold)


def _prepare(args, base, runs: int, *, instances: int, n: int, m: int, size_parameter: str):
    """Backend, provenance, artefact folder and settings for a run; the progress bar's total is steps x runs.

    Refuses first (one line) when training ``instances`` models of n features in m dimensions at once would not
    fit in the memory budget (:func:`superposition.cli.toy_run.start`)."""
    backend, provenance, artefacts = toy_run.start(args, toy_peak(
        instances=instances, n=n, m=m, batch_size=args.batch_size or base.batch_size, chunk_entries=CHUNK_ENTRIES,
        parameter=size_parameter))
    settings = experiments.training_settings(base, steps=args.steps, learning_rate=args.lr, batch_size=args.batch_size,
                                             initialisation=args.init, dtype=args.dtype)
    return backend, provenance, artefacts, settings, settings.steps * runs


def table_output(files: TableFiles, payload: dict, latex: str, renderables, make_figure) -> TableOutput:
    """The table's files (``STEM.tex``, ``STEM_standalone.tex``, ``STEM.json``) and the figure ``STEM.pdf/png``."""
    return TableOutput(files, payload, latex, tuple(renderables), figures=((files.stem, make_figure),))


def intro_output(run, settings) -> TableOutput:
    return table_output(TableFiles(report.INTRO_STEM, "Toy model: intro"), report.intro_payload(run, settings),
                        report.intro_latex(run), [report.intro_rich(run)], lambda: report.intro_figure(run))


def capacity_output(result) -> TableOutput:
    return table_output(TableFiles(report.CAPACITY_STEM, "Toy model: capacity"), report.capacity_payload(result),
                        report.capacity_latex(result), [report.capacity_rich(result), *report.doubling_lines(result)],
                        lambda: report.capacity_figure(result))


def run_intro(args) -> int:
    backend, provenance, artefacts, settings, total = _prepare(args, experiments.INTRO_SETTINGS, 1,
                                                               instances=len(args.densities), n=experiments.INTRO_N, m=experiments.INTRO_M,
                                                               size_parameter="densities")
    with output.progress_bar(total, "toy intro: steps", enabled=not args.json) as advance:
        run = experiments.run_intro(args.densities, seed=args.seed, settings=settings, activation=args.model,
                                    decay=args.importance_decay,
                                    threshold=args.threshold, backend=backend, on_progress=advance)
    return toy_run.finish(args, intro_output(run, settings), provenance, artefacts)


def run_capacity(args) -> int:
    experiments.check_capacity_inputs(args.m, args.densities, args.n, args.reference_density)
    backend, provenance, artefacts, settings, total = _prepare(args, experiments.CAPACITY_SETTINGS, len(args.m),
                                                               instances=len(args.densities), n=args.n, m=max(args.m), size_parameter="n")
    with output.progress_bar(total, "toy capacity: steps", enabled=not args.json) as advance:
        result = experiments.run_capacity(
            args.m, args.densities, args.n, seed=args.seed, settings=settings,
            reference_density=args.reference_density, factor=args.factor, threshold=args.threshold,
            backend=backend, on_progress=advance,
        )
    return toy_run.finish(args, capacity_output(result), provenance, artefacts)


def run_phase(args) -> int:
    ratios, densities = toy_phase_diagram.grid_axes(args.grid, args.grid)
    backend, provenance, artefacts, settings, total = _prepare(args, toy_phase_diagram.SETTINGS, 1,
                                                               instances=len(ratios) * len(densities) * args.restarts,
                                                               n=2, m=1, size_parameter="grid")
    with output.progress_bar(total, "toy phase-diagram: steps", enabled=not args.json) as advance:
        result = toy_phase_diagram.run_phase_diagram(ratios, densities, seed=args.seed, settings=settings,
                                                     restarts=args.restarts, backend=backend, on_progress=advance)
    return toy_run.finish(args, phase_output(result), provenance, artefacts)


def run_geometry(args) -> int:
    size = toy_geometry.FULL if args.full else dict(n=toy_geometry.N, m=toy_geometry.M)
    n, m = args.n or size["n"], args.m or size["m"]
    if not n > m:
        raise InvalidParameter("n", f"must exceed `m` (superposition needs more features than dimensions), "
                                      f"got n = {n}, m = {m}")
    densities = args.densities or (toy_geometry.FULL_DENSITIES if args.full else toy_geometry.DENSITIES)
    base = toy_geometry.FULL_SETTINGS if args.full else toy_geometry.SETTINGS
    backend, provenance, artefacts, settings, total = _prepare(args, base, 1, instances=len(densities) * args.restarts,
                                                               n=n, m=m, size_parameter="n")
    with output.progress_bar(total, "toy geometry: steps", enabled=not args.json) as advance:
        result = toy_geometry.run_geometry(densities, n=n, m=m, seed=args.seed, settings=settings,
                                           restarts=args.restarts, backend=backend, on_progress=advance)
    return toy_run.finish(args, geometry_output(result), provenance, artefacts)


def phase_output(result) -> TableOutput:
    return table_output(TableFiles(phase_report.PHASE_STEM, "Toy model: phase diagram"),
                        phase_report.phase_payload(result), phase_report.phase_latex(result),
                        [phase_report.phase_rich(result)], lambda: phase_report.phase_figure(result))


def geometry_output(result) -> TableOutput:
    return table_output(TableFiles(geometry_report.GEOMETRY_STEM, "Toy model: geometry"),
                        geometry_report.geometry_payload(result), geometry_report.geometry_latex(result),
                        [geometry_report.geometry_rich(result), *geometry_report.share_lines(result)],
                        lambda: geometry_report.geometry_figure(result))


#: The verify stage's sizes: a few seconds on a laptop CPU.
VERIFY_INTRO_DENSITIES = (1.0, 0.1, 0.01)
VERIFY_INTRO_STEPS, VERIFY_INTRO_LEARNING_RATE = 4000, 1e-2
VERIFY_CAPACITY = dict(ms=(4,), densities=(0.3, 0.1, 0.03, 0.01), n=40)
VERIFY_CAPACITY_STEPS = 1500


def verify_stage(context) -> list[Check]:
    """A small intro run (about 2 features dense, all 5 sparse) and a tiny capacity run, with their artefacts."""
    retain_freed_memory()
    settings = experiments.training_settings(experiments.INTRO_SETTINGS, steps=VERIFY_INTRO_STEPS,
                                             learning_rate=VERIFY_INTRO_LEARNING_RATE)
    run = experiments.run_intro(VERIFY_INTRO_DENSITIES, seed=context.seed, settings=settings, backend=context.backend)
    intro_output(run, settings).write(context.artefacts)
    dense, sparse = int(run.represented[0]), int(run.represented[-1])
    checks = [
        Check("toy.intro.dense_keeps_about_m_features", dense == run.m,
              f"p = 1: {dense} of {run.n} features represented (Elhage et al. 2022: {run.m}, like PCA)"),
        Check("toy.intro.sparse_keeps_all_features", sparse == run.n,
              f"p = {run.densities[-1]:g}: {sparse} of {run.n} represented, mean D_i = "
              f"{run.dimensionality[-1].mean():.3f} (pentagon: 2/5)"),
    ]
    settings = experiments.training_settings(experiments.CAPACITY_SETTINGS, steps=VERIFY_CAPACITY_STEPS)
    result = experiments.run_capacity(**VERIFY_CAPACITY, seed=context.seed, settings=settings, backend=context.backend)
    capacity_output(result).write(context.artefacts)
    run = result.runs[0]
    represented = [int(count) for count in run.represented]
    steps_hold = all(b > a or b == run.n for a, b in zip(represented, represented[1:]))
    checks.append(Check(
        "toy.capacity.sparser_stores_more",
        steps_hold and significant_increase(represented[0], represented[-1], run.n),
        "features represented at p = " + ", ".join(f"{p:g}: {v}" for p, v in zip(result.densities, represented))
        + f" of {run.n} (m = {run.m}); pass: each sparser density represents strictly more (or all n), and the "
        "sparsest more than the densest by over 2 binomial standard deviations of the difference",
    ))
    row = result.doubling[0]
    ratios = ", ".join(f"{name}: {row.measured / value:.2f}" for name, value in row.predicted.items()
                       if value is not None and row.measured is not None)
    checks.append(measurement(
        "toy.capacity.doubling_density",
        report.doubling_lines(result)[0] + (f"; measured/predicted density {ratios}" if ratios else "")
        + " (a measurement at n = 40, m = 4: the theories are large-n limits, no pass mark)",
    ))
    return checks
