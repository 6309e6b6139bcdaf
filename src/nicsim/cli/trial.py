"""`nicsim trial TRIAL.yaml`: run an in-silico trial, write results.nc and an HTML report.

:func:`register` adds the command to the main CLI. Errors a user can act on are
:class:`~nicsim.errors.NicsimError` (ScenarioError naming the field) and are printed by the main
CLI without a traceback.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nicsim.cli.common import announce_compile
from nicsim.cli.simulate import print_plausibility_warnings
from nicsim.io.output import check_output_folder

console = Console()
err = Console(stderr=True)


def _fmt(x: float) -> str:
    # lazy: nicsim.report loads matplotlib; keeps `nicsim --help` fast
    from nicsim.report.trial_report import _fmt as fmt

    return fmt(x)


def trial(spec: Path = typer.Argument(..., help="trial YAML file (see docs/trials.md)"),  # noqa: B008
          out: Path | None = typer.Option(  # noqa: B008
              None, "--out", "-o", help="output folder (default out/trials/<file name>)"),
          scheduler: str | None = typer.Option(
              None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (an "
              "existing cluster)"),
          workers: int | None = typer.Option(
              None, "--workers", help="start a local Dask cluster with N worker processes "
              "(default: run in this process)"),
          chunk_size: int | None = typer.Option(
              None, "--chunk-size", help="subjects per chunk (default 32)"),
          subjects: int | None = typer.Option(
              None, "--subjects", help="override the subjects per arm (e.g. a quick look)"),
          seed: int | None = typer.Option(None, "--seed", help="override the trial's seed"),
          report: bool = typer.Option(True, "--report/--no-report", help="write the HTML "
                                      "report"),
          force: bool = typer.Option(False, "--force", help="write into an existing folder "
                                     "that holds no nicsim results")):
    """Run an in-silico trial: sample a virtual population, simulate every arm, compute
    outcomes and effect sizes; write results.nc and report.html."""
    # lazy: the trial runner's imports take about a second; keeps `nicsim --help` fast
    from nicsim.analysis.trial import TrialSpec, run_trial

    ts = TrialSpec.from_yaml(spec)
    out = check_output_folder(out or Path("out") / "trials" / spec.stem, inputs=[spec],
                              force=force)
    announce_compile(err)
    n = subjects if subjects is not None else ts.subjects
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("chunks"), TimeElapsedColumn(), console=err,
                  transient=True) as prog:
        task = prog.add_task(f"{ts.name}: {n} x {len(ts.arms)} arms", total=None)
        result = run_trial(ts, subjects=subjects, rng=seed, scheduler=scheduler,
                           workers=workers, chunk_size=chunk_size,
                           progress=lambda done, total: prog.update(task, completed=done,
                                                                    total=total))
    # lazy: nicsim.report loads matplotlib; keeps `nicsim --help` fast
    from nicsim.report.trial_report import save_trial

    paths = save_trial(result, out, report=report)
    t = Table(title=f"{ts.name}: effects vs {result.dataset.attrs['control_arm']} "
                    f"({float(ts.bootstrap.confidence):.0%} bootstrap CI)")
    for c in ("outcome", "arm", "measure", "estimate", "CI"):
        t.add_column(c)
    for r in result.effects():
        t.add_row(r["outcome"], r["arm"], r["label"], _fmt(r["estimate"]),
                  f"{_fmt(r['ci_low'])} to {_fmt(r['ci_high'])}")
    if t.row_count:
        console.print(t)

    print_plausibility_warnings(result.dataset)
    info = result.info
    console.print("outcomes from observed readings (measurement error and day-to-day "
                  "variability; see the report)" if ts.observation_noise else
                  "outcomes are exact model values (observation_noise: false)")
    console.print(f"{info['subject_runs']} subject runs x {info['simulated_days']:g} days in "
                  f"{info['wall_s']:.1f} s ({info['executor']})")
    console.print(f"results: {paths['results']}")
    if "report" in paths:
        console.print(f"report: {paths['report']}")
    console.print("[dim]nicsim is a research and education model, not a diagnostic tool.[/]")


def register(app: typer.Typer) -> None:
    """Add the top-level ``trial`` command to ``app``."""
    app.command("trial")(trial)


__all__ = ["register", "trial"]
