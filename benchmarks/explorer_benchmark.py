"""Explorer: time from a control change to the new chart data, 4-week horizon.

Runs the real app in-process (FastAPI TestClient -> POST /api/explorer/simulate: JSON parse,
two-arm simulation, chart series, JSON response) for a fixed sequence of control changes of
every kind (person, situation, plan), after one warm-up request (numba compile/cache load).
Every change is new to the app's small result cache except where only the plan changes, where
the no-plan arm is legitimately reused. Writes benchmarks/results/explorer.json.

    .venv/bin/python benchmarks/explorer_benchmark.py [--changes 40]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine  # noqa: E402

PLANS = ["slow_breathing", "mindfulness", "sleep_schedule", "social_support", "emollient",
         "topical_steroid", "nb_uvb"]
SITUATIONS = ["chronic_work_stress", "exam_week", "short_nights", "conflict", "tsst", "none"]


def changes(n: int, seed: int = 0):
    """A user's session: one control changed at a time, 4-week horizon throughout."""
    rng = np.random.default_rng(seed)
    state = {"sex": "female", "age": 35, "stress_reactivity": 1.0, "condition": "eczema",
             "susceptibility": 1.0, "situation": "chronic_work_stress", "plan": [], "weeks": 4}
    for _ in range(n):
        kind = rng.choice(["plan", "plan", "situation", "stress_reactivity", "susceptibility",
                           "age"])
        if kind == "plan":
            p = str(rng.choice(PLANS))
            plan = set(state["plan"]) ^ {p}
            state["plan"] = sorted(plan)
        elif kind == "situation":
            state["situation"] = str(rng.choice(SITUATIONS))
        elif kind == "stress_reactivity":
            state["stress_reactivity"] = round(float(rng.uniform(0.5, 2.5)), 1)
        elif kind == "susceptibility":
            state["susceptibility"] = round(float(rng.uniform(0.2, 2.5)), 1)
        else:
            state["age"] = int(rng.integers(20, 70))
        yield str(kind), dict(state)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=40)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "explorer.json"))
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from nicsim.web.core.config import Settings
    from nicsim.web.main import create_app

    with tempfile.TemporaryDirectory() as d:
        app = create_app(Settings(database_url=f"sqlite:///{d}/b.db", run_worker=False))
        with TestClient(app) as c:
            t0 = time.perf_counter()
            assert c.post("/api/explorer/simulate", json={"weeks": 4}).status_code == 200
            warm = time.perf_counter() - t0
            rows = []
            for i, (kind, state) in enumerate(changes(args.changes)):
                t0 = time.perf_counter()
                r = c.post("/api/explorer/simulate", json=state)
                dt = time.perf_counter() - t0
                assert r.status_code == 200, r.text
                rows.append({"change": kind, "ms": round(dt * 1000, 1)})
                print(f"{i + 1:3d}/{args.changes} {kind:18s} {dt * 1000:7.1f} ms", flush=True)
    ms = np.array([r["ms"] for r in rows])
    by_kind = {k: {"n": int(sum(r["change"] == k for r in rows)),
                   "p50_ms": float(np.percentile([r["ms"] for r in rows if r["change"] == k], 50))}
               for k in sorted({r["change"] for r in rows})}
    out = {"what": "explorer control change -> chart data (POST /api/explorer/simulate), "
                   "4-week horizon, two arms, in-process app",
           "first_request_s": round(warm, 2), "n": len(rows),
           "p50_ms": round(float(np.percentile(ms, 50)), 1),
           "p95_ms": round(float(np.percentile(ms, 95)), 1),
           "max_ms": round(float(ms.max()), 1), "goal_p95_ms": 250,
           "goal_met": bool(np.percentile(ms, 95) < 250), "by_change": by_kind,
           "machine": machine(), "changes": rows}
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: out[k] for k in ("first_request_s", "p50_ms", "p95_ms", "max_ms",
                                          "goal_met", "by_change")}, indent=1))


if __name__ == "__main__":
    main()
