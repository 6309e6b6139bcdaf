"""`nicsim sensitivity` and `nicsim loop` through Typer, on the real model (small problems)."""

from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from nicsim.cli.sensitivity import register
from nicsim.errors import ScenarioError

TSST = str(Path("examples/scenarios/tsst.yaml").resolve())


def _app():
    app = typer.Typer()
    register(app)

    @app.command()
    def version():  # a second command keeps Typer in multi-command mode
        pass

    return app


def test_sensitivity_command_writes_the_report(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({
        "name": "cli", "scenario": TSST, "parameters": ["psyche.f_stress_reactivity"],
        "outputs": [{"output": "cortisol_saliva", "stat": "peak",
                     "window": {"from": "day 2 14:00", "to": "day 2 16:00"}}],
        "morris": {"trajectories": 2}}))
    r = CliRunner().invoke(_app(), ["sensitivity", str(spec), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    assert "psyche.f_stress_reactivity" in r.output and "runs/s" in r.output
    assert (tmp_path / "o" / "index.html").exists()
    assert (tmp_path / "o" / "figures" / "morris_mu_sigma.png").exists()


def test_bad_spec_raises_a_scenario_error_naming_the_field(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({"name": "cli", "scenario": TSST, "parameters": ["hpa"],
                                    "outputs": [{"output": "tnf", "stat": "peak"}],
                                    "morris": {"trajectories": 2, "levels": 5}}))
    r = CliRunner().invoke(_app(), ["sensitivity", str(spec)])
    assert isinstance(r.exception, ScenarioError) and r.exception.field == "morris.levels"


def test_loop_command_on_the_real_model(tmp_path):
    spec = tmp_path / "l.yaml"
    spec.write_text(yaml.safe_dump({
        "name": "pss", "severity": "perceived_stress", "track": ["cortisol_serum"],
        "load": {"from": 0, "to": 1, "steps": 3}, "burn_in_days": 1, "refine": 0,
        "settle": {"block": "1 day", "min_blocks": 3, "max_blocks": 3, "atol": 100}}))
    r = CliRunner().invoke(_app(), ["loop", str(spec), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    assert "no bistability" in r.output
    assert (tmp_path / "o" / "figures" / "s_curve.png").exists()
