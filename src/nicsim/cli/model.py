"""`nicsim params | cite | lint`: what the model is made of, where its numbers come from, and
the checks on its declarations."""

from __future__ import annotations

import json
import sys

import typer

from nicsim.cli.common import console
from nicsim.core.bibliography import load_bibliography
from nicsim.errors import NicsimError
from nicsim.io.parameter_table import (
    parameter_rows,
    provenance_summary,
    summary_markdown,
    to_markdown,
    to_tsv,
)


def params(format: str = typer.Option("md", "--format", help="md or tsv"),
           module: str | None = typer.Option(None, help="only this module"),
           summary: bool = typer.Option(False, "--summary",
                                        help="share of parameters by source kind instead")):
    """Print every parameter with value, unit and source (or, with --summary, the share of
    parameters by source kind: measured, published model, derived, assumption, fitted)."""

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


def cite(key: str | None = typer.Argument(None, help="BibTeX key (default: all)")):
    """Print the references behind the model's numbers."""

    bib = load_bibliography()
    if key:
        if key not in bib:
            raise NicsimError(f"no reference {key!r}; `nicsim cite` lists all keys")
        console.print(f"[{key}] {bib[key].full()}")
        return
    for k in sorted(bib):
        console.print(f"[bold]\\[{k}][/] {bib[k].full()}", highlight=False)


def lint(as_json: bool = typer.Option(False, "--json", help="machine-readable output")):
    """Check units, sources, references and ports; exit 1 on any error."""
    # lazy: the checks load every study; keeps `nicsim --help` fast
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


def register(app: typer.Typer) -> None:
    """Add the ``params``, ``cite`` and ``lint`` commands to ``app``."""
    app.command("params")(params)
    app.command("cite")(cite)
    app.command("lint")(lint)
