"""Two-arm virtual trials (intervention vs waitlist) and the effect sizes trials report."""

from __future__ import annotations

import numpy as np

from nicsim._default import default_model
from nicsim.solve.problem import model_parameters
from nicsim.solve.simulate import sample_parameters, simulate_cohort


def hedges_g(treated, control) -> float:
    """Hedges' g: (mean treated - mean control) / pooled SD, small-sample corrected
    (Hedges & Olkin 1985; as pooled in the meta-analyses of V18 and V19)."""
    a, b = np.asarray(treated, float), np.asarray(control, float)
    n1, n2 = len(a), len(b)
    pooled = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    return float((a.mean() - b.mean()) / pooled * (1 - 3 / (4 * (n1 + n2) - 9)))


def persons(scenario, n: int, seed: int, *, parameters=None, model=None) -> np.ndarray:
    """``n`` virtual persons (parameter vectors) drawn with a fixed seed."""
    model = model or default_model()
    base = model_parameters(model, scenario, parameters)
    return sample_parameters(model, base, n, np.random.default_rng(seed))


def arm(scenario, P: np.ndarray, *, model=None):
    """One arm of the trial for the persons ``P`` (the same persons in both arms: common random
    numbers, so the arms differ only by the intervention)."""
    return simulate_cohort(scenario, P=P, model=model, initial_state="settled")
