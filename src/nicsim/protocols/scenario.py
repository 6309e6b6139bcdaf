"""Scenario files: who (``person``), what happens (``protocol``), how long and what to record.

A scenario is read from YAML (:meth:`Scenario.from_yaml`) or a dict (:meth:`Scenario.from_dict`),
checked completely on construction (syntax, units, ranges, times inside the scenario, sessions
while awake, no impossible sleep) and can be written back (:meth:`Scenario.to_yaml`).
:meth:`Scenario.timeline` places every event on the model time axis (hours since t = 0);
:func:`nicsim.protocols.schedule.compile_schedule` turns that into piecewise-constant inputs.

Every problem raises :class:`~nicsim.errors.ScenarioError` naming the field by a dotted path
(``protocol[2].dose``, ``person.sleep.wake``).
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
import yaml
from pydantic import BeforeValidator, Field, model_validator

from nicsim.errors import ScenarioError
from nicsim.protocols.events import Event
from nicsim.protocols.events.sleep import SleepDeprivation, SleepScheduleChange
from nicsim.protocols.spec import (
    MAX_SLEEP_H,
    Context,
    Effect,
    StrictModel,
    duration_type,
    number_type,
)
from nicsim.protocols.spec import Clock as _Clock
from nicsim.protocols.timeexpr import (
    HOURS_PER_DAY,
    MAX_SCENARIO_H,
    TIME_TOL,
    WEEKDAYS,
    day_of,
    format_duration,
    format_time,
    parse_clock,
    parse_duration,
    weekday_index,
)
from nicsim.protocols.traits import Person

#: Largest number of output times a scenario may ask for.
MAX_OUTPUT_POINTS = 10_000_000


# ============================================================================ scenario fields
def _name(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ScenarioError("", v, "expected a non-empty name (text)")
    return v.strip()


def _weekday(v: Any) -> str:
    if not isinstance(v, str) or v.strip().lower() not in WEEKDAYS:
        raise ScenarioError("", v, f"expected one of: {', '.join(WEEKDAYS)}")
    return v.strip().lower()


def _outputs(v: Any) -> list[str] | None:
    if v is None:
        return None
    if not isinstance(v, list):
        raise ScenarioError("", v, "expected a list of output names, e.g. [cortisol_serum, acth]")
    seen: set[str] = set()
    for i, item in enumerate(v):
        if not isinstance(item, str) or not item.strip():
            raise ScenarioError(f"[{i}]", item, "expected a non-empty output name (text)")
        if item.strip() in seen:
            raise ScenarioError(f"[{i}]", item, "output names must be unique (listed twice)")
        seen.add(item.strip())
    return [item.strip() for item in v]


def _description(v: Any) -> Any:
    if v is not None and not isinstance(v, str):
        raise ScenarioError("", v, "expected text")
    return v


# ============================================================================ timeline
@dataclass(frozen=True)
class InputPulses:
    """All pulses on one input: ``value[k]`` added on [on[k], off[k]); ``source[k]`` is the
    protocol index of the event (-1: the habitual sleep schedule)."""

    on: np.ndarray
    off: np.ndarray
    value: np.ndarray
    source: np.ndarray


@dataclass(frozen=True)
class StateJumps:
    """All jumps on one state: ``value[k]`` added at ``t[k]``; ``source[k]`` the event index."""

    t: np.ndarray
    value: np.ndarray
    source: np.ndarray


@dataclass(frozen=True)
class Timeline:
    """A scenario's events placed on the model time axis (hours since t = 0)."""

    duration_h: float
    start_clock_h: float
    pulses: dict[str, InputPulses]
    jumps: dict[str, StateJumps]
    sleep_on: np.ndarray  # sleep windows clipped to [0, duration], sorted
    sleep_off: np.ndarray
    sleep_night: np.ndarray  # night number of each window (night N begins on day N)
    #: input or jump target -> protocol indices of the events that drive it
    drivers: dict[str, tuple[int, ...]]


#: Inputs the timeline builds from the nights (the person's sleep with the sleep events), not
#: from event pulses: "asleep" (the nights slept) and "sleep_scheduled" (the nights as
#: scheduled, before any sleep_deprivation).
NIGHT_INPUTS = ("asleep", "sleep_scheduled")


def _clipped_windows(on: np.ndarray, length: np.ndarray, D: float):
    """Sleep windows ``on``..``on + length`` that fall inside [0, D], clipped to it."""
    off = on + length
    keep = (off > TIME_TOL) & (on < D - TIME_TOL)
    return np.maximum(on[keep], 0.0), np.minimum(off[keep], D)


def _check_declared(event, effect: Effect) -> None:
    """An event drives only the inputs and jumps only the states its class declares (the
    registry's lists are derived from those declarations)."""
    cls = type(event)
    for p in effect.pulses:
        if p.input not in cls.input_names():
            raise TypeError(f"{cls.__qualname__}.resolve drives input {p.input!r}, which "
                            f"{cls.__qualname__}.inputs does not declare")
    for j in effect.jumps:
        if j.target not in cls.jump_targets:
            raise TypeError(f"{cls.__qualname__}.resolve jumps state {j.target!r}, which "
                            f"{cls.__qualname__}.jump_targets does not declare")


def _bed_time(night: np.ndarray | int, bed_clock: np.ndarray | float, s: float):
    """Model time of bedtime of ``night`` (the night that begins on day ``night``)."""
    late = np.asarray(bed_clock) < 12.0
    return (np.asarray(night) - 1) * HOURS_PER_DAY - s + bed_clock + HOURS_PER_DAY * late


# ============================================================================ files
class FileModel(StrictModel):
    """A model read from a YAML file or text: scenarios and the analysis specs (trial, loop,
    sensitivity, population)."""

    #: the field named in the error for a document that is not a mapping
    document: ClassVar[str] = "document"
    #: keys whose values, when file paths, are relative to the file the model is read from
    relative_paths: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_dict(cls, data: Any, *, base_dir: str | os.PathLike[str] | None = None):
        """Validate a mapping (as read from YAML/JSON); raises ScenarioError. Path values of
        ``relative_paths`` keys are taken relative to ``base_dir`` when it is given."""
        if not isinstance(data, dict):
            raise ScenarioError(cls.document, data, "expected a mapping (key: value pairs) with "
                                f"the keys {', '.join(cls.allowed_keys())}")
        if base_dir is not None:
            for key in cls.relative_paths:
                v = data.get(key)
                if isinstance(v, str) and "\n" not in v and not os.path.isabs(v):
                    data = {**data, key: str(Path(base_dir) / v)}
        return cls.model_validate(data)

    @classmethod
    def from_yaml(cls, source: str | os.PathLike[str]):
        """Read from a YAML file path or from YAML text (paths inside relative to the file)."""
        return cls.from_dict(load_yaml(_read_source(source)), base_dir=_source_dir(source))


# ============================================================================ scenario
class Scenario(FileModel):
    """A complete simulation scenario (see docs/scenarios.md for the file format)."""

    document: ClassVar[str] = "scenario"

    name: Annotated[str, BeforeValidator(_name)] = Field(description="scenario name")
    description: Annotated[str | None, BeforeValidator(_description)] = Field(
        default=None, description="free text")
    start: _Clock = Field(default="07:00", description="clock time of t = 0 on day 1")
    start_weekday: Annotated[str, BeforeValidator(_weekday)] = Field(
        default="monday", description="weekday of day 1, monday..sunday")
    duration: duration_type(  # type: ignore[valid-type]
        None, MAX_SCENARIO_H, allowed="expected a duration longer than 0 and at most 5 years, "
        "e.g. '2 days' or '8 weeks'") = Field(
        description="scenario length, > 0 and at most 5 years")
    output_interval: duration_type() = Field(  # type: ignore[valid-type]
        default="10 min", description="spacing of output times, > 0 and <= duration")
    outputs: Annotated[list[str] | None, BeforeValidator(_outputs)] = Field(
        default=None, description="unique output names (checked by the simulator)")
    rtol: number_type(1e-10, 1e-2) | None = Field(  # type: ignore[valid-type]
        default=None, description="solver relative tolerance, 1e-10 to 1e-2")
    initial_state: Literal["entrained", "settled"] | None = Field(
        default=None, description="entrained (default: a 6-day burn-in on the person's habitual "
        "day) | settled (slow states start from the person's own steady state)")
    person: Person = Field(default_factory=Person, description="the simulated person")
    protocol: list[Event] = Field(default_factory=list, description="events, each with a type")
    parameters: dict[str, number_type(None, None)] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="parameter overrides by id, in the parameter's "
        "declared unit (see `nicsim params`); applied after the person's traits")

    # ------------------------------------------------------------------ construction
    @model_validator(mode="after")
    def _check_scenario(self) -> Scenario:
        D = self.duration_h
        dt = self.output_interval_h
        if dt > D * (1 + 1e-12):
            raise ScenarioError("output_interval", self.output_interval,
                                f"expected a duration > 0 and at most the scenario duration "
                                f"({self.duration})")
        if D / dt > MAX_OUTPUT_POINTS:
            raise ScenarioError("output_interval", self.output_interval,
                                f"this gives more than {MAX_OUTPUT_POINTS:,} output times; "
                                f"use an interval of at least {format_duration(D / 1e7)}")
        self.timeline()
        return self

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what a YAML file would hold); ``from_dict`` reads it back."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_yaml(self, path: str | os.PathLike[str] | None = None) -> str:
        """YAML text of the scenario (written to ``path`` as well when given)."""
        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True,
                              default_flow_style=None, width=100)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def replace(self, **changes: Any) -> Scenario:
        """A validated copy with top-level keys replaced (values: plain data or models)."""
        data = self.to_dict()
        for key, value in changes.items():
            if isinstance(value, StrictModel):
                value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
            elif isinstance(value, list):
                value = [v.model_dump(mode="json", by_alias=True, exclude_none=True)
                         if isinstance(v, StrictModel) else v for v in value]
            data[key] = value
        return Scenario.from_dict(data)

    # ------------------------------------------------------------------ time
    @property
    def duration_h(self) -> float:
        return parse_duration(self.duration, field="duration")

    @property
    def output_interval_h(self) -> float:
        return parse_duration(self.output_interval, field="output_interval")

    @property
    def start_clock_h(self) -> float:
        return parse_clock(self.start, field="start")

    @property
    def start_weekday_index(self) -> int:
        return weekday_index(self.start_weekday)

    def output_times(self) -> np.ndarray:
        """Output times in hours: 0, dt, 2 dt, ... and the end (always included)."""
        D, dt = self.duration_h, self.output_interval_h
        n = int(math.floor(D / dt + 1e-9))
        t = np.arange(n + 1, dtype=float) * dt
        if D - t[-1] > TIME_TOL * max(1.0, D):
            t = np.append(t, D)
        else:
            t[-1] = D
        return t

    def context(self) -> Context:
        return Context(self.start_clock_h, self.duration_h, self.start_weekday_index)

    def format_time(self, t: float) -> str:
        """Model time (h) -> 'day N HH:MM'."""
        return format_time(t, self.start_clock_h)

    # ------------------------------------------------------------------ timeline
    def timeline(self) -> Timeline:
        """Place every event on the time axis and check that the schedule is possible."""
        ctx = self.context()
        s_on, s_off, s_night, s_src, sched_on, sched_off = self._sleep_windows(ctx)
        ctx = dataclasses.replace(ctx, sleep_on=s_on, sleep_off=s_off)
        effects: list[Effect] = [ev.resolve(ctx, f"protocol[{i}]")
                                 for i, ev in enumerate(self.protocol)]
        for ev, eff in zip(self.protocol, effects, strict=True):
            _check_declared(ev, eff)
        for i, eff in enumerate(effects):
            if eff.awake_sessions is not None:
                self._check_awake(i, eff.awake_sessions, s_on, s_off, s_night, ctx)
        self._check_exclusive(effects, ctx)

        acc: dict[str, list[tuple[np.ndarray, ...]]] = {}
        jac: dict[str, list[tuple[np.ndarray, ...]]] = {}
        drivers: dict[str, list[int]] = {}
        acc["asleep"] = [(s_on, s_off, np.ones_like(s_on), s_src)]
        # the scheduled nights (habitual sleep with sleep_schedule changes, before any
        # sleep_deprivation): the model counts the scheduled hours spent awake as sleep debt
        acc["sleep_scheduled"] = [(sched_on, sched_off, np.ones_like(sched_on),
                                   np.full(sched_on.shape, -1))]
        for i, ev in enumerate(self.protocol):
            if isinstance(ev, (SleepScheduleChange, SleepDeprivation)):
                drivers.setdefault("asleep", []).append(i)
            if isinstance(ev, SleepScheduleChange):
                drivers.setdefault("sleep_scheduled", []).append(i)
        for i, eff in enumerate(effects):
            for p in eff.pulses:
                acc.setdefault(p.input, []).append(
                    (p.on, p.off, np.full(p.on.shape, float(p.value)), np.full(p.on.shape, i)))
                drivers.setdefault(p.input, []).append(i)
            for j in eff.jumps:
                jac.setdefault(j.target, []).append(
                    (j.t, np.full(j.t.shape, float(j.value)), np.full(j.t.shape, i)))
                drivers.setdefault(j.target, []).append(i)
        pulses = {
            name: InputPulses(*(np.concatenate([p[k] for p in parts]) for k in range(3)),
                              np.concatenate([p[3] for p in parts]).astype(int))
            for name, parts in acc.items()
        }
        jumps = {
            name: StateJumps(*(np.concatenate([p[k] for p in parts]) for k in range(2)),
                             np.concatenate([p[2] for p in parts]).astype(int))
            for name, parts in jac.items()
        }
        return Timeline(ctx.duration_h, ctx.start_clock_h, pulses, jumps, s_on, s_off, s_night,
                        {k: tuple(dict.fromkeys(v)) for k, v in drivers.items()})

    # ------------------------------------------------------------------ sleep
    def _sleep_windows(self, ctx: Context):
        D, s = ctx.duration_h, ctx.start_clock_h
        last_day = day_of(D, s)
        n_last = last_day + 1
        nights = np.arange(0, n_last + 1)
        bed = np.full(nights.size, parse_clock(self.person.sleep.bedtime))
        wake = np.full(nights.size, parse_clock(self.person.sleep.wake))
        src = np.full(nights.size, -1)
        sched_owner = np.full(nights.size, -1)
        for i, ev in enumerate(self.protocol):
            if not isinstance(ev, SleepScheduleChange):
                continue
            pre = f"protocol[{i}]"
            b, w = parse_clock(ev.bedtime), parse_clock(ev.wake)
            if ev.from_day > n_last or _bed_time(ev.from_day, b, s) >= D - TIME_TOL:
                raise ScenarioError(f"{pre}.from_day", ev.from_day,
                                    f"night {ev.from_day} begins after the scenario end "
                                    f"({ctx.fmt(D)}); nights must begin within the scenario")
            if ev.to_day > last_day:
                raise ScenarioError(f"{pre}.to_day", ev.to_day,
                                    f"the scenario ends on day {last_day} ({ctx.fmt(D)}); "
                                    f"expected a day from {ev.from_day} to {last_day}")
            lo, hi = ev.from_day, min(ev.to_day, n_last)
            clash = np.nonzero(sched_owner[lo:hi + 1] >= 0)[0]
            if clash.size:
                n = lo + int(clash[0])
                raise ScenarioError(
                    f"{pre}.from_day", ev.from_day,
                    f"night {n} is already changed by protocol[{sched_owner[n]}]; two "
                    "sleep_schedule events must not change the same night")
            sched_owner[lo:hi + 1] = i
            bed[lo:hi + 1], wake[lo:hi + 1], src[lo:hi + 1] = b, w, i
        sched = _clipped_windows(_bed_time(nights, bed, s), (wake - bed) % HOURS_PER_DAY, D)
        removed = np.zeros(nights.size, dtype=bool)
        dep_owner: dict[int, int] = {}
        for i, ev in enumerate(self.protocol):
            if not isinstance(ev, SleepDeprivation):
                continue
            pre, n = f"protocol[{i}]", ev.night
            if n in dep_owner:
                raise ScenarioError(
                    f"{pre}.night", n, f"night {n} already has a sleep_deprivation "
                    f"(protocol[{dep_owner[n]}]); give at most one sleep_deprivation per night")
            if n > n_last or _bed_time(n, bed[n], s) >= D - TIME_TOL:
                raise ScenarioError(f"{pre}.night", n, f"night {n} begins after the scenario "
                                    f"end ({ctx.fmt(D)}); nights must begin within the scenario")
            dep_owner[n] = i
            src[n] = i
            if ev.total:
                removed[n] = True
                continue
            b = parse_clock(ev.bedtime) if ev.bedtime is not None else bed[n]
            w = parse_clock(ev.wake) if ev.wake is not None else wake[n]
            which = "wake" if ev.wake is not None else "bedtime"
            length = (w - b) % HOURS_PER_DAY
            if length <= TIME_TOL or length > MAX_SLEEP_H + TIME_TOL:
                raise ScenarioError(
                    f"{pre}.{which}", getattr(ev, which),
                    f"with the scheduled {'bedtime' if which == 'wake' else 'wake'} this night "
                    f"would last {format_duration(length)}; a shortened night lasts more than 0 "
                    f"and at most {format_duration(MAX_SLEEP_H)}")
            if _bed_time(n, b, s) >= D - TIME_TOL:
                raise ScenarioError(f"{pre}.bedtime", ev.bedtime, "this bedtime is after the "
                                    f"scenario end ({ctx.fmt(D)})")
            bed[n], wake[n] = b, w
        on = _bed_time(nights, bed, s)
        off = on + (wake - bed) % HOURS_PER_DAY
        keep = ~removed & (off > TIME_TOL) & (on < D - TIME_TOL)
        on, off, night, src = on[keep], off[keep], nights[keep], src[keep]
        bad = np.nonzero(on[1:] < off[:-1] - TIME_TOL)[0]
        if bad.size:
            k = int(bad[0])
            i = int(src[k + 1]) if src[k + 1] >= 0 else int(src[k])
            ev = self.protocol[i]
            which = "bedtime" if src[k + 1] == i else "wake"
            raise ScenarioError(
                f"protocol[{i}].{which}", getattr(ev, which),
                f"night {night[k]} (asleep {ctx.fmt(on[k])} to {ctx.fmt(off[k])}) would overlap "
                f"night {night[k + 1]} (asleep from {ctx.fmt(on[k + 1])}); each night must end "
                "before the next begins")
        return np.maximum(on, 0.0), np.minimum(off, D), night, src, *sched

    def _check_awake(self, i: int, sessions: tuple[np.ndarray, np.ndarray], s_on: np.ndarray,
                     s_off: np.ndarray, s_night: np.ndarray, ctx: Context) -> None:
        a, b = sessions
        if s_on.size == 0 or a.size == 0:
            return
        k = np.searchsorted(s_off, a + TIME_TOL, side="right")
        kk = np.minimum(k, s_on.size - 1)
        hit = np.nonzero((k < s_on.size) & (s_on[kk] < b - TIME_TOL))[0]
        if not hit.size:
            return
        j = int(hit[0])
        w = int(kk[j])
        ev = self.protocol[i]
        what = "the stressor" if a.size == 1 else f"session {j + 1}"
        raise ScenarioError(
            f"protocol[{i}].start", ev.start,
            f"{ev.type}: {what} ({ctx.fmt(a[j])} to {ctx.fmt(b[j])}) collides with night "
            f"{s_night[w]} (asleep {ctx.fmt(s_on[w])} to {ctx.fmt(s_off[w])}); it requires "
            "being awake: move it or change the sleep schedule")

    def _check_exclusive(self, effects: list[Effect], ctx: Context) -> None:
        groups: dict[str, list[int]] = {}
        for i, eff in enumerate(effects):
            if eff.exclusive is not None and eff.sessions is not None:
                groups.setdefault(eff.exclusive, []).append(i)
        for group, members in groups.items():
            if len(members) < 2:
                continue
            a = np.concatenate([effects[i].sessions[0] for i in members])
            b = np.concatenate([effects[i].sessions[1] for i in members])
            owner = np.concatenate([np.full(effects[i].sessions[0].size, i) for i in members])
            order = np.argsort(a, kind="stable")
            a, b, owner = a[order], b[order], owner[order]
            run_end = np.maximum.accumulate(b)
            bad = np.nonzero(a[1:] < run_end[:-1] - TIME_TOL)[0]
            if not bad.size:
                continue
            j = int(bad[0]) + 1
            prev = np.nonzero((a[:j] < b[j] - TIME_TOL) & (b[:j] > a[j] + TIME_TOL))[0]
            other = int(owner[prev[-1]]) if prev.size else int(owner[j - 1])
            later = int(owner[j])
            if later == other:  # pragma: no cover - sessions of one event never overlap
                continue
            ev = self.protocol[later]
            raise ScenarioError(
                f"protocol[{later}].start", ev.start,
                f"its {group} session {ctx.fmt(a[j])} to {ctx.fmt(b[j])} overlaps a session of "
                f"protocol[{other}] ({ctx.fmt(a[prev[-1] if prev.size else j - 1])} to "
                f"{ctx.fmt(b[prev[-1] if prev.size else j - 1])}); sessions of the same practice "
                "(or two events of a type that sets a level, such as a drug's blockade) must "
                "not overlap")


# ============================================================================ YAML
#: Largest scenario or spec file (characters of YAML text) nicsim reads.
MAX_SPEC_CHARS = 1_000_000
#: Deepest nesting of lists and mappings in a YAML file.
MAX_YAML_DEPTH = 64
#: Most values (list items, mapping keys and values) in one YAML file.
MAX_YAML_NODES = 50_000


class _Loader(yaml.SafeLoader):
    """YAML loader that keeps '07:00' a string (no YAML 1.1 base-60 numbers), reads 1e-6 as
    a float, refuses duplicate keys, refuses anchors and aliases (``&name``/``*name``: an
    "alias bomb" expands a few lines into gigabytes) and nesting deeper than
    :data:`MAX_YAML_DEPTH` (instead of a RecursionError)."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            ev = self.peek_event()
            raise ScenarioError("yaml", f"*{_snippet(str(ev.anchor), 40)}", "YAML aliases "
                                f"(*name) are not supported{_at(ev.start_mark)}; write the "
                                "value out in full")
        ev = self.peek_event()
        if getattr(ev, "anchor", None) is not None:
            raise ScenarioError("yaml", f"&{_snippet(str(ev.anchor), 40)}", "YAML anchors "
                                f"(&name) are not supported{_at(ev.start_mark)}; write the "
                                "value out in full")
        self._depth += 1
        self._nodes += 1
        try:
            if self._nodes > MAX_YAML_NODES:
                raise ScenarioError("yaml", "...", f"the file holds more than "
                                    f"{MAX_YAML_NODES:,} values{_at(ev.start_mark)}")
            if self._depth > MAX_YAML_DEPTH:
                raise ScenarioError("yaml", "...", f"the lists and mappings are nested more "
                                    f"than {MAX_YAML_DEPTH} levels deep{_at(ev.start_mark)}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _at(mark) -> str:
    return "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in (_INT, _FLOAT)]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
                       |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
                       |[-+]?\.(?:inf|Inf|INF)
                       |\.(?:nan|NaN|NAN))$""", re.X), list("-+0123456789."))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            dup = key in seen
        except TypeError:  # unhashable key: let the default constructor complain
            dup = False
        if dup:
            raise ScenarioError("yaml", key, f"duplicate key at line {key_node.start_mark.line + 1}"
                                f" (first given at line {seen[key] + 1}); give each key once")
        if not dup:
            try:
                seen[key] = key_node.start_mark.line
            except TypeError:
                pass
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> Any:
    """Parse scenario YAML text; syntax problems raise ScenarioError(field='yaml') with the
    line and column. Refused as well: text longer than :data:`MAX_SPEC_CHARS`, anchors and
    aliases, nesting deeper than :data:`MAX_YAML_DEPTH`."""
    if not isinstance(text, str):
        raise ScenarioError("yaml", _snippet(repr(text)), "expected YAML text")
    if len(text) > MAX_SPEC_CHARS:
        raise ScenarioError("yaml", f"{len(text):,} characters", f"a scenario or spec file may "
                            f"hold at most {MAX_SPEC_CHARS:,} characters")
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except ScenarioError:
        raise
    except yaml.MarkedYAMLError as exc:
        where = _at(exc.problem_mark).replace(" (", " at ").rstrip(")")
        context = ""
        if exc.context and exc.context_mark is not None:
            context = (f" ({exc.context} that starts at line {exc.context_mark.line + 1}, "
                       f"column {exc.context_mark.column + 1})")
        raise ScenarioError("yaml", _snippet(text), f"the text is not valid YAML: "
                            f"{exc.problem or exc}{where}{context}") from None
    except RecursionError:
        raise ScenarioError("yaml", _snippet(text), "the text is nested too deeply") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise ScenarioError("yaml", _snippet(text), f"the text is not valid YAML: "
                            f"{_snippet(str(exc), 300)}") from None
    if data is None:
        raise ScenarioError("yaml", _snippet(text), "the document is empty; expected a mapping "
                            "with at least 'name' and 'duration'")
    return data


def _snippet(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "..."


def _source_dir(source: str | os.PathLike[str]) -> Path | None:
    """The folder of a source that is a file (None for YAML text)."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source
                                           and os.path.isfile(source.strip())):
        return Path(str(source).strip()).parent
    return None


def _read_source(source: str | os.PathLike[str]) -> str:
    if isinstance(source, os.PathLike):
        path = Path(source)
    elif isinstance(source, str):
        one_line = "\n" not in source
        if one_line and (source.strip().lower().endswith((".yaml", ".yml"))
                         or os.path.isfile(source)):
            path = Path(source.strip())
        else:
            return source
    else:
        raise ScenarioError("path", source, "expected a file path or YAML text")
    try:
        size = path.stat().st_size
        if size > MAX_SPEC_CHARS * 4:  # 4 bytes per character at most in UTF-8
            raise ScenarioError("path", str(path), f"the file is {size:,} bytes; a scenario or "
                                f"spec file may hold at most {MAX_SPEC_CHARS:,} characters")
        if path.is_dir():
            raise ScenarioError("path", str(path), "this is a folder; give the path of a YAML "
                                "file")
        if path.exists() and not path.is_file():
            raise ScenarioError("path", str(path), "this is not a regular file (a device or "
                                "pipe); give the path of a YAML file")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("path", str(path), "no such file; give the path of a scenario "
                            "YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError("path", str(path), f"the file cannot be read ({exc})") from None
