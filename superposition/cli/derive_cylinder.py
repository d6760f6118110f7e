"""``superposition derive cylinder``: the note's cylinder analogy, volume fixed while the surface changes."""

from superposition.checks import Check
from superposition.cli.emit import emit
from superposition.reports.table_files import TableOutput
from superposition.reports import cylinder as report
from theory.cylinder import aspect, derive_cylinder
from theory.model_table import derive_model_table
from theory.note import NOTE_K
from theory.symbols import k as k_symbol


def run(args) -> int:
    change = derive_cylinder(k=NOTE_K if args.k is None else args.k,
                             aspect_ratio=aspect if args.aspect is None else args.aspect)
    return emit(args, table_output(change))


def table_output(change) -> TableOutput:
    return TableOutput(report.FILES, report.to_payload(change), report.to_latex_table(change),
                       (report.to_rich_table(change),))


def verify_stage(context) -> list[Check]:
    """Volume unchanged and lateral surface x 1/k (= the total-neuron ratio of the model table); writes the table."""
    change = derive_cylinder(k=NOTE_K)
    table_output(change).write(context.artefacts)
    general = derive_cylinder()
    neurons_ratio = derive_model_table().row("total_neurons").ratio
    return [
        Check("cylinder.volume_unchanged", general.volume_ratio == 1,
              f"volume B/A = {general.volume_ratio} with height {general.height_b} solved from equal volume"),
        Check("cylinder.lateral_ratio_is_1_over_k", general.lateral_ratio == 1 / k_symbol,
              f"lateral surface B/A = {general.lateral_ratio}; total neurons B/A in the model table = {neurons_ratio}"),
        Check("cylinder.lateral_matches_total_neurons", general.lateral_ratio == neurons_ratio,
              "the analogy's surface scales like the total neurons"),
    ]
