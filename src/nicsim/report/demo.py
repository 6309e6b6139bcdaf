"""The nicsim demo: eczema-prone skin through a stressful stretch, with and without a plan.

A woman of 30 with atopic-eczema-prone skin (susceptibility 1, a typical patient; distress
sensitivity 1, lesion visibility 0.5: hands and neck; habitual sleep 23:00-07:00) is simulated
for 8 weeks from Monday 07:00 (output every 10 min) after a 120-day burn-in on her habitual
schedule, which settles her usual skin (mild to moderate eczema). Four arms:

* ``calm``: her usual life, no stressful stretch (the reference);
* ``stressful``: a stressful stretch in weeks 3-6 (days 15-42): heavy work on weekdays
  09:00-18:00 (chronic stressor, load 0.7), one short night (night 37, Tuesday to Wednesday: bed
  03:00) and a TSST-like presentation on day 38 (Wednesday) at 14:00 (20 min, intensity 1);
* ``stressful_regulation``: the same with regulation practices from day 15 for 6 weeks: slow
  breathing (15 min at 07:30, 6 breaths/min) and an MBSR-style mindfulness programme (30 min
  at 20:00);
* ``stressful_plan``: the same plus skincare: an emollient twice daily (coverage 1) for the
  same 6 weeks.

The metrics differ for a reason: evening cortisol (22:00) carries the chronic load and the
evening practice, the TSST-window peak the acute reactivity, EASI, itch, TEWL and DLQI in week 6
the skin (barrier and inflammation) and the distress it causes, EASI in week 8 the recovery.

:func:`run_demo` simulates the arms, saves each dataset as ``<arm>.nc`` and (by default) writes
the report; :func:`write_demo_report` writes ``demo.html`` and its figures;
:func:`format_summary_table` gives the summary as a :class:`rich.table.Table`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr
from rich.table import Table

from nicsim.io.output import write_netcdf
from nicsim.protocols import Scenario
from nicsim.report import plots
from nicsim.report.html import Cell, Page, link
from nicsim.report.validation import provenance
from nicsim.solve.simulate import simulate

ProgressFn = Callable[[int, int], None]

PERSON = {"sex": "female", "age": 30, "sleep": {"bedtime": "23:00", "wake": "07:00"},
          "susceptibility": {"eczema": 1.0}, "distress_sensitivity": 1.0,
          "lesion_visibility": 0.5}
#: hold the inflammaging clock at her age: over 8 weeks it is negligible, and without a steady
#: state the burn-in would not settle (see docs/vicious_cycle.md, "Ageing")
PARAMETERS = {"competence.age_rate": 0.0}
START, START_WEEKDAY, DURATION, INTERVAL = "07:00", "monday", "8 weeks", "10 min"
BURN_IN_DAYS = 120   # habitual days before day 1: the skin settles to her usual state

STRETCH_DAYS = (15, 42)    # the stressful stretch, weeks 3-6 (inclusive day numbers)
PLAN_DAYS = (15, 56)       # the plan, 6 weeks from the first day of the stretch
TSST_DAY, TSST_CLOCK = 38, 14.0
WEEK6, WEEK8 = (36, 42), (50, 56)

DISCLAIMER = (
    "This is a research and education model, not a diagnosis: the curves are simulations of a "
    "model person built from published average physiology, not measurements or predictions for "
    "any real individual, and they must not be used for medical decisions.")

STRESS_EVENTS: list[dict] = [
    {"type": "chronic_stressor", "start": "day 15", "period": "28 days", "load": 0.7,
     "daily_window": {"from": "09:00", "to": "18:00"}, "weekdays_only": True},
    {"type": "sleep_deprivation", "night": 37, "bedtime": "03:00", "wake": "07:00"},
    {"type": "acute_stressor", "start": "day 38 14:00", "duration": "20 min", "intensity": 1.0},
]
REGULATION_EVENTS: list[dict] = [
    {"type": "slow_breathing", "start": "day 15 07:30", "session": "15 min", "days": 42,
     "rate": "6 /min"},
    {"type": "mindfulness_programme", "start": "day 15 20:00", "weeks": 6,
     "daily_practice": "30 min"},
]
SKINCARE_EVENTS: list[dict] = [
    {"type": "emollient", "start": "day 15", "period": "42 days", "coverage": 1.0},
]


@dataclass(frozen=True)
class Arm:
    key: str
    label: str
    stress: bool
    regulation: bool
    skincare: bool
    color: str
    linestyle: str

    @property
    def description(self) -> str:
        parts = ["stressful stretch in weeks 3-6: work 09:00-18:00 on weekdays (load 0.7), "
                 "short night before day 38 (bed 03:00), TSST-like presentation day 38 14:00"
                 if self.stress else "usual life, no stressful stretch"]
        if self.regulation:
            parts.append("regulation practices for 6 weeks from day 15: slow breathing 6 /min "
                         "15 min at 07:30, mindfulness 30 min at 20:00")
        if self.skincare:
            parts.append("skincare: emollient twice daily for the same 6 weeks")
        return "; ".join(parts)

    def protocol(self) -> list[dict]:
        return ([dict(e) for e in STRESS_EVENTS] if self.stress else []) + (
            [dict(e) for e in REGULATION_EVENTS] if self.regulation else []) + (
            [dict(e) for e in SKINCARE_EVENTS] if self.skincare else [])


ARMS: tuple[Arm, ...] = (
    Arm("calm", "no stressful stretch", False, False, False, "#1f77b4", "-"),
    Arm("stressful", "stressful stretch", True, False, False, "#d62728", "-"),
    Arm("stressful_regulation", "stressful + regulation practices", True, True, False,
        "#ff7f0e", "--"),
    Arm("stressful_plan", "stressful + regulation + skincare (the plan)", True, True, True,
        "#2ca02c", "-"),
)
ARM_BY_KEY = {a.key: a for a in ARMS}


def build_scenario(arm: Arm):
    return Scenario.from_dict({
        "name": f"demo-{arm.key}", "description": f"nicsim demo, {arm.label}: {arm.description}",
        "start": START, "start_weekday": START_WEEKDAY, "duration": DURATION,
        "output_interval": INTERVAL, "person": PERSON, "parameters": dict(PARAMETERS),
        "protocol": arm.protocol()})


def build_scenarios() -> dict:
    """The four demo scenarios, by arm key."""
    return {a.key: build_scenario(a) for a in ARMS}


# ================================================================================= metrics
#: (key, header, unit, format) of the summary table columns
METRICS: tuple[tuple[str, str, str, str], ...] = (
    ("cortisol_evening", "cortisol at 22:00, wk 3-6", "nmol/L", ".0f"),
    ("tsst_peak", "peak cortisol, TSST window", "nmol/L", ".0f"),
    ("rmssd_mean", "RMSSD, wk 3-6", "ms", ".1f"),
    ("perceived_stress", "perceived stress, end wk 6", "PSS-10", ".1f"),
    ("easi_week6", "EASI, wk 6", "0-72", ".1f"),
    ("itch_week6", "eczema itch, wk 6", "NRS 0-10", ".1f"),
    ("tewl_week6", "TEWL (barrier), wk 6", "g/m²/h", ".2f"),
    ("dlqi_week6", "skin distress DLQI, wk 6", "0-30", ".1f"),
    ("easi_week8", "EASI, wk 8", "0-72", ".1f"),
)
EVENING_CLOCK = 22.0


def _day_number(ds: xr.Dataset, start_clock_h: float) -> np.ndarray:
    """1-based day of each sample (day 1 starts at 00:00 of the first day)."""
    return np.floor((ds.time.values + start_clock_h) / 24.0).astype(int) + 1


def _clock_time(day: int, clock_h: float, start_clock_h: float) -> float:
    """Hours since the start of the scenario at ``clock_h`` of day ``day``."""
    return (day - 1) * 24.0 + clock_h - start_clock_h


def _days_mean(ds: xr.Dataset, var: str, days: tuple[int, int], start_clock_h: float) -> float:
    d = _day_number(ds, start_clock_h)
    sel = (d >= days[0]) & (d <= days[1])
    return float(ds[var].values[sel].mean()) if sel.any() else float("nan")


def summarize(ds: xr.Dataset, start_clock_h: float) -> dict[str, float]:
    """The summary metrics of one arm (see :data:`METRICS`)."""
    t = ds.time.values
    cort = ds.cortisol_serum.values
    evening_t = np.array([_clock_time(d, EVENING_CLOCK, start_clock_h)
                          for d in range(STRETCH_DAYS[0], STRETCH_DAYS[1] + 1)])
    evening_t = evening_t[(evening_t >= t[0]) & (evening_t <= t[-1])]
    t0 = _clock_time(TSST_DAY, TSST_CLOCK, start_clock_h)
    win = (t >= t0) & (t <= t0 + 2.0)
    end6 = _clock_time(WEEK6[1] + 1, 0.0, start_clock_h)
    return {
        "cortisol_evening": float(np.interp(evening_t, t, cort).mean())
        if evening_t.size else float("nan"),
        "tsst_peak": float(cort[win].max()) if win.any() else float("nan"),
        "rmssd_mean": _days_mean(ds, "rmssd", STRETCH_DAYS, start_clock_h),
        "perceived_stress": float(np.interp(end6, t, ds.perceived_stress.values)),
        "easi_week6": _days_mean(ds, "easi", WEEK6, start_clock_h),
        "itch_week6": _days_mean(ds, "eczema_itch", WEEK6, start_clock_h),
        "tewl_week6": _days_mean(ds, "tewl", WEEK6, start_clock_h),
        "dlqi_week6": _days_mean(ds, "dlqi", WEEK6, start_clock_h),
        "easi_week8": _days_mean(ds, "easi", WEEK8, start_clock_h),
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


def run_demo(out_dir: str | Path, *, progress: ProgressFn | None = None,
             write_report: bool = True) -> DemoResult:
    """Simulate the four arms, save ``<arm>.nc`` files into ``out_dir`` and, unless
    ``write_report`` is false, the report (``demo.html`` and ``figures/*.png``).

    ``progress(done_arms, total_arms)`` is called before the first arm and after each arm.
    """
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
        ds = simulate(sc, burn_in_days=BURN_IN_DAYS)
        ds.attrs.update({"arm": arm.key, "arm_label": arm.label,
                         "scenario_yaml": sc.to_yaml()})
        datasets[arm.key] = ds
        table.append({"arm": arm.key, "label": arm.label, **summarize(ds, sc.start_clock_h)})
        ncs[arm.key] = write_netcdf(ds, out / f"{arm.key}.nc")
        if progress is not None:
            progress(k + 1, total)
    result = DemoResult(out_dir=out, table=table, datasets=datasets, scenarios=scenarios,
                        netcdf_paths=ncs)
    if write_report:
        write_demo_report(result, out)
    return result


# ================================================================================= figures
def _weeks(t_h: np.ndarray, start_clock_h: float) -> np.ndarray:
    """Weeks since 00:00 of day 1."""
    return (np.asarray(t_h) + start_clock_h) / (7 * 24.0)


def daily_stats(ds: xr.Dataset, var: str, start_clock_h: float):
    """Per whole day: (day centre in weeks since 00:00 of day 1, mean, min, max)."""
    d = _day_number(ds, start_clock_h)
    v = ds[var].values
    days = [k for k in np.unique(d) if (d == k).sum() >= 0.9 * (d == np.median(d)).sum()]
    x = np.array([(k - 0.5) / 7.0 for k in days])
    mean = np.array([v[d == k].mean() for k in days])
    lo = np.array([v[d == k].min() for k in days])
    hi = np.array([v[d == k].max() for k in days])
    return x, mean, lo, hi


def _context(ax, *, legend: bool = False) -> None:
    """Shade the stressful stretch, mark the TSST-like presentation and the plan's weeks."""
    a, b = (STRETCH_DAYS[0] - 1) / 7.0, STRETCH_DAYS[1] / 7.0
    ax.axvspan(a, b, color="#d62728", alpha=0.08, lw=0, zorder=0,
               label="stressful stretch (stressful arms)")
    p0, p1 = (PLAN_DAYS[0] - 1) / 7.0, PLAN_DAYS[1] / 7.0
    ax.axvspan(p0, p1, ymin=0.965, ymax=1.0, color="#2ca02c", alpha=0.55, lw=0,
               label="regulation practices / skincare (plan arms)")
    x_tsst = ((TSST_DAY - 1) * 24.0 + TSST_CLOCK) / (7 * 24.0)
    ax.axvline(x_tsst, color="#8b0000", lw=0.8, ls=":", label="TSST-like presentation")
    ax.set_xlim(0.0, 8.0)
    ax.set_xticks(np.arange(0, 9))
    ax.grid(True, axis="x", color="#ddd", lw=0.6)


def _daily_panel(ax, result: DemoResult, var: str, ylabel: str, *, envelope: bool) -> None:
    for arm in ARMS:
        ds = result.datasets.get(arm.key)
        if ds is None or var not in ds:
            continue
        s = result.scenarios[arm.key].start_clock_h
        x, mean, lo, hi = daily_stats(ds, var, s)
        if envelope:
            ax.fill_between(x, lo, hi, color=arm.color, alpha=0.10, lw=0)
        ax.plot(x, mean, color=arm.color, ls=arm.linestyle, lw=1.6, label=arm.label)
    unit = _units(result, var)
    ax.set_ylabel(f"{ylabel} ({unit})" if unit and unit not in ("dimensionless", "score")
                  else ylabel)
    _context(ax)


UNIT_TEXT = {"g/m**2/hour": "g/m²/h"}


def _units(result: DemoResult, var: str) -> str:
    for ds in result.datasets.values():
        if var in ds:
            unit = str(ds[var].attrs.get("units", ""))
            return UNIT_TEXT.get(unit, unit)
    return ""


def _legend_below(fig, ax, ncol: int = 3) -> None:
    plots.add_legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=ncol)


PANELS: tuple[tuple[str, str], ...] = (
    ("skin", "The skin: EASI, eczema itch, barrier (TEWL) and skin distress (DLQI), daily "
             "means (bands: lowest to highest value of the day)"),
    ("stress", "The stress systems: perceived stress, cortisol at 22:00 each evening and "
               "heart-rate variability (RMSSD, daily mean)"),
    ("tsst_day", "Day 38 (Wednesday): serum and salivary cortisol around the TSST-like "
                 "presentation at 14:00, after a short night"),
)


def write_figures(result: DemoResult, out_dir: str | Path) -> dict[str, Path]:
    """One PNG per panel under ``out_dir/figures`` (see :data:`PANELS`)."""
    fig_dir = Path(out_dir) / "figures"
    titles = dict(PANELS)
    paths: dict[str, Path] = {}
    xlabel = "weeks since the start (Monday); the stressful stretch is weeks 3-6"

    # ---- the skin
    fig, axes = plots.new_figure(2, 2, figsize=(11.0, 7.2), sharex=True)
    for ax, (var, lab, env) in zip(axes.flat, (
            ("easi", "EASI (0-72)", False), ("eczema_itch", "eczema itch (NRS 0-10)", True),
            ("tewl", "TEWL", True), ("dlqi", "DLQI (0-30)", False)), strict=True):
        _daily_panel(ax, result, var, lab, envelope=env)
    for ax in axes[1]:
        ax.set_xlabel(xlabel, fontsize="small")
    fig.suptitle(plots.wrap_title(titles["skin"], 110), fontsize="medium")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize="small", framealpha=0.9)
    fig.subplots_adjust(bottom=0.17, top=0.91, hspace=0.12, wspace=0.22)
    paths["skin"] = _save(fig, fig_dir / "demo_skin.png")

    # ---- the stress systems
    fig, axes = plots.new_figure(3, 1, figsize=(10.0, 8.4), sharex=True)
    _daily_panel(axes[0], result, "perceived_stress", "perceived stress (PSS-10)",
                 envelope=False)
    for arm in ARMS:
        ds = result.datasets.get(arm.key)
        if ds is None:
            continue
        s = result.scenarios[arm.key].start_clock_h
        t = ds.time.values
        days = np.arange(1, int(_day_number(ds, s).max()) + 1)
        te = np.array([_clock_time(d, EVENING_CLOCK, s) for d in days])
        te = te[(te >= t[0]) & (te <= t[-1])]
        axes[1].plot(_weeks(te, s), np.interp(te, t, ds.cortisol_serum.values), marker=".",
                     ms=3, color=arm.color, ls=arm.linestyle, lw=1.2, label=arm.label)
    axes[1].set_ylabel(f"serum cortisol at 22:00 ({_units(result, 'cortisol_serum')})")
    _context(axes[1])
    _daily_panel(axes[2], result, "rmssd", "RMSSD", envelope=False)
    axes[2].set_xlabel(xlabel, fontsize="small")
    axes[0].set_title(plots.wrap_title(titles["stress"], 100), fontsize="medium")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize="small", framealpha=0.9)
    fig.subplots_adjust(bottom=0.12, top=0.94, hspace=0.10)
    paths["stress"] = _save(fig, fig_dir / "demo_stress.png")

    # ---- the TSST day, clock time, serum and salivary cortisol on their own axes
    fig, (a1, a2) = plots.new_figure(2, 1, figsize=(10.0, 6.6), sharex=True)
    for arm in ARMS:
        ds, sc = result.datasets[arm.key], result.scenarios[arm.key]
        h = ds.time.values + sc.start_clock_h - (TSST_DAY - 1) * 24.0  # hours since 00:00
        sel = (h >= 6.0) & (h <= 30.0)
        for ax, var in ((a1, "cortisol_serum"), (a2, "cortisol_saliva")):
            ax.plot(h[sel], ds[var].values[sel], color=arm.color, ls=arm.linestyle, lw=1.3,
                    label=arm.label)
    for ax, var, lab in ((a1, "cortisol_serum", "serum cortisol"),
                         (a2, "cortisol_saliva", "salivary cortisol")):
        ax.axvspan(9.0, 18.0, color="#d62728", alpha=0.08, lw=0, zorder=0,
                   label="work 09:00-18:00 (stressful arms)")
        ax.axvspan(TSST_CLOCK, TSST_CLOCK + 20 / 60, color="#8b0000", alpha=0.5, lw=0,
                   label="TSST-like presentation 14:00-14:20")
        ax.axvspan(23.0, 30.0, color="#7f7f7f", alpha=0.10, lw=0, zorder=0,
                   label="habitual sleep")
        ax.axvspan(6.0, 7.0, color="#7f7f7f", alpha=0.10, lw=0, zorder=0)
        ax.set_ylabel(f"{lab} ({_units(result, var)})")
        ax.grid(True, axis="x", color="#ddd", lw=0.6)
    a2.set_xlim(6.0, 30.0)
    a2.set_xticks(np.arange(6, 31, 2))
    a2.set_xticklabels([f"{int(h) % 24:02d}:00" for h in np.arange(6, 31, 2)])
    a2.set_xlabel("clock time, day 38 (Wednesday) 06:00 to day 39 06:00")
    a1.set_title(plots.wrap_title(titles["tsst_day"], 100), fontsize="medium")
    handles, labels = a1.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize="small", framealpha=0.9)
    fig.subplots_adjust(bottom=0.2, top=0.92, hspace=0.08)
    paths["tsst_day"] = _save(fig, fig_dir / "demo_tsst_day.png")
    return paths


def _save(fig, path: Path) -> Path:
    """Save without tight_layout (the figure-level legend is placed by hand)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=plots.DPI, format="png")
    fig.clear()
    return path


# ================================================================================= report
def _fmt(x: float, spec: str) -> str:
    return "n/a" if not np.isfinite(x) else format(x, spec)


def _signed(x: float, spec: str) -> str:
    if not np.isfinite(x):
        return "n/a"
    text = format(x, "+" + spec)
    return format(0.0, spec) if float(text) == 0.0 else text


def effects(result: DemoResult) -> list[dict]:
    """Per metric: what the stressful stretch does (stressful - calm), what the regulation
    practices change under it (regulation - stressful) and what skincare adds on top of them
    (plan - regulation)."""
    rows = []
    have = {r["arm"] for r in result.table}
    for key, header, unit, spec in METRICS:
        def d(a: str, b: str, key=key) -> float:
            if a not in have or b not in have:
                return float("nan")
            return result.row(a)[key] - result.row(b)[key]
        rows.append({"metric": key, "header": header, "unit": unit, "format": spec,
                     "stress_effect": d("stressful", "calm"),
                     "regulation_effect": d("stressful_regulation", "stressful"),
                     "skincare_effect": d("stressful_plan", "stressful_regulation"),
                     "plan_effect": d("stressful_plan", "stressful")})
    return rows


def write_demo_report(result: DemoResult, out_dir: str | Path) -> Path:
    """Write ``out_dir/demo.html`` and its figures (``out_dir/figures/demo_*.png``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result.figure_paths = write_figures(result, out)
    prov = provenance()

    page = Page("nicsim demo: eczema-prone skin through a stressful stretch, with and without "
                "a plan")
    page.paragraph(DISCLAIMER, css_class="note")
    page.paragraph(
        "A model person (female, 30 years, habitual sleep 23:00-07:00) has atopic-eczema-prone "
        "skin (susceptibility 1, a typical patient; visible patches on hands and neck). After "
        f"{BURN_IN_DAYS} days of her usual life (which settle her skin) she is simulated for 8 "
        "weeks from Monday 07:00, with output every 10 min, in four arms:")
    page.bullets([f"{a.label}: {a.description}" for a in ARMS])
    page.paragraph(
        "What to look for: stress reaches the skin through cortisol, the autonomic nervous "
        "system and inflammation; the eczema worsens, itches and costs barrier function (TEWL "
        "rises), and the visible skin adds distress (DLQI), which feeds back into perceived "
        "stress. Regulation practices lower the evening cortisol and the reaction to the "
        "presentation and raise heart-rate variability; skincare (the emollient) on top brings "
        "eczema, itch and skin distress back to about her usual state.")

    page.heading("Summary", 2)
    header = ["arm"] + [f"{h} ({u})" for _, h, u, _ in METRICS]
    rows = [[r["label"]] + [Cell(_fmt(r[k], spec), "num") for k, _, _, spec in METRICS]
            for r in result.table]
    page.table(header, rows)
    page.paragraph(
        "Evening cortisol is the mean of the 22:00 serum values over the stressful stretch "
        f"(days {STRETCH_DAYS[0]}-{STRETCH_DAYS[1]}, the same days in every arm); the TSST-window "
        f"peak is the highest serum cortisol from 14:00 to 16:00 on day {TSST_DAY}; RMSSD is the "
        "mean over the stretch; perceived stress is the PSS-10 score (0-40) at the end of week "
        "6; EASI, itch, TEWL and DLQI are means over week 6 (the last week of the stretch) and "
        "EASI in week 8 (two weeks after it).", css_class="meta")

    page.heading("Differences between arms", 2)
    eff = effects(result)
    page.table(["metric", "stressful - no stretch", "regulation practices (vs stressful)",
                "skincare on top (vs regulation)", "the plan (vs stressful)"],
               [[f"{e['header']} ({e['unit']})",
                 Cell(_signed(e["stress_effect"], e["format"]), "num"),
                 Cell(_signed(e["regulation_effect"], e["format"]), "num"),
                 Cell(_signed(e["skincare_effect"], e["format"]), "num"),
                 Cell(_signed(e["plan_effect"], e["format"]), "num")]
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


SHORT_LABELS = {"calm": "no\nstretch", "stressful": "stress-\nful",
                "stressful_regulation": "+ regu-\nlation", "stressful_plan": "+ plan"}


def format_summary_table(result: DemoResult):
    """The summary as a :class:`rich.table.Table`: one row per metric, one column per arm
    (this orientation stays readable in an 80-column terminal)."""
    table = Table(title="nicsim demo: eczema-prone skin, 8 weeks, four arms",
                  title_justify="left")
    table.add_column("metric", ratio=1)
    for r in result.table:
        table.add_column(SHORT_LABELS.get(r["arm"], r["label"]), justify="right", no_wrap=True)
    for key, header, unit, spec in METRICS:
        table.add_row(f"{header} ({unit})", *(_fmt(r[key], spec) for r in result.table))
    table.caption = ("wk 3-6: the stressful stretch (absent in the first column); + plan: "
                     "regulation practices and skincare, wk 3-8. Research/education model, not "
                     "a diagnosis.")
    return table


__all__ = ["ARMS", "DISCLAIMER", "METRICS", "PANELS", "Arm", "DemoResult", "build_scenario",
           "build_scenarios", "effects", "format_summary_table", "run_demo",
           "summarize", "write_demo_report", "write_figures"]
