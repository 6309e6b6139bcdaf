"""Warnings for results outside the plausible human range of an observable.

The ranges are declared in :mod:`nicsim.model.plausible_ranges`. A result outside them is not
an error: :func:`annotate` stores one line per observable that leaves its range in the dataset
attribute ``plausibility_warnings`` (lines joined by newlines; empty when all is plausible) and
the count in ``plausibility_warning_count``; the CLI prints them after the summary and the
reports show them.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

#: slack for the solver's round-off at a range's end, as a fraction of the range's width
SLACK = 1e-6
ATTR = "plausibility_warnings"


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def plausibility_warnings(ds: xr.Dataset, *, start_clock_h: float | None = None) -> list[str]:
    """One message per observable variable of ``ds`` (dims ``time`` or ``subject, time``)
    whose values leave its plausible human range."""

    out = []
    # lazy: importing nicsim.model discovers every module (sympy); `import nicsim` stays light
    from nicsim.model.plausible_ranges import PLAUSIBLE

    for name, rng in PLAUSIBLE.items():
        if name not in ds.data_vars:
            continue
        v = ds[name]
        x = np.asarray(v.values, dtype=float)
        if x.size == 0:
            continue
        slack = SLACK * (rng.upper - rng.lower)
        low = x < rng.lower - slack
        high = x > rng.upper + slack
        if not (low.any() or high.any()):
            continue
        unit = "" if rng.unit in ("dimensionless", "1") else f" {rng.unit}"
        parts = []
        for mask, fn, side in ((high, np.nanmax, "above"), (low, np.nanmin, "below")):
            if not mask.any():
                continue
            ext = float(fn(x))
            where = ""
            if "time" in v.dims:
                axis = v.dims.index("time")
                others = tuple(k for k in range(x.ndim) if k != axis)
                t_idx = int(np.flatnonzero(mask.any(axis=others))[0])
                t = float(ds["time"].values[t_idx])
                where = f" first at t = {t:.4g} h"
                if start_clock_h is not None:
                    day = int((t + start_clock_h) // 24) + 1
                    clock = (t + start_clock_h) % 24
                    minutes = int(round(clock * 60)) % (24 * 60)
                    where += f" (day {day} {minutes // 60:02d}:{minutes % 60:02d})"
            if "subject" in v.dims:
                axis = v.dims.index("subject")
                n_sub = int(np.any(mask, axis=tuple(k for k in range(x.ndim)
                                                    if k != axis)).sum())
                where += f", in {n_sub} of {v.sizes['subject']} subjects"
            parts.append(f"{'reaches' if side == 'above' else 'falls to'} {_fmt(ext)}{unit}"
                         f"{where}, {side} the plausible human range")
        out.append(f"{name} " + "; ".join(parts)
                   + f" {_fmt(rng.lower)}-{_fmt(rng.upper)}{unit} ({rng.source.describe()})")
    return out


def annotate(ds: xr.Dataset, *, start_clock_h: float | None = None) -> list[str]:
    """Store the warnings of ``ds`` in its attrs (in place); returns them."""
    msgs = plausibility_warnings(ds, start_clock_h=start_clock_h)
    ds.attrs[ATTR] = "\n".join(msgs)
    ds.attrs["plausibility_warning_count"] = len(msgs)
    return msgs


def warnings_of(ds: xr.Dataset) -> list[str]:
    """The stored warnings of a result (empty when none or not annotated)."""
    text = str(ds.attrs.get(ATTR, "") or "")
    return [line for line in text.split("\n") if line.strip()]
