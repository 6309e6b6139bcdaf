"""Tipping points of the stress-skin loop: steady states against chronic stress load (M7).

The loop (visible lesions -> distress -> felt stress -> skin inflammation -> lesions) can lock a
susceptible person into a persistent flare: for a range of chronic loads two stable states exist
(healthy and flared), and which one the person is in depends on the history (hysteresis). This
module finds that range by **quasi-static continuation**: at each load level the model is
simulated in blocks (default one week, repeating the person's daily rhythm and any intervention
regimen) until it settles, starting from the previous level's end state; the sweep goes up from
the healthy branch (after a burn-in at the lowest load) and then down from the state reached at
the highest load. Because the forcing is daily-periodic, "settled" means that the day-averaged
severity of successive blocks agrees within ``settle.atol + settle.rtol * |value|``, counting
the drift still to come when successive changes shrink geometrically (slow modes; see
:func:`settled`).

Where the down-sweep lies above the up-sweep by more than ``hysteresis_threshold`` (default:
ten times the settling tolerance at that level) the system is bistable; the up-sweep jumps at
the upper fold (tipping into a flare), the down-sweep at the lower fold (release). Each fold
is bracketed by two levels and, with ``refine`` > 0, bisected: from the branch state at the
bracket's inner end, a run at the midpoint is classed as jumped or not.

A :class:`LoopSpec` (YAML, extra keys forbidden) gives the person, the severity observable, the
load levels, the settling rule, interventions (person changes, parameter changes and a regimen of
protocol events inside one block, repeated every block) and an optional second swept parameter
(a person trait or a parameter id) for a map of the bistable region. Chains (interventions x
values of the second parameter) run together through the numba batch kernel.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from nicsim._default import default_model
from nicsim._version import __version__
from nicsim.analysis.batch import observe
from nicsim.errors import NicsimError, ScenarioError
from nicsim.protocols import compile_schedule
from nicsim.protocols.events import Event
from nicsim.protocols.scenario import FileModel, Person, Scenario
from nicsim.protocols.schedule import merge_breaks
from nicsim.protocols.spec import (
    Clock,
    StrictModel,
    duration_type,
    number_type,
)
from nicsim.protocols.timeexpr import parse_duration
from nicsim.solve.problem import DEFAULT_RTOL, habitual_schedule, jump_targets, model_parameters
from nicsim.solve.run import integrate_rows, observable_index, segment_inputs

ProgressFn = Callable[[int, int], None]
LOAD_INPUT = "chronic_stressor"


# ============================================================================ spec
class LoadLevels(StrictModel):
    """Chronic stress load levels (fraction 0-1 of a maximal sustained load, input
    ``chronic_stressor``, held constant day and night)."""

    from_: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        default=0.0, alias="from", description="lowest load, 0 to 1; default 0")
    to: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        default=1.0, description="highest load, 0 to 1; default 1")
    steps: number_type(3, 201, integer=True) = Field(  # type: ignore[valid-type]
        default=21, description="number of levels including both ends, 3 to 201; default 21")

    @model_validator(mode="after")
    def _order(self) -> LoadLevels:
        if self.to <= self.from_:
            raise ScenarioError("to", self.to, f"expected a load greater than 'from' "
                                f"({self.from_:g})")
        return self

    def levels(self) -> np.ndarray:
        return np.linspace(self.from_, self.to, int(self.steps))


def _whole_days(v: Any) -> Any:
    h = parse_duration(v, field="", min_h=24.0, max_h=24.0 * 56)
    if abs(h / 24.0 - round(h / 24.0)) > 1e-9:
        raise ScenarioError("", v, "expected a whole number of days (the daily rhythm repeats "
                            "from block to block), from 1 day to 8 weeks")
    return v


class Settle(StrictModel):
    """When a load level counts as settled."""

    block: Annotated[str, BeforeValidator(_whole_days)] = Field(
        default="1 week", description="block length, whole days, 1 day to 8 weeks")
    min_blocks: number_type(3, 100, integer=True) = Field(  # type: ignore[valid-type]
        default=3, description="blocks simulated at least per level (3 or more: the settling "
        "test extrapolates from three block averages)")
    max_blocks: number_type(3, 200, integer=True) = Field(  # type: ignore[valid-type]
        default=40, description="blocks simulated at most per level (unsettled levels are "
        "flagged)")
    rtol: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        default=0.01, description="relative change of the block average counted as settled")
    atol: number_type(0.0, None) = Field(  # type: ignore[valid-type]
        default=0.05, description="absolute change (severity units) counted as settled")
    sample: duration_type(1 / 60, 24.0) = Field(  # type: ignore[valid-type]
        default="1 h", description="sampling interval for the block averages")

    @model_validator(mode="after")
    def _order(self) -> Settle:
        if self.max_blocks < self.min_blocks:
            raise ScenarioError("max_blocks", self.max_blocks, f"expected at least min_blocks "
                                f"({self.min_blocks})")
        return self

    @property
    def block_h(self) -> float:
        return parse_duration(self.block, field="settle.block")


class Intervention(StrictModel):
    """A sustained intervention: person changes, parameter changes and a regimen of protocol
    events within one block (times relative to the block start, repeated every block)."""

    name: str = Field(description="label in the plots and tables")
    person: dict[str, Any] = Field(default_factory=dict, description="person fields changed, "
                                   "e.g. {distress_sensitivity: 0.5, social_support: 0.9}")
    parameters: dict[str, float] = Field(default_factory=dict, description="parameter "
                                         "values (declared units), e.g. {psyche.f_x: 0.5}")
    protocol: list[Event] = Field(default_factory=list, description="events inside one block "
                                  "(repeated every block), e.g. a daily emollient")


class SecondParameter(StrictModel):
    """A second swept quantity for the map of the bistable region."""

    name: str = Field(description="a person trait (distress_sensitivity, lesion_visibility, "
                      "stress_reactivity, social_support, ...) or a parameter id (module.name)")
    values: list[float] = Field(min_length=2, description="values to sweep (at least 2)")


def _person(v: Any) -> Any:
    if isinstance(v, Person):
        return v
    if not isinstance(v, dict):
        raise ScenarioError("", v, "expected a person mapping as in scenario files")
    return Person.model_validate(v)


class LoopSpec(FileModel):
    """Quasi-static load sweeps of the stress-skin loop (see the module docstring)."""

    document: ClassVar[str] = "spec"

    name: str = Field(description="analysis name")
    description: str | None = Field(default=None, description="free text")
    person: Annotated[Person, BeforeValidator(_person)] = Field(
        default_factory=Person, description="the person (e.g. a susceptible one)")
    start: Clock = Field(default="07:00", description="clock time at which blocks start")
    severity: str = Field(description="observable whose day average is the steady state, "
                          "e.g. easi or pasi")
    track: list[str] = Field(default_factory=list, description="further observables to report "
                             "(block averages), e.g. [dlqi, perceived_stress]")
    load: LoadLevels = Field(default_factory=LoadLevels, description="{from, to, steps}")
    settle: Settle = Field(default_factory=Settle, description="settling rule")
    hysteresis_threshold: number_type(0.0, None) | None = Field(  # type: ignore[valid-type]
        default=None, description="down - up difference (severity units) that counts as "
        "bistable; default: 10 x the settling tolerance at each level, 10 (atol + rtol |x|)")
    refine: number_type(0, 12, integer=True) = Field(  # type: ignore[valid-type]
        default=3, description="bisection steps per fold, 0 to 12")
    interventions: list[Intervention] = Field(default_factory=list, description="compared "
                                              "with no intervention")
    second: SecondParameter | None = Field(default=None, description="{name, values}: map of "
                                           "the bistable region")
    parameters: dict[str, float] = Field(default_factory=dict, description="parameter values "
                                         "(declared units) for every chain")
    parameter_set: str = Field(default="default", description="calibrated parameter set")
    burn_in_days: number_type(0, 365, integer=True) = Field(  # type: ignore[valid-type]
        default=6, description="days on the habitual schedule before the up-sweep")
    rtol: number_type(1e-10, 1e-2) | None = Field(  # type: ignore[valid-type]
        default=None, description="solver relative tolerance (default 1e-6)")

    @model_validator(mode="after")
    def _check(self) -> LoopSpec:
        names = ["none"]
        for i, iv in enumerate(self.interventions):
            if iv.name in names:
                raise ScenarioError(f"interventions[{i}].name", iv.name, "intervention names "
                                    "must be unique and not 'none' (the reference curve)")
            names.append(iv.name)
            try:
                self.block_scenario(iv)
            except ScenarioError as exc:
                raise ScenarioError(f"interventions[{i}].{exc.field}", exc.value,
                                    exc.allowed) from None
        if self.second is not None and "." not in self.second.name:
            fields = [k for k, f in Person.model_fields.items()
                      if f.annotation in (float, int) or k in ("age",)]
            if self.second.name not in Person.model_fields or self.second.name in (
                    "sex", "sleep", "susceptibility", "hsv1_seropositive"):
                raise ScenarioError("second.name", self.second.name, "a numeric person trait ("
                                    f"{', '.join(fields)}) or a parameter id (module.name)")
            for j, v in enumerate(self.second.values):
                try:
                    Person.model_validate({**self.person.model_dump(mode="json"),
                                           self.second.name: v})
                except ScenarioError as exc:
                    raise ScenarioError(f"second.values[{j}]", v, exc.allowed) from None
        return self

    def block_scenario(self, intervention: Intervention | None = None,
                       person: Person | None = None) -> Scenario:
        """The scenario of one block for an intervention (None: no intervention)."""
        p = (person or self.person).model_dump(mode="json")
        if intervention is not None:
            p.update(intervention.person)
        return Scenario.from_dict({
            "name": f"{self.name}-block", "start": self.start, "duration": self.settle.block,
            "output_interval": self.settle.sample, "person": p,
            "protocol": [ev.model_dump(mode="json", by_alias=True, exclude_none=True)
                         for ev in (intervention.protocol if intervention else [])]})


# ============================================================================ chains
@dataclass
class Chain:
    """One curve: an intervention at one value of the second parameter."""

    intervention: str
    second: float | None
    scenario: Scenario
    p: np.ndarray  # canonical parameter vector
    schedule: object


def align_schedules(schedules: Sequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Common breaks for several schedules of the same duration; inputs (n, n_seg, n_in) and
    jumps (n, n_seg, n_jump) re-sampled on them (exact: inputs are piecewise constant)."""
    D = float(schedules[0].breaks[-1])
    breaks = merge_breaks(np.concatenate([s.breaks for s in schedules]), D)
    starts = breaks[:-1]
    n_seg = len(starts)
    U = np.empty((len(schedules), n_seg, schedules[0].inputs.shape[1]))
    J = np.zeros((len(schedules), n_seg, schedules[0].jumps.shape[1]))
    for c, s in enumerate(schedules):
        U[c] = s.inputs[s.segment_at(starts)]
        nz = np.flatnonzero(np.any(s.jumps != 0, axis=1))
        if nz.size:
            idx = np.clip(np.searchsorted(breaks, s.breaks[nz] - 1e-9), 0, n_seg - 1)
            J[c, idx] += s.jumps[nz]
    return breaks, U, J


class _Runner:
    """Runs blocks for a set of chains at given loads (numba batch kernel)."""

    def __init__(self, model, chains: list[Chain], spec: LoopSpec):
        self.model, self.chains, self.spec = model, chains, spec
        if LOAD_INPUT not in model.exogenous:
            raise NicsimError(f"the model has no input {LOAD_INPUT!r} (psyche module): the loop "
                              "analysis varies the chronic stress load through it")
        self.col = model.exogenous.index(LOAD_INPUT)
        self.breaks, self.U, self.J = align_schedules([c.schedule for c in chains])
        self.P = np.array([c.p for c in chains])
        self.rtol = float(spec.rtol or DEFAULT_RTOL)
        dt = chains[0].scenario.output_interval_h
        self.t = chains[0].scenario.output_times()
        self.dt = dt
        self.names = [spec.severity, *[n for n in spec.track if n != spec.severity]]
        obs = observable_index(model)
        for f, nm in [("severity", spec.severity)] + [(f"track[{i}]", n)
                                                       for i, n in enumerate(spec.track)]:
            if nm not in obs:
                raise ScenarioError(f, nm, f"an observable of the model: {', '.join(sorted(obs))}")
        self.units = {nm: obs[nm][3] for nm in self.names}
        self.U_at = segment_inputs(self.breaks, self.U, self.t)  # (n, n_t, n_in)
        self.blocks_run = 0

    def block(self, idx: np.ndarray, Y0: np.ndarray, loads: np.ndarray):
        """One block for chains ``idx`` from ``Y0`` at ``loads``; returns (end states,
        block averages (len(idx), n_names))."""
        U = self.U[idx].copy()
        U[:, :, self.col] += loads[:, None]
        Y = integrate_rows(self.model, Y0, self.P[idx], self.breaks, U, self.J[idx], self.t,
                             self.rtol, what="chain")
        Ut = self.U_at[idx].copy()
        Ut[:, :, self.col] += loads[:, None]
        series = observe(self.model, Y, self.P[idx], self.t, Ut, self.names)
        D = self.t[-1] - self.t[0]
        avg = np.column_stack([
            np.sum(np.diff(self.t) * (series[n][:, 1:] + series[n][:, :-1]) / 2, axis=1) / D
            for n in self.names])
        self.blocks_run += len(idx)
        return Y[:, -1].copy(), avg

    def settle(self, Y0: np.ndarray, loads: np.ndarray, idx: np.ndarray | None = None,
               tick: Callable[[], None] | None = None):
        """Simulate blocks until every chain settles (or max_blocks); returns (end states,
        averages of the last block, settled flags, blocks used)."""
        st = self.spec.settle
        n = len(Y0)
        idx = np.arange(n) if idx is None else np.asarray(idx)
        Y = Y0.copy()
        shape = (n, len(self.names))
        prev2, prev, avg = (np.full(shape, np.nan) for _ in range(3))
        done = np.zeros(n, dtype=bool)
        used = np.zeros(n, dtype=int)
        for b in range(int(st.max_blocks)):
            act = np.flatnonzero(~done)
            if act.size == 0:
                break
            Ye, a = self.block(idx[act], Y[act], loads[act])
            Y[act], prev2[act], prev[act], avg[act] = Ye, prev[act], avg[act], a
            used[act] += 1
            if b + 1 >= max(int(st.min_blocks), 3):
                ok = settled(avg[act], prev[act], prev2[act], st.atol, st.rtol)
                done[act[ok]] = True
            if tick is not None:
                tick()
        return Y, avg, done, used


def settled(avg: np.ndarray, prev: np.ndarray, prev2: np.ndarray, atol: float,
            rtol: float) -> np.ndarray:
    """Settling test on three successive block averages (rows: chains, columns: observables).

    The last change d1 = avg - prev must be small, and so must the distance still to go,
    estimated from a geometric approach: with r = d1/d0 (d0 = prev - prev2) in (0, 0.95], the
    remaining drift is |d1| r / (1 - r) (slow modes make small weekly changes add up); an
    oscillating or growing change counts with r = 0 or 0.95. Settled when |d1| + remaining <=
    atol + rtol |avg| for every observable."""
    d1, d0 = avg - prev, prev - prev2
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(d1 * d0 > 0, np.abs(d1) / np.abs(d0), 0.0)
    r = np.clip(np.nan_to_num(r, nan=0.95, posinf=0.95), 0.0, 0.95)
    left = np.abs(d1) * (1.0 + r / (1.0 - r))
    return np.all(left <= atol + rtol * np.abs(avg), axis=1)


# ============================================================================ results
@dataclass
class Fold:
    """A tipping point: the load where a branch ends, bracketed by ``lower``..``upper``."""

    kind: str  # "up" (healthy -> flare) or "down" (flare -> healthy)
    load: float  # estimate (bracket midpoint)
    lower: float
    upper: float
    inside: bool  # False: the branch did not end inside the swept range

    def __post_init__(self):
        self.load, self.lower, self.upper = (float(self.load), float(self.lower),
                                             float(self.upper))

    def text(self) -> str:
        if not self.inside:
            return (f"> {self.upper:.3g} (beyond the range)" if self.kind == "up"
                    else f"< {self.lower:.3g} (beyond the range)")
        return f"{self.load:.3f} ({self.lower:.3f}-{self.upper:.3f})"


@dataclass
class LoopCurve:
    """Up- and down-sweep of one chain."""

    intervention: str
    second: float | None
    loads: np.ndarray
    up: np.ndarray  # (levels, n_names) block averages
    down: np.ndarray
    up_settled: np.ndarray
    down_settled: np.ndarray
    up_blocks: np.ndarray
    down_blocks: np.ndarray
    bistable: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    fold_up: Fold | None = None
    fold_down: Fold | None = None

    @property
    def label(self) -> str:
        return self.intervention if self.second is None else \
            f"{self.intervention} @ {self.second:g}"

    @property
    def is_bistable(self) -> bool:
        return bool(self.bistable.any())

    def bistable_range(self) -> tuple[float, float] | None:
        if self.fold_up is None or self.fold_down is None:
            return None
        return self.fold_down.load, self.fold_up.load


@dataclass
class LoopResult:
    spec: LoopSpec
    names: list[str]
    units: dict[str, str]
    curves: list[LoopCurve]
    threshold: str  # the rule that decided "bistable"
    elapsed_s: float
    blocks_run: int
    model_key: str = ""

    def curve(self, intervention: str = "none", second: float | None = None) -> LoopCurve:
        for c in self.curves:
            if c.intervention == intervention and (second is None or c.second == second):
                return c
        raise KeyError(intervention)

    def table(self) -> list[dict]:
        rows = []
        for c in self.curves:
            rows.append({
                "intervention": c.intervention, "second": c.second,
                "bistable": c.is_bistable,
                "tipping_up": c.fold_up.text() if c.fold_up else "-",
                "tipping_down": c.fold_down.text() if c.fold_down else "-",
                "tipping_up_load": _num(c.fold_up.load) if c.fold_up else None,
                "tipping_down_load": _num(c.fold_down.load) if c.fold_down else None,
                "severity_at_min_load": float(c.up[0, 0]),
                "severity_at_max_load": float(c.down[-1, 0]),
                "unsettled_levels": int((~c.up_settled).sum() + (~c.down_settled).sum()),
            })
        return rows

    def to_dataset(self):
        import xarray as xr


        seconds = sorted({c.second for c in self.curves if c.second is not None})
        ivs = list(dict.fromkeys(c.intervention for c in self.curves))
        has2 = bool(seconds)
        shape = (len(ivs), len(seconds) if has2 else 1, len(self.curves[0].loads))
        dims = ("intervention", "second", "load")
        data: dict[str, Any] = {}
        for kind in ("up", "down"):
            for j, nm in enumerate(self.names):
                arr = np.full(shape, np.nan)
                for c in self.curves:
                    arr[ivs.index(c.intervention),
                        seconds.index(c.second) if has2 else 0] = getattr(c, kind)[:, j]
                data[f"{nm}_{kind}"] = (dims, arr, {
                    "units": self.units[nm],
                    "long_name": f"block-average {nm}, {kind}-sweep (settled state)"})
            flags = np.zeros(shape, dtype=np.int8)
            for c in self.curves:
                flags[ivs.index(c.intervention), seconds.index(c.second) if has2 else 0] = \
                    getattr(c, f"{kind}_settled")
            data[f"settled_{kind}"] = (dims, flags, {"long_name": "1 if the level settled"})
        for kind in ("up", "down"):
            est = np.full(shape[:2], np.nan)
            for c in self.curves:
                f = getattr(c, f"fold_{kind}")
                if f is not None and f.inside:
                    est[ivs.index(c.intervention), seconds.index(c.second) if has2 else 0] = \
                        f.load
            data[f"tipping_{kind}"] = (("intervention", "second"), est, {
                "units": "1", "long_name": f"load of the {kind}-jump (NaN: none in range)"})
        coords = {"intervention": ivs, "second": seconds if has2 else [np.nan],
                  "load": ("load", self.curves[0].loads, {
                      "units": "1", "long_name": "chronic stress load (chronic_stressor)"})}
        return xr.Dataset(data, coords=coords, attrs={
            "name": self.spec.name, "nicsim_version": __version__, "model_key": self.model_key,
            "severity": self.spec.severity, "second_parameter":
                self.spec.second.name if self.spec.second else "",
            "bistable_rule": self.threshold, "elapsed_s": self.elapsed_s,
            "blocks_run": self.blocks_run})


def _num(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def _folds(loads: np.ndarray, up: np.ndarray, down: np.ndarray, thr: np.ndarray | float):
    """Bistable levels and fold brackets from the two sweeps (severity column)."""
    diff = down - up
    bist = diff > thr
    if not bist.any():
        return bist, None, None
    k = np.flatnonzero(bist)
    lo, hi = int(k[0]), int(k[-1])
    n = len(loads)
    if hi + 1 < n:
        f_up = Fold("up", (loads[hi] + loads[hi + 1]) / 2, loads[hi], loads[hi + 1], True)
    else:
        f_up = Fold("up", math.nan, loads[hi], loads[hi], False)
    if lo > 0:
        f_down = Fold("down", (loads[lo - 1] + loads[lo]) / 2, loads[lo - 1], loads[lo], True)
    else:
        f_down = Fold("down", math.nan, loads[lo], loads[lo], False)
    return bist, f_up, f_down


# ============================================================================ driver
def _build_chains(spec: LoopSpec, model) -> list[Chain]:
    seconds: list[float | None] = list(spec.second.values) if spec.second else [None]
    ivs: list[Intervention | None] = [None, *spec.interventions]
    ids = set(model.parameter_ids)
    checks = [("parameters", spec.parameters)] + [
        (f"interventions[{i}].parameters", iv.parameters)
        for i, iv in enumerate(spec.interventions)]
    if spec.second is not None and "." in spec.second.name:
        checks.append(("second", {"name": spec.second.name}))
    for where, params in checks:
        for k, v in params.items():
            pid = v if where == "second" else k
            if pid not in ids:
                raise ScenarioError(f"{where}.{k}", pid if where == "second" else v,
                                    "a parameter id of the model (see `nicsim params`)")
    chains = []
    for iv in ivs:
        for sv in seconds:
            person = spec.person
            params = dict(spec.parameters)
            if iv is not None:
                params.update(iv.parameters)
            if sv is not None:
                if "." in spec.second.name:
                    params[spec.second.name] = float(sv)
                else:
                    person = Person.model_validate({**person.model_dump(mode="json"),
                                                    spec.second.name: sv})
            sc = spec.block_scenario(iv, person)
            p = model_parameters(model, sc, params, spec.parameter_set)
            sched = compile_schedule(sc, model.exogenous, jump_targets=jump_targets(model))
            chains.append(Chain("none" if iv is None else iv.name, sv, sc, p, sched))
    return chains


def _burn_in(model, chains: list[Chain], spec: LoopSpec, rtol: float) -> np.ndarray:
    Y0 = np.repeat(model.initial_state()[None, :], len(chains), axis=0)
    if spec.burn_in_days <= 0:
        return Y0
    burns = [habitual_schedule(model, c.scenario, spec.burn_in_days) for c in chains]
    breaks, U, J = align_schedules(burns)
    return integrate_rows(model, Y0, np.array([c.p for c in chains]), breaks, U, J,
                            np.array([breaks[-1]]), rtol, what="burn-in of chain")[:, -1]


def run_loop(spec: LoopSpec | str | os.PathLike[str] | dict, *, model=None,
             progress: ProgressFn | None = None) -> LoopResult:
    """Quasi-static up- and down-sweeps for every chain; folds bracketed and refined.

    ``progress(done, total)`` counts sweep levels (and refinement steps)."""
    if isinstance(spec, dict):
        spec = LoopSpec.from_dict(spec)
    elif not isinstance(spec, LoopSpec):
        spec = LoopSpec.from_yaml(spec)
    t0 = time.perf_counter()
    model = model or default_model()
    chains = _build_chains(spec, model)
    run = _Runner(model, chains, spec)
    loads = spec.load.levels()
    L, n = len(loads), len(chains)
    total = 2 * L + 2 * int(spec.refine)
    step = [0]

    def tick_level():
        step[0] += 1
        if progress is not None:
            progress(min(step[0], total), total)

    m = len(run.names)
    res = {k: np.full((n, L, m), np.nan) for k in ("up", "down")}
    ok = {k: np.zeros((n, L), dtype=bool) for k in ("up", "down")}
    used = {k: np.zeros((n, L), dtype=int) for k in ("up", "down")}
    states = {k: np.zeros((n, L, len(model.states))) for k in ("up", "down")}
    Y = _burn_in(model, chains, spec, run.rtol)
    for kind, order in (("up", range(L)), ("down", range(L - 1, -1, -1))):
        for i in order:
            Y, avg, done, u = run.settle(Y, np.full(n, loads[i]))
            res[kind][:, i], ok[kind][:, i], used[kind][:, i] = avg, done, u
            states[kind][:, i] = Y
            tick_level()
    st = spec.settle
    if spec.hysteresis_threshold is not None:
        rule = f"down - up > {float(spec.hysteresis_threshold):g}"
    else:
        rule = (f"down - up > 10 x the settling tolerance, 10 ({st.atol:g} + {st.rtol:g} |x|)")

    def threshold(up: np.ndarray, down: np.ndarray) -> np.ndarray | float:
        if spec.hysteresis_threshold is not None:
            return float(spec.hysteresis_threshold)
        return 10.0 * (st.atol + st.rtol * np.abs(up + down) / 2.0)

    curves = []
    for c, ch in enumerate(chains):
        u, d = res["up"][c, :, 0], res["down"][c, :, 0]
        bist, fu, fd = _folds(loads, u, d, threshold(u, d))
        curves.append(LoopCurve(ch.intervention, ch.second, loads, res["up"][c],
                                res["down"][c], ok["up"][c], ok["down"][c], used["up"][c],
                                used["down"][c], bist, fu, fd))
    if spec.refine > 0:
        _refine(run, curves, states, loads, int(spec.refine), tick_level)
    return LoopResult(spec, run.names, run.units, curves, rule, time.perf_counter() - t0,
                      run.blocks_run, model.key)


def _refine(run: _Runner, curves: list[LoopCurve], states, loads: np.ndarray, steps: int,
            tick: Callable[[], None]) -> None:
    """Bisect every fold bracket: from the branch state at the bracket's inner end, settle at
    the midpoint and class the result as jumped (closer to the other branch) or not."""
    jobs = []  # (curve index, fold, start state, value on own branch, value on other branch)
    for c, cv in enumerate(curves):
        for f in (cv.fold_up, cv.fold_down):
            if f is None or not f.inside:
                continue
            i_lo = int(np.argmin(np.abs(loads - f.lower)))
            i_hi = int(np.argmin(np.abs(loads - f.upper)))
            if f.kind == "up":  # start on the low (healthy) branch at the lower end
                y0 = states["up"][c, i_lo]
                own, other = cv.up[i_lo, 0], cv.down[i_hi, 0]
            else:  # start on the high (flared) branch at the upper end
                y0 = states["down"][c, i_hi]
                own, other = cv.down[i_hi, 0], cv.up[i_lo, 0]
            jobs.append([c, f, y0, own, other])
    if not jobs:
        for _ in range(steps):
            tick()
        return
    for _ in range(steps):
        mids = np.array([(j[1].lower + j[1].upper) / 2 for j in jobs])
        idx = np.array([j[0] for j in jobs])
        Y0 = np.array([j[2] for j in jobs])
        _Y, avg, _done, _u = run.settle(Y0, mids, idx=idx)
        for j, job in enumerate(jobs):
            f, own, other = job[1], job[3], job[4]
            jumped = abs(avg[j, 0] - other) < abs(avg[j, 0] - own)
            if f.kind == "up":
                if jumped:
                    f.upper = float(mids[j])
                else:
                    f.lower = float(mids[j])
            else:
                if jumped:
                    f.lower = float(mids[j])
                else:
                    f.upper = float(mids[j])
            f.load = (f.lower + f.upper) / 2
        tick()


#: The analysis `nicsim loop` runs without a spec; examples/loop/psoriasis_loop.yaml is the same
#: (a test keeps them equal). See docs/tipping_points.md.
DEFAULT_LOOP_SPEC: dict[str, Any] = {
    "name": "psoriasis-loop",
    "description": "A moderately psoriasis-prone person (susceptibility 0.7) who is very sensitive "
                   "to how her skin looks (distress_sensitivity 1.5) and has visible plaques "
                   "(lesion_visibility 0.8): steady PASI (weekly average) against a constant "
                   "chronic stress load, swept up from clear skin and back down from the flare, "
                   "with sustained interventions repeated every week.",
    "person": {"sex": "female", "age": 35, "susceptibility": {"psoriasis": 0.7},
               "distress_sensitivity": 1.5, "lesion_visibility": 0.8},
    "severity": "pasi",
    "track": ["dlqi", "perceived_stress"],
    "parameters": {"competence.age_rate": 0.0},
    "load": {"from": 0.0, "to": 0.5, "steps": 21},
    "settle": {"block": "1 week", "atol": 0.05, "rtol": 0.005, "max_blocks": 40},
    "refine": 3,
    "interventions": [
        {"name": "mindfulness 45 min daily", "protocol": [
            {"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 1,
             "daily_practice": "45 min"}]},
        {"name": "evening social support", "protocol": [
            {"type": "social_support", "start": "day 1", "days": 7,
             "daily_window": {"from": "18:00", "to": "22:00"}, "level": 0.8}]},
        {"name": "lower distress sensitivity (0.5)", "person": {"distress_sensitivity": 0.5}},
        {"name": "NB-UVB 2x/week 0.5 J/cm2", "protocol": [
            {"type": "nb_uvb", "at": "day 1 10:00", "weeks": 1, "sessions_per_week": 2,
             "dose": "0.5 J/cm2"}]},
        {"name": "moderate topical corticosteroid", "protocol": [
            {"type": "topical_corticosteroid", "start": "day 1", "period": "1 week",
             "potency": "moderate"}]},
    ],
}
