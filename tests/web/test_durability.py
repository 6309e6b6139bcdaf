"""Durability: kill -9 the server while diary entries are being posted; after a restart every
entry that got a success response is there, complete (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import re
import threading
import time

import httpx
from sqlalchemy import select, text

from nicsim.web.core.db import make_engine
from nicsim.web.models import DiaryEntryRow

from .conftest import CSRF_RE, PASSWORD, LiveServer, _drop_pg_database, _new_pg_database


def _setup(base: str) -> str:
    """Practitioner, client with consent, diary link -> the link's path."""
    with httpx.Client(base_url=base, timeout=30) as c:
        csrf = CSRF_RE.search(c.get("/register").text).group(1)
        r = c.post("/register", data={"csrf_token": csrf, "email": "k@example.org",
                                      "name": "K", "password": PASSWORD})
        assert r.status_code == 303
        csrf = CSRF_RE.search(c.get("/clients/new").text).group(1)
        r = c.post("/clients/new", data={"csrf_token": csrf, "name": "Durable",
                                         "condition": "eczema"})
        cid = r.headers["location"].rsplit("/", 1)[1]
        c.post(f"/clients/{cid}/consent", data={"csrf_token": csrf, "given_on": "2026-12-01",
                                                "agree": "yes"})
        r = c.post(f"/clients/{cid}/diary-link", data={"csrf_token": csrf})
        return "/d/" + r.headers["location"].split("link=")[1]


def _poster(base, path, worker, acked, stop):
    try:
        with httpx.Client(base_url=base, timeout=10) as c:
            csrf = CSRF_RE.search(c.get(path).text).group(1)
            i = 0
            while not stop.is_set():
                key = f"w{worker}-{i}"
                data = {"csrf_token": csrf, "client_key": key, "date": "2026-12-01",
                        "itch": str(i % 11), "stress": str(worker), "note": key,
                        "triggers": ["sweat"], "products": f"cream {key}"}
                try:
                    r = c.post(path, data=data)
                except httpx.HTTPError:
                    return  # the server died under us: this one was not acknowledged
                if r.status_code == 200 and re.search(r'id="saved"', r.text):
                    acked.append((key, i % 11, worker))
                i += 1
    except httpx.HTTPError:
        return


def _run(db_url: str):
    srv = LiveServer(db_url).start()
    try:
        path = _setup(srv.base)
        acked: list = []
        stop = threading.Event()
        threads = [threading.Thread(target=_poster, args=(srv.base, path, w, acked, stop))
                   for w in range(4)]
        for t in threads:
            t.start()
        t0 = time.monotonic()
        while len(acked) < 40 and time.monotonic() - t0 < 60:
            time.sleep(0.02)
        srv.kill9()  # mid-stream
        stop.set()
        for t in threads:
            t.join(15)
        assert len(acked) >= 40
        srv = LiveServer(db_url, port=srv.port).start()  # restart on the same database
        engine = make_engine(db_url)
        with engine.connect() as conn:
            if db_url.startswith("sqlite"):
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            rows = {r.client_key: r for r in conn.execute(select(DiaryEntryRow))}
        engine.dispose()
        missing = [k for k, _, _ in acked if k not in rows]
        assert missing == []
        for key, itch, worker in acked:  # complete rows, nothing half-written
            r = rows[key]
            assert (r.itch, r.stress, r.note) == (itch, worker, key)
            assert list(r.triggers) == ["sweat"] and list(r.products) == [f"cream_{key}"]
        for r in rows.values():  # rows stored but not acknowledged are complete too
            assert r.note == r.client_key and r.itch is not None
        return len(acked), len(rows)
    finally:
        srv.stop()


def test_kill9_during_diary_posts_sqlite(tmp_path):
    _run(f"sqlite:///{tmp_path / 'durable.db'}")


def test_kill9_during_diary_posts_postgresql(pg_server):
    url = _new_pg_database(pg_server)
    try:
        _run(url)
    finally:
        _drop_pg_database(pg_server, url)
