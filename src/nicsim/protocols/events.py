"""Protocol events: one pydantic model per exposure a scenario can schedule.

Every event has a ``type`` (the discriminator), times written as time expressions
(:mod:`nicsim.protocols.timeexpr`) and quantities written with units. Field-level checks (syntax,
units, ranges) happen when the event is read; checks that need the scenario (start clock,
duration, sleep) happen in :meth:`Event.resolve`, called by :class:`~nicsim.protocols.Scenario`.

``resolve`` turns an event into an :class:`Effect`: rectangular pulses on model inputs (value
added while active), additive jumps on model states, and the sessions that require the person to
be awake or not to overlap other sessions of the same practice.

Every error is a :class:`~nicsim.errors.ScenarioError`; pydantic's own errors are converted by
:func:`scenario_error_from_validation`.
"""

from __future__ import annotations

import difflib
import functools
import math
import operator
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from nicsim.core.units import parse_quantity
from nicsim.errors import ScenarioError
from nicsim.protocols.timeexpr import (
    HOURS_PER_DAY,
    TIME_TOL,
    format_duration,
    format_time,
    normalize_clock,
    parse_clock,
    parse_duration,
    parse_time_expr,
    resolve_time,
)

#: State that an LPS bolus jumps (dose added, ng/kg).
ENDOTOXIN_TARGET = "immune.endotoxin"
#: Largest LPS dose per event (ng/kg), as in published human endotoxemia studies.
MAX_LPS_DOSE_NG_PER_KG = 4.0
#: Habitual and scheduled sleep length limits (hours).
MIN_SLEEP_H, MAX_SLEEP_H = 3.0, 14.0


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


#: The ``value`` of a ScenarioError for a required key that was not given.
MISSING = _Missing()


# ============================================================================ base model + errors
class StrictModel(BaseModel):
    """Base for every scenario model: unknown keys are errors, errors are ScenarioErrors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True,
                              validate_by_alias=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise scenario_error_from_validation(exc) from None

    # validation (nested models included) stays in pydantic-core; this __init__ only converts
    # the error of a direct construction such as ``Person(age=12)``
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any):  # type: ignore[override]
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise scenario_error_from_validation(exc) from None

    @classmethod
    def allowed_keys(cls) -> list[str]:
        """The keys a file may use for this model, in declaration order."""
        return [f.alias or name for name, f in cls.model_fields.items()]

    @model_validator(mode="before")
    @classmethod
    def _check_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            if isinstance(data, BaseModel):
                return data
            raise ScenarioError("", data, f"expected a mapping (key: value pairs) with the keys "
                                f"{', '.join(cls.allowed_keys())}")
        allowed = cls.allowed_keys()
        names = set(allowed) | set(cls.model_fields)
        for key in data:
            if not isinstance(key, str):
                raise ScenarioError(str(key), key, f"keys must be text; allowed keys are: "
                                    f"{', '.join(allowed)}")
            if key not in names:
                close = difflib.get_close_matches(key, allowed, n=1)
                raise ScenarioError(key, key, f"unknown key; allowed keys are: "
                                    f"{', '.join(allowed)}",
                                    hint=f"did you mean {close[0]!r}?" if close else "")
        return data


def _join(loc: tuple[Any, ...], sub: str = "") -> str:
    out = ""
    prev_index = False
    for el in loc:
        if isinstance(el, int):
            out += f"[{el}]"
            prev_index = True
            continue
        if prev_index and el in EVENT_TYPES:  # discriminated-union tag pydantic adds to the loc
            prev_index = False
            continue
        prev_index = False
        out += ("." if out else "") + str(el)
    if sub:
        out += sub if sub.startswith("[") or not out else "." + sub
    return out or "scenario"


_EXPECTED_PREFIXES = ("Input should be ", "Value should be ")


def _convert_one(err: dict[str, Any]) -> ScenarioError:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    inner = ctx.get("error")
    if isinstance(inner, ScenarioError):
        return ScenarioError(_join(loc, inner.field), inner.value, inner.allowed, hint=_hint(inner))
    value = err.get("input")
    if kind == "missing":
        return ScenarioError(_join(loc), MISSING, "this key is required")
    if kind == "union_tag_invalid":
        return ScenarioError(_join(loc, "type"), ctx.get("tag"),
                             f"event type must be one of: {', '.join(EVENT_TYPES)}")
    if kind == "union_tag_not_found":
        return ScenarioError(_join(loc, "type"), MISSING,
                             f"every protocol event needs a 'type', one of: "
                             f"{', '.join(EVENT_TYPES)}")
    if kind == "extra_forbidden":
        return ScenarioError(_join(loc), loc[-1] if loc else value, "unknown key")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return ScenarioError(_join(loc), value, "expected a mapping (key: value pairs)")
    if kind == "literal_error":
        return ScenarioError(_join(loc), value, f"expected one of: {ctx.get('expected')}")
    msg = str(err.get("msg", "invalid value"))
    for p in _EXPECTED_PREFIXES:
        if msg.startswith(p):
            msg = "expected " + msg[len(p):]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return ScenarioError(_join(loc), value, msg)


def _hint(exc: ScenarioError) -> str:
    return getattr(exc, "hint", "") or ""


def scenario_error_from_validation(exc: ValidationError) -> ScenarioError:
    """Turn pydantic's ValidationError into one ScenarioError (the first problem; the hint
    lists the fields of any further problems)."""
    errors = exc.errors(include_url=False)
    if not errors:  # pragma: no cover - pydantic always reports at least one
        return ScenarioError("scenario", None, str(exc))
    first = _convert_one(errors[0])
    if len(errors) == 1:
        return first
    rest = []
    for e in errors[1:]:
        f = _convert_one(e).field
        if f not in rest and f != first.field:
            rest.append(f)
    hint = _hint(first)
    if rest:
        more = f"also check: {', '.join(rest[:5])}" + (" ..." if len(rest) > 5 else "")
        hint = f"{hint}; {more}" if hint else more
    return ScenarioError(first.field, first.value, first.allowed, hint=hint)


# ============================================================================ field validators
def _clock_validator(v: Any) -> str:
    return normalize_clock(v, field="")


def _time_validator(v: Any) -> str:
    parse_time_expr(v, field="")
    return v.strip()


Clock = Annotated[str, BeforeValidator(_clock_validator)]
TimeExpression = Annotated[str, BeforeValidator(_time_validator)]


def duration_type(min_h: float | None = None, max_h: float | None = None,
                  allowed: str | None = None):
    """A duration string ('20 min') checked to lie in [min_h, max_h] hours (> 0 always);
    ``allowed`` replaces the generated description of the allowed range in errors."""

    def check(v: Any) -> str:
        try:
            parse_duration(v, field="", min_h=min_h, max_h=max_h)
        except ScenarioError as exc:
            if allowed is None or "dimension" in exc.allowed or "give a unit" in exc.allowed:
                raise
            raise ScenarioError("", v, allowed) from None
        return v.strip()

    return Annotated[str, BeforeValidator(check)]


def _range_text(lo: float | None, hi: float | None, unit: str, lo_open: bool) -> str:
    u = f" {unit}" if unit else ""
    if lo is not None and hi is not None:
        if lo_open:
            return f"expected a number greater than {lo:g} and at most {hi:g}{u}"
        return f"expected a number from {lo:g} to {hi:g}{u}"
    if lo is not None:
        return f"expected a number {'greater than' if lo_open else 'of at least'} {lo:g}{u}"
    if hi is not None:
        return f"expected a number of at most {hi:g}{u}"
    return "expected a number"


def number_type(lo: float | None, hi: float | None, *, unit: str = "", lo_open: bool = False,
                integer: bool = False):
    """A plain number (float, or int with ``integer``) in [lo, hi]."""
    allowed = _range_text(lo, hi, unit, lo_open)
    if integer:
        allowed = allowed.replace("a number", "a whole number")

    def check(v: Any) -> float | int:
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise ScenarioError("", v, allowed)
        try:
            x = float(v)
        except (ValueError, OverflowError):
            raise ScenarioError("", v, allowed) from None
        if not math.isfinite(x):
            raise ScenarioError("", v, allowed)
        if (lo is not None and (x < lo or (lo_open and x <= lo))) or (hi is not None and x > hi):
            raise ScenarioError("", v, allowed)
        if integer:
            if x != int(x):
                raise ScenarioError("", v, allowed)
            return int(x)
        return x

    return Annotated[int if integer else float, BeforeValidator(check)]


def quantity_value(text: str, unit: str, *, field: str = "",
                   default_unit: str | None = None) -> float:
    """Magnitude of a quantity string in ``unit`` (raises ScenarioError on a wrong dimension)."""
    try:
        q = parse_quantity(text, field=field, dimension=unit, default_unit=default_unit)
    except ScenarioError as exc:  # name the unit as the docs write it ('ng/kg/h')
        allowed = re.sub(r"dimension of .*? \(got", f"dimension of {unit} (got", exc.allowed)
        allowed = re.sub(r"like '1 .*'$", f"like '1 {unit}'", allowed)
        raise ScenarioError(field, text, allowed) from None
    if not dict(q._units) and default_unit is None:  # a bare number: which unit?
        raise ScenarioError(field, text, f"give a unit, e.g. '{text} {unit}'")
    try:
        x = float(q.to(unit).magnitude)
    except Exception:
        raise ScenarioError(field, text, f"expected a quantity in {unit}") from None
    return x


def quantity_type(unit: str, *, hi: float | None = None, lo: float = 0.0, lo_open: bool = True,
                  default_unit: str | None = None, label: str | None = None):
    """A quantity string with the dimension of ``unit`` whose value (in ``unit``) is in (lo, hi].

    With ``default_unit``, a bare number is accepted and stored as '<number> <label>'.
    """
    shown = label or unit
    if hi is None:
        allowed = f"expected a quantity {'greater than' if lo_open else 'of at least'} " \
                  f"{lo:g} {shown}"
    elif lo_open:
        allowed = f"expected a quantity greater than {lo:g} and at most {hi:g} {shown}"
    else:
        allowed = f"expected a quantity from {lo:g} to {hi:g} {shown}"

    def check(v: Any) -> str:
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            raise ScenarioError("", v, f"{allowed}, written like '1 {shown}'")
        if not isinstance(v, str):
            if default_unit is None:
                raise ScenarioError("", v, f"give a unit, e.g. '{v} {shown}'")
            v = f"{v} {shown}"
        if not v.strip():
            raise ScenarioError("", v, f"{allowed}, written like '1 {shown}'")
        x = quantity_value(v, unit, default_unit=default_unit)
        if not math.isfinite(x) or x < lo or (lo_open and x <= lo) or (hi is not None and x > hi):
            raise ScenarioError("", v, allowed)
        return v.strip()

    return Annotated[str, BeforeValidator(check)]


# ============================================================================ resolution
@dataclass(frozen=True)
class Context:
    """What an event needs from its scenario to be placed on the model time axis."""

    start_clock_h: float
    duration_h: float
    start_weekday: int = 0  # weekday of day 1; 0 = Monday
    #: sleep windows (model hours, sorted, clipped to the scenario); set by the scenario before
    #: events are resolved, for events that place things in waking hours (``daily_hassles``)
    sleep_on: np.ndarray = field(default_factory=lambda: np.zeros(0))
    sleep_off: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def awake_intervals(self, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray]:
        """The waking stretches (starts, ends) within [t0, t1], i.e. [t0, t1] minus sleep."""
        on, off = np.asarray(self.sleep_on, float), np.asarray(self.sleep_off, float)
        keep = (off > t0) & (on < t1)
        on, off = np.clip(on[keep], t0, t1), np.clip(off[keep], t0, t1)
        starts = np.concatenate([[t0], off])
        ends = np.concatenate([on, [t1]])
        ok = ends - starts > TIME_TOL
        return starts[ok], ends[ok]

    def time(self, text: str, field: str, *, allow_end: bool = False) -> float:
        return resolve_time(text, field=field, start_clock_h=self.start_clock_h,
                            duration_h=self.duration_h, allow_end=allow_end)

    def fmt(self, t: float) -> str:
        return format_time(t, self.start_clock_h)

    def require_end(self, end_h: float, field: str, value: object) -> None:
        """Error when an event would end after the scenario end."""
        if end_h > self.duration_h + TIME_TOL:
            raise ScenarioError(
                field, value, f"the event would end at {self.fmt(end_h)} (t = {end_h:.6g} h), "
                f"after the scenario end at {self.fmt(self.duration_h)} "
                f"(t = {self.duration_h:.6g} h); shorten the event or lengthen the scenario "
                "'duration'")


@dataclass(frozen=True)
class Pulse:
    """Rectangular pulses: ``value`` is added to input ``input`` on [on[k], off[k])."""

    input: str
    on: np.ndarray
    off: np.ndarray
    value: float


@dataclass(frozen=True)
class Jump:
    """Additive jumps of ``value`` on state ``target`` at times ``t``."""

    target: str
    t: np.ndarray
    value: float


@dataclass
class Effect:
    """What one event does, in model hours."""

    pulses: list[Pulse] = field(default_factory=list)
    jumps: list[Jump] = field(default_factory=list)
    #: sessions (on, off) during which the person must be awake (or None)
    awake_sessions: tuple[np.ndarray, np.ndarray] | None = None
    #: sessions of events with the same ``exclusive`` group must not overlap each other
    exclusive: str | None = None
    sessions: tuple[np.ndarray, np.ndarray] | None = None


def _daily(first_on: float, length_h: float, day_offsets: np.ndarray) -> tuple[np.ndarray, ...]:
    on = first_on + HOURS_PER_DAY * np.asarray(day_offsets, dtype=float)
    return on, on + length_h


def _hours(text: str) -> float:
    return parse_duration(text, field="")


# ============================================================================ events
class EventBase(StrictModel):
    """Common base of protocol events."""

    type: str
    #: model inputs this event type drives (documentation and model checks)
    drives: ClassVar[tuple[str, ...]] = ()

    def resolve(self, ctx: Context, prefix: str) -> Effect:  # pragma: no cover - abstract
        raise NotImplementedError


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
    drives: ClassVar[tuple[str, ...]] = ("acute_stressor",)
    start: TimeExpression = Field(description="time expression; when the stressor begins")
    duration: duration_type(1 / 60, 12.0) = Field(  # type: ignore[valid-type]
        default="20 min", description="duration, 1 min to 12 h; default 20 min (TSST)")
    intensity: number_type(0.0, 3.0) = Field(  # type: ignore[valid-type]
        default=1.0, description="dimensionless, 0 to 3; standard TSST = 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + _hours(self.duration)
        ctx.require_end(t1, f"{prefix}.duration", self.duration)
        on, off = np.array([t0]), np.array([t1])
        return Effect(pulses=[Pulse("acute_stressor", on, off, self.intensity)],
                      awake_sessions=(on, off))


class DailyWindow(StrictModel):
    """Clock-time window within each day, e.g. working hours {from: '09:00', to: '17:00'}.

    A window whose ``to`` is earlier than ``from`` runs past midnight (night shift).
    """

    from_: Clock = Field(alias="from", description="clock time 'HH:MM' the window opens")
    to: Clock = Field(description="clock time 'HH:MM' the window closes")

    @model_validator(mode="after")
    def _not_empty(self) -> DailyWindow:
        if self.from_ == self.to:
            raise ScenarioError("to", self.to, "the window must not be empty: 'to' must differ "
                                "from 'from'")
        return self


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
    drives: ClassVar[tuple[str, ...]] = ("chronic_stressor",)
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
        t1 = t0 + _hours(self.period)
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
        return Effect(pulses=[Pulse("chronic_stressor", on, off, self.load)])


def sleep_length_h(bedtime: str, wake: str) -> float:
    """Hours from bedtime to the next wake time (both 'HH:MM'); 0 when they are equal."""
    return (parse_clock(wake) - parse_clock(bedtime)) % HOURS_PER_DAY


def check_sleep_window(bedtime: str, wake: str, *, field: str = "wake",
                       min_h: float = MIN_SLEEP_H, max_h: float = MAX_SLEEP_H) -> float:
    """Sleep length (h) of a bedtime/wake pair; errors on equal times or a length outside
    [min_h, max_h]."""
    if bedtime == wake:
        raise ScenarioError(field, wake, "bedtime and wake must differ")
    length = sleep_length_h(bedtime, wake)
    if length < min_h - TIME_TOL or length > max_h + TIME_TOL:
        raise ScenarioError(
            field, wake, f"sleep from {bedtime} to {wake} lasts {format_duration(length)}; "
            f"sleep must last {format_duration(min_h)} to {format_duration(max_h)}")
    return length


class SleepScheduleChange(EventBase):
    """Change the habitual sleep schedule for the nights that begin on days from_day..to_day.

    Night N begins on day N: a bedtime from 12:00 to 23:59 is on day N, a bedtime from 00:00 to
    11:59 is after midnight (on day N+1). Sleep must last 3 to 14 h. Two ``sleep_schedule``
    events must not change the same night; a ``sleep_deprivation`` of a night inside the range
    overrides it. Drives input ``asleep``.
    """

    type: Literal["sleep_schedule"] = "sleep_schedule"
    drives: ClassVar[tuple[str, ...]] = ("asleep",)
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
    ``sleep_deprivation`` per night. Drives input ``asleep``.
    """

    type: Literal["sleep_deprivation"] = "sleep_deprivation"
    drives: ClassVar[tuple[str, ...]] = ("asleep",)
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


class LpsBolus(EventBase):
    """Intravenous bolus of bacterial endotoxin (LPS), human experimental endotoxemia.

    Reference E. coli O:113 endotoxin, 0.4 to 4 ng/kg body weight in published studies (e.g.
    2 ng/kg: Suffredini et al. 1989, NEJM 321:280; 0.4-0.8 ng/kg: Eisenberger et al. 2010;
    4 ng/kg: high-dose studies). Acts as a jump on state ``immune.endotoxin`` (+= dose in
    ng/kg) at ``at``.
    """

    type: Literal["lps_bolus"] = "lps_bolus"
    drives: ClassVar[tuple[str, ...]] = ()
    jumps_state: ClassVar[str] = ENDOTOXIN_TARGET
    at: TimeExpression = Field(description="time expression; when the bolus is given")
    dose: quantity_type("ng/kg", hi=MAX_LPS_DOSE_NG_PER_KG) = Field(  # type: ignore[valid-type]
        description="dose per body weight, ng/kg, > 0 and at most 4 ng/kg")

    @property
    def dose_ng_per_kg(self) -> float:
        return quantity_value(self.dose, "ng/kg")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(ENDOTOXIN_TARGET, np.array([t]), self.dose_ng_per_kg)])


class LpsInfusion(EventBase):
    """Continuous intravenous LPS infusion (e.g. Kiers et al. 2017: 1 ng/kg/h for 3 h).

    The total dose (rate x duration) is at most 4 ng/kg, the highest dose used in published
    human endotoxemia. Drives input ``lps_infusion`` (ng/kg/h).
    """

    type: Literal["lps_infusion"] = "lps_infusion"
    drives: ClassVar[tuple[str, ...]] = ("lps_infusion",)
    start: TimeExpression = Field(description="time expression; when the infusion begins")
    duration: duration_type() = Field(  # type: ignore[valid-type]
        description="infusion duration, > 0")
    rate: quantity_type("ng/kg/h") = Field(  # type: ignore[valid-type]
        description="ng/kg/h, > 0; rate x duration at most 4 ng/kg")

    @property
    def rate_ng_per_kg_h(self) -> float:
        return quantity_value(self.rate, "ng/kg/h")

    @model_validator(mode="after")
    def _total(self) -> LpsInfusion:
        total = self.rate_ng_per_kg_h * _hours(self.duration)
        if total > MAX_LPS_DOSE_NG_PER_KG * (1 + 1e-9):
            raise ScenarioError(
                "rate", self.rate, f"the total dose rate x duration = {total:.4g} ng/kg exceeds "
                f"{MAX_LPS_DOSE_NG_PER_KG:g} ng/kg, the largest dose in published human "
                "endotoxemia; lower the rate or shorten the infusion")
        return self

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + _hours(self.duration)
        ctx.require_end(t1, f"{prefix}.duration", self.duration)
        return Effect(pulses=[Pulse("lps_infusion", np.array([t0]), np.array([t1]),
                                    self.rate_ng_per_kg_h)])


class HydrocortisoneInfusion(EventBase):
    """Intravenous hydrocortisone (cortisol) infusion.

    For scale: daily cortisol production is about 10-20 mg (0.4-0.8 mg/h); a stress dose of
    200 mg/day is about 8 mg/h. Rate > 0 and at most 20 mg/h. Drives input
    ``hydrocortisone_infusion`` (mg/h).
    """

    type: Literal["hydrocortisone_infusion"] = "hydrocortisone_infusion"
    drives: ClassVar[tuple[str, ...]] = ("hydrocortisone_infusion",)
    start: TimeExpression = Field(description="time expression; when the infusion begins")
    duration: duration_type() = Field(  # type: ignore[valid-type]
        description="infusion duration, > 0")
    rate: quantity_type("mg/h", hi=20.0) = Field(  # type: ignore[valid-type]
        description="mg/h, > 0 and at most 20 mg/h")

    @property
    def rate_mg_per_h(self) -> float:
        return quantity_value(self.rate, "mg/h")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + _hours(self.duration)
        ctx.require_end(t1, f"{prefix}.duration", self.duration)
        return Effect(pulses=[Pulse("hydrocortisone_infusion", np.array([t0]), np.array([t1]),
                                    self.rate_mg_per_h)])


class VagusNerveStimulation(EventBase):
    """Vagus nerve stimulation, cervical (implanted) or transcutaneous auricular (taVNS).

    Activates the cholinergic anti-inflammatory pathway (e.g. Koopman et al. 2016, PNAS
    113:8284). One continuous stimulation of ``duration``, or with ``days: N`` N daily sessions
    (every 24 h from ``start``; a session then lasts less than 24 h). ``intensity`` is the
    fraction (0 to 1) of maximal effective stimulation; ``mode`` is documentation only. Drives
    input ``vns`` (+= intensity). Allowed during sleep.
    """

    type: Literal["vagus_nerve_stimulation"] = "vagus_nerve_stimulation"
    drives: ClassVar[tuple[str, ...]] = ("vns",)
    start: TimeExpression = Field(description="time expression; (first) stimulation start")
    duration: duration_type() = Field(  # type: ignore[valid-type]
        description="length of the stimulation (or of each daily session), > 0")
    days: number_type(1, None, integer=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="number of daily sessions, >= 1; absent = one stimulation")
    intensity: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        description="dimensionless, 0 to 1: fraction of maximal effective stimulation")
    mode: Literal["cervical", "auricular"] = Field(
        default="auricular", description="cervical | auricular (documentation only)")

    @model_validator(mode="after")
    def _check(self) -> VagusNerveStimulation:
        if self.days is not None and self.days > 1 and _hours(self.duration) >= HOURS_PER_DAY:
            raise ScenarioError("duration", self.duration, "daily sessions must last less "
                                "than 24 h")
        return self

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        n = self.days or 1
        dur = _hours(self.duration)
        ctx.require_end(t0 + (n - 1) * HOURS_PER_DAY + dur,
                        f"{prefix}.{'days' if n > 1 else 'duration'}",
                        self.days if n > 1 else self.duration)
        on, off = _daily(t0, dur, np.arange(n))
        return Effect(pulses=[Pulse("vns", on, off, self.intensity)])


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
    drives: ClassVar[tuple[str, ...]] = ("slow_breathing",)
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
        dur = _hours(self.session)
        ctx.require_end(t0 + (self.days - 1) * HOURS_PER_DAY + dur,
                        f"{prefix}.{'days' if self.days > 1 else 'session'}",
                        self.days if self.days > 1 else self.session)
        on, off = _daily(t0, dur, np.arange(self.days))
        return Effect(pulses=[Pulse("slow_breathing", on, off, 1.0)], awake_sessions=(on, off),
                      exclusive="slow_breathing", sessions=(on, off))


class MindfulnessProgramme(EventBase):
    """Mindfulness programme such as MBSR (Kabat-Zinn 1990): 8 weeks, 45 min daily practice.

    ``weeks`` 7-day blocks from ``start``; in each block practice sessions of
    ``daily_practice`` length on the first ``sessions_per_week`` days at the clock time of
    ``start``. Sessions require being awake and must not overlap other mindfulness sessions.
    Drives input ``mindfulness_practice`` (= 1 during each session).
    """

    type: Literal["mindfulness_programme"] = "mindfulness_programme"
    drives: ClassVar[tuple[str, ...]] = ("mindfulness_practice",)
    start: TimeExpression = Field(description="time expression; first practice session")
    weeks: number_type(1, 52, integer=True) = Field(  # type: ignore[valid-type]
        default=8, description="programme length in weeks, 1 to 52; default 8 (MBSR)")
    daily_practice: duration_type(5 / 60, 3.0) = Field(  # type: ignore[valid-type]
        default="45 min", description="session length, 5 min to 3 h; default 45 min (MBSR)")
    sessions_per_week: number_type(1, 7, integer=True) = Field(  # type: ignore[valid-type]
        default=7, description="practice days per week, 1 to 7; default 7")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        dur = _hours(self.daily_practice)
        k = np.arange(self.weeks * self.sessions_per_week)
        offsets = 7 * (k // self.sessions_per_week) + k % self.sessions_per_week
        ctx.require_end(t0 + offsets[-1] * HOURS_PER_DAY + dur, f"{prefix}.weeks", self.weeks)
        on, off = _daily(t0, dur, offsets)
        return Effect(pulses=[Pulse("mindfulness_practice", on, off, 1.0)],
                      awake_sessions=(on, off), exclusive="mindfulness_programme",
                      sessions=(on, off))


# The skin and systemic events (substance P, wounds, drugs, skin regimens, phototherapy, social
# support, daily hassles) build on the classes above and live in their own module.
from nicsim.protocols.events_skin import SKIN_EVENT_CLASSES  # noqa: E402

EVENT_CLASSES: tuple[type[EventBase], ...] = (
    AcuteStressor, ChronicStressor, SleepScheduleChange, SleepDeprivation, LpsBolus, LpsInfusion,
    HydrocortisoneInfusion, VagusNerveStimulation, SlowBreathing, MindfulnessProgramme,
    *SKIN_EVENT_CLASSES,
)
#: event ``type`` -> model class
EVENT_TYPES: dict[str, type[EventBase]] = {
    c.model_fields["type"].default: c for c in EVENT_CLASSES
}

Event = Annotated[functools.reduce(operator.or_, EVENT_CLASSES), Field(discriminator="type")]
