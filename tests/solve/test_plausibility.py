"""Plausible human ranges of the observables: declared for every observable in its unit,
warnings in attrs/CLI/report for results outside, and the capped sum of stacked stressors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from nicsim import simulate
from nicsim._default import default_model
from nicsim.cli import app
from nicsim.core.unitcheck import same_unit
from nicsim.core.units import canonical_unit
from nicsim.model.plausible_ranges import PLAUSIBLE
from nicsim.protocols import Scenario, compile_schedule
from nicsim.protocols.schedule import INTENSITY_CAPS
from nicsim.solve.plausibility import warnings_of
from nicsim.solve.problem import observable_names
from nicsim.solve.simulate import simulate_cohort

ROOT = Path(__file__).resolve().parents[2]


def _stressors(n: int, intensity: float, **extra) -> Scenario:
    ev = [{"type": "acute_stressor", "start": "day 1 10:00", "duration": "20 min",
           "intensity": intensity} for _ in range(n)]
    return Scenario.from_dict({"name": f"{n} x {intensity}", "start": "07:00",
                               "duration": "8 h", "protocol": ev, **extra})


def test_every_observable_has_a_sourced_range_in_its_unit():
    model = default_model()
    units = {o.name: o.unit for o in model.outputs} | {s.name: s.unit for s in model.states}
    names = observable_names(model)
    assert sorted(PLAUSIBLE) == sorted(names)
    for name, r in PLAUSIBLE.items():
        assert r.lower < r.upper, name
        assert r.source.describe(), name
        assert same_unit(canonical_unit(r.unit), canonical_unit(units[name])), (name, r.unit)


def test_stacked_stressors_combine_by_capped_sum():
    model = default_model()
    col = model.exogenous.index("acute_stressor")

    def level(sc):
        s = compile_schedule(sc, model.exogenous)
        return float(s.inputs[:, col].max())

    assert level(_stressors(2, 1.0)) == pytest.approx(2.0)  # linear below the cap
    assert level(_stressors(4, 3.0)) == INTENSITY_CAPS["acute_stressor"] == 3.0
    one, four = simulate(_stressors(1, 3.0)), simulate(_stressors(4, 3.0))
    # four overlapping intensity-3 stressors are no worse than one (HR was 208 bpm when summed)
    np.testing.assert_allclose(four.heart_rate.values, one.heart_rate.values, rtol=1e-9)
    assert float(four.heart_rate.max()) < PLAUSIBLE["heart_rate"].upper
    assert not [m for m in warnings_of(four) if m.startswith("heart_rate")]
    # known model finding, left visible: one intensity-3 stressor mobilises NK cells to
    # 118 % "lysis" (the NK read-out does not saturate); the warning reports it
    assert [m.split(" ")[0] for m in warnings_of(one)] == ["nk_activity"]


@pytest.mark.parametrize("name", ["tsst", "endotoxemia", "interventions"])
def test_example_scenarios_stay_in_the_plausible_ranges(name):
    ds = simulate(Scenario.from_yaml(ROOT / "examples" / "scenarios" / f"{name}.yaml"))
    assert ds.attrs["plausibility_warning_count"] == 0, warnings_of(ds)


def test_result_outside_a_range_warns_in_attrs_and_cli(tmp_path):
    """A parameter inside its domain can still drive an observable out of human physiology:
    a warning, not an error (the run completes, exit code 0)."""
    spec = {"name": "steep heart", "start": "07:00", "duration": "4 h", "protocol": [],
            "parameters": {"ans.hr_per_sns": 300}}  # domain <= 1000 bpm; nominal 10
    ds = simulate(Scenario.from_dict(spec))
    msgs = warnings_of(ds)
    assert ds.attrs["plausibility_warning_count"] == len(msgs) >= 1
    assert any(m.startswith("heart_rate falls to -") and "below the plausible human range "
               "30-200 bpm" in m for m in msgs), msgs
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec))
    res = CliRunner().invoke(app, ["simulate", str(path)])
    assert res.exit_code == 0, res.output
    assert "warning: heart_rate falls to" in res.output


def test_cohort_results_carry_warnings_with_subject_counts():
    model = default_model()
    sc = _stressors(1, 1.0, duration="4 h")
    P = np.repeat(model.parameter_vector()[None, :], 3, axis=0)
    P[2, model.parameter_index("ans.hr_per_sns")] *= 30
    ds = simulate_cohort(sc, P=P, burn_in_days=1)
    msgs = warnings_of(ds)
    assert any(m.startswith("heart_rate") and "in 1 of 3 subjects" in m for m in msgs), msgs


def test_docs_show_the_ranges_of_the_code():
    from nicsim.model.plausible_ranges import to_markdown

    assert to_markdown() in (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
