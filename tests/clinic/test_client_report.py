"""Client folders (examples/clinic), their errors, and the client report (HTML + PDF)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import markupsafe
import pytest

from nicsim.clinic.client import ClientError, load_client

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "clinic"


@pytest.mark.parametrize("name", ["eczema", "psoriasis", "acne"])
def test_example_clients_load(name):
    c = load_client(EXAMPLES / name)
    assert c.profile.condition == name
    assert len(c.diary.days()) == 90 and c.plan is not None and c.plan.steps
    before, after = c.split()
    assert len(before) == 60 and len(after) == 30
    assert len(c.consultations) == 4
    assert all(r.total is not None for cons in c.consultations for r in cons.results)


def test_psoriasis_example_raises_the_phq9_item9_flag():
    c = load_client(EXAMPLES / "psoriasis")
    flags = [f for cons in c.consultations for r in cons.results for f in r.flags]
    assert any(f.instrument == "phq9" and f.level == "urgent" for f in flags)


def _copy(tmp_path, name="eczema") -> Path:
    dst = tmp_path / name
    shutil.copytree(EXAMPLES / name, dst, ignore=shutil.ignore_patterns("report"))
    return dst


@pytest.mark.parametrize("edit, field", [
    (lambda t: t.replace("condition: eczema", "condition: eczma"), "condition"),
    (lambda t: t + "colour: red\n", "colour"),
    (lambda t: t.replace("plan_start: '2026-03-06'", "plan_start: '2026-01-01'"),
     "plan_start"),
    (lambda t: t.replace("plan_start: '2026-03-06'", "plan_start: 6 March"), "plan_start"),
    (lambda t: t.replace("  age: 29\n", "  age: 29\n  height: 170\n"), "person"),
])
def test_bad_client_yaml_names_the_field(tmp_path, edit, field):
    d = _copy(tmp_path)
    p = d / "client.yaml"
    p.write_text(edit(p.read_text()))
    with pytest.raises(ClientError) as exc:
        c = load_client(d)
        c.split()
    assert f"{field}:" in str(exc.value) and "client.yaml" in str(exc.value)


def test_bad_cortisol_and_consultation_rows_name_line_and_field(tmp_path):
    d = _copy(tmp_path)
    (d / "cortisol.csv").write_text("date,time,nmol_per_l\n2026-01-14,7:75,12\n")
    with pytest.raises(ClientError, match=r"line 2, time: '7:75'.*HH:MM"):
        load_client(d)
    (d / "cortisol.csv").write_text("date,time,nmol_per_l\n2026-01-14,07:30,900\n")
    with pytest.raises(ClientError, match=r"line 2, nmol_per_l.*0.1 to 200"):
        load_client(d)
    (d / "cortisol.csv").unlink()
    text = (d / "client.yaml").read_text().replace("cortisol: cortisol.csv\n", "")
    (d / "client.yaml").write_text(text)
    cons = (d / "consultations.yaml").read_text().replace("role: clinician", "role: nurse", 1)
    (d / "consultations.yaml").write_text(cons)
    with pytest.raises(ClientError, match=r"\[1\]\.role: 'nurse'.*client, practitioner"):
        load_client(d)


def test_report_html_and_pdf(tmp_path):
    from nicsim.clinic.report import DISCLAIMER, make_report

    res = make_report(EXAMPLES / "psoriasis", tmp_path / "rep", weeks=4, n_draws=8,
                      n_futures=2)
    html = res.html.read_text()
    assert "Wellness, not diagnosis." in html and DISCLAIMER in html
    # the referral flag is shown, and before the scores
    assert html.index("Referral flags") < html.index("Questionnaire scores over time")
    assert "PHQ-9 item 9" in html
    assert html.count("data:image/png;base64,") >= 5  # scores, diary, lag, projection, params
    assert res.course is not None and res.course.status in (
        "on course", "better than projected", "worse than projected")
    assert str(markupsafe.escape(res.course.sentence)) in html
    assert res.pdf.read_bytes().startswith(b"%PDF") and res.pdf.stat().st_size > 50_000
    from weasyprint import HTML

    assert len(HTML(string=html).render().pages) >= 3  # disclaimer/flags/scores, diary, plan


def test_cli_report_on_a_missing_folder_is_a_clear_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "nicsim.cli", "clinic", "report",
                        str(tmp_path / "nobody")], capture_output=True, text=True)
    assert r.returncode != 0
    assert "client folder" in r.stderr and "Traceback" not in r.stderr
