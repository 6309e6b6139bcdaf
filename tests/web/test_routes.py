"""Data layer and routes, on SQLite and on PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from nicsim.web.core.config import ANALYSIS_SIZES, Settings
from nicsim.web.models import (
    AuditLog,
    Client,
    Consent,
    DiaryEntryRow,
    DiaryLink,
    Job,
    Practitioner,
)

from .conftest import PASSWORD


def _count(app, model, **where):
    with app.state.sessionmaker() as db:
        q = select(func.count()).select_from(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return db.scalar(q)


def test_register_login_logout(client, app):
    client.register("ann@example.org", name="Ann")
    assert "Ann (practitioner)" in client.get("/clients").text
    with app.state.sessionmaker() as db:
        p = db.scalar(select(Practitioner))
        assert p.password_hash.startswith("$argon2id$") and PASSWORD not in p.password_hash
    r = client.post("/logout")
    assert r.status_code == 303
    assert client.get("/clients", follow_redirects=False).headers["location"] == "/login"
    client.get("/login")
    r = client.post("/login", {"email": "ANN@example.org", "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/clients"


def test_registration_errors_name_the_field(client):
    client.get("/register")
    r = client.post("/register", {"email": "not-an-email", "name": "X", "password": "short"})
    assert r.status_code == 422
    assert "email: &#39;not-an-email&#39; is not allowed" in r.text
    assert "password: (hidden) is not allowed" in r.text and "short" not in r.text
    client.register("dup@example.org")
    client.post("/logout")
    client.get("/register")
    r = client.post("/register", {"email": "dup@example.org", "name": "Y", "password": PASSWORD})
    assert r.status_code == 422 and "an account with this e-mail exists" in r.text


def test_client_file_consent_and_diary(client, app):
    client.register("p@example.org")
    cid = client.add_client("Bea Example", consent=False)
    page = client.get(f"/clients/{cid}").text
    assert "No consent on file" in page
    r = client.post(f"/clients/{cid}/diary-link")
    assert r.status_code == 409 and "no consent on file" in r.text  # no diary without consent
    r = client.post(f"/clients/{cid}/consent", {"given_on": "2026-11-30", "agree": "yes"})
    assert r.status_code == 303
    with app.state.sessionmaker() as db:
        consent = db.scalar(select(Consent).where(Consent.client_id == cid))
        assert consent.version and "withdraw" in consent.text
    token = client.diary_link(cid)
    assert len(token) >= 43  # 256 random bits
    with app.state.sessionmaker() as db:  # only the hash is stored
        assert db.scalar(select(DiaryLink.token_hash)) != token

    page = client.get(f"/d/{token}")
    assert page.status_code == 200 and "how was today" in page.text
    entry = {"date": "2026-12-01", "time": "21:15", "stress": "7", "sleep_hours": "5.5",
             "sleep_quality": "4", "itch": "6", "mood": "3", "severity": "31.5",
             "triggers": ["sweat", "deadline"], "custom_trigger": "dairy",
             "practices": ["slow_breathing"], "products": "barrier cream; sunscreen",
             "note": "long day", "client_key": "k1"}
    r = client.post(f"/d/{token}", entry)
    assert r.status_code == 200 and 'id="saved"' in r.text
    with app.state.sessionmaker() as db:
        row = db.scalar(select(DiaryEntryRow))
        assert (row.stress, row.sleep_hours, row.itch, row.severity) == (7, 5.5, 6, 31.5)
        assert row.triggers == ["sweat", "deadline", "custom:dairy"]
        assert row.products == ["barrier_cream", "sunscreen"]
    # the same form sent twice is stored once
    assert client.post(f"/d/{token}", entry).status_code == 200
    assert _count(app, DiaryEntryRow) == 1
    # several entries a day; yesterday's items carried forward into the form
    page = client.get(f"/d/{token}").text
    assert re.search(r'value="sweat"\s+checked', page)
    assert re.search(r'value="slow_breathing"\s+checked', page)
    r = client.post(f"/d/{token}", {**entry, "time": "22:00", "client_key": "k2"})
    assert _count(app, DiaryEntryRow, client_id=cid) == 2
    # CSV export through clinic.diary
    csv = client.get(f"/clients/{cid}/diary.csv").text
    assert "2026-12-01,21:15,7" in csv and "custom:dairy" in csv


def test_bad_diary_input_names_field_value_and_range(client, app):
    client.register("p@example.org")
    cid = client.add_client("Cy", condition="psoriasis")
    token = client.diary_link(cid)
    client.get(f"/d/{token}")
    r = client.post(f"/d/{token}", {"date": "2026-12-01", "itch": "12"})
    assert r.status_code == 422 and "itch: 12.0 is not allowed" in r.text
    r = client.post(f"/d/{token}", {"date": "2026-12-01", "stress": "lots"})
    assert r.status_code == 422 and "stress: &#39;lots&#39; is not allowed" in r.text
    r = client.post(f"/d/{token}", {"date": "2026-12-01", "severity": "80"})  # SAPASI 0-72
    assert r.status_code == 422 and "severity: 80.0 is not allowed" in r.text and "72" in r.text
    r = client.post(f"/d/{token}", {"date": "2026-12-01", "triggers": ["sweet"]})
    assert r.status_code == 422 and "unknown trigger" in r.text
    assert _count(app, DiaryEntryRow) == 0


def test_link_revocation_and_consent_withdrawal(client):
    client.register("p@example.org")
    cid = client.add_client("Dee")
    old = client.diary_link(cid)
    new = client.diary_link(cid)  # replacing the link revokes the old one
    assert client.get(f"/d/{old}").status_code == 404
    assert client.get(f"/d/{new}").status_code == 200
    client.get(f"/clients/{cid}")
    client.post(f"/clients/{cid}/diary-link/revoke")
    assert client.get(f"/d/{new}").status_code == 404
    again = client.diary_link(cid)
    client.get(f"/clients/{cid}")
    client.post(f"/clients/{cid}/consent/withdraw")
    assert client.get(f"/d/{again}").status_code == 404  # no diary without consent
    assert client.post(f"/clients/{cid}/projection", {"weeks": "4"}).status_code == 409


def test_audit_log_records_views_and_changes(client, app):
    client.register("p@example.org")
    cid = client.add_client("Eve")
    client.get(f"/clients/{cid}")
    client.post(f"/clients/{cid}/edit", {"name": "Eve B", "condition": "acne",
                                         "allergies": "nickel"})
    client.get(f"/clients/{cid}/diary.csv")
    actions = [a for (a,) in app.state.sessionmaker()
               .execute(select(AuditLog.action).where(AuditLog.client_id == cid)
                        .order_by(AuditLog.id))]
    assert actions[:2] == ["create", "consent"] and "view" in actions
    assert "update" in actions and "export" in actions
    page = client.get(f"/clients/{cid}/audit").text
    assert "changed: name, condition, allergies" in page
    assert "export" in client.get("/audit").text


def test_delete_on_request_removes_every_row(client, app):
    client.register("p@example.org")
    keep = client.add_client("Keeper")
    cid = client.add_client("Gone Soon")
    for c in (keep, cid):
        token = client.diary_link(c)
        client.get(f"/d/{token}")
        client.post(f"/d/{token}", {"date": "2026-12-01", "itch": "3"})
        client.get(f"/clients/{c}")
        client.post(f"/clients/{c}/projection", {"weeks": "4", "plan": ["emollient"]})
    from nicsim.web.models import ClientReport
    with app.state.sessionmaker() as db:
        for c in (keep, cid):
            db.add(ClientReport(client_id=c, pdf=b"%PDF-1.7 test"))
        db.commit()
    client.get(f"/clients/{cid}")
    r = client.post(f"/clients/{cid}/delete", {"confirm": "wrong name"})
    assert r.status_code == 422 and _count(app, Client, id=cid) == 1
    r = client.post(f"/clients/{cid}/delete", {"confirm": "Gone Soon"})
    assert r.status_code == 303
    for model in (Client,):
        assert _count(app, model, id=cid) == 0
    for model in (Consent, DiaryLink, DiaryEntryRow, Job, AuditLog, ClientReport):
        assert _count(app, model, client_id=cid) == 0, model.__tablename__
    for model in (Consent, DiaryLink, DiaryEntryRow, Job, ClientReport):
        assert _count(app, model, client_id=keep) == 1, model.__tablename__
    with app.state.sessionmaker() as db:  # the deletion itself is recorded, without the name
        details = [d for (d,) in db.execute(select(AuditLog.detail))]
    assert any(f"client #{cid} deleted" in d for d in details)
    assert not any("Gone Soon" in d for d in details)
    assert client.get(f"/clients/{cid}").status_code == 404


def test_projection_job_runs_off_the_request_path(client, app):
    from nicsim.web.worker import Worker

    client.register("p@example.org")
    cid = client.add_client("Fay", condition="eczema")
    client.get(f"/clients/{cid}")
    r = client.post(f"/clients/{cid}/projection", {"weeks": "4", "plan": ["emollient"]})
    assert r.status_code == 303
    with app.state.sessionmaker() as db:
        job = db.scalar(select(Job))
        assert job.status == "queued"
    assert "queued" in client.get(f"/jobs/{job.id}").text
    assert Worker(app.state.sessionmaker).run_one()
    page = client.get(f"/jobs/{job.id}").text
    assert "status-done" in page and "skin condition: EASI" in page
    with app.state.sessionmaker() as db:
        result = db.get(Job, job.id).result
    easi = next(r for r in result["summary"] if "EASI" in r["label"])
    assert easi["plan"] < easi["no_plan"]  # an emollient lowers EASI in the model
    r = client.post(f"/clients/{cid}/projection", {"weeks": "40"})
    assert r.status_code == 422 and "weeks: 40 is not allowed" in r.text


def test_consultation_scored_by_the_registry_with_referral_flag(client, app):
    from nicsim.web.models import Consultation

    client.register("doc@example.org", role="clinician")
    cid = client.add_client("Gil")
    page = client.get(f"/clients/{cid}/consultation?instrument=phq9").text
    assert "Little interest or pleasure in doing things" in page and 'name="item_q9"' in page
    answers = {f"item_q{i}": "several_days" for i in range(1, 9)}
    answers["item_q9"] = "several_days"  # item 9 > 0: urgent referral flag
    r = client.post(f"/clients/{cid}/consultation/phq9", answers)
    assert r.status_code == 303
    with app.state.sessionmaker() as db:
        row = db.scalar(select(Consultation))
        assert (row.score, row.band, row.referral) == (9, "mild", True)
    page = client.get(f"/clients/{cid}").text
    assert 'id="referral"' in page and "self-harm" in page
    r = client.post(f"/clients/{cid}/consultations/{row.id}/referral-note", {"note": "  "})
    assert r.status_code == 422  # cannot be dismissed without a note
    assert 'id="referral"' in client.get(f"/clients/{cid}").text
    client.post(f"/clients/{cid}/consultations/{row.id}/referral-note",
                {"note": "Discussed safety; GP appointment booked"})
    page = client.get(f"/clients/{cid}").text
    assert 'id="referral"' not in page and "GP appointment booked" in page
    fhir = client.get(f"/clients/{cid}/consultations/{row.id}/fhir.json").json()
    assert fhir["resourceType"] == "QuestionnaireResponse" and fhir["subject"] == {
        "reference": f"Patient/{cid}"}
    # incomplete answers: the library's message names the item
    client.get(f"/clients/{cid}/consultation?instrument=gad7")
    r = client.post(f"/clients/{cid}/consultation/gad7", {"item_q1": "bogus"})
    assert r.status_code == 422 and "q1" in r.text


def test_phq9_only_for_clinicians(client):
    client.register("p@example.org", role="practitioner")
    cid = client.add_client("Hal")
    page = client.get(f"/clients/{cid}/consultation").text
    assert "PHQ-9" not in page and "GAD-7" in page
    assert client.get(f"/clients/{cid}/consultation?instrument=phq9").status_code == 403
    assert client.post(f"/clients/{cid}/consultation/phq9", {}).status_code == 403


def _planted_diary_rows(app, cid, days=60, seed=3):
    """Entries where severity rises the day after sweating (a planted pattern, no model)."""
    import datetime as dt

    import numpy as np

    rng = np.random.default_rng(seed)
    sweat = rng.random(days) < 0.4
    start = dt.date(2026, 9, 1)
    with app.state.sessionmaker() as db:
        for d in range(days):
            sev = 20 + 8 * (sweat[d - 1] if d else 0) + rng.normal(0, 2)
            db.add(DiaryEntryRow(client_id=cid, date=start + dt.timedelta(days=d),
                                 severity=round(float(sev), 1), itch=float(rng.integers(0, 10)),
                                 stress=float(rng.integers(0, 10)),
                                 sleep_hours=float(rng.choice([5.5, 7, 8])),
                                 triggers=["sweat"] if sweat[d] else [], products=[],
                                 practices=[], note=""))
        db.commit()


def test_triggers_page_shows_the_library_result(client, app):
    client.register("p@example.org")
    cid = client.add_client("Ivy", condition="eczema")
    page = client.get(f"/clients/{cid}/triggers").text  # empty diary: the rule refuses
    assert "No trigger can be claimed" in page or "not enough data" in page
    _planted_diary_rows(app, cid)
    page = client.get(f"/clients/{cid}/triggers").text
    claimed = page.split('id="claimed"')[1].split("</section>")[0]
    assert "sweat" in claimed.lower()
    png = client.get(f"/clients/{cid}/triggers.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/clients/{cid}/triggers?outcome=mood").status_code == 422


def test_projection_vs_observed_page(client, app):
    """The diary as recorded now against the latest finished personal projection: one date
    axis for the chart, a table row for each day recorded inside the projected weeks."""
    import json
    from html import unescape

    client.register("p@example.org")
    cid = client.add_client("Pat", condition="eczema")
    assert "No personal projection yet" in client.get(
        f"/clients/{cid}/projection-vs-observed").text
    _planted_diary_rows(app, cid, days=17)  # 2026-09-01 .. 09-17
    band = {"lo80": [10.0, 11.0, 12.0], "median": [15.0, 16.0, 17.0], "hi80": [20.0, 21.0, 22.0]}
    result = {"dates": ["2026-09-16", "2026-09-17", "2026-09-18"], "fit": {}, "plan": None,
              "arms": {"no change": {"severity": band, "itch": band},
                       "plan": {"severity": {k: [v - 5 for v in vs] for k, vs in band.items()},
                                "itch": band}}}
    with app.state.sessionmaker() as db:
        prac_id = db.scalar(select(Client.practitioner_id).where(Client.id == cid))
        for status in ("done", "failed"):  # the page shows the latest *finished* projection
            db.add(Job(practitioner_id=prac_id, client_id=cid, kind="personal_projection",
                       status=status, result=result if status == "done" else None,
                       params={"weeks": 4, "plan": {"steps": [{"kind": "emollient"}]}}))
        db.commit()
    page = client.get(f"/clients/{cid}/projection-vs-observed").text
    table = page.split('id="observed-vs-projected"')[1].split("</section>")[0]
    assert re.findall(r"<tr><td>(2026-09-\d\d)</td>", table) == ["2026-09-16", "2026-09-17"]
    assert "15.0 (10.0-20.0)" in table and "11.0 (6.0-16.0)" in table
    chart = json.loads(unescape(re.search(r'data-chart="([^"]*)"', page).group(1)))
    assert chart["dates"][0] == "2026-09-01" and chart["dates"][-1] == "2026-09-18"
    assert len(chart["dates"]) == 18 and chart["observed"][-1] is None
    assert chart["arms"]["plan"]["median"][-3:] == [10.0, 11.0, 12.0]
    assert chart["arms"]["plan"]["median"][:15] == [None] * 15
    assert "projection vs observed (personal projection #" in client.get(
        f"/clients/{cid}/audit").text
    no_consent = client.add_client("Quinn", condition="eczema", consent=False)
    assert client.get(f"/clients/{no_consent}/projection-vs-observed").status_code == 409


@pytest.mark.slow  # the fit takes 1-4 min on 2 shared cores
def test_personal_projection_job_fits_the_diary(client, app, db_url):
    """clinic.projection through the job table: fit to a 35-day diary, project 4 weeks."""
    from nicsim.web.worker import Worker

    if db_url.startswith("postgresql"):  # the job table path is tested on both above
        pytest.skip("the fit runs on SQLite only")
    client.register("p@example.org")
    cid = client.add_client("Jo", condition="eczema")
    _planted_diary_rows(app, cid, days=35)
    client.get(f"/clients/{cid}")
    r = client.post(f"/clients/{cid}/personal-projection", {"step": ["emollient"],
                                                            "weeks": "4"})
    assert r.status_code == 303, r.text
    r = client.post(f"/clients/{cid}/personal-projection", {"step": ["nb_uvb"], "weeks": "4"})
    assert r.status_code == 403  # prescribed treatments need the clinician role
    r = client.post(f"/clients/{cid}/personal-projection", {"step": ["x"], "weeks": "4"})
    assert r.status_code == 422 and "step: &#39;x&#39; is not allowed" in r.text
    assert Worker(app.state.sessionmaker).run_one()
    from nicsim.web.models import Job
    with app.state.sessionmaker() as db:
        job = db.scalar(select(Job).where(Job.kind == "personal_projection"))
    assert job.status == "done", job.message
    assert set(job.result["arms"]) == {"no change", "plan"} and len(job.result["dates"]) == 28
    page = client.get(f"/jobs/{job.id}").text
    assert "Fitted to the diary" in page and 'class="projchart"' in page


def test_analysis_size_setting(monkeypatch):
    monkeypatch.setenv("NICSIM_ANALYSIS_SIZE", "quick")
    assert Settings.from_env().analysis == ANALYSIS_SIZES["quick"]
    assert ANALYSIS_SIZES["quick"]["fit_max_iter"] < ANALYSIS_SIZES["full"]["fit_max_iter"]
    monkeypatch.setenv("NICSIM_ANALYSIS_SIZE", "tiny")
    with pytest.raises(ValueError, match="analysis_size .*'tiny' is not allowed; one of full, "
                                         "quick"):
        Settings.from_env()


def test_personal_projection_job_is_queued_with_the_diary_and_plan(client, app):
    from nicsim.clinic.diary import Diary
    from nicsim.web.models import Job

    client.register("p@example.org")
    cid = client.add_client("Kim", condition="psoriasis")
    _planted_diary_rows(app, cid, days=10)
    client.get(f"/clients/{cid}")
    r = client.post(f"/clients/{cid}/personal-projection",
                    {"step": ["slow_breathing", "emollient"], "minutes_slow_breathing": "12",
                     "weeks": "6"})
    assert r.status_code == 303
    with app.state.sessionmaker() as db:
        job = db.scalar(select(Job).where(Job.kind == "personal_projection"))
    assert job.status == "queued" and job.params["weeks"] == 6
    assert [s["kind"] for s in job.params["plan"]["steps"]] == ["slow_breathing", "emollient"]
    assert job.params["plan"]["steps"][0]["minutes"] == 12
    assert len(Diary.from_json(job.params["diary_json"]).entries) == 10
    assert job.params["size"] == ANALYSIS_SIZES["full"]  # the app's default analysis size
    r = client.post(f"/clients/{cid}/personal-projection", {"weeks": "40"})
    assert r.status_code == 422 and "weeks: 40 is not allowed" in r.text


def _report_job(client, app, cid):
    from nicsim.web.models import Job

    client.get(f"/clients/{cid}/consultation?instrument=gad7")
    client.post(f"/clients/{cid}/consultation/gad7",
                {f"item_q{i}": "several_days" for i in range(1, 8)})
    client.get(f"/clients/{cid}")
    client.post(f"/clients/{cid}/personal-projection", {"step": ["emollient"], "weeks": "4"})
    r = client.post(f"/clients/{cid}/report")
    assert r.status_code == 303, r.text
    with app.state.sessionmaker() as db:
        return db.scalar(select(Job).where(Job.kind == "client_report"))


def test_report_job_is_queued_with_diary_plan_and_consultations(client, app):
    client.register("p@example.org")
    cid = client.add_client("Lee", condition="eczema")
    _planted_diary_rows(app, cid, days=12)
    job = _report_job(client, app, cid)
    assert job.status == "queued" and job.params["condition"] == "eczema"
    assert [s["kind"] for s in job.params["plan"]["steps"]] == ["emollient"]
    (only,) = job.params["consultations"]
    assert only["instruments"]["gad7"]["q1"] == "several_days"
    other = client.add_client("Mo", condition="other")
    assert client.post(f"/clients/{other}/report").status_code == 422


@pytest.mark.slow  # make_report fits and projects: minutes on 2 shared cores
def test_report_job_makes_a_pdf(client, app, db_url):
    from nicsim.web.worker import Worker

    if db_url.startswith("postgresql"):
        pytest.skip("the report runs on SQLite only")
    client.register("p@example.org")
    cid = client.add_client("Nia", condition="eczema")
    _planted_diary_rows(app, cid, days=50)
    job = _report_job(client, app, cid)
    worker = Worker(app.state.sessionmaker)
    while worker.run_one():  # the personal projection, then the report
        pass
    page = client.get(f"/jobs/{job.id}").text
    assert "status-done" in page, page
    url = re.search(r'href="(/clients/\d+/reports/\d+\.pdf)"', page).group(1)
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_projection_vs_observed_shows_the_on_course_verdict(client, app):
    """With weekly ranges stored, the page shows each arm's verdict from
    nicsim.clinic.projection.course_check: a week's mean of about 23 is above a projected 0-5
    range and inside a 15-40 range."""
    client.register("v@example.org")
    cid = client.add_client("Val", condition="eczema")
    _planted_diary_rows(app, cid, days=17)  # 2026-09-01 .. 09-17, severity about 20-28
    dates = [f"2026-09-{d:02d}" for d in range(10, 18)]  # 8 projected days, all recorded

    def arm(lo, hi):
        return {"severity": {"lo80": [lo] * 8, "median": [(lo + hi) / 2] * 8, "hi80": [hi] * 8},
                "severity_weekly": {"lo80": [lo], "median": [(lo + hi) / 2], "hi80": [hi]},
                "itch": {"lo80": [0] * 8, "median": [1] * 8, "hi80": [2] * 8}}

    result = {"dates": dates, "fit": {}, "plan": None,
              "arms": {"no change": arm(0.0, 5.0), "plan": arm(15.0, 40.0)}}
    with app.state.sessionmaker() as db:
        prac_id = db.scalar(select(Client.practitioner_id).where(Client.id == cid))
        db.add(Job(practitioner_id=prac_id, client_id=cid, kind="personal_projection",
                   status="done", result=result,
                   params={"weeks": 1, "plan": {"steps": [{"kind": "emollient"}]}}))
        db.commit()
    page = client.get(f"/clients/{cid}/projection-vs-observed").text
    verdict = page.split('id="course-verdict"')[1].split("</section>")[0]
    assert "<strong>no change</strong> (worse than projected)" in verdict
    assert "<strong>plan</strong> (on course)" in verdict
    assert "0% of the 8 daily ratings" in verdict and "100% of the 8 daily ratings" in verdict
