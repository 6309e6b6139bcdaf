"""One figure for one simulated scenario: the protocol and the observables that move.

* x axis in clock time: hours of the day for runs up to 3 days, weekdays for runs up to 3
  weeks, weeks for longer runs (then each panel shows daily means with a band from the lowest
  to the highest value of each day, so that months of daily rhythm stay readable);
* one panel per quantity, each on its own axis (salivary and serum cortisol are not mixed);
  skin panels (PASI, EASI, acne, itch, TEWL, DLQI, ...) appear when the skin responds;
* a protocol track on top: one row per event with its periods (bars) and one-off events
  (markers); with few events their periods are also shaded in every panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nicsim.protocols.scenario import NIGHT_INPUTS
from nicsim.report import plots

#: (variables sharing one axis, label); order = order of the panels
PANELS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("pasi",), "PASI (0-72)"),
    (("easi",), "EASI (0-72)"),
    (("acne_lesions",), "acne lesions"),
    (("rosacea_erythema",), "rosacea erythema"),
    (("vitiligo_bsa",), "vitiligo (% BSA)"),
    (("wound_area_skin", "wound_area_mucosal"), "wound area"),
    (("eczema_itch", "itch"), "itch (NRS 0-10)"),
    (("tewl",), "TEWL (barrier)"),
    (("dlqi",), "skin distress, DLQI (0-30)"),
    (("perceived_stress",), "perceived stress (PSS-10)"),
    (("mood",), "mood"),
    (("cortisol_serum",), "serum cortisol"),
    (("cortisol_saliva",), "salivary cortisol"),
    (("acth",), "ACTH"),
    (("tnf", "il6", "il10", "il1b"), "plasma cytokines"),
    (("heart_rate",), "heart rate"),
    (("rmssd",), "RMSSD"),
    (("temperature",), "core temperature"),
    (("mindfulness",), "mindfulness skill"),
)
#: a skin panel is shown when its variable exceeds this (else the person has no such skin
#: condition and the panel would be a flat zero)
SKIN_SEVERITY = {"pasi": 0.5, "easi": 0.5, "acne_lesions": 1.0, "rosacea_erythema": 0.05,
                 "vitiligo_bsa": 0.5, "wound_area_skin": 1e-3, "wound_area_mucosal": 1e-3}
#: shown only with a skin panel, or when they vary by more than 10 % and by more than this
#: absolute span (in display units) over the run
SKIN_COMPANIONS = {"eczema_itch": 0.2, "itch": 0.2, "tewl": 0.5, "dlqi": 0.3}
#: shown only when they vary by more than 5 % over the run
OPTIONAL = ("mood", "mindfulness")
MAX_PANELS = 12
UNIT_TEXT = {"g/m**2/hour": "g/m²/h", "degC": "°C", "dimensionless": "", "score": "",
             "1/minute": "bpm"}
WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COLORS = ("#d62728", "#2ca02c", "#1f77b4", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
          "#17becf", "#bcbd22", "#7f7f7f")


@dataclass
class _Axis:
    """The time axis: x = (t + start clock) / unit."""

    mode: str            # "hours", "days" or "weeks"
    unit_h: float
    start_clock_h: float
    weekday: int | None

    def x(self, t_h):
        return (np.asarray(t_h, dtype=float) + self.start_clock_h) / self.unit_h


def _time_axis(duration_h: float, start_clock_h: float, weekday: int | None) -> _Axis:
    if duration_h <= 72.0 + 1e-9:
        return _Axis("hours", 1.0, start_clock_h, weekday)
    if duration_h <= 21 * 24.0 + 1e-9:
        return _Axis("days", 24.0, start_clock_h, weekday)
    return _Axis("weeks", 168.0, start_clock_h, weekday)


def _format_axis(ax, axis: _Axis, x0: float, x1: float) -> str:
    """Ticks and grid for the axis mode; returns the x label."""
    ax.set_xlim(x0, x1)
    if axis.mode == "hours":
        step = 2 if x1 - x0 <= 30 else 4 if x1 - x0 <= 50 else 6
        ticks = np.arange(np.ceil(x0 / step) * step, x1 + 1e-9, step)
        ax.set_xticks(ticks)
        labels = []
        for h in ticks:
            lab = f"{int(h) % 24:02d}:00"
            if int(h) % 24 == 0:
                day = int(h // 24) + 1
                wd = f"{WEEKDAY[(axis.weekday + day - 1) % 7]} " if axis.weekday is not None \
                    else ""
                lab += f"\n{wd}day {day}"
            labels.append(lab)
        ax.set_xticklabels(labels)
        ax.grid(True, axis="x", color="#e4e4e4", lw=0.6)
        return "clock time"
    if axis.mode == "days":
        plots.week_axis(ax, x0, x1, axis.weekday if axis.weekday is not None else 0)
        if axis.weekday is None:
            mids = np.arange(np.floor(x0), np.ceil(x1)) + 0.5
            keep = (mids >= x0) & (mids <= x1)
            ax.set_xticklabels([f"day {int(m) + 1}" for m in mids[keep]], minor=True)
        ax.set_xlim(x0, x1)
        return "day (gridlines at midnight)"
    span = x1 - x0
    step = 1 if span <= 12 else 2 if span <= 30 else 4 if span <= 60 else 8
    ax.set_xticks(np.arange(np.ceil(x0 / step) * step, x1 + 1e-9, step))
    ax.grid(True, axis="x", color="#e4e4e4", lw=0.6)
    ax.set_xlim(x0, x1)
    return "weeks since the start (daily means; bands: lowest to highest value of each day)"


def _daily(t, v, start_clock_h):
    """Daily mean, min and max at the middle of each (complete) day; x in hours."""
    day = np.floor((t + start_clock_h) / 24.0).astype(int)
    days, counts = np.unique(day, return_counts=True)
    full = days[counts >= 0.8 * counts.max()] if counts.size else days
    xm = np.array([(d + 0.5) * 24.0 - start_clock_h for d in full])
    mean = np.array([v[day == d].mean() for d in full])
    lo = np.array([v[day == d].min() for d in full])
    hi = np.array([v[day == d].max() for d in full])
    return xm, mean, lo, hi


def _select_panels(ds) -> list[tuple[tuple[str, ...], str]]:
    def varies(name: str, rel: float, absolute: float = 0.0) -> bool:
        v = ds[name].values
        span = float(np.nanmax(v) - np.nanmin(v))
        return span > max(rel * abs(float(np.nanmean(v))), absolute, 1e-12)

    severity = {n for n, thr in SKIN_SEVERITY.items()
                if n in ds and float(np.nanmax(ds[n].values)) > thr}
    out = []
    for group, label in PANELS:
        names = [n for n in group if n in ds]
        if not names:
            continue
        if group[0] in SKIN_SEVERITY:
            names = [n for n in names if n in severity]
        elif group[0] in SKIN_COMPANIONS:
            names = [n for n in names
                     if severity or varies(n, 0.10, SKIN_COMPANIONS.get(n, 0.0))]
        elif group[0] in OPTIONAL:
            names = [n for n in names if varies(n, 0.05)]
        if names:
            out.append((tuple(names), label))
    return out[:MAX_PANELS]


def _unit(ds, name: str) -> str:
    u = str(ds[name].attrs.get("units", ""))
    return UNIT_TEXT.get(u, u)


# ================================================================================= protocol
@dataclass
class _EventRow:
    label: str
    spans: list[tuple[float, float]]   # hours
    marks: list[float]                 # hours (one-off events: boluses, wounds, UVB sessions)


def _merge(spans: list[tuple[float, float]], gap_h: float) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a - out[-1][1] <= gap_h:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _event_rows(scenario, ds, axis: _Axis) -> list[_EventRow]:
    """One row per protocol event (from the scenario's timeline), or per active protocol
    input of the dataset when no scenario is given."""
    gap = {"hours": 0.0, "days": 3.0, "weeks": 100.0}[axis.mode]
    rows: list[_EventRow] = []
    if scenario is not None:
        tl = scenario.timeline()
        for i, ev in enumerate(scenario.protocol):
            spans: list[tuple[float, float]] = []
            marks: list[float] = []
            for name, p in tl.pulses.items():
                if name in NIGHT_INPUTS:
                    continue
                sel = p.source == i
                spans += [(float(a), float(b)) for a, b in zip(p.on[sel], p.off[sel],
                                                                strict=True)]
            for j in tl.jumps.values():
                marks += [float(x) for x in j.t[j.source == i]]
            if axis.mode == "weeks" and len(marks) > 3:  # a series of sessions: one period
                spans += [(m, m + 1.0) for m in marks]
                marks = []
            if spans or marks:
                rows.append(_EventRow(ev.type.replace("_", " "), _merge(spans, gap), marks))
        # sleep changes (sleep_deprivation, sleep_schedule) act on the sleep windows
        return rows
    t = ds.time.values
    for name in ds.data_vars:
        if not name.startswith("input_") or name[len("input_"):] in NIGHT_INPUTS:
            continue
        active = ds[name].values > 0
        if active.any():
            rows.append(_EventRow(name[len("input_"):].replace("_", " "),
                                  _merge(plots.spans(t, active), gap), []))
    return rows


def _draw_track(ax, rows: list[_EventRow], axis: _Axis, *, labels: bool = True) -> None:
    for k, row in enumerate(rows):
        y = len(rows) - 1 - k
        color = COLORS[k % len(COLORS)]
        for a, b in row.spans:
            xa, xb = axis.x(a), axis.x(b)
            ax.broken_barh([(xa, max(xb - xa, 0.004 * (ax.get_xlim()[1] - ax.get_xlim()[0])))],
                           (y - 0.35, 0.7), color=color, alpha=0.8, lw=0)
        if row.marks:
            ax.plot(axis.x(row.marks), [y] * len(row.marks), ls="none", marker="v",
                    color=color, ms=6)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.label for r in reversed(rows)] if labels else [], fontsize="small")
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_title("protocol", fontsize="small", loc="left")
    ax.grid(True, axis="x", color="#e4e4e4", lw=0.6)


def _min_span(ax, values, rel: float = 0.05) -> None:
    """A nearly flat curve is drawn flat: the y range covers at least ``rel`` of its level."""
    v = np.concatenate([np.asarray(x, dtype=float).ravel() for x in values])
    lo, hi = float(np.nanmin(v)), float(np.nanmax(v))
    need = rel * max(abs(lo), abs(hi))
    if need > 0 and hi - lo < need:
        mid = 0.5 * (lo + hi)
        ax.set_ylim(mid - need / 2, mid + need / 2)
    ax.ticklabel_format(axis="y", useOffset=False)


# ================================================================================= figure
def plot_scenario(ds, path: Path | str, *, title: str | None = None, scenario=None) -> Path:
    """Write the scenario figure to ``path`` (PNG). ``scenario`` (the
    :class:`~nicsim.protocols.Scenario` that produced ``ds``) adds the protocol track by
    event and the weekday names; without it the track shows the active protocol inputs."""
    t = ds.time.values
    if scenario is not None:
        start_clock, weekday = scenario.start_clock_h, scenario.start_weekday_index
    else:
        hh, mm = str(ds.attrs.get("start_clock", "00:00")).split(":")[:2]
        start_clock, weekday = int(hh) + int(mm) / 60.0, None
    axis = _time_axis(float(t[-1] - t[0]), start_clock, weekday)
    panels = _select_panels(ds)
    rows = _event_rows(scenario, ds, axis)
    n = len(panels)
    ncols = 2 if n > 6 else 1
    nrows_data = int(np.ceil(n / ncols))
    track_h = 0.24 * max(len(rows), 1) + 0.5 if rows else 0.0
    fig_w = 14.0 if ncols == 2 else 10.0
    fig_h = track_h + 2.0 * nrows_data + 1.2
    # lazy: matplotlib is heavy; only drawing needs it
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # lazy: matplotlib is heavy; only drawing needs it
    from matplotlib.figure import Figure

    fig = Figure(figsize=(fig_w, fig_h))
    FigureCanvasAgg(fig)
    ratios = ([track_h] if rows else []) + [2.0] * nrows_data
    gs = fig.add_gridspec(len(ratios), ncols, height_ratios=ratios, hspace=0.35, wspace=0.25)
    x0, x1 = float(axis.x(t[0])), float(axis.x(t[-1]))
    ref = None
    for c in range(ncols if rows else 0):  # a protocol track above each column of panels
        ax_track = fig.add_subplot(gs[0, c], sharex=ref)
        ax_track.set_xlim(x0, x1)
        _draw_track(ax_track, rows, axis, labels=c == 0)
        _format_axis(ax_track, axis, x0, x1)
        ax_track.tick_params(axis="x", which="both", labelbottom=False)
        ref = ref or ax_track
    shade_rows = rows if len(rows) <= 4 else []
    asleep = ds["input_asleep"].values > 0.5 if "input_asleep" in ds else None
    axes = []
    for k, (names, label) in enumerate(panels):
        r, c = (k // ncols) + (1 if rows else 0), k % ncols
        ax = fig.add_subplot(gs[r, c], sharex=ref)
        ref = ref or ax
        axes.append(ax)
        if asleep is not None and axis.mode != "weeks":
            plots.shade(ax, [(axis.x(a), axis.x(b)) for a, b in plots.spans(t, asleep)],
                        color="#7f7f7f", alpha=0.10)
        for j, row in enumerate(shade_rows):
            plots.shade(ax, [(axis.x(a), axis.x(b)) for a, b in row.spans],
                        color=COLORS[j % len(COLORS)], alpha=0.10)
            for m in row.marks:
                ax.axvline(axis.x(m), color=COLORS[j % len(COLORS)], lw=0.8, ls=":")
        for name in names:
            v = ds[name].values
            lab = name if len(names) > 1 else None
            if axis.mode == "weeks" and len(t) > 1 and (t[1] - t[0]) < 24.0:
                xm, mean, lo, hi = _daily(t, v, start_clock)
                line, = ax.plot(axis.x(xm), mean, lw=1.4, label=lab)
                ax.fill_between(axis.x(xm), lo, hi, color=line.get_color(), alpha=0.2, lw=0)
            else:
                ax.plot(axis.x(t), v, lw=1.1, label=lab)
        _min_span(ax, [ds[nm].values for nm in names])
        units = {_unit(ds, nm) for nm in names}
        unit = units.pop() if len(units) == 1 else ""
        ax.set_ylabel(f"{label}\n({unit})" if unit else label, fontsize="small")
        if len(names) > 1:
            ax.legend(loc="best", fontsize="x-small", ncol=len(names), framealpha=0.8)
        xlabel = _format_axis(ax, axis, x0, x1)
        last_row = (k + ncols >= n)
        if last_row:
            ax.set_xlabel(xlabel, fontsize="small")
        else:
            ax.tick_params(axis="x", which="both", labelbottom=False)
    head = title or ds.attrs.get("scenario", "")
    note = "grey: habitual sleep; " if asleep is not None and axis.mode != "weeks" else ""
    note += "shaded/dotted: the protocol events above" if shade_rows else ""
    fig.suptitle(head + (f"\n{note}" if note else ""), fontsize="medium")
    longest = max((len(r.label) for r in rows), default=0)
    left = max(0.09, (0.5 + 0.075 * longest) / fig_w)   # room for the track's row labels
    fig.subplots_adjust(left=left, right=0.98, top=1 - 0.75 / fig_h, bottom=0.9 / fig_h)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=plots.DPI)
    fig.clear()
    return path


__all__ = ["PANELS", "plot_scenario"]
