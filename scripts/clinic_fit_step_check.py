"""Which finite-difference step the client fit's Newton steps should use.

Fits synthetic 90-day diaries (the four conditions in turn; seeds apart from those of
``benchmarks/clinic_projection.py``) twice: with Newton steps from differences over 0.1 in log
space (the step used for everything until 2026-12-08) and over the shipped
``SEARCH_FD_STEP``. Both use the same covariance step. A lower -log posterior at the end is a
better mode; the table also gives iterations, simulated persons and wall time (timings only
mean something on an otherwise idle machine; the 0.1 variant runs one cohort more than the
former code, which reused its last Newton batch for the covariance). About 7 minutes for 8
diaries on 2 cores.

    .venv/bin/python scripts/clinic_fit_step_check.py [--diaries 8]
"""

from __future__ import annotations

import argparse

from nicsim._default import default_model
from nicsim.clinic.projection import SEARCH_FD_STEP, fit, synthetic_client

CONDITIONS = ("eczema", "psoriasis", "acne", "rosacea")
STEPS = (0.1, SEARCH_FD_STEP)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--diaries", type=int, default=8)
    ap.add_argument("--seed", type=int, default=5000)
    args = ap.parse_args()
    model = default_model()
    head = " | ".join(f"step {h}: -log post., iterations, persons, s" for h in STEPS)
    print(f"| condition | seed | {head} | better mode |")
    print("|---|---|" + "---|" * len(STEPS) + "---|")
    for i in range(args.diaries):
        cond = CONDITIONS[i % len(CONDITIONS)]
        seed = args.seed + i
        c = synthetic_client(cond, days=90, seed=seed, model=model)
        fits = [fit(c.observed, c.profile, model=model, search_step=h) for h in STEPS]
        cells = " | ".join(f"{f.neg_log_posterior:.2f}, {f.iterations}, {f.n_simulations}, "
                           f"{f.seconds:.1f}" for f in fits)
        diff = fits[0].neg_log_posterior - fits[1].neg_log_posterior
        better = (f"step {STEPS[1]} by {diff:.2f}" if diff > 0.005 else
                  f"step {STEPS[0]} by {-diff:.2f}" if diff < -0.005 else "same")
        print(f"| {cond} | {seed} | {cells} | {better} |", flush=True)


if __name__ == "__main__":
    main()
