"""Parameter domains: derived rule, declared values inside, finite model at the edges, and the
checks at every entry point (scenario, API, sensitivity, population, cohort)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from nicsim import ScenarioError, simulate
from nicsim._default import default_model
from nicsim.analysis.population import sample_population
from nicsim.analysis.sensitivity import SensitivitySpec, resolve_parameters, run_sensitivity
from nicsim.core import Assumption, LogNormal, Module
from nicsim.core.domains import Domain, derive_domain
from nicsim.errors import ModelError
from nicsim.parameter_sets import load_parameter_set
from nicsim.protocols import Scenario
from nicsim.solve.problem import model_parameters
from nicsim.solve.simulate import simulate_cohort

ROOT = Path(__file__).resolve().parents[2]
SHORT = {"name": "short", "start": "07:00", "duration": "2 h", "protocol": []}


# ------------------------------------------------------------------ the rule
@pytest.mark.parametrize("name, value, unit, bounds, inside, outside", [
    ("x_half_life", 20.0, "min", None, [0.2, 20, 2000], [0, -1, 2001]),
    ("free_clearance", 11.0, "1/hour", None, [0, 11, 1100], [-1, 1101, math.inf]),
    ("stress_gain", 4.0, "dimensionless", None, [0, 400], [-0.1, 1e30, math.nan]),
    ("mindfulness_effect", 0.45, "dimensionless", (0, 0.9), [0, 1], [-0.01, 1.01]),
    ("il6_k", 100.0, "pg/mL", None, [1, 1e4], [0, 0.99]),
    ("loop_k", 0.2, "dimensionless", None, [0.002], [0]),
    ("set_point", 36.8, "degC", None, [25, 45], [24.9, 45.1]),
    ("loop_n", 6.0, "dimensionless", None, [0, 10], [10.5]),
    ("seed", 2.0, "percent", None, [0, 100], [-1, 101]),
    ("ot_basal", 4.0, "pg/mL", (0.5, 50), [0.005, 5000], [0.004, 5001]),
    ("emollient_rate", 0.01, "1/hour", (0, 0.1), [0, 10], [-1e-9, 10.1]),
    # knock-outs stay possible: the clearance study (V02) stops secretion with these at 0
    ("secretion_max", 90.0, "nmol/L/hour", None, [0, 9000], [-1, 9001]),
    ("acth_gain", 2.5, "pmol/L", None, [0, 250], [-0.1, 251]),
    ("Mmax", 30000.0, "dimensionless", None, [300, 3e6], [0, 299]),
    ("xME", 3.3, "ng/kg", None, [0.033], [0]),
])
def test_derived_domain(name, value, unit, bounds, inside, outside):
    d = derive_domain(name, value, unit, bounds)
    assert all(d.contains(float(x)) for x in inside), (d, inside)
    assert not any(d.contains(float(x)) for x in outside), (d, outside)
    assert d.why


def test_every_declared_value_bound_and_set_value_lies_in_its_domain():
    model = default_model()
    by_id = {p.id: p for p in model.parameters}
    for p in model.parameters:
        assert p.domain.contains(p.value), (p.id, p.value, p.domain)
        for b in p.bounds or ():
            assert p.domain.contains(float(b)), (p.id, b, p.domain)
    for pid, v in load_parameter_set("default")["values"].items():
        assert by_id[pid].domain.contains(float(v)), (pid, v, by_id[pid].domain)


def test_model_is_finite_at_every_domain_edge():
    """Each parameter alone at the lower and at the upper end of its domain: the right-hand
    side and every output are finite at the initial state (no division by zero, no overflow),
    so the domain admits only values the model can evaluate."""
    model = default_model()
    y = model.initial_state()
    p0 = model.parameter_vector()
    u = np.zeros(len(model.exogenous))
    rhs, obs = np.empty(len(y)), np.empty(len(model.outputs))
    bad = []
    for j, prm in enumerate(model.parameters):
        d = prm.canonical_domain
        for edge in (d.lower, d.upper):
            assert math.isfinite(edge), (prm.id, d)
            p = p0.copy()
            p[j] = float(d.clip(edge))
            with np.errstate(all="ignore"):
                model.solver.rhs(0.0, y, p, u, rhs)
                model.solver.observe(0.0, y, p, u, obs)
            if not (np.isfinite(rhs).all() and np.isfinite(obs).all()):
                bad.append((prm.id, edge))
    assert not bad


def test_declaration_outside_its_domain_is_a_model_error():
    m = Module("toy", "toy")
    with pytest.raises(ModelError, match="toy.k_half_life"):
        m.parameter("k_half_life", -1.0, "min", Assumption("test"))
    with pytest.raises(ModelError, match="toy.frac_effect: bounds"):
        m.parameter("frac_effect", 0.5, "dimensionless", Assumption("test"), bounds=(0, 2))
    with pytest.raises(ModelError, match="cv"):
        m.parameter("g", 1.0, "dimensionless", Assumption("test"),
                    distribution=LogNormal(5.0))
    m.parameter("h", -3.0, "dimensionless", Assumption("test"),
                domain=Domain(-10, 10, why="a signed offset"))
    assert m.parameters["h"].domain.why == "a signed offset"


# ------------------------------------------------------------------ entry points
@pytest.mark.parametrize("pid, value", [("hpa.free_clearance", -1), ("hpa.stress_gain", 1e30),
                                        ("hpa.crh_half_life", 0), ("hpa.male", 2),
                                        ("hpa.stress_gain", math.nan)])
def test_api_parameters_outside_domain_are_rejected(pid, value):
    with pytest.raises(ScenarioError) as e:
        simulate(Scenario.from_dict(SHORT), parameters={pid: value})
    assert e.value.field == f"parameters.{pid}"
    if math.isnan(value):  # refused before the domain check: not a finite number
        assert "finite number" in e.value.allowed
    else:
        assert pid in e.value.allowed and "must be" in e.value.allowed


def test_scenario_parameters_outside_domain_are_rejected():
    sc = Scenario.from_dict({**SHORT, "parameters": {"hpa.free_clearance": -1}})
    with pytest.raises(ScenarioError, match=r"parameters\.hpa\.free_clearance: -1") as e:
        simulate(sc)
    assert ">= 0 and <= 1100 1/hour" in e.value.allowed
    # inside the domain (though outside anything physiological) is the user's to explore
    sc = Scenario.from_dict({**SHORT, "parameters": {"hpa.free_clearance": 5}})
    model_parameters(default_model(), sc)


def _sens_spec(**extra):
    return {"name": "t", "scenario": SHORT, "parameters": ["hpa.stress_gain"],
            "default_factor": 2, "morris": {"trajectories": 2},
            "outputs": [{"output": "cortisol_serum", "stat": "mean"}], **extra}


def test_sensitivity_fixed_and_ranges_outside_domain_are_rejected():
    with pytest.raises(ScenarioError) as e:
        run_sensitivity(_sens_spec(fixed={"hpa.free_clearance": -1}))
    assert e.value.field == "fixed.hpa.free_clearance"
    model = default_model()
    spec = SensitivitySpec.from_dict(_sens_spec(
        parameters=[{"id": "hpa.free_clearance", "range": [-5, 20]}]))
    with pytest.raises(ScenarioError, match="lower end of the range of hpa.free_clearance"):
        resolve_parameters(spec, model, lambda pid: 11.0)
    spec = SensitivitySpec.from_dict(_sens_spec(parameters=["hpa.stress_gain"],
                                                default_factor=100))
    # nominal x 100 is the domain's edge: allowed; a parameter-set nominal above the module
    # value would push it out and be reported
    resolve_parameters(spec, model, lambda pid: 4.0)
    with pytest.raises(ScenarioError, match="upper end"):
        resolve_parameters(spec, model, lambda pid: 40.0)


def test_population_parameters_outside_domain_and_wild_spread_are_rejected():
    with pytest.raises(ScenarioError) as e:
        sample_population({"parameters": {"hpa.free_clearance": -1}}, 2,
                          field_prefix="population.")
    assert e.value.field == "population.parameters.hpa.free_clearance"
    with pytest.raises(ScenarioError, match="cv"):
        sample_population({"parameters": {"ans.rmssd_0": {"lognormal": {
            "median": 42, "cv": 50}}}}, 2)
    with pytest.raises(ScenarioError) as e:
        sample_population({"parameters": {"hpa.stress_gain": {"normal": {
            "mean": 4, "sd": 1, "min": -1}}}}, 2, field_prefix="population.")
    assert e.value.field == "population.parameters.hpa.stress_gain.normal.min"


def test_population_draws_stay_in_the_domain():
    """A wide normal on a fraction is truncated to [0, 1] instead of giving values outside."""
    pop = sample_population({"parameters": {"psyche.mindfulness_effect": {"normal": {
        "mean": 0.5, "sd": 2}}}}, 200, 1)
    j = list(pop.parameter.values).index("psyche.mindfulness_effect")
    x = pop.parameters.values[:, j]
    assert x.min() >= 0 and x.max() <= 1 and x.std() > 0.2


def test_cohort_parameter_matrix_is_checked():
    model = default_model()
    P = np.repeat(model.parameter_vector()[None, :], 2, axis=0)
    P[1, model.parameter_index("hpa.free_clearance")] = -1.0
    with pytest.raises(ScenarioError) as e:
        simulate_cohort(Scenario.from_dict(SHORT), P=P)
    assert e.value.field == "P.hpa.free_clearance" and "row 1" in e.value.allowed
