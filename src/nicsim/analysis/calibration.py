"""Calibration of parameters against validation rows.

The objective is the sum over the studies' checks of the squared distance outside each band
(in band widths) plus a weak pull towards the band centre, so that a calibrated value sits
inside the band rather than on its edge. Parameters are searched in log space within their
declared bounds. The result is written to a parameter set that records the rows it was fitted to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import yaml

from nicsim._version import __version__
from nicsim.io.output import write_text

CENTRE_WEIGHT = 0.05


@dataclass
class CalibrationResult:
    values_: dict[str, float]
    objective_: float
    rows_: tuple[str, ...]
    n_evaluations_: int


def objective(studies, values: dict[str, float]) -> float:
    total = 0.0
    for s in studies:
        try:
            r = s.run(parameters=values)
        except Exception:
            return 1e6
        for c in r.checks:
            total += c.distance() ** 2
            if not c.one_sided and c.hi > c.lo and np.isfinite(c.value):
                total += CENTRE_WEIGHT * ((c.value - (c.lo + c.hi) / 2) / (c.hi - c.lo)) ** 2
    return total


def calibrate(studies: Sequence, start: dict[str, float], bounds: dict[str, tuple[float, float]],
              *, fixed: dict[str, float] | None = None, max_evaluations: int = 400,
              verbose: bool = False) -> CalibrationResult:
    """Nelder-Mead in log space over ``start``'s parameters (ids -> declared-unit values)."""
    from scipy.optimize import minimize

    ids = list(start)
    lo = np.log([bounds[i][0] for i in ids])
    hi = np.log([bounds[i][1] for i in ids])
    x0 = np.log([start[i] for i in ids])
    count = 0

    def f(x):
        nonlocal count
        count += 1
        x = np.clip(x, lo, hi)
        vals = dict(fixed or {})
        vals.update({i: float(np.exp(v)) for i, v in zip(ids, x, strict=True)})
        val = objective(studies, vals)
        if verbose and count % 20 == 0:
            print(f"  eval {count}: objective {val:.4f}", flush=True)
        return val

    # an explicit first simplex (0.3 in log space, about +35 %) so that a start value of 1,
    # whose log is 0, does not get scipy's tiny default step
    simplex = np.vstack([x0] + [x0 + 0.3 * np.eye(len(x0))[k] for k in range(len(x0))])
    res = minimize(f, x0, method="Nelder-Mead",
                   options={"maxfev": max_evaluations, "xatol": 1e-3, "fatol": 1e-5,
                            "adaptive": True, "initial_simplex": np.clip(simplex, lo, hi)})
    x = np.clip(res.x, lo, hi)
    values = dict(fixed or {})
    values.update({i: float(np.exp(v)) for i, v in zip(ids, x, strict=True)})
    return CalibrationResult(values, float(res.fun), tuple(s.id for s in studies), count)


def write_parameter_set(path, name: str, values: dict[str, float], rows: Sequence[str],
                        objective_value: float, description: str) -> None:
    data = {"name": name, "description": description, "fitted_to": sorted(set(rows)),
            "objective": f"sum of squared band distances + {CENTRE_WEIGHT} x centre pull; "
                         f"final value {objective_value:.4g}",
            "code_version": __version__,
            "values": {k: float(f"{v:.6g}") for k, v in sorted(values.items())}}

    write_text(path, yaml.safe_dump(data, sort_keys=False))
