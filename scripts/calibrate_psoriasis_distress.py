"""Calibrate the skin-condition and distress parameters.

    python scripts/calibrate_psoriasis_distress.py [--evals N]

Fits ``psoriasis.stress_gain`` (V16: stress-reactor fraction and PASI lag) and
``distress.burden_ref`` (V30: mean DLQI of a psoriasis cohort) jointly, the rest of the model
fixed at the current parameter set, and writes
src/nicsim/parameter_sets/default.d/psoriasis_distress.yaml.
V24 is not calibrated: no plausible value of the mindfulness or UVB parameters makes the
model's mindfulness effect large enough (the row stays an expected failure).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nicsim.analysis.calibration import calibrate, write_parameter_set
from nicsim.experiments import study
from nicsim.parameter_sets import load_parameter_set

OUT = (Path(__file__).resolve().parents[1] / "src/nicsim/parameter_sets/default.d"
       / "psoriasis_distress.yaml")
ROWS = ("V16", "V30")
SPEC = {  # id: (start, lower, upper)
    "psoriasis.stress_gain": (0.12, 0.03, 0.5),
    "distress.burden_ref": (0.36, 0.1, 1.0),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evals", type=int, default=40)
    args = ap.parse_args()
    current = dict(load_parameter_set("default")["values"])
    start = {k: float(current.get(k, v[0])) for k, v in SPEC.items()}
    bounds = {k: (v[1], v[2]) for k, v in SPEC.items()}
    fixed = {k: v for k, v in current.items() if k not in SPEC}
    res = calibrate([study(r) for r in ROWS], start, bounds, fixed=fixed,
                    max_evaluations=args.evals, verbose=True)
    values = {k: res.values_[k] for k in SPEC}
    write_parameter_set(OUT, "default", values, ROWS, res.objective_,
                        "Skin conditions and skin-related distress (psoriasis, distress): the "
                        "psoriasis stress gain against the stress-reactor row V16 and the "
                        "severity-to-DLQI scale against the DLQI burden row V30 "
                        "(scripts/calibrate_psoriasis_distress.py).")
    for k, v in values.items():
        print(f"{k} = {v:.5g}")
    print(f"objective {res.objective_:.4g} after {res.n_evaluations_} evaluations")


if __name__ == "__main__":
    main()
