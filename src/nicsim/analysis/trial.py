"""In-silico trials: a virtual population, two or more arms, outcomes and effect sizes.

A trial file (YAML, read by :meth:`TrialSpec.from_yaml`; unknown keys are errors) names a
population (:class:`~nicsim.analysis.population.PopulationSpec`), a base scenario applied to
every subject (inline, or the path of a scenario file; without ``person``: persons come from
the population), arms (protocol events added to the base protocol), the number of subjects per
arm, the design (``paired``: the same sampled persons in every arm, common random numbers;
``independent``: different persons per arm), outcomes (:mod:`nicsim.analysis.outcomes`) and
which outputs to keep as trajectories. See docs/trials.md for the file format and examples in
examples/trials/.

Running (:func:`run_trial`):

1. persons are sampled **once**, up front, from the seed (:func:`~nicsim.analysis.population.
   sample_population`); the bootstrap draws from its own streams of the same seed;
2. subjects are simulated in chunks, each chunk one call of
   :func:`~nicsim.solve.simulate.simulate_cohort` with the chunk's parameter vectors; a chunk
   also evaluates the outcomes and keeps the trajectories at the coarse ``trajectory_interval``,
   so only small arrays travel back;
3. chunks run in this process (default: no set-up; the numba kernel runs the subjects of a chunk
   in parallel threads), on an in-process ``dask.distributed.LocalCluster`` (``workers=N``
   processes, one numba thread each) or on an existing Dask cluster (``scheduler=
   'tcp://host:port'``, or the Dask config key ``scheduler-address``). Chunks only simulate, so
   the results are identical whatever the chunking or the scheduler;
4. effect sizes between each arm and the control arm with bootstrap confidence intervals.

Worker processes compile the model once per process (``default_model`` is cached per process)
and load the solver from numba's on-disk cache in ``NICSIM_CACHE_DIR``.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
import xarray as xr
import yaml
from pydantic import BeforeValidator, Field, model_validator

from nicsim._default import default_model
from nicsim._optional import require
from nicsim._version import __version__
from nicsim.analysis.observation import describe_models, observe
from nicsim.analysis.outcomes import (
    MEASURE_LABELS,
    Grid,
    Name,
    Outcome,
    OutcomePlan,
    bootstrap_effect,
    outcome_unit,
    plan_outcome,
)
from nicsim.analysis.population import PopulationSpec, root_entropy, sample_population, stream
from nicsim.core.compiled import cache_dir
from nicsim.errors import ModelError, NicsimError, ScenarioError, SolverError
from nicsim.protocols import compile_schedule
from nicsim.protocols.events import Event
from nicsim.protocols.scenario import FileModel, Scenario, _read_source, load_yaml
from nicsim.protocols.spec import (
    StrictModel,
    _hint,
    duration_type,
    number_type,
)
from nicsim.protocols.timeexpr import HOURS_PER_DAY, format_duration, parse_clock, parse_duration
from nicsim.solve.plausibility import annotate
from nicsim.solve.problem import jump_targets, observable_names
from nicsim.solve.simulate import simulate_cohort

#: Subjects per chunk when none is given.
DEFAULT_CHUNK_SIZE = 32
#: Solver tolerance of trials when neither the trial nor its scenario sets one (as the cohort
#: studies V18/V19).
DEFAULT_TRIAL_RTOL = 1e-5
ProgressFn = Callable[[int, int], None]
_RESERVED = {"arm", "subject", "time", "time_days", "parameter", "parameters", "effect",
             "person_index", "sex", "male", "hsv1_seropositive"}
_SCENARIO_SET_BY_TRIAL = ("duration", "output_interval", "outputs", "name")


# ============================================================================ spec
class ArmSpec(StrictModel):
    """One arm: a name and the protocol events it adds to the base protocol."""

    name: Name = Field(description="identifier, unique in the trial")
    description: str | None = Field(default=None, description="free text")
    protocol: list[Event] = Field(default_factory=list,
                                  description="events added to the base scenario's protocol")


class BootstrapSpec(StrictModel):
    """Percentile bootstrap of the effect sizes."""

    resamples: number_type(100, 100_000, integer=True) = Field(  # type: ignore[valid-type]
        default=2000, description="resamples, 100 to 100000; default 2000")
    confidence: number_type(0.5, 0.999) = Field(  # type: ignore[valid-type]
        default=0.95, description="confidence level, 0.5 to 0.999; default 0.95")


def _scenario_source(v: Any) -> Any:
    if isinstance(v, (str, os.PathLike)):
        v = load_yaml(_read_source(Path(v)))
        if not isinstance(v, dict):
            raise ScenarioError("", v, "the scenario file must hold a mapping")
    if not isinstance(v, dict):
        raise ScenarioError("", v, "expected a scenario mapping (start, protocol, ...) or the "
                            "path of a scenario YAML file")
    if "person" in v:
        raise ScenarioError("person", "...", "the persons of a trial come from its "
                            "'population' (the sleep schedule from population.sleep); remove "
                            "'person' from the base scenario")
    if v.get("protocol") is not None and not isinstance(v["protocol"], list):
        raise ScenarioError("protocol", v["protocol"], "expected a list of events, each with a "
                            "type (docs/scenarios.md)")
    for k in v:
        if not isinstance(k, str) or k not in Scenario.allowed_keys():
            raise ScenarioError(str(k), k, f"unknown scenario key; allowed keys are: "
                                f"{', '.join(x for x in Scenario.allowed_keys() if x != 'person')}")
    return dict(v)


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ScenarioError("", v, "expected a non-empty text")
    return v.strip()


def _names(v: Any) -> Any:
    if not isinstance(v, list):
        raise ScenarioError("", v, "expected a list of names")
    for i, x in enumerate(v):
        if not isinstance(x, str) or not x.strip():
            raise ScenarioError(f"[{i}]", x, "expected a non-empty name")
    if len(set(v)) != len(v):
        raise ScenarioError("", v, "names must be unique")
    return [x.strip() for x in v]


def _whole_days(v: Any) -> Any:
    h = parse_duration(v, field="", positive=False, max_h=365 * HOURS_PER_DAY)
    if abs(h / HOURS_PER_DAY - round(h / HOURS_PER_DAY)) > 1e-9:
        raise ScenarioError("", v, "expected whole days from 0 to 365, e.g. '6 days'")
    return v.strip() if isinstance(v, str) else v


class TrialSpec(FileModel):
    """An in-silico trial (see the module docstring and docs/trials.md)."""

    document: ClassVar[str] = "trial"
    relative_paths: ClassVar[tuple[str, ...]] = ("scenario",)

    name: Annotated[str, BeforeValidator(_text)] = Field(description="trial name")
    description: str | None = Field(default=None, description="free text")
    seed: number_type(0, None, integer=True) = Field(  # type: ignore[valid-type]
        default=0, description="whole number >= 0; the only source of randomness")
    subjects: number_type(1, 1_000_000, integer=True) = Field(  # type: ignore[valid-type]
        description="subjects per arm, >= 1")
    design: Literal["paired", "independent"] = Field(
        default="paired", description="paired (same persons in every arm) | independent")
    requires: Annotated[list[str], BeforeValidator(_names)] = Field(
        default_factory=list, description="model modules the trial needs, e.g. [eczema]")
    population: PopulationSpec = Field(default_factory=PopulationSpec,
                                       description="who is in the trial")
    scenario: Annotated[dict, BeforeValidator(_scenario_source)] = Field(
        default_factory=dict, description="base scenario (mapping without person) or the path "
        "of a scenario file")
    duration: duration_type() | None = Field(  # type: ignore[valid-type]
        default=None, description="trial length (default: the scenario's duration)")
    sample_interval: duration_type() = Field(  # type: ignore[valid-type]
        default="1 h", description="spacing of the samples outcomes are computed from")
    trajectory_interval: duration_type() = Field(  # type: ignore[valid-type]
        default="1 day", description="spacing of the stored trajectories, >= sample_interval")
    trajectories: Annotated[list[str], BeforeValidator(_names)] = Field(
        default_factory=list, description="outputs kept as subject x time trajectories")
    burn_in: Annotated[str, BeforeValidator(_whole_days)] = Field(
        default="6 days", description="run-in on the habitual schedule before t = 0, whole "
        "days; default 6 days")
    rtol: number_type(1e-10, 1e-2) | None = Field(  # type: ignore[valid-type]
        default=None, description=f"solver tolerance; default the scenario's or "
        f"{DEFAULT_TRIAL_RTOL:g}")
    arms: list[ArmSpec] = Field(description="at least one arm")
    control: str | None = Field(default=None, description="reference arm; default the first")
    outcomes: list[Outcome] = Field(default_factory=list, description="outcome definitions")
    bootstrap: BootstrapSpec = Field(default_factory=BootstrapSpec,
                                     description="{resamples, confidence}")
    observation_noise: bool = Field(
        default=True, description="outcomes from observed readings with published measurement "
        "error and day-to-day variability (nicsim.analysis.observation); false: exact model "
        "values")

    # ------------------------------------------------------------------ checks
    @model_validator(mode="after")
    def _check(self) -> TrialSpec:
        if not self.arms:
            raise ScenarioError("arms", [], "give at least one arm {name, protocol}")
        names = [a.name for a in self.arms]
        for i, n in enumerate(names):
            if n in names[:i]:
                raise ScenarioError(f"arms[{i}].name", n, "arm names must be unique")
        if self.control is not None and self.control not in names:
            raise ScenarioError("control", self.control, f"expected an arm name: "
                                f"{', '.join(names)}")
        if not self.outcomes and not self.trajectories:
            raise ScenarioError("outcomes", [], "give at least one outcome (or trajectory)")
        seen: set[str] = set()
        for i, o in enumerate(self.outcomes):
            if o.name in seen:
                raise ScenarioError(f"outcomes[{i}].name", o.name, "outcome names must be "
                                    "unique")
            if o.name in _RESERVED or o.name in self.trajectories:
                raise ScenarioError(f"outcomes[{i}].name", o.name, "this name is taken (a "
                                    "trajectory output or a results variable); choose another")
            seen.add(o.name)
        if "duration" not in self.scenario and self.duration is None:
            raise ScenarioError("duration", None, "give the trial's duration (or a duration in "
                                "the base scenario)")
        if (parse_duration(self.trajectory_interval, field="trajectory_interval")
                < parse_duration(self.sample_interval, field="sample_interval") * (1 - 1e-9)):
            raise ScenarioError("trajectory_interval", self.trajectory_interval,
                                f"expected a duration of at least sample_interval "
                                f"({self.sample_interval})")
        scenarios = [self.arm_scenario(i) for i in range(len(self.arms))]
        self.plans(scenarios[0])
        return self

    # ------------------------------------------------------------------ derived
    @property
    def control_arm(self) -> str:
        return self.control or self.arms[0].name

    @property
    def duration_h(self) -> float:
        if self.duration is not None:
            return parse_duration(self.duration, field="duration")
        return parse_duration(self.scenario["duration"], field="scenario.duration")

    @property
    def burn_in_days(self) -> int:
        return int(round(parse_duration(self.burn_in, field="burn_in", positive=False)
                         / HOURS_PER_DAY))

    @property
    def outputs(self) -> list[str]:
        """Outputs the trial reads: trajectories first, then outcome outputs (unique)."""
        return list(dict.fromkeys([*self.trajectories, *(o.output for o in self.outcomes)]))

    def arm_scenario(self, i: int, outputs: Sequence[str] | None = None) -> Scenario:
        """The scenario of arm ``i``: base scenario + the arm's events, the trial's duration,
        sampling and tolerance, a person with the population's sleep schedule."""
        arm = self.arms[i]
        base = dict(self.scenario)
        base_protocol = list(base.pop("protocol", None) or [])
        data = {k: v for k, v in base.items() if k not in _SCENARIO_SET_BY_TRIAL}
        data.update({
            "name": f"{self.name}: {arm.name}",
            "duration": self.duration if self.duration is not None else base["duration"],
            "output_interval": self.sample_interval,
            "person": {"sleep": self.population.sleep.model_dump(mode="json")},
            "protocol": base_protocol + [ev.model_dump(mode="json", by_alias=True,
                                                       exclude_none=True) for ev in arm.protocol],
        })
        data["rtol"] = self.rtol if self.rtol is not None else base.get("rtol", DEFAULT_TRIAL_RTOL)
        if outputs is not None:
            data["outputs"] = list(outputs)
        try:
            return Scenario.from_dict(data)
        except ScenarioError as exc:
            raise self._remap(exc, len(base_protocol), i) from None

    def _remap(self, exc: ScenarioError, n_base: int, arm: int) -> ScenarioError:
        f = exc.field
        m = re.match(r"^protocol\[(\d+)\](.*)$", f)
        if m:
            k, rest = int(m.group(1)), m.group(2)
            f = f"scenario.protocol[{k}]{rest}" if k < n_base else \
                f"arms[{arm}].protocol[{k - n_base}]{rest}"
        elif f == "duration":
            f = "duration" if self.duration is not None else "scenario.duration"
        elif f == "output_interval":
            f = "sample_interval"
        elif f == "rtol":
            f = "rtol" if self.rtol is not None else "scenario.rtol"
        elif f.startswith("person"):
            f = "population" + f[len("person"):]
        elif f not in ("outputs",):
            f = f"scenario.{f}"
        return ScenarioError(f, exc.value, exc.allowed, hint=_hint(exc))

    def grid(self, scenario: Scenario) -> Grid:
        return Grid(scenario.output_times(), scenario.start_clock_h, scenario.duration_h,
                    parse_clock(self.population.sleep.wake),
                    parse_clock(self.population.sleep.bedtime))

    def plans(self, scenario: Scenario) -> list[OutcomePlan]:
        grid = self.grid(scenario)
        return [plan_outcome(o, grid, f"outcomes[{i}]") for i, o in enumerate(self.outcomes)]

    def trajectory_times(self) -> np.ndarray:
        D = self.duration_h
        dt = parse_duration(self.trajectory_interval, field="trajectory_interval")
        t = np.arange(int(math.floor(D / dt + 1e-9)) + 1) * dt
        return t if D - t[-1] <= 1e-9 * max(1.0, D) else np.append(t, D)

    # ------------------------------------------------------------------ io
    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json", by_alias=True, exclude_none=True),
                              sort_keys=False, allow_unicode=True, width=100)


# ============================================================================ chunks
@dataclass(frozen=True)
class ChunkTask:
    """What a worker needs to simulate one chunk of one arm (plain, picklable data)."""

    arm: int
    arm_name: str
    start: int
    scenario: dict
    P: np.ndarray
    plans: tuple[OutcomePlan, ...]
    trajectories: tuple[str, ...]
    traj_times: np.ndarray
    burn_in_days: int
    model_key: str
    entropy: int = 0
    observation_noise: bool = False


@dataclass(frozen=True)
class ChunkResult:
    arm: int
    start: int
    outcomes: np.ndarray   # (k, n_outcomes)
    traj: np.ndarray       # (k, n_trajectories, n_traj_times)
    units: dict = field(default_factory=dict)
    long_names: dict = field(default_factory=dict)
    simulate_s: float = 0.0   # time in simulate_cohort (the engine)
    evaluate_s: float = 0.0   # time evaluating outcomes and trajectories (the trial layer)


#: One chunk at a time per process: concurrent calls of the numba parallel kernel from several
#: threads of a multi-threaded Dask worker would oversubscribe the cores.
_SOLVER_LOCK = threading.Lock()


def process_model(model_key: str | None = None):
    """The compiled default model of this process (compiled once per process; the solver comes
    from numba's on-disk cache in NICSIM_CACHE_DIR). Checks the model key against the client's."""
    model = default_model()
    _ = model.solver
    if model_key and model.key != model_key:
        raise NicsimError(
            f"this worker's model (key {model.key}, nicsim {__version__}) differs from "
            f"the client's (key {model_key}); install the same nicsim version (and modules) on "
            "the workers as on the client")
    return model


def worker_info(model_key: str | None = None) -> dict:
    """Compile/load the model in this process and report what it is (run on every worker)."""
    t0 = time.perf_counter()
    model = process_model(None)
    _warm_up(model)
    return {"nicsim_version": __version__, "model_key": model.key,
            "matches": (model_key is None or model.key == model_key),
            "cache_dir": str(cache_dir()), "load_s": time.perf_counter() - t0,
            "pid": os.getpid()}


def _model_compiles() -> int:
    """How often this process has compiled the default model (1 after any number of chunks)."""
    return default_model.cache_info().misses


def _warm_up(model) -> None:
    """One tiny cohort run, so that numba loads the batch kernel from its cache now rather than
    in the first chunk."""
    sc = Scenario.from_dict({"name": "warm-up", "duration": "1 h", "output_interval": "1 h"})
    with _SOLVER_LOCK:
        simulate_cohort(sc, P=model.parameter_vector()[None, :], model=model, burn_in_days=0)


def simulate_chunk(task: ChunkTask) -> ChunkResult:
    """Simulate one chunk; evaluate its outcomes and keep coarse trajectories."""
    model = process_model(task.model_key)
    sc = Scenario.from_dict(task.scenario)
    k = task.P.shape[0]
    t0 = time.perf_counter()
    with _SOLVER_LOCK:
        try:
            ds = simulate_cohort(sc, P=task.P, model=model, burn_in_days=task.burn_in_days)
        except SolverError as exc:
            raise SolverError(f"arm {task.arm_name}, subjects {task.start} to "
                              f"{task.start + k - 1}: {exc}") from None
    t1 = time.perf_counter()
    t = ds.time.values
    out = np.empty((k, len(task.plans)))
    observed: dict[str, np.ndarray] = {}
    for j, plan in enumerate(task.plans):
        if plan.output not in observed:
            Y = ds[plan.output].values
            if task.observation_noise:
                Y = observe(Y, plan.output, entropy=task.entropy, arm=task.arm_name,
                            subjects=np.arange(task.start, task.start + k),
                            days=np.floor((t + sc.start_clock_h) / HOURS_PER_DAY))
            observed[plan.output] = Y
        out[:, j] = plan.evaluate(observed[plan.output])
    traj = np.empty((k, len(task.trajectories), task.traj_times.size))
    for j, name in enumerate(task.trajectories):
        Y = ds[name].values
        for i in range(k):
            traj[i, j] = np.interp(task.traj_times, t, Y[i])
    names = {p.output for p in task.plans} | set(task.trajectories)
    return ChunkResult(task.arm, task.start, out, traj,
                       {n: ds[n].attrs.get("units", "") for n in names},
                       {n: ds[n].attrs.get("long_name", n) for n in names},
                       t1 - t0, time.perf_counter() - t1)


# ============================================================================ executors
def _worker_env() -> dict[str, str]:
    return {"NICSIM_CACHE_DIR": str(cache_dir()), "NUMBA_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def local_cluster_kwargs(workers: int) -> dict:
    """Arguments of the in-process ``LocalCluster``: ``workers`` processes with one thread (and
    one numba thread) each, the model cache shared through NICSIM_CACHE_DIR, no dashboard (its
    HTTP server on a free port, so that several clusters can run side by side)."""
    return {"n_workers": workers, "threads_per_worker": 1, "processes": True,
            "dashboard_address": None, "scheduler_kwargs": {"dashboard_address": ":0"},
            "env": _worker_env(), "silence_logs": logging.ERROR}


def _configured_scheduler() -> str | None:
    """Dask's configured ``scheduler-address``, if dask is installed (the serial path of a
    trial needs no dask at all)."""
    try:
        import dask
    except ImportError:
        return None
    return dask.config.get("scheduler-address", None) or None


def _run_serial(tasks, progress) -> list[ChunkResult]:
    out = []
    for i, task in enumerate(tasks):
        out.append(simulate_chunk(task))
        if progress is not None:
            progress(i + 1, len(tasks))
    return out


def _run_dask(tasks, progress, scheduler: str | None, workers: int | None,
              model_key: str, info: dict) -> list[ChunkResult]:
    require("distributed", "running a trial on Dask (--workers/--scheduler)")
    from dask.distributed import Client, LocalCluster, as_completed
    cluster = None
    t0 = time.perf_counter()
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise NicsimError(f"--scheduler {scheduler}: cannot connect to a Dask scheduler "
                                  f"there ({exc}); start one with `dask scheduler` and workers "
                                  "with `dask worker` (see docs/trials.md)") from None
            info["executor"] = f"dask cluster at {scheduler}"
        else:
            cluster = LocalCluster(**local_cluster_kwargs(int(workers)))
            client = Client(cluster)
            info["executor"] = f"dask LocalCluster, {workers} worker processes"
        with client:
            ws = client.run(worker_info, model_key)
            if not ws:
                raise NicsimError(f"the Dask cluster at {scheduler} has no workers")
            bad = {a: w for a, w in ws.items() if not w["matches"]}
            if bad:
                a, w = next(iter(bad.items()))
                raise NicsimError(
                    f"{len(bad)} of {len(ws)} Dask workers run a different nicsim model (e.g. "
                    f"{a}: nicsim {w['nicsim_version']}, model key {w['model_key']}; the client "
                    f"has {model_key}); install the same nicsim version on every worker")
            info["workers"] = len(ws)
            info["worker_load_s"] = max(w["load_s"] for w in ws.values())
            t1 = time.perf_counter()
            info["dask_setup_s"] = t1 - t0
            futures = [client.submit(simulate_chunk, t, pure=False,
                                     key=f"nicsim-chunk-{t.arm}-{t.start}-{os.urandom(4).hex()}")
                       for t in tasks]
            out = []
            try:
                for _fut, res in as_completed(futures, with_results=True):
                    out.append(res)
                    if progress is not None:
                        progress(len(out), len(tasks))
            except BaseException:
                client.cancel(futures)
                raise
            info["compute_s"] = time.perf_counter() - t1
            info["worker_model_compiles"] = client.run(_model_compiles)
            return out
    finally:
        if cluster is not None:
            cluster.close()


# ============================================================================ run
@dataclass
class TrialResult:
    """The results dataset of a trial plus how it was run (not stored in the dataset, so that
    the dataset is identical whatever the scheduler or chunking)."""

    spec: TrialSpec
    dataset: xr.Dataset
    info: dict = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)

    def effects(self) -> list[dict]:
        return effects_table(self.dataset)


def _check_model(spec: TrialSpec, model) -> None:
    modules = sorted({s.module for s in model.states} | {o.module for o in model.outputs})
    for i, mod in enumerate(spec.requires):
        if mod not in modules:
            raise ModelError(
                f"requires[{i}]: this trial needs the model module {mod!r}, which this nicsim "
                f"does not have (installed modules: {', '.join(modules)}); it cannot run until "
                f"a nicsim version with the {mod!r} module is installed")
    names = observable_names(model)
    for i, o in enumerate(spec.outcomes):
        if o.output not in names:
            raise ScenarioError(f"outcomes[{i}].output", o.output, "expected a model output: "
                                f"{', '.join(names)}")
    for i, o in enumerate(spec.trajectories):
        if o not in names:
            raise ScenarioError(f"trajectories[{i}]", o, "expected a model output: "
                                f"{', '.join(names)}")


def run_trial(spec: TrialSpec | str | os.PathLike[str] | dict, *,
              rng: np.random.Generator | int | None = None, subjects: int | None = None,
              scheduler: str | None = None, workers: int | None = None,
              chunk_size: int | None = None, progress: ProgressFn | None = None,
              parameter_set: str = "default") -> TrialResult:
    """Run a trial; returns a :class:`TrialResult` (``.dataset``; to write it:
    :func:`nicsim.report.trial_report.save_trial`).

    ``rng`` (int seed or Generator) defaults to the spec's ``seed``; ``subjects`` overrides the
    subjects per arm. Execution: in this process by default; ``workers=N`` starts an in-process
    Dask LocalCluster with N worker processes; ``scheduler='tcp://host:port'`` uses an existing
    Dask cluster (also taken from the Dask config key ``scheduler-address`` when set).
    ``progress(done_chunks, total_chunks)`` is called as chunks finish.
    """
    t_start = time.perf_counter()
    if isinstance(spec, dict):
        spec = TrialSpec.from_dict(spec)
    elif not isinstance(spec, TrialSpec):
        spec = TrialSpec.from_yaml(spec)
    overrides: dict[str, Any] = {}
    if subjects is not None:
        overrides["subjects"] = subjects
    if rng is not None and not isinstance(rng, np.random.Generator):
        if isinstance(rng, bool) or not isinstance(rng, (int, np.integer)) or rng < 0:
            raise ScenarioError("rng", rng, "expected a whole-number seed >= 0 or a "
                                "numpy Generator")
        overrides["seed"] = int(rng)  # the saved spec names the seed actually used
        rng = None
    if overrides:
        spec = TrialSpec.from_dict({**spec.model_dump(mode="json", by_alias=True,
                                                      exclude_none=True), **overrides})
    chunk = DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ScenarioError("chunk_size", chunk_size, "expected a whole number >= 1")
    if workers is not None and (isinstance(workers, bool) or int(workers) < 0):
        raise ScenarioError("workers", workers, "expected a whole number >= 0")
    if scheduler is None and not workers:
        scheduler = _configured_scheduler()
    if scheduler and workers:
        raise ScenarioError("workers", workers, "give either a scheduler address (an existing "
                            "cluster) or a number of local workers, not both")

    model = default_model()
    _check_model(spec, model)
    outputs = spec.outputs
    scenarios = [spec.arm_scenario(i, outputs) for i in range(len(spec.arms))]
    for i, sc in enumerate(scenarios):
        try:
            compile_schedule(sc, model.exogenous, jump_targets=jump_targets(model))
        except ScenarioError as exc:
            n_base = len(spec.scenario.get("protocol") or [])
            raise spec._remap(exc, n_base, i) from None
    plans = tuple(spec.plans(scenarios[0]))

    # ---- persons, sampled once
    N, A = int(spec.subjects), len(spec.arms)
    entropy = root_entropy(spec.seed if rng is None else rng)
    n_persons = N if spec.design == "paired" else N * A
    t_pop = time.perf_counter()
    pop = sample_population(spec.population, n_persons, entropy, model=model,
                            start_clock_h=scenarios[0].start_clock_h,
                            parameter_set=parameter_set, field_prefix="population.")
    person_index = np.array([np.arange(N) if spec.design == "paired"
                             else np.arange(a * N, (a + 1) * N) for a in range(A)])
    P_all = pop.parameters.values
    sample_s = time.perf_counter() - t_pop

    # ---- chunks
    traj_t = spec.trajectory_times()
    tasks = [ChunkTask(a, spec.arms[a].name, s, scenarios[a].to_dict(),
                       np.ascontiguousarray(P_all[person_index[a, s:s + chunk]]), plans,
                       tuple(spec.trajectories), traj_t, spec.burn_in_days, model.key,
                       entropy, bool(spec.observation_noise))
             for a in range(A) for s in range(0, N, chunk)]
    info: dict[str, Any] = {"chunks": len(tasks), "chunk_size": int(chunk),
                            "subject_runs": N * A, "simulated_days": spec.duration_h / 24.0,
                            "sample_s": sample_s}
    if progress is not None:
        progress(0, len(tasks))
    t_sim = time.perf_counter()
    if scheduler or workers:
        results = _run_dask(tasks, progress, scheduler, workers, model.key, info)
    else:
        info["executor"] = "this process (numba threads)"
        results = _run_serial(tasks, progress)
        info["compute_s"] = time.perf_counter() - t_sim
    info["simulate_s"] = time.perf_counter() - t_sim

    # ---- assemble
    O = np.full((A, N, len(plans)), np.nan)
    T = np.full((A, N, len(spec.trajectories), traj_t.size), np.nan)
    units, long_names = {}, {}
    info["engine_s"] = sum(r.simulate_s for r in results)
    info["evaluate_s"] = sum(r.evaluate_s for r in results)
    for r in results:
        k = r.outcomes.shape[0]
        O[r.arm, r.start:r.start + k] = r.outcomes
        T[r.arm, r.start:r.start + k] = r.traj
        units.update(r.units)
        long_names.update(r.long_names)
    t_ds = time.perf_counter()
    ds = _dataset(spec, pop, person_index, O, T, traj_t, units, long_names, entropy,
                  scenarios[0], model, parameter_set)
    info["effects_s"] = time.perf_counter() - t_ds
    info["wall_s"] = time.perf_counter() - t_start
    return TrialResult(spec, ds, info)


def _dataset(spec, pop, person_index, O, T, traj_t, units, long_names, entropy, scenario,
             model, parameter_set) -> xr.Dataset:
    import json


    arms = [a.name for a in spec.arms]
    data: dict[str, Any] = {}
    for name, v in pop.data_vars.items():
        if v.dims == ("subject",):
            data[name] = (("arm", "subject"), v.values[person_index], dict(v.attrs))
    data["parameters"] = (("arm", "subject", "parameter"), pop.parameters.values[person_index],
                          dict(pop.parameters.attrs))
    data["person_index"] = (("arm", "subject"), person_index, {
        "long_name": "index of the sampled person (paired design: the same in every arm)"})
    for j, name in enumerate(spec.trajectories):
        data[name] = (("arm", "subject", "time"), T[:, :, j, :], {
            "units": units.get(name, ""), "long_name": long_names.get(name, name),
            "role": "trajectory"})
    for j, o in enumerate(spec.outcomes):
        data[o.name] = (("arm", "subject"), O[:, :, j], {
            "units": outcome_unit(o, units.get(o.output, "")), "long_name": o.label or o.name,
            "description": o.describe(), "kind": o.kind, "output": o.output, "role": "outcome",
            "censored": "NaN = threshold not reached (censored)"
            if o.kind == "time_to_threshold" else ""})
    # ---- effect sizes: each arm against the control arm, per outcome and measure
    ctrl = arms.index(spec.control_arm)
    rows = []
    for j, o in enumerate(spec.outcomes):
        for a, arm in enumerate(arms):
            if a == ctrl:
                continue
            for m in o.measures:
                rng = stream(entropy, f"bootstrap/{o.name}/{arm}/{m}")
                est, lo, hi = bootstrap_effect(
                    m, O[a, :, j], O[ctrl, :, j], rng=rng,
                    resamples=int(spec.bootstrap.resamples),
                    confidence=float(spec.bootstrap.confidence),
                    paired=spec.design == "paired")
                rows.append((f"{o.name}: {arm} vs {arms[ctrl]} ({m})", o.name, arm, arms[ctrl],
                             m, est, lo, hi))
    coords: dict[str, Any] = {
        "arm": np.array(arms, dtype=object), "subject": np.arange(O.shape[1]),
        "time": ("time", traj_t, {"units": "h", "long_name": "time since the trial start"}),
        "time_days": ("time", traj_t / HOURS_PER_DAY, {"units": "d"}),
        "parameter": pop.parameter.values, "parameter_unit": pop.parameter_unit,
        "parameter_varies": pop.parameter_varies,
    }
    if rows:
        cols = list(zip(*rows, strict=True))
        coords.update({
            "effect": np.array(cols[0], dtype=object),
            "effect_outcome": ("effect", np.array(cols[1], dtype=object)),
            "effect_arm": ("effect", np.array(cols[2], dtype=object)),
            "effect_control": ("effect", np.array(cols[3], dtype=object)),
            "effect_measure": ("effect", np.array(cols[4], dtype=object)),
        })
        conf = float(spec.bootstrap.confidence)
        data["effect_estimate"] = ("effect", np.array(cols[5], float),
                                   {"long_name": "effect size (arm vs control)"})
        data["effect_ci_low"] = ("effect", np.array(cols[6], float),
                                 {"long_name": f"{conf:.0%} bootstrap CI, lower"})
        data["effect_ci_high"] = ("effect", np.array(cols[7], float),
                                  {"long_name": f"{conf:.0%} bootstrap CI, upper"})
    arm_protocols = {a.name: [ev.model_dump(mode="json", by_alias=True, exclude_none=True)
                              for ev in a.protocol] for a in spec.arms}
    attrs = {
        "title": spec.name, "description": spec.description or "", "design": spec.design,
        "subjects_per_arm": int(spec.subjects), "control_arm": arms[ctrl],
        "seed_entropy": str(entropy), "nicsim_version": __version__, "model_key": model.key,
        "parameter_set": parameter_set, "start_clock": scenario.start,
        "start_weekday": scenario.start_weekday, "duration_h": float(scenario.duration_h),
        "sample_interval": spec.sample_interval, "trajectory_interval": spec.trajectory_interval,
        "burn_in_days": spec.burn_in_days, "rtol": float(scenario.rtol or DEFAULT_TRIAL_RTOL),
        "bootstrap_resamples": int(spec.bootstrap.resamples),
        "confidence": float(spec.bootstrap.confidence),
        "base_protocol": json.dumps(spec.scenario.get("protocol") or []),
        "arm_protocols": json.dumps(arm_protocols),
        "arm_descriptions": json.dumps({a.name: a.description or "" for a in spec.arms}),
        "population_spec": pop.attrs["population_spec"], "sampled": pop.attrs["sampled"],
        "trial_spec": spec.to_yaml(),
        "observation_noise": int(bool(spec.observation_noise)),
        "observation_models": json.dumps(
            describe_models(o.output for o in spec.outcomes) if spec.observation_noise else []),
        "disclaimer": "research and education model; not a diagnostic tool",
    }
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    annotate(ds, start_clock_h=scenario.start_clock_h)  # trajectories outside human ranges
    return ds


def effects_table(ds: xr.Dataset) -> list[dict]:
    """The effect sizes of a results dataset as rows (outcome, arm, control, measure, estimate,
    ci_low, ci_high, label)."""
    if "effect" not in ds.coords:
        return []
    rows = []
    for k in range(ds.sizes["effect"]):
        m = str(ds.effect_measure.values[k])
        rows.append({"outcome": str(ds.effect_outcome.values[k]),
                     "arm": str(ds.effect_arm.values[k]),
                     "control": str(ds.effect_control.values[k]), "measure": m,
                     "label": MEASURE_LABELS.get(m, m),
                     "estimate": float(ds.effect_estimate.values[k]),
                     "ci_low": float(ds.effect_ci_low.values[k]),
                     "ci_high": float(ds.effect_ci_high.values[k])})
    return rows


def load_results(path: str | os.PathLike[str]) -> xr.Dataset:
    """Read a trial's ``results.nc`` (fully loaded, file closed)."""
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def describe_duration(hours: float) -> str:
    return format_duration(hours)


__all__ = ["DEFAULT_CHUNK_SIZE", "ArmSpec", "BootstrapSpec", "ChunkResult", "ChunkTask",
           "TrialResult", "TrialSpec", "effects_table", "load_results", "local_cluster_kwargs",
           "process_model", "run_trial", "simulate_chunk", "worker_info"]
