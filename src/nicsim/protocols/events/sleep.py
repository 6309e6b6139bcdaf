"""Sleep events: changes of the habitual sleep schedule and sleep deprivation.

Both are placed with the person's habitual sleep by :meth:`nicsim.protocols.Scenario.timeline`
(which builds the ``asleep`` input, and the ``sleep_scheduled`` input of the nights as scheduled
before any deprivation); their ``resolve`` adds nothing of its own. A ``sleep_schedule`` change
moves the schedule itself, so it creates no sleep debt; the hours of a scheduled night that a
``sleep_deprivation`` keeps awake are sleep debt (clock module).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from nicsim.errors import ScenarioError
from nicsim.protocols.spec import (
    Clock,
    Context,
    Effect,
    EventBase,
    ModelInput,
    check_sleep_window,
    number_type,
)

ASLEEP = ModelInput("asleep", readers=("clock", "psyche", "ans"))
#: 1 during the scheduled nights (the person's habitual sleep with sleep_schedule changes, before
#: any sleep_deprivation); the clock module counts scheduled hours spent awake as sleep debt
SCHEDULED = ModelInput("sleep_scheduled", readers=("clock",), cap=1.0)


class SleepScheduleChange(EventBase):
    """Change the habitual sleep schedule for the nights that begin on days from_day..to_day.

    Night N begins on day N: a bedtime from 12:00 to 23:59 is on day N, a bedtime from 00:00 to
    11:59 is after midnight (on day N+1). Sleep must last 3 to 14 h. Two ``sleep_schedule``
    events must not change the same night; a ``sleep_deprivation`` of a night inside the range
    overrides it. Drives inputs ``asleep`` and ``sleep_scheduled`` (no sleep debt: the schedule
    itself moves).
    """

    type: Literal["sleep_schedule"] = "sleep_schedule"
    inputs: ClassVar[tuple[ModelInput, ...]] = (ASLEEP, SCHEDULED)
    effect: ClassVar[str] = "changes nights"
    from_day: number_type(1, None, integer=True) = Field(  # type: ignore[valid-type]
        description="first night changed (the night that begins on this day), >= 1")
    to_day: number_type(1, None, integer=True) = Field(  # type: ignore[valid-type]
        description="last night changed (inclusive), >= from_day")
    bedtime: Clock = Field(description="clock time 'HH:MM'")
    wake: Clock = Field(description="clock time 'HH:MM'; sleep lasts 3 to 14 h")

    @model_validator(mode="after")
    def _check(self) -> SleepScheduleChange:
        if self.to_day < self.from_day:
            raise ScenarioError("to_day", self.to_day, f"expected a day >= from_day "
                                f"({self.from_day})")
        check_sleep_window(self.bedtime, self.wake)
        return self

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return Effect()  # handled with the person's sleep by the scenario


class SleepDeprivation(EventBase):
    """Sleep deprivation for one night: total (no sleep) or partial (late bedtime, early wake).

    Examples: total sleep deprivation (Born et al. 1997); partial night sleep deprivation, awake
    from 23:00 to 03:00 (Irwin et al. 2006). ``night: N`` is the night that begins on day N.
    Give ``total: true`` or a ``bedtime`` and/or ``wake`` (the missing one is taken from the
    schedule for that night); a shortened night lasts more than 0 and at most 14 h. At most one
    ``sleep_deprivation`` per night. Drives input ``asleep``; the scheduled hours it keeps awake
    become sleep debt (clock module).
    """

    type: Literal["sleep_deprivation"] = "sleep_deprivation"
    inputs: ClassVar[tuple[ModelInput, ...]] = (ASLEEP,)
    effect: ClassVar[str] = "changes one night"
    night: number_type(1, None, integer=True) = Field(  # type: ignore[valid-type]
        description="the night that begins on day N, >= 1")
    total: bool = Field(default=False, description="true: no sleep at all that night")
    bedtime: Clock | None = Field(default=None, description="clock time 'HH:MM' (partial)")
    wake: Clock | None = Field(default=None, description="clock time 'HH:MM' (partial)")

    @model_validator(mode="after")
    def _check(self) -> SleepDeprivation:
        if self.total and (self.bedtime is not None or self.wake is not None):
            raise ScenarioError("total", self.total, "give either total: true or a bedtime/wake "
                                "for a shortened night, not both")
        if not self.total and self.bedtime is None and self.wake is None:
            raise ScenarioError("total", self.total, "give total: true (no sleep that night) "
                                "or a bedtime and/or wake for a shortened night")
        if self.bedtime is not None and self.wake is not None:
            check_sleep_window(self.bedtime, self.wake, min_h=0.0)
        return self

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return Effect()  # handled with the person's sleep by the scenario

