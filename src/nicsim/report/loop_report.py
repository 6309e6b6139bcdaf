"""Figures, tables and pages of the loop analysis (:mod:`nicsim.analysis.loop`).

``write_loop_report(result, out_dir)`` writes::

    loop.nc, loop.json, summary.md, index.html, spec.yaml
    figures/s_curve.png            severity (block average) vs load: up-sweep solid, down-sweep
                                   dashed, bistable range shaded; one colour per intervention
    figures/tipping_points.png     the bistable range and tipping loads per intervention
    figures/tracked.png            the tracked observables along the sweeps
    figures/bistability_map.png    with a second parameter: where the loop is bistable
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml
from rich.table import Table

from nicsim.io.output import OutputFolder, write_json, write_netcdf, write_text
from nicsim.report.html import Page
from nicsim.report.markdown import md_table
from nicsim.report.plots import add_legend, new_figure, save_figure, wrap_title

COLORS = ["#222222", "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
          "#e377c2", "#17becf", "#bcbd22"]


def _main_curves(result):
    """One curve per intervention; with a second parameter, at its middle value."""
    sp = result.spec
    pick = None
    if sp.second is not None:
        vals = sorted(sp.second.values)
        pick = vals[(len(vals) - 1) // 2]
    return [c for c in result.curves if pick is None or c.second == pick]


def _axis_label(result, name: str) -> str:
    u = result.units.get(name, "")
    return f"{name} ({u})" if u and u != "dimensionless" else name


def plot_s_curve(result, path: Path, curves=None, title: str | None = None) -> Path:
    # lazy: matplotlib is heavy; only drawing needs it
    from matplotlib.lines import Line2D

    curves = curves or _main_curves(result)
    fig, ax = new_figure(figsize=(9.6, 4.8))
    handles = []
    for k, c in enumerate(curves):
        col = COLORS[k % len(COLORS)]
        (h,) = ax.plot(c.loads, c.up[:, 0], color=col, lw=1.8, marker="^", ms=3.5,
                       label=c.label)
        handles.append(h)
        ax.plot(c.loads, c.down[:, 0], color=col, lw=1.4, ls="--", marker="v", ms=3.5)
        for kind in ("up", "down"):
            uns = ~getattr(c, f"{kind}_settled")
            if uns.any():
                ax.plot(c.loads[uns], getattr(c, kind)[uns, 0], ls="none", marker="o",
                        mfc="none", mec=col, ms=8)
        if c.fold_up is not None and c.fold_down is not None:
            lo = c.fold_down.load if c.fold_down.inside else c.fold_down.lower
            hi = c.fold_up.load if c.fold_up.inside else c.fold_up.upper
            if hi - lo < 0.004 * (c.loads[-1] - c.loads[0]):  # keep a sliver visible
                hi = lo + 0.004 * (c.loads[-1] - c.loads[0])
            ax.axvspan(lo, hi, color=col, alpha=0.12, lw=0)
            for f in (c.fold_up, c.fold_down):
                if f.inside:
                    ax.axvline(f.load, color=col, lw=0.8, ls=":")
    handles += [Line2D([], [], color="k", lw=1.8, marker="^", ms=4, label="up-sweep (from clear)"),
                Line2D([], [], color="k", lw=1.4, ls="--", marker="v", ms=4,
                       label="down-sweep (from the flare)"),
                Line2D([], [], ls="none", marker="o", mfc="none", mec="k", ms=8,
                       label="level not settled")]
    ax.set_xlabel("chronic stress load (0-1)")
    ax.set_ylabel(f"{_axis_label(result, result.names[0])}, block average")
    ax.set_title(wrap_title(title or f"{result.spec.name}: steady states vs chronic load "
                            "(shaded: bistable range)", 80), fontsize="medium")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
              frameon=False)
    return save_figure(fig, path)


def plot_tipping_points(result, path: Path) -> Path:
    curves = _main_curves(result)
    fig, ax = new_figure(figsize=(7.6, 0.5 * len(curves) + 1.8))
    loads = curves[0].loads
    for k, c in enumerate(curves):
        y = len(curves) - 1 - k
        col = COLORS[k % len(COLORS)]
        if c.fold_up is not None and c.fold_down is not None:
            lo = c.fold_down.load if c.fold_down.inside else loads[0]
            hi = c.fold_up.load if c.fold_up.inside else loads[-1]
            ax.plot([lo, hi], [y, y], color=col, lw=6, alpha=0.35, solid_capstyle="butt")
            for f, mk in ((c.fold_down, "<"), (c.fold_up, ">")):
                if f.inside:
                    ax.errorbar([f.load], [y], xerr=[[f.load - f.lower], [f.upper - f.load]],
                                color=col, marker=mk, ms=8, capsize=3)
        else:
            ax.text(loads[0], y, "  no bistability in the swept range", va="center",
                    fontsize="small", color=col)
    ax.set_yticks(range(len(curves)))
    ax.set_yticklabels([c.label for c in reversed(curves)], fontsize="small")
    ax.set_xlim(loads[0], loads[-1])
    ax.set_ylim(-0.7, len(curves) - 0.3)
    ax.set_xlabel("chronic stress load: release (<) and tipping (>) points; bar = bistable")
    ax.set_title(f"{result.spec.name}: tipping points", fontsize="medium")
    return save_figure(fig, path)


def plot_tracked(result, path: Path) -> Path:
    names = result.names
    curves = _main_curves(result)
    fig, axes = new_figure(1, len(names), figsize=(4.2 * len(names) + 2.6, 3.8))
    axes = np.atleast_1d(axes)
    for j, (ax, nm) in enumerate(zip(axes, names, strict=True)):
        for k, c in enumerate(curves):
            col = COLORS[k % len(COLORS)]
            ax.plot(c.loads, c.up[:, j], color=col, lw=1.5, label=c.label)
            ax.plot(c.loads, c.down[:, j], color=col, lw=1.2, ls="--")
        ax.set_xlabel("chronic stress load")
        ax.set_ylabel(_axis_label(result, nm))
        ax.set_title(nm, fontsize="medium")
    axes[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="x-small",
                    frameon=False, title="solid: up, dashed: down", title_fontsize="x-small")
    return save_figure(fig, path)


def plot_bistability_map(result, path: Path) -> Path:
    sp = result.spec
    base = [c for c in result.curves if c.intervention == "none"]
    seconds = np.array([c.second for c in base])
    loads = base[0].loads
    M = np.array([c.down[:, 0] - c.up[:, 0] for c in base])
    fig, ax = new_figure(figsize=(7.2, 4.6))
    dl = (loads[1] - loads[0]) / 2
    ys = np.arange(len(seconds))
    im = ax.imshow(M, aspect="auto", origin="lower", cmap="Reds",
                   extent=(loads[0] - dl, loads[-1] + dl, -0.5, len(seconds) - 0.5),
                   vmin=0, vmax=max(float(np.nanmax(M)), 1e-9))
    fig.colorbar(im, ax=ax, label=f"down - up {result.names[0]} (hysteresis)")
    bist = np.array([c.bistable for c in base])
    for i in range(len(seconds)):
        for j in range(len(loads)):
            if bist[i, j]:
                ax.plot(loads[j], i, marker="s", ms=3, color="k")
    for kind, mk in (("fold_up", ">"), ("fold_down", "<")):
        xs = [getattr(c, kind).load if getattr(c, kind) is not None and getattr(c, kind).inside
              else np.nan for c in base]
        ax.plot(xs, ys, color="#1f77b4" if kind == "fold_up" else "#2ca02c", marker=mk,
                label="tipping (up-jump)" if kind == "fold_up" else "release (down-jump)")
    ax.set_yticks(ys)
    ax.set_yticklabels([f"{s:g}" for s in seconds])
    ax.set_ylabel(sp.second.name)
    ax.set_xlabel("chronic stress load")
    ax.set_title(wrap_title(f"{sp.name}: bistable region (black squares: {result.threshold})",
                            80), fontsize="medium")
    add_legend(ax, loc="upper right", fontsize="x-small")
    return save_figure(fig, path)


def table_rows(result):
    second = result.spec.second.name if result.spec.second else None
    header = ["intervention"] + ([second] if second else []) + [
        "bistable", "tipping load (up-jump)", "release load (down-jump)",
        f"{result.names[0]} at lowest load", f"{result.names[0]} at highest load",
        "unsettled levels"]
    rows = []
    for r in result.table():
        rows.append([r["intervention"]] + ([f"{r['second']:g}"] if second else []) + [
            "yes" if r["bistable"] else "no", r["tipping_up"], r["tipping_down"],
            f"{r['severity_at_min_load']:.3g}", f"{r['severity_at_max_load']:.3g}",
            str(r["unsettled_levels"])])
    return header, rows


def terminal_table(result):
    """The summary table for an 80-column terminal (a :class:`rich.table.Table`): short
    headers, fold loads with their bracket on a second line, severity as low -> high load;
    intervention names wrap, numbers never do."""
    second = result.spec.second.name if result.spec.second else None
    sev = result.names[0]

    def fold(text: str) -> str:
        text = text.replace(" (beyond the range)", "*")
        return text.replace(" (", "\n(", 1)

    t = Table(title=f"{result.spec.name}: tipping points of {sev}", title_justify="left",
              caption="* beyond the swept load range. Loads: the tipping load (the flare "
                      "switches on) and the release load (it switches off); bracket: the "
                      "interval that contains it.", caption_justify="left")
    t.add_column("intervention", ratio=1, min_width=12, overflow="fold")
    if second:
        t.add_column(second, no_wrap=True)
    t.add_column("bi-\nstable", no_wrap=True)
    t.add_column("tipping\nload", no_wrap=True, justify="right")
    t.add_column("release\nload", no_wrap=True, justify="right")
    t.add_column(f"{sev}, lowest\n-> highest load", no_wrap=True, justify="right")
    t.add_column("un-\nsettled", no_wrap=True, justify="right")
    for r in result.table():
        t.add_row(r["intervention"], *([f"{r['second']:g}"] if second else []),
                  "yes" if r["bistable"] else "no", fold(r["tipping_up"]),
                  fold(r["tipping_down"]),
                  f"{r['severity_at_min_load']:.3g} -> {r['severity_at_max_load']:.3g}",
                  str(r["unsettled_levels"]))
    return t


def markdown_summary(result, figures) -> str:
    sp = result.spec
    lines = [f"# Tipping points: {sp.name}", ""]
    if sp.description:
        lines += [sp.description.strip(), ""]
    lines += [f"Severity: `{sp.severity}` (block average over {sp.settle.block}); loads "
              f"{sp.load.from_:g} to {sp.load.to:g} in {sp.load.steps} levels; settled when "
              f"successive block averages differ by at most {sp.settle.atol:g} + "
              f"{sp.settle.rtol:g} x value ({sp.settle.min_blocks}-{sp.settle.max_blocks} "
              f"blocks); bistable where {result.threshold}; {sp.refine} bisection steps per "
              "fold. "
              f"{result.blocks_run} blocks simulated in {result.elapsed_s:.1f} s.", ""]
    lines += [md_table(*table_rows(result)), ""]
    for k, p in figures.items():
        lines.append(f"![{k}](figures/{p.name})")
    lines.append("")
    return "\n".join(lines)


def write_loop_report(result, out_dir) -> dict[str, Path]:
    out = Path(out_dir)
    folder = OutputFolder(out)
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    figures = {"s_curve": plot_s_curve(result, fig_dir / "s_curve.png"),
               "tipping_points": plot_tipping_points(result, fig_dir / "tipping_points.png")}
    if len(result.names) > 1:
        figures["tracked"] = plot_tracked(result, fig_dir / "tracked.png")
    if result.spec.second is not None:
        figures["bistability_map"] = plot_bistability_map(result, fig_dir / "bistability_map.png")
        base = [c for c in result.curves if c.intervention == "none"]
        figures["s_curves_second"] = plot_s_curve(
            result, fig_dir / "s_curves_second.png", curves=base,
            title=f"{result.spec.name}: no intervention, by {result.spec.second.name}")
    paths = dict(figures)
    paths["netcdf"] = write_netcdf(result.to_dataset(), out / "loop.nc")
    paths["json"] = write_json(out / "loop.json", {
        "name": result.spec.name, "severity": result.spec.severity,
        "threshold": result.threshold, "elapsed_s": result.elapsed_s,
        "table": result.table(),
        "curves": [{"intervention": c.intervention, "second": c.second,
                    "loads": c.loads.tolist(),
                    **{f"{nm}_up": c.up[:, j].tolist() for j, nm in enumerate(result.names)},
                    **{f"{nm}_down": c.down[:, j].tolist() for j, nm in enumerate(result.names)},
                    "up_settled": c.up_settled.tolist(), "down_settled": c.down_settled.tolist()}
                   for c in result.curves]}, indent=1, default=float)
    paths["markdown"] = write_text(out / "summary.md", markdown_summary(result, figures))
    page = Page(f"Tipping points: {result.spec.name}")
    for line in markdown_summary(result, {}).split("\n\n")[1:2]:
        page.paragraph(line)
    page.table(*table_rows(result))
    for k, p in figures.items():
        page.figure(f"figures/{p.name}", k, k.replace("_", " "))
    paths["html"] = page.write(out / "index.html")
    paths["spec"] = write_text(out / "spec.yaml", yaml.safe_dump(
        result.spec.model_dump(mode="json", by_alias=True, exclude_none=True),
        sort_keys=False, width=100))
    folder.finish()
    return paths
