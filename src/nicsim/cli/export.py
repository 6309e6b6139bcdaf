"""`nicsim export sbml | petab`: the model in exchange formats.

:func:`register` mounts :data:`export_app` as the ``export`` group. Errors a user can act
on are :class:`~nicsim.errors.NicsimError` and are printed by the main CLI without a traceback.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from nicsim._optional import require
from nicsim.cli.common import parse_params
from nicsim.io.output import check_output_file, check_output_folder
from nicsim.io.sbml import check_sbml, write_sbml

export_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         pretty_exceptions_enable=False,
                         help="Export the model to exchange formats (SBML, PEtab).")
console = Console()




@export_app.command("sbml")
def sbml(scenario: Path = typer.Argument(..., help="scenario YAML file"),  # noqa: B008
         out: Path | None = typer.Option(  # noqa: B008
             None, "--out", "-o", help="SBML file to write (default: SCENARIO name + .xml)"),
         param: list[str] | None = typer.Option(  # noqa: B008
             None, "--param", "-p", help="override ID=VALUE (declared unit)"),
         burn_in_days: int = typer.Option(6, help="burn-in days that set the initial state"),
         rtol: float | None = typer.Option(None, help="solver tolerance of the burn-in"),
         check: bool = typer.Option(True, help="run libsbml's consistency and unit checks"),
         force: bool = typer.Option(False, "--force", help="replace an existing file that is "
                                    "not a nicsim result")):
    """Write the model and the scenario's protocol as SBML Level 3 Version 2."""

    require("libsbml", "nicsim export sbml")  # before the burn-in, not after
    out = check_output_file(out or Path(scenario.stem + ".xml"), inputs=[scenario], force=force,
                            suffixes=(".xml", ".sbml"))
    path = write_sbml(out, scenario, parameters=parse_params(param),
                      burn_in_days=burn_in_days, rtol=rtol)
    console.print(f"SBML: {path}")
    if check:
        r = check_sbml(path)
        colour = "green" if r["errors"] == 0 else "red"
        console.print(f"[{colour}]libsbml checks: {r['errors']} errors, {r['warnings']} warnings "
                      f"(units: {r['unit_errors']} errors, {r['unit_warnings']} warnings)[/]",
                      highlight=False)
        for msg in r["messages"][:20]:
            console.print(msg, highlight=False, markup=False)
        if r["errors"]:
            raise typer.Exit(1)


@export_app.command("petab")
def petab(out_dir: Path = typer.Argument(..., help="folder of the PEtab problem"),  # noqa: B008
          rows: str | None = typer.Option(
              None, help="comma-separated validation row ids (default: all)"),
          force: bool = typer.Option(False, "--force", help="write into an existing folder "
                                     "that holds no nicsim results")):
    """Write a PEtab parameter-estimation problem for the validation rows."""
    # lazy: the PEtab export loads every study; keeps `nicsim --help` fast
    from nicsim.io.petab import write_petab_problem

    require("libsbml", "nicsim export petab")
    check_output_folder(out_dir, force=force, option="OUT_DIR")

    selected = [r.strip() for r in rows.split(",") if r.strip()] if rows else None
    result = write_petab_problem(out_dir, rows=selected)
    console.print(f"PEtab problem: {result if result is not None else out_dir}")


def register(app: typer.Typer) -> None:
    """Add the ``export`` group to ``app``."""
    app.add_typer(export_app, name="export",
                  help="Export the model and a scenario (SBML) or a calibration problem (PEtab).")
