"""HTML report of an in-silico trial, built from its results dataset alone.

``write_trial_report(ds, out_dir)`` writes ``report.html`` and ``figures/*.png``: the design, the
arms and their protocols, the sampled population, trajectory fans per arm (median and 5-95 %
band over time), outcome distributions per arm (box + points; responder rates as bars) and the
effect sizes with their bootstrap confidence intervals. The same function re-creates the report
from a saved ``results.nc`` (:func:`nicsim.analysis.trial.load_results`).
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import numpy as np
import xarray as xr

from nicsim.analysis.outcomes import MEASURE_LABELS
from nicsim.io.output import OutputFolder, write_netcdf, write_text
from nicsim.report.html import Cell, Page, esc
from nicsim.report.plots import add_legend, new_figure, save_figure, wrap_title
from nicsim.solve.plausibility import warnings_of

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
          "#7f7f7f")
DISCLAIMER = ("nicsim is a research and education model, not a diagnostic tool: a virtual "
              "trial shows what the model implies, not what a real trial would find.")
MAX_POINTS = 400


def _fmt(x: float, digits: int = 3) -> str:
    if x is None or not np.isfinite(x):
        return "inf" if x is not None and np.isinf(x) else "n/a"
    if x == 0:
        return "0"
    mag = abs(x)
    if mag >= 1e4 or mag < 1e-3:
        return f"{x:.{digits}g}"
    return f"{x:.{max(digits - 1 - int(math.floor(math.log10(mag))), 0)}f}"


def _arms(ds: xr.Dataset) -> list[str]:
    return [str(a) for a in ds.arm.values]


def _role(ds: xr.Dataset, role: str) -> list[str]:
    return [n for n, v in ds.data_vars.items() if v.attrs.get("role") == role]


def _units(v: xr.DataArray) -> str:
    u = str(v.attrs.get("units", ""))
    return "" if u in ("", "1", "dimensionless") else u


# ================================================================================= figures
def fan_figure(ds: xr.Dataset, output: str, path: Path) -> Path:
    """Median and 5-95 % band over time of one trajectory output, one colour per arm."""
    fig, ax = new_figure(figsize=(7.5, 4.0))
    hours = float(ds.time.values[-1]) <= 72.0
    x = ds.time.values if hours else ds.time_days.values
    for k, arm in enumerate(_arms(ds)):
        Y = ds[output].sel(arm=arm).values
        c = COLORS[k % len(COLORS)]
        lo, med, hi = np.nanpercentile(Y, [5, 50, 95], axis=0)
        ax.fill_between(x, lo, hi, color=c, alpha=0.18, linewidth=0)
        ax.plot(x, med, color=c, lw=1.8, label=f"{arm} (median, 5-95 %)")
    u = _units(ds[output])
    ax.set(xlabel="hours since the start" if hours else "days since the start",
           ylabel=f"{output}" + (f" ({u})" if u else ""),
           title=wrap_title(f"{ds[output].attrs.get('long_name', output)}"))
    ax.grid(alpha=0.3)
    add_legend(ax, loc="best")
    return save_figure(fig, path)


def outcome_figure(ds: xr.Dataset, outcomes: list[str], path: Path) -> Path:
    """Per-outcome panels: box + jittered points per arm (responders: rate bars)."""
    n = len(outcomes)
    ncols = min(3, n)
    nrows = int(math.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(4.2 * ncols, 3.6 * nrows))
    axes = np.atleast_1d(axes).ravel()
    arms = _arms(ds)
    rng = np.random.default_rng(0)  # jitter only; no effect on results
    for ax, name in zip(axes, outcomes, strict=False):
        v = ds[name]
        kind = v.attrs.get("kind", "")
        u = _units(v)
        if kind == "responder":
            rates = [100 * float(np.nanmean(v.sel(arm=a).values)) for a in arms]
            ax.bar(range(len(arms)), rates, color=[COLORS[k % len(COLORS)]
                                                   for k in range(len(arms))], alpha=0.7)
            for k, r in enumerate(rates):
                ax.text(k, r, f"{r:.0f} %", ha="center", va="bottom", fontsize="small")
            ax.set_ylabel("responders (%)")
            ax.set_ylim(0, max(100, max(rates) * 1.1))
        else:
            data, censored = [], []
            for a in arms:
                x = v.sel(arm=a).values.astype(float)
                censored.append(int(np.isnan(x).sum()))
                data.append(x[np.isfinite(x)])
            ax.boxplot([d if d.size else [np.nan] for d in data], positions=range(len(arms)),
                       widths=0.5, showfliers=False)
            for k, d in enumerate(data):
                pts = d if d.size <= MAX_POINTS else rng.choice(d, MAX_POINTS, replace=False)
                ax.plot(k + rng.uniform(-0.18, 0.18, pts.size), pts, ".", ms=3, alpha=0.35,
                        color=COLORS[k % len(COLORS)])
                if censored[k]:
                    ax.annotate(f"{censored[k]} censored", (k, 1.0), xycoords=("data",
                                "axes fraction"), ha="center", va="top", fontsize="x-small")
            ax.set_ylabel(u or name)
        ax.set_xticks(range(len(arms)))
        ax.set_xticklabels(arms, rotation=15)
        ax.set_title(wrap_title(v.attrs.get("long_name", name), 40), fontsize="medium")
        ax.grid(alpha=0.3, axis="y")
    for ax in axes[n:]:
        ax.set_axis_off()
    return save_figure(fig, path)


def forest_figure(ds: xr.Dataset, path: Path) -> Path | None:
    """Standardised effects (Hedges' g / Cohen's d) with their CIs."""
    sel = [k for k in range(ds.sizes.get("effect", 0))
           if str(ds.effect_measure.values[k]) in ("hedges_g", "cohens_d")]
    if not sel:
        return None
    fig, ax = new_figure(figsize=(7.0, 0.45 * len(sel) + 1.4))
    y = np.arange(len(sel))[::-1]
    est = ds.effect_estimate.values[sel]
    lo, hi = ds.effect_ci_low.values[sel], ds.effect_ci_high.values[sel]
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color="#1f77b4", capsize=3)
    ax.axvline(0, color="grey", lw=0.8)
    labels = [f"{ds.effect_outcome.values[k]}: {ds.effect_arm.values[k]} "
              f"({'g' if ds.effect_measure.values[k] == 'hedges_g' else 'd'})" for k in sel]
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize="small")
    ax.set_xlabel(f"standardised effect vs {ds.attrs.get('control_arm', 'control')} "
                  f"({ds.attrs.get('confidence', 0.95):.0%} bootstrap CI)")
    ax.grid(alpha=0.3, axis="x")
    return save_figure(fig, path)


# ================================================================================= tables
def _persons(ds: xr.Dataset) -> xr.Dataset:
    """One row per sampled person (paired: the first arm's subjects; independent: all)."""
    if ds.attrs.get("design") == "paired":
        return ds.isel(arm=0)
    return ds.stack(person=("arm", "subject")).rename({"person": "subject_all"})


def population_rows(ds: xr.Dataset) -> list[list[object]]:
    p = _persons(ds)
    dim = "subject" if "subject" in p.dims else "subject_all"
    rows = []
    for name, v in ds.data_vars.items():
        if v.attrs.get("role") != "trait" or name == "sex":
            continue
        x = p[name].values.astype(float)
        if np.ptp(x) == 0:
            rows.append([name, "fixed", _fmt(x[0]), "", "", "", ""])
            continue
        pct = np.percentile(x, [5, 50, 95])
        rows.append([name, "sampled" if v.attrs.get("sampled") else "varies",
                     Cell(_fmt(x.mean()), "num"), Cell(_fmt(x.std(ddof=1)), "num"),
                     Cell(_fmt(pct[0]), "num"), Cell(_fmt(pct[1]), "num"),
                     Cell(_fmt(pct[2]), "num")])
    del dim
    return rows


def outcome_rows(ds: xr.Dataset) -> list[list[object]]:
    rows = []
    for name in _role(ds, "outcome"):
        v = ds[name]
        kind = v.attrs.get("kind", "")
        for arm in _arms(ds):
            x = v.sel(arm=arm).values.astype(float)
            n = x.size
            if kind == "responder":
                rows.append([name, arm, n, Cell(f"{100 * np.nanmean(x):.1f} %", "num"), "", "",
                             "", ""])
                continue
            fin = x[np.isfinite(x)]
            cens = n - fin.size
            if fin.size == 0:
                rows.append([name, arm, n, "n/a", "", "", "", f"{cens} censored"])
                continue
            if kind == "time_to_threshold":
                med = float(np.median(np.where(np.isnan(x), np.inf, x)))
            else:
                med = float(np.median(fin))
            p5, p95 = np.percentile(fin, [5, 95])
            rows.append([name, arm, n, Cell(_fmt(fin.mean()), "num"),
                         Cell(_fmt(fin.std(ddof=1) if fin.size > 1 else 0.0), "num"),
                         Cell(_fmt(med), "num"), Cell(f"{_fmt(p5)} to {_fmt(p95)}", "num"),
                         f"{cens} censored" if cens else ""])
    return rows


def effect_rows(ds: xr.Dataset) -> list[list[object]]:
    rows = []
    for k in range(ds.sizes.get("effect", 0)):
        m = str(ds.effect_measure.values[k])
        name = str(ds.effect_outcome.values[k])
        unit = _units(ds[name]) if m in ("mean_difference", "median_difference") else ""
        lo, hi = float(ds.effect_ci_low.values[k]), float(ds.effect_ci_high.values[k])
        excl = np.isfinite(lo) and np.isfinite(hi) and (
            (lo > 1 or hi < 1) if m == "median_ratio" else (lo > 0 or hi < 0))
        rows.append([name, f"{ds.effect_arm.values[k]} vs {ds.effect_control.values[k]}",
                     MEASURE_LABELS.get(m, m), Cell(_fmt(float(ds.effect_estimate.values[k])),
                                                    "num"),
                     Cell(f"{_fmt(lo)} to {_fmt(hi)}", "num"), unit,
                     "yes" if excl else "no"])
    return rows


def _events_text(events: list[dict]) -> str:
    if not events:
        return "(none)"
    return "\n".join(json.dumps(e, ensure_ascii=False) for e in events)


# ================================================================================= page
def write_trial_report(ds: xr.Dataset, out_dir: str | Path, *, info: dict | None = None,
                       name: str = "report.html") -> Path:
    """Write the report (``report.html`` and ``figures/``) into ``out_dir``; returns the page."""
    out = Path(out_dir)
    figs = out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    a = ds.attrs
    page = Page(f"In-silico trial: {a.get('title', 'trial')}")
    page.paragraph(DISCLAIMER, css_class="note")
    if a.get("description"):
        page.paragraph(a["description"])
    arms = _arms(ds)
    page.heading("Design")
    design = [
        ["design", f"{a.get('design')} (" + ("the same sampled persons in every arm"
                                              if a.get("design") == "paired"
                                              else "different persons in each arm") + ")"],
        ["subjects per arm", a.get("subjects_per_arm")],
        ["arms", ", ".join(arms) + f" (control: {a.get('control_arm')})"],
        ["duration", f"{float(a.get('duration_h', 0)) / 24:g} days from {a.get('start_clock')} "
                     f"on a {a.get('start_weekday')}; run-in {a.get('burn_in_days')} days"],
        ["sampling", f"outcomes from samples every {a.get('sample_interval')}; trajectories "
                     f"every {a.get('trajectory_interval')}"],
        ["seed", a.get("seed_entropy")],
        ["observation", _observation_text(a)],
        ["bootstrap", f"{a.get('bootstrap_resamples')} resamples, "
                      f"{float(a.get('confidence', 0.95)):.0%} percentile intervals"
                      + (" (subjects resampled jointly across arms)"
                         if a.get("design") == "paired" else "")],
        ["nicsim", f"{a.get('nicsim_version')}, model {a.get('model_key')}, parameter set "
                   f"{a.get('parameter_set')}, rtol {a.get('rtol')}"],
    ]
    if info:
        design.append(["run", f"{info.get('executor', '')}; {info.get('chunks', '')} chunks of "
                              f"up to {info.get('chunk_size', '')} subjects; "
                              f"{info.get('wall_s', float('nan')):.1f} s"])
    page.table(["", ""], design)
    page.heading("Arms")
    protos = json.loads(a.get("arm_protocols", "{}"))
    descr = json.loads(a.get("arm_descriptions", "{}"))
    page.paragraph("Every arm runs the base protocol plus its own events.")
    rows = [["(base, every arm)", "", _events_text(json.loads(a.get("base_protocol", "[]")))]]
    rows += [[arm, descr.get(arm, ""), _events_text(protos.get(arm, []))] for arm in arms]
    page.raw("<table><thead><tr><th>arm</th><th>description</th><th>protocol events</th></tr>"
             "</thead><tbody>" + "".join(
                 f"<tr><td>{_e(r[0])}</td><td>{_e(r[1])}</td><td><pre>{_e(r[2])}</pre></td></tr>"
                 for r in rows) + "</tbody></table>")
    page.heading("Population")
    p = _persons(ds)
    n_people = int(p["male"].size)
    page.paragraph(f"{n_people} sampled persons; {100 * float(p['male'].mean()):.0f} % male. "
                   f"Sampled: {a.get('sampled') or '(nothing)'}. "
                   f"{int(ds.parameter_varies.sum())} of {ds.sizes['parameter']} parameters "
                   "differ between persons.")
    page.table(["trait", "", "mean", "SD", "5th pct", "median", "95th pct"],
               population_rows(ds))
    trajs = _role(ds, "trajectory")
    if trajs:
        page.heading("Trajectories")
        for t in trajs:
            f = fan_figure(ds, t, figs / f"fan_{t}.png")
            page.figure(f"figures/{f.name}", alt=f"{t} per arm",
                        caption=f"{t}: median (line) and 5-95 % band (shaded) of the subjects "
                                f"of each arm, sampled every {a.get('trajectory_interval')}.")
    outcomes = _role(ds, "outcome")
    if outcomes:
        page.heading("Outcomes")
        page.table(["outcome", "definition", "unit"],
                   [[o, ds[o].attrs.get("description", ""), _units(ds[o])] for o in outcomes])
        f = outcome_figure(ds, outcomes, figs / "outcomes.png")
        page.figure(f"figures/{f.name}", alt="outcome distributions",
                    caption="Outcome distributions per arm: box (quartiles, whiskers to 1.5 "
                            "IQR) and subjects as points; responder outcomes as rates.")
        page.table(["outcome", "arm", "n", "mean (rate)", "SD", "median", "5th to 95th pct",
                    ""], outcome_rows(ds))
    if ds.sizes.get("effect", 0):
        page.heading("Effect sizes")
        page.paragraph(f"Each arm against the control arm ({a.get('control_arm')}); "
                       f"{float(a.get('confidence', 0.95)):.0%} percentile bootstrap intervals "
                       f"from {a.get('bootstrap_resamples')} resamples. Hedges' g and Cohen's "
                       "d use the pooled between-person SD (as trials report them), also in the "
                       "paired design. Censored times count as infinitely long in medians.")
        page.table(["outcome", "comparison", "measure", "estimate", "CI", "unit",
                    "CI excludes no effect"], effect_rows(ds))
        f = forest_figure(ds, figs / "effects.png")
        if f is not None:
            page.figure(f"figures/{f.name}", alt="standardised effects",
                        caption="Standardised effects with bootstrap confidence intervals.")
    warn = warnings_of(ds)
    if warn:
        page.heading("Plausibility warnings")
        page.paragraph("These trajectories leave the plausible human range of the observable "
                       "(not an error; check the parameters and protocol):", css_class="note")
        page.bullets(warn)
    page.heading("Files")
    page.bullets(["results.nc: trajectories (arm x subject x time), per-subject outcomes, "
                  "sampled traits and parameters, effect sizes (netCDF4/HDF5; "
                  "xarray.open_dataset(path, engine='h5netcdf'))",
                  "trial.yaml: the trial as run"])
    return page.write(out / name)


def save_trial(result, out_dir: str | os.PathLike[str], *, report: bool = True) -> dict[str, Path]:
    """Write a :class:`nicsim.analysis.trial.TrialResult`: ``results.nc``, ``trial.yaml`` and
    (``report``) ``report.html`` + figures; returns the paths (also kept in ``result.paths``).

    Every file is written atomically; files of an earlier run into the same folder that this
    run does not write again (e.g. ``report.html`` with ``report=False``) are removed
    (:class:`nicsim.io.output.OutputFolder`)."""
    out = Path(out_dir)
    folder = OutputFolder(out)
    result.paths = {}
    t0 = time.perf_counter()
    result.paths["results"] = write_netcdf(result.dataset, out / "results.nc")
    result.paths["spec"] = write_text(out / "trial.yaml", result.spec.to_yaml())
    result.info["save_s"] = time.perf_counter() - t0
    if report:
        t0 = time.perf_counter()
        result.paths["report"] = write_trial_report(result.dataset, out, info=result.info)
        result.info["report_s"] = time.perf_counter() - t0
    folder.finish()
    return result.paths


def _observation_text(a) -> str:
    if not int(a.get("observation_noise", 0)):
        return ("exact model values: no measurement error or day-to-day variability "
                "(observation_noise: false); effect sizes are larger than trials report")
    lines = json.loads(a.get("observation_models", "[]") or "[]")
    if not lines:
        return "observation models on; none of the outcome outputs has one (exact values)"
    return ("outcomes are computed from observed readings: true value x day-to-day "
            "variability x reading error (nicsim.analysis.observation); trajectories are true "
            "values. " + "; ".join(lines))


def _e(x: object) -> str:
    return esc(x)


__all__ = ["DISCLAIMER", "fan_figure", "forest_figure", "outcome_figure", "write_trial_report"]
