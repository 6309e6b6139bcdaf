"""`nicsim validate`: re-run the published studies and write the validation report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nicsim.cli.common import COMPILING, FORCE_HELP, announce_compile, console, err
from nicsim.io.output import check_output_file, check_output_folder


def validate(rows: str | None = typer.Option(None, help="comma-separated row ids (default all)"),
             out: Path = typer.Option(Path("out/validation"), help="report folder"),
             json_path: Path | None = typer.Option(None, "--json", help="JSON records file"),
             force: bool = typer.Option(False, "--force", help=FORCE_HELP)):
    """Re-run the published studies and write the validation report (pass/fail per row)."""
    # lazy: the studies and nicsim.report (matplotlib) load only for `nicsim validate`
    from nicsim.experiments import all_studies, study
    from nicsim.report.validation import (
        headline,
        row_kinds,
        run_validation,
        write_validation_report,
    )

    check_output_folder(out, force=force)
    check_output_file(json_path, force=force, option="--json", suffixes=(".json",))

    studies = [study(r.strip()) for r in rows.split(",")] if rows else all_studies()
    total = len(studies)
    first = COMPILING + ", then " if announce_compile(err) else ""

    def label(k: int) -> str:
        nxt = studies[k].id if k < total else ""
        return f"{first if k == 0 else ''}validating {nxt} ({k + 1} of {total})" \
            if k < total else "writing the report"

    results = []
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("rows"), TimeElapsedColumn(), console=err, transient=True) as prog:
        task = prog.add_task(label(0), total=total)
        for k, st in enumerate(studies):  # one row at a time: each line as soon as it is known
            prog.update(task, completed=k, description=label(k))
            results += run_validation([st])
            kind = row_kinds(results[-1:]).get(results[-1].record()["id"])
            console.print(_row_line(results[-1], kind.kind if kind else "unknown"),
                          highlight=False)
        prog.update(task, completed=total, description=label(total))
    paths = write_validation_report(results, out, json_path=json_path)
    kinds = row_kinds(results)
    n_pass = sum(r.passed for r in results)
    for line in headline(results, kinds):
        console.print(line, highlight=False)
    console.print(f"{n_pass} of {len(results)} rows pass; report: {paths.get('html', out)}")


def _row_line(result, kind: str):
    """One printed line per validation row (with fitted/predicted); values to 4 significant
    digits."""
    from rich.text import Text

    # lazy: nicsim.report loads matplotlib; keeps `nicsim --help` fast
    from nicsim.report.validation import fmt

    rec = result.record()
    ok = rec["status"] == "pass"
    line = Text.assemble((f"{rec['id']} {rec['status']:4s}", "green" if ok else "red"),
                         f" ({kind}) {rec['title']}")
    if not ok:
        w = result.worst()
        line.append(f"  ({w.metric} = {fmt(w.value)}, band {w.band_text()})")
    return line


def register(app: typer.Typer) -> None:
    """Add the ``validate`` command to ``app``."""
    app.command("validate")(validate)
