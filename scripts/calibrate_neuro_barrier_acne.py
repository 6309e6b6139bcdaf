"""Calibrate the parameters of the skin modules that the literature does not give.

    python scripts/calibrate_neuro_barrier_acne.py [--stage v14|v17|v15|all] [--evals N]

Each stage fits only the parameters declared ``Fitted`` to its row; everything else stays at its
literature value or the core's calibration. Writes
src/nicsim/parameter_sets/default.d/neuro_barrier_acne.yaml (values merged stage by stage). A
person reads the diff before committing it: calibrated values must stay physiologically
plausible.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from nicsim.analysis.calibration import calibrate, objective, write_parameter_set
from nicsim.experiments import study
from nicsim.parameter_sets import load_parameter_set

OUT = (Path(__file__).resolve().parents[1] / "src/nicsim/parameter_sets/default.d"
       / "neuro_barrier_acne.yaml")

#: stage -> (rows, {parameter id: (start, lower bound, upper bound)})
STAGES = {
    "v14": (("V14",), {
        "neuro.release_max": (2.0e5, 1e3, 1e8),
        "neuro.mast_hill": (1.5, 0.8, 3.0),
        "neuro.flare_k_histamine": (300.0, 30, 3000),
    }),
    "v17": (("V17",), {
        "barrier.lb_yield": (0.08, 0.01, 0.5),
        "barrier.lb_synthesis_rate": (0.1, 0.01, 2),
    }),
    "v15": (("V15",), {
        "acne.stress_gain": (1.0, 0.05, 10),
    }),
}
#: V15 is a cohort row with Poisson lesion counts: its correlation varies by about +/-0.1 between
#: seeds. The gain is fitted so that the correlation averaged over these cohorts sits at the
#: band centre, so that the row's own fixed seed is not a lucky (or unlucky) draw.
V15_SEEDS = (1, 2, 3, 4, 5)
V15_TARGET = 0.575  # centre of the band 0.40-0.75


def fit_v15(fixed: dict[str, float], lo: float = 0.5, hi: float = 4.0, steps: int = 5) -> float:
    """Bisection of the seed-averaged correlation of V15 on acne.stress_gain."""
    import numpy as np

    import nicsim.experiments.chiu2003_acne_exam_stress as v15

    own_seed = v15.SEED

    def mean_r(gain):
        rs = []
        for seed in V15_SEEDS:
            v15.SEED = seed
            res = study("V15").run(parameters={**fixed, "acne.stress_gain": gain})
            rs.append(res.checks[0].value)
        v15.SEED = own_seed
        print(f"  stress_gain {gain:.4g}: mean r {np.mean(rs):.3f} ({np.round(rs, 3)})",
              flush=True)
        return float(np.mean(rs))

    for _ in range(steps):  # r rises with the gain (signal over counting noise)
        mid = float(np.sqrt(lo * hi))
        if mean_r(mid) < V15_TARGET:
            lo = mid
        else:
            hi = mid
    return float(np.sqrt(lo * hi))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", default="all", choices=[*STAGES, "all"])
    ap.add_argument("--evals", type=int, default=150)
    args = ap.parse_args()
    own_file = (yaml.safe_load(OUT.read_text()) if OUT.exists() else None) or {}
    own = dict(own_file.get("values") or {})
    rows_done = set(own_file.get("fitted_to", []))
    current = dict(load_parameter_set("default")["values"])
    for name in (list(STAGES) if args.stage == "all" else [args.stage]):
        rows, spec = STAGES[name]
        start = {k: float(current.get(k, v[0])) for k, v in spec.items()}
        bounds = {k: (v[1], v[2]) for k, v in spec.items()}
        fixed = {k: v for k, v in current.items() if k not in spec}
        print(f"stage {name}: {len(start)} parameters against {', '.join(rows)}", flush=True)
        if name == "v15":
            values = {"acne.stress_gain": fit_v15(fixed)}
        else:
            res = calibrate([study(r) for r in rows], start, bounds, fixed=fixed,
                            max_evaluations=args.evals, verbose=True)
            print(f"  objective {res.objective_:.4g} after {res.n_evaluations_} evaluations")
            values = res.values_
        current.update({k: values[k] for k in spec})
        own.update({k: values[k] for k in spec})
        rows_done.update(rows)
        for k in spec:
            print(f"  {k} = {current[k]:.5g}")
    # the recorded objective covers every row this part is fitted to
    total = objective([study(r) for r in sorted(rows_done)], current)
    write_parameter_set(OUT, "default", own, sorted(rows_done), total,
                        "Skin modules (neuro, barrier, acne): parameters not given by the "
                        "literature, fitted stage by stage to V14, V17 (Nelder-Mead on the "
                        "band objective) and V15 (seed-averaged correlation at the band "
                        "centre); scripts/calibrate_neuro_barrier_acne.py.")


if __name__ == "__main__":
    main()
