"""The gut-skin axis (M10): directions and sizes against the sources in model/gut_skin.py."""

import numpy as np
import pytest

from nicsim import Scenario, simulate
from nicsim.errors import ScenarioError
from nicsim.model import gut_skin


def _outputs(stress=0.0, probiotic_course=0.0, **values):
    m = gut_skin.build()
    subs = {m.inputs["stress_signal"].symbol: stress,
            m.inputs["probiotic_course"].symbol: probiotic_course}
    for name, p in m.parameters.items():
        subs[p.symbol] = values.get(name, p.value)
    # the plasma endotoxin state at its steady state (the translocated load)
    subs[m.states["gut_endotoxin_plasma"].symbol] = m.outputs["gut_endotoxin_load"].expr.subs(subs)
    return {n: float(o.expr.subs(subs)) for n, o in m.outputs.items()}


def test_every_deviation_is_exactly_zero_at_baseline():
    out = _outputs()
    assert out["gut_endotoxin_load"] == 1.0
    assert out["gut_endotoxin_factor"] == 1.0
    assert out["lactulose_mannitol_ratio"] == pytest.approx(0.030)


@pytest.mark.mechanism("M10")
def test_stress_raises_and_diet_and_probiotics_lower_the_endotoxin_factor():
    base = _outputs()["gut_endotoxin_factor"]
    assert _outputs(stress=0.5)["gut_endotoxin_factor"] > base
    assert _outputs(diet_quality=1.0)["gut_endotoxin_factor"] < base
    assert _outputs(diet_quality=-1.0)["gut_endotoxin_factor"] > base
    assert _outputs(probiotic_use=1.0)["gut_endotoxin_factor"] < base
    # Pendyala 2012: Western +71 %, prudent -31 % endotoxin; the model's symmetric fit
    assert _outputs(diet_quality=-1.0)["gut_endotoxin_load"] == pytest.approx(1.57, abs=0.1)
    assert _outputs(diet_quality=1.0)["gut_endotoxin_load"] == pytest.approx(0.64, abs=0.08)
    # probiotics: modest (LPS SMD about -0.5): between -10 % and -35 %
    assert 0.65 < _outputs(probiotic_use=1.0)["gut_endotoxin_load"] < 0.9


@pytest.mark.mechanism("M10")
def test_tsst_raises_permeability_like_public_speech_and_adds_some_il6():
    """Vanuytsel 2014: 2-h L/M x 1.5 (CRH) to x 1.97 (public speech); the gut adds a small
    part of the stress IL-6 rise."""
    sc = Scenario.from_yaml("examples/scenarios/tsst.yaml")
    ds = simulate(sc)
    ds0 = simulate(sc, parameters={"gut_skin.cytokine_exponent": 0.0})
    t = ds.time.values
    window = (t >= 31) & (t < 33)
    ratio = ds.lactulose_mannitol_ratio.values[window].mean() / 0.030
    assert 1.3 < ratio < 2.2
    pre = float(ds.il6.sel(time=30.9, method="nearest"))
    rise = float(ds.il6.sel(time=33.0, method="nearest")) - pre
    rise0 = float(ds0.il6.sel(time=33.0, method="nearest")) - pre
    assert 0 < rise - rise0 < 0.3 * rise
    assert np.all(ds.lactulose_mannitol_ratio.values[t < 30] == pytest.approx(0.030))


# ------------------------------------------------------------------ the trait and the event
def test_diet_quality_trait_moves_its_parameter():
    from nicsim.protocols.traits import Person, person_overrides

    assert person_overrides(Person(), 7.0)["gut_skin.diet_quality"] == 0.0  # the model default
    assert person_overrides(Person(diet_quality=-0.8), 7.0)["gut_skin.diet_quality"] == -0.8
    with pytest.raises(ScenarioError, match="diet_quality"):
        Person(diet_quality=1.5)


def test_population_sampling_draws_diet_quality():
    from nicsim.analysis.population import sample_population

    ds = sample_population({"diet_quality": {"normal": {"mean": 0.0, "sd": 0.5}}}, 300, 4)
    x = ds.diet_quality.values
    assert ds.diet_quality.attrs["sampled"] == 1
    assert -1.0 <= x.min() < -0.5 and 0.5 < x.max() <= 1.0
    assert abs(x.mean()) < 0.1
    np.testing.assert_allclose(ds.parameters.sel(parameter="gut_skin.diet_quality").values, x)


@pytest.mark.mechanism("M10")
def test_probiotic_course_lowers_the_gut_endotoxin_factor_by_its_sourced_size():
    """Zheng 2023 / Ghorbani 2025: plasma LPS SMD about -0.5 (about -20 %) on a probiotic;
    the basal-cytokine factor falls by (0.80)**0.25, about 5 %."""
    sc = Scenario.from_dict({
        "name": "probiotic", "duration": "3 weeks", "output_interval": "1 h",
        "protocol": [{"type": "probiotic_course", "start": "day 8", "period": "1 week"}]})
    ds = simulate(sc)
    t = ds.time.values
    before = ds.gut_endotoxin_load.values[(t > 24) & (t < 7 * 24)]
    during = ds.gut_endotoxin_load.values[(t > 8 * 24) & (t < 13 * 24)]
    after = ds.gut_endotoxin_load.values[t > 15 * 24]
    ratio = during.mean() / before.mean()
    assert 0.65 < ratio < 0.9  # modest: between -10 % and -35 %
    assert ratio == pytest.approx(np.exp(-0.22), rel=0.02)
    assert after.mean() == pytest.approx(before.mean(), rel=0.02)
    half = Scenario.from_dict({**sc.model_dump(mode="json", exclude_none=True), "protocol": [
        {"type": "probiotic_course", "start": "day 8", "period": "1 week", "adherence": 0.5}]})
    half_ratio = simulate(half).gut_endotoxin_load.values[(t > 8 * 24) & (t < 13 * 24)].mean() \
        / before.mean()
    assert ratio < half_ratio < 1.0
    out = _outputs(probiotic_course=1.0)
    assert out["gut_endotoxin_factor"] == pytest.approx(np.exp(-0.22) ** 0.25)
    assert 0.93 < out["gut_endotoxin_factor"] < 0.97  # about -5 % basal cytokine release
    # a habitual probiotic user gains nothing more from a course
    assert _outputs(probiotic_use=1.0, probiotic_course=1.0)["gut_endotoxin_load"] == \
        pytest.approx(_outputs(probiotic_use=1.0)["gut_endotoxin_load"])


def test_gut_skin_example_scenario_runs():
    ds = simulate(Scenario.from_yaml("examples/scenarios/gut_skin.yaml"))
    assert float(ds.gut_endotoxin_load.max()) > 1.0
