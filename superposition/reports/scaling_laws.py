"""The scaling-law derivation as JSON, a booktabs LaTeX table and terminal tables, with the eq. (1) finding."""

import sympy as sp
from rich.markup import escape
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.expressions import expression_payload
from superposition.reports.table_files import TableFiles
from theory import scaling_laws as laws
from theory.symbols import to_latex

FILES = TableFiles("table_scaling_laws", "Scaling laws, compute-optimal allocation and the note's eq. (1)")

#: Significant digits of the numbers shown (JSON keeps exact values and 15-digit floats).
DIGITS = 4


def _rounded(expr):
    return sp.N(expr, DIGITS)


def with_constants(form, fit):
    """``form`` with ``fit``'s constants shown as rounded decimals, its structure kept (for display only)."""
    ratio = {laws.alpha_N / laws.alpha_D: sp.UnevaluatedExpr(sp.Float(fit.alpha_N / fit.alpha_D, DIGITS))} \
        if isinstance(fit, laws.KaplanFit) else {}
    shown = {symbol: sp.UnevaluatedExpr(sp.Float(value, DIGITS)) for symbol, value in fit.substitutions().items()}
    return form.xreplace(ratio).xreplace(shown)


def forms(result) -> list[dict]:
    """Each law: key, label, source, symbolic form, and the form at its published constants."""
    joint, separate, chinchilla = laws.KAPLAN_JOINT, laws.KAPLAN_SEPARATE, result.fit
    rows = [
        ("kaplan_n", "Kaplan L(N)", separate, laws.loss_of_parameters()),
        ("kaplan_d", "Kaplan L(D)", separate, laws.loss_of_data()),
        ("kaplan_nd", "Kaplan L(N, D), eq. 1.5", joint, laws.kaplan_joint_loss()),
        ("note_eq1_printed", "The note's eq. (1), as printed", joint, laws.note_eq1_printed()),
        ("chinchilla", "Chinchilla L(N, D)", chinchilla, laws.chinchilla_loss()),
    ]
    return [
        {"key": key, "label": label, "source": fit.source, "constants": fit.name,
         "symbolic": form, "fitted": form.subs(fit.substitutions()), "shown": with_constants(form, fit)}
        for key, label, fit, form in rows
    ]


def finding(result, latex: bool = False) -> str:
    """The eq. (1) finding in words, built from the computed limits (plain text, or LaTeX with ``latex``)."""
    limits, values = result.limits, result.limit_values
    show = (lambda expr: math(to_latex(expr))) if latex else sp.sstr
    words = escape_text if latex else str
    grows = (lambda name: math(f"{name} \\to \\infty")) if latex else (lambda name: f"{name} -> oo")
    verdict = "equals" if limits.printed_matches_loss_of_data else "does not equal"
    return "".join([
        words("The note's eq. (1) as printed tends to "), show(limits.printed_limit_n), words(" as "), grows("N"),
        words(f", which {verdict} L(D) = "), show(limits.loss_of_data),
        words(" (the limit of Kaplan's eq. 1.5); the two agree only at D = "),
        words(", ").join(show(value) for value in limits.agree_only_at),
        words(f". At Kaplan's joint fit and D = {float(values['tokens']):.3g} tokens the printed form's limit is "
              f"{_rounded(values['printed_limit_n'])}, L(D) = {_rounded(values['loss_of_data'])}. "
              "The package reports this as a misprint in the note and does not silently correct it "
              "(the printed form's limit as "), grows("D"), words(", "), show(limits.printed_limit_d), words(", is right)."),
    ])


def allocation_rows(result) -> list[tuple]:
    """(key, label, symbolic, at the selected Chinchilla constants) of the compute-optimal allocation."""
    symbolic, fitted = result.allocation, result.allocation_chinchilla
    return [
        (name, label, getattr(symbolic, name), getattr(fitted, name))
        for name, label in (
            ("n_opt", "N_opt(C)"), ("d_opt", "D_opt(C)"),
            ("n_exponent", "exponent of C in N_opt"), ("d_exponent", "exponent of C in D_opt"),
            ("n_coefficient", "N_opt at C = 1"), ("d_coefficient", "D_opt at C = 1"),
            ("chinchilla_g", "G in N_opt = G (C/6)^a"), ("curvature", "d2L/dN2 on C = 6ND at the optimum"),
        )
    ]


def _power_law(coefficient, exponent):
    """coefficient * C**exponent with the coefficient rounded for display."""
    return sp.Mul(_rounded(coefficient), laws.C**exponent, evaluate=False)


def fits_payload(result) -> list[dict]:
    """Each named Chinchilla constant set: constants, exponents, optimum at the Chinchilla model's compute."""
    return [
        {"key": row.key, "name": row.fit.name, "source": row.fit.source,
         "constants": {str(symbol): float(value) for symbol, value in row.fit.substitutions().items()},
         "n_exponent": expression_payload(row.allocation.n_exponent), "n_exponent_float": float(row.allocation.n_exponent),
         "d_exponent": expression_payload(row.allocation.d_exponent), "d_exponent_float": float(row.allocation.d_exponent),
         "at_model_compute": {key: float(value) for key, value in row.at_model_compute.items()},
         "tokens_per_parameter": float(row.tokens_per_parameter)}
        for row in result.fits
    ]


def fits_sentence(result) -> str:
    """The constant sets compared in words (plain text)."""
    model_n, model_d = (float(value) for value in laws.CHINCHILLA_MODEL)
    parts = [
        f"{row.fit.name}: N_opt ~ C^{float(row.allocation.n_exponent):.4f}, at C = "
        f"{float(row.at_model_compute['compute']):.3g} N_opt = {float(row.at_model_compute['parameters']):.3g}, "
        f"D_opt = {float(row.at_model_compute['tokens']):.3g} ({float(row.tokens_per_parameter):.1f} tokens per parameter)"
        for row in result.fits
    ]
    return (f"At the Chinchilla model's compute (6 x {model_n:.3g} x {model_d:.3g} FLOPs): " + "; ".join(parts)
            + f". Chinchilla itself has {model_d / model_n:.0f} tokens per parameter. Shape invariance is symbolic in "
            "E, A, B, alpha, beta, so it holds for every constant set.")


def to_payload(result) -> dict:
    """JSON-ready dict: every expression as LaTeX, text and srepr; numbers also as floats."""
    at_compute = result.allocation_at_compute
    return {
        "k": expression_payload(result.k),
        "forms": [
            {**{key: row[key] for key in ("key", "label", "source", "constants")},
             "symbolic": expression_payload(row["symbolic"]), "fitted": expression_payload(row["fitted"])}
            for row in forms(result)
        ],
        "compute_per_token": {
            "forward_flops": expression_payload(laws.forward_flops_per_token()),
            "training_compute": expression_payload(laws.training_compute()),
        },
        "compute_optimal": {
            "source": result.fit.source,
            "rows": [
                {"key": key, "label": label, "symbolic": expression_payload(symbolic),
                 "chinchilla": expression_payload(fitted),
                 **({"chinchilla_float": float(fitted)} if fitted.is_number else {})}
                for key, label, symbolic, fitted in allocation_rows(result)
            ],
            "at_compute": {key: float(value) for key, value in at_compute.items()},
        },
        "constants": result.constants,
        "fits_compared": fits_payload(result),
        "shape_invariance": [
            {"law": check.law, "description": check.description, "k": expression_payload(check.k),
             "loss_model_a": expression_payload(check.loss_model_a), "loss_model_b": expression_payload(check.loss_model_b),
             "difference": expression_payload(check.difference), "jacobian": expression_payload(check.jacobian),
             "holds": check.holds}
            for check in result.invariance
        ],
        "note_eq1": {
            **{name: expression_payload(getattr(result.limits, name)) for name in (
                "kaplan_form", "printed_form", "kaplan_limit_n", "printed_limit_n", "kaplan_limit_d",
                "printed_limit_d", "loss_of_data", "loss_of_parameters", "ratio_to_loss_of_data")},
            "agree_only_at": [expression_payload(value) for value in result.limits.agree_only_at],
            "printed_matches_loss_of_data": result.limits.printed_matches_loss_of_data,
            "kaplan_matches_loss_of_data": result.limits.kaplan_matches_loss_of_data,
            "at_joint_fit": {key: float(value) for key, value in result.limit_values.items()},
            "finding": finding(result),
        },
    }


def to_latex_table(result) -> str:
    """A two-column booktabs table (quantity, expression): each form, then its value at the published constants."""
    indent = r"\quad "
    rows = []
    for row in forms(result):
        rows.append([escape_text(row["label"]), math(to_latex(row["symbolic"]))])
        rows.append([indent + escape_text(row["constants"]), math(to_latex(row["shown"]))])
    rows.append([escape_text("Training compute"), math(f"C = {to_latex(laws.training_compute())}")])
    symbolic, fitted = result.allocation, result.allocation_chinchilla
    for name, coefficient, exponent in (("N", fitted.n_coefficient, fitted.n_exponent),
                                        ("D", fitted.d_coefficient, fitted.d_exponent)):
        general = getattr(symbolic, f"{name.lower()}_opt")
        general_exponent = getattr(symbolic, f"{name.lower()}_exponent")
        rows.append([escape_text(f"Compute-optimal {name}"), math(f"{name}_{{\\mathrm{{opt}}}} = {to_latex(general)}")])
        rows.append([indent + escape_text(f"{result.fit.name} constants"),
                     math(f"{to_latex(_power_law(coefficient, exponent))},\\quad {to_latex(general_exponent)} = "
                          f"{to_latex(exponent)} \\approx {to_latex(_rounded(exponent))}")])
    for row in result.fits:
        rows.append([indent + escape_text(f"{row.fit.name}, C = {float(row.at_model_compute['compute']):.3g}"),
                     math(f"N_{{\\mathrm{{opt}}}} \\propto C^{{{float(row.allocation.n_exponent):.4f}}},\\ "
                          f"N_{{\\mathrm{{opt}}}} = {to_latex(_rounded(row.at_model_compute['parameters']))},\\ "
                          f"D_{{\\mathrm{{opt}}}}/N_{{\\mathrm{{opt}}}} = {float(row.tokens_per_parameter):.1f}")])
    limits, values = result.limits, result.limit_values
    rows.append([r"Eq.~1.5 as $N \to \infty$", math(to_latex(limits.kaplan_limit_n) + " = L(D)")])
    rows.append([r"Printed eq.~(1) as $N \to \infty$",
                 math(to_latex(limits.printed_limit_n) + (r" = L(D)" if limits.printed_matches_loss_of_data else r" \neq L(D)"))])
    rows.append([indent + escape_text(f"joint fit, D = {float(values['tokens']):.3g}"),
                 math(f"{to_latex(_rounded(values['printed_limit_n']))} \\text{{ vs. }} L(D) = {to_latex(_rounded(values['loss_of_data']))}")])
    rows.append([r"Printed eq.~(1) as $D \to \infty$", math(to_latex(limits.printed_limit_d) + " = L(N)")])
    for check in result.invariance:
        rows.append([escape_text(f"{check.description}: B - A"), math(f"L_B - L_A = {to_latex(check.difference)}")])
    footnotes = [
        escape_text(f"Constants: {laws.KAPLAN_SEPARATE.source} (L(N), L(D)); {laws.KAPLAN_JOINT.source} "
                    f"(L(N, D) and the note's eq. (1)); {result.fit.source}."),
        escape_text(f"Compute-optimal allocation derived with SymPy by minimising the Chinchilla loss on C = 6ND; at "
                    f"C = {float(result.compute):.3g} FLOPs: N = {float(result.allocation_at_compute['parameters']):.3g}, "
                    f"D = {float(result.allocation_at_compute['tokens']):.3g}, "
                    f"L = {float(result.allocation_at_compute['loss']):.4g}."),
        escape_text(f"Model B: width x {result.k}, layers chosen to keep N = 2 d_model n_layer (2 d_attn + d_ff)."),
        "Finding: " + finding(result, latex=True),
    ]
    return booktabs_table(
        ["", "Derived with SymPy"], rows,
        caption="Scaling laws, the compute-optimal allocation and the limits of the note's eq.~(1).",
        label="tab:scaling-laws", footnotes=footnotes, column_spec="p{4.4cm}l",
    )


def to_rich_tables(result) -> list:
    """Terminal tables: the forms, the allocation, shape invariance; then the finding as text."""
    forms_table = Table(title="Scaling laws (constants are inputs, with their sources)")
    for column in ("Law", "Symbolic", "Published constants", "Source"):
        forms_table.add_column(column, overflow="fold")
    for row in forms(result):
        forms_table.add_row(row["label"], sp.sstr(row["symbolic"]), sp.sstr(row["shown"]), row["source"])

    allocation = Table(title=f"Chinchilla compute-optimal allocation under C = 6ND (derived; {result.fit.source})")
    for column in ("Quantity", "Symbolic", f"{result.fit.name} constants"):
        allocation.add_column(column, overflow="fold")
    for _, label, symbolic, fitted in allocation_rows(result):
        exact = f" = {sp.sstr(fitted)}" if fitted.is_Rational else ""
        allocation.add_row(label, sp.sstr(symbolic), f"{sp.sstr(_rounded(fitted))}{exact}")
    at = result.allocation_at_compute
    allocation.caption = (f"At C = {float(at['compute']):.3g} FLOPs: N_opt = {float(at['parameters']):.3g} parameters, "
                          f"D_opt = {float(at['tokens']):.3g} tokens, predicted loss {float(at['loss']):.4g}")

    invariance = Table(title=f"Shape invariance: Model B = (k d_model, equal-N layers), k = {result.k}")
    for column in ("Law", "Loss of Model A (N = N(d_model, n_layer))", "L_B - L_A", "det d(L, N)/d(d_model, n_layer)"):
        invariance.add_column(column, overflow="fold")
    for check in result.invariance:
        invariance.add_row(check.description, sp.sstr(check.loss_model_a), sp.sstr(check.difference), sp.sstr(check.jacobian))
    invariance.caption = "The loss depends on the shape only through N: every parameter-preserving shape change leaves it unchanged."
    fits = Table(title="Chinchilla constant sets compared (--constants selects the one used above)")
    model_compute = float(result.fits[0].at_model_compute["compute"])
    for column in ("Constants", "E, A, B, alpha, beta", "N_opt exponent", f"N_opt at {model_compute:.3g}", "D_opt / N_opt"):
        fits.add_column(column, overflow="fold")
    for row in result.fits:
        fit = row.fit
        fits.add_row(f"{row.key}: {fit.name}", ", ".join(str(float(v)) for v in (fit.E, fit.A, fit.B, fit.alpha, fit.beta)),
                     f"{sp.sstr(row.allocation.n_exponent)} = {float(row.allocation.n_exponent):.4f}",
                     f"{float(row.at_model_compute['parameters']):.3g}", f"{float(row.tokens_per_parameter):.1f}")
    fits.caption = fits_sentence(result)
    return [forms_table, allocation, invariance, fits, f"[bold]Finding:[/] {escape(finding(result))}"]
