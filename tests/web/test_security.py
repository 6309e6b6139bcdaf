"""Security: authorisation matrix, CSRF, stored XSS, SQL injection probes, sessions, rate limit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select, update

from nicsim.web.models import Client, DiaryEntryRow, WebSession

from .conftest import PASSWORD

#: Every route with an id in its path, and how to call it. A new route with an id that is not
#: listed here fails test_matrix_covers_every_route_with_an_id.
ID_ROUTES = {
    ("GET", "/clients/{client_id}"): {},
    ("GET", "/clients/{client_id}/edit"): {},
    ("POST", "/clients/{client_id}/edit"): {"name": "Hijacked", "condition": "acne"},
    ("POST", "/clients/{client_id}/consent"): {"given_on": "2026-12-01", "agree": "yes"},
    ("POST", "/clients/{client_id}/consent/withdraw"): {},
    ("POST", "/clients/{client_id}/diary-link"): {},
    ("POST", "/clients/{client_id}/diary-link/revoke"): {},
    ("GET", "/clients/{client_id}/diary.csv"): {},
    ("GET", "/clients/{client_id}/audit"): {},
    ("POST", "/clients/{client_id}/delete"): {"confirm": "Alice's client"},
    ("POST", "/clients/{client_id}/projection"): {"weeks": "4"},
    ("POST", "/clients/{client_id}/personal-projection"): {"weeks": "4"},
    ("GET", "/jobs/{job_id}"): {},
    ("POST", "/clients/{client_id}/report"): {},
    ("GET", "/clients/{client_id}/reports/{report_id}.pdf"): {},
    ("GET", "/clients/{client_id}/consultation"): {},
    ("GET", "/clients/{client_id}/triggers"): {},
    ("GET", "/clients/{client_id}/triggers.png"): {},
    ("GET", "/clients/{client_id}/projection-vs-observed"): {},
    ("POST", "/clients/{client_id}/consultation/{instrument_id}"): {"item_q1": "not_at_all"},
    ("POST", "/clients/{client_id}/consultations/{consultation_id}/referral-note"):
        {"note": "bob was here"},
    ("GET", "/clients/{client_id}/consultations/{consultation_id}/fhir.json"): {},
}
#: Routes with an id-like path parameter that are not practitioner data.
PUBLIC_ID_ROUTES = {("GET", "/d/{token}"), ("POST", "/d/{token}"),
                    ("GET", "/explorer/mechanisms/{mechanism_id}")}


def _id_routes(app):
    """(method, path) of every route with a path parameter (from the app's route table)."""
    app.openapi_schema = None
    return {(m.upper(), path) for path, ops in app.openapi()["paths"].items() if "{" in path
            for m in ops}


def test_matrix_covers_every_route_with_an_id(app):
    assert _id_routes(app) == set(ID_ROUTES) | PUBLIC_ID_ROUTES


def test_authz_matrix_no_leaks(client, second_client, app):
    """Bob, logged in with valid CSRF, tries every route on Alice's ids: all 404, nothing of
    Alice's in the response, nothing of hers changed."""
    alice, bob = client, second_client
    alice.register("alice@example.org", name="Alice")
    cid = alice.add_client("Alice's client")
    token = alice.diary_link(cid)
    alice.get(f"/d/{token}")
    alice.post(f"/d/{token}", {"date": "2026-12-01", "itch": "4", "note": "alice-secret-note"})
    alice.get(f"/clients/{cid}")
    alice.post(f"/clients/{cid}/projection", {"weeks": "4"})
    alice.get(f"/clients/{cid}/consultation?instrument=gad7")
    alice.post(f"/clients/{cid}/consultation/gad7",
               {f"item_q{i}": "not_at_all" for i in range(1, 8)})
    with app.state.sessionmaker() as db:
        from nicsim.web.models import Consultation, Job
        job_id = db.scalar(select(Job.id))
        consultation_id = db.scalar(select(Consultation.id))
    assert consultation_id is not None
    bob.register("bob@example.org", name="Bob")
    with app.state.sessionmaker() as db:  # a stored report PDF of Alice's
        from nicsim.web.models import ClientReport
        rep = ClientReport(client_id=cid, pdf=b"%PDF-1.7 alice-secret")
        db.add(rep)
        db.commit()
        report_id = rep.id
    ids = {"client_id": cid, "job_id": job_id, "consultation_id": consultation_id,
           "report_id": report_id,
           "instrument_id": "gad7"}
    leaks = []
    for (method, path), data in ID_ROUTES.items():
        url = path.format(**ids)
        r = bob.get(url) if method == "GET" else bob.post(url, data)
        if r.status_code != 404 or "Alice" in r.text or "alice-secret" in r.text:
            leaks.append((method, url, r.status_code))
    assert leaks == []
    assert "Alice" not in bob.get("/clients").text and "alice" not in bob.get("/audit").text
    with app.state.sessionmaker() as db:
        c = db.get(Client, cid)
        assert c is not None and c.name == "Alice's client" and c.condition == "eczema"
    assert alice.get(f"/d/{token}").status_code == 200  # link not revoked by Bob
    # logged out: every id route sends to the login page
    anon = second_client
    anon.post("/logout")
    for (method, path), data in ID_ROUTES.items():
        url = path.format(**ids)
        r = anon.c.get(url, follow_redirects=False) if method == "GET" else \
            anon.post(url, data, csrf=False)
        assert r.status_code in (303, 403), (method, url, r.status_code)
        assert "Alice" not in r.text


def test_csrf_rejected(client, app):
    client.register("p@example.org")
    cid = client.add_client("Csrf Target")
    for url, data in ((f"/clients/{cid}/edit", {"name": "X"}),
                      (f"/clients/{cid}/delete", {"confirm": "Csrf Target"}),
                      ("/clients/new", {"name": "Injected"}), ("/logout", {})):
        for token in (None, "wrong-token"):
            d = dict(data)
            if token:
                d["csrf_token"] = token
            r = client.post(url, d, csrf=False)
            assert r.status_code == 403 and "CSRF" in r.text, (url, token)
    with app.state.sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(Client)) == 1
        assert db.get(Client, cid).name == "Csrf Target"
    # login and register need the token too (login CSRF)
    client.c.cookies.clear()
    r = client.post("/login", {"email": "p@example.org", "password": PASSWORD}, csrf=False)
    assert r.status_code == 403


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_stored_xss_is_inert(client):
    client.register("p@example.org", name=XSS)
    cid = client.add_client(XSS)
    client.post(f"/clients/{cid}/edit", {"name": XSS, "condition": "eczema", "notes": XSS,
                                         "allergies": XSS})
    token = client.diary_link(cid)
    client.get(f"/d/{token}")
    client.post(f"/d/{token}", {"date": "2026-12-01", "note": XSS, "products": XSS})
    for url in (f"/clients/{cid}", "/clients", f"/clients/{cid}/audit", f"/d/{token}"):
        r = client.get(url)
        assert "<script>alert" not in r.text and "<img src=x" not in r.text, url
        assert "&lt;script&gt;" in r.text or url == f"/d/{token}", url
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("probe", [
    "' OR '1'='1", "1; DROP TABLE client; --",
    "\" OR 1=1 --", "x' UNION SELECT password_hash FROM practitioner --"])
def test_sql_injection_probes(client, app, probe):
    client.register("p@example.org")
    cid = client.add_client("Real")
    client.get("/login")
    client.c.cookies.clear()
    client.get("/login")
    r = client.post("/login", {"email": probe, "password": probe})
    assert r.status_code == 401
    client.get("/login")
    client.post("/login", {"email": "p@example.org", "password": PASSWORD})
    client.get("/clients")
    r = client.post("/clients/new", {"name": probe, "condition": "eczema", "notes": probe})
    assert r.status_code == 303
    assert client.c.get(f"/clients/{probe}").status_code in (404, 422)
    token = client.diary_link(cid)
    client.get(f"/d/{token}")
    assert client.c.get(f"/d/{probe}").status_code == 404
    r = client.post(f"/d/{token}", {"date": "2026-12-01", "note": probe})
    assert r.status_code == 200
    with app.state.sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(Client)) == 2
        assert db.scalar(select(DiaryEntryRow.note)) == probe  # stored verbatim, not executed


def test_session_fixation_and_cookie_flags(client, app):
    client.get("/login")
    before = client.c.cookies.get("nicsim_session")
    assert before
    client.register("p@example.org")
    after = client.c.cookies.get("nicsim_session")
    assert after and after != before  # a new session id at login
    with app.state.sessionmaker() as db:  # the pre-login session is gone
        from nicsim.web.core.security import token_hash
        assert db.get(WebSession, token_hash(before)) is None
    r = client.c.get("/login")
    client.c.cookies.clear()
    r = client.c.get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie


def test_secure_cookie_flag_when_configured(db_url):
    from fastapi.testclient import TestClient

    from .conftest import make_app

    app = make_app(db_url, secure_cookies=True)
    with TestClient(app, base_url="https://testserver") as c:
        assert "secure" in c.get("/login").headers["set-cookie"].lower()
    app.state.engine.dispose()


def test_session_expiry(client, app):
    client.register("p@example.org")
    assert client.get("/clients", follow_redirects=False).status_code == 200
    with app.state.sessionmaker() as db:
        db.execute(update(WebSession).values(
            last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(hours=13)))
        db.commit()
    r = client.c.get("/clients", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_login_rate_limit(client, app):
    client.register("p@example.org")
    client.post("/logout")
    client.get("/login")
    codes = [client.post("/login", {"email": "p@example.org", "password": "wrong password"})
             .status_code for _ in range(5)]
    assert codes == [401] * 5
    r = client.post("/login", {"email": "p@example.org", "password": PASSWORD})
    assert r.status_code == 429 and "Too many failed logins" in r.text  # even the right one
    assert "nicsim_session" not in re.sub(r"\s", "", r.headers.get("set-cookie", "x"))
