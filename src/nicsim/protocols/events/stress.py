"""Stress events: acute stressors (TSST), chronic daily loads and random daily hassles."""

from __future__ import annotations

import math
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from nicsim.errors import ScenarioError
from nicsim.protocols.spec import (
    Context,
    DailyWindow,
    Effect,
    EventBase,
    Fraction,
    ModelInput,
    Pulse,
    TimeExpression,
    duration_type,
    hours,
    number_type,
)
from nicsim.protocols.timeexpr import HOURS_PER_DAY, TIME_TOL, parse_clock

ACUTE_STRESSOR = ModelInput("acute_stressor", readers=("psyche",), cap=3.0)
CHRONIC_STRESSOR = ModelInput("chronic_stressor", readers=("psyche",), cap=1.0)


class AcuteStressor(EventBase):
    """Acute psychosocial stressor such as the Trier Social Stress Test (TSST).

    The TSST (Kirschbaum, Pirke & Hellhammer 1993, Neuropsychobiology 28:76) is a 5-min
    anticipation period followed by a 5-min mock job interview and 5-min mental arithmetic in
    front of an evaluative panel, about 15-20 min in all; salivary cortisol peaks 10-30 min after
    it ends. ``intensity`` scales the stressor relative to a standard TSST (1); 0 is a control
    condition, up to 3 for stronger or combined stressors. Drives input ``acute_stressor``
    (+= intensity while active; overlapping stressors add up to intensity 3, see
    ``schedule.INTENSITY_CAPS``). The person must be awake.
    """

    type: Literal["acute_stressor"] = "acute_stressor"
    inputs: ClassVar[tuple[ModelInput, ...]] = (ACUTE_STRESSOR,)
    effect: ClassVar[str] = "+= intensity while active (sum capped at 3)"
    start: TimeExpression = Field(description="time expression; when the stressor begins")
    duration: duration_type(1 / 60, 12.0) = Field(  # type: ignore[valid-type]
        default="20 min", description="duration, 1 min to 12 h; default 20 min (TSST)")
    intensity: number_type(0.0, 3.0) = Field(  # type: ignore[valid-type]
        default=1.0, description="dimensionless, 0 to 3; standard TSST = 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + hours(self.duration)
        ctx.require_end(t1, f"{prefix}.duration", self.duration)
        on, off = np.array([t0]), np.array([t1])
        return Effect(pulses=[Pulse(ACUTE_STRESSOR.name, on, off, self.intensity)],
                      awake_sessions=(on, off))



class ChronicStressor(EventBase):
    """Chronic stressor: a daily load sustained over days to months.

    Examples: dementia caregiving (Kiecolt-Glaser et al. 1991, 1996), academic examinations
    (Glaser & Kiecolt-Glaser 2005), job strain. ``load`` is the fraction (0 to 1) of a maximal
    sustained load. With ``daily_window`` the load applies only within those clock hours (e.g.
    working hours); with ``weekdays_only`` only Monday-Friday (day 1 is the weekday given by the
    scenario's ``start_weekday``, Monday by default). Drives input ``chronic_stressor``
    (+= load while active).
    """

    type: Literal["chronic_stressor"] = "chronic_stressor"
    inputs: ClassVar[tuple[ModelInput, ...]] = (CHRONIC_STRESSOR,)
    effect: ClassVar[str] = "+= load while active (sum capped at 1)"
    start: TimeExpression = Field(
        description="time expression; 'day N' = 00:00 of day N (t = 0 for day 1)")
    period: duration_type() = Field(  # type: ignore[valid-type]
        description="how long the stressor lasts (duration > 0), e.g. '4 weeks'")
    load: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        description="dimensionless, 0 to 1: fraction of a maximal sustained load")
    daily_window: DailyWindow | None = Field(
        default=None, description="{from: 'HH:MM', to: 'HH:MM'}; absent = all day")
    weekdays_only: bool = Field(default=False, description="only Monday to Friday")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + hours(self.period)
        ctx.require_end(t1, f"{prefix}.period", self.period)
        if self.daily_window is None and not self.weekdays_only:
            on, off = np.array([t0]), np.array([t1])
        else:
            s = ctx.start_clock_h
            d_first = int(math.floor((t0 + s) / HOURS_PER_DAY))  # 0-based day, -1 allows spill
            d_last = int(math.floor((t1 + s) / HOURS_PER_DAY))
            days0 = np.arange(d_first - 1, d_last + 1)  # 0-based calendar days
            starts = days0 * HOURS_PER_DAY - s
            if self.daily_window is not None:
                a = parse_clock(self.daily_window.from_)
                b = parse_clock(self.daily_window.to)
                on = starts + a
                off = on + (b - a) % HOURS_PER_DAY
            else:
                on, off = starts, starts + HOURS_PER_DAY
            if self.weekdays_only:
                keep = (ctx.start_weekday + days0) % 7 < 5
                on, off = on[keep], off[keep]
            on, off = np.maximum(on, t0), np.minimum(off, t1)
            keep = off - on > TIME_TOL
            on, off = on[keep], off[keep]
            if on.size == 0:
                raise ScenarioError(
                    f"{prefix}.period", self.period, "the stressor is never active: no daily "
                    "window (or weekday) falls inside the period; lengthen the period or change "
                    "daily_window/weekdays_only")
        return Effect(pulses=[Pulse(CHRONIC_STRESSOR.name, on, off, self.load)])


class DailyHassles(EventBase):
    """Random minor daily stressors (hassles): brief ``acute_stressor`` pulses in waking hours.

    For scale: in daily-diary studies adults report at least one stressor on about 40 % of days
    (Almeida 2005, Curr Dir Psychol Sci 14:64); checklists of minor hassles count more. Over
    ``period`` from ``start``, each 24-h block (from ``start``; a shorter last block in
    proportion) gets a Poisson number of hassles with mean ``per_day`` (0 to 20; default 2), each
    of ``duration`` (1 min to 2 h; default 10 min) and ``intensity`` (0 to 1 relative to a
    standard TSST; default 0.2), starting at a uniformly random time such that the whole hassle
    lies in waking hours of that block. The draw is deterministic for a ``seed`` (integer >= 0;
    default 0): the same scenario gives the same hassles, another seed other hassles. Pulses
    that overlap each other or other stressors add (up to intensity 3, see
    ``schedule.INTENSITY_CAPS``). Drives input ``acute_stressor``.
    """

    type: Literal["daily_hassles"] = "daily_hassles"
    inputs: ClassVar[tuple[ModelInput, ...]] = (ACUTE_STRESSOR,)
    effect: ClassVar[str] = "random pulses += intensity in waking hours"
    start: TimeExpression = Field(description="time expression; the period begins")
    period: duration_type() = Field(  # type: ignore[valid-type]
        description="how long hassles occur (duration > 0), e.g. '4 weeks'")
    per_day: number_type(0.0, 20.0) = Field(  # type: ignore[valid-type]
        default=2.0, description="mean number of hassles per day, 0 to 20; default 2")
    intensity: Fraction = Field(  # type: ignore[valid-type]
        default=0.2, description="dimensionless 0 to 1 (TSST = 1); default 0.2")
    duration: duration_type(1 / 60, 2.0) = Field(  # type: ignore[valid-type]
        default="10 min", description="length of each hassle, 1 min to 2 h; default 10 min")
    seed: number_type(0, 2**63 - 1, integer=True) = Field(  # type: ignore[valid-type]
        default=0, description="random seed, integer >= 0; default 0")

    def times(self, ctx: Context, prefix: str = "") -> np.ndarray:
        """Start times (model hours) of the hassles."""
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + hours(self.period)
        ctx.require_end(t1, f"{prefix}.period", self.period)
        d = hours(self.duration)
        rng = np.random.default_rng(self.seed)
        n_blocks = max(1, math.ceil((t1 - t0) / HOURS_PER_DAY - 1e-9))
        out = []
        for b in range(n_blocks):
            lo, hi = t0 + b * HOURS_PER_DAY, min(t0 + (b + 1) * HOURS_PER_DAY, t1)
            count = rng.poisson(self.per_day * (hi - lo) / HOURS_PER_DAY)
            a, e = ctx.awake_intervals(lo, hi)
            room = e - d - a  # a hassle starting in [a, e - d] ends while awake
            ok = room > TIME_TOL
            if count == 0 or not ok.any():
                continue
            a, room = a[ok], room[ok]
            cum = np.concatenate([[0.0], np.cumsum(room)])
            u = rng.uniform(0.0, cum[-1], count)
            k = np.clip(np.searchsorted(cum, u, side="right") - 1, 0, a.size - 1)
            out.append(a[k] + (u - cum[k]))
        return np.sort(np.concatenate(out)) if out else np.zeros(0)

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        on = self.times(ctx, prefix)
        off = on + hours(self.duration)
        return Effect(pulses=[Pulse(ACUTE_STRESSOR.name, on, off, self.intensity)],
                      awake_sessions=(on, off))

