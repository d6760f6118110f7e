"""``superposition derive [TOPIC]``: symbolic derivations, one topic module each.

A topic module has ``NAME``, ``HELP``, ``add_arguments(parser)`` (its own argument group), ``run(args)``
and ``verify_stage(context)``. Options every topic shares (``--k``, ``--format``, ``--json``, ``--out``)
are defined here once.
"""

from superposition.cli import (
    arguments, derive_capacity, derive_cylinder, derive_density_shift, derive_scaling_laws, derive_superposition_pictures,
    derive_table,
)

#: The topics, in the order ``--help`` lists them; the first is the default.
TOPICS = (derive_table, derive_scaling_laws, derive_capacity, derive_density_shift, derive_cylinder,
          derive_superposition_pictures)


def register(subparsers) -> None:
    by_name = {topic.NAME: topic for topic in TOPICS}
    parser = subparsers.add_parser(
        "derive",
        help="symbolic derivations: the Model A/B table and the note's formulas",
        description=(
            "Derive, with SymPy, the quantities of Katta (2024). Topics: "
            + "; ".join(f"{topic.NAME}: {topic.HELP}" for topic in TOPICS) + ". "
            "The table's Model B is k times wider with the number of layers that keeps the parameter count "
            "N = 2 d_model n_layer (2 d_attn + d_ff) (Kaplan 2020, eq. 2.1) equal."
        ),
    )
    parser.add_argument("topic", nargs="?", choices=tuple(by_name), default=TOPICS[0].NAME,
                        help=f"what to derive (default: {TOPICS[0].NAME})")
    parser.add_argument("--k", type=arguments.positive_rational, default=None, metavar="K",
                        help="width factor of Model B, a positive number such as 2 or 3/2 "
                             "(default: symbolic k for the table, the note's 2 elsewhere)")
    arguments.add_format_option(parser)
    for topic in TOPICS:
        topic.add_arguments(parser)
    arguments.add_output_options(parser)
    parser.set_defaults(run=lambda args: by_name[args.topic].run(args))


def verify_stage(context):
    """Every topic's checks, in order."""
    return [check for topic in TOPICS for check in topic.verify_stage(context)]
