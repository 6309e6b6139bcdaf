"""`nicsim simulate SCENARIO.yaml`: one scenario, netCDF results, a figure and a summary table."""

from __future__ import annotations

from pathlib import Path

import typer

from nicsim.cli.common import (
    COMPILING,
    FORCE_HELP,
    announce_compile,
    console,
    err,
    parse_params,
    progress,
)
from nicsim.io.output import PLOT_SUFFIXES, atomic_path, check_output_file, write_netcdf
from nicsim.protocols import Scenario
from nicsim.solve.plausibility import warnings_of
from nicsim.solve.simulate import simulate as run


def simulate(scenario: Path = typer.Argument(..., help="scenario YAML file"),
             out: Path | None = typer.Option(None, "--out", "-o", help="results (.nc)"),
             plot: Path | None = typer.Option(None, "--plot", help="figure (.png)"),
             param: list[str] | None = typer.Option(None, "--param", "-p",
                                                    help="override ID=VALUE (declared unit)"),
             rtol: float | None = typer.Option(None, help="solver relative tolerance"),
             force: bool = typer.Option(False, "--force", help=FORCE_HELP)):
    """Simulate a scenario; write netCDF results and a plot."""
    # lazy: nicsim.report loads matplotlib; keeps `nicsim --help` fast
    from nicsim.report.scenario_plot import plot_scenario

    sc = Scenario.from_yaml(scenario)
    out = check_output_file(out, inputs=[scenario], force=force, option="--out",
                            suffixes=(".nc",))
    plot = check_output_file(plot, inputs=[scenario, out], force=force, option="--plot",
                             suffixes=PLOT_SUFFIXES)
    cold = announce_compile(err)
    label = f"simulating {sc.name}"
    with progress() as prog:
        # the first progress report comes after the burn-in, i.e. after any compilation
        task = prog.add_task(COMPILING if cold else label, total=1.0)
        ds = run(sc, parameters=parse_params(param), rtol=rtol,
                 progress=lambda f: prog.update(task, completed=f, description=label))
    if out:
        write_netcdf(ds, out)
        console.print(f"results: {out}")
    if plot:
        with atomic_path(plot) as tmp:
            plot_scenario(ds, tmp, scenario=sc)
        console.print(f"figure: {plot}")
    from rich.table import Table

    t = Table(title=f"{sc.name}: {sc.duration_h:g} h")
    for c in ("output", "unit", "min", "mean", "max"):
        t.add_column(c)
    for name, v in ds.data_vars.items():
        if name.startswith("input_") or v.ndim != 1:
            continue
        t.add_row(name, v.attrs.get("units", ""), f"{float(v.min()):.4g}",
                  f"{float(v.mean()):.4g}", f"{float(v.max()):.4g}")
    console.print(t)
    print_unsettled_start(ds)
    print_plausibility_warnings(ds)


def print_unsettled_start(ds) -> None:
    """One line when the run started unsettled: which slow states drift over it, by how much."""
    from rich.markup import escape

    drift = ds.attrs.get("initial_state_drift", "")
    if drift:
        console.print(f"[yellow]unsettled start:[/] {escape(drift)} over the run without any "
                      "event (linear estimate); add `initial_state: settled` to start from the "
                      "person's steady state", highlight=False)


def print_plausibility_warnings(ds) -> None:
    """Results outside the plausible human ranges (a warning, not an error)."""
    from rich.markup import escape

    for msg in warnings_of(ds):
        console.print(f"[yellow]warning:[/] {escape(msg)}", highlight=False)




def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command to ``app``."""
    app.command("simulate")(simulate)
