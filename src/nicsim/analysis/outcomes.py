"""Trial outcomes: a small declarative vocabulary, evaluated per subject on sampled outputs.

Every outcome has a ``name`` (an identifier, unique in the trial), a ``kind`` and the model
``output`` it reads. Times and windows are those of the read-out language
(:mod:`nicsim.analysis.readouts`): time expressions as in scenarios (``"day 57 10:00"``,
``"day 8"``, ``"+36 h"``, ``"07:30"``) or ``"end"`` (the end of the trial); a window is
``{from: TIME, to: TIME}``.

=====================  ===============================================================  =========
kind                   per-subject value                                                unit
=====================  ===============================================================  =========
``value``              the output at ``at`` (linear interpolation between samples)      output's
``mean``               time-average over ``window`` (trapezoid rule)                     output's
``peak``               maximum (``which: min``: minimum) of the samples in ``window``    output's
``change``             ``end`` - ``baseline``; each a time or a window (its mean);       output's
                       ``relative: true``: 100 * (end - baseline) / baseline             or %
``responder``          1 if the relative change reaches ``threshold`` % in               1 (0/1)
                       ``direction`` (``decrease``: e.g. PASI75 = a fall of >= 75 %),
                       else 0
``time_to_threshold``  time from ``start`` until the output first goes ``below``         d or h
                       (or ``above``) ``threshold`` (``relative: true``: a fraction
                       of the value at ``start``, e.g. 0.01 = 1 % of the initial
                       wound area); crossing time interpolated; NaN when never reached
                       (censored)
``diurnal_slope``      least-squares slope of (ln, with ``log: true``) the output       1/h or
                       against hours since waking, over the waking samples from          unit/h
                       ``after_wake`` (default 30 min, after the awakening response)
                       to bedtime on every day of ``window``; pooled over days
=====================  ===============================================================  =========

Evaluation is split in two steps so that workers only do arithmetic: :func:`plan_outcome`
resolves times on the sample grid once (weights, masks), and :meth:`OutcomePlan.evaluate` maps
an array ``Y[subject, time]`` to one value per subject. :func:`evaluate_outcomes` does both (used
by the tests on synthetic curves with known answers).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from nicsim.analysis.readouts import TimeText, Window, place_time
from nicsim.errors import ScenarioError
from nicsim.protocols.spec import StrictModel, duration_type, number_type
from nicsim.protocols.timeexpr import (
    HOURS_PER_DAY,
    TIME_TOL,
    parse_clock,
    parse_duration,
)

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
NAME_HELP = "expected a name of letters, digits and '_' that starts with a letter, e.g. easi_w8"

#: Effect measures; ``rate_difference`` is for responder outcomes only.
MEASURES = ("mean_difference", "cohens_d", "hedges_g", "rate_difference", "median_ratio",
            "median_difference")


def identifier(v: Any) -> str:
    if not isinstance(v, str) or not _NAME_RE.match(v.strip()):
        raise ScenarioError("", v, NAME_HELP)
    return v.strip()


Name = Annotated[str, BeforeValidator(identifier)]


def _time_or_window(v: Any) -> Any:
    if isinstance(v, dict):
        return Window.model_validate(v)
    return v


TimeOrWindow = Annotated[TimeText | Window, BeforeValidator(_time_or_window)]


def _measures(v: Any) -> Any:
    if v is None:
        return v
    if not isinstance(v, list) or not v:
        raise ScenarioError("", v, f"expected a list of effect measures from: "
                            f"{', '.join(MEASURES)}")
    for i, m in enumerate(v):
        if m not in MEASURES:
            raise ScenarioError(f"[{i}]", m, f"expected one of: {', '.join(MEASURES)}")
    if len(set(v)) != len(v):
        raise ScenarioError("", v, "each effect measure at most once")
    return v


Measures = Annotated[list[str] | None, BeforeValidator(_measures)]


class OutcomeBase(StrictModel):
    name: Name = Field(description="identifier, unique in the trial")
    output: str = Field(description="model output (see `nicsim simulate` outputs)")
    label: str | None = Field(default=None, description="text for tables and plots")
    effects: Measures = Field(default=None, description=f"effect measures, from: "
                              f"{', '.join(MEASURES)}; default by kind")
    default_effects: ClassVar[tuple[str, ...]] = ("mean_difference", "hedges_g")

    @model_validator(mode="after")
    def _rate_for_responders(self):
        if self.effects and "rate_difference" in self.effects and self.kind != "responder":
            raise ScenarioError(f"effects[{self.effects.index('rate_difference')}]",
                                "rate_difference", "rate_difference is for responder outcomes; "
                                "use mean_difference, cohens_d, hedges_g, median_ratio or "
                                "median_difference")
        return self

    @property
    def measures(self) -> list[str]:
        return list(self.effects or self.default_effects)

    def describe(self) -> str:  # pragma: no cover - overridden
        return self.kind


class ValueOutcome(OutcomeBase):
    """The output at one time."""

    kind: Literal["value"] = "value"
    at: TimeText = Field(description="time expression or 'end'")

    def describe(self) -> str:
        return f"{self.output} at {self.at}"


class MeanOutcome(OutcomeBase):
    """Time-average of the output over a window."""

    kind: Literal["mean"] = "mean"
    window: Window = Field(description="{from, to}")

    def describe(self) -> str:
        return f"mean {self.output} from {self.window.from_} to {self.window.to}"


class PeakOutcome(OutcomeBase):
    """Maximum (or minimum) of the output over a window."""

    kind: Literal["peak"] = "peak"
    window: Window = Field(description="{from, to}")
    which: Literal["max", "min"] = Field(default="max", description="max | min")

    def describe(self) -> str:
        return f"{self.which} {self.output} from {self.window.from_} to {self.window.to}"


def _window_text(w) -> str:
    return w if isinstance(w, str) else f"{w.from_} to {w.to}"


class ChangeOutcome(OutcomeBase):
    """End minus baseline (absolute, or relative in %)."""

    kind: Literal["change"] = "change"
    baseline: TimeOrWindow = Field(description="time or {from, to} (mean)")
    end: TimeOrWindow = Field(description="time or {from, to} (mean)")
    relative: bool = Field(default=False, description="percent change from baseline")

    def describe(self) -> str:
        return (f"{'relative ' if self.relative else ''}change in {self.output} from "
                f"{_window_text(self.baseline)} to {_window_text(self.end)}")


class ResponderOutcome(OutcomeBase):
    """1 if the relative change reaches ``threshold`` % (PASI75: decrease, 75)."""

    kind: Literal["responder"] = "responder"
    baseline: TimeOrWindow = Field(description="time or {from, to}")
    end: TimeOrWindow = Field(description="time or {from, to}")
    threshold: number_type(0.0, 1e4, lo_open=True) = Field(  # type: ignore[valid-type]
        description="percent change that counts as a response, > 0 (75 for PASI75)")
    direction: Literal["decrease", "increase"] = Field(default="decrease",
                                                       description="decrease | increase")
    default_effects: ClassVar[tuple[str, ...]] = ("rate_difference",)

    def describe(self) -> str:
        return (f"{self.direction} of {self.output} by >= {self.threshold:g} % from "
                f"{_window_text(self.baseline)} to {_window_text(self.end)}")


class TimeToThresholdOutcome(OutcomeBase):
    """Time from ``start`` until the output first crosses a threshold."""

    kind: Literal["time_to_threshold"] = "time_to_threshold"
    start: TimeText = Field(default="+0 h", description="time expression; search start")
    threshold: number_type(None, None) = Field(  # type: ignore[valid-type]
        description="threshold (output unit, or a fraction of the start value when relative)")
    relative: bool = Field(default=False, description="threshold is a fraction of the value "
                           "at start")
    direction: Literal["below", "above"] = Field(default="below", description="below | above")
    unit: Literal["days", "h"] = Field(default="days", description="days | h")
    default_effects: ClassVar[tuple[str, ...]] = ("median_ratio",)

    @model_validator(mode="after")
    def _rel(self):
        if self.relative and self.threshold <= 0:
            raise ScenarioError("threshold", self.threshold, "a relative threshold is a "
                                "fraction of the start value, > 0 (0.01 = 1 %)")
        return self

    def describe(self) -> str:
        thr = f"{self.threshold:g} x the value at start" if self.relative else \
            f"{self.threshold:g}"
        return f"time from {self.start} until {self.output} is {self.direction} {thr}"


class DiurnalSlopeOutcome(OutcomeBase):
    """Slope of (log) output against hours since waking (diurnal cortisol slope)."""

    kind: Literal["diurnal_slope"] = "diurnal_slope"
    output: str = Field(default="cortisol_saliva", description="default cortisol_saliva")
    window: Window = Field(description="{from, to}: the days to pool")
    after_wake: duration_type(0.0) | None = Field(  # type: ignore[valid-type]
        default="30 min", description="first sample after waking; default 30 min")
    log: bool = Field(default=True, description="slope of ln(output); default true")

    def describe(self) -> str:
        return (f"slope of {'ln ' if self.log else ''}{self.output} vs hours since waking "
                f"(from {self.after_wake} after waking to bedtime), {self.window.from_} to "
                f"{self.window.to}")


OUTCOME_CLASSES = (ValueOutcome, MeanOutcome, PeakOutcome, ChangeOutcome, ResponderOutcome,
                   TimeToThresholdOutcome, DiurnalSlopeOutcome)
OUTCOME_KINDS = {c.model_fields["kind"].default: c for c in OUTCOME_CLASSES}


def _outcome(v: Any) -> Any:
    if isinstance(v, OUTCOME_CLASSES):
        return v
    if not isinstance(v, dict):
        raise ScenarioError("", v, "expected a mapping with a 'kind', one of: "
                            f"{', '.join(OUTCOME_KINDS)}")
    kind = v.get("kind")
    if not isinstance(kind, str) or kind not in OUTCOME_KINDS:
        raise ScenarioError("kind", kind, f"expected one of: {', '.join(OUTCOME_KINDS)}")
    return OUTCOME_KINDS[kind].model_validate(v)


Outcome = Annotated[
    ValueOutcome | MeanOutcome | PeakOutcome | ChangeOutcome | ResponderOutcome
    | TimeToThresholdOutcome | DiurnalSlopeOutcome, BeforeValidator(_outcome)]


# ============================================================================ plans
@dataclass(frozen=True)
class Grid:
    """The sample grid outcomes are evaluated on and the calendar it lives in."""

    t: np.ndarray          # hours since t = 0, increasing
    start_clock_h: float   # clock time of t = 0
    duration_h: float
    wake_h: float = 7.0    # habitual wake and bedtime (clock hours)
    bed_h: float = 23.0

    def time(self, text: str, field: str) -> float:
        return place_time(text, field=field, start_clock_h=self.start_clock_h,
                          duration_h=self.duration_h)

    def weights_at(self, t0: float) -> np.ndarray:
        """w with ``Y @ w`` = the linear interpolation of Y at t0."""
        t = self.t
        w = np.zeros(t.size)
        if t.size == 1:
            w[0] = 1.0
            return w
        i = int(np.clip(np.searchsorted(t, t0, side="right") - 1, 0, t.size - 2))
        f = float(np.clip((t0 - t[i]) / (t[i + 1] - t[i]), 0.0, 1.0))
        w[i] += 1.0 - f
        w[i + 1] += f
        return w

    def weights_mean(self, a: float, b: float) -> np.ndarray:
        """w with ``Y @ w`` = the trapezoid time-average of the interpolant over [a, b]."""
        if b - a <= TIME_TOL:
            return self.weights_at(a)
        inner = self.t[(self.t > a + TIME_TOL) & (self.t < b - TIME_TOL)]
        pts = np.concatenate([[a], inner, [b]])
        trap = np.zeros(pts.size)
        d = np.diff(pts)
        trap[:-1] += d / 2
        trap[1:] += d / 2
        w = np.zeros(self.t.size)
        for p, c in zip(pts, trap, strict=True):
            w += c * self.weights_at(p)
        return w / (b - a)


@dataclass(frozen=True)
class OutcomePlan:
    """An outcome resolved on a sample grid; ``evaluate(Y)`` -> one value per subject."""

    name: str
    kind: str
    output: str
    args: dict = field(default_factory=dict)

    def evaluate(self, Y: np.ndarray) -> np.ndarray:
        Y = np.asarray(Y, dtype=float)
        if Y.ndim == 1:
            Y = Y[None, :]
        a = self.args
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind in ("value", "mean"):
                return _rowdot(Y, a["w"])
            if self.kind == "peak":
                sel = Y[:, a["mask"]]
                return sel.max(axis=1) if a["which"] == "max" else sel.min(axis=1)
            if self.kind in ("change", "responder"):
                base, end = _rowdot(Y, a["w_base"]), _rowdot(Y, a["w_end"])
                if self.kind == "change" and not a["relative"]:
                    return end - base
                rel = 100.0 * (end - base) / base
                if self.kind == "change":
                    return rel
                hit = rel <= -a["threshold"] if a["direction"] == "decrease" else \
                    rel >= a["threshold"]
                return hit.astype(float)
            if self.kind == "time_to_threshold":
                return _time_to_threshold(Y, a)
            if self.kind == "diurnal_slope":
                x = a["x"] - a["x"].mean()
                out = np.empty(Y.shape[0])
                for i, row in enumerate(Y):
                    y = row[a["mask"]]
                    if a["log"]:
                        y = np.log(np.maximum(y, 1e-300))
                    out[i] = np.dot(y - y.mean(), x) / np.dot(x, x)
                return out
        raise AssertionError(self.kind)  # pragma: no cover


def _rowdot(Y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Row-by-row dot products: the same floating-point result for a subject whatever the
    number of rows (a matrix product may sum in a different order for another chunk size)."""
    return np.fromiter((np.dot(row, w) for row in Y), dtype=float, count=Y.shape[0])


def _time_to_threshold(Y: np.ndarray, a: dict) -> np.ndarray:
    y0 = _rowdot(Y, a["w_start"])
    thr = a["threshold"] * y0 if a["relative"] else np.full(Y.shape[0], a["threshold"])
    t = np.concatenate([[a["start"]], a["t_after"]])
    V = np.concatenate([y0[:, None], Y[:, a["idx_after"]]], axis=1)
    below = a["direction"] == "below"
    hit = V < thr[:, None] if below else V > thr[:, None]
    any_hit = hit.any(axis=1)
    k = np.argmax(hit, axis=1)
    out = np.full(Y.shape[0], np.nan)
    rows = np.flatnonzero(any_hit)
    for r in rows:  # only the crossing sample; cheap
        j = k[r]
        if j == 0:
            tc = t[0]
        else:
            v0, v1 = V[r, j - 1], V[r, j]
            f = (thr[r] - v0) / (v1 - v0) if v1 != v0 else 1.0
            tc = t[j - 1] + float(np.clip(f, 0.0, 1.0)) * (t[j] - t[j - 1])
        out[r] = (tc - a["start"]) / a["scale"]
    return out


def _point_or_window(grid: Grid, v, field: str) -> np.ndarray:
    if isinstance(v, Window):
        a, b = _window(grid, v, field)
        return grid.weights_mean(a, b)
    return grid.weights_at(grid.time(v, field))


def _window(grid: Grid, w: Window, field: str) -> tuple[float, float]:
    a = grid.time(w.from_, f"{field}.from")
    b = grid.time(w.to, f"{field}.to")
    if b <= a + TIME_TOL:
        raise ScenarioError(f"{field}.to", w.to, f"the window must end after it begins "
                            f"({w.from_})")
    return a, b


def plan_outcome(o, grid: Grid, field: str = "outcome") -> OutcomePlan:
    """Resolve an outcome's times on ``grid``; errors name ``field`` (e.g. ``outcomes[2]``)."""
    args: dict[str, Any] = {}
    if isinstance(o, ValueOutcome):
        args["w"] = grid.weights_at(grid.time(o.at, f"{field}.at"))
    elif isinstance(o, MeanOutcome):
        args["w"] = grid.weights_mean(*_window(grid, o.window, f"{field}.window"))
    elif isinstance(o, PeakOutcome):
        a, b = _window(grid, o.window, f"{field}.window")
        mask = (grid.t >= a - TIME_TOL) & (grid.t <= b + TIME_TOL)
        if not mask.any():
            raise ScenarioError(f"{field}.window", o.window.model_dump(by_alias=True),
                                "no sample falls in this window; widen it or sample more "
                                "often (sample_interval)")
        args.update(mask=mask, which=o.which)
    elif isinstance(o, (ChangeOutcome, ResponderOutcome)):
        args["w_base"] = _point_or_window(grid, o.baseline, f"{field}.baseline")
        args["w_end"] = _point_or_window(grid, o.end, f"{field}.end")
        if isinstance(o, ChangeOutcome):
            args["relative"] = o.relative
        else:
            args.update(relative=True, threshold=float(o.threshold), direction=o.direction)
    elif isinstance(o, TimeToThresholdOutcome):
        s = grid.time(o.start, f"{field}.start")
        if s >= grid.duration_h - TIME_TOL:
            raise ScenarioError(f"{field}.start", o.start, "the search must start before the "
                                "end of the trial")
        after = np.flatnonzero(grid.t > s + TIME_TOL)
        args.update(start=s, w_start=grid.weights_at(s), idx_after=after, t_after=grid.t[after],
                    threshold=float(o.threshold), relative=o.relative, direction=o.direction,
                    scale=HOURS_PER_DAY if o.unit == "days" else 1.0)
    elif isinstance(o, DiurnalSlopeOutcome):
        a, b = _window(grid, o.window, f"{field}.window")
        hours_awake = (grid.bed_h - grid.wake_h) % HOURS_PER_DAY
        skip = parse_duration(o.after_wake, positive=False) if o.after_wake else 0.0
        since = (grid.t + grid.start_clock_h - grid.wake_h) % HOURS_PER_DAY
        mask = ((grid.t >= a - TIME_TOL) & (grid.t <= b + TIME_TOL)
                & (since >= skip - 1e-6) & (since <= hours_awake + 1e-6))
        x = since[mask]
        if x.size < 2 or np.ptp(x) <= 0:
            raise ScenarioError(f"{field}.window", o.window.model_dump(by_alias=True),
                                "fewer than two waking samples at different times of day fall "
                                "in this window; widen it or sample more often "
                                "(sample_interval)")
        args.update(mask=mask, x=x, log=o.log)
    else:  # pragma: no cover
        raise TypeError(o)
    return OutcomePlan(o.name, o.kind, o.output, args)


def outcome_unit(o, output_unit: str) -> str:
    if isinstance(o, ResponderOutcome):
        return "1"
    if isinstance(o, TimeToThresholdOutcome):
        return "d" if o.unit == "days" else "h"
    if isinstance(o, ChangeOutcome) and o.relative:
        return "%"
    if isinstance(o, DiurnalSlopeOutcome):
        return "1/h" if o.log else f"({output_unit})/h"
    return output_unit


def evaluate_outcomes(outcomes: Sequence, t: np.ndarray, data: Mapping[str, np.ndarray], *,
                      start_clock_h: float = 7.0, duration_h: float | None = None,
                      wake: str = "07:00", bedtime: str = "23:00") -> dict[str, np.ndarray]:
    """Evaluate outcome specs (models or dicts) on ``data[output]`` arrays (subject, time)."""
    t = np.asarray(t, dtype=float)
    grid = Grid(t, start_clock_h, float(t[-1] if duration_h is None else duration_h),
                parse_clock(wake), parse_clock(bedtime))
    out = {}
    for i, o in enumerate(outcomes):
        o = _outcome(o)
        out[o.name] = plan_outcome(o, grid, f"outcomes[{i}]").evaluate(data[o.output])
    return out


# ============================================================================ effect sizes
def _pooled_sd(a: np.ndarray, c: np.ndarray) -> np.ndarray:
    n1, n2 = a.shape[-1], c.shape[-1]
    va, vc = a.var(axis=-1, ddof=1), c.var(axis=-1, ddof=1)
    return np.sqrt(((n1 - 1) * va + (n2 - 1) * vc) / (n1 + n2 - 2))


def _median_inf(x: np.ndarray) -> np.ndarray:
    return np.median(np.where(np.isnan(x), np.inf, x), axis=-1)


def effect(measure: str, a: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Effect of arm ``a`` against control ``c`` along the last axis (vectorised for the
    bootstrap). Censored times (NaN) count as +infinity in the median measures."""
    a, c = np.asarray(a, float), np.asarray(c, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "mean_difference":
            return a.mean(axis=-1) - c.mean(axis=-1)
        if measure == "rate_difference":
            return 100.0 * (a.mean(axis=-1) - c.mean(axis=-1))
        if measure in ("cohens_d", "hedges_g"):
            d = (a.mean(axis=-1) - c.mean(axis=-1)) / _pooled_sd(a, c)
            if measure == "hedges_g":
                d = d * (1 - 3 / (4 * (a.shape[-1] + c.shape[-1]) - 9))
            return d
        if measure == "median_ratio":
            ma, mc = _median_inf(a), _median_inf(c)
            return np.where(np.isinf(ma) & np.isinf(mc), np.nan, ma / mc)
        if measure == "median_difference":
            ma, mc = _median_inf(a), _median_inf(c)
            return np.where(np.isinf(ma) & np.isinf(mc), np.nan, ma - mc)
    raise ScenarioError("effects", measure, f"expected one of: {', '.join(MEASURES)}")


MEASURE_LABELS = {
    "mean_difference": "difference in means", "cohens_d": "Cohen's d",
    "hedges_g": "Hedges' g", "rate_difference": "responder-rate difference (points)",
    "median_ratio": "ratio of medians", "median_difference": "difference in medians",
}


def bootstrap_effect(measure: str, a: np.ndarray, c: np.ndarray, *, rng: np.random.Generator,
                     resamples: int = 2000, confidence: float = 0.95,
                     paired: bool = False) -> tuple[float, float, float]:
    """(estimate, low, high): the effect and its percentile bootstrap confidence interval.

    ``paired``: the subjects of ``a`` and ``c`` are the same persons (common random numbers), so
    they are resampled together; otherwise each arm is resampled on its own.
    """
    a, c = np.asarray(a, float), np.asarray(c, float)
    if paired and a.shape != c.shape:
        raise ValueError("paired arms must have the same number of subjects")
    est = float(effect(measure, a, c))
    ia = rng.integers(0, a.size, size=(resamples, a.size))
    ic = ia if paired else rng.integers(0, c.size, size=(resamples, c.size))
    boot = effect(measure, a[ia], c[ic])
    alpha = (1.0 - confidence) / 2
    finite = boot[np.isfinite(boot)]
    if finite.size < 0.5 * resamples:
        return est, math.nan, math.nan
    lo, hi = np.quantile(finite, [alpha, 1 - alpha])
    return est, float(lo), float(hi)


__all__ = ["MEASURES", "MEASURE_LABELS", "OUTCOME_CLASSES", "OUTCOME_KINDS", "ChangeOutcome",
           "DiurnalSlopeOutcome", "Grid", "MeanOutcome", "Outcome", "OutcomePlan",
           "PeakOutcome", "ResponderOutcome", "TimeToThresholdOutcome", "ValueOutcome",
           "bootstrap_effect", "effect", "evaluate_outcomes", "identifier", "outcome_unit",
           "plan_outcome"]
