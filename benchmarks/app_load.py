"""Loopback load test of the web app: N concurrent clients posting diary entries and viewing
pages, against a server started here on 127.0.0.1 (SQLite file or a PostgreSQL URL).

Bounded: each client makes ``--requests`` requests (default 20) and the run stops after
``--max-seconds`` (default 120) whatever happens. Prints throughput and p50/p95 per route and
writes JSON to benchmarks/results/app_load_<db>_w<workers>.json.

    .venv/bin/python benchmarks/app_load.py --clients 50 --db sqlite
    bash scripts/postgres.sh start && \\
      .venv/bin/python benchmarks/app_load.py --clients 50 --db postgresql://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "load-test-password"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database(db: str, tmp: str) -> tuple[str, callable]:
    if db == "sqlite":
        return f"sqlite:///{tmp}/load.db", lambda: None
    import psycopg

    name = f"nicsim_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(db, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(db, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return db.rsplit("/", 1)[0] + "/" + name, drop


def _setup(base: str, n_clients: int) -> list[str]:
    """One practitioner with one client file and diary link per load client."""
    links = []
    with httpx.Client(base_url=base, timeout=60) as c:
        csrf = CSRF.search(c.get("/register").text).group(1)
        c.post("/register", data={"csrf_token": csrf, "email": "load@example.org",
                                  "name": "Load", "password": PASSWORD})
        csrf = CSRF.search(c.get("/clients/new").text).group(1)
        for i in range(n_clients):
            r = c.post("/clients/new", data={"csrf_token": csrf, "name": f"Client {i}",
                                             "condition": "eczema"})
            cid = r.headers["location"].rsplit("/", 1)[1]
            c.post(f"/clients/{cid}/consent", data={"csrf_token": csrf,
                                                    "given_on": "2026-12-01", "agree": "yes"})
            r = c.post(f"/clients/{cid}/diary-link", data={"csrf_token": csrf})
            links.append("/d/" + r.headers["location"].split("link=")[1])
    return links


async def _client(base, link, n, deadline, times, errors):
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        async def timed(route, coro):
            t0 = time.perf_counter()
            try:
                r = await coro
                ok = r.status_code < 400
            except httpx.HTTPError:
                ok = False
            times.setdefault(route, []).append(time.perf_counter() - t0)
            if not ok:
                errors[route] = errors.get(route, 0) + 1
            return r if ok else None

        r = await timed("GET /d/{token}", c.get(link))
        csrf = CSRF.search(r.text).group(1) if r is not None else ""
        for i in range(n):
            if time.monotonic() > deadline:
                return
            k = i % 4
            if k in (0, 2):
                await timed("POST /d/{token}", c.post(link, data={
                    "csrf_token": csrf, "date": "2026-12-01", "itch": str(i % 11),
                    "stress": "5", "note": "load", "client_key": uuid.uuid4().hex}))
            elif k == 1:
                await timed("GET /d/{token}", c.get(link))
            else:
                await timed("GET /explorer", c.get("/explorer"))


async def _load(base, links, n, max_s):
    times: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    deadline = time.monotonic() + max_s
    t0 = time.perf_counter()
    await asyncio.gather(*[_client(base, link, n, deadline, times, errors) for link in links])
    return time.perf_counter() - t0, times, errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="requests per client")
    ap.add_argument("--max-seconds", type=float, default=120)
    ap.add_argument("--db", default="sqlite", help="sqlite or a postgresql:// server URL")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = _database(args.db, tmp)
        port = _port()
        env = {**os.environ, "NICSIM_DATABASE_URL": url}
        log = open(Path(tmp) / "server.log", "w")
        srv = subprocess.Popen([sys.executable, "-m", "nicsim.cli", "serve", "--database", url,
                                "--host", "127.0.0.1", "--port", str(port), "--workers",
                                str(args.workers)], env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            links = _setup(base, args.clients)
            wall, times, errors = asyncio.run(_load(base, links, args.requests,
                                                    args.max_seconds))
        finally:
            srv.terminate()
            srv.wait(30)
            drop()
    total = sum(len(v) for v in times.values())
    routes = {r: {"n": len(v), "p50_ms": round(1000 * float(np.percentile(v, 50)), 1),
                  "p95_ms": round(1000 * float(np.percentile(v, 95)), 1),
                  "errors": errors.get(r, 0)} for r, v in sorted(times.items())}
    kind = "sqlite" if args.db == "sqlite" else "postgresql"
    out = {"db": kind, "clients": args.clients, "requests_per_client": args.requests,
           "workers": args.workers, "wall_s": round(wall, 2), "requests": total,
           "throughput_rps": round(total / wall, 1), "routes": routes, "machine": machine()}
    path = Path(__file__).parent / "results" / f"app_load_{kind}_w{args.workers}.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: v for k, v in out.items() if k != "machine"}, indent=1))


if __name__ == "__main__":
    main()
