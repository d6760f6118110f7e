"""Loss against width in Liu et al.'s toy model: JSON, a booktabs table, a terminal table and one figure."""

from dataclasses import asdict

import numpy as np
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.table_files import TableFiles

STEM = "toy_scaling"
FILES = TableFiles(STEM, "Toy model: loss against width (Liu, Liu & Gore 2025)")
#: Liu et al.'s reported exponents: about alpha (weak), about 1 (strong).
PAPER = "Liu, Liu & Gore 2025 (arXiv:2505.10465): weak ~ alpha, strong ~ 1"


def regime(result, decay) -> str:
    if decay == result.strong_decay:
        return "strong"
    return "weak" if decay == result.weak_decay else "between"


def expected_exponent(result, fit) -> float | None:
    """The paper's exponent for the fit's regime: 1 strong, alpha weak, None in between."""
    return {"strong": 1.0, "weak": fit.alpha}.get(regime(result, fit.decay))


def payload(result, settings, sizes_note: str) -> dict:
    return {
        "experiment": "toy scaling",
        "source": PAPER,
        "config": asdict(result.config),
        "settings": asdict(settings),
        "sizes": sizes_note,
        "instances": [asdict(row) for row in result.instances],
        "fits": [{**asdict(fit), "regime": regime(result, fit.decay), "paper_exponent": expected_exponent(result, fit)}
                 for fit in result.fits],
    }


def _interval(fit) -> str:
    if fit.ci_low is None:
        return f"{fit.exponent:.2f} (no interval: fewer than 3 widths)"
    return f"{fit.exponent:.2f} [{fit.ci_low:.2f}, {fit.ci_high:.2f}]"


def latex(result, sizes_note: str) -> str:
    rows = []
    for fit in result.fits:
        cells = [result.cell(fit.alpha, fit.decay, m) for m in result.config.ms]
        fraction = np.mean([cell.represented_fraction for cell in cells])
        expected = expected_exponent(result, fit)
        rows.append([math(f"{fit.alpha:g}"), math(f"{fit.decay:g}"), escape_text(regime(result, fit.decay)),
                     math(f"{fit.exponent:.2f}"),
                     "--" if fit.ci_low is None else math(f"[{fit.ci_low:.2f}, {fit.ci_high:.2f}]"),
                     "--" if expected is None else math(f"{expected:g}"), math(f"{fit.tail_exponent:.2f}"),
                     math(f"{fraction:.2f}")])
    config = result.config
    return booktabs_table(
        [r"$\alpha$", r"$\gamma$", "regime", "exponent", "95\\% interval", "paper", "tail", "represented"], rows,
        caption="Loss $\\propto m^{-a}$ in Liu et al.'s toy model: fitted exponent $a$ per frequency exponent "
                "$\\alpha$ and weight decay $\\gamma$.",
        label="tab:toy-scaling",
        footnotes=[
            escape_text(f"n = {config.n}, m = {', '.join(map(str, config.ms))}, {config.steps} steps of batch "
                        f"{config.batch_size}, lr {config.learning_rate:g} (10% warm-up, cosine to 5%); loss on "
                        f"{config.eval_batch} fresh inputs. {sizes_note}"),
            escape_text("Interval: case bootstrap over the widths. Tail: the same fit on the loss of keeping exactly "
                        "the m most frequent features (the weak regime's finite-n reference). Represented: mean "
                        "fraction of features with ||W_i|| > 0.5 over the widths. " + PAPER + "."),
        ],
        column_spec="cclcccc c",
    )


def rich_table(result, sizes_note: str) -> Table:
    table = Table(title=f"Toy scaling (Liu et al. 2025): loss ~ m^-a, n = {result.config.n}, "
                        f"m = {', '.join(map(str, result.config.ms))}")
    for column in ("alpha", "decay", "regime", "exponent [95% CI]", "paper", "tail ref.", "losses (per m)",
                   "represented", "overlap vs 1/m (largest m)"):
        table.add_column(column, overflow="fold")
    largest = max(result.config.ms)
    for fit in result.fits:
        cells = [result.cell(fit.alpha, fit.decay, m) for m in result.config.ms]
        big = result.cell(fit.alpha, fit.decay, largest)
        expected = expected_exponent(result, fit)
        overlap = "--" if big.mean_squared_overlap is None else f"{big.mean_squared_overlap:.3g} vs {1 / largest:.3g}"
        table.add_row(f"{fit.alpha:g}", f"{fit.decay:g}", regime(result, fit.decay), _interval(fit),
                      "--" if expected is None else f"{expected:g}", f"{fit.tail_exponent:.2f}",
                      ", ".join(f"{cell.loss:.2e}" for cell in cells),
                      ", ".join(f"{cell.represented_fraction:.2f}" for cell in cells), overlap)
    table.caption = sizes_note
    return table


def figure(result):
    """Loss vs m (strong, weak) with fits and the 1/m and m^-alpha guides; exponent vs alpha; represented vs decay."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    config = result.config
    ms = np.asarray(config.ms, dtype=float)
    figure, axes = plt.subplots(1, 4, figsize=(17.0, 4.2))
    colours = plt.cm.viridis(np.linspace(0.0, 0.85, len(config.alphas)))
    for axis, decay, name in ((axes[0], result.strong_decay, "strong"), (axes[1], result.weak_decay, "weak")):
        for colour, alpha in zip(colours, config.alphas):
            losses = np.array([result.cell(alpha, decay, m).loss for m in config.ms])
            fit = result.fit(alpha, decay)
            axis.plot(ms, losses, "o", color=colour, label=f"alpha = {alpha:g}: a = {_interval(fit)}")
            axis.plot(ms, np.exp(fit.intercept) * ms ** -fit.exponent, "-", color=colour, linewidth=1)
            guide = 1.0 if name == "strong" else alpha
            axis.plot(ms, losses[0] * (ms / ms[0]) ** -guide, ":", color=colour, linewidth=1)
        axis.set_xscale("log"), axis.set_yscale("log")
        axis.set_xlabel("width m"), axis.set_ylabel("loss")
        axis.set_title(f"{name} superposition (decay {decay:g}); dotted: {'1/m' if name == 'strong' else 'm^-alpha'}",
                       fontsize=9)
        axis.legend(fontsize=7)
    axis = axes[2]
    for decay, name, marker in ((result.strong_decay, "strong", "o"), (result.weak_decay, "weak", "s")):
        fits = [result.fit(alpha, decay) for alpha in config.alphas]
        exponents = np.array([fit.exponent for fit in fits])
        errors = np.array([[0.0 if fit.ci_low is None else fit.exponent - fit.ci_low for fit in fits],
                           [0.0 if fit.ci_high is None else fit.ci_high - fit.exponent for fit in fits]])
        axis.errorbar(config.alphas, exponents, yerr=errors, fmt=marker, capsize=3, label=f"{name} (decay {decay:g})")
    alphas = np.linspace(min(config.alphas), max(config.alphas), 20)
    axis.plot(alphas, np.ones_like(alphas), "k--", linewidth=0.8, label="paper, strong: 1")
    axis.plot(alphas, alphas, "k:", linewidth=0.8, label="paper, weak: alpha")
    tails = [result.fit(alpha, result.weak_decay).tail_exponent for alpha in config.alphas]
    axis.plot(config.alphas, tails, "x", color="grey", label="tail reference (finite n)")
    axis.set_xlabel("alpha (p_i ~ i^-(1+alpha))"), axis.set_ylabel("exponent a (loss ~ m^-a)")
    axis.set_title("fitted exponent (95% bootstrap interval)", fontsize=9)
    axis.legend(fontsize=7)
    axis = axes[3]
    mcolours = plt.cm.plasma(np.linspace(0.0, 0.85, len(config.ms)))
    for colour, m in zip(mcolours, config.ms):
        for alpha, style in zip(config.alphas, ("o-", "s--", "^-.", "v:", "D-")):
            fractions = [result.cell(alpha, decay, m).represented_fraction for decay in config.decays]
            axis.plot(config.decays, fractions, style, color=colour, markersize=3, linewidth=0.8,
                      label=f"m = {m}" if alpha == config.alphas[0] else None)
    axis.set_xlabel("weight decay gamma"), axis.set_ylabel("represented fraction (||W_i|| > 0.5)")
    axis.set_title("represented features (line style: alpha)", fontsize=9)
    axis.legend(fontsize=7)
    figure.suptitle(f"Liu, Liu & Gore's toy model at n = {config.n}, {config.steps} steps, batch {config.batch_size}",
                    fontsize=10)
    figure.tight_layout()
    return figure
