"""What the trial layer costs on top of the engine (a benchmark, not a test).

Three measurements, printed as a Markdown table (and written as JSON with ``--json``):

1. **End to end**: a 180-day, two-arm trial with 1,000 subject runs in all (500 persons per arm,
   independent design): sampling, simulation (chunks of 32 in this process), outcomes, effect
   sizes with 2,000 bootstrap resamples, results file and HTML report. Reported as subjects x
   simulated days per second, with the time of each stage.
2. **Engine only**: the same chunks through ``simulate_cohort`` alone (no outcomes, no
   trajectories, no assembly) for a subset of subjects. The trial layer's share is measured
   directly in part 1 (time outside ``simulate_cohort``); this separate run is a cross-check
   that is only meaningful on a quiet machine.
3. **Memory**: peak RSS of the process and the size of the results (file and in memory), per
   1,000 subject runs; peak allocation while one chunk is simulated (tracemalloc).
4. **Dask scaling**: a smaller trial on an in-process LocalCluster with 1 and then 2 worker
   processes (one numba thread each); parallel efficiency = T1 / (2 T2), on the compute stage
   (cluster start-up and worker warm-up reported separately).

Run (from the repository root)::

    NICSIM_CACHE_DIR=~/.cache/nicsim python benchmarks/trial_benchmark.py --out out/bench_trial

``--quick`` shrinks every size (a smoke run). The machine matters: numbers taken while other
jobs load the cores are indicative only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine  # noqa: E402

TRIAL = {
    "name": "benchmark: 180-day stress and slow breathing",
    "seed": 1,
    "subjects": 500,
    "design": "independent",
    "population": {"sex": {"male": 0.5},
                   "age": {"normal": {"mean": 40, "sd": 12, "min": 18, "max": 75}},
                   "stress_reactivity": {"lognormal": {"median": 1.0, "cv": 0.5}}},
    "scenario": {"start": "07:00", "protocol": [
        {"type": "chronic_stressor", "start": "day 1", "period": "180 days", "load": 0.4,
         "daily_window": {"from": "09:00", "to": "17:00"}, "weekdays_only": True}]},
    "duration": "180 days",
    "sample_interval": "1 h",
    "trajectory_interval": "1 day",
    "trajectories": ["rmssd", "cortisol_saliva", "perceived_stress"],
    "arms": [{"name": "control"},
             {"name": "breathing", "protocol": [
                 {"type": "slow_breathing", "start": "day 1 07:30", "days": 179}]}],
    "outcomes": [
        {"name": "rmssd_change", "kind": "change", "output": "rmssd",
         "baseline": "day 1 10:00", "end": "day 180 10:00"},
        {"name": "cortisol_last_week", "kind": "mean", "output": "cortisol_saliva",
         "window": {"from": "day 173", "to": "day 180"}},
        {"name": "slope", "kind": "diurnal_slope", "window": {"from": "day 173", "to": "day 180"}},
        {"name": "pss_change", "kind": "change", "output": "perceived_stress",
         "baseline": "day 1 18:00", "end": "day 180 18:00"},
        {"name": "rmssd_up10", "kind": "responder", "output": "rmssd", "baseline": "day 1 10:00",
         "end": "day 180 10:00", "threshold": 10, "direction": "increase"},
        {"name": "pss_rise", "kind": "time_to_threshold", "output": "perceived_stress",
         "threshold": 1.2, "relative": True, "direction": "above"},
    ],
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def end_to_end(spec: dict, out: Path) -> dict:
    from nicsim.analysis.trial import run_trial
    from nicsim.report.trial_report import save_trial

    t0 = time.perf_counter()
    res = run_trial(spec)
    save_trial(res, out / "e2e")
    wall = time.perf_counter() - t0
    info = res.info
    runs, days = info["subject_runs"], info["simulated_days"]
    nc = (out / "e2e" / "results.nc").stat().st_size
    return {"subject_runs": runs, "simulated_days": days, "wall_s": wall,
            "sample_s": info["sample_s"], "simulate_s": info["compute_s"],
            "engine_s": info["engine_s"], "evaluate_s": info["evaluate_s"],
            "effects_s": info["effects_s"], "save_s": info["save_s"],
            "report_s": info["report_s"], "subject_days_per_s": runs * days / wall,
            "results_file_mb_per_1000": nc / 1e6 * 1000 / runs,
            "results_memory_mb_per_1000": res.dataset.nbytes / 1e6 * 1000 / runs,
            "peak_rss_mb": peak_rss_mb()}


def engine_only(spec: dict, n_runs: int) -> dict:
    """The same scenario and chunk size through simulate_cohort only."""
    from nicsim._default import default_model
    from nicsim.analysis.population import sample_population
    from nicsim.analysis.trial import DEFAULT_CHUNK_SIZE, TrialSpec
    from nicsim.solve.simulate import simulate_cohort

    ts = TrialSpec.from_dict(spec)
    model = default_model()
    sc = ts.arm_scenario(1, ts.outputs)
    pop = sample_population(ts.population, n_runs, 1, model=model,
                            start_clock_h=sc.start_clock_h)
    P = pop.parameters.values
    t0 = time.perf_counter()
    for s in range(0, n_runs, DEFAULT_CHUNK_SIZE):
        simulate_cohort(sc, P=np.ascontiguousarray(P[s:s + DEFAULT_CHUNK_SIZE]), model=model,
                        burn_in_days=ts.burn_in_days)
    dt = time.perf_counter() - t0
    return {"subject_runs": n_runs, "wall_s": dt,
            "subject_days_per_s": n_runs * ts.duration_h / 24 / dt}


def chunk_memory(spec: dict, k: int) -> dict:
    """Peak Python/numpy allocation (tracemalloc) while simulating one chunk of ``k``."""
    import tracemalloc

    from nicsim.analysis.population import sample_population
    from nicsim.analysis.trial import ChunkTask, TrialSpec, process_model, simulate_chunk

    ts = TrialSpec.from_dict(spec)
    model = process_model()
    sc = ts.arm_scenario(1, ts.outputs)
    pop = sample_population(ts.population, k, 1, model=model, start_clock_h=sc.start_clock_h)
    task = ChunkTask(1, ts.arms[1].name, 0, sc.to_dict(),
                     np.ascontiguousarray(pop.parameters.values), tuple(ts.plans(sc)),
                     tuple(ts.trajectories), ts.trajectory_times(), ts.burn_in_days, model.key)
    tracemalloc.start()
    r = simulate_chunk(task)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"subjects": k, "peak_mb": peak / 1e6, "engine_s": r.simulate_s,
            "evaluate_s": r.evaluate_s}


def dask_scaling(spec: dict, subjects: int, days: int) -> dict:
    from nicsim.analysis.trial import run_trial

    small = json.loads(json.dumps(spec))
    small.update(subjects=subjects, duration=f"{days} days")
    small["scenario"]["protocol"][0]["period"] = f"{days} days"
    small["arms"][1]["protocol"][0]["days"] = days - 1
    small["outcomes"] = [
        {"name": "rmssd_change", "kind": "change", "output": "rmssd",
         "baseline": "day 1 10:00", "end": f"day {days} 10:00"}]
    out = {}
    for w in (1, 2):
        res = run_trial(small, workers=w, chunk_size=8)
        out[w] = {"compute_s": res.info["compute_s"], "setup_s": res.info["dask_setup_s"]}
    out["efficiency"] = out[1]["compute_s"] / (2 * out[2]["compute_s"])
    out["subject_runs"] = 2 * subjects
    out["simulated_days"] = days
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="folder for the trial outputs")
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    ap.add_argument("--json", type=Path, default=None, help="write the numbers as JSON")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: "
                    "e2e,engine,chunk,dask")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="nicsim-trial-bench-"))
    skip = set(filter(None, args.skip.split(",")))
    spec = json.loads(json.dumps(TRIAL))
    if args.quick:
        spec["subjects"] = 16
    from nicsim._default import default_model

    model = default_model()
    _ = model.solver
    res: dict = {"machine": machine(), "command": " ".join([Path(sys.executable).name,
                                                            *sys.argv]),
                 "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                       capture_output=True, text=True).stdout.strip()}
    if "e2e" not in skip:
        res["end_to_end"] = end_to_end(spec, out)
        print(json.dumps(res["end_to_end"], indent=1), flush=True)
    if "engine" not in skip:
        res["engine_only"] = engine_only(spec, 32 if args.quick else 128)
        print(json.dumps(res["engine_only"], indent=1), flush=True)
    if "chunk" not in skip:
        from nicsim.analysis.trial import DEFAULT_CHUNK_SIZE

        res["chunk"] = chunk_memory(spec, 4 if args.quick else DEFAULT_CHUNK_SIZE)
        print(json.dumps(res["chunk"], indent=1), flush=True)
    if "dask" not in skip:
        res["dask"] = dask_scaling(spec, 8 if args.quick else 48, 10 if args.quick else 60)
        print(json.dumps(res["dask"], indent=1), flush=True)
    res["machine"]["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
    print(markdown(res))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


def trial_layer_s(e: dict) -> float:
    """Measured time outside the engine: sampling, outcome evaluation in the chunks, effects,
    file and report (the engine time is the time inside simulate_cohort)."""
    return e["wall_s"] - e["engine_s"]


def markdown(res: dict) -> str:
    m = res["machine"]
    lines = [f"Machine: {m['cpu']}, {m['nproc']} cores (nproc), Python {m['python']}; load "
             f"average before {m['load_avg_1_5_15']}, after {m.get('load_avg_after')}.", "",
             "| measurement | value |", "|---|---|"]
    e = res.get("end_to_end")
    if e:
        lines += [
            f"| end to end: {e['subject_runs']} subject runs x {e['simulated_days']:g} days | "
            f"{e['wall_s']:.0f} s = {e['subject_days_per_s']:.0f} subject-days/s |",
            f"| stages: sampling / chunks (engine + outcomes) / effects / file / report | "
            f"{e['sample_s']:.1f} / {e['simulate_s']:.0f} ({e['engine_s']:.0f} + "
            f"{e['evaluate_s']:.1f}) / {e['effects_s']:.1f} / {e['save_s']:.1f} / "
            f"{e['report_s']:.1f} s |",
            f"| trial layer (all but the engine) | "
            f"{trial_layer_s(e):.1f} s = {100 * trial_layer_s(e) / e['wall_s']:.1f} % |",
            f"| peak RSS of the process | {e['peak_rss_mb']:.0f} MB |",
            f"| results per 1,000 subject runs (file / in memory) | "
            f"{e['results_file_mb_per_1000']:.1f} / {e['results_memory_mb_per_1000']:.1f} MB |"]
    g = res.get("engine_only")
    if g:
        lines.append(f"| engine only (simulate_cohort, same chunks, {g['subject_runs']} runs) | "
                     f"{g['subject_days_per_s']:.0f} subject-days/s |")
    c = res.get("chunk")
    if c:
        lines.append(f"| one chunk of {c['subjects']} subjects: peak allocation / engine / "
                     f"outcome evaluation | {c['peak_mb']:.0f} MB / {c['engine_s']:.1f} s / "
                     f"{c['evaluate_s']:.3f} s |")
    d = res.get("dask")
    if d:
        lines += [
            f"| Dask LocalCluster, {d['subject_runs']} runs x {d['simulated_days']} days: "
            f"compute with 1 / 2 workers | {d[1]['compute_s']:.1f} / {d[2]['compute_s']:.1f} s "
            f"(start-up {d[1]['setup_s']:.1f} / {d[2]['setup_s']:.1f} s) |",
            f"| parallel efficiency 1 -> 2 workers | {100 * d['efficiency']:.0f} % |"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
