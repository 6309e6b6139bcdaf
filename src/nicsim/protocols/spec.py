"""The protocol spec language: the grammar in which scenarios and their events are written.

* :class:`StrictModel`, the base of every scenario and spec model (unknown keys are errors,
  pydantic's errors become one :class:`~nicsim.errors.ScenarioError` naming field, value and
  what is allowed: :func:`scenario_error_from_validation`);
* field types: clock times, time expressions, durations, numbers and quantities with ranges;
* :class:`EventBase`, the base of every protocol event. An event class declares the model
  inputs it drives (:class:`ModelInput`) and the states it jumps (``jump_targets``) as class
  attributes; defining a concrete event class (one with a ``type`` literal) registers it in
  :data:`EVENT_TYPES`. The events themselves live in :mod:`nicsim.protocols.events`, one file
  per domain; every list of event types, inputs and jump targets is derived from the registry;
* what an event does once placed in time (:class:`Effect`: :class:`Pulse` on inputs,
  :class:`Jump` on states) and the timing helpers events share (daily sessions, weekly
  patterns, periods of a duration or a daily window, level inputs).

``resolve`` turns an event into an :class:`Effect`: rectangular pulses on model inputs (value
added while active), additive jumps on model states, and the sessions that require the person to
be awake or not to overlap other sessions of the same practice. Field-level checks (syntax,
units, ranges) happen when an event is read; checks that need the scenario (start clock,
duration, sleep) happen in :meth:`EventBase.resolve`.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

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

#: Habitual and scheduled sleep length limits (hours).
MIN_SLEEP_H, MAX_SLEEP_H = 3.0, 14.0

class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


#: The ``value`` of a ScenarioError for a required key that was not given.
MISSING = _Missing()


#: The registry of protocol event types: ``type`` -> event class, in the order the classes are
#: defined (domain files in alphabetical order, see :mod:`nicsim.protocols.events`). Filled by
#: :meth:`EventBase.__pydantic_init_subclass__`; read it through ``nicsim.protocols.EVENT_TYPES``.
EVENT_TYPES: dict[str, type[EventBase]] = {}


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


def with_unit(unit: str):
    """Before-validator: a bare number is read in ``unit``."""

    def conv(v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return f"{v} {unit}"
        return v

    return BeforeValidator(conv)



#: A dimensionless fraction from 0 to 1.
Fraction = number_type(0.0, 1.0)


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



# ============================================================================ sleep windows
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


# ============================================================================ effects
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


# ============================================================================ timing helpers
#: Session days within each 7-day block for n sessions per week (day 0 = first session).
WEEKLY_PATTERNS: dict[int, tuple[int, ...]] = {
    1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5), 7: (0, 1, 2, 3, 4, 5, 6),
}


def daily(first_on: float, length_h: float, day_offsets: np.ndarray) -> tuple[np.ndarray, ...]:
    """(on, off) of sessions of ``length_h`` starting ``first_on`` + 24 h x each day offset."""
    on = first_on + HOURS_PER_DAY * np.asarray(day_offsets, dtype=float)
    return on, on + length_h


def hours(text: str) -> float:
    """A duration string in hours."""
    return parse_duration(text, field="")


def weekly_days(n_days: int, per_week: int) -> np.ndarray:
    """Day offsets 0..n_days-1 that fall on the session days of WEEKLY_PATTERNS[per_week]."""
    k = np.arange(n_days)
    return k[np.isin(k % 7, WEEKLY_PATTERNS[per_week])]


def periods(ctx: Context, prefix: str, start: str, duration: str | None, days: int | None,
            window: DailyWindow | None) -> tuple[np.ndarray, np.ndarray]:
    """(on, off) of one continuous period (``duration``), ``days`` daily periods of
    ``duration`` every 24 h from ``start``, or ``days`` daily windows (first opening at or after
    ``start``)."""
    t0 = ctx.time(start, f"{prefix}.start")
    n = days or 1
    if window is not None:
        a, b = parse_clock(window.from_), parse_clock(window.to)
        first = t0 + (a - (t0 + ctx.start_clock_h)) % HOURS_PER_DAY
        length = (b - a) % HOURS_PER_DAY
    else:
        first, length = t0, hours(duration)  # type: ignore[arg-type]
    field = "days" if n > 1 else ("daily_window" if window is not None else "duration")
    # the end of the last period, checked before the periods are built: a huge ``days`` must be
    # a clear error, not an array of that many periods
    ctx.require_end(first + (n - 1) * HOURS_PER_DAY + length, f"{prefix}.{field}",
                    days if n > 1 else (window.to if window is not None else duration))
    return daily(first, length, np.arange(n))


def check_daily(obj: Any, *, max_h: float = HOURS_PER_DAY) -> None:
    """Shared checks of duration/days/daily_window events."""
    window = getattr(obj, "daily_window", None)
    if window is not None and obj.duration is not None:
        raise ScenarioError("daily_window", f"{{from: {window.from_}, to: {window.to}}}",
                            "give either duration or daily_window, not both")
    if window is None and obj.duration is None:
        raise ScenarioError("duration", None, "give a duration (one period, or each daily "
                            "period with days) or a daily_window")
    if obj.days is not None and obj.days > 1 and obj.duration is not None \
            and hours(obj.duration) > max_h + TIME_TOL:
        raise ScenarioError("duration", obj.duration, "with days > 1 each daily period lasts "
                            "at most 24 h")


def level(name: str, on: np.ndarray, off: np.ndarray, value: float,
          exclusive: str | None = None) -> Effect:
    """A level input: ``value`` on ``name`` during the sessions, which must not overlap other
    sessions of the same ``exclusive`` group (default: the input)."""
    return Effect(pulses=[Pulse(name, on, off, float(value))], exclusive=exclusive or name,
                  sessions=(on, off))


# ============================================================================ event base
@dataclass(frozen=True)
class ModelInput:
    """A model input that protocol events drive (a value added while an event is active).

    ``readers`` are the ids of the model modules that read it as an exogenous input (named in
    compile errors when none is installed; tests/protocols/test_registry.py checks them against
    the default model). ``cap``: overlapping pulses add up to this cap (see
    :data:`nicsim.protocols.schedule.INTENSITY_CAPS`); None: they add without a cap.
    """

    name: str
    readers: tuple[str, ...]
    cap: float | None = None


class EventBase(StrictModel):
    """Common base of protocol events.

    A concrete event class sets ``type`` (a ``Literal`` with a default: the YAML ``type``), the
    model inputs it drives (``inputs``), the states it jumps (``jump_targets``, ids
    ``module.state``) and a short ``effect`` text for the docs' event table. Defining it
    registers it in :data:`EVENT_TYPES`; its ``resolve`` may only drive what it declares.
    Classes without a ``type`` default (shared shapes such as :class:`ExposureEvent`) are not
    registered.
    """

    type: str
    #: model inputs this event type drives
    inputs: ClassVar[tuple[ModelInput, ...]] = ()
    #: states (``module.state``) this event type jumps
    jump_targets: ClassVar[tuple[str, ...]] = ()
    #: what the event does to its inputs or states, one line (the "How" of the event table)
    effect: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        tag = cls.model_fields["type"].default
        if not isinstance(tag, str):
            return  # a shared shape, not an event type
        where = f"{cls.__module__}.{cls.__qualname__}"
        if tag in EVENT_TYPES and EVENT_TYPES[tag].__qualname__ != cls.__qualname__:
            raise ValueError(f"two event classes claim type {tag!r}: "
                             f"{EVENT_TYPES[tag].__qualname__} and {where}")
        if not cls.inputs and not cls.jump_targets:
            raise ValueError(f"{where} declares neither inputs nor jump_targets")
        if not cls.effect:
            raise ValueError(f"{where} has no effect text (the event table's 'How')")
        for inp in cls.inputs:
            for other in EVENT_TYPES.values():
                for o in other.inputs:
                    if o.name == inp.name and o != inp:
                        raise ValueError(f"{where} declares input {inp!r}, "
                                         f"{other.__qualname__} declares it as {o!r}; declare "
                                         "an input once (one ModelInput constant) and share it")
        for target in cls.jump_targets:
            if target.count(".") != 1:
                raise ValueError(f"{where}: jump target {target!r} is not 'module.state'")
        EVENT_TYPES[tag] = cls

    @classmethod
    def input_names(cls) -> tuple[str, ...]:
        return tuple(i.name for i in cls.inputs)

    @classmethod
    def domain(cls) -> str:
        """The domain file the event is declared in ('stress', 'skin', ...)."""
        return cls.__module__.rsplit(".", 1)[-1]

    def resolve(self, ctx: Context, prefix: str) -> Effect:  # pragma: no cover - abstract
        raise NotImplementedError


class ExposureEvent(EventBase):
    """Shared shape of exposures: one period of ``duration``, ``days`` daily periods of
    ``duration`` or ``days`` daily ``daily_window`` periods."""

    start: TimeExpression = Field(description="time expression; (first) period")
    duration: duration_type() | None = Field(  # type: ignore[valid-type]
        default=None, description="one period (or each daily period with days), > 0")
    days: number_type(1, None, integer=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="number of daily periods, >= 1")
    daily_window: DailyWindow | None = Field(
        default=None, description="{from, to}: daily periods in these clock hours instead of "
        "duration (first opening at or after start)")

    @model_validator(mode="after")
    def _check(self) -> ExposureEvent:
        check_daily(self)
        return self

    def _on_off(self, ctx: Context, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        return periods(ctx, prefix, self.start, self.duration, self.days, self.daily_window)


