"""The gut-skin axis (M10): directions and sizes against the sources in model/gut_skin.py."""

import numpy as np
import pytest

from nicsim import Scenario, simulate
from nicsim.model import gut_skin


def _outputs(stress=0.0, **values):
    m = gut_skin.build()
    subs = {m.inputs["stress_signal"].symbol: stress}
    for name, p in m.parameters.items():
        subs[p.symbol] = values.get(name, p.value)
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
