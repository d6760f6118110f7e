"""The capacity experiment as a log-log figure with both predictions, a LaTeX table, JSON and a rich table."""

import math

import numpy as np
from rich.table import Table

from numerics.capacity_scaling import CANDIDATE_EXPONENTS
from superposition.latex import booktabs_table, escape_text, math as in_math
from superposition.reports.table_files import TableFiles, TableOutput

FILES = TableFiles("capacity_scaling", "Capacity exponent: n_max against m")
FIGURE_STEM = "capacity_scaling"
SUPPORT_WORDS = {"bernoulli": "Bernoulli(p) support", "fixed": "k = round(p n) support"}


def describe(config) -> str:
    return (f"{config.solver}, {config.signal} features, {SUPPORT_WORDS[config.support]}, {config.trials} trials per n "
            f"({config.batch} per Gaussian matrix), success: relative l2 error < {config.tol:g}, "
            f"bisection to {config.precision:.0%}, seed {config.seed}")


def _interval(fit) -> str:
    if math.isnan(fit.ci_low):
        return f"{fit.exponent:.3f}"
    return f"{fit.exponent:.3f} [{fit.ci_low:.3f}, {fit.ci_high:.3f}]"


def _ols_interval(fit) -> str:
    """The least-squares t interval, beside the bootstrap one."""
    return "--" if math.isnan(fit.ols_low) else f"[{fit.ols_low:.3f}, {fit.ols_high:.3f}]"


def _verdict(fit) -> str:
    """Which candidate exponents the bootstrap interval contains, in words."""
    if math.isnan(fit.ci_low):
        return "no interval: fewer than 3 m"
    inside = [f"a = {value:g}" for value in CANDIDATE_EXPONENTS.values() if fit.contains(value)]
    return "contains " + (" and ".join(inside) if inside else "neither 1 nor 2")


def to_latex_table(analysis) -> str:
    """Per density: the fitted exponent with its interval, n_max/m at the largest m, f_l1(p) and f_note(p)."""
    rows = []
    for fit in analysis.fits:
        exponent = in_math(_interval(fit.fit).replace("[", r"\,[")) if fit.fit else "--"
        ols = in_math(_ols_interval(fit.fit)) if fit.fit and not math.isnan(fit.fit.ols_low) else "--"
        rows.append([
            in_math(f"{fit.density:g}"), exponent, ols, escape_text(_verdict(fit.fit)) if fit.fit else "--",
            in_math(f"{fit.ratio_at_largest_m:.2f}") if fit.m else "--", in_math(f"{fit.f_l1:.2f}"),
            in_math(f"{fit.f_note:.2f}"),
        ])
    largest = max(analysis.config.m_grid)
    return booktabs_table(
        ["$p$", r"exponent $a$ [bootstrap 95\%]", r"OLS 95\%", "the bootstrap interval",
         rf"$n_{{\max}}/m$ at $m={largest}$", r"$f_{\ell_1}(p)$", r"$f_{\mathrm{note}}(p)$"], rows,
        caption=r"Capacity exponent: fit $\log n_{\max} = a \log m + c$ (trial-level bootstrap and OLS 95\% "
                r"intervals), against "
                r"$a = 1$ ($n \approx m f(p)$, the note) and $a = 2$ (the $m^2$ variant).",
        label="tab:capacity-scaling",
        footnotes=[escape_text(describe(analysis.config)) + ".",
                   rf"$m \in \{{{', '.join(str(m) for m in analysis.config.m_grid)}\}}$; "
                   r"$f_{\ell_1}$: exact $\ell_1$ capacity $1/\delta^*$ with $\delta^*\rho(\delta^*) = p$; "
                   r"$f_{\mathrm{note}}(p) = -1/(p \ln p)$."],
        column_spec="ccccccc",
    )


def to_rich_table(analysis) -> Table:
    table = Table(title=f"Capacity: {describe(analysis.config)}")
    for column in ("p", "m", "n_max", "bracket", "n_max/m", "f_l1(p)", "f_note(p)"):
        table.add_column(column, justify="right")
    captions = []
    brackets = {(cell["density"], cell["m"]): cell for cell in analysis.cells}
    for fit in analysis.fits:
        for m, n_max in zip(fit.m, fit.n_max):
            table.add_row(f"{fit.density:g}", str(m), f"{n_max:.1f}", _bracket_words(brackets[fit.density, m]),
                          f"{n_max / m:.3f}", f"{fit.f_l1:.3f}", f"{fit.f_note:.3f}")
        if fit.fit:
            captions.append(f"p = {fit.density:g}: a = {_interval(fit.fit)} (trial-level bootstrap; "
                            f"OLS {_ols_interval(fit.fit)}; {_verdict(fit.fit)})")
    table.caption = "; ".join(captions) or "no exponent: fewer than two bracketed m"
    return table


def _bracket_words(cell: dict) -> str:
    """The final bisection bracket, marked when n_max lies outside it (after the allowed refinements)."""
    low, high = cell["bracket"]
    outside = "" if cell.get("n_max_inside_bracket", True) else " (n_max outside)"
    return f"[{low}, {high}]{outside}"


def loglog_figure(analysis):
    """n_max against m on log-log axes; the fit; n = m f_l1(p) and n = m f_note(p) (a = 1); slope 2 (m² variant)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.8))
    axes = figure.subplots()
    colours = [f"C{index}" for index in range(10)]
    for fit, colour in zip(analysis.fits, colours):
        if not fit.m:
            continue
        m = np.geomspace(min(fit.m) / 1.2, max(fit.m) * 1.2, 50)
        axes.plot(fit.m, fit.n_max, "o", color=colour, label=f"measured, p = {fit.density:g}")
        if fit.fit:
            axes.plot(m, math.exp(fit.fit.intercept) * m**fit.fit.exponent, "-", color=colour, linewidth=1,
                      label=f"fit: a = {_interval(fit.fit)}")
        axes.plot(m, fit.f_l1 * m, "--", color=colour, label=r"$a=1$: $n = m\,f_{\ell_1}(p)$")
        axes.plot(m, fit.f_note * m, ":", color=colour, label=r"$a=1$: $n = m\,f_{\mathrm{note}}(p)$")
        axes.plot(m, fit.n_max[0] * (m / fit.m[0]) ** 2, "-.", color=colour, alpha=0.6,
                  label=r"$a=2$: $n \propto m^2$ (through the first point)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("neurons $m$")
    axes.set_ylabel(r"largest recoverable features $n_{\max}$")
    axes.set_title(f"{analysis.config.solver}, {analysis.config.signal}, {SUPPORT_WORDS[analysis.config.support]}",
                   fontsize=10)
    axes.legend(fontsize=7, loc="upper left")
    return figure


def to_payload(analysis) -> dict:
    return {"description": describe(analysis.config), **analysis.to_dict()}


def table_output(analysis) -> TableOutput:
    """LaTeX table (fragment + standalone), JSON, the terminal table and the log-log figure (PDF, PNG)."""
    return TableOutput(FILES, to_payload(analysis), to_latex_table(analysis), (to_rich_table(analysis),),
                       figures=((FIGURE_STEM, lambda: loglog_figure(analysis)),))
