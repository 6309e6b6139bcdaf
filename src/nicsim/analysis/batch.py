"""Many model runs at once: the numba batch kernel behind sensitivity analysis and the loop sweeps.

:class:`BatchEvaluator` runs one scenario for many parameter vectors (rows of ``P``) in chunks
through ``model.solver.integrate_batch`` (numba ``prange`` over subjects), after the same
initial state that :func:`nicsim.solve.simulate.simulate_cohort` uses: the runs are prepared by
:func:`nicsim.solve.problem.build_problem` and integrated by the run pipeline
(:mod:`nicsim.solve.run`), so a row equal to the nominal vector reproduces ``simulate_cohort``.

Works for any compiled :class:`~nicsim.core.compiled.CompiledModel`, not only the default
model: parameter-set values and person traits for parameters the model lacks are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from nicsim._default import default_model
from nicsim.core.units import to_canonical
from nicsim.errors import ScenarioError
from nicsim.protocols import Scenario
from nicsim.solve.problem import DEFAULT_BURN_IN_DAYS, build_problem
from nicsim.solve.run import (
    initial_states,
    observable_index,
    observe_outputs,
    segment_inputs,
    solve,
)

ProgressFn = Callable[[int, int], None]


def unit_maps(model) -> tuple[np.ndarray, np.ndarray]:
    """Affine maps declared -> canonical unit per parameter: ``canonical = a * declared + b``."""
    a = np.empty(len(model.parameters))
    b = np.empty(len(model.parameters))
    for j, prm in enumerate(model.parameters):
        c0 = to_canonical(0.0, prm.unit)[0]
        c1 = to_canonical(1.0, prm.unit)[0]
        a[j], b[j] = c1 - c0, c0
    return a, b


def observe(model, Y: np.ndarray, P: np.ndarray, t_eval: np.ndarray, U: np.ndarray,
            names: Sequence[str]) -> dict[str, np.ndarray]:
    """Observables in their declared units: ``{name: array (n, n_eval)}``.

    ``U`` holds the inputs at ``t_eval``: (n_eval, n_in) shared or (n, n_eval, n_in)."""
    idx = observable_index(model)
    unknown = [nm for nm in names if nm not in idx]
    if unknown:
        raise ScenarioError("output", unknown[0], f"an observable of the model: "
                            f"{', '.join(sorted(idx))}")
    need_out = any(idx[nm][0] == "output" for nm in names)
    obs = observe_outputs(model, Y, P, t_eval, U) if need_out else None
    res = {}
    for nm in names:
        kind, k, fac, _u = idx[nm]
        res[nm] = (obs[:, :, k] if kind == "output" else Y[:, :, k]) * fac
    return res


class BatchEvaluator:
    """One scenario, many parameter vectors.

    ``run(P, t_eval)`` returns the states at ``t_eval`` for every row of ``P`` (canonical
    parameter vectors, e.g. from :meth:`vectors`), in chunks of ``chunk_size`` rows, each after
    the burn-in that ``simulate`` uses (``burn_in_days`` on the habitual schedule, from the
    model's initial state).
    """

    def __init__(self, scenario, *, model=None, parameters: Mapping[str, float] | None = None,
                 parameter_set: str = "default", rtol: float | None = None,
                 burn_in_days: int = DEFAULT_BURN_IN_DAYS, chunk_size: int = 256,
                 initial_state: str | None = None):
        if isinstance(scenario, (str, dict)):
            scenario = (Scenario.from_dict(scenario) if isinstance(scenario, dict)
                        else Scenario.from_yaml(scenario))
        self.scenario = scenario
        self.model = model or default_model()
        self.problem = build_problem(self.model, scenario, parameters=parameters,
                                     parameter_set=parameter_set, rtol=rtol,
                                     burn_in_days=int(burn_in_days),
                                     initial_state=initial_state, cohort=True)
        self.rtol = self.problem.rtol
        self.burn_in_days = self.problem.burn_in_days
        self.chunk_size = max(1, int(chunk_size))
        self.base = self.problem.P[0].copy()
        self.schedule = self.problem.schedule
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
    def run(self, P: np.ndarray, t_eval: np.ndarray, *, progress: ProgressFn | None = None,
            reduce: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None) -> np.ndarray:
        """States at ``t_eval`` (hours, within the scenario) for every row of ``P``:
        ``Y[n, n_eval, n_state]``; with ``reduce(Y_chunk, P_chunk) -> (n_chunk, m)`` only the
        reduced rows are kept (memory stays at one chunk of trajectories)."""
        P = np.atleast_2d(P)
        n = P.shape[0]
        out = None
        for c0 in range(0, n, self.chunk_size):
            c1 = min(n, c0 + self.chunk_size)
            Pc = P[c0:c1]
            Yc = solve(replace(self.problem, P=Pc, t_eval=t_eval, report_drift=False),
                       observe=False).Y
            Rc = Yc if reduce is None else np.asarray(reduce(Yc, Pc), dtype=float)
            if out is None:
                out = np.empty((n, *Rc.shape[1:]))
            out[c0:c1] = Rc
            if progress is not None:
                progress(c1, n)
        return out if out is not None else np.empty((0, len(t_eval), len(self.model.states)))

    def initial_states(self, P: np.ndarray) -> np.ndarray:
        """The start (t = 0) of every row of ``P`` by the evaluator's initial-state policy
        (rows x states, canonical units)."""
        return initial_states(replace(self.problem, P=np.atleast_2d(P), report_drift=False))[0]

    def observe(self, Y: np.ndarray, P: np.ndarray, t_eval: np.ndarray,
                names: Sequence[str]) -> dict[str, np.ndarray]:
        U = segment_inputs(self.schedule.breaks, self.schedule.inputs, t_eval)
        return observe(self.model, Y, np.atleast_2d(P), t_eval, U, names)
