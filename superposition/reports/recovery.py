"""One batch of sparse recoveries as JSON and as a terminal table (success, error quantiles, throughput)."""

from rich.table import Table


def to_payload(problems, result, backend) -> dict:
    """JSON-ready dict: the problem ensemble, the solver's outcome, where it ran."""
    return {
        "problems": problems.describe(),
        "result": result.summary(),
        "backend": backend.name,
        "device": backend.device,
    }


def to_rich_table(payload: dict) -> Table:
    """The payload for people: one row per quantity."""
    problems, result = payload["problems"], payload["result"]
    sparsity = f"k = {problems['k']}" if problems["k"] is not None else f"density p = {problems['density']:g}"
    quantiles = result["relative_error_quantiles"]
    rows = [
        ("problems", f"{problems['batch']} × (m = {problems['m']}, n = {problems['n']}, {sparsity}); "
                     f"δ = {problems['delta']:.3g}, ρ = {problems['rho']:.3g}"),
        ("ensemble", f"{problems['matrix']} A ({'one shared' if problems['shared_matrix'] else 'one per problem'}), "
                     f"{problems['values']} values, noise σ = {problems['noise']:g}, {problems['dtype']}"),
        ("solver", f"{result['solver']}{' (nonnegative)' if result['nonnegative'] else ''} on {payload['backend']} "
                   f"({payload['device']})"),
        ("success", f"{result['success_rate']:.1%} ({result['successes']}/{result['batch']}); "
                    f"success = {result['success_definition']}"),
        ("support recovered", f"{result['support_recovered_rate']:.1%}"),
        ("relative error", f"q10 {quantiles['q10']:.2e}, median {quantiles['median']:.2e}, q90 {quantiles['q90']:.2e}"),
        ("iterations", f"median {result['iterations']['median']:g}, max {result['iterations']['max']}; "
                       f"converged {result['converged_rate']:.1%}"),
        ("throughput", f"{result['problems_per_second']:.1f} problems/s ({result['seconds']:.2f} s)"),
    ]
    table = Table(title="superposition recover", show_header=False)
    table.add_column("quantity", style="bold")
    table.add_column("value", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table
