"""``superposition derive table``: the note's Model A/B table, derived for any parameter-preserving shape change."""

from superposition.checks import Check
from superposition.cli.emit import emit
from superposition.reports.table_files import TableOutput
from superposition.reports import model_table as report
from theory.architectures import architecture, architecture_table, require_homogeneous
from theory.model_table import derive_model_table
from theory.note import NOTE_K, compare_with_note
from theory.symbols import k as k_symbol
from theory.validation import InvalidParameter


def chosen_architecture(args):
    """The homogeneous architecture ``--architecture`` names at the ratios given, or None (Kaplan's eq. 2.1)."""
    if args.architecture is None:
        if args.kv_ratio is not None:
            raise InvalidParameter("kv_ratio", "needs --architecture (gqa or swiglu-gqa)")
        return None
    family = architecture(args.architecture, attn_ratio=args.attn_ratio, ff_ratio=args.ff_ratio,
                          kv_ratio=args.kv_ratio)
    return require_homogeneous(family, "architecture")


def build_table(args):
    """The table the arguments ask for (symbolic or at a concrete shape)."""
    if (args.d_model is None) != (args.n_layer is None):
        missing = "--n-layer" if args.n_layer is None else "--d-model"
        raise InvalidParameter(missing, "is needed too when a concrete shape is given")
    family, k = chosen_architecture(args), k_symbol if args.k is None else args.k
    if family is not None:
        table = architecture_table(family, k, args.neurons)
    else:
        table = derive_model_table(k=k, attn_ratio=1 if args.attn_ratio is None else args.attn_ratio,
                                   ff_ratio=4 if args.ff_ratio is None else args.ff_ratio, neurons=args.neurons)
    if args.d_model is not None:
        table = table.at_shape(args.d_model, args.n_layer)
    return table


def table_output(table, family=None) -> TableOutput:
    """``table_model_ab.tex`` (fragment), its standalone wrapper, ``table_model_ab.json`` (with the architecture
    family, when one is chosen) and the terminal table."""
    payload = report.to_payload(table)
    if family is not None:
        payload["architecture"] = report.architecture_payload(family)
    return TableOutput(report.FILES, payload, report.to_latex_table(table, family),
                       (report.to_rich_table(table, family),), warnings=tuple(table.warnings))


def run(args) -> int:
    return emit(args, table_output(build_table(args), chosen_architecture(args)))


def verify_stage(context) -> list[Check]:
    """Derive the note's case (k = 2, Kaplan's ratios) and compare it with the note's printed table."""
    table = derive_model_table(k=NOTE_K)
    table_output(table).write(context.artefacts)
    checks = []
    for key, factors in compare_with_note(table).items():
        expected = (12, 12) if key == "total_parameters" else (1, 1)
        checks.append(Check(
            f"model_table.{key}",
            tuple(factors) == expected,
            f"derived/printed = {factors[0]} (Model A), {factors[1]} (Model B); expected {expected[0]}"
            + (" (the note drops Kaplan's constant 12)" if key == "total_parameters" else ""),
        ))
    symbolic = derive_model_table()
    checks.append(Check(
        "model_table.features_per_neuron_ratio_is_k",
        symbolic.row("features_per_neuron").ratio == k_symbol,
        f"features per neuron B/A = {symbolic.row('features_per_neuron').ratio} for symbolic k",
    ))
    return checks
