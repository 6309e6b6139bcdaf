"""Re-fit the calibrated parameters of the neuro-endocrine-immune core.

    python scripts/calibrate_core.py [--stage hpa|immune|all] [--evals N]

Writes src/nicsim/parameter_sets/default.yaml (values merged stage by stage). A person reads the
diff before committing it: calibrated values must stay physiologically plausible.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nicsim.analysis.calibration import calibrate, write_parameter_set
from nicsim.experiments import study
from nicsim.parameter_sets import load_parameter_set

OUT = Path(__file__).resolve().parents[1] / "src/nicsim/parameter_sets/default.yaml"

STAGES = {
    # Issue 11 section 3: the rebuilt HPA core. secretion_max (Dorin 2012) and acth_ec50 (Keenan
    # 2004) are measured values and no longer fitted; V31-V37 are prediction rows, never listed.
    "hpa": (("V01", "V02", "V03", "V04", "V05", "V10", "V10b"), {
        "clock.circ_delta": (30.0, 1, 180), "clock.circ_alpha": (180, 60, 420),
        "clock.circ_k": (3.0, 1.5, 8), "clock.car_half_life": (20, 5, 60),
        "hpa.circ_floor": (0.08, 0.01, 0.5), "hpa.circ_gain": (3.0, 0.3, 30),
        "hpa.car_gain": (1.5, 0.1, 20), "hpa.stress_gain": (2.0, 0.2, 30),
        "hpa.feedback_ic50": (60.0, 5, 500), "hpa.acth_gain": (10.0, 1, 100),
        "hpa.acth_n": (1.5, 1, 2), "hpa.adrenal_circ_amp": (0.7, 0.05, 2),
        "hpa.free_clearance": (11.0, 8, 20), "hpa.cyto_crh_gain": (0.5, 0.01, 10),
        "hpa.cyto_acth_gain": (8.0, 1, 100), "psyche.arousal_half_life": (4.0, 1, 15),
        "hpa.pool_release_fraction": (0.02, 0.001, 0.5),
        "hpa.pool_refill_half_life": (2.0, 0.5, 12),
        "hpa.distribution_half_life": (10.0, 2, 60), "hpa.tissue_ratio": (1.0, 0.05, 10),
        "hpa.desensitisation_half_life": (15.0, 3, 60),
    }),
    "immune": (("V06", "V08", "V09", "V25"), {
        "immune.kTNF": (1.0, 0.5, 3), "immune.k6": (0.66, 0.3, 2),
        "immune.k6M": (0.81, 0.3, 3), "immune.k10M": (0.01705, 0.005, 0.1),
        "immune.k106": (0.01705, 0.005, 0.1), "immune.kMA": (2.51, 1, 6),
        "immune.il6_stress_gain": (1.5, 0.2, 10), "immune.nfkb_half_life": (30, 10, 120),
        "ans.sns_cyto_gain": (1.0, 0.2, 5), "ans.vns_gain": (3.0, 0.3, 20),
    }),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", default="all", choices=["hpa", "immune", "all"])
    ap.add_argument("--evals", type=int, default=400)
    ap.add_argument("--start", type=lambda s: dict((k, float(v)) for k, v in
                    (kv.split("=") for kv in s.split(","))), default=None,
                    help="restart values, e.g. hpa.stress_gain=4,hpa.free_clearance=22")
    args = ap.parse_args()
    import yaml

    own_file = yaml.safe_load(OUT.read_text(encoding="utf-8")) or {}
    own = dict(own_file.get("values") or {})  # this script writes only default.yaml's values
    merged = dict(load_parameter_set("default")["values"])
    rows_done = set(own_file.get("fitted_to", []))
    current = merged
    for name in (["hpa", "immune"] if args.stage == "all" else [args.stage]):
        rows, spec = STAGES[name]
        start = {k: float(current.get(k, v[0])) for k, v in spec.items()}
        start.update(args.start or {})
        bounds = {k: (v[1], v[2]) for k, v in spec.items()}
        fixed = {k: v for k, v in current.items() if k not in spec}
        print(f"stage {name}: {len(start)} parameters against {', '.join(rows)}", flush=True)
        res = calibrate([study(r) for r in rows], start, bounds, fixed=fixed,
                        max_evaluations=args.evals, verbose=True)
        print(f"  objective {res.objective_:.4f} after {res.n_evaluations_} evaluations")
        current.update(res.values_)
        own.update({k: res.values_[k] for k in spec})
        rows_done.update(rows)
        write_parameter_set(OUT, "default", own, sorted(rows_done), res.objective_,
                            "Literature values plus the calibration of the neuro-endocrine-"
                            "immune core (scripts/calibrate_core.py).")
        for k in spec:
            print(f"  {k} = {current[k]:.5g}")


if __name__ == "__main__":
    main()
