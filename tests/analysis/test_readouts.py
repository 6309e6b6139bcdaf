"""Read-out vocabulary: validation errors name the field; statistics on known series."""

import numpy as np
import pytest

from nicsim.analysis.readouts import (
    ReadOut,
    Window,
    between,
    compute_readouts,
    peak,
    place_time,
    readout_times,
    resolve_readouts,
    trough,
    value_at,
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


def test_one_window_for_read_outs_and_trial_outcomes():
    """Trial outcomes and sensitivity read-outs share one Window; both accept 'end'."""
    from nicsim.analysis import outcomes

    assert outcomes.MeanOutcome.model_fields["window"].annotation is Window
    (r,) = _resolve({"output": "x", "stat": "mean", "window": {"from": "day 2", "to": "end"}})
    assert (r.t0, r.t1) == (17.0, 48.0)
    (v,) = _resolve({"output": "x", "stat": "value", "at": "end"})
    assert v.t_ref == 48.0
    with pytest.raises(ScenarioError) as e:
        _resolve({"output": "x", "stat": "peak", "window": {"from": "end", "to": "end"}})
    assert e.value.field == "outputs[0].window.from"
    with pytest.raises(ScenarioError) as e:
        Window.model_validate({"from": "day 2", "to": "tomorrow"})
    assert "tomorrow" in str(e.value)


def test_dataset_reductions_on_a_known_series():
    import xarray as xr

    t = np.arange(0.0, 10.5, 0.5)
    y = -(t - 4.0) ** 2 + 20.0  # peak 20 at t = 4, lowest in [0, 10] at t = 10
    ds = xr.Dataset({"y": ("time", y)}, coords={"time": t})
    assert value_at(ds, "y", 4.25) == pytest.approx(0.5 * (20.0 + 19.75))
    assert list(between(ds, 2.0, 3.0).time.values) == [2.0, 2.5, 3.0]
    assert peak(ds, "y", 0.0, 10.0) == (20.0, 4.0)
    assert peak(ds, "y", 5.0, 8.0) == (19.0, 5.0)
    assert trough(ds, "y", 0.0, 10.0) == (-16.0, 10.0)
    assert place_time("end", field="f", start_clock_h=7.0, duration_h=48.0) == 48.0
    assert place_time("day 2 07:00", field="f", start_clock_h=7.0, duration_h=48.0) == 24.0
