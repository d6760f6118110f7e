"""``--max-memory SIZE``: every allocating command checks its estimated peak (:mod:`numerics.memory`) before starting."""

from numerics.memory import Estimate, check_fits, memory_limit
from superposition.cli.arguments import parse_byte_size


def add_memory_option(group) -> None:
    """Add ``--max-memory`` to an argument group or parser."""
    group.add_argument("--max-memory", type=parse_byte_size, default=None, metavar="SIZE",
                       help="refuse before starting when the estimated peak memory exceeds SIZE, e.g. 8G "
                            "(default: half of the memory available now; on CuPy, of the GPU's free memory too)")


def check_memory(args, *estimates: Estimate, backend: str = "numpy") -> None:
    """Refuse (InvalidParameter, exit 2) when any of ``estimates`` exceeds ``--max-memory`` or the default limit."""
    limit = memory_limit(args.max_memory, backend)
    for estimate in estimates:
        check_fits(estimate, limit)
