"""One trait table drives the person, its parameter overrides and population sampling."""

from __future__ import annotations

import numpy as np
import pytest

from nicsim._default import default_model
from nicsim.analysis.population import population_spec_model, sample_population
from nicsim.errors import ScenarioError
from nicsim.protocols.traits import TRAITS, NumberTrait, TraitTable

#: a trait the package's table does not have, moving a parameter no other trait moves
EXTRA = NumberTrait("barrier_tolerance", 0.5, 2.0, 1.0, "gut_skin.stress_gain",
                    "test trait", kind="multiplier")


@pytest.fixture(scope="module")
def table():
    assert EXTRA.parameter not in {getattr(t, "parameter", "") for t in TRAITS}
    return TraitTable((*TRAITS, EXTRA))


def test_a_new_trait_shows_up_in_the_person_with_its_range(table):
    assert table.person().barrier_tolerance == 1.0
    assert table.person(barrier_tolerance=2.0).barrier_tolerance == 2.0
    with pytest.raises(ScenarioError):
        table.person(barrier_tolerance=2.01)


def test_a_new_trait_moves_its_parameter(table):
    assert table.person_overrides(table.person(barrier_tolerance=1.7), 7.0)[
        "gut_skin.stress_gain"] == 1.7


def test_a_new_trait_is_sampled_by_the_population(table):
    model = default_model()
    spec_model = population_spec_model(table)
    spec = spec_model.from_dict({"barrier_tolerance": {"uniform": {"min": 0.8, "max": 1.5}}})
    ds = sample_population(spec, 200, 3, model=model)
    x = ds.barrier_tolerance.values
    assert ds.barrier_tolerance.attrs["sampled"] == 1
    assert 0.8 <= x.min() < 0.9 and 1.4 < x.max() <= 1.5
    np.testing.assert_allclose(ds.parameters.sel(parameter="gut_skin.stress_gain").values, x)
    with pytest.raises(ScenarioError, match="barrier_tolerance"):
        spec_model.from_dict({"barrier_tolerance": 3.0})
