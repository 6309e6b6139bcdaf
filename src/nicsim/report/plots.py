"""Shared matplotlib helpers for the reports: headless figures, saving, shading, week axes.

Figures are built on :class:`matplotlib.figure.Figure` with an explicit Agg canvas, never through
``pyplot``: nothing is shown, no global backend state is touched and figures are freed as soon
as they are saved (safe in CLIs, tests and worker threads).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nicsim.io.output import save_figure as save_atomic

DPI = 110
WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float] = (7.0, 4.2),
               sharex: bool = False):
    """A headless figure (Agg canvas) and its axes (one Axes, or an array for a grid)."""
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, sharex=sharex, squeeze=True)
    return fig, axes


def save_figure(fig: Figure, path: str | Path, *, dpi: int = DPI) -> Path:
    """Lay out and save ``fig`` as PNG at ``dpi`` (parent folders are created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fig.tight_layout()
    except Exception:  # pragma: no cover - layout is cosmetic; never lose a figure over it
        pass

    save_atomic(fig, path, dpi=dpi, format="png")
    fig.clear()
    return path


def wrap_title(text: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def add_legend(ax, **kwargs) -> None:
    """A legend when the axes has labelled artists (duplicate labels merged)."""
    handles, labels = ax.get_legend_handles_labels()
    seen: dict[str, object] = {}
    for h, lab in zip(handles, labels, strict=False):
        if lab and not lab.startswith("_") and lab not in seen:
            seen[lab] = h
    if seen:
        kwargs.setdefault("fontsize", "small")
        kwargs.setdefault("framealpha", 0.85)
        ax.legend(list(seen.values()), list(seen.keys()), **kwargs)


def message_figure(title: str, message: str, *, figsize: tuple[float, float] = (7.0, 3.0)):
    """A figure that states in words why there is no plot (e.g. the study raised an error)."""
    fig, ax = new_figure(figsize=figsize)
    ax.set_axis_off()
    ax.set_title(wrap_title(title), fontsize="medium")
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(message, 80)[:12]), ha="center", va="center",
            transform=ax.transAxes, fontsize="small", color="#b3261e", wrap=True)
    return fig


def spans(t: np.ndarray, active: np.ndarray) -> list[tuple[float, float]]:
    """Contiguous intervals where ``active`` is true on the sample grid ``t``: each interval runs
    from its first active sample to the next sample (the input is held until then)."""
    t = np.asarray(t, dtype=float)
    a = np.asarray(active, dtype=bool)
    out: list[tuple[float, float]] = []
    if a.size == 0:
        return out
    d = np.diff(a.astype(np.int8))
    starts = list(np.flatnonzero(d == 1) + 1)
    ends = list(np.flatnonzero(d == -1) + 1)
    if a[0]:
        starts.insert(0, 0)
    if a[-1]:
        ends.append(len(a) - 1)
    for i0, i1 in zip(starts, ends, strict=False):
        out.append((float(t[i0]), float(t[i1])))
    return out


def shade(ax, intervals: Iterable[tuple[float, float]], *, color: str = "grey",
          alpha: float = 0.15, label: str | None = None,
          hatch: str | None = None) -> None:
    """Vertical bands over ``intervals`` (x units of the axes); one legend entry in all."""
    first = True
    for x0, x1 in intervals:
        if hatch:
            kw = {"facecolor": "none", "edgecolor": color, "hatch": hatch, "alpha": alpha,
                  "lw": 0, "zorder": 0}
        else:
            kw = {"color": color, "alpha": alpha, "lw": 0, "zorder": 0}
        ax.axvspan(x0, x1, label=label if (first and label) else "_nolegend_", **kw)
        first = False


def week_axis(ax, x0: float, x1: float, start_weekday: int = 0) -> None:
    """Format an x axis in days since 00:00 of day 1: gridlines at midnight, weekday names at
    noon. ``start_weekday`` is the weekday of day 1 (0 = Monday)."""
    lo, hi = int(np.floor(x0)), int(np.ceil(x1))
    ax.set_xticks(np.arange(lo, hi + 1))
    ax.set_xticklabels([])
    mids = np.arange(lo, hi) + 0.5
    keep = (mids >= x0) & (mids <= x1)
    ax.set_xticks(mids[keep], minor=True)
    ax.set_xticklabels([WEEKDAY_ABBR[(start_weekday + int(m)) % 7] for m in mids[keep]],
                       minor=True)
    ax.tick_params(axis="x", which="minor", length=0)
    ax.grid(True, axis="x", which="major", color="#ccc", lw=0.6)
    ax.set_xlim(x0, x1)  # after the ticks, which would otherwise widen the view


__all__ = ["DPI", "WEEKDAY_ABBR", "add_legend", "message_figure", "new_figure", "save_figure",
           "shade", "spans", "week_axis", "wrap_title"]
