"""Shared helpers for the treatment-response rows (V46, V47, V49): a settled virtual trial
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


def settled_trial_cohort(name: str, duration: str, protocol: list[dict], person: dict,
                         output: str, n: int, seed: int, parameters=None, model=None,
                         log_normal: tuple[str, float, float] | None = None) -> np.ndarray:
    """Daily ``output`` (subject, day) of ``n`` settled virtual patients with every declared
    between-person spread (``seed``; the same patients for the same seed) through ``protocol``.
    ``log_normal`` = (parameter id, median, sd of log) redraws one parameter after the declared
    spreads (a trial population that differs from the declared one)."""
    model = model or default_model()
    sc = scenario(name, duration, protocol, interval="1 day", person=person)
    sc = sc.replace(outputs=[output], rtol=RTOL)
    base = model_parameters(model, sc, parameters)
    rng = np.random.default_rng(seed)
    P = sample_parameters(model, base, n, rng)
    if log_normal is not None:
        pid, median, sd = log_normal
        P[:, model.parameter_ids.index(pid)] = median * np.exp(rng.normal(0.0, sd, n))
    ds = simulate_cohort(sc, model=model, P=P, initial_state="settled")
    return ds[output].values


def psoriasis_trial(protocol: list[dict], weeks: int, median: float, n: int, seed: int,
                    parameters=None, model=None) -> np.ndarray:
    """Daily PASI (subject, day) of ``n`` settled virtual patients (psoriasis susceptibility
    log-normal around ``median``, every declared between-person spread) through ``protocol``."""
    return settled_trial_cohort("psoriasis trial", f"{weeks} weeks", protocol, PERSON, "pasi",
                                n, seed, parameters, model,
                                ("psoriasis.f_susceptibility", median, PSO_SPREAD))


def responder_rate(pasi: np.ndarray, day: int, enrolled: np.ndarray,
                   improvement: float = 0.75) -> float:
    """Percent of the enrolled whose PASI at ``day`` fell by at least ``improvement`` (0.75:
    PASI 75) from baseline; NaN if nobody was enrolled."""
    if not enrolled.any():
        return float("nan")
    p0 = pasi[enrolled, 0]
    return 100.0 * float(np.mean(pasi[enrolled, day] <= (1 - improvement) * p0))


def enrolment_note(pasi: np.ndarray, enrolled: np.ndarray, day: int, when: str) -> str:
    """'k/n enrolled (baseline PASI median m); mean PASI reduction at <when> r %'."""
    red = (100.0 * float(np.mean(1 - pasi[enrolled, day] / pasi[enrolled, 0]))
           if enrolled.any() else float("nan"))
    med = np.median(pasi[enrolled, 0]) if enrolled.any() else float("nan")
    return (f"{int(enrolled.sum())}/{len(enrolled)} enrolled (baseline PASI median {med:.1f}); "
            f"mean PASI reduction at {when} {red:.0f} %")


def plot_pasi_course(ax, data: dict, days_per_unit: float = 1.0) -> bool:
    """Median and 10-90 % band of the enrolled patients' PASI as % of baseline against time
    (days / ``days_per_unit``); False if nobody was enrolled."""
    p = data["pasi"][data["enrolled"]]
    if not len(p):
        return False
    rel = 100 * p / p[:, :1]
    x = np.arange(p.shape[1]) / days_per_unit
    ax.plot(x, np.median(rel, axis=0), label="median PASI, % of baseline")
    ax.fill_between(x, np.percentile(rel, 10, axis=0), np.percentile(rel, 90, axis=0),
                    alpha=0.2, label="10-90 %")
    return True
