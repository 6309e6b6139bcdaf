"""Throughput of the sensitivity evaluator: model runs per second in a Sobol analysis.

    python benchmarks/sensitivity_benchmark.py [--spec examples/sensitivity/tsst_hpa.yaml]
        [--n 64] [--chunks 16,64,128] [--serial 8] [--workers 2] [--json PATH]

Measures on the real default model (compile caches warm; one untimed warm-up call first):
  * the whole Sobol run of the spec at base size N (``run_sensitivity``; N (k + 2) runs, each with
    the 6-day burn-in and the scenario), in runs/s;
  * the batch evaluator alone (``ModelEvaluator``, numba ``prange`` over subjects) at several
    chunk sizes, on the same Saltelli rows;
  * for comparison, a loop of single ``simulate`` calls on the same rows (``--serial`` runs);
  * optionally (``--workers`` > 0) the same Sobol run over a dask LocalCluster.
Prints a Markdown table and writes JSON (default benchmarks/results/sensitivity.json). The
machine is noisy (about +/-40 % between identical runs): compare within one run, as ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", default=str(ROOT / "examples/sensitivity/tsst_hpa.yaml"))
    ap.add_argument("--n", type=int, default=64, help="Sobol base sample size (power of 2)")
    ap.add_argument("--chunks", default="16,64,128", help="chunk sizes of the batch evaluator")
    ap.add_argument("--serial", type=int, default=8, help="single simulate() calls to time")
    ap.add_argument("--workers", type=int, default=0, help="dask LocalCluster workers (0: skip)")
    ap.add_argument("--json", default=str(ROOT / "benchmarks/results/sensitivity.json"))
    a = ap.parse_args(argv)

    from nicsim._default import default_model
    from nicsim.analysis.sensitivity import (
        ModelEvaluator,
        SensitivitySpec,
        resolve_parameters,
        run_sensitivity,
    )
    from nicsim.solve.simulate import simulate

    spec = SensitivitySpec.from_yaml(a.spec)
    spec = spec.model_copy(update={"morris": None, "sobol": spec.sobol.model_copy(
        update={"n": a.n, "convergence": [a.n]}) if spec.sobol else None})
    if spec.sobol is None:
        spec = SensitivitySpec.from_dict({**spec.model_dump(mode="json", by_alias=True,
                                                            exclude_none=True),
                                          "sobol": {"n": a.n}})
    model = default_model()
    ev0 = ModelEvaluator(spec.scenario, spec.outputs, [], model=model, parameters=spec.fixed)
    ranges = resolve_parameters(spec, model, ev0.nominal)
    ids = [r.id for r in ranges]
    out: dict = {"machine": machine(), "spec": os.path.relpath(a.spec, ROOT),
                 "scenario": spec.scenario.name, "parameters": len(ids),
                 "states": len(model.states), "n_base": a.n,
                 "scenario_days": spec.scenario.duration_h / 24.0,
                 "burn_in_days": spec.burn_in_days}

    # warm-up: compile caches, first call
    ModelEvaluator(spec.scenario, spec.outputs, ids, model=model)(
        np.array([[r.nominal for r in ranges]] * 2))

    t = time.perf_counter()
    res = run_sensitivity(spec, model=model)
    dt = time.perf_counter() - t
    out["sobol_run"] = {"runs": res.runs, "seconds": dt, "runs_per_s": res.runs / dt}
    X = res.sobol.X

    out["batch"] = []
    for cs in [int(c) for c in a.chunks.split(",") if c]:
        ev = ModelEvaluator(spec.scenario, spec.outputs, ids, model=model, chunk_size=cs,
                            parameters=spec.fixed)
        t = time.perf_counter()
        Y = ev(X)
        dt = time.perf_counter() - t
        assert np.allclose(Y, res.sobol.Y, rtol=1e-12, atol=0), "chunking changed results"
        out["batch"].append({"chunk": cs, "runs": len(X), "seconds": dt,
                             "runs_per_s": len(X) / dt})

    if a.serial > 0:
        m = min(a.serial, len(X))
        t = time.perf_counter()
        for i in range(m):
            simulate(spec.scenario, model=model, parameters={**spec.fixed, **dict(zip(
                ids, X[i].tolist(), strict=True))})
        dt = time.perf_counter() - t
        out["serial_simulate"] = {"runs": m, "seconds": dt, "runs_per_s": m / dt}

    if a.workers > 0:
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cl, Client(cl) as client:
            run_sensitivity(spec.model_copy(update={"sobol": spec.sobol.model_copy(
                update={"n": 8, "convergence": [8]})}), client=client)  # warm the workers
            t = time.perf_counter()
            r2 = run_sensitivity(spec, client=client)
            dt = time.perf_counter() - t
        assert np.array_equal(r2.sobol.Y, res.sobol.Y), "distributed results differ"
        out["dask"] = {"workers": a.workers, "runs": r2.runs, "seconds": dt,
                       "runs_per_s": r2.runs / dt}

    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"machine: {out['machine']['cpu']}, {out['machine']['cores']} cores, numba threads "
          f"{out['machine']['numba_threads']}; model: {out['states']} states; scenario "
          f"{out['scenario']} ({out['scenario_days']:g} days + {out['burn_in_days']} burn-in "
          f"days); {len(ids)} parameters; Sobol N = {a.n}")
    print("| evaluation | runs | seconds | runs/s |")
    print("|---|---|---|---|")
    s = out["sobol_run"]
    print(f"| whole Sobol run (run_sensitivity, chunk 128) | {s['runs']} | {s['seconds']:.1f} "
          f"| {s['runs_per_s']:.1f} |")
    for b in out["batch"]:
        print(f"| batch evaluator, chunk {b['chunk']} | {b['runs']} | {b['seconds']:.1f} | "
              f"{b['runs_per_s']:.1f} |")
    if "serial_simulate" in out:
        s = out["serial_simulate"]
        print(f"| loop of simulate() calls | {s['runs']} | {s['seconds']:.1f} | "
              f"{s['runs_per_s']:.1f} |")
    if "dask" in out:
        s = out["dask"]
        print(f"| dask LocalCluster, {s['workers']} workers | {s['runs']} | {s['seconds']:.1f} "
              f"| {s['runs_per_s']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
