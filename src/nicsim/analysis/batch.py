"""Many model runs at once: the numba batch kernel behind sensitivity analysis and the loop sweeps.

:class:`BatchEvaluator` runs one scenario for many parameter vectors (rows of ``P``) in chunks
through ``model.solver.integrate_batch`` (numba ``prange`` over subjects), after the same
burn-in on the person's habitual schedule that :func:`nicsim.solve.simulate.simulate` uses, so a
row equal to the nominal vector reproduces ``simulate``. :func:`integrate_chains` integrates
independent chains that each have their own start state, parameters and inputs on shared
breaks (the quasi-static sweeps in :mod:`nicsim.analysis.loop`).

Works for any compiled :class:`~nicsim.core.compiled.CompiledModel`, not only the default
model: parameter-set values and person traits for parameters the model lacks are skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from nicsim.errors import ScenarioError, SolverError

#: Solver statuses of the numba kernel (see nicsim.solve._bdf_kernel).
STATUS_TEXT = {
    1: "the step limit was reached",
    2: "the step size became too small",
    3: "a state or rate became NaN or infinite",
    4: "Newton iterations failed repeatedly",
}

ProgressFn = Callable[[int, int], None]


def base_parameter_vector(model, scenario=None, overrides: Mapping[str, float] | None = None,
                          parameter_set: str = "default") -> np.ndarray:
    """Canonical parameter vector: module values < parameter set < person traits < overrides.

    Like :func:`nicsim.solve.simulate.model_parameters`, but parameter-set values and person
    traits for parameters the model does not have are skipped (small test networks)."""
    from nicsim.parameter_sets import parameter_set_values
    from nicsim.protocols.traits import person_overrides

    ids = set(model.parameter_ids)
    values = {k: v for k, v in parameter_set_values(parameter_set).items() if k in ids}
    if scenario is not None:
        values.update({k: v for k, v in person_overrides(scenario.person,
                                                         scenario.start_clock_h).items()
                       if k in ids})
    for k, v in (overrides or {}).items():
        if k not in ids:
            raise ScenarioError(f"parameters.{k}", v, "a parameter id of the model; see "
                                "`nicsim params`")
        values[k] = float(v)
    return model.parameter_vector(values)


def unit_maps(model) -> tuple[np.ndarray, np.ndarray]:
    """Affine maps declared -> canonical unit per parameter: ``canonical = a * declared + b``."""
    from nicsim.core.units import to_canonical

    a = np.empty(len(model.parameters))
    b = np.empty(len(model.parameters))
    for j, prm in enumerate(model.parameters):
        c0 = to_canonical(0.0, prm.unit)[0]
        c1 = to_canonical(1.0, prm.unit)[0]
        a[j], b[j] = c1 - c0, c0
    return a, b


def jump_targets(model) -> tuple[str, ...]:
    from nicsim.solve.simulate import _jump_targets

    return _jump_targets(model)


def observable_index(model) -> dict[str, tuple[str, int, float, str]]:
    """name -> ('output' | 'state', index, display factor, unit) for every observable."""
    from nicsim.solve.simulate import display_factor

    out: dict[str, tuple[str, int, float, str]] = {}
    for k, o in enumerate(model.outputs):
        if o.observable:
            out[o.name] = ("output", k, display_factor(o.unit), o.unit)
    for k, s in enumerate(model.states):
        if s.observable:
            out[s.name] = ("state", k, display_factor(s.unit), s.unit)
    return out


def _max_steps(span_h: float) -> int:
    return int(200_000 + 4_000 * span_h / 24.0)


def _c(x, dtype=np.float64) -> np.ndarray:
    """C-contiguous, writable copy-if-needed (numba compiles read-only arrays separately)."""
    a = np.ascontiguousarray(x, dtype=dtype)
    return a if a.flags.writeable else a.copy()


def integrate_chains(model, Y0: np.ndarray, P: np.ndarray, breaks: np.ndarray,
                     inputs: np.ndarray, jumps: np.ndarray, t_eval: np.ndarray, rtol: float,
                     *, what: str = "run") -> np.ndarray:
    """Integrate ``n`` independent runs on shared ``breaks``; returns ``Y[n, n_eval, n_state]``.

    ``Y0`` (n, n_state), ``P`` (n, n_par), ``inputs`` (n, n_seg, n_in) or (n_seg, n_in) shared,
    ``jumps`` (n, n_seg, n_jump) or shared. A run that fails is retried alone with a 100 x
    tighter tolerance; if it fails again a SolverError names it (``what`` index).
    """
    n = Y0.shape[0]
    targets = jump_targets(model)
    jump_idx = np.array([model.state_index(s) for s in targets], dtype=np.int64)
    n_seg = len(breaks) - 1
    inputs = np.asarray(inputs, dtype=np.float64)
    if inputs.ndim == 2:
        inputs = np.broadcast_to(inputs, (n, *inputs.shape))
    jumps = np.asarray(jumps, dtype=np.float64)
    if jumps.ndim == 2:
        jumps = np.broadcast_to(jumps, (n, *jumps.shape))
    jumps = jumps.reshape(n, n_seg, len(jump_idx))
    atol = model.atol(rtol)
    # read-only breaks, the rest writable: the argument types simulate_cohort uses, so both
    # share one compiled specialisation of the kernel
    br = _c(breaks).copy()
    br.setflags(write=False)
    args = (br, _c(inputs), _c(jumps), _c(jump_idx, np.int64), _c(t_eval))
    span = float(breaks[-1] - breaks[0])
    status, Y, _stats, t_fail = model.solver.integrate_batch(
        _c(Y0), _c(P), args[0], args[1], args[2], args[3], args[4], rtol, atol,
        _max_steps(span), math.inf)
    for i in np.flatnonzero(status != 0):
        r2 = rtol / 100.0
        st, Yi, _s, tf = model.solver.integrate(
            _c(Y0[i]), _c(P[i]), args[0], _c(args[1][i]), _c(args[2][i]), args[3], args[4],
            r2, model.atol(r2), 4 * _max_steps(span), math.inf)
        if st != 0:
            raise SolverError(
                f"{what} {int(i)} failed at t = {tf:.4g} h: "
                f"{STATUS_TEXT.get(int(st), f'status {st}')} (also with rtol {r2:g}). Its "
                "parameter values may be outside what the model can integrate: narrow the "
                "ranges of the parameters varied, or check the protocol near that time.")
        Y[i] = Yi
    return Y


def observe(model, Y: np.ndarray, P: np.ndarray, t_eval: np.ndarray, U: np.ndarray,
            names: Sequence[str]) -> dict[str, np.ndarray]:
    """Observables in their declared units: ``{name: array (n, n_eval)}``.

    ``U`` holds the inputs at ``t_eval``: (n_eval, n_in) shared or (n, n_eval, n_in)."""
    idx = observable_index(model)
    unknown = [nm for nm in names if nm not in idx]
    if unknown:
        raise ScenarioError("output", unknown[0], f"an observable of the model: "
                            f"{', '.join(sorted(idx))}")
    n = Y.shape[0]
    need_out = any(idx[nm][0] == "output" for nm in names)
    obs = None
    if need_out:
        obs = np.empty((n, len(t_eval), len(model.outputs)))
        for i in range(n):
            Ui = np.ascontiguousarray(U[i] if U.ndim == 3 else U)
            model.solver.observe_series(t_eval, np.ascontiguousarray(Y[i]), P[i], Ui, obs[i])
        obs[np.abs(obs) < 1e-20] = 0.0
    res = {}
    for nm in names:
        kind, k, fac, _u = idx[nm]
        res[nm] = (obs[:, :, k] if kind == "output" else Y[:, :, k]) * fac
    return res


def segment_inputs(breaks: np.ndarray, inputs: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Inputs in force at times ``t`` (right-continuous; the last segment at the end)."""
    idx = np.clip(np.searchsorted(breaks, t, side="right") - 1, 0, inputs.shape[-2] - 1)
    return np.ascontiguousarray(inputs[..., idx, :])


class BatchEvaluator:
    """One scenario, many parameter vectors.

    ``run(P, t_eval)`` returns the states at ``t_eval`` for every row of ``P`` (canonical
    parameter vectors, e.g. from :meth:`vectors`), in chunks of ``chunk_size`` rows, each after
    the burn-in that ``simulate`` uses (``burn_in_days`` on the habitual schedule, from the
    model's initial state).
    """

    def __init__(self, scenario, *, model=None, parameters: Mapping[str, float] | None = None,
                 parameter_set: str = "default", rtol: float | None = None,
                 burn_in_days: int = 6, chunk_size: int = 256):
        from nicsim.protocols import Scenario, compile_schedule
        from nicsim.solve.simulate import DEFAULT_RTOL, default_model

        if isinstance(scenario, (str, dict)):
            scenario = (Scenario.from_dict(scenario) if isinstance(scenario, dict)
                        else Scenario.from_yaml(scenario))
        self.scenario = scenario
        self.model = model or default_model()
        self.rtol = float(rtol or scenario.rtol or DEFAULT_RTOL)
        self.burn_in_days = int(burn_in_days)
        self.chunk_size = max(1, int(chunk_size))
        self.base = base_parameter_vector(self.model, scenario, parameters, parameter_set)
        targets = jump_targets(self.model)
        self.schedule = compile_schedule(scenario, self.model.exogenous, jump_targets=targets)
        self.burn_schedule = None
        if self.burn_in_days > 0:
            burn = Scenario.from_dict({
                "name": "burn-in", "start": scenario.start,
                "duration": f"{self.burn_in_days} days",
                "person": scenario.person.model_dump(mode="json"), "protocol": []})
            self.burn_schedule = compile_schedule(burn, self.model.exogenous,
                                                  jump_targets=targets)
        self._a, self._b = unit_maps(self.model)

    # ------------------------------------------------------------------ parameters
    def declared(self, pid: str) -> float:
        """Nominal value of a parameter in its declared unit (after set, traits, overrides)."""
        j = self.model.parameter_index(pid)
        return float((self.base[j] - self._b[j]) / self._a[j])

    def vectors(self, ids: Sequence[str], values: np.ndarray) -> np.ndarray:
        """Canonical parameter matrix: the nominal vector with ``ids`` set to ``values``
        (n, len(ids)), given in the parameters' declared units."""
        values = np.atleast_2d(np.asarray(values, dtype=float))
        P = np.repeat(self.base[None, :], values.shape[0], axis=0)
        for c, pid in enumerate(ids):
            j = self.model.parameter_index(pid)
            P[:, j] = self._a[j] * values[:, c] + self._b[j]
        return P

    # ------------------------------------------------------------------ runs
    def _burn(self, P: np.ndarray) -> np.ndarray:
        y0 = np.repeat(self.model.initial_state()[None, :], P.shape[0], axis=0)
        if self.burn_schedule is None:
            return y0
        s = self.burn_schedule
        return integrate_chains(self.model, y0, P, s.breaks, s.inputs, s.jumps,
                                np.array([s.breaks[-1]]), self.rtol, what="burn-in of run")[:, -1]

    def run(self, P: np.ndarray, t_eval: np.ndarray, *, progress: ProgressFn | None = None,
            reduce: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None) -> np.ndarray:
        """States at ``t_eval`` (hours, within the scenario) for every row of ``P``:
        ``Y[n, n_eval, n_state]``; with ``reduce(Y_chunk, P_chunk) -> (n_chunk, m)`` only the
        reduced rows are kept (memory stays at one chunk of trajectories)."""
        P = np.atleast_2d(P)
        n = P.shape[0]
        s = self.schedule
        out = None
        for c0 in range(0, n, self.chunk_size):
            c1 = min(n, c0 + self.chunk_size)
            Pc = P[c0:c1]
            Yc = integrate_chains(self.model, self._burn(Pc), Pc, s.breaks, s.inputs, s.jumps,
                                  t_eval, self.rtol, what="run")
            Rc = Yc if reduce is None else np.asarray(reduce(Yc, Pc), dtype=float)
            if out is None:
                out = np.empty((n, *Rc.shape[1:]))
            out[c0:c1] = Rc
            if progress is not None:
                progress(c1, n)
        return out if out is not None else np.empty((0, len(t_eval), len(self.model.states)))

    def observe(self, Y: np.ndarray, P: np.ndarray, t_eval: np.ndarray,
                names: Sequence[str]) -> dict[str, np.ndarray]:
        U = segment_inputs(self.schedule.breaks, self.schedule.inputs, t_eval)
        return observe(self.model, Y, np.atleast_2d(P), t_eval, U, names)
