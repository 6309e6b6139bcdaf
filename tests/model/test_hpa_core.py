"""The rebuilt HPA core (issue 11, section 3): releasable ACTH store, adrenal Hill and sources."""

from nicsim.core.sources import Fitted, Literature
from nicsim.model import hpa
from nicsim.parameter_sets import load_parameter_set
from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"}}


def _day(protocol):
    return simulate(Scenario.from_dict({
        "name": "t", "start": "06:00", "duration": "12 h", "output_interval": "10 min",
        "person": PERSON, "protocol": protocol}))


def test_lps_drives_acth_far_up_and_the_depleted_store_brings_it_back_down():
    calm = _day([])
    lps = _day([{"type": "lps_bolus", "at": "day 1 09:00", "dose": "2 ng/kg"}])
    after = lps.acth.sel(time=slice(3.0, 12.0))
    assert float(after.max()) > 10 * float(calm.acth.sel(time=slice(3.0, 12.0)).max())
    # ACTH falls from its peak within the 9 h after LPS (store depleted), not a plateau
    assert float(after[-1]) < 0.5 * float(after.max())


def _param(name):
    return hpa.build().parameters[name]


def test_adrenal_dose_response_is_moderate_and_its_anchors_are_measured():
    values = load_parameter_set("default")["values"]
    assert 1.0 <= values.get("hpa.acth_n", _param("acth_n").value) <= 2.0
    for name in ("secretion_max", "acth_ec50"):
        p = _param(name)
        assert isinstance(p.source, Literature), name
        assert f"hpa.{name}" not in values, f"hpa.{name} is measured, not fitted"


def test_no_hpa_parameter_is_fitted_to_a_prediction_row():
    for p in hpa.build().parameters.values():
        if isinstance(p.source, Fitted):
            assert not {r for r in p.source.rows if r[:3] in {f"V3{i}" for i in range(1, 8)}}
