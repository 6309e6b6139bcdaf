"""Command line: `nicsim simulate | validate | demo | params | cite | lint`.

Verbs equal library verbs; errors a user can act on are printed without a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from nicsim._cli_common import COMPILING, parse_params
from nicsim.cli_clinic import clinic_app
from nicsim.cli_export import export_app
from nicsim.errors import NicsimError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="nicsim: the neuro-immuno-cutaneous system, simulated. Research and "
                       "education model; not a diagnostic tool.")
app.add_typer(export_app, name="export",
              help="Export the model and a scenario (SBML) or a calibration problem (PEtab).")
app.add_typer(clinic_app, name="clinic")
console = Console()
err = Console(stderr=True)
FORCE_HELP = "replace existing files that are not nicsim results"


def _register_analysis_commands():
    from nicsim import cli_sensitivity, cli_trial

    cli_trial.register(app)        # nicsim trial
    cli_sensitivity.register(app)  # nicsim sensitivity, nicsim loop
    from nicsim import cli_serve

    cli_serve.register(app)        # nicsim serve


_register_analysis_commands()


def _register_diary_commands():
    from nicsim import cli_clinic

    cli_clinic.register(app)  # nicsim diary check | triggers | synthetic


_register_diary_commands()


def _progress():
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=err,
                    transient=True)






def _announce_compile() -> bool:
    from nicsim._cli_common import announce_compile

    return announce_compile(err)


@app.command()
def simulate(scenario: Path = typer.Argument(..., help="scenario YAML file"),
             out: Path | None = typer.Option(None, "--out", "-o", help="results (.nc)"),
             plot: Path | None = typer.Option(None, "--plot", help="figure (.png)"),
             param: list[str] | None = typer.Option(None, "--param", "-p",
                                                    help="override ID=VALUE (declared unit)"),
             rtol: float | None = typer.Option(None, help="solver relative tolerance"),
             force: bool = typer.Option(False, "--force", help=FORCE_HELP)):
    """Simulate a scenario; write netCDF results and a plot."""
    from nicsim.io.output import PLOT_SUFFIXES, atomic_path, check_output_file, write_netcdf
    from nicsim.protocols import Scenario
    from nicsim.report.scenario_plot import plot_scenario
    from nicsim.solve.simulate import simulate as run

    sc = Scenario.from_yaml(scenario)
    out = check_output_file(out, inputs=[scenario], force=force, option="--out",
                            suffixes=(".nc",))
    plot = check_output_file(plot, inputs=[scenario, out], force=force, option="--plot",
                             suffixes=PLOT_SUFFIXES)
    cold = _announce_compile()
    label = f"simulating {sc.name}"
    with _progress() as prog:
        # the first progress report comes after the burn-in, i.e. after any compilation
        task = prog.add_task(COMPILING if cold else label, total=1.0)
        ds = run(sc, parameters=parse_params(param), rtol=rtol,
                 progress=lambda f: prog.update(task, completed=f, description=label))
    if out:
        write_netcdf(_netcdf_ready(ds), out)
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
    print_plausibility_warnings(ds)


def print_plausibility_warnings(ds) -> None:
    """Results outside the plausible human ranges (a warning, not an error)."""
    from rich.markup import escape

    from nicsim.solve.plausibility import warnings_of

    for msg in warnings_of(ds):
        console.print(f"[yellow]warning:[/] {escape(msg)}", highlight=False)


def _netcdf_ready(ds):
    ds = ds.copy()
    ds.attrs = {k: v for k, v in ds.attrs.items() if not isinstance(v, (list, dict))}
    return ds


@app.command()
def validate(rows: str | None = typer.Option(None, help="comma-separated row ids (default all)"),
             out: Path = typer.Option(Path("out/validation"), help="report folder"),
             json_path: Path | None = typer.Option(None, "--json", help="JSON records file"),
             force: bool = typer.Option(False, "--force", help=FORCE_HELP)):
    """Re-run the published studies and write the validation report (pass/fail per row)."""
    from nicsim.experiments import all_studies, study
    from nicsim.io.output import check_output_file, check_output_folder
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
    first = COMPILING + ", then " if _announce_compile() else ""

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

    from nicsim.report.validation import fmt

    rec = result.record()
    ok = rec["status"] == "pass"
    line = Text.assemble((f"{rec['id']} {rec['status']:4s}", "green" if ok else "red"),
                         f" ({kind}) {rec['title']}")
    if not ok:
        w = result.worst()
        line.append(f"  ({w.metric} = {fmt(w.value)}, band {w.band_text()})")
    return line


@app.command()
def demo(out: Path = typer.Option(Path("out/demo"), help="output folder"),
         force: bool = typer.Option(False, "--force", help=FORCE_HELP)):
    """The main job: eczema-prone skin through a stressful stretch, with and without a plan of
    regulation practices and skincare (8 weeks, four arms)."""
    from nicsim.io.output import check_output_folder
    from nicsim.report.demo import ARMS, format_summary_table, run_demo, write_demo_report

    check_output_folder(out, force=force)
    cold = _announce_compile()

    def label(done: int) -> str:
        if done == 0 and cold:
            return COMPILING
        return f"demo: {ARMS[done].label}" if done < len(ARMS) else "demo: writing the report"

    check_output_folder(out, force=force)

    with _progress() as prog:
        task = prog.add_task(label(0), total=len(ARMS))
        result = run_demo(out, write_report=False,
                          progress=lambda done, total: prog.update(
                              task, completed=done, total=total, description=label(done)))
    page = write_demo_report(result, out)
    console.print(format_summary_table(result))
    console.print(f"report: {page}")
    console.print("[dim]nicsim is a research and education model, not a diagnostic tool.[/]")


@app.command()
def params(format: str = typer.Option("md", "--format", help="md or tsv"),
           module: str | None = typer.Option(None, help="only this module"),
           summary: bool = typer.Option(False, "--summary",
                                        help="share of parameters by source kind instead")):
    """Print every parameter with value, unit and source (or, with --summary, the share of
    parameters by source kind: measured, published model, derived, assumption, fitted)."""
    from nicsim.io.parameter_table import (
        parameter_rows,
        provenance_summary,
        summary_markdown,
        to_markdown,
        to_tsv,
    )

    if format not in ("md", "tsv"):
        raise NicsimError(f"--format {format!r}: use 'md' or 'tsv'")
    if summary:
        table = provenance_summary(module=module)
        if module and not sum(r["count"] for r in table):
            raise NicsimError(f"--module {module!r}: no such module")
        if format == "md":
            sys.stdout.write(summary_markdown(table))
        else:
            sys.stdout.write("category\tcount\tshare\n" + "".join(
                f"{r['category']}\t{r['count']}\t{r['share']:.4f}\n" for r in table))
        return
    rows = parameter_rows(module=module)
    if module and not rows:
        raise NicsimError(f"--module {module!r}: no such module")
    sys.stdout.write(to_markdown(rows) if format == "md" else to_tsv(rows))


@app.command()
def cite(key: str | None = typer.Argument(None, help="BibTeX key (default: all)")):
    """Print the references behind the model's numbers."""
    from nicsim.core.bibliography import load_bibliography

    bib = load_bibliography()
    if key:
        if key not in bib:
            raise NicsimError(f"no reference {key!r}; `nicsim cite` lists all keys")
        console.print(f"[{key}] {bib[key].full()}")
        return
    for k in sorted(bib):
        console.print(f"[bold]\\[{k}][/] {bib[k].full()}", highlight=False)


@app.command()
def lint(as_json: bool = typer.Option(False, "--json", help="machine-readable output")):
    """Check units, sources, references and ports; exit 1 on any error."""
    from nicsim.checks import lint as run_lint

    issues = run_lint()
    errors = [i for i in issues if i.level == "error"]
    if as_json:
        sys.stdout.write(json.dumps([i.__dict__ for i in issues], indent=1) + "\n")
    else:
        for i in issues:
            console.print(str(i), style="red" if i.level == "error" else "yellow",
                          highlight=False)
        console.print(f"{len(errors)} errors, {len(issues) - len(errors)} warnings")
    raise typer.Exit(1 if errors else 0)


def main():
    """Entry point: errors a user can act on print one line (exit 2); Ctrl-C prints one line
    and exits 130 (128 + SIGINT, the shell convention) without a traceback."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when ignored (nohup)
        signal.signal(signal.SIGINT, lambda signum, frame: _interrupted())
    try:
        app(standalone_mode=True)
    except NicsimError as e:
        _print_error(str(e))
        sys.exit(2)
    except ImportError as e:  # an optional dependency imported somewhere without a hint
        from nicsim._optional import hint_for

        hint = hint_for(e)
        if hint is None:
            if _caused_by_interrupt(e):
                _interrupted()
            raise
        _print_error(hint)
        sys.exit(2)
    except BaseException as e:  # an interrupt that reached Python code before the handler
        if _caused_by_interrupt(e):
            _interrupted()
        raise


def _print_error(message: str) -> None:
    """``error: <message>`` on stderr; the message is printed verbatim (no rich markup, so
    ``pip install 'nicsim[sbml]'`` keeps its ``[sbml]``) and cut if huge."""
    from rich.text import Text

    err.print(Text.assemble(("error: ", "red"), _short(message)), highlight=False,
              soft_wrap=True)


def _caused_by_interrupt(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 50:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _interrupted():
    """Ctrl-C: one line on stderr, exit 130, at once. Called by the SIGINT handler, so no
    KeyboardInterrupt unwinds through library code (numba's compiler, Dask) that may not
    survive it. Files being written are temporary files (atomic writes): they are removed;
    finished files are complete. Worker processes (a local Dask cluster) are ended."""
    try:
        sys.stdout.flush()
        sys.stderr.write("\ninterrupted (Ctrl-C): stopped; files of the unfinished step were "
                         "not written\n")
        sys.stderr.flush()
        from nicsim.io.output import discard_in_flight

        discard_in_flight()
        import multiprocessing

        for child in multiprocessing.active_children():
            child.terminate()
    finally:
        os._exit(130)


def _short(text: str, limit: int = 2000) -> str:
    """An error message cut to ``limit`` characters (a value can be huge)."""
    return text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"


if __name__ == "__main__":
    main()
