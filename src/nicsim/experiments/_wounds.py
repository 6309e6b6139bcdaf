"""Shared helpers for the wound-healing and long-stress studies (systemic PNI rows)."""

from __future__ import annotations

import math

import numpy as np

from nicsim.experiments._protocols import scenario
from nicsim.solve.simulate import simulate

CLOSED_FRACTION = 0.01  # a wound counts as closed when its area is below 1 % of the initial


def wound_area_mm2(diameter_mm: float) -> float:
    return math.pi * diameter_mm**2 / 4


def closure_time(ds, name: str, t_wound: float, initial_mm2: float,
                 fraction: float = CLOSED_FRACTION) -> float:
    """Hours from ``t_wound`` until ``ds[name]`` first falls below ``fraction`` of
    ``initial_mm2`` (linear interpolation between samples); NaN if it never does."""
    t = ds.time.values
    a = ds[name].values
    thr = fraction * initial_mm2
    idx = np.flatnonzero((t > t_wound) & (a < thr))
    if idx.size == 0:
        return float("nan")
    i = int(idx[0])
    if i == 0 or a[i - 1] <= thr:
        return float(t[i] - t_wound)
    t0, t1, a0, a1 = t[i - 1], t[i], a[i - 1], a[i]
    return float(t0 + (a0 - thr) / (a0 - a1) * (t1 - t0) - t_wound)


def chronic(start: str, period: str, load: float, frm: str = "08:00", to: str = "22:00") -> dict:
    """A chronic stressor (caregiving, exams, illness) felt in waking hours every day."""
    return {"type": "chronic_stressor", "start": start, "period": period, "load": load,
            "daily_window": {"from": frm, "to": to}}


def slope_per_year(t_hours: np.ndarray, y: np.ndarray) -> float:
    """Least-squares slope of ``y`` per year."""
    years = np.asarray(t_hours) / (24 * 365.25)
    return float(np.polyfit(years, np.asarray(y), 1)[0])


def simulate_chain(parts, *, person: dict, start: str = "09:00", interval: str = "1 day",
                   outputs=None, parameters=None, model=None, start_from=None):
    """Simulate consecutive scenarios of whole days (``parts`` = [(days, protocol), ...]), each
    starting from the last state of the previous one (scenarios are limited to 5 years).
    ``start_from`` (a Dataset this function returned) continues that run. Returns one Dataset
    with the time axis running on across the parts (including ``start_from``'s)."""
    import xarray as xr

    pieces, y0, offset = [], None, 0.0
    if start_from is not None:
        pieces, y0 = [start_from], start_from.attrs["final_state"]
        offset = float(start_from.attrs["chain_hours"])
    for k, (days, protocol) in enumerate(parts):
        sc = scenario(f"part {k + 1}", f"{days} days", protocol, start=start,
                      interval=interval, person=person)
        if outputs:
            sc = sc.replace(outputs=list(outputs))
        ds = simulate(sc, parameters=parameters, model=model,
                      y0=None if y0 is None else np.asarray(y0),
                      initial_state="settled" if y0 is None else None)
        y0 = final = ds.attrs["final_state"]
        ds = ds.assign_coords(time=ds.time + offset)
        ds.attrs["final_state"] = final
        if pieces:  # the first sample repeats the previous part's last one
            ds = ds.isel(time=slice(1, None))
        pieces.append(ds)
        offset += 24.0 * days
    out = xr.concat(pieces, dim="time", data_vars="minimal", coords="minimal",
                    compat="override", combine_attrs="drop_conflicts")
    out.attrs["final_state"] = y0
    out.attrs["chain_hours"] = offset
    return out
