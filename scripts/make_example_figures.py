"""Figures of every example scenario: docs/figures/<name>.png.

    python scripts/make_example_figures.py [NAME ...]

Simulates each ``examples/scenarios/*.yaml`` (or the named ones) and draws it with
:func:`nicsim.report.scenario_plot.plot_scenario`, as ``nicsim simulate SCENARIO --plot`` does.
Look at every figure before committing it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from nicsim.protocols import Scenario
from nicsim.report.scenario_plot import plot_scenario
from nicsim.solve.simulate import simulate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "scenarios"
FIG = ROOT / "docs" / "figures"


def main(names: list[str]) -> None:
    files = [EXAMPLES / f"{n}.yaml" for n in names] if names else sorted(EXAMPLES.glob("*.yaml"))
    for k, f in enumerate(files, 1):
        t0 = time.perf_counter()
        sc = Scenario.from_yaml(f)
        ds = simulate(sc)
        path = plot_scenario(ds, FIG / f"{f.stem}.png", scenario=sc)
        print(f"[{k}/{len(files)}] {path.relative_to(ROOT)} ({time.perf_counter() - t0:.1f} s)",
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
