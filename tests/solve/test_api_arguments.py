"""The Python API checks its arguments with the CLI's clear errors (issue 9, item 7)."""

from __future__ import annotations

import numpy as np
import pytest

from nicsim._default import default_model
from nicsim.errors import ScenarioError
from nicsim.protocols import Scenario
from nicsim.solve.problem import check_parameter_mapping
from nicsim.solve.simulate import simulate, simulate_cohort

SC = Scenario.from_dict({"name": "api", "duration": "2 h"})


@pytest.mark.parametrize("args,kwargs,field,text", [
    ((None,), {}, "scenario", "expected a Scenario"),
    ((42,), {}, "scenario", "expected a Scenario"),
    (({},), {}, "name", "required"),
    ((SC,), {"parameters": {"x": "high"}}, "parameters.x", "parameter id"),
    ((SC,), {"parameters": {"hpa.stress_gain": "high"}}, "parameters.hpa.stress_gain",
     "finite number"),
    ((SC,), {"parameters": {"hpa.stress_gain": True}}, "parameters.hpa.stress_gain",
     "finite number"),
    ((SC,), {"parameters": {"hpa.stress_gain": float("inf")}}, "parameters.hpa.stress_gain",
     "finite number"),
    ((SC,), {"parameters": [1, 2]}, "parameters", "expected a mapping"),
    ((SC,), {"parameters": {"hpa.stress_gain": 10**400}}, "parameters.hpa.stress_gain",
     "finite number"),
    ((SC,), {"y0": np.zeros(3)}, "y0", "expected shape"),
    ((SC,), {"y0": "abc"}, "y0", "numbers"),
    ((SC,), {"rtol": -1}, "rtol", "1e-10 to 1e-2"),
    ((SC,), {"rtol": "tight"}, "rtol", "1e-10 to 1e-2"),
    ((SC,), {"burn_in_days": -5}, "burn_in_days", "whole number"),
    ((SC,), {"burn_in_days": 2.5}, "burn_in_days", "whole number"),
    ((SC,), {"parameter_set": 3}, "parameter_set", "name of a parameter set"),
    ((SC,), {"progress": 3}, "progress", "function"),
    ((SC,), {"include_states": "yes"}, "include_states", "true or false"),
])
def test_bad_api_arguments_raise_scenario_errors(args, kwargs, field, text):
    with pytest.raises(ScenarioError) as info:
        simulate(*args, **kwargs)
    assert info.value.field == field and text in str(info.value)


def test_misspelt_parameter_id_gets_a_suggestion():
    with pytest.raises(ScenarioError, match="did you mean 'hpa.stress_gain'"):
        check_parameter_mapping(default_model(), {"hpa.stres_gain": 1.0})


def test_huge_values_are_not_echoed_in_full():
    with pytest.raises(ScenarioError) as info:
        check_parameter_mapping(default_model(), {"hpa.stress_gain": "x" * 100_000})
    assert len(str(info.value)) < 400 and "100,002 characters" in str(info.value)


def test_cohort_checks_its_arguments():
    with pytest.raises(ScenarioError, match="^n:"):
        simulate_cohort(SC, n=0)
    with pytest.raises(ScenarioError, match="^parameters:"):
        simulate_cohort(SC, n=2, parameters=[1])


def test_a_mapping_is_accepted_as_a_scenario():
    ds = simulate({"name": "d", "duration": "2 h"}, burn_in_days=0)
    assert ds.attrs["scenario"] == "d"
