"""The run problem: everything one integration needs, prepared in one place.

:func:`build_problem` turns (compiled model, one or N parameter rows, a scenario with its person
and protocol, outputs, settings) into a :class:`RunProblem`: the parameter matrix, the compiled
protocol schedule, the initial-state policy, the output grid and the tolerances.
:func:`nicsim.solve.run.solve` integrates it and :func:`nicsim.solve.run.to_dataset` turns the
result into an ``xarray.Dataset``. ``simulate``, ``simulate_cohort``, the batch evaluator
(sensitivity, loop sweeps), trials and the SBML/PEtab export all prepare their runs here.

Parameter priority (lowest first): module values < parameter set < person traits < the
scenario's ``parameters`` < the caller's overrides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches

import numpy as np

from nicsim import protocols
from nicsim.errors import ScenarioError
from nicsim.parameter_sets import parameter_set_values
from nicsim.protocols import Scenario, compile_schedule
from nicsim.protocols.traits import person_overrides

DEFAULT_RTOL = 1e-6
#: Burn-in on the person's habitual day before t = 0 for the ``entrained`` start (days).
DEFAULT_BURN_IN_DAYS = 6
#: Longest burn-in accepted, and the longest a ``settled`` start may take to converge (days).
MAX_BURN_IN_DAYS = 3650  # ten years: settling slow skin states can take a few years
#: How a run's initial state is made (see :func:`nicsim.solve.run.initial_states`).
INITIAL_STATE_POLICIES = ("entrained", "settled")


@dataclass(frozen=True)
class RunProblem:
    """One prepared run of one scenario for one or N parameter rows.

    ``P`` is the canonical parameter matrix (rows x parameters). ``cohort`` selects the batch
    kernel (all rows in parallel, dims ``subject, time``); a single run (``cohort`` False, one
    row) integrates in month-long chunks so that long runs report progress. ``y0``, when given
    (rows x states), replaces the initial-state policy.
    """

    model: object
    scenario: object
    P: np.ndarray
    cohort: bool
    schedule: object
    t_eval: np.ndarray
    rtol: float
    outputs: tuple[str, ...]
    initial_state: str = "entrained"
    burn_in_days: int = DEFAULT_BURN_IN_DAYS
    include_states: bool = False
    y0: np.ndarray | None = None
    #: measure how far the start drifts over one more habitual day (dataset attrs)
    report_drift: bool = True

    @property
    def n_rows(self) -> int:
        return int(self.P.shape[0])

    @property
    def atol(self) -> np.ndarray:
        return self.model.atol(self.rtol)

    def habitual_schedule(self, days: int):
        """The person's habitual day repeated ``days`` times from the scenario's start clock
        (no protocol events): the schedule of burn-in and settling."""
        return habitual_schedule(self.model, self.scenario, days)


def build_problem(model, scenario, *, P: np.ndarray | None = None,
                  parameters: Mapping[str, float] | None = None,
                  parameter_set: str = "default", rtol: float | None = None,
                  burn_in_days: int = DEFAULT_BURN_IN_DAYS, initial_state: str | None = None,
                  outputs: Sequence[str] | None = None, include_states: bool = False,
                  y0: np.ndarray | None = None, cohort: bool | None = None) -> RunProblem:
    """Prepare a run of ``scenario`` (a validated :class:`~nicsim.protocols.Scenario`).

    Without ``P`` the one parameter row is :func:`model_parameters` (set < traits < scenario <
    ``parameters``); with ``P`` (rows x parameters, canonical units) the rows are used as given
    after a domain check. ``cohort`` defaults to True when ``P`` is given. ``rtol`` and
    ``initial_state`` default to the scenario's, then to :data:`DEFAULT_RTOL` and
    ``"entrained"``. ``outputs`` default to the scenario's, then to every observable.
    """

    rtol = float(rtol or getattr(scenario, "rtol", None) or DEFAULT_RTOL)
    policy = check_initial_state(initial_state if initial_state is not None
                                 else getattr(scenario, "initial_state", None) or "entrained")
    if P is None:
        P = model_parameters(model, scenario, parameters, parameter_set)[None, :]
        cohort = bool(cohort)
    else:
        P = np.atleast_2d(np.asarray(P, dtype=np.float64))
        model.check_parameter_matrix(P, "P")
        cohort = True if cohort is None else bool(cohort)
    if not cohort and P.shape[0] != 1:
        raise ScenarioError("P", f"{P.shape[0]} rows", "one parameter row for a single run")
    names = observable_names(model)
    wanted = tuple(outputs or getattr(scenario, "outputs", None) or names)
    unknown = [w for w in wanted if w not in names]
    if unknown:
        raise ScenarioError("outputs", unknown[0], f"outputs must be among: {', '.join(names)}")
    schedule = compile_schedule(scenario, model.exogenous, jump_targets=jump_targets(model))
    if y0 is not None:
        y0 = np.atleast_2d(np.asarray(y0, dtype=np.float64))
    return RunProblem(model=model, scenario=scenario, P=P, cohort=cohort, schedule=schedule,
                      t_eval=scenario.output_times(), rtol=rtol, outputs=wanted,
                      initial_state=policy, burn_in_days=int(burn_in_days),
                      include_states=bool(include_states), y0=y0)


def check_initial_state(value) -> str:
    """An initial-state policy name, checked (ScenarioError naming ``initial_state``)."""
    if not isinstance(value, str) or value not in INITIAL_STATE_POLICIES:
        raise ScenarioError("initial_state", brief(value), "expected one of: "
                            f"{', '.join(repr(p) for p in INITIAL_STATE_POLICIES)} ('entrained': "
                            "a burn-in of burn_in_days on the habitual day; 'settled': slow "
                            "states start from the person's own steady state)")
    return value


def habitual_schedule(model, scenario, days: int):
    """The compiled schedule of ``days`` habitual days (the person's sleep, no protocol)."""

    burn = Scenario.from_dict({
        "name": "burn-in", "start": scenario.start, "duration": f"{days} days",
        "person": scenario.person.model_dump(mode="json"), "protocol": []})
    return compile_schedule(burn, model.exogenous, jump_targets=jump_targets(model))


def jump_targets(model) -> tuple[str, ...]:
    """The states protocol events can jump (boluses, wounds, tape stripping) that the model has."""

    return tuple(s for s in protocols.KNOWN_JUMP_TARGETS if s in model.state_ids)


def accumulator_states(model) -> tuple[int, ...]:
    """Indices of the states whose rate does not depend on the state itself (the ageing clock,
    counts of events): they accumulate and have no steady state."""
    hit = _ACCUMULATORS.get(model.key)
    if hit is None:
        hit = tuple(k for k, (s, r) in enumerate(zip(model.states, model.rates, strict=True))
                    if s.symbol not in r.free_symbols)
        _ACCUMULATORS[model.key] = hit
    return hit


_ACCUMULATORS: dict[str, tuple[int, ...]] = {}


def observable_names(model) -> list[str]:
    names = [o.name for o in model.outputs if o.observable]
    names += [s.name for s in model.states if s.observable]
    return names


def model_parameters(model, scenario=None, overrides: Mapping[str, float] | None = None,
                     parameter_set: str = "default") -> np.ndarray:
    """Canonical parameter vector: module values < parameter set < person traits < the
    scenario's ``parameters`` < ``overrides``.

    Parameter-set values and person traits for parameters the model does not have are skipped
    (small test networks); ``overrides`` and the scenario's ``parameters`` must name parameters
    of the model (see :func:`check_parameter_mapping`)."""

    ids = set(model.parameter_ids)
    values = {k: v for k, v in parameter_set_values(parameter_set).items() if k in ids}
    if scenario is not None:
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
        raise ScenarioError(field, brief(parameters), "expected a mapping {parameter id: "
                            "value}, e.g. {'hpa.stress_gain': 2.5}; see `nicsim params`")
    out: dict[str, float] = {}
    ids = set(model.parameter_ids)
    for k, v in parameters.items():
        if not isinstance(k, str) or k not in ids:
            close = get_close_matches(str(k), sorted(ids), n=1)
            raise ScenarioError(f"{field}.{k}", brief(k), "expected a parameter id of the "
                                "model; see `nicsim params`",
                                hint=f"did you mean {close[0]!r}?" if close else "")
        out[k] = finite_number(v, f"{field}.{k}", "expected a finite number in the "
                               "parameter's declared unit (see `nicsim params`)")
    return out


def brief(value, limit: int = 80):
    """A value for an error message: long ones are cut (a message never echoes huge data)."""
    text = repr(value)
    return value if len(text) <= limit else Cut(text[:limit] + f"... ({len(text):,} characters)")


class Cut(str):
    """Text shown as is in an error message (no quotes)."""

    def __repr__(self) -> str:
        return str(self)



def finite_number(v, field: str, allowed: str) -> float:
    """``v`` as a float when it is a real finite number, else a ScenarioError naming ``field``."""
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise ScenarioError(field, brief(v), allowed)
    try:
        x = float(v)
    except OverflowError:  # an integer too large for a float
        raise ScenarioError(field, brief(v), allowed) from None
    if not math.isfinite(x):
        raise ScenarioError(field, v, allowed)
    return x
