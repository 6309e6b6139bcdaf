"""`nicsim diary check | triggers` on files (the main CLI prints errors without a traceback)."""

from __future__ import annotations

import json
import subprocess
import sys

from test_diary import GOOD
from test_triggers import PROBS, make_diary
from typer.testing import CliRunner

from nicsim.cli.clinic import diary_app
from nicsim.clinic.diary import DiaryError


def test_check_prints_the_summary(tmp_path):
    f = tmp_path / "anna.csv"
    f.write_text(GOOD)
    res = CliRunner().invoke(diary_app, ["check", str(f)])
    assert res.exit_code == 0, res.output
    assert "5 days, 2 recorded, 3 missing" in " ".join(res.output.split())
    res = CliRunner().invoke(diary_app, ["check", str(f), "--json"])
    assert json.loads(res.output)["missing_days"][0] == "2026-01-02"


def test_check_bad_file_names_line_field_and_allowed(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(GOOD.replace(",3,7.5", ",11,7.5"))
    res = CliRunner().invoke(diary_app, ["check", str(f)])
    assert isinstance(res.exception, DiaryError)
    # through the installed entry point: exit 2, the message, no traceback
    cli = subprocess.run([sys.executable, "-c", "from nicsim.cli import main; main()", "diary",
                          "check", str(f)], capture_output=True, text=True)
    assert cli.returncode == 2
    assert "line 7, stress: 11.0 is not allowed" in cli.stderr
    assert "Traceback" not in cli.stderr


def test_triggers_writes_table_sentences_plot_and_json(tmp_path):
    f = make_diary(90, seed=5, effects={"sweat": (8.0, 1)}, probs=PROBS).write(
        tmp_path / "d.json")
    res = CliRunner().invoke(diary_app, ["triggers", str(f), "--plot", str(tmp_path / "l.png"),
                                         "--json", str(tmp_path / "t.json")])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "* After sweating" in out and "Minimum-data rule" in out
    assert (tmp_path / "l.png").stat().st_size > 10_000
    data = json.loads((tmp_path / "t.json").read_text())
    assert any(r["claimed"] and r["exposure"] == "trigger:sweat" for r in data["results"])
