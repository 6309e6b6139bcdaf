"""A care plan: skincare steps and regulation practices with a schedule (practice P2).

A :class:`CarePlan` is a list of steps. Each step has a ``kind`` (what is done), its own
settings (session length, clock time, days per week, potency, coverage...) and when it runs:
``from_week`` (1 = the first week of the plan) and ``weeks`` (how many weeks; empty = until the
end of whatever the plan is projected over). Every step maps onto one protocol event of
:mod:`nicsim.protocols` (:data:`STEP_EVENTS`), so the model can project the plan
(:meth:`CarePlan.events`). Plans are read from YAML (:meth:`CarePlan.from_yaml`) or a dict and are
checked completely on construction; every problem raises
:class:`~nicsim.errors.ScenarioError` naming the field by its path (``steps[1].minutes``), the
value given and what is allowed.

Example (``plan.yaml``)::

    name: calm skin
    steps:
      - {kind: emollient, coverage: 0.8}
      - {kind: slow_breathing, minutes: 10, at: "07:30"}
      - {kind: mindfulness, minutes: 20, at: "20:00", days_per_week: 5, from_week: 2}
      - {kind: topical_corticosteroid, potency: moderate, weeks: 2}

A plan is a wellness plan agreed with a practitioner; medical treatments (topical steroids,
phototherapy) appear only when prescribed by a clinician.
"""

from __future__ import annotations

import functools
import operator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, model_validator

from nicsim.errors import ScenarioError
from nicsim.protocols.events.skin import POTENCY_NAMES
from nicsim.protocols.scenario import FileModel
from nicsim.protocols.spec import Clock, StrictModel, number_type
from nicsim.protocols.timeexpr import parse_clock

DAYS_PER_WEEK = 7

#: Step kind -> the protocol event type it becomes.
STEP_EVENTS: dict[str, str] = {
    "slow_breathing": "slow_breathing",
    "mindfulness": "mindfulness_programme",
    "relaxation": "hypnosis_relaxation",
    "sleep_schedule": "sleep_schedule",
    "social_support": "social_support",
    "support_group": "support_group",
    "emollient": "emollient",
    "topical_corticosteroid": "topical_corticosteroid",
    "retinoid_bpo": "retinoid_bpo",
    "nb_uvb": "nb_uvb",
}
#: Step kinds that are regulation practices (recorded as diary ``practices``); the others are
#: skincare (recorded as diary ``products``). The names are the diary's practice names.
PRACTICE_NAMES: dict[str, str] = {
    "slow_breathing": "slow_breathing", "mindfulness": "mindfulness",
    "relaxation": "relaxation", "sleep_schedule": "sleep_schedule",
    "social_support": "social_support", "support_group": "social_support",
}


def _potency(v: Any) -> Any:
    if isinstance(v, str) and v.strip().lower() in POTENCY_NAMES:
        return POTENCY_NAMES[v.strip().lower()]
    return v


class _Step(StrictModel):
    label: ClassVar[str] = ""
    #: True for a step a clinician prescribes (not planned by a practitioner alone).
    prescribed: ClassVar[bool] = False
    from_week: number_type(1, 104, integer=True) = Field(  # type: ignore[valid-type]
        default=1, description="first week of the step, 1 to 104 (1 = the plan's first week)")
    weeks: number_type(1, 104, integer=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="how many weeks, 1 to 104; empty = to the end")

    def window(self, n_days: int) -> tuple[int, int] | None:
        """(first day offset, number of days) inside a plan period of ``n_days``; None if the
        step starts after the period."""
        d0 = (self.from_week - 1) * DAYS_PER_WEEK
        if d0 >= n_days:
            return None
        n = n_days - d0 if self.weeks is None else min(self.weeks * DAYS_PER_WEEK, n_days - d0)
        return d0, n

    def event(self, day: int, n: int) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        when = f"from week {self.from_week}" if self.from_week > 1 else "from the start"
        span = f" for {self.weeks} week{'s' * (self.weeks != 1)}" if self.weeks else ""
        return f"{self.label}{self._detail()}, {when}{span}"

    def _detail(self) -> str:
        return ""


class _Session(_Step):
    minutes: number_type(1, 120) = Field(  # type: ignore[valid-type]
        default=15, description="session length in minutes, 1 to 120")
    at: Clock = Field(default="08:00", description="clock time 'HH:MM' of the session")
    days_per_week: number_type(1, 7, integer=True) = Field(  # type: ignore[valid-type]
        default=7, description="sessions per week, 1 to 7")

    def _detail(self) -> str:
        per = "daily" if self.days_per_week == 7 else f"{self.days_per_week} days a week"
        return f": {self.minutes:g} min at {self.at}, {per}"


class SlowBreathingStep(_Session):
    """Slow-paced breathing (about 6 breaths/min); daily sessions (days_per_week must be 7:
    the breathing event has no weekly pattern)."""

    kind: Literal["slow_breathing"] = "slow_breathing"
    label: ClassVar[str] = "Slow breathing"
    minutes: number_type(1, 120) = Field(  # type: ignore[valid-type]
        default=10, description="session length in minutes, 1 to 120; default 10")

    @model_validator(mode="after")
    def _daily_only(self) -> SlowBreathingStep:
        if self.days_per_week != 7:
            raise ScenarioError("days_per_week", self.days_per_week, "slow breathing is "
                                "planned daily: expected 7 (or leave it out)")
        return self

    def event(self, day, n):
        return {"type": "slow_breathing", "start": f"day {day} {self.at}",
                "session": f"{self.minutes:g} min", "days": n}


class MindfulnessStep(_Session):
    """Mindfulness practice (MBSR-like), ``minutes`` (5 to 120) on ``days_per_week`` days."""

    kind: Literal["mindfulness"] = "mindfulness"
    label: ClassVar[str] = "Mindfulness"
    minutes: number_type(5, 120) = Field(  # type: ignore[valid-type]
        default=20, description="session length in minutes, 5 to 120; default 20")
    at: Clock = Field(default="19:30", description="clock time 'HH:MM'; default 19:30")

    def event(self, day, n):
        weeks = max(1, n // DAYS_PER_WEEK)
        return {"type": "mindfulness_programme", "start": f"day {day} {self.at}",
                "weeks": weeks, "daily_practice": f"{self.minutes:g} min",
                "sessions_per_week": self.days_per_week}


class RelaxationStep(_Session):
    """Relaxation or hypnosis recording sessions."""

    kind: Literal["relaxation"] = "relaxation"
    label: ClassVar[str] = "Relaxation"
    minutes: number_type(1, 120) = Field(  # type: ignore[valid-type]
        default=30, description="session length in minutes, 1 to 120; default 30")
    at: Clock = Field(default="20:30", description="clock time 'HH:MM'; default 20:30")

    def event(self, day, n):
        return {"type": "hypnosis_relaxation", "start": f"day {day} {self.at}",
                "session": f"{self.minutes:g} min", "days": n,
                "sessions_per_week": self.days_per_week}


class SleepScheduleStep(_Step):
    """A regular sleep schedule: bedtime and wake (3 to 14 h of sleep)."""

    kind: Literal["sleep_schedule"] = "sleep_schedule"
    label: ClassVar[str] = "Sleep schedule"
    bedtime: Clock = Field(default="23:00", description="clock time 'HH:MM'; default 23:00")
    wake: Clock = Field(default="07:00", description="clock time 'HH:MM'; default 07:00")

    @model_validator(mode="after")
    def _length(self) -> SleepScheduleStep:
        length = (parse_clock(self.wake) - parse_clock(self.bedtime)) % 24.0
        if not 3.0 <= length <= 14.0:
            raise ScenarioError("wake", self.wake, f"with bedtime {self.bedtime} this gives "
                                f"{length:.1f} h of sleep; expected 3 to 14 h")
        return self

    def _detail(self) -> str:
        return f": {self.bedtime} to {self.wake}"

    def event(self, day, n):
        return {"type": "sleep_schedule", "from_day": day, "to_day": day + n - 1,
                "bedtime": self.bedtime, "wake": self.wake}


class SocialSupportStep(_Step):
    """Time with a supportive person each day (``from``-``to`` clock window)."""

    kind: Literal["social_support"] = "social_support"
    label: ClassVar[str] = "Time with a supportive person"
    level: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        default=1.0, description="how supportive, 0 to 1; default 1")
    from_: Clock = Field(default="19:00", alias="from", description="clock time 'HH:MM'")
    to: Clock = Field(default="20:00", description="clock time 'HH:MM'")

    def _detail(self) -> str:
        return f": {self.from_} to {self.to} daily"

    def event(self, day, n):
        return {"type": "social_support", "start": f"day {day}", "days": n,
                "daily_window": {"from": self.from_, "to": self.to}, "level": self.level}


class SupportGroupStep(_Step):
    """A weekly support or stress-management group."""

    kind: Literal["support_group"] = "support_group"
    label: ClassVar[str] = "Support group"

    def event(self, day, n):
        return {"type": "support_group", "start": f"day {day} 18:00",
                "weeks": max(1, n // DAYS_PER_WEEK)}


class EmollientStep(_Step):
    """Emollient (moisturiser) twice daily; ``coverage`` 0 to 1 of the affected skin."""

    kind: Literal["emollient"] = "emollient"
    label: ClassVar[str] = "Emollient twice daily"
    coverage: number_type(0.0, 1.0, lo_open=True) = Field(  # type: ignore[valid-type]
        default=1.0, description="fraction of the affected skin treated, more than 0 to 1")

    def _detail(self) -> str:
        return f" ({self.coverage:.0%} of the affected skin)"

    def event(self, day, n):
        return {"type": "emollient", "start": f"day {day}", "period": f"{n} days",
                "coverage": self.coverage}


class TopicalCorticosteroidStep(_Step):
    """A topical corticosteroid (prescribed by a clinician): potency 1-4 or its name."""

    kind: Literal["topical_corticosteroid"] = "topical_corticosteroid"
    label: ClassVar[str] = "Topical corticosteroid (prescribed)"
    prescribed: ClassVar[bool] = True
    potency: Annotated[number_type(1, 4, integer=True),  # type: ignore[valid-type]
                       BeforeValidator(_potency)] = Field(
        description="class 1 to 4 or mild, moderate, potent, very potent")

    def _detail(self) -> str:
        return f", potency class {self.potency}"

    def event(self, day, n):
        return {"type": "topical_corticosteroid", "start": f"day {day}",
                "period": f"{n} days", "potency": self.potency}


class RetinoidBpoStep(_Step):
    """A topical retinoid / benzoyl peroxide gel once daily (acne)."""

    kind: Literal["retinoid_bpo"] = "retinoid_bpo"
    label: ClassVar[str] = "Retinoid / benzoyl peroxide gel"

    def event(self, day, n):
        return {"type": "retinoid_bpo", "start": f"day {day}", "period": f"{n} days"}


class NbUvbStep(_Step):
    """Narrow-band UVB phototherapy (prescribed by a clinician)."""

    kind: Literal["nb_uvb"] = "nb_uvb"
    label: ClassVar[str] = "NB-UVB phototherapy (prescribed)"
    prescribed: ClassVar[bool] = True
    sessions_per_week: number_type(1, 5, integer=True) = Field(  # type: ignore[valid-type]
        default=3, description="sessions per week, 1 to 5; default 3")
    at: Clock = Field(default="10:00", description="clock time 'HH:MM'; default 10:00")

    def _detail(self) -> str:
        return f", {self.sessions_per_week} sessions a week"

    def event(self, day, n):
        return {"type": "nb_uvb", "at": f"day {day} {self.at}",
                "sessions_per_week": self.sessions_per_week,
                "weeks": max(1, n // DAYS_PER_WEEK)}


STEP_CLASSES: tuple[type[_Step], ...] = (
    SlowBreathingStep, MindfulnessStep, RelaxationStep, SleepScheduleStep, SocialSupportStep,
    SupportGroupStep, EmollientStep, TopicalCorticosteroidStep, RetinoidBpoStep, NbUvbStep)
#: step ``kind`` -> model class
STEP_KINDS: dict[str, type[_Step]] = {c.model_fields["kind"].default: c for c in STEP_CLASSES}
#: step kinds a clinician prescribes
PRESCRIBED_KINDS: frozenset[str] = frozenset(k for k, c in STEP_KINDS.items() if c.prescribed)
#: What a step ticked without details gets besides its defaults (the app's one-click plan).
#: Assumption: a topical corticosteroid as a short course of moderate potency for 2 weeks.
ONE_CLICK_SETTINGS: dict[str, dict[str, Any]] = {
    "topical_corticosteroid": {"potency": "moderate", "weeks": 2}}
PlanStep = Annotated[functools.reduce(operator.or_, STEP_CLASSES), Field(discriminator="kind")]


def _steps(v: Any) -> Any:
    if not isinstance(v, list):
        raise ScenarioError("", v, "expected a list of steps, each with a kind: "
                            + ", ".join(STEP_KINDS))
    for i, s in enumerate(v):
        if isinstance(s, dict) and "kind" not in s:
            raise ScenarioError(f"[{i}].kind", None, "every step needs a kind: "
                                + ", ".join(STEP_KINDS))
        if isinstance(s, dict) and s.get("kind") not in STEP_KINDS:
            raise ScenarioError(f"[{i}].kind", s.get("kind"), "expected one of: "
                                + ", ".join(STEP_KINDS))
    return v


class CarePlan(FileModel):
    """A care plan: a name and its steps (see the module docstring)."""

    document: ClassVar[str] = "plan"

    name: str = Field(default="plan", description="plan name")
    description: str | None = Field(default=None, description="free text")
    steps: Annotated[list[PlanStep], BeforeValidator(_steps)] = Field(  # type: ignore[valid-type]
        default_factory=list, description="the plan's steps, each with a kind")

    @model_validator(mode="after")
    def _check_plan(self) -> CarePlan:
        seen: dict[str, int] = {}
        for i, s in enumerate(self.steps):
            if s.kind in seen:
                raise ScenarioError(f"steps[{i}].kind", s.kind, f"already planned as "
                                    f"steps[{seen[s.kind]}]; give each kind once")
            seen[s.kind] = i
        return self

    @classmethod
    def no_change(cls) -> CarePlan:
        """The empty plan: carry on as before."""
        return cls(name="no change", steps=[])

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def events(self, first_day: int, n_days: int) -> list[dict[str, Any]]:
        """Protocol events (plain dicts) for a plan that begins on scenario day ``first_day``
        and is projected over ``n_days`` days. A step that starts after the period is left
        out."""
        if n_days < 1:
            raise ScenarioError("n_days", n_days, "expected at least 1 day")
        out = []
        for s in self.steps:
            w = s.window(n_days)
            if w is not None:
                out.append(s.event(first_day + w[0], w[1]))
        return out

    def practices(self) -> tuple[str, ...]:
        """Diary practice names of the plan's regulation practices (for adherence)."""
        return tuple(dict.fromkeys(PRACTICE_NAMES[s.kind] for s in self.steps
                                   if s.kind in PRACTICE_NAMES))

    def products(self) -> tuple[str, ...]:
        """Diary product names of the plan's skincare steps (for adherence)."""
        return tuple(s.kind for s in self.steps if s.kind not in PRACTICE_NAMES)

    def describe(self) -> list[str]:
        """One plain-language line per step."""
        return [s.describe() for s in self.steps]
