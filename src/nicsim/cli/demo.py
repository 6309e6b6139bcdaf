"""`nicsim demo`: the main job, eczema-prone skin through a stressful stretch, four arms."""

from __future__ import annotations

from pathlib import Path

import typer

from nicsim.cli.common import COMPILING, FORCE_HELP, announce_compile, console, err, progress
from nicsim.io.output import check_output_folder


def demo(out: Path = typer.Option(Path("out/demo"), help="output folder"),
         force: bool = typer.Option(False, "--force", help=FORCE_HELP)):
    """The main job: eczema-prone skin through a stressful stretch, with and without a plan of
    regulation practices and skincare (8 weeks, four arms)."""
    # lazy: nicsim.report loads matplotlib; keeps `nicsim --help` fast
    from nicsim.report.demo import ARMS, format_summary_table, run_demo, write_demo_report

    check_output_folder(out, force=force)
    cold = announce_compile(err)

    def label(done: int) -> str:
        if done == 0 and cold:
            return COMPILING
        return f"demo: {ARMS[done].label}" if done < len(ARMS) else "demo: writing the report"

    check_output_folder(out, force=force)

    with progress() as prog:
        task = prog.add_task(label(0), total=len(ARMS))
        result = run_demo(out, write_report=False,
                          progress=lambda done, total: prog.update(
                              task, completed=done, total=total, description=label(done)))
    page = write_demo_report(result, out)
    console.print(format_summary_table(result))
    console.print(f"report: {page}")
    console.print("[dim]nicsim is a research and education model, not a diagnostic tool.[/]")


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to ``app``."""
    app.command("demo")(demo)
