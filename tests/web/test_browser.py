"""Browser tests: Playwright driving Debian's headless Chromium against a live server.

The browser comes from ``scripts/browser.sh`` (``NICSIM_TEST_BROWSER`` or found/installed on
demand); Playwright's own browser download is not used. Screenshots go to
``NICSIM_SCREENSHOTS`` when set (``docs/figures/app`` for the docs), else to a temp folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

from .conftest import PASSWORD, REPO  # noqa: E402

expect = playwright_api.expect


@pytest.fixture(scope="module")
def browser_path() -> str:
    path = os.environ.get("NICSIM_TEST_BROWSER")
    if not path:
        r = subprocess.run(["bash", str(REPO / "scripts" / "browser.sh")], capture_output=True,
                           text=True, timeout=900)
        if r.returncode != 0:
            pytest.fail(f"no headless Chromium: {r.stderr.strip()}")
        path = r.stdout.strip().splitlines()[-1]
    return path


@pytest.fixture(scope="module")
def browser(browser_path):
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    d = Path(os.environ.get("NICSIM_SCREENSHOTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d



def test_explorer_control_changes_the_chart(browser, live_server, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.base + "/explorer")
    status = page.locator("#status")
    expect(status).to_have_attribute("data-state", "done", timeout=120_000)
    assert page.locator("#charts .chart").count() == 5
    assert page.locator("#charts canvas").count() == 5

    def end_values():
        rows = page.locator("#endvalues tr").all_inner_texts()
        return {r.split("\t")[0]: r.split("\t")[1:] for r in rows[1:]}

    before = end_values()
    easi = "skin condition: EASI"
    assert before[easi][0] == before[easi][1]  # no plan chosen: both arms equal
    seq = status.get_attribute("data-seq")
    page.check("input[name=plan][value=emollient]")
    expect(status).not_to_have_attribute("data-seq", seq, timeout=60_000)
    expect(status).to_have_attribute("data-state", "done", timeout=60_000)
    after = end_values()
    assert float(after[easi][1]) < float(after[easi][0])  # emollient: lower EASI with plan
    assert any("emollient" in li for li in page.locator("#assumptions li").all_inner_texts())
    page.locator("h1").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "explorer.png"), full_page=False)
    # a mechanism's details from the model's declarations
    page.get_by_role("button", name=re.compile(r"^M3:")).click()
    page.wait_for_selector("#mechanism h3")
    assert "Module" in page.inner_text("#mechanism")
    page.locator("h2", has_text="The network").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "explorer_mechanism.png"), full_page=False)
    assert errors == []  # nothing blocked by the CSP, no script errors


def test_practitioner_flow_register_client_consultation_diary(browser, live_server, shots):
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.base
    page.goto(base + "/register")
    page.fill("input[name=name]", "Dana Practitioner")
    page.fill("input[name=email]", "dana@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.select_option("select[name=role]", "clinician")
    page.click("button:has-text('Create account')")
    page.wait_for_url(base + "/clients")
    page.click("text=Add a client")
    page.fill("input[name=name]", "Robin Example")
    page.select_option("select[name=condition]", "eczema")
    page.fill("input[name=skin_type]", "Fitzpatrick II, dry")
    page.fill("textarea[name=allergies]", "fragrance mix")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    client_url = page.url
    assert "No consent on file" in page.inner_text("#consent")
    page.check("input[name=agree]")
    page.click("button:has-text('Record consent')")
    assert "Consent version" in page.inner_text("#consent")
    # consultation: GAD-7 scored on submit
    page.click("text=New consultation")
    page.click("nav.instruments >> text=GAD-7")
    for i, code in enumerate(["several_days", "more_than_half", "several_days", "not_at_all",
                              "several_days", "not_at_all", "several_days"], start=1):
        page.check(f"input[name=item_q{i}][value={code}]")
    page.screenshot(path=str(shots / "consultation.png"), full_page=False)
    page.click("button:has-text('Score')")
    page.wait_for_url(re.compile(r"/clients/\d+"))
    assert "gad7" in page.inner_text("#consultations")
    # diary link -> the client's phone
    page.click("button:has-text('Create a diary link')")
    link = page.input_value("#diary-link")
    assert "/d/" in link
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    p2 = phone.new_page()
    p2.goto(link)
    p2.fill("input[name=time]", "21:30")
    # first check-in: untouched sliders record nothing ("not answered")
    assert p2.locator("label.slider output").first.inner_text() == "not answered"
    p2.locator("label.slider input").nth(0).fill("7")   # stress
    p2.locator("label.slider input").nth(1).fill("6")   # itch
    p2.fill("input[name=sleep_hours]", "5.5")
    p2.fill("input[name=severity]", "28")
    p2.check("input[name=triggers][value=sweat]")
    p2.check("input[name=practices][value=slow_breathing]")
    p2.fill("textarea[name=note]", "hot day, gym")
    p2.screenshot(path=str(shots / "checkin_phone.png"), full_page=True)
    p2.click("button:has-text('Save')")
    assert "Saved" in p2.inner_text("#saved")
    # carried forward into the next check-in
    assert p2.is_checked("input[name=triggers][value=sweat]")
    phone.close()
    page.goto(client_url)
    table = page.inner_text("#diary-entries")
    assert "sweat" in table and "hot day, gym" in table and "5.5" in table
    cells = page.locator("#diary-entries tbody tr").first.locator("td").all_inner_texts()
    assert cells[2:7] == ["7.0", "5.5", "6.0", "28.0", ""]  # mood untouched: not recorded
    page.screenshot(path=str(shots / "client_file.png"), full_page=True)
    # triggers: one day of diary is below the minimum-data rule, and the page says so
    page.click("text=Triggers")
    assert "No trigger can be claimed" in page.inner_text("main")
    # three weeks of diary before today's check-in, then fit and project (the "quick" size of
    # the live server: a rough fit in seconds; the full-size fit is in test_routes, -m slow)
    client_id = int(client_url.rsplit("/", 1)[1])
    today = dt.date.today()
    _diary_rows(live_server.db_url, client_id, [today - dt.timedelta(days=k)
                                                for k in range(21, 0, -1)])
    page.goto(client_url)
    form = page.locator("#personal-projection")
    form.locator("input[name=step][value=emollient]").check()
    form.locator("input[name=weeks]").fill("4")
    form.locator("button:has-text('Fit and project')").click()
    job = page.locator(".job", has_text="Personal projection")
    expect(job.locator(".status-done")).to_be_visible(timeout=600_000)
    expect(job.locator(".projchart canvas")).to_be_visible()
    # projection vs observed: two days recorded after the projection began
    _diary_rows(live_server.db_url, client_id, [today + dt.timedelta(days=k) for k in (1, 2)])
    page.click("text=Projection vs observed")
    expect(page.locator("#projection-chart canvas")).to_be_visible(timeout=30_000)
    rows = page.locator("#observed-vs-projected tbody tr")
    expect(rows).to_have_count(2)
    # two days are too few for a verdict: the page says so for each arm
    expect(page.locator("#course-verdict")).to_contain_text("a verdict needs a week")
    assert rows.first.locator("td").first.inner_text() == (today + dt.timedelta(days=1)).isoformat()
    page.screenshot(path=str(shots / "projection_vs_observed.png"), full_page=True)
    # the client report PDF (fits and projects again, then WeasyPrint)
    page.goto(client_url)
    page.click("button:has-text('Make the client report (PDF)')")
    download_link = page.locator(".job", has_text="Client report").locator(
        "a:has-text('Download the PDF report')")
    expect(download_link).to_be_visible(timeout=600_000)
    with page.expect_download() as got:
        download_link.click()
    assert Path(got.value.path()).read_bytes()[:5] == b"%PDF-"
    page.goto(base + "/audit")
    audit = page.inner_text("main")
    assert "diary_link" in audit and "projection vs observed" in audit
    assert errors == []
    ctx.close()


def _diary_rows(db_url: str, client_id: int, dates: list) -> None:
    """Diary entries written straight into the live server's database (days that passed)."""
    from nicsim.web.core.db import make_engine, session_factory
    from nicsim.web.models import DiaryEntryRow

    engine = make_engine(db_url)
    with session_factory(engine)() as db:
        for k, d in enumerate(dates):
            db.add(DiaryEntryRow(client_id=client_id, date=d, severity=20.0 + (k % 5),
                                 itch=float(3 + k % 3), stress=float(2 + k % 4),
                                 sleep_hours=7.0, triggers=[], products=[], practices=[],
                                 note=""))
        db.commit()
    engine.dispose()


def test_demo_practitioner_sees_example_triggers(browser, tmp_path, shots):
    """`make run`'s demo data: log in as the demo practitioner, open an example client's
    triggers (a 90-day diary) with the lag plot."""
    from nicsim.web.core.db import make_engine, session_factory, upgrade
    from nicsim.web.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo

    from .conftest import LiveServer

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    engine = make_engine(url)
    seed_demo(session_factory(engine))
    engine.dispose()
    srv = LiveServer(url).start()
    try:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(srv.base + "/login")
        page.fill("input[name=email]", DEMO_EMAIL)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button:has-text('Log in')")
        page.wait_for_url(srv.base + "/clients")
        page.click("text=Example demo-eczema")
        page.click("text=Triggers")
        expect(page.locator("#claimed")).to_be_visible(timeout=60_000)
        img = page.locator("img.lagplot")
        expect(img).to_be_visible(timeout=60_000)
        assert img.evaluate("i => i.naturalWidth") > 0  # the PNG loaded
        page.screenshot(path=str(shots / "triggers.png"), full_page=True)
    finally:
        srv.stop()
