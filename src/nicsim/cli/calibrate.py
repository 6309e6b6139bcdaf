"""`nicsim calibrate`: fit, check or summarise the calibration groups of the parameter set.

The groups are data (``src/nicsim/experiments/calibration_groups.yaml``); the pipeline is
:mod:`nicsim.experiments.calibration` (pyPESTO multi-start, the ``calibrate`` extra).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from nicsim.cli.common import announce_compile, console, err
from nicsim.errors import NicsimError
from nicsim.parameter_sets import parameter_set_values

DOCS_DIR = Path("docs/calibration")


def calibrate(
    group: list[str] = typer.Option(None, "--group", "-g",
                                    help="group(s) of the table (repeat; see --list)"),
    starts: int | None = typer.Option(None, "--starts", min=1,
                                      help="number of starts (default: the table's)"),
    check: bool = typer.Option(False, "--check",
                               help="re-fit and compare with the shipped values; write "
                                    "nothing; exit 1 when a value is not reproduced"),
    audit: bool = typer.Option(
        False, "--audit",
        help="no fit: one evaluation of each group's objective at the shipped values against "
             "its record's best objective; exit 1 when a record is out of date (minutes, where "
             "--check re-runs the fit)"),
    identifiability: bool = typer.Option(
        False, "--identifiability",
        help="no fit: curvature (Hessian) summary and figure of the shipped optimum, written "
             "to docs/calibration/<group>.md and .png"),
    all_groups: bool = typer.Option(
        False, "--all", help="every group of the table, in the table's order (the whole "
                             "pipeline: each group is fitted on the values written before it)"),
    list_groups: bool = typer.Option(False, "--list", help="list the groups and stop"),
    table: Path | None = typer.Option(None, "--table",
                                      help="another group table (default: the shipped one)"),
    max_evaluations: int | None = typer.Option(None, "--max-evaluations", min=1,
                                               help="per start (default: the table's)"),
    docs_dir: Path = typer.Option(DOCS_DIR, "--docs-dir",
                                  help="where --identifiability writes"),
    workers: int = typer.Option(1, "--workers", min=1,
                                help="evaluate --identifiability points, and a group's grid "
                                     "(optimizer.grid), in this many processes"),
):
    """Fit calibration groups with pyPESTO and write them, with provenance, into the parameter
    set (default); or --check that a re-fit reproduces the shipped values; or --audit that
    each record still describes the shipped values; or summarise --identifiability."""
    # lazy: the studies load only for `nicsim calibrate` (as for `nicsim validate`)
    from nicsim.experiments import calibration as cal

    groups = cal.load_groups(table)
    if list_groups:
        for g in groups.values():
            console.print(f"{g.name}: {len(g.parameters)} parameter(s) -> "
                          f"{g.file}; fit {', '.join(g.fit_rows)}; held out "
                          f"{', '.join(g.held_out)}; {g.starts} start(s), seed {g.seed}",
                          highlight=False, soft_wrap=True)
        return
    if all_groups and group:
        raise NicsimError("--all and --group: name groups or ask for all of them, not both")
    if not group and not all_groups:
        raise NicsimError("name at least one --group, or --all (see `nicsim calibrate --list`)")
    names = list(groups) if all_groups else [n for item in group for n in item.split(",") if n]
    for n in names:
        if n not in groups:
            raise NicsimError(f"--group {n!r}: no such group; groups: {', '.join(groups)}")
    if sum((check, identifiability, audit)) > 1:
        raise NicsimError("--check, --identifiability and --audit are separate runs")
    announce_compile(err)
    failed = False
    for n in names:
        g = groups[n]
        if audit:
            row = cal.audit_group(g)
            console.print(row.describe(), highlight=False, soft_wrap=True)
            failed |= not row.ok
            continue
        if identifiability:
            _identifiability(cal, g, docs_dir, workers)
            continue
        err.print(f"[bold]{n}[/]: {len(g.parameters)} parameter(s) against "
                  f"{', '.join(g.fit_rows)}", highlight=False)
        res = cal.fit_group(g, starts=starts, max_evaluations=max_evaluations,
                            workers=workers,
                            log=lambda m: err.print(f"  {m}", highlight=False))
        console.print(f"{n}: best objective {res.best:.4g}; {res.reached_best} of "
                      f"{len(res.per_start)} start(s) reached it", highlight=False)
        if check:
            rows = cal.check_group(res, parameter_set_values("default"))
            for r in rows:
                console.print(f"  {r.parameter}: shipped {r.shipped:.6g}, re-fit {r.refit:.6g}"
                              f", |log10 ratio| {r.log10_ratio:.2g} "
                              f"({'ok' if r.ok else 'NOT reproduced'}; tolerance "
                              f"{g.check_tolerance})", highlight=False)
            failed |= not all(r.ok for r in rows)
        else:
            path = cal.write_fit(res)
            console.print(f"  wrote {path}", highlight=False)
    if check:
        console.print("reproduced" if not failed else "NOT reproduced", highlight=False)
    if audit:
        console.print("every record current" if not failed else
                      "some records are out of date or missing", highlight=False)
    if (check or audit) and failed:
        sys.exit(1)


def _identifiability(cal, g, docs_dir: Path, workers: int = 1) -> None:
    shipped = parameter_set_values("default")
    missing = [i for i in g.ids if i not in shipped]
    if missing:
        raise NicsimError(f"group {g.name}: {', '.join(missing)} not in the parameter set; "
                          "fit the group first")
    prov = cal.group_record(g)
    values = {i: shipped[i] for i in g.ids}
    if prov and prov.get("derived"):
        values.update({k: shipped[k] for k in prov["derived"]})
    err.print(f"[bold]{g.name}[/]: curvature at the shipped optimum", highlight=False)
    ident = cal.identifiability(g, values, workers=workers,
                                log=lambda m: err.print(f"  {m}", highlight=False))
    per_start = ([{"fval": v} for v in prov["multistart"]["best_per_start"]]
                 if prov else None)
    docs_dir.mkdir(parents=True, exist_ok=True)
    cal.identifiability_figure(ident, per_start, docs_dir / f"{g.name}.png")
    (docs_dir / f"{g.name}.md").write_text(group_markdown(g, ident, prov), encoding="utf-8")
    console.print(f"wrote {docs_dir / g.name}.md and .png", highlight=False)


def group_markdown(g, ident, prov: dict | None) -> str:
    """The docs section of one group (written by ``nicsim calibrate --identifiability``)."""
    import numpy as np

    lines = [f"### Group `{g.name}`", "",
             f"{g.description}. Fitted to {', '.join(g.fit_rows)}; held out "
             f"{', '.join(g.held_out)}; part file `parameter_sets/{g.file}`.", ""]
    if prov:
        ms = prov["multistart"]
        lines += [f"Shipped fit ({prov['date']}, code {prov['code_version']}): {prov['starts']} "
                  f"start(s), seed {prov['seed']}; best objective {prov['best_objective']}; "
                  f"best per start {ms['best_per_start']} (evaluations "
                  f"{ms['evaluations_per_start']}); {ms['reached_best']} start(s) reached the "
                  "best.", ""]
        ends = ms.get("values_per_start") or []
        if len(ends) > 1:
            lines += ["Where each start ended (objective per start as above; values far apart "
                      "at nearly the same objective are what the rows do not pin down): "
                      + "; ".join(f"`{k}` " + ", ".join(f"{e[k]:.4g}" for e in ends)
                                  + f" ({max(e[k] for e in ends) / min(e[k] for e in ends):.2g}"
                                  " x)" for k in ends[0]) + ".", ""]
        if prov.get("derived"):
            lines += ["Derived (not estimated, hook `" + prov["derivation"] + "`): " + ", ".join(
                f"`{k}` = {v:.4g}" for k, v in prov["derived"].items()), ""]
    else:
        lines += ["The shipped values predate `nicsim calibrate` (fitted by the former "
                  "scripts); no multi-start record.", ""]
    lines += [f"Objective at the shipped optimum: {ident.objective:.4g}. Curvature: central "
              "differences (step 0.05 in log10) of the objective; SE = sqrt(diag(2 H^-1)) in "
              "log10 units (the objective read as a chi-square with the band width as the "
              "error scale).", "",
              "The last column reads the cross-section instead (the others at the optimum): "
              "the values around the optimum where the objective stays within 1 of it (one "
              "band width outside a band), on the scanned grid of +/-0.5 in log10; "
              "'>' marks a range that reaches the end of the scan or a bound.", "",
              "| parameter | value | bounds | SE (log10) | ~95 % range (2 SE, in bounds) | flag "
              "| objective within +1 (cross-section) |", "|---|---|---|---|---|---|---|"]
    for i, p in enumerate(g.parameters):
        pid = p.id
        v = ident.values[pid]
        se = ident.se_log10[i]
        rng = (f"{max(p.lower, v / 10 ** (2 * se)):.3g} - {min(p.upper, v * 10 ** (2 * se)):.3g}"
               if np.isfinite(se) else "-")
        se_t = f"{se:.3g}" if np.isfinite(se) else "-"
        lines.append(f"| `{pid}` | {v:.4g} | {p.lower:g} - {p.upper:g} | {se_t} | {rng} | "
                     f"{ident.flags[i]} | {_section_range(ident, pid, v)} |")
    lower = _below_optimum(ident)
    if lower:
        lines += ["", "Not a minimum along " + "; ".join(
            f"`{pid}` (objective {y:.4g} at {d:+.3g} log10, {ident.values[pid] * 10 ** d:.4g})"
            for pid, d, y in lower) + f": the cross-section goes below the optimum's "
            f"{ident.objective:.4g}, so the fit stopped before a minimum along "
            + ("it" if len(lower) == 1 else "them") + " (a longer fit or a restart from "
            "this point would lower the objective)."]
    if len(g.ids) > 1 and np.all(np.isfinite(ident.correlation)):
        lines += ["", "Correlation of the log10 estimates: " + "; ".join(
            f"`{a}` / `{b}` {ident.correlation[i, j]:+.2f}" for i, a in enumerate(g.ids)
            for j, b in enumerate(g.ids) if j > i) + "."]
    lines += ["", f"![group {g.name}: objective along each parameter and multi-start "
                  f"waterfall](calibration/{g.name}.png)", ""]
    return "\n".join(lines)


#: a cross-section point this far below the optimum (absolute, in squared band widths) counts
#: as lower: well above the objective's solver noise (re-fits that reproduce differ by ~2e-5)
BELOW_OPTIMUM = 1e-4


def _below_optimum(ident) -> list[tuple[str, float, float]]:
    """(parameter, log10 offset, objective) of the lowest cross-section point of each parameter
    whose cross-section goes below the optimum by more than :data:`BELOW_OPTIMUM`."""
    import numpy as np

    out = []
    for pid, (d, y) in ident.sections.items():
        y = np.where(np.isfinite(y), y, np.inf)
        k = int(np.argmin(y))
        if y[k] < ident.objective - BELOW_OPTIMUM:
            out.append((pid, float(d[k]), float(y[k])))
    return out


def _section_range(ident, pid: str, value: float) -> str:
    """The contiguous range of the cross-section around the optimum with J <= J* + 1."""
    import numpy as np

    d, y = ident.sections[pid]
    k0 = int(np.argmin(np.abs(d)))
    ok = np.isfinite(y) & (y <= ident.objective + 1.0)
    lo = hi = k0
    while lo > 0 and ok[lo - 1]:
        lo -= 1
    while hi < len(d) - 1 and ok[hi + 1]:
        hi += 1
    left = ("<" if lo == 0 or not np.isfinite(y[lo - 1]) else "") + f"{value * 10 ** d[lo]:.3g}"
    right = (">" if hi == len(d) - 1 or not np.isfinite(y[hi + 1]) else "") + \
        f"{value * 10 ** d[hi]:.3g}"
    return f"{left} - {right}"


def register(app: typer.Typer) -> None:
    """Add the `calibrate` command to the nicsim CLI."""
    app.command("calibrate")(calibrate)


__all__ = ["calibrate", "register"]
