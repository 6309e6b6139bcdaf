"""The read-out language: how a simulated time course becomes the numbers studies, trials,
sensitivity analyses and the PEtab export report.

Everything that measures a run uses this module:

* **Time.** Times are time expressions as in scenarios (``"day 2 14:00"``, ``"+36 h"``,
  ``"07:30"``) or ``"end"`` (the end of the run); a :class:`Window` is ``{from: TIME, to: TIME}``
  (absolute, clock/day or relative times alike). :func:`place_time` puts one on a run's time
  axis (hours since t = 0).
* **Reductions of a dataset** (the studies and the PEtab export, on ``xarray.Dataset`` s from
  ``simulate``; times in model hours): :func:`value_at` (linear interpolation),
  :func:`between` (the samples of a window), :func:`peak` and :func:`trough` (value and time of
  the maximum / minimum of the samples in a window).
* **Scalar read-outs** (:class:`ReadOut`, the sensitivity analysis) - one observable's time
  course reduced to one number::

    {output: cortisol_saliva, stat: peak, window: {from: "day 2 14:00", to: "day 2 16:00"}}
    {output: easi, stat: mean, window: {from: "day 78", to: "+12 weeks"}}
    {output: temperature, stat: rise, window: {from: "day 2 08:00", to: "day 2 20:00"}}
    {output: tnf, stat: value, at: "day 2 09:30"}

  Statistics: ``peak`` (maximum over the window), ``min``, ``mean`` (time average), ``auc``
  (time integral, unit x h), ``value`` (at one time ``at``), ``time_of_peak`` (hours from the
  window start to the maximum), ``rise`` (peak minus the value at ``baseline``, default the
  window start) and ``fold`` (peak divided by that value). The window defaults to the whole
  scenario. Values are sampled on the scenario's ``output_interval`` grid, with the window ends
  and the ``at``/``baseline`` times added.
* **Trial outcomes** (:mod:`nicsim.analysis.outcomes`: value, mean, peak, change, responder,
  time to threshold, diurnal slope per subject) are written with the same times and windows.

Study *bands* are not here: they are data, in ``nicsim/experiments/targets.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from nicsim.errors import ScenarioError
from nicsim.protocols.spec import StrictModel
from nicsim.protocols.timeexpr import TIME_TOL, parse_time_expr, resolve_time

STATS = ("peak", "min", "mean", "auc", "value", "time_of_peak", "rise", "fold")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def _readout_name(v: Any) -> Any:
    if v is None:
        return v
    if not isinstance(v, str) or not _NAME_RE.match(v.strip()):
        raise ScenarioError("", v, "expected a name of letters, digits, '_' and '.', starting "
                            "with a letter, e.g. cortisol_peak")
    return v.strip()


def _output_name(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ScenarioError("", v, "expected the name of a model observable, e.g. "
                            "cortisol_saliva (see `nicsim simulate` output)")
    return v.strip()


def _time(v: Any) -> str:
    if isinstance(v, str) and v.strip().lower() == "end":
        return "end"
    parse_time_expr(v, field="")
    return v.strip()


#: A time expression (``"day 2 14:00"``, ``"+36 h"``, ``"07:30"``) or ``"end"``.
TimeText = Annotated[str, BeforeValidator(_time)]


class Window(StrictModel):
    """A stretch of time ``{from: TIME, to: TIME}`` (time expressions or 'end')."""

    from_: TimeText = Field(alias="from", description="time expression; window start, e.g. "
                            "'day 2'")
    to: TimeText = Field(description="time expression or 'end'; window end, after 'from', e.g. "
                         "'day 2 18:00' or '+3 days'")


def place_time(text: str, *, field: str, start_clock_h: float, duration_h: float) -> float:
    """Hours since t = 0 of a time expression or ``"end"`` (= ``duration_h``) in a run that
    starts at clock ``start_clock_h`` and lasts ``duration_h``; errors name ``field``."""
    if text == "end":
        return float(duration_h)
    return resolve_time(text, field=field, start_clock_h=start_clock_h, duration_h=duration_h,
                        allow_end=True)


# -- reductions of a simulated dataset (xarray, time in model hours) ---------------------------
def value_at(ds, name: str, t: float) -> float:
    """``name`` at time ``t`` (linear interpolation between samples)."""
    return float(np.interp(t, ds.time.values, ds[name].values))


def between(ds, t0: float, t1: float):
    """The samples of ``ds`` with ``t0 <= time <= t1``."""
    return ds.sel(time=slice(t0, t1))


def peak(ds, name: str, t0: float, t1: float) -> tuple[float, float]:
    """(peak value, time of peak) of ``name`` over the samples in [t0, t1]."""
    w = between(ds, t0, t1)
    i = int(np.argmax(w[name].values))
    return float(w[name].values[i]), float(w.time.values[i])


def trough(ds, name: str, t0: float, t1: float) -> tuple[float, float]:
    """(lowest value, its time) of ``name`` over the samples in [t0, t1]."""
    w = between(ds, t0, t1)
    i = int(np.argmin(w[name].values))
    return float(w[name].values[i]), float(w.time.values[i])


# -- scalar read-outs (sensitivity analysis) ---------------------------------------------------
class ReadOut(StrictModel):
    """One scalar read-out of a simulation (see the module docstring)."""

    output: Annotated[str, BeforeValidator(_output_name)] = Field(
        description="observable name, e.g. cortisol_saliva")
    stat: Literal["peak", "min", "mean", "auc", "value", "time_of_peak", "rise", "fold"] = \
        Field(description="peak | min | mean | auc | value | time_of_peak | rise | fold")
    window: Window | None = Field(default=None, description="{from, to}; default: the whole "
                                  "scenario")
    at: TimeText | None = Field(default=None, description="time of a 'value' read-out")
    baseline: TimeText | None = Field(
        default=None, description="reference time of 'rise'/'fold'; default the window start")
    name: Annotated[str | None, BeforeValidator(_readout_name)] = Field(
        default=None, description="label; default '<output>_<stat>'")

    @model_validator(mode="after")
    def _check(self) -> ReadOut:
        if self.stat == "value":
            if self.at is None:
                raise ScenarioError("at", None, "stat 'value' needs 'at': the time of the value, "
                                    "e.g. 'day 2 09:30'")
            if self.window is not None:
                raise ScenarioError("window", self.window.model_dump(by_alias=True),
                                    "stat 'value' reads one time ('at'); remove 'window'")
        elif self.at is not None:
            raise ScenarioError("at", self.at, f"'at' is only for stat 'value'; stat "
                                f"{self.stat!r} uses 'window'")
        if self.baseline is not None and self.stat not in ("rise", "fold"):
            raise ScenarioError("baseline", self.baseline, f"'baseline' is only for stats 'rise' "
                                f"and 'fold', not {self.stat!r}")
        return self

    @property
    def label(self) -> str:
        return self.name or f"{self.output}_{self.stat}"


@dataclass(frozen=True)
class ResolvedReadOut:
    """A read-out placed on the model time axis of one scenario (hours)."""

    label: str
    output: str
    stat: str
    t0: float
    t1: float
    t_ref: float  # 'at' for value, 'baseline' for rise/fold, else t0
    unit: str  # unit of the read-out value
    description: str

    def describe(self) -> str:
        return self.description


def resolve_readouts(readouts: list[ReadOut], scenario, units: dict[str, str] | None = None, *,
                     field: str = "outputs") -> list[ResolvedReadOut]:
    """Place read-outs on ``scenario``'s time axis; check names are unique and (with ``units``,
    {observable: unit}) that the observables exist."""
    s, D = scenario.start_clock_h, scenario.duration_h
    out: list[ResolvedReadOut] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(readouts):
        pre = f"{field}[{i}]"
        if units is not None and r.output not in units:
            raise ScenarioError(f"{pre}.output", r.output, "an observable of the model: "
                                f"{', '.join(sorted(units))}")
        if r.label in seen:
            raise ScenarioError(f"{pre}.name", r.label, f"read-out names must be unique "
                                f"({field}[{seen[r.label]}] has the same name); give 'name'")
        seen[r.label] = i
        if r.window is not None:
            if r.window.from_ == "end":
                raise ScenarioError(f"{pre}.window.from", "end", "a time before the end of the "
                                    "scenario: a window must start before it ends")
            t0 = resolve_time(r.window.from_, field=f"{pre}.window.from", start_clock_h=s,
                              duration_h=D)
            t1 = place_time(r.window.to, field=f"{pre}.window.to", start_clock_h=s,
                            duration_h=D)
            if t1 <= t0 + TIME_TOL:
                raise ScenarioError(f"{pre}.window.to", r.window.to, f"the window must end after "
                                    f"it starts ({scenario.format_time(t0)})")
        else:
            t0, t1 = 0.0, D
        if r.stat == "value":
            t_ref = place_time(r.at, field=f"{pre}.at", start_clock_h=s, duration_h=D)
            t0 = t1 = t_ref
        elif r.baseline is not None:
            t_ref = place_time(r.baseline, field=f"{pre}.baseline", start_clock_h=s,
                               duration_h=D)
        else:
            t_ref = t0
        u = (units or {}).get(r.output, "")
        unit = {"auc": f"{u}*h" if u else "h", "time_of_peak": "h",
                "fold": "dimensionless"}.get(r.stat, u)
        when = (f"at {scenario.format_time(t_ref)}" if r.stat == "value" else
                f"{scenario.format_time(t0)} to {scenario.format_time(t1)}")
        extra = f" (baseline {scenario.format_time(t_ref)})" if r.stat in ("rise", "fold") \
            else ""
        out.append(ResolvedReadOut(r.label, r.output, r.stat, t0, t1, t_ref, unit,
                                   f"{r.stat} of {r.output}, {when}{extra}"))
    return out


def readout_times(resolved: list[ResolvedReadOut], grid: np.ndarray) -> np.ndarray:
    """Evaluation times: the grid points inside the windows plus every window end and
    reference time."""
    pts = []
    for r in resolved:
        pts.append(np.array([r.t0, r.t1, r.t_ref]))
        if r.stat != "value":
            pts.append(grid[(grid > r.t0) & (grid < r.t1)])
    t = np.unique(np.concatenate(pts))
    keep = np.concatenate([[True], np.diff(t) > TIME_TOL])
    return t[keep]


def _trapezoid(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Trapezoid rule along the last axis (numpy 1.x and 2.x)."""
    dx = np.diff(x)
    return np.sum(dx * (y[..., 1:] + y[..., :-1]) / 2.0, axis=-1)


def _at(t: np.ndarray, x: float) -> int:
    return int(np.argmin(np.abs(t - x)))


def compute_readouts(resolved: list[ResolvedReadOut], t: np.ndarray,
                     series: dict[str, np.ndarray]) -> np.ndarray:
    """Read-out values ``(n_runs, n_readouts)`` from ``series`` {observable: (n_runs, len(t))}."""
    n = next(iter(series.values())).shape[0] if series else 0
    out = np.empty((n, len(resolved)))
    for k, r in enumerate(resolved):
        x = series[r.output]
        if r.stat == "value":
            out[:, k] = x[:, _at(t, r.t_ref)]
            continue
        i0, i1 = _at(t, r.t0), _at(t, r.t1)
        tw, xw = t[i0:i1 + 1], x[:, i0:i1 + 1]
        if r.stat == "peak":
            out[:, k] = xw.max(axis=1)
        elif r.stat == "min":
            out[:, k] = xw.min(axis=1)
        elif r.stat in ("mean", "auc"):
            area = _trapezoid(xw, tw)
            out[:, k] = area / (tw[-1] - tw[0]) if r.stat == "mean" else area
        elif r.stat == "time_of_peak":
            out[:, k] = tw[np.argmax(xw, axis=1)] - tw[0]
        else:
            ref = x[:, _at(t, r.t_ref)]
            peak = xw.max(axis=1)
            if r.stat == "rise":
                out[:, k] = peak - ref
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    out[:, k] = np.where(ref != 0, peak / np.where(ref != 0, ref, 1), np.nan)
    return out
