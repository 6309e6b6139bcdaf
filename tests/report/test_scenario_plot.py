"""The scenario figure: one axis per quantity, clock time, skin panels, protocol track, daily
means for long runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from nicsim.protocols import Scenario
from nicsim.report.scenario_plot import (
    _daily,
    _event_rows,
    _select_panels,
    _time_axis,
    plot_scenario,
)
from nicsim.solve.simulate import simulate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tsst():
    sc = Scenario.from_yaml(EXAMPLES / "tsst.yaml")
    return sc, simulate(sc)


@pytest.fixture(scope="module")
def flare():
    """The vicious-cycle person over 24 weeks: her stressor in weeks 16-20, no plan."""
    d = yaml.safe_load((EXAMPLES / "vicious_cycle.yaml").read_text())
    d.update({"duration": "24 weeks", "protocol": d["protocol"][:1]})
    sc = Scenario.from_dict(d)
    return sc, simulate(sc)


def test_tsst_figure_separates_serum_and_saliva_on_clock_time(tsst, tmp_path):
    sc, ds = tsst
    groups = [g for g, _ in _select_panels(ds)]
    assert ("cortisol_serum",) in groups and ("cortisol_saliva",) in groups
    assert not any({"pasi", "easi", "dlqi", "tewl"} & set(g) for g in groups)  # no skin disease
    assert _time_axis(float(ds.time[-1]), sc.start_clock_h, 0).mode == "hours"
    rows = _event_rows(sc, ds, _time_axis(float(ds.time[-1]), sc.start_clock_h, 0))
    assert [r.label for r in rows] == ["acute stressor"]
    (a, b), = rows[0].spans
    assert (a + sc.start_clock_h) % 24 == pytest.approx(14.0) and b - a == pytest.approx(1 / 3)
    path = plot_scenario(ds, tmp_path / "tsst.png", scenario=sc)
    assert path.read_bytes()[:8] == PNG_MAGIC


def test_long_runs_show_skin_and_daily_means(flare, tmp_path):
    sc, ds = flare
    groups = [g for g, _ in _select_panels(ds)]
    assert groups[0] == ("pasi",) and ("dlqi",) in groups
    axis = _time_axis(float(ds.time[-1]), sc.start_clock_h, 0)
    assert axis.mode == "weeks"
    t, v = ds.time.values, ds.cortisol_serum.values
    xm, mean, lo, hi = _daily(t, v, sc.start_clock_h)
    assert len(xm) >= 24 * 7 - 1 and np.all(lo <= mean) and np.all(mean <= hi)
    assert np.median(hi - lo) > 50.0     # the daily rhythm is a band, not a solid block of lines
    rows = _event_rows(sc, ds, axis)
    assert [r.label for r in rows] == ["chronic stressor"]
    assert len(rows[0].spans) == 1          # the 4-week stressor is one period
    a, b = rows[0].spans[0]
    assert (b - a) / 24.0 == pytest.approx(28.0)
    path = plot_scenario(ds, tmp_path / "flare.png", scenario=sc)
    assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 30_000


def test_without_the_scenario_the_track_shows_the_inputs(flare, tmp_path):
    sc, ds = flare
    rows = _event_rows(None, ds, _time_axis(float(ds.time[-1]), sc.start_clock_h, None))
    assert [r.label for r in rows] == ["chronic stressor"]
    assert plot_scenario(ds, tmp_path / "f.png").is_file()
