"""Between-person distributions of parameters: log-normal around a mean, beta for fractions."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from nicsim.core import Assumption, Beta, LogNormal, Module
from nicsim.errors import ModelError
from nicsim.solve.simulate import sample_parameters


def test_beta_draws_keep_the_mean_and_the_declared_spread():
    d = Beta(3.67)
    z = np.random.default_rng(0).standard_normal(200_000)
    x = d.draw(0.565, z)
    assert x.min() >= 0 and x.max() <= 1
    assert x.mean() == pytest.approx(0.565, abs=0.003)
    assert np.mean(x > 0.75) == pytest.approx(0.25, abs=0.005)
    assert x.std() / x.mean() == pytest.approx(d.cv_at(0.565), rel=0.01)
    # monotone in z: one normal stream per parameter keeps persons' ranks
    assert np.all(np.diff(d.draw(0.5, np.linspace(-3, 3, 50))) > 0)


def test_beta_around_a_bound_has_no_spread_and_arrays_work():
    d = Beta(3.0)
    assert np.all(d.draw(1.0, np.array([-2.0, 0.0, 2.0])) == 1.0)
    assert np.all(d.draw(0.0, np.array([-2.0, 2.0])) == 0.0)
    out = d.draw(np.array([0.2, 1.0, 0.8]), np.zeros(3))
    assert out[1] == 1.0 and 0.1 < out[0] < 0.25 and 0.75 < out[2] < 0.9
    assert d.cv_at(1.0) == 0.0


def test_beta_is_refused_for_a_parameter_that_is_not_a_fraction():
    m = Module("toy", "toy")
    with pytest.raises(ModelError, match="toy.gain: a beta distribution needs a fraction"):
        m.parameter("gain", 2.0, "dimensionless", Assumption("test"), bounds=(0, 5),
                    distribution=Beta(3.0))
    with pytest.raises(ModelError, match="concentration"):
        m.parameter("share", 0.5, "dimensionless", Assumption("test"), bounds=(0, 1),
                    distribution=Beta(0.0))
    with pytest.raises(ModelError, match="LogNormal"):
        m.parameter("other", 0.5, "dimensionless", Assumption("test"), distribution=0.3)


def test_sample_parameters_draws_each_declared_kind():
    m = Module("toy", "toy")
    m.parameter("share", 0.6, "dimensionless", Assumption("test"), bounds=(0, 1),
                distribution=Beta(4.0))
    m.parameter("rate", 2.0, "1/h", Assumption("test"), distribution=LogNormal(0.3))
    m.parameter("fixed", 1.0, "dimensionless", Assumption("test"))
    params = list(m.parameters.values())
    model = SimpleNamespace(parameters=params)
    P = sample_parameters(model, np.array([0.6, 2.0, 1.0]), 20_000, 3)
    assert P[:, 0].mean() == pytest.approx(0.6, abs=0.01) and P[:, 0].max() < 1
    assert P[:, 0].std() == pytest.approx(np.sqrt(0.6 * 0.4 / 5), rel=0.05)
    assert P[:, 1].mean() == pytest.approx(2.0, rel=0.02)
    assert P[:, 1].std() / P[:, 1].mean() == pytest.approx(0.3, rel=0.05)
    assert np.all(P[:, 2] == 1.0)
    # the same root seed gives the same persons
    np.testing.assert_array_equal(P, sample_parameters(model, np.array([0.6, 2.0, 1.0]),
                                                       20_000, 3))
