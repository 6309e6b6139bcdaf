"""Refactors change no numbers: every example scenario and a small cohort equal the trajectories
recorded by ``scripts/record_numbers_baseline.py`` to 1e-9 relative.

When a change moves numbers on purpose (a new mechanism, settling, a fidelity fix), re-record
with that script and name the moved rows in the commit message; never re-record to hide a drift.
"""

from pathlib import Path

import numpy as np
import pytest

from nicsim import Scenario, simulate, simulate_cohort

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "data" / "numbers_baseline"
SCENARIOS = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))
RTOL = 1e-9


def _compare(name: str, got: np.ndarray, want: np.ndarray) -> None:
    assert got.shape == want.shape, f"{name}: shape {got.shape} != recorded {want.shape}"
    scale = np.maximum(np.abs(want), 1e-12)
    err = np.max(np.abs(got - want) / scale) if want.size else 0.0
    assert err <= RTOL, f"{name}: largest relative difference {err:.3g} > {RTOL:g}"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_example_scenario_numbers_unchanged(path):
    want = np.load(BASE / f"scenario_{path.stem}.npz")
    ds = simulate(Scenario.from_yaml(path))
    _compare("time", ds["time"].values, want["time"])
    missing = sorted(set(want.files) - {"time"} - set(ds.data_vars))
    assert not missing, f"observables gone since the recording: {missing}"
    for name in want.files:
        if name != "time":
            _compare(name, ds[name].values, want[name])


def test_cohort_numbers_unchanged():
    want = np.load(BASE / "cohort_tsst.npz")
    ds = simulate_cohort(Scenario.from_yaml(ROOT / "examples" / "scenarios" / "tsst.yaml"),
                         n=4, rng=7)
    for name in want.files:
        _compare(name, ds[name].values, want[name])
