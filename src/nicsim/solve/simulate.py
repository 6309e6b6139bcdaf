"""One entry point: ``simulate(scenario) -> xarray.Dataset``.

The protocol is compiled to piecewise-constant segments; the compiled model is integrated by the
numba BDF kernel (restarting at every break), after a burn-in on the person's habitual schedule so
that the circadian system is entrained at t = 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from difflib import get_close_matches
from functools import lru_cache

import numpy as np
import xarray as xr

from nicsim import __version__
from nicsim.core.rng import root_entropy, stream
from nicsim.errors import ScenarioError, SolverError
from nicsim.solve.plausibility import annotate

DEFAULT_RTOL = 1e-6
#: Longest burn-in ``simulate`` accepts (days).
MAX_BURN_IN_DAYS = 3650  # ten years: settling slow skin states can take a few years
_STATUS = {
    1: "the step limit was reached",
    2: "the step size became too small (the system is too stiff or discontinuous there)",
    3: "a state or rate became NaN or infinite",
    4: "Newton iterations failed repeatedly",
}


@lru_cache(maxsize=2)
def default_model():
    """The compiled default network (compiled once per process)."""
    from nicsim.model import build_network

    return build_network().compile()


def model_parameters(model, scenario=None, overrides: Mapping[str, float] | None = None,
                     parameter_set: str = "default") -> np.ndarray:
    """Canonical parameter vector: module values < parameter set < person traits < the
    scenario's ``parameters`` < ``overrides``."""
    from nicsim.parameter_sets import parameter_set_values
    from nicsim.protocols.traits import person_overrides

    values = dict(parameter_set_values(parameter_set))
    if scenario is not None:
        ids = set(model.parameter_ids)
        values.update({k: v for k, v in person_overrides(scenario.person,
                                                         scenario.start_clock_h).items()
                       if k in ids})
    merged = check_parameter_mapping(model, scenario.parameters if scenario is not None else {})
    merged.update(check_parameter_mapping(model, overrides))
    values.update(merged)
    return model.parameter_vector(values)


def check_parameter_mapping(model, parameters, field: str = "parameters") -> dict[str, float]:
    """Check a mapping of parameter overrides ``{id: value in the declared unit}`` from any entry
    point (the API's ``parameters=``, a scenario's ``parameters:``); returns it as plain floats.

    Checked here: a mapping (or None), text keys that are parameter ids of ``model``, real finite
    numbers (not text, not true/false). Errors are ScenarioErrors naming ``<field>.<id>``. The
    numeric *domain* of each value (positive, a fraction, ...) is checked where the vector is
    built (``model.parameter_vector``).
    """
    if parameters is None:
        return {}
    if not isinstance(parameters, Mapping):
        raise ScenarioError(field, _brief(parameters), "expected a mapping {parameter id: "
                            "value}, e.g. {'hpa.stress_gain': 2.5}; see `nicsim params`")
    out: dict[str, float] = {}
    ids = set(model.parameter_ids)
    for k, v in parameters.items():
        if not isinstance(k, str) or k not in ids:
            close = get_close_matches(str(k), sorted(ids), n=1)
            raise ScenarioError(f"{field}.{k}", _brief(k), "expected a parameter id of the "
                                "model; see `nicsim params`",
                                hint=f"did you mean {close[0]!r}?" if close else "")
        out[k] = _finite_number(v, f"{field}.{k}", "expected a finite number in the "
                                "parameter's declared unit (see `nicsim params`)")
    return out


def _brief(value, limit: int = 80):
    """A value for an error message: long ones are cut (a message never echoes huge data)."""
    text = repr(value)
    return value if len(text) <= limit else _Cut(text[:limit] + f"... ({len(text):,} characters)")


class _Cut(str):
    def __repr__(self) -> str:
        return str(self)


def _finite_number(v, field: str, allowed: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise ScenarioError(field, _brief(v), allowed)
    try:
        x = float(v)
    except OverflowError:  # an integer too large for a float
        raise ScenarioError(field, _brief(v), allowed) from None
    if not math.isfinite(x):
        raise ScenarioError(field, v, allowed)
    return x


def _check_simulate_arguments(scenario, parameters, parameter_set, rtol, burn_in_days,
                              include_states, progress, y0, model):
    """The API's arguments, checked with the CLI's clear errors; returns the Scenario."""
    import os

    from nicsim.protocols import Scenario

    if isinstance(scenario, (str, os.PathLike)):
        scenario = Scenario.from_yaml(scenario)
    elif isinstance(scenario, Mapping):
        scenario = Scenario.from_dict(dict(scenario))
    elif not isinstance(scenario, Scenario):
        raise ScenarioError("scenario", _brief(scenario), "expected a Scenario, a mapping "
                            "(as a scenario file holds) or the path of a scenario YAML file")
    check_parameter_mapping(model, parameters)
    if not isinstance(parameter_set, str):
        raise ScenarioError("parameter_set", _brief(parameter_set), "expected the name of a "
                            "parameter set, e.g. 'default'")
    if rtol is not None:
        r = _finite_number(rtol, "rtol", "expected a relative tolerance from 1e-10 to 1e-2")
        if not 1e-10 <= r <= 1e-2:
            raise ScenarioError("rtol", rtol, "expected a relative tolerance from 1e-10 to 1e-2")
    if (isinstance(burn_in_days, bool) or not isinstance(burn_in_days, (int, np.integer))
            or not 0 <= burn_in_days <= MAX_BURN_IN_DAYS):
        raise ScenarioError("burn_in_days", _brief(burn_in_days), f"expected a whole number of "
                            f"days from 0 to {MAX_BURN_IN_DAYS}")
    if not isinstance(include_states, (bool, np.bool_)):
        raise ScenarioError("include_states", _brief(include_states), "expected true or false")
    if progress is not None and not callable(progress):
        raise ScenarioError("progress", _brief(progress), "expected a function "
                            "progress(fraction) or None")
    if y0 is not None:
        try:
            y = np.asarray(y0, dtype=np.float64)
        except (TypeError, ValueError):
            raise ScenarioError("y0", _brief(y0), f"expected {len(model.states)} numbers (the "
                                "canonical state vector, e.g. final_state(ds))") from None
        if y.shape != (len(model.states),):
            raise ScenarioError("y0", _Cut(f"an array of shape {y.shape}"), f"expected shape "
                                f"({len(model.states)},): one value per model state in "
                                "canonical units, e.g. final_state(ds)")
        if not np.all(np.isfinite(y)):
            raise ScenarioError("y0", _Cut("an array with NaN or infinite values"),
                                "expected finite state values")
    return scenario


def _integrate(model, y0, p, schedule, t_eval, rtol, progress: Callable | None = None,
               chunk_hours: float = 24.0 * 30):
    solver = model.solver
    atol = model.atol(rtol)
    jump_idx = np.array([model.state_index(s) for s in schedule.jump_targets], dtype=np.int64)
    breaks, inputs, jumps = schedule.breaks, schedule.inputs, schedule.jumps
    jumps = np.ascontiguousarray(jumps, dtype=np.float64).reshape(len(inputs), len(jump_idx))
    n_seg = len(inputs)
    # chunk the segments so that long runs can report progress
    bounds = [0]
    for k in range(1, n_seg):
        if breaks[k] - breaks[bounds[-1]] >= chunk_hours:
            bounds.append(k)
    bounds.append(n_seg)
    Y = np.empty((len(t_eval), len(y0)))
    y = np.asarray(y0, dtype=np.float64).copy()
    total_h = breaks[-1] - breaks[0]
    for c in range(len(bounds) - 1):
        k0, k1 = bounds[c], bounds[c + 1]
        lo, hi = breaks[k0], breaks[k1]
        last = c == len(bounds) - 2
        sel = (t_eval >= lo) & ((t_eval <= hi) if last else (t_eval < hi))
        te = np.concatenate([t_eval[sel], [hi]])
        max_steps = int(200_000 + 4_000 * (hi - lo) / 24.0)
        status, Yc, _stats, t_fail = solver.integrate(
            y, p, np.ascontiguousarray(breaks[k0:k1 + 1]), np.ascontiguousarray(inputs[k0:k1]),
            np.ascontiguousarray(jumps[k0:k1]), jump_idx, te, rtol, atol, max_steps, math.inf)
        if status != 0:
            raise SolverError(
                f"the solver stopped at t = {t_fail:.4g} h (day {int(t_fail // 24) + 1}): "
                f"{_STATUS.get(int(status), f'status {status}')}. Try: a tighter rtol (e.g. "
                f"1e-8) in the scenario, check the protocol events around that time for extreme "
                f"doses, or simulate a shorter stretch to find the event that triggers it.")
        Y[sel] = Yc[:-1]
        y = Yc[-1].copy()
        if progress is not None:
            progress((hi - breaks[0]) / total_h if total_h > 0 else 1.0)
    if not np.all(np.isfinite(Y)):
        raise SolverError("the solution contains NaN values; try a tighter rtol")
    return Y


def _burn_in_state(model, scenario, p, days: int, rtol: float) -> np.ndarray:
    from nicsim.protocols import Scenario, compile_schedule

    if days <= 0:
        return model.initial_state()
    key = (p.tobytes(), scenario.start, scenario.person.sleep.bedtime,
           scenario.person.sleep.wake, days, rtol)
    hit = _BURN_CACHE.get(key)
    if hit is not None:
        return hit.copy()
    burn = Scenario.from_dict({
        "name": "burn-in", "start": scenario.start, "duration": f"{days} days",
        "person": scenario.person.model_dump(mode="json"), "protocol": [],
    })
    sched = compile_schedule(burn, model.exogenous, jump_targets=_jump_targets(model))
    Y = _integrate(model, model.initial_state(), p, sched, np.array([sched.breaks[-1]]), rtol)
    y = Y[-1]
    if len(_BURN_CACHE) > 256:
        _BURN_CACHE.clear()
    _BURN_CACHE[key] = y.copy()
    return y


_BURN_CACHE: dict = {}


def _jump_targets(model) -> tuple[str, ...]:
    """The states protocol events can jump (boluses, wounds, tape stripping) that the model has."""
    from nicsim import protocols

    known = getattr(protocols, "KNOWN_JUMP_TARGETS", (protocols.ENDOTOXIN_TARGET,))
    return tuple(s for s in known if s in model.state_ids)


def _segment_inputs(schedule, t: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(schedule.breaks, t, side="right") - 1
    idx = np.clip(idx, 0, len(schedule.inputs) - 1)
    return np.ascontiguousarray(schedule.inputs[idx])


def observable_names(model) -> list[str]:
    names = [o.name for o in model.outputs if o.observable]
    names += [s.name for s in model.states if s.observable]
    return names


def simulate(scenario, *, model=None, parameters: Mapping[str, float] | None = None,
             parameter_set: str = "default", rtol: float | None = None, burn_in_days: int = 6,
             include_states: bool = False, progress: Callable[[float], None] | None = None,
             y0: np.ndarray | None = None) -> xr.Dataset:
    """Simulate a :class:`~nicsim.protocols.Scenario`; returns an ``xarray.Dataset``.

    Dimension ``time`` (hours since the scenario start); coordinates ``clock`` (hour of day) and
    ``day`` (1-based); one variable per observable with ``units`` and ``long_name`` attrs.
    ``parameters`` overrides parameter values by id, in their declared units. ``y0`` (canonical
    state vector, e.g. the last row of ``final_state(ds)``) replaces the burn-in.
    """
    from nicsim.protocols import compile_schedule

    model = model or default_model()
    scenario = _check_simulate_arguments(scenario, parameters, parameter_set, rtol, burn_in_days,
                                         include_states, progress, y0, model)
    rtol = float(rtol or getattr(scenario, "rtol", None) or DEFAULT_RTOL)
    p = model_parameters(model, scenario, parameters, parameter_set)
    names = observable_names(model)
    wanted = list(scenario.outputs or names)
    unknown = [w for w in wanted if w not in names]
    if unknown:
        raise ScenarioError("outputs", unknown[0], f"outputs must be among: {', '.join(names)}")
    schedule = compile_schedule(scenario, model.exogenous, jump_targets=_jump_targets(model))
    t_eval = scenario.output_times()
    if y0 is None:
        y0 = _burn_in_state(model, scenario, p, burn_in_days, rtol)
    Y = _integrate(model, y0, p, schedule, t_eval, rtol, progress)
    U = _segment_inputs(schedule, t_eval)
    obs = np.empty((len(t_eval), len(model.outputs)))
    model.solver.observe_series(t_eval, Y, p, U, obs)
    obs[np.abs(obs) < 1e-20] = 0.0  # the solver's positivity floor (1e-30) is zero to a reader
    return _dataset(model, scenario, t_eval, Y, obs, U, wanted, include_states, rtol)


def display_factor(unit: str) -> float:
    """Factor from the canonical (hours-based) unit back to the declared unit (ms for RMSSD)."""
    from nicsim.core.units import Q_, canonical_unit, parse_unit

    u = parse_unit(unit)
    cu = canonical_unit(u)
    if cu == u:
        return 1.0
    return float(Q_(1.0, cu).to(u).magnitude)


def _dataset(model, scenario, t, Y, obs, U, wanted, include_states, rtol) -> xr.Dataset:
    clock = (t + scenario.start_clock_h) % 24.0
    day = np.floor((t + scenario.start_clock_h) / 24.0).astype(int) + 1
    coords = {"time": ("time", t, {"units": "h", "long_name": "time since scenario start"}),
              "clock": ("time", clock, {"units": "h", "long_name": "clock time of day"}),
              "day": ("time", day, {"long_name": "day of the scenario (1-based)"})}
    data = {}
    outs = {o.name: (k, o) for k, o in enumerate(model.outputs)}
    states = {s.name: (k, s) for k, s in enumerate(model.states) if s.observable}
    for name in wanted:
        if name in outs:
            k, o = outs[name]
            data[name] = ("time", obs[:, k] * display_factor(o.unit),
                          {"units": o.unit, "long_name": o.doc or name, "module": o.module})
        else:
            k, s = states[name]
            data[name] = ("time", Y[:, k] * display_factor(s.unit),
                          {"units": s.unit, "long_name": s.doc or name, "module": s.module})
    for j, n in enumerate(model.exogenous):
        data[f"input_{n}"] = ("time", U[:, j], {"units": model.exogenous_units[j],
                                                "long_name": f"protocol input {n}"})
    if include_states:
        for k, s in enumerate(model.states):
            data[f"state__{s.id.replace('.', '__')}"] = ("time", Y[:, k], {"units": s.unit,
                                                                           "long_name": s.doc})
    ds = xr.Dataset(data, coords=coords, attrs={
        "scenario": scenario.name, "nicsim_version": __version__, "rtol": rtol,
        "model_key": model.key, "start_clock": scenario.start, "time_units": "hours"})
    ds.attrs["final_state"] = Y[-1].tolist() if len(Y) else []
    annotate(ds, start_clock_h=scenario.start_clock_h)
    return ds


def sample_parameters(model, base: np.ndarray, n: int,
                      rng: np.random.Generator | int | None) -> np.ndarray:
    """``n`` parameter vectors: every parameter with a declared distribution is drawn around
    its value in ``base`` (log-normal, independent); the rest are copied.

    ``rng`` gives one root seed; each parameter then draws from its own stream keyed by its id
    (:func:`nicsim.core.rng.stream`), so a person's value of a parameter depends only on the
    seed and the id: adding a module or a parameter does not shift the others' draws. The
    draws equal those of :func:`nicsim.analysis.population.sample_population` for the same root
    where that samples the parameter from its declared distribution without correlations.
    """
    root = root_entropy(rng)
    P = np.repeat(base[None, :], n, axis=0)
    for j, prm in enumerate(model.parameters):
        dist = prm.distribution
        if dist is not None:
            z = dist.sigma * stream(root, prm.id).standard_normal(n)
            # clipped to the parameter's domain (reached only in the far tails)
            P[:, j] = prm.canonical_domain.clip(base[j] * np.exp(z - dist.sigma**2 / 2))
    return P


def simulate_cohort(scenario, *, n: int = 100, rng: np.random.Generator | int | None = 0,
                    model=None, parameters: Mapping[str, float] | None = None,
                    parameter_set: str = "default", rtol: float | None = None,
                    burn_in_days: int = 6, P: np.ndarray | None = None) -> xr.Dataset:
    """A virtual cohort: ``n`` persons drawn from the parameters' declared distributions.

    Returns a Dataset with dims ``(subject, time)``; the sampled parameter vectors are kept as
    ``parameters`` (subject, parameter). Pass ``P`` to simulate given parameter vectors instead.
    """
    from nicsim.protocols import Scenario, compile_schedule

    model = model or default_model()
    scenario = _check_simulate_arguments(scenario, parameters, parameter_set, rtol, burn_in_days,
                                         False, None, None, model)
    if P is None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise ScenarioError("n", _brief(n), "expected a whole number of persons >= 1")
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    rtol = float(rtol or getattr(scenario, "rtol", None) or DEFAULT_RTOL)
    base = model_parameters(model, scenario, parameters, parameter_set)
    if P is None:
        P = sample_parameters(model, base, n, rng)
    else:
        model.check_parameter_matrix(P, "P")
    n = P.shape[0]
    names = observable_names(model)
    wanted = list(scenario.outputs or names)
    targets = _jump_targets(model)
    jump_idx = np.array([model.state_index(s) for s in targets], dtype=np.int64)
    atol = model.atol(rtol)

    def run_batch(sched, Y0, t_eval):
        ns = len(sched.inputs)
        U = np.ascontiguousarray(np.broadcast_to(sched.inputs, (n, ns, sched.inputs.shape[1])))
        J = np.ascontiguousarray(np.broadcast_to(
            np.asarray(sched.jumps, dtype=np.float64).reshape(ns, len(jump_idx)),
            (n, ns, len(jump_idx))))
        max_steps = int(200_000 + 4_000 * sched.breaks[-1] / 24.0)
        status, Y, _stats, t_fail = model.solver.integrate_batch(
            np.ascontiguousarray(Y0), np.ascontiguousarray(P), sched.breaks, U, J, jump_idx,
            t_eval, rtol, atol, max_steps, math.inf)
        bad = np.flatnonzero(status != 0)
        if len(bad):
            i = int(bad[0])
            raise SolverError(f"subject {i} of the cohort failed at t = {t_fail[i]:.4g} h: "
                              f"{_STATUS.get(int(status[i]), status[i])}. Try a tighter rtol.")
        return Y

    Y0 = np.repeat(model.initial_state()[None, :], n, axis=0)
    if burn_in_days > 0:
        burn = Scenario.from_dict({
            "name": "burn-in", "start": scenario.start, "duration": f"{burn_in_days} days",
            "person": scenario.person.model_dump(mode="json"), "protocol": []})
        bs = compile_schedule(burn, model.exogenous, jump_targets=targets)
        Y0 = run_batch(bs, Y0, np.array([bs.breaks[-1]]))[:, -1, :]
    sched = compile_schedule(scenario, model.exogenous, jump_targets=targets)
    t_eval = scenario.output_times()
    Y = run_batch(sched, Y0, t_eval)
    U = _segment_inputs(sched, t_eval)
    obs = np.empty((n, len(t_eval), len(model.outputs)))
    for i in range(n):
        model.solver.observe_series(t_eval, Y[i], P[i], U, obs[i])
    outs = {o.name: (k, o) for k, o in enumerate(model.outputs)}
    sts = {s.name: (k, s) for k, s in enumerate(model.states) if s.observable}
    data = {}
    for name in wanted:
        if name in outs:
            k, o = outs[name]
            data[name] = (("subject", "time"), obs[:, :, k] * display_factor(o.unit),
                          {"units": o.unit, "long_name": o.doc or name})
        else:
            k, s = sts[name]
            data[name] = (("subject", "time"), Y[:, :, k] * display_factor(s.unit),
                          {"units": s.unit, "long_name": s.doc or name})
    data["parameters"] = (("subject", "parameter"), P, {"long_name": "canonical parameter values"})
    clock = (t_eval + scenario.start_clock_h) % 24.0
    ds = xr.Dataset(data, coords={
        "subject": np.arange(n), "time": ("time", t_eval, {"units": "h"}),
        "clock": ("time", clock, {"units": "h"}), "parameter": model.parameter_ids},
        attrs={"scenario": scenario.name, "nicsim_version": __version__, "rtol": rtol})
    annotate(ds, start_clock_h=scenario.start_clock_h)
    return ds
