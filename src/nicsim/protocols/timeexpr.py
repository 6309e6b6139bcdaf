"""Clock times, days and durations in scenario files, converted to model hours.

The model's time unit is the hour. ``t = 0`` is the scenario start, whose clock time is
``Scenario.start`` ("07:00" by default); day 1 is the calendar day of the start, so day ``N``
begins (at 00:00) at ``t = (N - 1) * 24 - start_clock_h``.

Time expressions (``at``, ``start`` of events):

* ``"day N HH:MM"``: clock time on day ``N`` (``N >= 1``);
* ``"day N"``: the start of day ``N`` (00:00), or ``t = 0`` for day 1 (which starts mid-day);
* ``"HH:MM"``: clock time on day 1;
* ``"+36 h"``, ``"+2 days"``: an offset from ``t = 0``.

Durations are strings with a time unit that pint understands ("20 min", "1.5 h", "3 days",
"8 weeks"); a bare number is refused because its unit would be a guess.

Every function raises :class:`~nicsim.errors.ScenarioError` naming ``field`` and what is allowed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nicsim.core.units import parse_quantity
from nicsim.errors import ScenarioError

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0
#: Largest scenario duration: 5 (Julian) years in hours.
MAX_SCENARIO_H = 5 * 365.25 * 24.0
#: Times closer than this (hours) are the same time.
TIME_TOL = 1e-9
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

TIME_EXPR_HELP = (
    "give 'day N HH:MM' (days count from 1), 'day N', 'HH:MM' (on day 1) "
    "or an offset from the scenario start like '+36 h' or '+2 days'"
)
CLOCK_HELP = "expected a clock time 'HH:MM' from '00:00' to '23:59', e.g. '23:00'"
_YAML_SEXAGESIMAL_HINT = (
    "quote clock times in YAML: an unquoted 23:00 is read by YAML 1.1 parsers as the number 1380"
)



def _sexagesimal_hint(value: object) -> str:
    return _YAML_SEXAGESIMAL_HINT if type(value) is int else ""


_CLOCK_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_DAY_RE = re.compile(r"^\s*day\s*([-+]?\d+)(?:\s*,?\s+(\S.*?))?\s*$", re.IGNORECASE)


# ----------------------------------------------------------------------------- clock times
def parse_clock(text: object, *, field: str = "time") -> float:
    """'HH:MM' -> hours after midnight in [0, 24)."""
    if not isinstance(text, str):
        hint = _sexagesimal_hint(text)
        raise ScenarioError(field, text, CLOCK_HELP, hint=hint)
    m = _CLOCK_RE.match(text)
    if not m:
        raise ScenarioError(field, text, CLOCK_HELP)
    hh, mm = int(m.group(1)), int(m.group(2))
    if hh > 23 or mm > 59:
        raise ScenarioError(field, text, CLOCK_HELP + " (hours 00-23, minutes 00-59)")
    return hh + mm / 60.0


def normalize_clock(text: object, *, field: str = "time") -> str:
    """Validate a clock time and return it as zero-padded 'HH:MM'."""
    return format_clock(parse_clock(text, field=field))


def format_clock(hours: float) -> str:
    """Hours after midnight -> 'HH:MM' (rounded to the minute, wrapped into one day)."""
    minutes = int(round(hours * 60.0)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ----------------------------------------------------------------------------- durations
def format_duration(hours: float) -> str:
    """A readable duration: '20 min', '1.5 h', '3 days'."""
    if hours < 1.0:
        return f"{hours * 60.0:.6g} min"
    if hours < 48.0:
        return f"{hours:.6g} h"
    return f"{hours / HOURS_PER_DAY:.6g} days"


def _duration_range_text(min_h: float | None, max_h: float | None, positive: bool) -> str:
    lo = format_duration(min_h) if min_h is not None else None
    hi = format_duration(max_h) if max_h is not None else None
    if lo and hi:
        return f"expected a duration from {lo} to {hi}"
    if hi:
        return f"expected a duration longer than 0 and at most {hi}" if positive else (
            f"expected a duration of at most {hi}")
    if lo:
        return f"expected a duration of at least {lo}"
    return "expected a duration longer than 0" if positive else "expected a duration >= 0"


def parse_duration(text: object, *, field: str = "duration", min_h: float | None = None,
                   max_h: float | None = None, positive: bool = True) -> float:
    """'20 min', '1.5 h', '3 days', '8 weeks' -> hours.

    ``positive`` requires > 0 (otherwise >= 0); ``min_h``/``max_h`` bound the result (inclusive).
    """
    allowed = _duration_range_text(min_h, max_h, positive)
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise ScenarioError(field, text, f"{allowed}, written with a unit like '20 min'")
    if isinstance(text, str) and not text.strip():
        raise ScenarioError(field, text, f"{allowed}, written with a unit like '20 min'")
    q = parse_quantity(text, field=field, dimension="hour")
    try:
        hours = float(q.to("hour").magnitude)
    except Exception:  # complex magnitudes, overflow, odd pint objects
        raise ScenarioError(field, text, allowed) from None
    if not math.isfinite(hours):
        raise ScenarioError(field, text, f"{allowed} (a finite number)")
    if hours < 0 or (positive and hours <= 0):
        raise ScenarioError(field, text, allowed)
    if min_h is not None and hours < min_h * (1 - 1e-12):
        raise ScenarioError(field, text, allowed)
    if max_h is not None and hours > max_h * (1 + 1e-12):
        raise ScenarioError(field, text, allowed)
    return hours


# ----------------------------------------------------------------------------- time expressions
@dataclass(frozen=True)
class TimeExpr:
    """A parsed time expression; :meth:`hours` places it on the model time axis."""

    text: str
    day: int | None = None  # None: day 1 implied ('HH:MM') or an offset
    clock_h: float | None = None  # None with a day: the start of that day
    offset_h: float | None = None  # '+36 h'

    def hours(self, start_clock_h: float) -> float:
        """Hours since t = 0 for a scenario whose t = 0 is at ``start_clock_h`` on day 1."""
        if self.offset_h is not None:
            return self.offset_h
        day = 1 if self.day is None else self.day
        if self.clock_h is None:
            return max(0.0, day_start(day, start_clock_h))
        return day_start(day, start_clock_h) + self.clock_h


def parse_time_expr(text: object, *, field: str = "time") -> TimeExpr:
    """Parse a time expression (see the module docstring); syntax only, no range check."""
    if not isinstance(text, str):
        hint = _sexagesimal_hint(text)
        raise ScenarioError(field, text, TIME_EXPR_HELP, hint=hint)
    s = text.strip()
    if len(s) > 200:
        raise ScenarioError(field, text, f"{TIME_EXPR_HELP} (at most 200 characters)")
    if s.startswith("-"):
        raise ScenarioError(field, text, "times before the scenario start (t = 0) are not "
                            f"allowed; {TIME_EXPR_HELP}")
    if s.startswith("+"):
        try:
            offset = parse_duration(s[1:].strip(), field=field, positive=False)
        except ScenarioError:
            raise ScenarioError(field, text, TIME_EXPR_HELP) from None
        return TimeExpr(text=text, offset_h=offset)
    m = _DAY_RE.match(s)
    if m:
        day = int(m.group(1))
        if day < 1:
            raise ScenarioError(field, text, "days count from 1 (day 1 is the day the scenario "
                                f"starts); {TIME_EXPR_HELP}")
        clock = None
        if m.group(2) is not None:
            clock_text = m.group(2)
            if not _CLOCK_RE.match(clock_text):
                raise ScenarioError(field, text, TIME_EXPR_HELP)
            try:
                clock = parse_clock(clock_text, field=field)
            except ScenarioError as exc:
                raise ScenarioError(field, text, exc.allowed) from None
        return TimeExpr(text=text, day=day, clock_h=clock)
    if _CLOCK_RE.match(s):
        return TimeExpr(text=text, clock_h=parse_clock(s, field=field))
    raise ScenarioError(field, text, TIME_EXPR_HELP)


def resolve_time(text: object, *, field: str, start_clock_h: float, duration_h: float,
                 allow_end: bool = False) -> float:
    """Parse a time expression and place it in [0, duration_h) (or [0, duration_h])."""
    t = parse_time_expr(text, field=field).hours(start_clock_h)
    if t < -TIME_TOL:
        raise ScenarioError(
            field, text, f"this is {format_duration(-t)} before the scenario starts "
            f"(t = 0 is {format_clock(start_clock_h)} on day 1); times must lie within the "
            "scenario")
    end_bad = t > duration_h + TIME_TOL if allow_end else t >= duration_h - TIME_TOL
    if end_bad:
        raise ScenarioError(
            field, text, f"this is at t = {t:.6g} h, {'after' if t > duration_h else 'at'} the "
            f"scenario end ({format_time(duration_h, start_clock_h)}, t = {duration_h:.6g} h); "
            "times must lie within the scenario")
    return max(t, 0.0)


# ----------------------------------------------------------------------------- calendar
def day_start(day: int, start_clock_h: float) -> float:
    """Model time (h) of 00:00 on calendar day ``day`` (day 1 = the start day)."""
    return (day - 1) * HOURS_PER_DAY - start_clock_h


def day_of(t: float, start_clock_h: float) -> int:
    """Calendar day (1-based) that contains model time ``t``."""
    return int(math.floor((t + start_clock_h + TIME_TOL) / HOURS_PER_DAY)) + 1


def format_time(t: float, start_clock_h: float) -> str:
    """Model time -> 'day N HH:MM' (rounded to the minute)."""
    minutes = int(round((t + start_clock_h) * 60.0))
    return f"day {minutes // 1440 + 1} {(minutes % 1440) // 60:02d}:{minutes % 60:02d}"


def weekday_index(name: str) -> int:
    """'monday' -> 0 ... 'sunday' -> 6."""
    return WEEKDAYS.index(name)
