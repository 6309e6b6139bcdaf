"""Mind-body practices: slow-paced breathing, mindfulness programmes, hypnosis/relaxation.

Sessions require being awake and must not overlap other sessions of the same practice.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BeforeValidator, Field

from nicsim.protocols.spec import (
    Context,
    Effect,
    EventBase,
    ModelInput,
    Pulse,
    TimeExpression,
    daily,
    duration_type,
    hours,
    number_type,
    quantity_type,
    quantity_value,
    weekly_days,
)
from nicsim.protocols.timeexpr import HOURS_PER_DAY

SLOW_BREATHING = ModelInput("slow_breathing", readers=("ans",), cap=1.0)
MINDFULNESS_PRACTICE = ModelInput("mindfulness_practice", readers=("psyche",), cap=1.0)
RELAXATION_PRACTICE = ModelInput("relaxation_practice", readers=("psyche",), cap=1.0)


def _per_minute(v: Any) -> Any:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{v} /min"
    return v


class SlowBreathing(EventBase):
    """Slow-paced (resonance frequency) breathing practice, daily sessions.

    About 6 breaths/min maximises heart-rate variability and vagal tone (Lehrer & Gevirtz 2014,
    Front Psychol 5:756); allowed 4 to 10 breaths/min. ``days`` daily sessions of ``session``
    length from ``start`` (every 24 h). Sessions require being awake and must not overlap other
    slow_breathing sessions. Drives input ``slow_breathing`` (= 1 during sessions).
    """

    type: Literal["slow_breathing"] = "slow_breathing"
    inputs: ClassVar[tuple[ModelInput, ...]] = (SLOW_BREATHING,)
    effect: ClassVar[str] = "1 during sessions"
    start: TimeExpression = Field(description="time expression; first session")
    session: duration_type(1 / 60, 2.0) = Field(  # type: ignore[valid-type]
        default="20 min", description="session length, 1 min to 2 h; default 20 min")
    days: number_type(1, None, integer=True) = Field(  # type: ignore[valid-type]
        default=1, description="number of daily sessions, >= 1; default 1")
    rate: Annotated[
        quantity_type("1/min", lo=4.0, hi=10.0, lo_open=False, default_unit="1/min",
                      label="/min"),
        BeforeValidator(_per_minute),
    ] = Field(default="6 /min", description="breaths per minute, '6 /min' or 6; 4 to 10")

    @property
    def rate_per_min(self) -> float:
        return quantity_value(self.rate, "1/min")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        dur = hours(self.session)
        ctx.require_end(t0 + (self.days - 1) * HOURS_PER_DAY + dur,
                        f"{prefix}.{'days' if self.days > 1 else 'session'}",
                        self.days if self.days > 1 else self.session)
        on, off = daily(t0, dur, np.arange(self.days))
        return Effect(pulses=[Pulse(SLOW_BREATHING.name, on, off, 1.0)], awake_sessions=(on, off),
                      exclusive=self.type, sessions=(on, off))


class MindfulnessProgramme(EventBase):
    """Mindfulness programme such as MBSR (Kabat-Zinn 1990): 8 weeks, 45 min daily practice.

    ``weeks`` 7-day blocks from ``start``; in each block practice sessions of
    ``daily_practice`` length on the first ``sessions_per_week`` days at the clock time of
    ``start``. Sessions require being awake and must not overlap other mindfulness sessions.
    Drives input ``mindfulness_practice`` (= 1 during each session).
    """

    type: Literal["mindfulness_programme"] = "mindfulness_programme"
    inputs: ClassVar[tuple[ModelInput, ...]] = (MINDFULNESS_PRACTICE,)
    effect: ClassVar[str] = "1 during sessions"
    start: TimeExpression = Field(description="time expression; first practice session")
    weeks: number_type(1, 52, integer=True) = Field(  # type: ignore[valid-type]
        default=8, description="programme length in weeks, 1 to 52; default 8 (MBSR)")
    daily_practice: duration_type(5 / 60, 3.0) = Field(  # type: ignore[valid-type]
        default="45 min", description="session length, 5 min to 3 h; default 45 min (MBSR)")
    sessions_per_week: number_type(1, 7, integer=True) = Field(  # type: ignore[valid-type]
        default=7, description="practice days per week, 1 to 7; default 7")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        dur = hours(self.daily_practice)
        k = np.arange(self.weeks * self.sessions_per_week)
        offsets = 7 * (k // self.sessions_per_week) + k % self.sessions_per_week
        ctx.require_end(t0 + offsets[-1] * HOURS_PER_DAY + dur, f"{prefix}.weeks", self.weeks)
        on, off = daily(t0, dur, offsets)
        return Effect(pulses=[Pulse(MINDFULNESS_PRACTICE.name, on, off, 1.0)],
                      awake_sessions=(on, off), exclusive=self.type,
                      sessions=(on, off))



class HypnosisRelaxation(EventBase):
    """Hypnosis or relaxation training sessions (e.g. hypnosis and relaxation in dermatology:
    Shenefelt 2000, Dermatol Ther 13:41; progressive muscle relaxation). Sessions of ``session``
    length at the clock time of ``start`` over ``days`` days: every day, or with
    ``sessions_per_week`` on fixed days of each week (pattern 1: day 0; 2: days 0, 3; 3: days 0,
    2, 4; 4: 0, 1, 3, 4; 5: 0-4; 6: 0-5; 7: every day, counted from the first session).
    Sessions require being awake and must not overlap other hypnosis_relaxation sessions.
    Drives input ``relaxation_practice`` (= 1 during sessions).
    """

    type: Literal["hypnosis_relaxation"] = "hypnosis_relaxation"
    inputs: ClassVar[tuple[ModelInput, ...]] = (RELAXATION_PRACTICE,)
    effect: ClassVar[str] = "1 during sessions (awake)"
    start: TimeExpression = Field(description="time expression; first session")
    session: duration_type(1 / 60, 2.0) = Field(  # type: ignore[valid-type]
        default="30 min", description="session length, 1 min to 2 h; default 30 min")
    days: number_type(1, None, integer=True) = Field(  # type: ignore[valid-type]
        default=1, description="length of the programme in days, >= 1; default 1")
    sessions_per_week: number_type(1, 7, integer=True) = Field(  # type: ignore[valid-type]
        default=7, description="sessions per week, 1 to 7; default 7 (daily)")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        # every weekly pattern has a session on the first day of each week, so the programme's
        # last week starts with one: checked before the sessions are built (a huge ``days``)
        last_week = 7 * ((self.days - 1) // 7)
        if self.days > 1:
            ctx.require_end(t0 + last_week * HOURS_PER_DAY + hours(self.session),
                            f"{prefix}.days", self.days)
        offsets = weekly_days(self.days, self.sessions_per_week)
        on, off = daily(t0, hours(self.session), offsets)
        field = "days" if offsets.size > 1 else "session"
        ctx.require_end(float(off[-1]), f"{prefix}.{field}",
                        self.days if offsets.size > 1 else self.session)
        return Effect(pulses=[Pulse(RELAXATION_PRACTICE.name, on, off, 1.0)],
                      awake_sessions=(on, off), exclusive=self.type,
                      sessions=(on, off))

