"""Shared helpers for the treatment-response rows (V46, V47): a settled virtual psoriasis trial
cohort through a treatment protocol, and responder rates among the enrolled."""

from __future__ import annotations

import numpy as np

from nicsim._default import default_model
from nicsim.experiments._protocols import scenario
from nicsim.solve.problem import model_parameters
from nicsim.solve.simulate import sample_parameters, simulate_cohort

PSO_SPREAD = 0.3        # sd of log of psoriasis susceptibility (as the V16 population)
RTOL = 1e-3
PERSON = {"sex": "female", "age": 45, "sleep": {"bedtime": "23:00", "wake": "07:00"},
          "susceptibility": {"psoriasis": 1.0}}


def psoriasis_trial(protocol: list[dict], weeks: int, median: float, n: int, seed: int,
                    parameters=None, model=None) -> np.ndarray:
    """Daily PASI (subject, day) of ``n`` settled virtual patients (psoriasis susceptibility
    log-normal around ``median``, every declared between-person spread) through ``protocol``."""
    model = model or default_model()
    sc = scenario("psoriasis trial", f"{weeks} weeks", protocol, interval="1 day",
                  person=PERSON)
    sc = sc.replace(outputs=["pasi"], rtol=RTOL)
    base = model_parameters(model, sc, parameters)
    rng = np.random.default_rng(seed)
    P = sample_parameters(model, base, n, rng)
    P[:, model.parameter_ids.index("psoriasis.f_susceptibility")] = median * np.exp(
        rng.normal(0.0, PSO_SPREAD, n))
    ds = simulate_cohort(sc, model=model, P=P, initial_state="settled")
    return ds.pasi.values


def responder_rate(pasi: np.ndarray, day: int, enrolled: np.ndarray,
                   improvement: float = 0.75) -> float:
    """Percent of the enrolled whose PASI at ``day`` fell by at least ``improvement`` (0.75:
    PASI 75) from baseline; NaN if nobody was enrolled."""
    if not enrolled.any():
        return float("nan")
    p0 = pasi[enrolled, 0]
    return 100.0 * float(np.mean(pasi[enrolled, day] <= (1 - improvement) * p0))
