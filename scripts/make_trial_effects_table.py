"""Run the example trials (examples/trials/*.yaml) at full size and print their effect sizes
as a markdown table, for docs/trials.md ("Effect sizes of the example trials against clinical
ones"). Each trial runs exactly as `nicsim trial FILE` would (same seed, subjects, settling and
observation models); the results are also written to out/trials/<name>/.

Usage: .venv/bin/python scripts/make_trial_effects_table.py [--subjects N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from nicsim.analysis.trial import TrialSpec, effects_table, run_trial
from nicsim.report.trial_report import save_trial

ROOT = Path(__file__).resolve().parents[1]
TRIALS = sorted((ROOT / "examples" / "trials").glob("*.yaml"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subjects", type=int, default=None, help="override subjects per arm")
    args = ap.parse_args()
    lines = ["| trial | outcome | measure | model estimate (95 % CI) |", "|---|---|---|---|"]
    for path in TRIALS:
        spec = TrialSpec.from_yaml(path)
        t0 = time.perf_counter()
        res = run_trial(spec, subjects=args.subjects)
        save_trial(res, ROOT / "out" / "trials" / path.stem)
        print(f"{path.name}: {args.subjects or spec.subjects} subjects per arm, "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        for r in effects_table(res.dataset):
            lines.append(f"| `{path.stem}` | `{r['outcome']}` | {r['label']} | "
                         f"{r['estimate']:.3g} ({r['ci_low']:.3g} to {r['ci_high']:.3g}) |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
