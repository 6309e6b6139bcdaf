"""The nicsim demo: one person, one week, four arms (calm / stressful, with / without breathing).

A woman of 35 (habitual sleep 23:00-07:00) is simulated from Monday 07:00 for 7 days, output
every 10 min, in four arms:

* ``calm``: no stressors;
* ``stressful``: a chronic work stressor on weekdays 09:00-17:00 (load 0.6), a TSST-like acute
  stressor (intensity 1, 20 min) on day 3 (Wednesday) at 14:00 and one short night (night 4,
  Thursday to Friday: bedtime 03:00, wake 07:00);
* ``calm_breathing`` and ``stressful_breathing``: the same plus daily slow breathing (15-min
  sessions at 07:30, 6 breaths/min).

:func:`run_demo` simulates the arms, saves each dataset as ``<arm>.nc`` and (by default) writes
the report; :func:`write_demo_report` writes ``demo.html`` and its figures;
:func:`format_summary_table` gives the summary as a :class:`rich.table.Table`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from nicsim.report import plots
from nicsim.report.html import Cell, Page, link

ProgressFn = Callable[[int, int], None]

PERSON = {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
START, START_WEEKDAY, DURATION, INTERVAL = "07:00", "monday", "7 days", "10 min"

DISCLAIMER = (
    "This is a research and education model, not a diagnosis: the curves are simulations of a "
    "model person built from published average physiology, not measurements or predictions for "
    "any real individual, and they must not be used for medical decisions.")

STRESS_EVENTS: list[dict] = [
    {"type": "chronic_stressor", "start": "day 1", "period": "7 days", "load": 0.6,
     "daily_window": {"from": "09:00", "to": "17:00"}, "weekdays_only": True},
    {"type": "acute_stressor", "start": "day 3 14:00", "duration": "20 min", "intensity": 1.0},
    {"type": "sleep_deprivation", "night": 4, "bedtime": "03:00", "wake": "07:00"},
]
BREATHING_EVENTS: list[dict] = [
    {"type": "slow_breathing", "start": "day 1 07:30", "session": "15 min", "days": 7,
     "rate": "6 /min"},
]


@dataclass(frozen=True)
class Arm:
    key: str
    label: str
    stress: bool
    breathing: bool
    color: str
    linestyle: str

    @property
    def description(self) -> str:
        parts = ["work stress Mon-Fri 09:00-17:00 (load 0.6), TSST-like stressor Wed 14:00 "
                 "(20 min), short night Thu-Fri (bed 03:00, up 07:00)" if self.stress
                 else "no stressors"]
        if self.breathing:
            parts.append("slow breathing 6 /min, 15 min daily at 07:30")
        return "; ".join(parts)

    def protocol(self) -> list[dict]:
        return ([dict(e) for e in STRESS_EVENTS] if self.stress else []) + (
            [dict(e) for e in BREATHING_EVENTS] if self.breathing else [])


ARMS: tuple[Arm, ...] = (
    Arm("calm", "calm week", False, False, "#1f77b4", "-"),
    Arm("stressful", "stressful week", True, False, "#d62728", "-"),
    Arm("calm_breathing", "calm week + slow breathing", False, True, "#17becf", "--"),
    Arm("stressful_breathing", "stressful week + slow breathing", True, True, "#ff7f0e", "--"),
)
ARM_BY_KEY = {a.key: a for a in ARMS}


def build_scenario(arm: Arm):
    from nicsim.protocols import Scenario

    return Scenario.from_dict({
        "name": f"demo-{arm.key}", "description": f"nicsim demo, {arm.label}: {arm.description}",
        "start": START, "start_weekday": START_WEEKDAY, "duration": DURATION,
        "output_interval": INTERVAL, "person": PERSON, "protocol": arm.protocol()})


def build_scenarios() -> dict:
    """The four demo scenarios, by arm key."""
    return {a.key: build_scenario(a) for a in ARMS}


# ================================================================================= metrics
#: (key, header, unit, format) of the summary table columns
METRICS: tuple[tuple[str, str, str, str], ...] = (
    ("cortisol_mean", "mean serum cortisol", "nmol/L", ".0f"),
    ("cortisol_max", "max serum cortisol", "nmol/L", ".0f"),
    ("cortisol_evening", "evening cortisol (22:00)", "nmol/L", ".0f"),
    ("diurnal_slope", "diurnal slope (morning peak - 22:00)", "nmol/L", ".0f"),
    ("il6_mean", "mean IL-6", "pg/mL", ".3f"),
    ("rmssd_mean", "mean RMSSD", "ms", ".2f"),
    ("heart_rate_mean", "mean heart rate", "bpm", ".2f"),
    ("perceived_stress_final", "final perceived stress", "PSS-10", ".2f"),
)
MORNING_WINDOW = (5.0, 11.0)   # clock hours searched for the morning cortisol peak
EVENING_CLOCK = 22.0


def _day_index(ds: xr.Dataset, start_clock_h: float) -> np.ndarray:
    return np.floor((ds.time.values + start_clock_h) / 24.0).astype(int)


def summarize(ds: xr.Dataset, start_clock_h: float) -> dict[str, float]:
    """The summary metrics of one arm (see :data:`METRICS`)."""
    t = ds.time.values
    cort = ds.cortisol_serum.values
    days = np.arange(int(np.floor((t[0] + start_clock_h) / 24.0)),
                     int(np.floor((t[-1] + start_clock_h) / 24.0)) + 1)
    evening_t = days * 24.0 + EVENING_CLOCK - start_clock_h
    evening_t = evening_t[(evening_t >= t[0]) & (evening_t <= t[-1])]
    evening = np.interp(evening_t, t, cort)
    slopes = []
    for te in evening_t:
        day0 = te - EVENING_CLOCK  # 00:00 of that day
        sel = (t >= day0 + MORNING_WINDOW[0]) & (t <= day0 + MORNING_WINDOW[1])
        if sel.any():
            slopes.append(float(cort[sel].max()) - float(np.interp(te, t, cort)))
    return {
        "cortisol_mean": float(np.mean(cort)),
        "cortisol_max": float(np.max(cort)),
        "cortisol_evening": float(np.mean(evening)) if evening.size else float("nan"),
        "diurnal_slope": float(np.mean(slopes)) if slopes else float("nan"),
        "il6_mean": float(ds.il6.mean()),
        "rmssd_mean": float(ds.rmssd.mean()),
        "heart_rate_mean": float(ds.heart_rate.mean()),
        "perceived_stress_final": float(ds.perceived_stress.values[-1]),
    }


# ================================================================================= result
@dataclass
class DemoResult:
    """What :func:`run_demo` produced: the summary ``table`` (one dict per arm, keys ``arm``,
    ``label`` and the :data:`METRICS` keys), the datasets and scenarios by arm key, and the
    paths of the files written."""

    out_dir: Path
    table: list[dict]
    datasets: dict[str, xr.Dataset] = field(default_factory=dict, repr=False)
    scenarios: dict = field(default_factory=dict, repr=False)
    netcdf_paths: dict[str, Path] = field(default_factory=dict)
    figure_paths: dict[str, Path] = field(default_factory=dict)
    html_path: Path | None = None

    @property
    def paths(self) -> dict[str, Path]:
        out: dict[str, Path] = {f"netcdf:{k}": p for k, p in self.netcdf_paths.items()}
        out.update({f"figure:{k}": p for k, p in self.figure_paths.items()})
        if self.html_path is not None:
            out["html"] = self.html_path
        return out

    def row(self, arm: str) -> dict:
        for r in self.table:
            if r["arm"] == arm:
                return r
        raise KeyError(f"no arm {arm!r}; arms: {', '.join(r['arm'] for r in self.table)}")


def _netcdf_ready(ds: xr.Dataset) -> xr.Dataset:
    """A copy without attributes netCDF cannot store (lists, dicts, None, bools)."""
    def ok(v) -> bool:
        return isinstance(v, (str, int, float, np.number, np.ndarray)) and not isinstance(v, bool)

    out = ds.copy()
    out.attrs = {k: v for k, v in ds.attrs.items() if ok(v)}
    for name in list(out.variables):
        out[name].attrs = {k: v for k, v in ds[name].attrs.items() if ok(v)}
    return out


def save_dataset(ds: xr.Dataset, path: str | Path) -> Path:
    """``ds.to_netcdf`` with engine h5netcdf; attributes netCDF refuses are dropped.

    h5netcdf writes through h5py; where h5py is not installed the file is written as netCDF3
    with scipy instead (with a warning), so that the demo still runs.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from nicsim.io.output import write_netcdf

    try:
        try:
            write_netcdf(ds, path, engine="h5netcdf")
        except (TypeError, ValueError):
            write_netcdf(_netcdf_ready(ds), path, engine="h5netcdf")
    except ImportError as exc:
        warnings.warn(f"h5netcdf cannot write ({exc}); writing {path.name} as netCDF3 with "
                      "scipy instead. Install h5py for netCDF4/HDF5 files.", stacklevel=2)
        write_netcdf(_netcdf_ready(ds), path, engine="scipy")
    return path


def run_demo(out_dir: str | Path, *, progress: ProgressFn | None = None,
             write_report: bool = True) -> DemoResult:
    """Simulate the four arms, save ``<arm>.nc`` files into ``out_dir`` and, unless
    ``write_report`` is false, the report (``demo.html`` and ``figures/*.png``).

    ``progress(done_arms, total_arms)`` is called before the first arm and after each arm.
    """
    from nicsim.solve.simulate import simulate

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    scenarios = build_scenarios()
    total = len(ARMS)
    if progress is not None:
        progress(0, total)
    datasets: dict[str, xr.Dataset] = {}
    table: list[dict] = []
    ncs: dict[str, Path] = {}
    for k, arm in enumerate(ARMS):
        sc = scenarios[arm.key]
        ds = simulate(sc)
        ds.attrs.update({"arm": arm.key, "arm_label": arm.label,
                         "scenario_yaml": sc.to_yaml()})
        datasets[arm.key] = ds
        table.append({"arm": arm.key, "label": arm.label, **summarize(ds, sc.start_clock_h)})
        ncs[arm.key] = save_dataset(ds, out / f"{arm.key}.nc")
        if progress is not None:
            progress(k + 1, total)
    result = DemoResult(out_dir=out, table=table, datasets=datasets, scenarios=scenarios,
                        netcdf_paths=ncs)
    if write_report:
        write_demo_report(result, out)
    return result


# ================================================================================= figures
def _x_days(ds: xr.Dataset, start_clock_h: float) -> np.ndarray:
    """Days since 00:00 of day 1."""
    return (ds.time.values + start_clock_h) / 24.0


def _intervals_days(on, off, start_clock_h: float) -> list[tuple[float, float]]:
    return [((a + start_clock_h) / 24.0, (b + start_clock_h) / 24.0)
            for a, b in zip(np.asarray(on), np.asarray(off), strict=False) if b > a]


def _periods(result: DemoResult) -> dict[str, list[tuple[float, float]]]:
    """Shaded periods (in days since 00:00 of day 1): habitual sleep, work stress, acute
    stressor and the sleep lost in the short night."""
    sc_calm = result.scenarios.get("calm") or build_scenario(ARM_BY_KEY["calm"])
    sc_stress = result.scenarios.get("stressful") or build_scenario(ARM_BY_KEY["stressful"])
    s = sc_calm.start_clock_h
    tl_c, tl_s = sc_calm.timeline(), sc_stress.timeline()
    out: dict[str, list[tuple[float, float]]] = {
        "sleep": _intervals_days(tl_c.sleep_on, tl_c.sleep_off, s)}
    for key, name in (("work", "chronic_stressor"), ("acute", "acute_stressor")):
        p = tl_s.pulses.get(name)
        out[key] = _intervals_days(p.on, p.off, s) if p is not None else []
    lost = []
    for n in np.unique(tl_s.sleep_night):
        cs = np.flatnonzero(tl_c.sleep_night == n)
        ss = np.flatnonzero(tl_s.sleep_night == n)
        if len(cs) != 1 or len(ss) != 1:
            continue
        c_on, c_off = tl_c.sleep_on[cs[0]], tl_c.sleep_off[cs[0]]
        s_on, s_off = tl_s.sleep_on[ss[0]], tl_s.sleep_off[ss[0]]
        if s_on > c_on + 1e-9:
            lost.append((c_on, min(s_on, c_off)))
        if s_off < c_off - 1e-9:
            lost.append((max(s_off, c_on), c_off))
    out["short_night"] = _intervals_days([a for a, _ in lost], [b for _, b in lost], s)
    return out


def _plot_arms(ax, result: DemoResult, var: str, *, scale: float = 1.0) -> None:
    for arm in ARMS:
        ds = result.datasets.get(arm.key)
        if ds is None or var not in ds:
            continue
        sc = result.scenarios[arm.key]
        ax.plot(_x_days(ds, sc.start_clock_h), ds[var].values * scale, color=arm.color,
                ls=arm.linestyle, lw=1.0, label=arm.label)


def _units(result: DemoResult, var: str) -> str:
    for ds in result.datasets.values():
        if var in ds:
            return str(ds[var].attrs.get("units", ""))
    return ""


def _week_panel(ax, result: DemoResult, var: str, ylabel: str, periods, *,
                stress_shading: bool = False) -> None:
    plots.shade(ax, periods["sleep"], color="#7f7f7f", alpha=0.10, label="habitual sleep")
    if stress_shading:
        plots.shade(ax, periods["work"], color="#d62728", alpha=0.12,
                    label="work stress (stressful arms)")
        plots.shade(ax, periods["acute"], color="#8b0000", alpha=0.55,
                    label="TSST-like stressor")
        plots.shade(ax, periods["short_night"], color="#6a3d9a", alpha=0.6, hatch="///",
                    label="sleep lost (short night)")
    _plot_arms(ax, result, var)
    ds0 = next(iter(result.datasets.values()))
    sc0 = next(iter(result.scenarios.values()))
    x = _x_days(ds0, sc0.start_clock_h)
    plots.week_axis(ax, float(x[0]), float(x[-1]), sc0.start_weekday_index)
    unit = _units(result, var)
    ax.set_ylabel(f"{ylabel} ({unit})" if unit and unit != "dimensionless" else ylabel)


def _legend_below(fig, ax) -> None:
    plots.add_legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4)


PANELS: tuple[tuple[str, str], ...] = (
    ("cortisol_serum", "Serum cortisol, stress periods shaded"),
    ("cortisol_serum_day3", "Serum cortisol on day 3 (Wednesday, TSST-like stressor at 14:00)"),
    ("cortisol_saliva", "Salivary cortisol"),
    ("cytokines", "Plasma IL-6 and TNF"),
    ("autonomic", "Heart rate and heart-rate variability (RMSSD)"),
    ("temperature", "Core body temperature"),
    ("perceived_stress", "Perceived stress (PSS-10 scale)"),
)


def write_figures(result: DemoResult, out_dir: str | Path) -> dict[str, Path]:
    """One PNG per panel under ``out_dir/figures`` (see :data:`PANELS`)."""
    fig_dir = Path(out_dir) / "figures"
    periods = _periods(result)
    titles = dict(PANELS)
    paths: dict[str, Path] = {}

    def single(name: str, var: str, ylabel: str, stress: bool = False) -> None:
        fig, ax = plots.new_figure(figsize=(10.0, 4.4))
        _week_panel(ax, result, var, ylabel, periods, stress_shading=stress)
        ax.set_title(titles[name], fontsize="medium")
        _legend_below(fig, ax)
        paths[name] = plots.save_figure(fig, fig_dir / f"demo_{name}.png")

    def double(name: str, v1: str, l1: str, v2: str, l2: str) -> None:
        fig, (a1, a2) = plots.new_figure(2, 1, figsize=(10.0, 6.8), sharex=True)
        _week_panel(a1, result, v1, l1, periods)
        _week_panel(a2, result, v2, l2, periods)
        a1.set_title(titles[name], fontsize="medium")
        _legend_below(fig, a2)
        paths[name] = plots.save_figure(fig, fig_dir / f"demo_{name}.png")

    single("cortisol_serum", "cortisol_serum", "serum cortisol", stress=True)
    # zoom on the TSST day: 06:00 day 3 to 06:00 day 4
    fig, ax = plots.new_figure(figsize=(10.0, 4.4))
    for arm in ARMS:
        ds, sc = result.datasets[arm.key], result.scenarios[arm.key]
        clock_abs = ds.time.values + sc.start_clock_h - 48.0   # hours since 00:00 of day 3
        sel = (clock_abs >= 6.0) & (clock_abs <= 30.0)
        ax.plot(clock_abs[sel], ds.cortisol_serum.values[sel], color=arm.color,
                ls=arm.linestyle, lw=1.2, label=arm.label)
    for key, color, alpha, label in (("work", "#d62728", 0.12, "work stress (stressful arms)"),
                                     ("acute", "#8b0000", 0.55, "TSST-like stressor"),
                                     ("sleep", "#7f7f7f", 0.10, "habitual sleep")):
        plots.shade(ax, [((a - 2) * 24.0, (b - 2) * 24.0) for a, b in periods[key]
                         if (b - 2) * 24.0 > 6.0 and (a - 2) * 24.0 < 30.0],
                    color=color, alpha=alpha, label=label)
    ax.set_xlim(6.0, 30.0)
    ax.set_xticks(np.arange(6, 31, 2))
    ax.set_xticklabels([f"{int(h) % 24:02d}:00" for h in np.arange(6, 31, 2)])
    ax.grid(True, axis="x", color="#ddd", lw=0.6)
    ax.set_xlabel("clock time (Wednesday 06:00 to Thursday 06:00)")
    ax.set_ylabel(f"serum cortisol ({_units(result, 'cortisol_serum')})")
    ax.set_title(titles["cortisol_serum_day3"], fontsize="medium")
    plots.add_legend(ax, loc="upper right")
    paths["cortisol_serum_day3"] = plots.save_figure(fig, fig_dir / "demo_cortisol_serum_day3.png")

    single("cortisol_saliva", "cortisol_saliva", "salivary cortisol")
    double("cytokines", "il6", "IL-6", "tnf", "TNF")
    double("autonomic", "heart_rate", "heart rate", "rmssd", "RMSSD")
    single("temperature", "temperature", "core temperature")
    single("perceived_stress", "perceived_stress", "perceived stress")
    return paths


# ================================================================================= report
def _fmt(x: float, spec: str) -> str:
    return "n/a" if not np.isfinite(x) else format(x, spec)


def _signed(x: float, spec: str) -> str:
    if not np.isfinite(x):
        return "n/a"
    text = format(x, "+" + spec)
    return format(0.0, spec) if float(text) == 0.0 else text


def effects(result: DemoResult) -> list[dict]:
    """Per metric: stressful - calm, and the slow-breathing effect in each context."""
    rows = []
    have = {r["arm"] for r in result.table}
    for key, header, unit, spec in METRICS:
        def d(a: str, b: str, key=key) -> float:
            if a not in have or b not in have:
                return float("nan")
            return result.row(a)[key] - result.row(b)[key]
        rows.append({"metric": key, "header": header, "unit": unit, "format": spec,
                     "stress_effect": d("stressful", "calm"),
                     "breathing_effect_calm": d("calm_breathing", "calm"),
                     "breathing_effect_stressful": d("stressful_breathing", "stressful")})
    return rows


def write_demo_report(result: DemoResult, out_dir: str | Path) -> Path:
    """Write ``out_dir/demo.html`` and its figures (``out_dir/figures/demo_*.png``)."""
    from nicsim.report.validation import provenance

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result.figure_paths = write_figures(result, out)
    prov = provenance()

    page = Page("nicsim demo: a calm and a stressful week, with and without slow breathing")
    page.paragraph(DISCLAIMER, css_class="note")
    page.paragraph(
        "A model person (female, 35 years, habitual sleep 23:00-07:00) is simulated for one "
        "week from Monday 07:00, with output every 10 min, in four arms:")
    page.bullets([f"{a.label}: {a.description}" for a in ARMS])

    page.heading("Summary", 2)
    header = ["arm"] + [f"{h} ({u})" for _, h, u, _ in METRICS]
    rows = [[r["label"]] + [Cell(_fmt(r[k], spec), "num") for k, _, _, spec in METRICS]
            for r in result.table]
    page.table(header, rows)
    page.paragraph(
        "Means are over the whole week (every 10 min). Evening cortisol is the mean of the "
        "22:00 values of the 7 days; the diurnal slope is, per day, the morning peak of serum "
        "cortisol (05:00-11:00) minus its 22:00 value, averaged over the days. Perceived stress "
        "is the PSS-10 score (0-40) at the end of the week.", css_class="meta")

    page.heading("Differences between arms", 2)
    eff = effects(result)
    page.table(["metric", "stressful - calm", "breathing effect (calm)",
                "breathing effect (stressful)"],
               [[f"{e['header']} ({e['unit']})",
                 Cell(_signed(e["stress_effect"], e["format"]), "num"),
                 Cell(_signed(e["breathing_effect_calm"], e["format"]), "num"),
                 Cell(_signed(e["breathing_effect_stressful"], e["format"]), "num")]
                for e in eff])

    page.heading("Figures", 2)
    captions = dict(PANELS)
    for name, path in result.figure_paths.items():
        rel = Path(path).relative_to(out).as_posix() if Path(path).is_relative_to(out) \
            else Path(path).as_posix()
        page.figure(rel, alt=captions.get(name, name), caption=captions.get(name, name))

    page.heading("Data", 2)
    items = []
    for a in ARMS:
        p = result.netcdf_paths.get(a.key)
        if p is not None:
            href = Path(p).name if Path(p).parent == out else Path(p).as_posix()
            items.append(link(href, f"{a.label}: {Path(p).name}"))
    if items:
        page.raw("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        page.paragraph("Each file is an xarray dataset in netCDF format (open with "
                       "xarray.open_dataset(path)); its attribute 'scenario_yaml' holds the "
                       "scenario that produced it.", css_class="meta")

    page.heading("Provenance", 2)
    fitted = ", ".join(prov["fitted_to"]) or "none recorded"
    page.paragraph(f"nicsim {prov['nicsim_version']}; parameter set '{prov['parameter_set']}' "
                   f"(code version {prov['parameter_set_code_version']}), fitted to validation "
                   f"rows {fitted}. Generated {prov['generated']}.", css_class="meta")
    result.html_path = page.write(out / "demo.html")
    return result.html_path


SHORT_LABELS = {"calm": "calm", "stressful": "stressful",
                "calm_breathing": "calm +\nbreathing",
                "stressful_breathing": "stressful +\nbreathing"}


def format_summary_table(result: DemoResult):
    """The summary as a :class:`rich.table.Table`: one row per metric, one column per arm
    (this orientation stays readable in an 80-column terminal)."""
    from rich.table import Table

    table = Table(title="nicsim demo: one week, four arms", title_justify="left")
    table.add_column("metric", ratio=1)
    for r in result.table:
        table.add_column(SHORT_LABELS.get(r["arm"], r["label"]), justify="right", no_wrap=True)
    for key, header, unit, spec in METRICS:
        table.add_row(f"{header} ({unit})", *(_fmt(r[key], spec) for r in result.table))
    table.caption = "Research/education model, not a diagnosis."
    return table


__all__ = ["ARMS", "DISCLAIMER", "METRICS", "PANELS", "Arm", "DemoResult", "build_scenario",
           "build_scenarios", "effects", "format_summary_table", "run_demo", "save_dataset",
           "summarize", "write_demo_report", "write_figures"]
