"""Published model shapes: per-model counts and near-equal-N pairs as JSON, booktabs LaTeX and terminal tables."""

import numpy as np
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.expressions import expression_payload
from superposition.reports.table_files import TableFiles, TableOutput
from theory.capacity_functions import REGISTRY
from theory.published_shapes import layers_at
from theory.symbols import to_latex

FILES = TableFiles("table_shapes", "Published model shapes and the note's arithmetic")
FIGURE_STEM = "shapes"
MARKERS = {"GPT-3": "o", "Pythia": "s", "Kaplan": "D", "Llama 2": "v", "Llama 3.1": "^"}


def count_text(count) -> str:
    """A parameter count in M or B with four significant digits (84.93M, 1.208B).

    >>> count_text(84_934_656), count_text(1_207_959_552), count_text(None)
    ('84.93M', '1.208B', '--')
    """
    if count is None:
        return "--"
    return f"{count / 1e9:.4g}B" if count >= 1e9 else f"{count / 1e6:.4g}M"


def percent_text(value, signed: bool = True) -> str:
    return "--" if value is None else f"{100 * value:+.2f}%" if signed else f"{100 * value:.2f}%"


def ratio_text(ratio, to_text=str) -> str:
    """'2' for a whole ratio, '200/67 = 2.985' otherwise (``to_text`` renders the exact value)."""
    return to_text(ratio) if ratio.is_integer else f"{to_text(ratio)} = {float(ratio):.4g}"


def density_text(value) -> str:
    return f"{value:.4g}" if value is not None else "none"


def _model_payload(check) -> dict:
    shape = check.shape
    return {
        "family": shape.family, "model": shape.model, "n_layer": shape.n_layer, "d_model": shape.d_model,
        "n_heads": shape.n_heads, "d_head": shape.d_head, "published_params": shape.published_params,
        "params_kind": shape.params_kind, "architecture": shape.architecture, "d_ff": shape.d_ff,
        "n_kv_heads": shape.n_kv_heads, "embeddings": shape.embeddings, "kaplan_params_12_L_d2": check.kaplan_params,
        "architecture_params": check.architecture_params,
        "compared_params": check.compared_params, "relative_error": check.relative_error,
        "kaplan_relative_error": check.kaplan_relative_error,
        "remainder_is_bias_and_norm": check.remainder_is_bias_and_norm,
        "consistent": not check.disagreements, "disagreements": list(check.disagreements),
        "source": shape.source, "notes": shape.notes,
    }


def _pair_payload(pair, densities) -> dict:
    ratio = pair.features_per_neuron_ratio
    return {
        "model_a": pair.narrow.model, "model_b": pair.wide.model,
        "params_a": pair.narrow.architecture_params, "params_b": pair.wide.architecture_params,
        "relative_difference": pair.relative_difference,
        "width_ratio": expression_payload(pair.width_ratio),
        "features_per_neuron_ratio": {**expression_payload(ratio), "value": float(ratio)},
        "density_b": {function: {"p_b": value, "reason": reason} for function, (value, reason) in densities.items()},
    }


def to_payload(result) -> dict:
    """Every model's counts and disagreements, every pair within the tolerance, and what this does not show."""
    return {
        "data": result.data_name,
        "tolerance": result.tolerance,
        "reference_density": result.reference_density,
        "models": [_model_payload(check) for check in result.checks],
        "pairs": [_pair_payload(pair, densities) for pair, densities in result.pairs],
        "disagreements": {check.shape.model: list(check.disagreements) for check in result.checks if check.disagreements},
        "statement": result.statement,
    }


def _models_latex(result) -> str:
    header = ["Model", "$L$", r"$d_{\mathrm{model}}$", "architecture", "$N$", "published", "compared", "error"]
    rows = []
    for check in result.checks:
        shape = check.shape
        marker = r"$^\dagger$" if check.disagreements else ""
        rows.append([escape_text(shape.model) + marker, math(str(shape.n_layer)), math(str(shape.d_model)),
                     escape_text(shape.architecture), count_text(check.architecture_params),
                     count_text(shape.published_params) +
                     ("" if shape.published_params is None else f" ({escape_text(shape.params_kind)})"),
                     count_text(check.compared_params), escape_text(percent_text(check.relative_error))])
    footnotes = [
        r"$N$: the architecture's non-embedding count; kaplan: $12 L d^2$, Kaplan et al.\ (2020) eq.~2.1; "
        r"swiglu: $L (4 d^2 + 3 d\, d_{\mathrm{ff}})$; swiglu-gqa: $L (2 d^2 + 2 d\, d_{\mathrm{kv}} + 3 d\, d_{\mathrm{ff}})$. "
        r"Compared: $N$ for a non-embedding count, $N$ plus the embeddings for a printed total (rounded): "
        r"$(n_{\mathrm{vocab}} + n_{\mathrm{ctx}})\, d$ tied with learned positions (GPT), $2 n_{\mathrm{vocab}} d$ "
        "untied with rotary positions (Llama). Error: compared / published $- 1$.",
        *(r"$^\dagger$" + escape_text(f"{check.shape.model}: {text}.") for check in result.checks
          for text in check.disagreements),
    ]
    return booktabs_table(header, rows, caption="Published shapes: each architecture's count against the published "
                          "parameter counts.", label="tab:shapes-models", footnotes=footnotes, column_spec="lrrlrlrr")


def _pairs_latex(result) -> str:
    header = ["A", "B", "$N_A$", "$N_B$", r"$|\Delta N|$", "$d_B/d_A$", r"fpn $B/A$ (eff.\ $k$)",
              *(f"$p_B$, {REGISTRY[function].heading_latex}" for function in result.functions)]
    rows = [[escape_text(pair.narrow.model), escape_text(pair.wide.model), count_text(pair.narrow.architecture_params),
             count_text(pair.wide.architecture_params), escape_text(percent_text(pair.relative_difference, signed=False)),
             math(to_latex(pair.width_ratio)), math(ratio_text(pair.features_per_neuron_ratio, to_latex)),
             *(math(density_text(densities[function][0])) for function in result.functions)]
            for pair, densities in result.pairs]
    footnotes = [
        f"Pairs whose $N$ (architecture counts) differ by less than {100 * result.tolerance:g}\\%. "
        r"fpn $B/A$: features per neuron of B over A under universality, "
        r"$d_A L_A / (d_B L_B)$, the effective width factor $k$.",
        f"$p_B$: the density B's features would need, $f(p_B) = k f(p_A)$ at $p_A = {result.reference_density:g}$; "
        "none where no density reaches it.",
    ]
    return booktabs_table(header, rows, caption="Pairs of published models at nearly equal parameter counts.",
                          label="tab:shapes-pairs", footnotes=footnotes, column_spec="ll" + "r" * (len(header) - 2))


def latex_table(result) -> str:
    """Both tables (per model; per pair) as booktabs floats in one fragment."""
    return _models_latex(result) + "\n" + _pairs_latex(result)


def to_renderables(result) -> list:
    """The two tables, the disagreements, and the statement."""
    models = Table(title=f"Published shapes: architecture count N vs the published counts ({result.data_name})")
    for column in ("model", "L", "d_model", "architecture", "N", "published", "compared", "error", "consistent"):
        models.add_column(column, justify="left" if column in ("model", "architecture", "published") else "right")
    for check in result.checks:
        shape = check.shape
        published = count_text(shape.published_params) + ("" if shape.published_params is None else f" ({shape.params_kind})")
        models.add_row(shape.model, str(shape.n_layer), str(shape.d_model), shape.architecture,
                       count_text(check.architecture_params), published,
                       count_text(check.compared_params), percent_text(check.relative_error),
                       "[red]no, see below[/]" if check.disagreements else "yes")
    pairs = Table(title=f"Pairs with N within {100 * result.tolerance:g}%: what B (wider) needs at p_A = "
                        f"{result.reference_density:g}")
    for column in ("A", "B", "N_A", "N_B", "|dN|", "d_B/d_A", "fpn B/A (effective k)",
                   *(f"p_B ({REGISTRY[function].label})" for function in result.functions)):
        pairs.add_column(column, justify="left" if column in ("A", "B") else "right")
    for pair, densities in result.pairs:
        ratio = pair.features_per_neuron_ratio
        pairs.add_row(pair.narrow.model, pair.wide.model, count_text(pair.narrow.architecture_params),
                      count_text(pair.wide.architecture_params), percent_text(pair.relative_difference, signed=False),
                      str(pair.width_ratio), ratio_text(ratio),
                      *(density_text(densities[function][0]) for function in result.functions))
    notes = [f"[bold]{check.shape.model}[/]: published numbers disagree: {text}"
             for check in result.checks for text in check.disagreements]
    unreachable = [f"{pair.narrow.model} / {pair.wide.model}, {REGISTRY[function].label}: no p_B ({reason})"
                   for pair, densities in result.pairs for function, (_, reason) in densities.items() if reason]
    return [models, *notes, pairs, *unreachable, result.statement]


def shapes_figure(result):
    """Log-log (d_model, n_layer) of every model, with the line of constant N = 12 L d^2 through each pair."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.8))
    axes = figure.subplots()
    shapes = [check.shape for check in result.checks]
    widths = np.geomspace(min(s.d_model for s in shapes) / 1.5, max(s.d_model for s in shapes) * 1.5, 100)
    for count in sorted({pair.narrow.kaplan_params for pair, _ in result.pairs}):
        axes.loglog(widths, [layers_at(count, width) for width in widths], ":", color="grey", linewidth=0.8)
    for pair, _ in result.pairs:
        axes.loglog([pair.narrow.d_model, pair.wide.d_model], [pair.narrow.n_layer, pair.wide.n_layer], "-",
                    color="C3", alpha=0.5)
    for index, family in enumerate(dict.fromkeys(s.family for s in shapes)):
        members = [s for s in shapes if s.family == family]
        axes.loglog([s.d_model for s in members], [s.n_layer for s in members], MARKERS.get(family, "^"),
                    color=f"C{index}", label=family, linestyle="none", markerfacecolor="none")
    axes.set_ylim(min(s.n_layer for s in shapes) / 1.5, max(s.n_layer for s in shapes) * 1.5)
    axes.set_xlabel(r"$d_{\mathrm{model}}$")
    axes.set_ylabel(r"$n_{\mathrm{layer}}$")
    axes.set_title(f"Published shapes; red: pairs with N within {100 * result.tolerance:g}%, "
                   "dotted: constant N = 12 L d^2", fontsize=9)
    axes.legend(fontsize=8)
    return figure


def table_output(result) -> TableOutput:
    """Both LaTeX tables (fragment + standalone), the JSON, the terminal tables and the figure (PDF, PNG)."""
    return TableOutput(FILES, to_payload(result), latex_table(result), tuple(to_renderables(result)),
                       figures=((FIGURE_STEM, lambda: shapes_figure(result)),))
