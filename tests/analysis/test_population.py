"""Virtual populations: reproducibility, trait and parameter distributions, copula, summaries."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from nicsim._default import default_model
from nicsim.analysis.population import (
    PopulationSpec,
    persons,
    sample_population,
    summarize,
    trait_parameters,
)
from nicsim.core.units import to_canonical
from nicsim.errors import ScenarioError

SPEC = {
    "sex": {"male": 0.3},
    "age": {"normal": {"mean": 40, "sd": 12, "min": 18, "max": 80}},
    "susceptibility": {"eczema": {"lognormal": {"median": 1, "cv": 0.5}}},
    "lesion_visibility": {"beta": {"a": 2, "b": 3}},
    "social_support": {"uniform": {"min": 0.2, "max": 0.9}},
    "hsv1_seropositive": {"probability": 0.6},
}
N = 4000


@pytest.fixture(scope="module")
def model():
    return default_model()


@pytest.fixture(scope="module")
def big(model):
    return sample_population(SPEC, N, 11, model=model)


def _p(ds, model, pid):
    """Parameter values of every subject in the parameter's declared unit."""
    unit = model.parameters[model.parameter_index(pid)].unit
    b = to_canonical(0.0, unit)[0]
    a = to_canonical(1.0, unit)[0] - b
    return (ds.parameters.sel(parameter=pid).values - b) / a


def test_reproducible_per_seed_and_prefix_stable(model):
    a = sample_population(SPEC, 60, 5, model=model)
    b = sample_population(SPEC, 60, 5, model=model)
    xr.testing.assert_identical(a, b)
    c = sample_population(SPEC, 60, 6, model=model)
    assert not np.array_equal(a.age.values, c.age.values)
    d = sample_population(SPEC, 120, 5, model=model)  # the first persons stay the same
    xr.testing.assert_identical(a, d.isel(subject=slice(0, 60)).assign_coords(
        parameter_varies=a.parameter_varies))
    g = sample_population(SPEC, 60, np.random.default_rng(5), model=model)
    assert g.age.shape == (60,)


def test_trait_distributions_are_honoured(big, model):
    se = 1 / math.sqrt(N)
    # truncated normal age
    a, b = (18 - 40) / 12, (80 - 40) / 12
    tn = stats.truncnorm(a, b, loc=40, scale=12)
    age = big.age.values
    assert age.min() >= 18 and age.max() <= 80
    assert age.mean() == pytest.approx(tn.mean(), abs=4 * tn.std() * se)
    assert age.std(ddof=1) == pytest.approx(tn.std(), rel=0.05)
    # log-normal susceptibility: median and cv
    ecz = big.susceptibility_eczema.values
    assert np.median(ecz) == pytest.approx(1.0, rel=0.05)
    assert ecz.std(ddof=1) / ecz.mean() == pytest.approx(0.5, abs=0.05)
    # categorical and boolean traits
    assert big.male.values.mean() == pytest.approx(0.3, abs=4 * math.sqrt(0.21) * se)
    assert set(big.sex.values) == {"male", "female"}
    assert np.array_equal(big.sex.values == "male", big.male.values == 1)
    assert big.hsv1_seropositive.values.mean() == pytest.approx(0.6, abs=4 * 0.49 * se)
    # beta and uniform
    vis = big.lesion_visibility.values
    assert vis.mean() == pytest.approx(2 / 5, abs=4 * stats.beta(2, 3).std() * se)
    sup = big.social_support.values
    assert sup.min() >= 0.2 and sup.max() <= 0.9
    assert sup.mean() == pytest.approx(0.55, abs=0.02)
    # unsampled traits keep the Person defaults
    assert np.all(big.stress_reactivity.values == 1.0)
    assert big.age.attrs["sampled"] == 1 and big.stress_reactivity.attrs["sampled"] == 0


def test_traits_become_parameters_through_traits_py(big, model):
    mapping = trait_parameters(model)
    assert mapping["sex"] == {"hpa.male"} and mapping["age"] == {"ans.age"}
    assert np.array_equal(_p(big, model, "hpa.male"), big.male.values.astype(float))
    assert np.allclose(_p(big, model, "ans.age"), big.age.values)
    assert np.array_equal(_p(big, model, "herpes.seropositive"),
                          big.hsv1_seropositive.values.astype(float))
    ps = persons(big.isel(subject=slice(0, 3)))
    assert [p.sex for p in ps] == list(big.sex.values[:3])
    assert ps[0].age == pytest.approx(float(big.age.values[0]))


def test_declared_parameter_distributions(big, model):
    j = model.parameter_index("ans.rmssd_0")
    prm = model.parameters[j]
    x = _p(big, model, "ans.rmssd_0")
    base = prm.value
    assert x.mean() / base == pytest.approx(1.0, abs=0.03)  # mean-preserving log-normal
    assert x.std(ddof=1) / x.mean() == pytest.approx(prm.distribution.cv, abs=0.04)
    assert big.parameter_varies.sel(parameter="ans.rmssd_0") == 1
    assert big.parameter_varies.sel(parameter="hpa.cortisol_half_life"
                                    if "hpa.cortisol_half_life" in model.parameter_ids
                                    else model.parameter_ids[0]) == 0


def test_trait_distribution_replaces_the_declared_one_and_spec_parameters(model):
    spec = {"stress_reactivity": {"lognormal": {"median": 1.2, "cv": 0.3}},
            "parameters": {"ans.rmssd_0": {"normal": {"mean": 50, "sd": 5}},
                           "ans.hr_0": 60.0},
            "vary_parameters": True}
    ds = sample_population(spec, 2000, 3, model=model)
    f = _p(ds, model, "psyche.f_stress_reactivity")
    assert np.allclose(f, ds.stress_reactivity.values)  # not multiplied by the declared spread
    assert np.median(f) == pytest.approx(1.2, rel=0.05)
    rm = _p(ds, model, "ans.rmssd_0")
    assert rm.mean() == pytest.approx(50, abs=0.5) and rm.std() == pytest.approx(5, rel=0.08)
    hr = _p(ds, model, "ans.hr_0")
    assert hr.mean() == pytest.approx(60, rel=0.02)  # typical value; declared cv still applies
    assert hr.std() / hr.mean() == pytest.approx(0.12, abs=0.02)
    fixed = sample_population({"vary_parameters": False, "age": 55}, 20, 3, model=model)
    assert int(fixed.parameter_varies.sum()) == 0
    assert np.all(_p(fixed, model, "ans.age") == 55)


def test_gaussian_copula_correlations(model):
    spec = {**SPEC, "correlations": [
        {"between": ["age", "susceptibility.eczema"], "rho": 0.6, "source": "test value"},
        {"between": ["lesion_visibility", "ans.rmssd_0"], "rho": -0.5, "source": "test value"}]}
    ds = sample_population(spec, N, 2, model=model)
    rho_s = stats.spearmanr(ds.age.values, ds.susceptibility_eczema.values).statistic
    assert rho_s == pytest.approx(6 / math.pi * math.asin(0.6 / 2), abs=0.04)
    rho_s2 = stats.spearmanr(ds.lesion_visibility.values,
                             _p(ds, model, "ans.rmssd_0")).statistic
    assert rho_s2 == pytest.approx(6 / math.pi * math.asin(-0.5 / 2), abs=0.04)
    # marginals are unchanged by the copula
    ind = sample_population(SPEC, N, 2, model=model)
    assert ds.age.mean() == pytest.approx(float(ind.age.mean()), abs=0.6)
    assert abs(stats.spearmanr(ind.age.values, ind.susceptibility_eczema.values).statistic) < 0.05


@pytest.mark.parametrize("spec, field", [
    ({"age": {"normal": {"mean": 40, "sd": -1}}}, "age.normal.sd"),
    ({"age": 12}, "age"),
    ({"agee": 30}, "agee"),
    ({"sex": {"male": 1.5}}, "sex.male"),
    ({"age": {"normal": {"mean": 40, "sd": 5}, "uniform": {"min": 20, "max": 30}}}, "age"),
    ({"age": {"normal": {"mean": 40, "sd": 5, "min": 10}}}, "age.normal.min"),
    ({"susceptibility": {"eczema": {"lognormal": {"cv": 0.5}}}},
     "susceptibility.eczema.lognormal.median"),
    ({"correlations": [{"between": ["age", "sex"], "rho": 0.3, "source": " "}]},
     "correlations[0].source"),
    ({"correlations": [{"between": ["age", "sex"], "rho": 1.0, "source": "x"}]},
     "correlations[0].rho"),
])
def test_invalid_population_specs_name_the_field(spec, field):
    with pytest.raises(ScenarioError) as e:
        PopulationSpec.from_dict(spec)
    assert e.value.field == field, str(e.value)


def test_invalid_sampling_inputs_name_the_field(model):
    with pytest.raises(ScenarioError) as e:
        sample_population({"parameters": {"no.such": 1.0}}, 5, 0, model=model)
    assert e.value.field == "parameters.no.such"
    spec = {**SPEC, "correlations": [
        {"between": ["age", "stress_reactivity"], "rho": 0.3, "source": "x"}]}
    with pytest.raises(ScenarioError) as e:
        sample_population(spec, 5, 0, model=model, field_prefix="population.")
    assert e.value.field == "population.correlations[0].between[1]"
    impossible = {**SPEC, "correlations": [
        {"between": ["age", "lesion_visibility"], "rho": -0.9, "source": "x"},
        {"between": ["age", "social_support"], "rho": -0.9, "source": "x"},
        {"between": ["lesion_visibility", "social_support"], "rho": -0.9, "source": "x"}]}
    with pytest.raises(ScenarioError) as e:
        sample_population(impossible, 5, 0, model=model)
    assert e.value.field == "correlations" and "positive definite" in str(e.value)
    with pytest.raises(ScenarioError):
        sample_population(SPEC, 0, 0, model=model)


def test_summarize_known_values():
    x = np.arange(101, dtype=float)
    ds = xr.Dataset({"a": ("subject", x, {"units": "ms"}),
                     "b": (("subject", "time"), np.outer(x, [1.0, 2.0])),
                     "label": ("subject", np.array(["x"] * 101, dtype=object))})
    s = summarize(ds, percentiles=(5, 50, 95))
    assert list(s.statistic.values) == ["mean", "sd", "p5", "p50", "p95"]
    assert "label" not in s
    assert s.a.sel(statistic="mean") == 50 and s.a.sel(statistic="p5") == 5
    assert s.a.sel(statistic="sd") == pytest.approx(x.std(ddof=1))
    assert s.a.attrs["units"] == "ms"
    assert list(s.b.sel(statistic="p95").values) == [95.0, 190.0]
    with pytest.raises(ScenarioError):
        summarize(ds, percentiles=(120,))


def test_cohort_draws_are_keyed_by_parameter_id(model):
    """simulate_cohort's sampler: a parameter's draws depend on the seed and its id only, so a
    model with more, fewer or reordered parameters leaves the others' draws unchanged."""
    from types import SimpleNamespace

    from nicsim.solve.problem import model_parameters
    from nicsim.solve.simulate import sample_parameters

    base = model_parameters(model)
    P = sample_parameters(model, base, 50, np.random.default_rng(11))
    rev = SimpleNamespace(parameters=model.parameters[::-1][:200])
    Q = sample_parameters(rev, base[::-1][:200].copy(), 50, np.random.default_rng(11))
    varied = [j for j, p in enumerate(model.parameters) if p.distribution is not None]
    assert len(varied) > 10
    n_par = len(base)
    checked = 0
    for j in varied:
        k = n_par - 1 - j
        if k < 200:
            np.testing.assert_array_equal(P[:, j], Q[:, k])
            checked += 1
    assert checked > 3
    fixed = [j for j, p in enumerate(model.parameters) if p.distribution is None]
    assert (P[:, fixed] == base[fixed]).all()
    j = varied[0]
    assert np.std(np.log(P[:, j])) == pytest.approx(model.parameters[j].distribution.sigma,
                                                     rel=0.35)
