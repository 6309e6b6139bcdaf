"""`nicsim clinic instruments|score` through the real CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from nicsim.cli import app


def _run(*args):
    return CliRunner().invoke(app, ["clinic", *args])


def test_score_prints_total_band_and_copyright():
    res = _run("score", "gad7", "q1=2", "q2=1", "q3=1", "q4=0", "q5=0", "q6=1", "q7=0")
    assert res.exit_code == 0, res.output
    assert "GAD-7 = 5 (range 0-21): mild" in res.output
    assert "Pfizer" in res.output


def test_score_json_fhir_and_file(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("answers:\n" + "".join(f"  q{k}: 3\n" for k in range(1, 10)))
    out = tmp_path / "qr.json"
    res = _run("score", "phq9", "--role", "clinician", "--file", str(answers), "--json",
               "--fhir", str(out))
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["total"] == 27 and d["band"] == "severe"
    assert {f["level"] for f in d["flags"]} == {"urgent", "refer"}
    assert json.loads(out.read_text())["resourceType"] == "QuestionnaireResponse"


def test_not_scorable_exits_1_with_the_reason():
    res = _run("score", "poem", "--role", "client", "q1=1", "q2=1", "q3=1", "q4=1", "q5=1")
    assert res.exit_code == 1
    assert "not scored: 2 item(s) unanswered" in res.output


def test_instruments_listing_and_show():
    res = _run("instruments", "--role", "client", "--json")
    ids = [d["id"] for d in json.loads(res.output)]
    assert "dlqi" in ids and "phq9" not in ids
    res = _run("instruments", "--show", "dlqi")
    assert "text supplied by licensee" in res.output and "Finlay" in res.output


def test_errors_are_one_line_without_traceback():
    """Through the installed entry point (main()), bad input is a clear message, exit 2."""
    cmd = [sys.executable, "-c", "from nicsim.cli import main; main()", "clinic", "score"]
    p = subprocess.run([*cmd, "phq9", "q1=1"], capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "PHQ-9 is offered to clinician roles only" in p.stderr
    res = _run("score", "gad7", "q1=5")
    assert res.exit_code != 0 and "gad7, item 'q1': '5' is not allowed" in str(res.exception)
