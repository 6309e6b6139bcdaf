"""Global sensitivity analysis: Morris screening and Sobol indices (SALib) of scalar read-outs.

A :class:`SensitivitySpec` (YAML, extra keys forbidden) names a scenario, the parameters to vary
(ids, a module, or all parameters with declared bounds), the read-outs to explain
(:mod:`nicsim.analysis.readouts`) and the methods::

    name: tsst-hpa
    scenario: ../scenarios/tsst.yaml          # path (relative to this file) or inline mapping
    parameters: [hpa.stress_gain, {id: hpa.free_clearance, range: [5, 20]}, psyche]
    default_factor: 2                         # range of a parameter without bounds/distribution
    outputs:
      - {output: cortisol_saliva, stat: peak, window: {from: "day 2 14:00", to: "day 2 17:00"}}
    morris: {trajectories: 20, levels: 4}
    sobol: {n: 512, convergence: [64, 128, 256, 512]}
    seed: 1

Range of each parameter, in this order (the origin is written to the results): an explicit
``range`` in the spec; the declared ``bounds``; its between-person distribution (nominal x
exp(+/- ``sigmas`` sigma)); nominal x/÷ ``default_factor``. A range is sampled in log space when
its lower end is > 0 and it spans at least a factor 5 (or it comes from a distribution or a
factor), else linearly; ``scale`` overrides that.

The model is evaluated with :class:`nicsim.analysis.batch.BatchEvaluator` (numba batch kernel,
optionally spread over a dask.distributed cluster). Sobol indices are computed from one nested
Saltelli sample: the first ``N (k + 2)`` rows (``N (2k + 2)`` with second order) of the largest
sample are the sample of size ``N``, so the convergence check costs no extra model runs.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from nicsim._default import default_model
from nicsim._optional import require
from nicsim._version import __version__
from nicsim.analysis.batch import BatchEvaluator
from nicsim.analysis.readouts import ReadOut, compute_readouts, readout_times, resolve_readouts
from nicsim.core.domains import check_parameter
from nicsim.core.model import LogNormal
from nicsim.errors import NicsimError, ScenarioError
from nicsim.protocols.scenario import FileModel, Scenario
from nicsim.protocols.spec import StrictModel, number_type
from nicsim.solve.run import observable_index

ALL_WITH_BOUNDS = "all_with_bounds"
#: parameters set by the scenario itself (start clock, sleep schedule): "all_with_bounds" skips
#: them; list them by id to vary them anyway
SCENARIO_SET = ("clock.start_clock", "clock.habitual_wake")
#: log scale when lower > 0 and upper / lower >= this
LOG_SPAN = 5.0

ProgressFn = Callable[[int, int], None]


# ============================================================================ spec
def _scenario(v: Any) -> Any:
    if isinstance(v, Scenario):
        return v
    try:
        if isinstance(v, dict):
            return Scenario.from_dict(v)
        if isinstance(v, (str, os.PathLike)):
            return Scenario.from_yaml(v)
    except ScenarioError as exc:
        raise ScenarioError(exc.field, exc.value, exc.allowed) from None
    raise ScenarioError("", v, "expected a scenario: a mapping (as in a scenario file) or the "
                        "path of a scenario YAML file")


def _parameters(v: Any) -> Any:
    if isinstance(v, str):
        return [v]
    allowed = ("expected a non-empty list of parameter ids, {id, range, scale} mappings or "
               f"module names, a module name, or '{ALL_WITH_BOUNDS}'")
    if not isinstance(v, list) or not v:
        raise ScenarioError("", v, allowed)
    out = []
    for i, item in enumerate(v):
        if isinstance(item, (str, ParameterChoice)):
            out.append(item.strip() if isinstance(item, str) else item)
        elif isinstance(item, dict):
            try:
                out.append(ParameterChoice.model_validate(item))
            except ScenarioError as exc:
                sub = f".{exc.field}" if exc.field else ""
                raise ScenarioError(f"[{i}]{sub}", exc.value, exc.allowed) from None
        else:
            raise ScenarioError(f"[{i}]", item, allowed)
    return out


class ParameterChoice(StrictModel):
    """One parameter with an explicit range and/or scale."""

    id: str = Field(description="parameter id, e.g. hpa.stress_gain")
    range: tuple[float, float] | None = Field(
        default=None, description="[lower, upper] in the parameter's declared unit")
    scale: Literal["log", "linear"] | None = Field(default=None, description="log | linear")
    factor: number_type(1.0, 100.0, lo_open=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="nominal x/÷ factor (> 1), instead of a range: for a "
        "parameter whose declared bounds are a fit's search bounds rather than its plausible "
        "spread")

    @model_validator(mode="after")
    def _check(self) -> ParameterChoice:
        if self.factor is not None and self.range is not None:
            raise ScenarioError("factor", self.factor, "either range or factor, not both")
        if self.range is not None:
            lo, hi = self.range
            if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
                raise ScenarioError("range", list(self.range), "expected [lower, upper] with "
                                    "finite numbers and lower < upper")
            if self.scale == "log" and lo <= 0:
                raise ScenarioError("range", list(self.range), "a log-scale range needs "
                                    "lower > 0")
        return self


class MorrisSpec(StrictModel):
    """Morris elementary-effects screening (SALib)."""

    trajectories: number_type(2, 10_000, integer=True) = Field(  # type: ignore[valid-type]
        default=20, description="number of trajectories r, 2 to 10000 (runs: r (k + 1))")
    levels: number_type(2, 20, integer=True) = Field(  # type: ignore[valid-type]
        default=4, description="grid levels p, an even number from 2 to 20")
    resamples: number_type(10, 10_000, integer=True) = Field(  # type: ignore[valid-type]
        default=200, description="bootstrap resamples for the mu* confidence interval")

    @model_validator(mode="after")
    def _even(self) -> MorrisSpec:
        if self.levels % 2:
            raise ScenarioError("levels", self.levels, "expected an even number of levels "
                                "(2, 4, 6, ...): Morris steps are levels/(2 (levels - 1))")
        return self


def _power_of_two(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, int) or v < 8 or v & (v - 1):
        raise ScenarioError("", v, "expected a power of two of at least 8 (8, 16, ..., 512, "
                            "1024, ...): Sobol' sequences are balanced at powers of two")
    return v


PowerOfTwo = Annotated[int, BeforeValidator(_power_of_two)]


class SobolSpec(StrictModel):
    """Sobol' indices from a Saltelli sample (SALib)."""

    n: PowerOfTwo = Field(default=256, description="base samples N, a power of two (runs: "
                          "N (k + 2), or N (2k + 2) with second order)")
    convergence: list[PowerOfTwo] | None = Field(
        default=None, description="base sample sizes to show convergence at (powers of two "
        "up to n); default 64, 128, ... up to n")
    second_order: bool = Field(default=False, description="also second-order indices S2")
    resamples: number_type(10, 10_000, integer=True) = Field(  # type: ignore[valid-type]
        default=100, description="bootstrap resamples for the confidence intervals")
    conf_level: number_type(0.5, 0.999) = Field(  # type: ignore[valid-type]
        default=0.95, description="confidence level of the intervals, 0.5 to 0.999")

    @model_validator(mode="after")
    def _conv(self) -> SobolSpec:
        if self.convergence is not None:
            bad = [c for c in self.convergence if c > self.n]
            if bad:
                raise ScenarioError("convergence", bad[0], f"sample sizes must be at most n "
                                    f"({self.n}): the smaller samples are prefixes of it")
        return self

    def sizes(self) -> list[int]:
        if self.convergence:
            return sorted(set(self.convergence) | {self.n})
        out, m = [], min(64, self.n)
        while m <= self.n:
            out.append(m)
            m *= 2
        return out


class Thresholds(StrictModel):
    """When a parameter 'matters' for a read-out."""

    sobol_st: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        default=0.05, description="total-order index ST at least this")
    morris_mu_star: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        default=0.1, description="mu* at least this fraction of the largest mu* of the read-out")


class SensitivitySpec(FileModel):
    """A sensitivity analysis (see the module docstring for the file format)."""

    document: ClassVar[str] = "spec"
    relative_paths: ClassVar[tuple[str, ...]] = ("scenario",)

    name: str = Field(description="analysis name")
    description: str | None = Field(default=None, description="free text")
    scenario: Annotated[Scenario, BeforeValidator(_scenario)] = Field(
        description="scenario mapping or path of a scenario YAML file")
    parameters: Annotated[list[str | ParameterChoice], BeforeValidator(_parameters)] = Field(
        description=f"parameter ids, {{id, range, scale}}, module names or '{ALL_WITH_BOUNDS}'")
    exclude: list[str] = Field(default_factory=list, description="parameter ids not to vary")
    outputs: list[ReadOut] = Field(min_length=1, description="read-outs {output, stat, ...}")
    morris: MorrisSpec | None = Field(default=None, description="{trajectories, levels}")
    sobol: SobolSpec | None = Field(default=None, description="{n, convergence, second_order}")
    seed: number_type(0, 2**32 - 1, integer=True) = Field(  # type: ignore[valid-type]
        default=0, description="random seed (sampling and bootstrap)")
    prefer: Literal["bounds", "distribution"] = Field(
        default="bounds", description="range source when a parameter has both")
    sigmas: number_type(0.5, 4.0) = Field(  # type: ignore[valid-type]
        default=2.0, description="distribution-based range: nominal x exp(+/- sigmas sigma)")
    default_factor: number_type(1.0, 100.0, lo_open=True) | None = Field(  # type: ignore
        default=None, description="range of parameters with neither bounds nor distribution: "
        "nominal x/÷ factor (log scale); without it such parameters are an error")
    fixed: dict[str, float] = Field(default_factory=dict, description="parameter values held "
                                    "fixed (declared units)")
    parameter_set: str = Field(default="default", description="calibrated parameter set")
    burn_in_days: number_type(0, 60, integer=True) = Field(  # type: ignore[valid-type]
        default=6, description="burn-in days on the habitual schedule before the scenario")
    rtol: number_type(1e-10, 1e-2) | None = Field(  # type: ignore[valid-type]
        default=None, description="solver relative tolerance (default: the scenario's)")
    thresholds: Thresholds = Field(default_factory=Thresholds, description="what 'matters'")

    @model_validator(mode="after")
    def _need_method(self) -> SensitivitySpec:
        if self.morris is None and self.sobol is None:
            raise ScenarioError("morris", None, "give at least one method: 'morris: "
                                "{trajectories: 20}' and/or 'sobol: {n: 256}'")
        return self


# ============================================================================ parameter ranges
@dataclass(frozen=True)
class ParameterRange:
    """A varied parameter: range in the declared unit, scale and where the range comes from."""

    id: str
    unit: str
    nominal: float
    lower: float
    upper: float
    scale: str  # "log" | "linear"
    origin: str

    def to_unit(self) -> tuple[float, float]:
        """Bounds in sampling space (log for log scale)."""
        if self.scale == "log":
            return math.log(self.lower), math.log(self.upper)
        return self.lower, self.upper

    def from_unit(self, x: np.ndarray) -> np.ndarray:
        return np.exp(x) if self.scale == "log" else np.asarray(x, dtype=float)


def _auto_scale(lo: float, hi: float) -> str:
    return "log" if lo > 0 and hi / lo >= LOG_SPAN else "linear"


def parameter_range(prm, nominal: float, *, choice: ParameterChoice | None = None,
                    prefer: str = "bounds", sigmas: float = 2.0,
                    default_factor: float | None = None, field: str = "parameters"
                    ) -> ParameterRange:
    """The range of one model parameter (declaration ``prm``, nominal in its declared unit)."""
    scale = choice.scale if choice else None
    dist = prm.distribution
    options = ["bounds", "distribution"] if prefer == "bounds" else ["distribution", "bounds"]
    if choice is not None and choice.range is not None:
        lo, hi = choice.range
        origin = "range given in the spec"
        scale = scale or _auto_scale(lo, hi)
    elif choice is not None and choice.factor is not None:
        if nominal <= 0:
            raise ScenarioError(f"{field}.factor", choice.factor,
                                f"a range as [lower, upper]: {prm.id}'s nominal value is "
                                f"{nominal:g}, so a factor range is empty")
        lo, hi = nominal / choice.factor, nominal * choice.factor
        origin = f"nominal x/÷ {choice.factor:g} (given in the spec)"
        scale = scale or "log"
    else:
        lo = hi = None
        for opt in options:
            if opt == "bounds" and prm.bounds is not None:
                lo, hi = (float(b) for b in prm.bounds)
                origin = "declared bounds"
                scale = scale or _auto_scale(lo, hi)
                break
            if opt == "distribution" and dist is not None and nominal > 0:
                lo, hi = dist.interval(nominal, sigmas)
                if lo == hi:  # a fraction at its bound has no spread
                    continue
                if isinstance(dist, LogNormal):
                    origin = (f"between-person distribution: nominal x exp(+/-{sigmas:g} "
                              f"sigma), cv {dist.cv:g}")
                    scale = scale or "log"
                else:
                    origin = (f"between-person distribution: {dist.describe()}, quantiles at "
                              f"+/-{sigmas:g} sigma")
                    scale = scale or "linear"
                break
        if lo is None:
            if default_factor is not None and nominal > 0:
                lo, hi = nominal / default_factor, nominal * default_factor
                origin = f"default: nominal x/÷ {default_factor:g} (no bounds or distribution)"
                scale = scale or "log"
            else:
                why = (f"its nominal value is {nominal:g}, so a factor range is empty"
                       if nominal <= 0 else "and no default_factor is set")
                raise ScenarioError(field, prm.id, f"parameter {prm.id} has no declared bounds "
                                    f"or distribution {why}; give it a range: "
                                    f"{{id: {prm.id}, range: [lower, upper]}}, or set "
                                    "default_factor (e.g. 2)")
    if scale == "log" and lo <= 0:
        raise ScenarioError(field, prm.id, f"{prm.id}: a log-scale range needs a lower end "
                            f"> 0 (range [{lo:g}, {hi:g}]); use scale: linear")
    dom = prm.domain
    for end, v in (("lower", lo), ("upper", hi)):
        if not dom.contains(float(v)):
            raise ScenarioError(field, [lo, hi], f"the {end} end of the range of {prm.id} "
                                f"({origin}) must be {dom.describe(prm.unit)} (the parameter's "
                                f"domain: {dom.why})")
    return ParameterRange(prm.id, prm.unit, float(nominal), float(lo), float(hi), scale, origin)


def resolve_parameters(spec: SensitivitySpec, model,
                       nominal: Callable[[str], float]) -> list[ParameterRange]:
    """Expand the spec's parameter list against ``model`` into ranges (in spec order)."""
    by_id = {p.id: p for p in model.parameters}
    modules = sorted({p.module for p in model.parameters})
    chosen: dict[str, tuple[ParameterChoice | None, str]] = {}
    for i, item in enumerate(spec.parameters):
        fld = f"parameters[{i}]"
        if isinstance(item, ParameterChoice):
            if item.id not in by_id:
                raise ScenarioError(f"{fld}.id", item.id, "a parameter id of the model (see "
                                    "`nicsim params`)")
            chosen[item.id] = (item, fld)
            continue
        key = item.strip()
        if key in by_id:
            chosen.setdefault(key, (None, fld))
        elif key.replace(" ", "_").lower() == ALL_WITH_BOUNDS:
            for p in model.parameters:
                if p.bounds is not None and p.id not in SCENARIO_SET:
                    chosen.setdefault(p.id, (None, fld))
        elif key in modules:
            for p in model.parameters:
                if p.module == key and (p.bounds is not None or p.distribution is not None):
                    chosen.setdefault(p.id, (None, fld))
        else:
            raise ScenarioError(fld, item, f"a parameter id (module.name), a module name "
                                f"({', '.join(modules)}) or '{ALL_WITH_BOUNDS}'")
    for j, pid in enumerate(spec.exclude):
        if pid not in by_id:
            raise ScenarioError(f"exclude[{j}]", pid, "a parameter id of the model")
        chosen.pop(pid, None)
    for pid in spec.fixed:
        if pid not in by_id:
            raise ScenarioError(f"fixed.{pid}", spec.fixed[pid], "a parameter id of the model")
        check_parameter(by_id[pid], spec.fixed[pid], f"fixed.{pid}")
        chosen.pop(pid, None)
    if not chosen:
        raise ScenarioError("parameters", [str(p) for p in spec.parameters],
                            "the selection contains no parameter to vary (modules contribute "
                            "only parameters with bounds or a distribution)")
    return [parameter_range(by_id[pid], nominal(pid), choice=c, prefer=spec.prefer,
                            sigmas=spec.sigmas, default_factor=spec.default_factor, field=fld)
            for pid, (c, fld) in chosen.items()]


def salib_problem(ranges: Sequence[ParameterRange]) -> dict:
    return {"num_vars": len(ranges), "names": [r.id for r in ranges],
            "bounds": [list(r.to_unit()) for r in ranges]}


def to_declared(ranges: Sequence[ParameterRange], X: np.ndarray) -> np.ndarray:
    """Sampling-space rows -> parameter values in declared units."""
    return np.column_stack([r.from_unit(X[:, j]) for j, r in enumerate(ranges)])


# ============================================================================ methods
Evaluator = Callable[[np.ndarray], np.ndarray]


def _seeds(rng: np.random.Generator | int | None, k: int) -> list[int]:
    if isinstance(rng, np.random.Generator):
        return [int(s) for s in rng.integers(0, 2**31 - 1, size=k)]
    base = 0 if rng is None else int(rng)
    return [int(s) for s in np.random.default_rng(base).integers(0, 2**31 - 1, size=k)]


def _check_finite(Y: np.ndarray, labels: Sequence[str]) -> None:
    bad = ~np.isfinite(Y)
    if bad.any():
        k = int(np.flatnonzero(bad.any(axis=0))[0])
        raise NicsimError(f"read-out {labels[k]!r} is not finite in {int(bad[:, k].sum())} of "
                          f"{len(Y)} runs (e.g. a 'fold' with a zero baseline); choose another "
                          "statistic or window")


@dataclass
class MorrisResult:
    X: np.ndarray  # (runs, k) declared units
    Y: np.ndarray  # (runs, m)
    mu: np.ndarray  # (m, k)
    mu_star: np.ndarray
    mu_star_conf: np.ndarray
    sigma: np.ndarray
    trajectories: int
    levels: int


def morris_analysis(ranges: Sequence[ParameterRange], evaluate: Evaluator, *,
                    trajectories: int = 20, levels: int = 4, resamples: int = 200,
                    conf_level: float = 0.95, rng: np.random.Generator | int | None = 0,
                    labels: Sequence[str] | None = None) -> MorrisResult:
    """Morris screening of ``evaluate`` (declared values (n, k) -> read-outs (n, m))."""

    require("SALib", "Morris screening (sensitivity analysis)")
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    s_sample, s_boot = _seeds(rng, 2)
    problem = salib_problem(ranges)
    Xu = morris_sample.sample(problem, N=int(trajectories), num_levels=int(levels),
                              seed=s_sample)
    X = to_declared(ranges, Xu)
    Y = np.atleast_2d(np.asarray(evaluate(X), dtype=float).reshape(len(X), -1))
    labels = list(labels or [f"y{k}" for k in range(Y.shape[1])])
    _check_finite(Y, labels)
    m, k = Y.shape[1], len(ranges)
    res = {key: np.zeros((m, k)) for key in ("mu", "mu_star", "mu_star_conf", "sigma")}
    for j in range(m):
        a = morris_analyze.analyze(problem, Xu, Y[:, j], num_resamples=int(resamples),
                                   conf_level=conf_level, num_levels=int(levels), seed=s_boot)
        for key in res:
            res[key][j] = np.nan_to_num(np.asarray(a[key], dtype=float))
    return MorrisResult(X, Y, res["mu"], res["mu_star"], res["mu_star_conf"], res["sigma"],
                        int(trajectories), int(levels))


@dataclass
class SobolResult:
    X: np.ndarray  # (runs, k) declared units, largest sample
    Y: np.ndarray  # (runs, m)
    sizes: list[int]  # base sample sizes N (convergence)
    S1: np.ndarray  # (n_sizes, m, k)
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    S2: np.ndarray | None = None  # (m, k, k) at the largest N
    S2_conf: np.ndarray | None = None
    constant: list[bool] = field(default_factory=list)  # read-outs that did not vary


def sobol_analysis(ranges: Sequence[ParameterRange], evaluate: Evaluator, *, n: int = 256,
                   sizes: Sequence[int] | None = None, second_order: bool = False,
                   resamples: int = 100, conf_level: float = 0.95,
                   rng: np.random.Generator | int | None = 0,
                   labels: Sequence[str] | None = None) -> SobolResult:
    """First- and total-order Sobol' indices of ``evaluate`` at each base sample size in
    ``sizes`` (nested prefixes of one Saltelli sample of size ``n``)."""

    require("SALib", "Sobol analysis (sensitivity analysis)")
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    sizes = sorted(set(sizes or [n]) | {n})
    s_sample, s_boot = _seeds(rng, 2)
    problem = salib_problem(ranges)
    k = len(ranges)
    Xu = sobol_sample.sample(problem, int(n), calc_second_order=second_order, seed=s_sample)
    X = to_declared(ranges, Xu)
    Y = np.atleast_2d(np.asarray(evaluate(X), dtype=float).reshape(len(X), -1))
    labels = list(labels or [f"y{j}" for j in range(Y.shape[1])])
    _check_finite(Y, labels)
    m = Y.shape[1]
    block = 2 * k + 2 if second_order else k + 2
    out = {key: np.zeros((len(sizes), m, k)) for key in ("S1", "S1_conf", "ST", "ST_conf")}
    S2 = np.zeros((m, k, k)) if second_order else None
    S2c = np.zeros((m, k, k)) if second_order else None
    constant = []
    for j in range(m):
        y = Y[:, j]
        flat = bool(np.ptp(y) <= 1e-12 * max(1.0, float(np.abs(y).max())))
        constant.append(flat)
        if flat:
            continue
        for i, N in enumerate(sizes):
            yy = y[:N * block]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                a = sobol_analyze.analyze(problem, yy, calc_second_order=second_order,
                                          num_resamples=int(resamples), conf_level=conf_level,
                                          seed=s_boot)
            for key in out:
                out[key][i, j] = np.nan_to_num(np.asarray(a[key], dtype=float))
            if second_order and N == sizes[-1]:
                S2[j] = np.nan_to_num(a["S2"])
                S2c[j] = np.nan_to_num(a["S2_conf"])
    return SobolResult(X, Y, list(sizes), out["S1"], out["S1_conf"], out["ST"], out["ST_conf"],
                       S2, S2c, constant)


# ============================================================================ model evaluation
_WORKER_CACHE: dict[str, ModelEvaluator] = {}


def _eval_chunk(recipe: dict, X: np.ndarray) -> np.ndarray:
    """Evaluate one chunk on a dask worker (the evaluator is rebuilt once per process)."""
    import json

    key = json.dumps({k: v for k, v in recipe.items() if k != "model_factory"}, sort_keys=True,
                     default=str) + repr(recipe.get("model_factory"))
    ev = _WORKER_CACHE.get(key)
    if ev is None:
        ev = ModelEvaluator(**recipe)
        _WORKER_CACHE.clear()
        _WORKER_CACHE[key] = ev
    return ev(X)


class ModelEvaluator:
    """``evaluator(X) -> Y``: read-outs of the scenario for rows of parameter values.

    ``X`` is (n, k) in the declared units of ``ids``; ``Y`` is (n, m), one column per read-out.
    Runs go through the numba batch kernel in chunks of ``chunk_size``; with a
    ``dask.distributed.Client`` the chunks are spread over its workers (each worker builds the
    model with ``model_factory``, default :func:`nicsim.default_model`). Same
    rows, same numbers, serial or distributed.
    """

    def __init__(self, scenario, readouts: Sequence[ReadOut | dict], ids: Sequence[str], *,
                 model=None, model_factory: Callable[[], Any] | None = None,
                 parameters: dict[str, float] | None = None, parameter_set: str = "default",
                 rtol: float | None = None, burn_in_days: int = 6, chunk_size: int = 128,
                 client=None, progress: ProgressFn | None = None):
        if isinstance(scenario, dict):
            scenario = Scenario.from_dict(scenario)
        readouts = [r if isinstance(r, ReadOut) else ReadOut.model_validate(r)
                    for r in readouts]
        if model is None:
            if model_factory is None:
                model_factory = default_model
            model = model_factory()
        self.recipe = {
            "scenario": scenario.to_dict(), "readouts": [r.model_dump(by_alias=True,
                                                                      exclude_none=True)
                                                         for r in readouts],
            "ids": list(ids), "model_factory": model_factory, "parameters": dict(parameters or {}),
            "parameter_set": parameter_set, "rtol": rtol, "burn_in_days": int(burn_in_days),
            "chunk_size": int(chunk_size)}
        self.client = client
        self.progress = progress
        self.ids = list(ids)
        self.batch = BatchEvaluator(scenario, model=model, parameters=parameters,
                                    parameter_set=parameter_set, rtol=rtol,
                                    burn_in_days=burn_in_days, chunk_size=chunk_size)
        self.model = self.batch.model
        for pid in self.ids:
            self.model.parameter_index(pid)
        units = {k: v[3] for k, v in observable_index(self.model).items()}
        self.readouts = resolve_readouts(readouts, scenario, units)
        self.t_eval = readout_times(self.readouts, scenario.output_times())
        self.outputs = sorted({r.output for r in self.readouts})
        self.n_evaluated = 0

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.readouts]

    def nominal(self, pid: str) -> float:
        return self.batch.declared(pid)

    def _reduce(self, Yc: np.ndarray, Pc: np.ndarray) -> np.ndarray:
        series = self.batch.observe(Yc, Pc, self.t_eval, self.outputs)
        return compute_readouts(self.readouts, self.t_eval, series)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, dtype=float))
        n = X.shape[0]
        if self.client is not None:
            Y = self._distributed(X)
        else:
            P = self.batch.vectors(self.ids, X)
            prog = None
            if self.progress is not None:
                done0 = self.n_evaluated
                prog = lambda d, t: self.progress(done0 + d, done0 + t)  # noqa: E731
            Y = self.batch.run(P, self.t_eval, reduce=self._reduce, progress=prog)
        self.n_evaluated += n
        return Y

    def _distributed(self, X: np.ndarray) -> np.ndarray:
        from distributed import as_completed

        cs = self.batch.chunk_size
        starts = list(range(0, X.shape[0], cs))
        if getattr(self, "_recipe_future", None) is None:  # scatter once, keep it alive
            self._recipe_future = self.client.scatter([self.recipe], broadcast=True,
                                                      hash=False)[0]
        recipe = self._recipe_future
        futures = [self.client.submit(_eval_chunk, recipe, X[s:s + cs], pure=False)
                   for s in starts]
        index = {f.key: s for f, s in zip(futures, starts, strict=True)}
        Y = None
        done = 0
        for fut in as_completed(futures):
            part = fut.result()
            if Y is None:
                Y = np.empty((X.shape[0], part.shape[1]))
            s = index[fut.key]
            Y[s:s + len(part)] = part
            done += len(part)
            if self.progress is not None:
                self.progress(self.n_evaluated + done, self.n_evaluated + X.shape[0])
        return Y


# ============================================================================ results
@dataclass
class ReadOutInfo:
    label: str
    description: str
    unit: str
    nominal: float


@dataclass
class SensitivityResult:
    """Everything a sensitivity run produced;
    :func:`nicsim.report.sensitivity_report.write_sensitivity_report` stores it with figures."""

    spec: SensitivitySpec
    parameters: list[ParameterRange]
    readouts: list[ReadOutInfo]
    morris: MorrisResult | None
    sobol: SobolResult | None
    runs: int
    elapsed_s: float
    model_key: str = ""

    # ------------------------------------------------------------------ rankings
    def ranking(self, label: str) -> list[dict]:
        """Parameters ranked for one read-out (by Sobol ST, else Morris mu*), with the
        indices and whether each 'matters' by the spec's thresholds."""
        j = [r.label for r in self.readouts].index(label)
        th = self.spec.thresholds
        rows = []
        mmax = float(self.morris.mu_star[j].max()) if self.morris is not None else 0.0
        for i, p in enumerate(self.parameters):
            row: dict[str, Any] = {"id": p.id}
            matters = []
            if self.sobol is not None:
                row.update(ST=float(self.sobol.ST[-1, j, i]),
                           ST_conf=float(self.sobol.ST_conf[-1, j, i]),
                           S1=float(self.sobol.S1[-1, j, i]),
                           S1_conf=float(self.sobol.S1_conf[-1, j, i]))
                matters.append(row["ST"] >= th.sobol_st)
            if self.morris is not None:
                row.update(mu_star=float(self.morris.mu_star[j, i]),
                           mu_star_conf=float(self.morris.mu_star_conf[j, i]),
                           mu=float(self.morris.mu[j, i]), sigma=float(self.morris.sigma[j, i]))
                rel = row["mu_star"] / mmax if mmax > 0 else 0.0
                row["mu_star_rel"] = rel
                matters.append(rel >= th.morris_mu_star)
            row["matters"] = bool(matters[0]) if matters else False
            rows.append(row)
        key = "ST" if self.sobol is not None else "mu_star"
        rows.sort(key=lambda r: -r[key])
        for rank, r in enumerate(rows, 1):
            r["rank"] = rank
        return rows

    def important(self, label: str) -> list[str]:
        return [r["id"] for r in self.ranking(label) if r["matters"]]

    # ------------------------------------------------------------------ exports
    def to_dataset(self):
        import xarray as xr

        pids = [p.id for p in self.parameters]
        labels = [r.label for r in self.readouts]
        coords: dict[str, Any] = {
            "parameter": ("parameter", pids, {"long_name": "varied parameter id"}),
            "readout": ("readout", labels, {"long_name": "scalar read-out"}),
            "parameter_unit": ("parameter", [p.unit for p in self.parameters]),
            "parameter_nominal": ("parameter", [p.nominal for p in self.parameters],
                                  {"long_name": "nominal value (declared unit)"}),
            "parameter_lower": ("parameter", [p.lower for p in self.parameters]),
            "parameter_upper": ("parameter", [p.upper for p in self.parameters]),
            "parameter_scale": ("parameter", [p.scale for p in self.parameters]),
            "parameter_range_origin": ("parameter", [p.origin for p in self.parameters]),
            "readout_unit": ("readout", [r.unit for r in self.readouts]),
            "readout_description": ("readout", [r.description for r in self.readouts]),
            "readout_nominal": ("readout", [r.nominal for r in self.readouts],
                                {"long_name": "read-out at the nominal parameter values"}),
        }
        data: dict[str, Any] = {}
        if self.sobol is not None:
            s = self.sobol
            coords["n_base"] = ("n_base", s.sizes, {"long_name": "Sobol base sample size N"})
            dims = ("n_base", "readout", "parameter")
            for key, long in (("S1", "first-order Sobol index"),
                              ("S1_conf", "first-order index, half-width of the CI"),
                              ("ST", "total-order Sobol index"),
                              ("ST_conf", "total-order index, half-width of the CI")):
                data[f"sobol_{key}"] = (dims, getattr(s, key), {
                    "units": "1", "long_name": long,
                    "conf_level": self.spec.sobol.conf_level if self.spec.sobol else 0.95})
            if s.S2 is not None:
                coords["parameter2"] = ("parameter2", pids)
                data["sobol_S2"] = (("readout", "parameter", "parameter2"), s.S2,
                                    {"units": "1", "long_name": "second-order Sobol index"})
                data["sobol_S2_conf"] = (("readout", "parameter", "parameter2"), s.S2_conf,
                                         {"units": "1"})
            data["sobol_X"] = (("sobol_run", "parameter"), s.X,
                               {"long_name": "Saltelli sample (declared units)"})
            data["sobol_Y"] = (("sobol_run", "readout"), s.Y, {"long_name": "read-outs"})
            data["sobol_constant"] = ("readout", np.array(s.constant, dtype=np.int8),
                                      {"long_name": "1 if the read-out did not vary"})
        if self.morris is not None:
            m = self.morris
            for key, long in (("mu", "mean elementary effect"),
                              ("mu_star", "mean absolute elementary effect"),
                              ("mu_star_conf", "mu*, half-width of the bootstrap CI"),
                              ("sigma", "standard deviation of the elementary effects")):
                data[f"morris_{key}"] = (("readout", "parameter"), getattr(m, key), {
                    "long_name": f"{long} (read-out units per step of levels/(2(levels-1)) of "
                                 "the sampled range)"})
            data["morris_X"] = (("morris_run", "parameter"), m.X,
                                {"long_name": "Morris sample (declared units)"})
            data["morris_Y"] = (("morris_run", "readout"), m.Y, {"long_name": "read-outs"})
        ds = xr.Dataset(data, coords=coords, attrs={
            "name": self.spec.name, "nicsim_version": __version__, "model_key": self.model_key,
            "seed": int(self.spec.seed), "runs": int(self.runs),
            "elapsed_s": float(self.elapsed_s),
            "runs_per_s": float(self.runs / self.elapsed_s) if self.elapsed_s > 0 else 0.0,
            "threshold_sobol_st": float(self.spec.thresholds.sobol_st),
            "threshold_morris_mu_star": float(self.spec.thresholds.morris_mu_star),
            "spec_yaml": self.spec_yaml()})
        return ds

    def spec_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.spec.model_dump(mode="json", by_alias=True,
                                                   exclude_none=True),
                              sort_keys=False, allow_unicode=True, width=100)

    def to_json(self) -> dict:
        out: dict[str, Any] = {
            "name": self.spec.name, "description": self.spec.description,
            "scenario": self.spec.scenario.name, "runs": self.runs,
            "elapsed_s": round(self.elapsed_s, 3),
            "parameters": [p.__dict__ for p in self.parameters],
            "readouts": [r.__dict__ for r in self.readouts],
            "thresholds": self.spec.thresholds.model_dump(),
            "methods": {},
        }
        if self.sobol is not None:
            out["methods"]["sobol"] = {"n": self.sobol.sizes[-1], "sizes": self.sobol.sizes,
                                       "second_order": self.sobol.S2 is not None,
                                       "constant_readouts": [r.label for r, c in zip(
                                           self.readouts, self.sobol.constant, strict=True)
                                           if c]}
        if self.morris is not None:
            out["methods"]["morris"] = {"trajectories": self.morris.trajectories,
                                        "levels": self.morris.levels}
        out["rankings"] = {r.label: self.ranking(r.label) for r in self.readouts}
        return out


def run_sensitivity(spec: SensitivitySpec | str | os.PathLike[str] | dict, *, model=None,
                    model_factory: Callable[[], Any] | None = None,
                    rng: np.random.Generator | int | None = None,
                    progress: ProgressFn | None = None, client=None,
                    chunk_size: int = 128) -> SensitivityResult:
    """Run the Morris and/or Sobol analyses of ``spec``.

    ``rng`` (Generator or int) replaces the spec's seed; ``progress(done, total)`` counts model
    runs; ``client`` (a ``dask.distributed.Client``) spreads the runs over a cluster.
    """
    import time

    if isinstance(spec, dict):
        spec = SensitivitySpec.from_dict(spec)
    elif not isinstance(spec, SensitivitySpec):
        spec = SensitivitySpec.from_yaml(spec)
    if rng is None:
        rng = int(spec.seed)
    seeds = _seeds(rng, 2)
    t_start = time.perf_counter()
    try:
        ev0 = ModelEvaluator(spec.scenario, spec.outputs, [], model=model,
                             model_factory=model_factory, parameters=spec.fixed,
                             parameter_set=spec.parameter_set, rtol=spec.rtol,
                             burn_in_days=spec.burn_in_days, chunk_size=chunk_size)
    except ScenarioError as exc:  # the fixed values are the spec's `fixed:` (domain checks)
        if exc.field.startswith("parameters.") and exc.field[11:] in spec.fixed:
            raise ScenarioError("fixed." + exc.field[11:], exc.value, exc.allowed) from None
        raise
    ranges = resolve_parameters(spec, ev0.model, ev0.nominal)
    ids = [r.id for r in ranges]
    k = len(ids)
    total = 1
    if spec.morris is not None:
        total += spec.morris.trajectories * (k + 1)
    if spec.sobol is not None:
        total += spec.sobol.n * ((2 * k + 2) if spec.sobol.second_order else (k + 2))
    ev = ModelEvaluator(spec.scenario, spec.outputs, ids, model=ev0.model,
                        model_factory=model_factory, parameters=spec.fixed,
                        parameter_set=spec.parameter_set, rtol=spec.rtol,
                        burn_in_days=spec.burn_in_days, chunk_size=chunk_size, client=client)
    if progress is not None:
        ev.progress = lambda done, _t: progress(done, total)
    nominal_x = np.array([[r.nominal for r in ranges]])
    y_nom = ev(nominal_x)[0]
    infos = [ReadOutInfo(r.label, r.description, r.unit, float(y_nom[i]))
             for i, r in enumerate(ev.readouts)]
    morris = sobol = None
    if spec.morris is not None:
        m = spec.morris
        morris = morris_analysis(ranges, ev, trajectories=m.trajectories, levels=m.levels,
                                 resamples=m.resamples, rng=seeds[0], labels=ev.labels)
    if spec.sobol is not None:
        s = spec.sobol
        sobol = sobol_analysis(ranges, ev, n=s.n, sizes=s.sizes(), second_order=s.second_order,
                               resamples=s.resamples, conf_level=s.conf_level, rng=seeds[1],
                               labels=ev.labels)
    elapsed = time.perf_counter() - t_start
    return SensitivityResult(spec, ranges, infos, morris, sobol, ev.n_evaluated, elapsed,
                             ev.model.key)
