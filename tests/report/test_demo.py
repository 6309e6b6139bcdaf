"""The demo: eczema-prone skin through a stressful stretch, with and without a plan.

Files, summary table, and that the story holds: the stretch worsens skin, itch, barrier and
distress; regulation practices lower evening cortisol and the TSST-window peak; skincare on top
keeps the skin near her usual state.
"""

from __future__ import annotations

import io
import math

import pytest
import xarray as xr
from rich.console import Console

from nicsim.report import ARMS, format_summary_table, run_demo
from nicsim.report.demo import DISCLAIMER, METRICS, PANELS, build_scenarios, daily_stats

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ARM_KEYS = ["calm", "stressful", "stressful_regulation", "stressful_plan"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    calls = []
    result = run_demo(out, progress=lambda done, total: calls.append((done, total)))
    return out, result, calls


def test_scenarios_follow_the_design():
    sc = build_scenarios()
    assert list(sc) == ARM_KEYS
    for s in sc.values():
        assert s.start == "07:00" and s.start_weekday == "monday"
        assert s.duration_h == pytest.approx(8 * 168.0)
        assert s.output_interval_h == pytest.approx(1 / 6)
        assert s.person.susceptibility.eczema == pytest.approx(1.0)
        assert (s.person.sleep.bedtime, s.person.sleep.wake) == ("23:00", "07:00")
    tl = sc["stressful"].timeline()
    work = tl.pulses["chronic_stressor"]
    assert len(work.on) == 20  # weekdays of weeks 3-6
    assert [(a + 7) % 24 for a in work.on] == pytest.approx([9.0] * 20)
    assert min(work.on) == pytest.approx(14 * 24 + 2.0)      # day 15 (Monday) 09:00
    acute = tl.pulses["acute_stressor"]
    assert list(acute.on) == pytest.approx([37 * 24 + 7.0])  # day 38, 14:00
    assert "chronic_stressor" not in sc["calm"].timeline().pulses
    for key in ("calm", "stressful"):
        assert not {"slow_breathing", "emollient"} & set(sc[key].timeline().pulses)
    reg = sc["stressful_regulation"].timeline().pulses
    assert "slow_breathing" in reg and "emollient" not in reg
    plan = sc["stressful_plan"].timeline().pulses
    assert {"slow_breathing", "mindfulness_practice", "emollient"} <= set(plan)


def test_files(demo):
    out, result, calls = demo
    assert calls[0] == (0, 4) and calls[-1] == (4, 4) and len(calls) == 5
    html = out / "demo.html"
    assert result.html_path == html and html.is_file()
    text = html.read_text(encoding="utf-8")
    assert DISCLAIMER in text and "not a diagnosis" in text and "eczema" in text
    assert "<script" not in text
    assert set(result.figure_paths) == {name for name, _ in PANELS}
    for path in result.figure_paths.values():
        assert path.parent == out / "figures"
        data = path.read_bytes()
        assert data[:8] == PNG_MAGIC and len(data) > 20_000
        assert f'src="figures/{path.name}"' in text
    for key in ARM_KEYS:
        assert result.netcdf_paths[key] == out / f"{key}.nc"
    with xr.open_dataset(out / "stressful_plan.nc", engine="h5netcdf") as ds:
        assert ds.sizes["time"] == 8 * 7 * 24 * 6 + 1
        assert float(ds.input_emollient.max()) == pytest.approx(1.0)
        assert {"easi", "eczema_itch", "tewl", "dlqi"} <= set(ds.data_vars)
        assert "scenario_yaml" in ds.attrs


def test_summary_table_fits_80_columns(demo):
    _, result, _ = demo
    assert [r["arm"] for r in result.table] == ARM_KEYS
    for row in result.table:
        for key, *_ in METRICS:
            assert math.isfinite(row[key]), (row["arm"], key)
    assert [a.key for a in ARMS] == ARM_KEYS
    table = format_summary_table(result)
    assert len(table.columns) == 1 + 4 and table.row_count == len(METRICS)
    buf = io.StringIO()
    Console(file=buf, width=80, color_system=None).print(table)
    lines = buf.getvalue().splitlines()
    assert max(len(ln) for ln in lines) <= 80
    for _, header, unit, _ in METRICS:  # every metric on one line, not wrapped
        assert any(f"{header} ({unit})" in ln for ln in lines), header


def test_her_usual_skin_is_settled(demo):
    _, result, _ = demo
    calm = result.row("calm")
    ds = result.datasets["calm"]
    _, mean, _, _ = daily_stats(ds, "easi", 7.0)
    assert abs(mean[-1] - mean[0]) < 0.05 * mean[0]       # no drift without the stretch
    assert 5.0 < calm["easi_week6"] < 20.0                 # mild-to-moderate eczema


def test_the_stretch_reaches_the_skin(demo):
    _, result, _ = demo
    calm, stress = result.row("calm"), result.row("stressful")
    assert stress["easi_week6"] > calm["easi_week6"] + 1.5
    assert stress["itch_week6"] > calm["itch_week6"] + 0.3
    assert stress["tewl_week6"] > calm["tewl_week6"]
    assert stress["dlqi_week6"] > calm["dlqi_week6"] + 0.5
    assert stress["perceived_stress"] > calm["perceived_stress"] + 2.0
    assert stress["tsst_peak"] > calm["tsst_peak"] + 100.0   # only the stressful arms present
    assert stress["cortisol_evening"] > calm["cortisol_evening"]


def test_regulation_practices_act_on_the_stress_systems(demo):
    _, result, _ = demo
    stress, reg = result.row("stressful"), result.row("stressful_regulation")
    # a modest fall, as in the mindfulness meta-analyses (Sanada et al. 2016; V18): about 5 %
    # on the rebuilt HPA core
    assert reg["cortisol_evening"] < 0.97 * stress["cortisol_evening"]
    assert reg["tsst_peak"] < stress["tsst_peak"] - 20.0
    assert reg["rmssd_mean"] > stress["rmssd_mean"] + 2.0
    assert reg["perceived_stress"] < stress["perceived_stress"]
    assert reg["easi_week6"] < stress["easi_week6"]


def test_skincare_on_top_keeps_the_skin_near_her_usual_state(demo):
    _, result, _ = demo
    calm, reg, plan = (result.row(k) for k in ("calm", "stressful_regulation", "stressful_plan"))
    assert plan["easi_week6"] < reg["easi_week6"] - 1.5
    assert plan["tewl_week6"] < reg["tewl_week6"]
    assert plan["itch_week6"] < reg["itch_week6"]
    assert plan["dlqi_week6"] < reg["dlqi_week6"]
    assert plan["easi_week6"] < calm["easi_week6"] + 1.0
    assert plan["easi_week8"] < reg["easi_week8"]
