"""One entry point: ``simulate(scenario) -> xarray.Dataset``, and ``simulate_cohort`` for a
virtual cohort.

Both prepare a :class:`~nicsim.solve.problem.RunProblem`
(:func:`~nicsim.solve.problem.build_problem`) and integrate it with
:func:`nicsim.solve.run.solve`: the protocol is compiled to piecewise-constant segments and
integrated by the numba BDF kernel (restarting at every break) from the initial state of the
run's policy (``entrained`` by default: a burn-in on the person's habitual day so that the
circadian system is entrained at t = 0; ``settled``: slow states start from the person's own
steady state).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import xarray as xr

from nicsim._default import default_model
from nicsim.core.rng import root_entropy, stream
from nicsim.errors import ScenarioError
from nicsim.protocols import Scenario
from nicsim.solve.problem import (
    DEFAULT_BURN_IN_DAYS,
    MAX_BURN_IN_DAYS,
    Cut,
    brief,
    build_problem,
    check_initial_state,
    check_parameter_mapping,
    finite_number,
    model_parameters,
)
from nicsim.solve.run import solve, to_dataset


def _model(model):
    """The caller's compiled model, else the default one (imported here: the default model is
    built above the solve layer)."""
    if model is not None:
        return model

    return default_model()


def _check_simulate_arguments(scenario, parameters, parameter_set, rtol, burn_in_days,
                              include_states, progress, y0, model, initial_state=None):
    """The API's arguments, checked with the CLI's clear errors; returns the Scenario."""
    import os

    if isinstance(scenario, (str, os.PathLike)):
        scenario = Scenario.from_yaml(scenario)
    elif isinstance(scenario, Mapping):
        scenario = Scenario.from_dict(dict(scenario))
    elif not isinstance(scenario, Scenario):
        raise ScenarioError("scenario", brief(scenario), "expected a Scenario, a mapping "
                            "(as a scenario file holds) or the path of a scenario YAML file")
    check_parameter_mapping(model, parameters)
    if not isinstance(parameter_set, str):
        raise ScenarioError("parameter_set", brief(parameter_set), "expected the name of a "
                            "parameter set, e.g. 'default'")
    if rtol is not None:
        r = finite_number(rtol, "rtol", "expected a relative tolerance from 1e-10 to 1e-2")
        if not 1e-10 <= r <= 1e-2:
            raise ScenarioError("rtol", rtol, "expected a relative tolerance from 1e-10 to 1e-2")
    if (isinstance(burn_in_days, bool) or not isinstance(burn_in_days, (int, np.integer))
            or not 0 <= burn_in_days <= MAX_BURN_IN_DAYS):
        raise ScenarioError("burn_in_days", brief(burn_in_days), f"expected a whole number of "
                            f"days from 0 to {MAX_BURN_IN_DAYS}")
    if not isinstance(include_states, (bool, np.bool_)):
        raise ScenarioError("include_states", brief(include_states), "expected true or false")
    if progress is not None and not callable(progress):
        raise ScenarioError("progress", brief(progress), "expected a function "
                            "progress(fraction) or None")
    if y0 is not None:
        try:
            y = np.asarray(y0, dtype=np.float64)
        except (TypeError, ValueError):
            raise ScenarioError("y0", brief(y0), f"expected {len(model.states)} numbers (the "
                                "canonical state vector, e.g. final_state(ds))") from None
        if y.shape != (len(model.states),):
            raise ScenarioError("y0", Cut(f"an array of shape {y.shape}"), f"expected shape "
                                f"({len(model.states)},): one value per model state in "
                                "canonical units, e.g. final_state(ds)")
        if not np.all(np.isfinite(y)):
            raise ScenarioError("y0", Cut("an array with NaN or infinite values"),
                                "expected finite state values")
    if initial_state is not None:
        check_initial_state(initial_state)
    return scenario


def simulate(scenario, *, model=None, parameters: Mapping[str, float] | None = None,
             parameter_set: str = "default", rtol: float | None = None,
             burn_in_days: int = DEFAULT_BURN_IN_DAYS, include_states: bool = False,
             progress: Callable[[float], None] | None = None, y0: np.ndarray | None = None,
             initial_state: str | None = None) -> xr.Dataset:
    """Simulate a :class:`~nicsim.protocols.Scenario`; returns an ``xarray.Dataset``.

    Dimension ``time`` (hours since the scenario start); coordinates ``clock`` (hour of day) and
    ``day`` (1-based); one variable per observable with ``units`` and ``long_name`` attrs.
    ``parameters`` overrides parameter values by id, in their declared units. ``y0`` (canonical
    state vector, e.g. the last row of ``final_state(ds)``) replaces the burn-in.
    ``initial_state``: ``"entrained"`` (``burn_in_days`` habitual days; the default) or
    ``"settled"`` (slow states start from the person's own steady state); default: the
    scenario's ``initial_state``, else entrained. The dataset's attrs record the policy and, for
    an unsettled start, which states drift over the run (``initial_state_drift``).
    """
    model = _model(model)
    scenario = _check_simulate_arguments(scenario, parameters, parameter_set, rtol, burn_in_days,
                                         include_states, progress, y0, model, initial_state)
    problem = build_problem(model, scenario, parameters=parameters, parameter_set=parameter_set,
                            rtol=rtol, burn_in_days=burn_in_days, initial_state=initial_state,
                            include_states=include_states, y0=y0, cohort=False)
    return to_dataset(solve(problem, progress=progress))


def sample_parameters(model, base: np.ndarray, n: int,
                      rng: np.random.Generator | int | None) -> np.ndarray:
    """``n`` parameter vectors: every parameter with a declared distribution is drawn around
    its value in ``base`` (its declared log-normal or beta, independent); the rest are copied.

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
            z = stream(root, prm.id).standard_normal(n)
            # clipped to the parameter's domain (reached only in the far tails)
            P[:, j] = prm.canonical_domain.clip(dist.draw(base[j], z))
    return P


def simulate_cohort(scenario, *, n: int = 100, rng: np.random.Generator | int | None = 0,
                    model=None, parameters: Mapping[str, float] | None = None,
                    parameter_set: str = "default", rtol: float | None = None,
                    burn_in_days: int = DEFAULT_BURN_IN_DAYS, P: np.ndarray | None = None,
                    initial_state: str | None = None) -> xr.Dataset:
    """A virtual cohort: ``n`` persons drawn from the parameters' declared distributions.

    Returns a Dataset with dims ``(subject, time)``; the sampled parameter vectors are kept as
    ``parameters`` (subject, parameter). Pass ``P`` to simulate given parameter vectors instead.
    ``initial_state`` as in :func:`simulate` (settling runs every subject to its own steady
    state).
    """

    model = _model(model)
    scenario = _check_simulate_arguments(scenario, parameters, parameter_set, rtol, burn_in_days,
                                         False, None, None, model, initial_state)
    if P is None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise ScenarioError("n", brief(n), "expected a whole number of persons >= 1")
    if P is None:
        if not isinstance(rng, np.random.Generator):
            rng = np.random.default_rng(rng)
        base = model_parameters(model, scenario, parameters, parameter_set)
        P = sample_parameters(model, base, n, rng)
    problem = build_problem(model, scenario, P=P, parameters=parameters,
                            parameter_set=parameter_set, rtol=rtol, burn_in_days=burn_in_days,
                            initial_state=initial_state, cohort=True)
    return to_dataset(solve(problem))
