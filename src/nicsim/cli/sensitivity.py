"""CLI verbs `nicsim sensitivity` and `nicsim loop` (registered by ``register(app)``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nicsim._optional import require
from nicsim.analysis.loop import DEFAULT_LOOP_SPEC, LoopSpec, run_loop
from nicsim.analysis.sensitivity import SensitivitySpec, run_sensitivity
from nicsim.cli.common import announce_compile
from nicsim.errors import NicsimError
from nicsim.io.output import check_output_folder

console = Console()
err = Console(stderr=True)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True)


def sensitivity(
    spec: Annotated[Path, typer.Argument(help="sensitivity spec YAML (see docs/sensitivity.md)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder")] = Path(
        "out/sensitivity"),
    seed: Annotated[int | None, typer.Option(help="random seed (default: the spec's)")] = None,
    workers: Annotated[int, typer.Option(help="spread runs over a local dask cluster with "
                                         "this many worker processes (0: in this process)")] = 0,
    force: Annotated[bool, typer.Option("--force", help="write into an existing folder that "
                                        "holds no nicsim results")] = False,
):
    """Global sensitivity analysis (Morris, Sobol) of scalar read-outs of a scenario."""

    require("SALib", "nicsim sensitivity")  # before any model run, not after
    sp = SensitivitySpec.from_yaml(spec)
    check_output_folder(out, inputs=[spec], force=force)
    announce_compile(err)
    client = cluster = None
    if workers > 0:
        require("distributed", "--workers (a local Dask cluster)")
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        with _progress() as prog:
            task = prog.add_task(f"{sp.name}: model runs", total=None)
            res = run_sensitivity(sp, rng=seed, client=client,
                                  progress=lambda d, t: prog.update(task, completed=d, total=t))
    finally:
        if client is not None:
            client.close()
            cluster.close()
    # lazy: nicsim.report loads matplotlib; keeps `nicsim --help` fast
    from nicsim.report.sensitivity_report import write_sensitivity_report

    paths = write_sensitivity_report(res, out)
    for r in res.readouts:
        t = Table(title=f"{r.label}: {r.description} (nominal {r.nominal:.4g} {r.unit})")
        t.add_column("rank")
        t.add_column("parameter")
        if res.sobol is not None:
            t.add_column("ST")
            t.add_column("S1")
        if res.morris is not None:
            t.add_column("mu*")
        t.add_column("matters")
        for row in res.ranking(r.label)[:10]:
            cells = [str(row["rank"]), row["id"]]
            if res.sobol is not None:
                cells += [f"{row['ST']:.3f} ± {row['ST_conf']:.3f}", f"{row['S1']:.3f}"]
            if res.morris is not None:
                cells.append(f"{row['mu_star']:.4g}")
            cells.append("yes" if row["matters"] else "")
            t.add_row(*cells)
        console.print(t)
    console.print(f"{res.runs} model runs in {res.elapsed_s:.1f} s "
                  f"({res.runs / max(res.elapsed_s, 1e-9):.1f} runs/s); report: "
                  f"{paths['html']}")


def loop(
    spec: Annotated[Path | None, typer.Argument(
        help="loop spec YAML (default: examples/loop/psoriasis_loop.yaml, the psoriasis-prone "
             "person of docs/tipping_points.md)")
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder")] = Path("out/loop"),
    force: Annotated[bool, typer.Option("--force", help="write into an existing folder that "
                                        "holds no nicsim results")] = False,
):
    """Steady states of the stress-skin loop vs chronic load: hysteresis and tipping points."""

    sp = LoopSpec.from_yaml(spec) if spec is not None else LoopSpec.from_dict(DEFAULT_LOOP_SPEC)
    check_output_folder(out, inputs=[spec], force=force)
    announce_compile(err)
    with _progress() as prog:
        task = prog.add_task(f"{sp.name}: load levels", total=None)
        res = run_loop(sp, progress=lambda d, t: prog.update(task, completed=d, total=t))
    # lazy: nicsim.report loads matplotlib; keeps `nicsim --help` fast
    from nicsim.report.loop_report import terminal_table, write_loop_report

    paths = write_loop_report(res, out)
    console.print(terminal_table(res))
    console.print(f"bistable where {res.threshold}", highlight=False)
    if not any(c.is_bistable for c in res.curves):
        console.print("[yellow]no bistability found in the swept range: the up- and "
                      "down-sweeps agree[/]")
    console.print(f"{res.blocks_run} blocks in {res.elapsed_s:.1f} s; report: {paths['html']}")


def register(app: typer.Typer) -> None:
    """Add the `sensitivity` and `loop` commands to the nicsim CLI."""
    app.command("sensitivity")(sensitivity)
    app.command("loop")(loop)


__all__ = ["NicsimError", "loop", "register", "sensitivity"]
