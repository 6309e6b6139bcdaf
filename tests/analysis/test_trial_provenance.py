"""A trial's saved spec reproduces the run (the seed actually used), and a re-run into the same
folder leaves no stale files (issue 9, item 5)."""

from __future__ import annotations

import numpy as np
import typer
import yaml
from typer.testing import CliRunner

from nicsim.analysis.trial import load_results

SPEC = {
    "name": "provenance",
    "seed": 2024,
    "subjects": 3,
    "population": {"sex": {"male": 0.5}},
    "scenario": {"start": "07:00", "protocol": []},
    "duration": "3 days",
    "arms": [{"name": "control"},
             {"name": "breathing", "protocol": [
                 {"type": "slow_breathing", "start": "day 1 07:30", "days": 2}]}],
    "outcomes": [{"name": "rmssd_post", "kind": "value", "output": "rmssd",
                  "at": "day 3 10:00"}],
    "bootstrap": {"resamples": 200},
}


def _app():
    from nicsim.cli.trial import register

    app = typer.Typer()

    @app.callback()
    def _main():
        """nicsim (test app)"""

    register(app)
    return app


def test_seed_override_is_saved_and_the_saved_spec_reproduces_the_run(tmp_path):
    spec = tmp_path / "trial.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    first = tmp_path / "first"
    r = CliRunner().invoke(_app(), ["trial", str(spec), "--seed", "7", "--out", str(first)])
    assert r.exit_code == 0, r.output
    saved = yaml.safe_load((first / "trial.yaml").read_text())
    assert saved["seed"] == 7
    again = tmp_path / "again"
    r = CliRunner().invoke(_app(), ["trial", str(first / "trial.yaml"), "--out", str(again)])
    assert r.exit_code == 0, r.output
    a, b = load_results(first / "results.nc"), load_results(again / "results.nc")
    for name in ("rmssd_post", "parameters", "effect_estimate", "effect_ci_low"):
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    default = tmp_path / "default"
    r = CliRunner().invoke(_app(), ["trial", str(spec), "--out", str(default)])
    assert r.exit_code == 0, r.output
    c = load_results(default / "results.nc")
    assert not np.array_equal(a.parameters.values, c.parameters.values)  # seed 7 != 2024


def test_rerun_into_the_same_folder_leaves_no_stale_report(tmp_path):
    spec = tmp_path / "trial.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    out = tmp_path / "out"
    r = CliRunner().invoke(_app(), ["trial", str(spec), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "report.html").is_file() and any((out / "figures").iterdir())
    r = CliRunner().invoke(_app(), ["trial", str(spec), "--out", str(out), "--no-report"])
    assert r.exit_code == 0, r.output
    assert (out / "results.nc").is_file()
    assert not (out / "report.html").exists()
    assert not (out / "figures").exists()
