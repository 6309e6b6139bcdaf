"""Fixtures for the web app: databases (SQLite file and a real PostgreSQL server), an app
client, and a live uvicorn server for browser and durability tests."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install '.[web]')")

from fastapi.testclient import TestClient  # noqa: E402

from nicsim.web.core.config import Settings  # noqa: E402
from nicsim.web.main import create_app  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


# ---------------------------------------------------------------- PostgreSQL
@pytest.fixture(scope="session")
def pg_server() -> str:
    """URL of the PostgreSQL server (``NICSIM_TEST_POSTGRES_URL`` or the project's script)."""
    url = os.environ.get("NICSIM_TEST_POSTGRES_URL")
    if url:
        return url
    lock = Path("/tmp/nicsim-pg-start.lock")
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # xdist workers start the cluster once
        r = subprocess.run(["bash", str(REPO / "scripts" / "postgres.sh"), "start"],
                           capture_output=True, text=True, timeout=180)
    if r.returncode != 0:
        pytest.fail(f"scripts/postgres.sh start failed: {r.stderr.strip()}")
    return r.stdout.strip().splitlines()[-1]


def _new_pg_database(server: str) -> str:
    import psycopg

    name = f"nicsim_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def _drop_pg_database(server: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.db'}"
        return
    server = request.getfixturevalue("pg_server")
    url = _new_pg_database(server)
    yield url
    _drop_pg_database(server, url)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'app.db'}"


# ---------------------------------------------------------------- app client
class Browserless:
    """A TestClient with helpers for the forms (CSRF token read from the last page)."""

    def __init__(self, client: TestClient):
        self.c = client
        self.csrf = ""

    def get(self, url, **kw):
        r = self.c.get(url, **kw)
        m = CSRF_RE.search(r.text)
        if m:
            self.csrf = m.group(1)
        return r

    def post(self, url, data=None, *, csrf=True, **kw):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf)
        kw.setdefault("follow_redirects", False)
        return self.c.post(url, data=data, **kw)

    def register(self, email, name="Practitioner", role="practitioner"):
        self.get("/register")
        r = self.post("/register", {"email": email, "name": name, "password": PASSWORD,
                                    "role": role})
        assert r.status_code == 303, r.text
        self.get("/clients")
        return r

    def add_client(self, name="Client", condition="eczema", consent=True) -> int:
        self.get("/clients/new")
        r = self.post("/clients/new", {"name": name, "condition": condition})
        assert r.status_code == 303, r.text
        cid = int(r.headers["location"].rsplit("/", 1)[1])
        if consent:
            r = self.post(f"/clients/{cid}/consent", {"given_on": "2026-11-30", "agree": "yes"})
            assert r.status_code == 303, r.text
        return cid

    def diary_link(self, cid) -> str:
        r = self.post(f"/clients/{cid}/diary-link")
        assert r.status_code == 303, r.text
        return r.headers["location"].split("link=")[1]


def make_app(url: str, **settings):
    return create_app(Settings(database_url=url, run_worker=False, **settings))


@pytest.fixture
def app(db_url):
    a = make_app(db_url)
    yield a
    a.state.engine.dispose()


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield Browserless(c)


@pytest.fixture
def second_client(app):
    with TestClient(app) as c:
        yield Browserless(c)


# ---------------------------------------------------------------- live server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, port: int | None = None):
        self.db_url = url
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> LiveServer:
        # fits and projections at the smallest size: the browser flow runs each job once
        env = {**os.environ, "NICSIM_DATABASE_URL": self.db_url, "NICSIM_ANALYSIS_SIZE": "quick"}
        env.pop("NICSIM_MIGRATED", None)
        self.log = open(Path("/tmp") / f"nicsim-live-{self.port}.log", "a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "nicsim.web.asgi:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        import httpx

        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start in time")

    def kill9(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture
def live_server(tmp_path):
    srv = LiveServer(f"sqlite:///{tmp_path / 'live.db'}").start()
    yield srv
    srv.stop()
