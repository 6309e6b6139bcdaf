"""Record the numbers the refactors must not change (tests/data/numbers_baseline/).

Writes, for every example scenario, the trajectories of all observables (compressed .npz), a
4-person cohort of the TSST example, and every validation row's check values (JSON). The tests
`tests/solve/test_numbers_unchanged.py` and `tests/validation/test_rows.py` compare today's
numbers against these files to 1e-9 relative.

Re-record ONLY when a change moves numbers on purpose (a new mechanism, settling, a fidelity
fix), and say in the commit which rows moved and why:

    python scripts/record_numbers_baseline.py            # everything
    python scripts/record_numbers_baseline.py --scenarios  # only the example trajectories
    python scripts/record_numbers_baseline.py --rows V50   # only these rows (a new row)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "numbers_baseline"
SCENARIOS = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))


def scenario_arrays(path: Path) -> dict[str, np.ndarray]:
    from nicsim import Scenario, simulate

    ds = simulate(Scenario.from_yaml(path))
    out = {"time": ds["time"].values}
    for name, var in ds.data_vars.items():
        if var.dims == ("time",):
            out[name] = var.values
    return out


def cohort_arrays() -> dict[str, np.ndarray]:
    from nicsim import Scenario, simulate_cohort

    ds = simulate_cohort(Scenario.from_yaml(ROOT / "examples" / "scenarios" / "tsst.yaml"),
                         n=4, rng=7)
    return {name: var.values for name, var in ds.data_vars.items()}


def validation_values(rows: set[str] | None = None) -> dict[str, list[float | None]]:
    from nicsim.experiments import STUDIES

    values = {}
    for cls in STUDIES:
        if rows is not None and cls.id not in rows:
            continue
        res = cls().run()
        values[cls.id] = [None if c.value is None else float(c.value) for c in res.checks]
    return values


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", action="store_true", help="only the example trajectories")
    ap.add_argument("--rows", help="only these validation rows (comma-separated), added to or "
                    "replaced in the recorded file; nothing else is re-recorded")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "validation_values.json"
    if args.rows:
        values = json.loads(path.read_text())
        values.update(validation_values(set(args.rows.split(","))))
        path.write_text(json.dumps(values, indent=1, sort_keys=True) + "\n")
        print("recorded rows", args.rows)
        return
    for path in SCENARIOS:
        np.savez_compressed(OUT / f"scenario_{path.stem}.npz", **scenario_arrays(path))
        print("recorded", path.name)
    np.savez_compressed(OUT / "cohort_tsst.npz", **cohort_arrays())
    print("recorded the TSST cohort")
    if not args.scenarios:
        (OUT / "validation_values.json").write_text(
            json.dumps(validation_values(), indent=1, sort_keys=True) + "\n")
        print("recorded the validation rows")


if __name__ == "__main__":
    main()
