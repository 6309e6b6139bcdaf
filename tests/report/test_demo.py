"""The one-week demo: files, summary table and scientific sanity of the four arms."""

from __future__ import annotations

import math

import pytest
import xarray as xr

from nicsim.report import ARMS, format_summary_table, run_demo
from nicsim.report.demo import DISCLAIMER, METRICS, PANELS, build_scenarios

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ARM_KEYS = ["calm", "stressful", "calm_breathing", "stressful_breathing"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    calls = []
    result = run_demo(out, progress=lambda done, total: calls.append((done, total)))
    return out, result, calls


def test_scenarios_follow_the_brief():
    sc = build_scenarios()
    assert list(sc) == ARM_KEYS
    for s in sc.values():
        assert s.start == "07:00" and s.start_weekday == "monday"
        assert s.duration_h == pytest.approx(168.0)
        assert s.output_interval_h == pytest.approx(1 / 6)
        assert s.person.sex == "female" and s.person.age == 35
        assert (s.person.sleep.bedtime, s.person.sleep.wake) == ("23:00", "07:00")
    tl = sc["stressful"].timeline()
    work = tl.pulses["chronic_stressor"]
    assert len(work.on) == 5  # Monday to Friday
    assert all(v == pytest.approx(0.6) for v in work.value)
    assert [(a + 7) % 24 for a in work.on] == pytest.approx([9.0] * 5)
    assert list(work.off - work.on) == pytest.approx([8.0] * 5)
    acute = tl.pulses["acute_stressor"]
    assert list(acute.on) == pytest.approx([2 * 24 + 7.0])  # day 3, 14:00
    assert list(acute.off - acute.on) == pytest.approx([1 / 3])
    night4 = [k for k, n in enumerate(tl.sleep_night) if n == 4]
    assert len(night4) == 1
    assert tl.sleep_on[night4[0]] == pytest.approx(4 * 24 - 4.0)   # Friday 03:00
    assert tl.sleep_off[night4[0]] == pytest.approx(4 * 24.0)      # Friday 07:00
    breath = sc["calm_breathing"].timeline().pulses["slow_breathing"]
    assert len(breath.on) == 7
    assert list(breath.on) == pytest.approx([0.5 + 24 * k for k in range(7)])
    assert "slow_breathing" not in sc["calm"].timeline().pulses


def test_files(demo):
    out, result, calls = demo
    assert calls[0] == (0, 4) and calls[-1] == (4, 4) and len(calls) == 5
    html = out / "demo.html"
    assert result.html_path == html and html.is_file()
    text = html.read_text()
    assert DISCLAIMER in text and "not a diagnosis" in text
    assert "<script" not in text
    assert set(result.figure_paths) == {name for name, _ in PANELS}
    for path in result.figure_paths.values():
        assert path.parent == out / "figures"
        data = path.read_bytes()
        assert data[:8] == PNG_MAGIC and len(data) > 5_000
        assert f'src="figures/{path.name}"' in text
    for key in ARM_KEYS:
        nc = out / f"{key}.nc"
        assert result.netcdf_paths[key] == nc and nc.is_file()
    with xr.open_dataset(out / "stressful.nc", engine="h5netcdf") as ds:
        assert ds.sizes["time"] == 7 * 24 * 6 + 1
        assert float(ds.input_chronic_stressor.max()) == pytest.approx(0.6)
        assert "scenario_yaml" in ds.attrs


def test_summary_table(demo):
    _, result, _ = demo
    assert [r["arm"] for r in result.table] == ARM_KEYS
    for row in result.table:
        for key, *_ in METRICS:
            assert math.isfinite(row[key]), (row["arm"], key)
    assert [a.key for a in ARMS] == ARM_KEYS
    table = format_summary_table(result)
    assert len(table.columns) == 1 + 4  # metric + one column per arm
    assert table.row_count == len(METRICS)


def test_stress_raises_cortisol_and_perceived_stress(demo):
    _, result, _ = demo
    calm, stress = result.row("calm"), result.row("stressful")
    assert stress["cortisol_mean"] > calm["cortisol_mean"]
    assert stress["perceived_stress_final"] > calm["perceived_stress_final"]
    assert stress["heart_rate_mean"] > calm["heart_rate_mean"]
    # a diurnal rhythm exists in every arm: morning peak well above the 22:00 level
    for row in result.table:
        assert row["diurnal_slope"] > 100.0
        assert row["cortisol_max"] > row["cortisol_mean"] > row["cortisol_evening"]


def test_slow_breathing_raises_rmssd(demo):
    _, result, _ = demo
    assert result.row("calm_breathing")["rmssd_mean"] > result.row("calm")["rmssd_mean"]
    assert (result.row("stressful_breathing")["rmssd_mean"]
            > result.row("stressful")["rmssd_mean"])


def test_stress_periods_visible_in_the_data(demo):
    _, result, _ = demo
    calm, stress = result.datasets["calm"], result.datasets["stressful"]
    # Wednesday 14:00-16:00 (after the TSST, within work stress): cortisol clearly higher
    sel = dict(time=slice(55.0, 57.0))
    assert float(stress.cortisol_serum.sel(**sel).mean()) > float(
        calm.cortisol_serum.sel(**sel).mean())
    # Saturday is stress-free in both arms: the protocol inputs are zero there
    sat = dict(time=slice(5 * 24 - 7 + 1, 6 * 24 - 7 - 1))
    assert float(stress.input_chronic_stressor.sel(**sat).max()) == 0.0
