"""Read-out vocabulary: validation errors name the field; statistics on known series."""

import numpy as np
import pytest

from nicsim.analysis.readouts import (
    ReadOut,
    compute_readouts,
    readout_times,
    resolve_readouts,
)
from nicsim.errors import ScenarioError
from nicsim.protocols import Scenario

SC = Scenario.from_dict({"name": "r", "start": "07:00", "duration": "2 days",
                         "output_interval": "1 h"})


def _resolve(*items, units=None):
    return resolve_readouts([ReadOut.model_validate(i) for i in items], SC, units)


@pytest.mark.parametrize("item, field", [
    ({"output": "x", "stat": "maximum"}, "stat"),
    ({"output": "x", "stat": "value"}, "at"),
    ({"output": "x", "stat": "peak", "at": "day 2"}, "at"),
    ({"output": "x", "stat": "peak", "baseline": "day 2"}, "baseline"),
    ({"output": "x", "stat": "peak", "window": {"from": "day 2", "until": "day 3"}},
     "window.until"),
    ({"output": "", "stat": "peak"}, "output"),
    ({"output": "x", "stat": "peak", "name": "1bad"}, "name"),
    ({"output": "x", "stat": "peak", "colour": 1}, "colour"),
])
def test_readout_errors_name_the_field(item, field):
    with pytest.raises(ScenarioError) as e:
        ReadOut.model_validate(item)
    assert e.value.field == field


def test_resolution_errors_name_the_field():
    with pytest.raises(ScenarioError) as e:
        _resolve({"output": "x", "stat": "peak", "window": {"from": "day 4", "to": "day 4 10:00"}})
    assert e.value.field == "outputs[0].window.from"
    with pytest.raises(ScenarioError) as e:
        _resolve({"output": "x", "stat": "peak", "window": {"from": "day 2 10:00",
                                                            "to": "day 2 09:00"}})
    assert e.value.field == "outputs[0].window.to"
    with pytest.raises(ScenarioError) as e:
        _resolve({"output": "nope", "stat": "peak"}, units={"x": "nmol/L"})
    assert e.value.field == "outputs[0].output" and "x" in e.value.allowed
    with pytest.raises(ScenarioError) as e:
        _resolve({"output": "x", "stat": "peak"}, {"output": "x", "stat": "peak"})
    assert e.value.field == "outputs[1].name"


def test_statistics_on_a_known_series():
    ros = _resolve(
        {"output": "x", "stat": "peak", "window": {"from": "+2 h", "to": "+10 h"}},
        {"output": "x", "stat": "min", "window": {"from": "+2 h", "to": "+10 h"}},
        {"output": "x", "stat": "mean", "window": {"from": "+2 h", "to": "+10 h"}},
        {"output": "x", "stat": "auc", "window": {"from": "+2 h", "to": "+10 h"}},
        {"output": "x", "stat": "value", "at": "+4.5 h"},
        {"output": "x", "stat": "time_of_peak", "window": {"from": "+2 h", "to": "+10 h"}},
        {"output": "x", "stat": "rise", "window": {"from": "+2 h", "to": "+10 h"}},
        {"output": "x", "stat": "fold", "window": {"from": "+2 h", "to": "+10 h"},
         "baseline": "+1 h"},
        units={"x": "nmol/L"})
    assert [r.unit for r in ros][:4] == ["nmol/L", "nmol/L", "nmol/L", "nmol/L*h"]
    t = readout_times(ros, SC.output_times())
    assert 4.5 in t and 2.0 in t and 10.0 in t
    x = np.vstack([1.0 + t, 2.0 * (1.0 + t)])  # two runs, linear in time
    v = compute_readouts(ros, t, {"x": x})
    np.testing.assert_allclose(v[0], [11, 3, 7, 56, 5.5, 8, 8, 11 / 2])
    np.testing.assert_allclose(v[1], [22, 6, 14, 112, 11, 8, 16, 11 / 2])
