"""``superposition derive [TOPIC]``: symbolic derivations, one topic module each.

The parser is built here without SymPy or SciPy (``superposition derive --help`` imports neither): each topic's
name, help line and options are in :data:`TOPICS`, with choices and defaults from :mod:`theory.names`. A topic
module (``superposition/cli/derive_<topic>.py``) has ``run(args)`` and ``verify_stage(context)`` and is imported
when the topic runs. Options every topic shares (``--k``, ``--format``, ``--json``, ``--out``) are defined here once.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from superposition.cli import arguments
from theory.names import (
    ARCHITECTURE_SUMMARIES, CAPACITY_FUNCTIONS, CHINCHILLA_COMPUTE_PRINTED, CHINCHILLA_CONSTANTS, NEURON_DEFINITIONS,
    TABLE_DENSITIES,
)
from theory.validation import check_choice


def table_options(parser) -> None:
    """Options of the table topic (``--k``, ``--format``, ``--json``, ``--out`` are the derive command's)."""
    table = parser.add_argument_group("table")
    table.add_argument("--architecture", choices=tuple(ARCHITECTURE_SUMMARIES), default=None,
                       help="the parameter-count family (theory.architectures): "
                            + "; ".join(f"{name}: {summary}" for name, summary in ARCHITECTURE_SUMMARIES.items())
                            + " (default: Kaplan's eq. 2.1 with --attn-ratio and --ff-ratio)")
    table.add_argument("--attn-ratio", type=arguments.positive_rational, default=None, metavar="R",
                       help="d_attn / d_model (default: 1, Kaplan, or the architecture's)")
    table.add_argument("--ff-ratio", type=arguments.positive_rational, default=None, metavar="R",
                       help="d_ff / d_model (default: 4, Kaplan, or the architecture's)")
    table.add_argument("--kv-ratio", type=arguments.positive_rational, default=None, metavar="R",
                       help="n_kv_heads / n_heads of grouped-query attention, at most 1 (needs --architecture; "
                            "default: the architecture's)")
    table.add_argument("--neurons", choices=NEURON_DEFINITIONS, default="residual",
                       help="what counts as a layer's neurons: the residual stream (d_model) or MLP units (d_ff)")
    table.add_argument("--d-model", type=arguments.positive_int, default=None, metavar="D",
                       help="Model A's width, a whole number, for concrete numbers (needs --n-layer)")
    table.add_argument("--n-layer", type=arguments.positive_int, default=None, metavar="L",
                       help="Model A's number of layers, a whole number, for concrete numbers (needs --d-model)")


def scaling_laws_options(parser) -> None:
    """Options of the scaling-laws topic (``--k`` is the derive command's, default 2 here).

    ``--compute``'s default is a string, which argparse parses like a value given on the command line (to
    :data:`theory.scaling_laws.CHINCHILLA_COMPUTE`), and only when the command runs.
    """
    group = parser.add_argument_group("scaling-laws")
    group.add_argument("--compute", type=arguments.positive_rational, default=CHINCHILLA_COMPUTE_PRINTED,
                       metavar="FLOPS",
                       help="training budget at which to evaluate the Chinchilla allocation, e.g. 1e21 "
                            f"(default: Chinchilla's {float(CHINCHILLA_COMPUTE_PRINTED):.3g})")
    group.add_argument("--constants", choices=CHINCHILLA_CONSTANTS, default=CHINCHILLA_CONSTANTS[0],
                       help="constants of the Chinchilla loss: hoffmann (Hoffmann et al. 2022) or besiroglu "
                            "(Besiroglu et al. 2024 refit); both are compared in a table either way (default: hoffmann)")


capacity_function = arguments.argument_type(
    lambda text: check_choice("function", text.strip(), CAPACITY_FUNCTIONS), "capacity function"
)


def capacity_options(parser) -> None:
    """Options shared by the capacity and density-shift topics: the densities and the capacity functions."""
    group = parser.add_argument_group("capacity, density-shift")
    group.add_argument("--densities", type=arguments.comma_list(arguments.probability_open), default=None,
                       metavar="P,P,...",
                       help="feature densities p = 1 - S in (0, 1) for the tables "
                            f"(default: {','.join(map(str, TABLE_DENSITIES))})")
    group.add_argument("--functions", type=arguments.comma_list(capacity_function), default=None,
                       metavar="F,F,...",
                       help=f"capacity functions, from {', '.join(CAPACITY_FUNCTIONS)} (default: all)")


def density_shift_options(parser) -> None:
    """``--p``: one density p_A (``--densities`` and ``--functions`` come from the capacity topic's group)."""
    group = parser.add_argument_group("density-shift")
    group.add_argument("--p", type=arguments.probability_open, default=None, metavar="P",
                       help="Model A's feature density p_A = 1 - S in (0, 1); the note's branch needs p_A < 1/e "
                            "(default: the table's densities, see --densities)")


def cylinder_options(parser) -> None:
    """Options of the cylinder topic (``--k`` is the derive command's, default 2 here)."""
    group = parser.add_argument_group("cylinder")
    group.add_argument("--aspect", type=arguments.positive_rational, default=None, metavar="A",
                       help="aspect ratio h/r of cylinder A, e.g. 1/100 (default: symbolic a)")


def no_options(parser) -> None:
    """No options of its own (superposition-pictures: ``--k`` is the derive command's, ``--p`` density-shift's)."""


@dataclass(frozen=True)
class Topic:
    """A derive topic: its name, its module under ``superposition.cli``, its help line and its options."""

    name: str
    module: str
    help: str
    add_arguments: Callable

    def load(self):
        """The topic's module (imported now: SymPy and the rest come with it)."""
        return importlib.import_module(f"superposition.cli.{self.module}")


#: The topics, in the order ``--help`` lists them; the first is the default.
TOPICS = (
    Topic("table", "derive_table", "the Model A/B table for a parameter-preserving shape change (default)",
          table_options),
    Topic("scaling-laws", "derive_scaling_laws",
          "Kaplan/Chinchilla laws, compute-optimal allocation, shape invariance, the note's eq. (1) limit",
          scaling_laws_options),
    Topic("capacity", "derive_capacity",
          "capacity n/m = f(p): the note's -1/(p ln p) (and its misprinted sign) against exact l1, total capacity",
          capacity_options),
    Topic("density-shift", "derive_density_shift",
          "the density p_B with f(p_B) = k f(p_A) that Model B needs: p_B = exp(W_-1(p_A ln p_A / k)) for the note, "
          "root finding for l1 (--p P or --densities)", density_shift_options),
    Topic("cylinder", "derive_cylinder",
          "the cylinder analogy: volume pi r^2 h fixed under r -> k r, lateral and total surface", cylinder_options),
    Topic("superposition-pictures", "derive_superposition_pictures",
          "what counting (the note), the m^2 variant and interference (Liu, Liu & Gore 2025) predict for Model B "
          "relative to Model A, symbolic and at --k (uses --p for the counting density, default 0.1)", no_options),
)


def register(subparsers) -> None:
    by_name = {topic.name: topic for topic in TOPICS}
    parser = subparsers.add_parser(
        "derive",
        description=(
            "Derive, with SymPy, the quantities of Katta (2024). Topics: "
            + "; ".join(f"{topic.name}: {topic.help}" for topic in TOPICS) + ". "
            "The table's Model B is k times wider with the number of layers that keeps the parameter count "
            "N = 2 d_model n_layer (2 d_attn + d_ff) (Kaplan 2020, eq. 2.1) equal."
        ),
    )
    parser.add_argument("topic", nargs="?", choices=tuple(by_name), default=TOPICS[0].name,
                        help=f"what to derive (default: {TOPICS[0].name})")
    parser.add_argument("--k", type=arguments.positive_rational, default=None, metavar="K",
                        help="width factor of Model B, a positive number such as 2 or 3/2 "
                             "(default: symbolic k for the table, the note's 2 elsewhere)")
    arguments.add_format_option(parser)
    for topic in TOPICS:
        topic.add_arguments(parser)
    arguments.add_output_options(parser)
    parser.set_defaults(run=lambda args: by_name[args.topic].load().run(args))


def verify_stage(context):
    """Every topic's checks, in order."""
    return [check for topic in TOPICS for check in topic.load().verify_stage(context)]
