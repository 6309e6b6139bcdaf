"""Figures, tables and pages of a sensitivity analysis (:mod:`nicsim.analysis.sensitivity`).

``write_sensitivity_report(result, out_dir)`` writes::

    sensitivity.nc        indices, samples and read-outs (xarray/netCDF, units in attrs)
    sensitivity.json      ranges (with their origin), rankings, what matters
    summary.md            the ranked tables (Markdown)
    index.html            the same with the figures
    spec.yaml             the spec as run
    figures/sobol_convergence.png   S1 and ST (with CIs) vs base sample size N
    figures/sobol_indices.png       ST and S1 bars per read-out
    figures/morris_mu_star.png      mu* bars per read-out
    figures/morris_mu_sigma.png     Morris mu* vs sigma
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from nicsim.io.output import OutputFolder, write_json, write_netcdf, write_text
from nicsim.report.html import Page
from nicsim.report.markdown import md_table
from nicsim.report.plots import add_legend, new_figure, save_figure, wrap_title

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
          "#17becf", "#7f7f7f", "#bcbd22"]
MAX_LINES = 8


def _grid(n: int, *, w: float = 5.2, h: float = 3.6):
    ncols = min(n, 2)
    nrows = int(math.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(w * ncols, h * nrows))
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[n:]:
        ax.set_axis_off()
    return fig, axes


def _short(pid: str) -> str:
    return pid


def plot_sobol_convergence(result, path: Path) -> Path:
    s = result.sobol
    fig, axes = _grid(len(result.readouts))
    for j, (ax, ro) in enumerate(zip(axes, result.readouts, strict=False)):
        order = np.argsort(-s.ST[-1, j])[:MAX_LINES]
        x = np.array(s.sizes, dtype=float)
        for c, i in enumerate(order):
            col = COLORS[c % len(COLORS)]
            pid = result.parameters[i].id
            ax.errorbar(x, s.ST[:, j, i], yerr=s.ST_conf[:, j, i], color=col, marker="o",
                        ms=3, lw=1.4, capsize=2, label=f"{_short(pid)} ST")
            ax.errorbar(x * 1.04, s.S1[:, j, i], yerr=s.S1_conf[:, j, i], color=col, marker="s",
                        ms=3, lw=1.0, ls="--", capsize=2, alpha=0.8)
        ax.set_xscale("log", base=2)
        ax.set_xticks(x)
        ax.set_xticklabels([str(int(v)) for v in x])
        ax.axhline(0, color="k", lw=0.5)
        ax.set_xlabel("base sample size N")
        ax.set_ylabel("Sobol index (ST solid, S1 dashed)")
        title = ro.label + (" (constant: no variance)" if s.constant[j] else "")
        ax.set_title(wrap_title(title, 50), fontsize="medium")
        add_legend(ax, loc="upper right", fontsize="x-small", ncol=1)
    fig.suptitle(f"{result.spec.name}: convergence of Sobol indices "
                 f"({int(result.spec.sobol.conf_level * 100)} % CI)", fontsize="medium")
    return save_figure(fig, path)


def _bars(ax, names, vals, errs, *, color, label, offset=0.0, height=0.38):
    y = np.arange(len(names)) + offset
    ax.barh(y, vals, xerr=errs, height=height, color=color, label=label, capsize=2,
            error_kw={"lw": 0.8})


def plot_sobol_indices(result, path: Path) -> Path:
    s = result.sobol
    fig, axes = _grid(len(result.readouts), h=max(3.0, 0.32 * len(result.parameters) + 1.4))
    th = result.spec.thresholds.sobol_st
    for j, (ax, ro) in enumerate(zip(axes, result.readouts, strict=False)):
        order = np.argsort(s.ST[-1, j])  # smallest at the bottom of barh -> largest on top
        names = [result.parameters[i].id for i in order]
        _bars(ax, names, s.ST[-1, j, order], s.ST_conf[-1, j, order], color="#1f77b4",
              label="ST (total)", offset=0.2)
        _bars(ax, names, s.S1[-1, j, order], s.S1_conf[-1, j, order], color="#ff7f0e",
              label="S1 (first order)", offset=-0.2)
        ax.set_yticks(np.arange(len(names)))
        ax.set_yticklabels(names, fontsize="small")
        ax.axvline(th, color="grey", ls=":", lw=1, label=f"threshold ST = {th:g}")
        ax.set_xlabel(f"Sobol index (N = {s.sizes[-1]})")
        ax.set_title(wrap_title(ro.label, 50), fontsize="medium")
        add_legend(ax, loc="lower right", fontsize="x-small")
    fig.suptitle(f"{result.spec.name}: Sobol indices", fontsize="medium")
    return save_figure(fig, path)


def plot_morris_mu_star(result, path: Path) -> Path:
    m = result.morris
    fig, axes = _grid(len(result.readouts), h=max(3.0, 0.32 * len(result.parameters) + 1.4))
    for j, (ax, ro) in enumerate(zip(axes, result.readouts, strict=False)):
        order = np.argsort(m.mu_star[j])
        names = [result.parameters[i].id for i in order]
        _bars(ax, names, m.mu_star[j, order], m.mu_star_conf[j, order], color="#2ca02c",
              label="mu*", height=0.6)
        ax.set_yticks(np.arange(len(names)))
        ax.set_yticklabels(names, fontsize="small")
        mx = float(m.mu_star[j].max())
        if mx > 0:
            ax.axvline(result.spec.thresholds.morris_mu_star * mx, color="grey", ls=":", lw=1,
                       label="threshold")
        ax.set_xlabel(f"mu* ({ro.unit or '-'} per Morris step)")
        ax.set_title(wrap_title(ro.label, 50), fontsize="medium")
        add_legend(ax, loc="lower right", fontsize="x-small")
    fig.suptitle(f"{result.spec.name}: Morris mu* ({m.trajectories} trajectories, "
                 f"{m.levels} levels)", fontsize="medium")
    return save_figure(fig, path)


def plot_morris_scatter(result, path: Path) -> Path:
    m = result.morris
    fig, axes = _grid(len(result.readouts), h=4.0)
    for j, (ax, ro) in enumerate(zip(axes, result.readouts, strict=False)):
        x, y = m.mu_star[j], m.sigma[j]
        top = max(float(x.max()), float(y.max()), 1e-300) * 1.1
        for ratio, ls in ((0.1, ":"), (0.5, "--"), (1.0, "-")):
            ax.plot([0, top], [0, ratio * top], color="grey", lw=0.7, ls=ls,
                    label=f"sigma/mu* = {ratio:g}")
        ax.scatter(x, y, color="#d62728", s=18, zorder=3)
        order = np.argsort(-x)[:MAX_LINES]
        for i in order:
            ax.annotate(result.parameters[i].id, (x[i], y[i]), fontsize="x-small",
                        xytext=(3, 3), textcoords="offset points")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel(f"mu* ({ro.unit or '-'})")
        ax.set_ylabel("sigma (non-linearity / interactions)")
        ax.set_title(wrap_title(ro.label, 50), fontsize="medium")
        add_legend(ax, loc="upper left", fontsize="x-small")
    fig.suptitle(f"{result.spec.name}: Morris mu* vs sigma", fontsize="medium")
    return save_figure(fig, path)


# ============================================================================ tables
def _f(x: float, digits: int = 3) -> str:
    if x is None or not np.isfinite(x):
        return "-"
    if x == 0:
        return "0"
    if abs(x) >= 1e4 or abs(x) < 1e-3:
        return f"{x:.{digits - 1}e}"
    return f"{x:.{digits}g}"


def ranking_rows(result, label: str) -> tuple[list[str], list[list[str]]]:
    header = ["rank", "parameter"]
    if result.sobol is not None:
        header += ["ST", "S1"]
    if result.morris is not None:
        header += ["mu*", "sigma"]
    header.append("matters")
    rows = []
    for r in result.ranking(label):
        row = [str(r["rank"]), r["id"]]
        if result.sobol is not None:
            row += [f"{r['ST']:.3f} ± {r['ST_conf']:.3f}", f"{r['S1']:.3f} ± {r['S1_conf']:.3f}"]
        if result.morris is not None:
            row += [f"{_f(r['mu_star'])} ± {_f(r['mu_star_conf'])}", _f(r["sigma"])]
        row.append("yes" if r["matters"] else "")
        rows.append(row)
    return header, rows


def parameter_rows(result) -> tuple[list[str], list[list[str]]]:
    header = ["parameter", "unit", "nominal", "range", "scale", "range from"]
    rows = [[p.id, p.unit, _f(p.nominal, 4), f"{_f(p.lower, 4)} - {_f(p.upper, 4)}", p.scale,
             p.origin] for p in result.parameters]
    return header, rows


def _criterion(result) -> str:
    th = result.spec.thresholds
    if result.sobol is not None:
        return (f"a parameter matters when its total-order index ST >= {th.sobol_st:g} "
                f"(Sobol, N = {result.sobol.sizes[-1]}; ± is the half-width of the "
                f"{int(result.spec.sobol.conf_level * 100)} % bootstrap CI)")
    return (f"a parameter matters when its mu* >= {th.morris_mu_star:g} x the largest mu* of "
            "the read-out (Morris)")


def markdown_summary(result, figures: dict[str, Path] | None = None) -> str:
    sp = result.spec
    lines = [f"# Sensitivity analysis: {sp.name}", ""]
    if sp.description:
        lines += [sp.description.strip(), ""]
    methods = []
    if result.morris is not None:
        methods.append(f"Morris ({result.morris.trajectories} trajectories, "
                       f"{result.morris.levels} levels)")
    if result.sobol is not None:
        methods.append(f"Sobol (Saltelli sample, N = {result.sobol.sizes[-1]}, convergence at "
                       f"N = {', '.join(map(str, result.sobol.sizes))})")
    lines += [f"Scenario `{sp.scenario.name}`; {len(result.parameters)} parameters; "
              f"{' and '.join(methods)}; {result.runs} model runs in {result.elapsed_s:.1f} s "
              f"({result.runs / max(result.elapsed_s, 1e-9):.1f} runs/s); seed {sp.seed}.", ""]
    lines += ["## Parameters and ranges", "", md_table(*parameter_rows(result)), ""]
    lines += ["## Read-outs", ""]
    lines += [f"- **{r.label}** ({r.unit or 'dimensionless'}): {r.description}; nominal "
              f"{_f(r.nominal, 4)}" for r in result.readouts]
    lines += ["", "## What matters, per read-out", "", _criterion(result) + ".", ""]
    for r in result.readouts:
        imp = result.important(r.label)
        lines += [f"### {r.label}", "",
                  f"Matters: {', '.join(imp) if imp else '(none above the threshold)'}", ""]
        if result.sobol is not None and result.sobol.constant[
                [x.label for x in result.readouts].index(r.label)]:
            lines += ["This read-out did not vary over the sample (all indices 0).", ""]
        lines += [md_table(*ranking_rows(result, r.label)), ""]
    if figures:
        lines += ["## Figures", ""]
        lines += [f"![{k}](figures/{p.name})" for k, p in figures.items()]
        lines.append("")
    return "\n".join(lines)


def html_page(result, figures: dict[str, Path]) -> Page:
    sp = result.spec
    page = Page(f"Sensitivity analysis: {sp.name}")
    if sp.description:
        page.paragraph(sp.description.strip())
    page.paragraph(f"Scenario {sp.scenario.name}; {len(result.parameters)} parameters; "
                   f"{result.runs} model runs in {result.elapsed_s:.1f} s; seed {sp.seed}.",
                   "meta")
    page.heading("Parameters and ranges")
    page.table(*parameter_rows(result))
    page.heading("What matters, per read-out")
    page.paragraph(_criterion(result) + ".")
    for r in result.readouts:
        page.heading(f"{r.label}: {r.description}", 3)
        imp = result.important(r.label)
        page.paragraph(f"Nominal {_f(r.nominal, 4)} {r.unit}. Matters: "
                       f"{', '.join(imp) if imp else '(none above the threshold)'}")
        header, rows = ranking_rows(result, r.label)
        page.table(header, rows, row_classes=["pass" if row[-1] else "" for row in rows])
    page.heading("Figures")
    for key, p in figures.items():
        page.figure(f"figures/{p.name}", key, key.replace("_", " "))
    return page


def write_sensitivity_report(result, out_dir) -> dict[str, Path]:
    """Write a :class:`nicsim.analysis.sensitivity.SensitivityResult` into ``out_dir``:
    ``sensitivity.nc``, ``sensitivity.json``, ``summary.md``, ``index.html``, ``spec.yaml`` and
    the figures; returns the paths by key (files of an earlier run not written again are
    removed)."""
    out = Path(out_dir)
    folder = OutputFolder(out)
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Path] = {}
    if result.sobol is not None:
        figures["sobol_indices"] = plot_sobol_indices(result, fig_dir / "sobol_indices.png")
        figures["sobol_convergence"] = plot_sobol_convergence(
            result, fig_dir / "sobol_convergence.png")
    if result.morris is not None:
        figures["morris_mu_star"] = plot_morris_mu_star(result, fig_dir / "morris_mu_star.png")
        figures["morris_mu_sigma"] = plot_morris_scatter(result, fig_dir / "morris_mu_sigma.png")
    paths = dict(figures)
    paths["netcdf"] = write_netcdf(result.to_dataset(), out / "sensitivity.nc")
    paths["json"] = write_json(out / "sensitivity.json", result.to_json(), indent=1, default=float)
    paths["markdown"] = write_text(out / "summary.md", markdown_summary(result, figures))
    paths["html"] = html_page(result, figures).write(out / "index.html")
    paths["spec"] = write_text(out / "spec.yaml", result.spec_yaml())
    folder.finish()
    return paths
