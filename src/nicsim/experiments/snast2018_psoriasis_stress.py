"""V16: psoriasis and fluctuating daily stress: how many patients are stress reactors, and when
does the PASI rise culminate after a stress peak (Snast et al. 2018; Zachariae et al. 2004;
Verhoeven et al. 2009).

One virtual population of people living with psoriasis serves V16 and V30 (the DLQI burden
row reads the same cohort before the stress peak; the simulation is shared and cached). The
population: psoriasis susceptibility log-normal around 1.4 (sd of log 0.3), from prone but
near-clear skin to chronic plaque disease, mean PASI about 10 as in the clinic cohorts of these
studies; lesion visibility uniform 0.2-0.8; every declared between-person spread (stress
reactivity, distress sensitivity, psoriasis stress gain ...). Stress fluctuates week by week
(chronic-stressor blocks, loads drawn once with a fixed seed, 0-0.2) for 8 weeks, peaks for two
weeks (load 0.6), and fluctuates again for 8 weeks.

Settled start and control arm (issue 12, section 1). Every person starts from her own steady
state (the run pipeline's ``initial_state="settled"``), and the same settled persons also live
through a control arm: the same weekly fluctuations without the stress peak. The effect of the
peak is read against the control arm, so that a PASI that still drifts (the fluctuating
background stress moves the settled persons a little) is not counted as a flare.

Read-outs. A patient is a *stress reactor* when, within the 8 weeks after the peak, her PASI
exceeds her own control-arm PASI on the same day by at least 50 % of her PASI at the onset of
the stress peak and by at least 1 point (the papers count self-reported flares after stress; the
threshold is our reading of "flare"). The lag is the time from the end of the stress peak (when
felt stress is highest) until that excess reaches 90 % of its maximum in the window: the flare's
culmination, which for a flare that persists (a plateau, see docs/vicious_cycle.md) is when it
has essentially developed. The note gives the reactors counted without the control arm (PASI
against its own onset value) in both arms.

Status (fitted row). At the pipeline optimum on settled cohorts (``nicsim calibrate --group
psoriasis_distress``, 2026-12-07: ``psoriasis.stress_gain`` 0.217, ``distress.burden_ref``
0.409; one of two starts reached it, the other ended at 0.230 and 0.410 with objective 0.0206
against 0.0195) 42 % are stress reactors, near the band's lower edge (40-75 %), with a median
lag of 2.9 weeks. The share has a ceiling in the model rather than an optimiser artefact: at
the former ``burden_ref`` 0.370 it stayed below the band on both sides of the gain (0.20: 37 %,
0.221: 39 %, 0.23: 37 %, 0.25: 35 %, 0.30: 29 %), because a larger gain also lifts the settled
PASI, so fewer people rise by half after the peak; a larger ``burden_ref`` (less distress per
plaque) lowers the settled PASI and lets the peak stand out. The row passed (62 %) only on the
transient of the old 6-day burn-in, where the cohort started near clear skin and was still
climbing; at the gain fitted to that transient (0.185) the settled cohort had 29 %.
"""

from __future__ import annotations

import json

import numpy as np

from nicsim._default import default_model
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.problem import model_parameters
from nicsim.solve.simulate import sample_parameters, simulate_cohort

N_SUBJECTS = 100
SEED = 2018
RUN_IN_WEEKS = 8
PEAK_WEEKS = 2
PEAK_LOAD = 0.6
FOLLOW_WEEKS = 8
PSO_MEDIAN, PSO_SPREAD = 1.4, 0.3   # susceptibility ~ LogNormal(median, sd of log)
#: weekly-scale read-outs of slow states; the tolerance mainly sets the cost of the daily
#: sleep/wake restarts; reactor fraction and lag agree with rtol 1e-6 (checked at the fit)
RTOL = 1e-3
PERSON = {"sex": "female", "age": 45, "sleep": {"bedtime": "23:00", "wake": "07:00"},
          "susceptibility": {"psoriasis": 1.0}}
T_ON = 7 * RUN_IN_WEEKS                 # day index of the stress-peak onset
T_PEAK = T_ON + 7 * PEAK_WEEKS          # end of the stress peak
_CACHE: dict = {}


def protocol(seed: int = SEED, weeks: int | None = None, peak: bool = True) -> list[dict]:
    """Weekly fluctuating background stress (loads 0-0.2) with one stress peak (without it for
    ``peak=False``: the control arm, the same fluctuations in the other weeks)."""
    rng = np.random.default_rng(seed)
    n_weeks = weeks or RUN_IN_WEEKS + PEAK_WEEKS + FOLLOW_WEEKS
    in_peak = set(range(RUN_IN_WEEKS, RUN_IN_WEEKS + PEAK_WEEKS)) if weeks is None else set()
    out = []
    for w in range(n_weeks):
        if w in in_peak and not peak:
            continue  # no draw in peak weeks either way: the other weeks keep their loads
        load = PEAK_LOAD if w in in_peak else float(np.round(rng.uniform(0.0, 0.2), 3))
        if load > 0:
            out.append({"type": "chronic_stressor", "start": f"day {7 * w + 1}",
                        "period": "7 days", "load": load})
    return out


def population(model, parameters, cond: str, rng, n: int = N_SUBJECTS,
               median: float = PSO_MEDIAN) -> np.ndarray:
    """Parameter vectors of a virtual population with condition ``cond``."""
    sc = scenario("population", "1 day", [], person={**PERSON, "susceptibility": {cond: 1.0}})
    base = model_parameters(model, sc, parameters)
    P = sample_parameters(model, base, n, rng)
    ids = model.parameter_ids
    P[:, ids.index(f"{cond}.f_susceptibility")] = median * np.exp(rng.normal(0.0, PSO_SPREAD, n))
    P[:, ids.index("distress.visibility")] = rng.uniform(0.2, 0.8, n)
    return P


def psoriasis_cohort(parameters=None, model=None, arm: str = "stress"):
    """The shared psoriasis population, settled, through the stress protocol (``arm="stress"``)
    or the same weeks without the stress peak (``arm="control"``); cached per parameters."""
    model = model or default_model()
    key = (model.key, json.dumps(parameters or {}, sort_keys=True))
    if _CACHE.get("key") != key:
        _CACHE.clear()
        _CACHE["key"] = key
    if arm not in _CACHE:
        days = 7 * (RUN_IN_WEEKS + PEAK_WEEKS + FOLLOW_WEEKS)
        prot = protocol() if arm == "stress" else protocol(peak=False)
        sc = scenario(f"psoriasis-daily-stress-{arm}", f"{days} days", prot, interval="1 day",
                      person=PERSON).replace(outputs=["pasi", "dlqi", "perceived_stress"],
                                             rtol=RTOL)
        P = population(model, parameters, "psoriasis", np.random.default_rng(SEED))
        _CACHE[arm] = simulate_cohort(sc, model=model, P=P, initial_state="settled")
    return _CACHE[arm]


def reactors(pasi: np.ndarray, t_on: int = T_ON, t_peak: int = T_PEAK,
             follow: int = 7 * FOLLOW_WEEKS, control: np.ndarray | None = None):
    """(reactor mask, lag in weeks) from daily PASI (subject, day); with ``control`` (the same
    subjects without the stress peak) the rise is the excess over the control arm."""
    base = pasi[:, t_on]
    ref = base[:, None] if control is None else control[:, t_peak:t_peak + follow + 1]
    rise = pasi[:, t_peak:t_peak + follow + 1] - ref
    mx = rise.max(axis=1)
    react = (mx >= 0.5 * base) & (mx >= 1.0)
    rise = np.maximum(rise, 0.0)
    lag = np.argmax(rise >= 0.9 * rise.max(axis=1, keepdims=True), axis=1) / 7.0
    return react, lag


class Snast2018PsoriasisStress(Study):
    id = "V16"
    title = "Psoriasis: stress reactors and the lag of PASI after a stress peak"
    source = ("Snast et al. 2018 meta-analysis (46 %); Zachariae 2004 (66-71 %); Verhoeven et al. "
              "2009 (4 weeks)")
    cohort = True
    protocol_text = (f"{N_SUBJECTS} virtual people with psoriasis (susceptibility log-normal "
                     f"around {PSO_MEDIAN}, seed {SEED}), each settled to her own steady state; "
                     f"weekly fluctuating chronic stress 0-0.2 with a {PEAK_WEEKS}-week peak of "
                     f"load {PEAK_LOAD} after {RUN_IN_WEEKS} weeks, and a control arm (the same "
                     "settled persons and fluctuations, no peak); reactor = PASI above the "
                     "control arm by 50 % of the onset PASI and 1 point within "
                     f"{FOLLOW_WEEKS} weeks after the peak; lag = time to 90 % of that excess")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = psoriasis_cohort(parameters, model)
        pasi = ds.pasi.values
        control = psoriasis_cohort(parameters, model, arm="control").pasi.values
        react, lag = reactors(pasi, control=control)
        frac = 100.0 * float(react.mean())
        med_lag = float(np.median(lag[react])) if react.any() else float("nan")
        own = 100.0 * float(reactors(pasi)[0].mean())
        own_control = 100.0 * float(reactors(control)[0].mean())
        return StudyResult(self, [
            self.check("stress reactors (PASI +50 % after the stress peak)", frac),
            self.check("median lag of the PASI rise after the stress peak (reactors)", med_lag),
        ], {"pasi": pasi, "control": control, "pss": ds.perceived_stress.values,
            "react": react, "lag": lag},
            note=(f"settled; median PASI at the onset of the stress peak "
                  f"{np.median(pasi[:, T_ON]):.1f} (day 0 {np.median(pasi[:, 0]):.1f}); "
                  f"counted against their own onset PASI without the control arm: {own:.0f} % "
                  f"in the stress arm, {own_control:.0f} % in the control arm"))

    def plot(self, result, ax):
        d = result.data
        weeks = np.arange(d["pasi"].shape[1]) / 7.0
        for mask, label, color in ((d["react"], "stress reactors", "tab:red"),
                                   (~d["react"], "non-reactors", "tab:blue")):
            if mask.any():
                ax.plot(weeks, np.median(d["pasi"][mask], axis=0), color=color,
                        label=f"{label} (median PASI, n={int(mask.sum())})")
        ax.plot(weeks, np.median(d["control"], axis=0), color="black", lw=0.8,
                label="control arm, no peak (median PASI)")
        ax.axvspan(T_ON / 7, T_PEAK / 7, color="grey", alpha=0.2, label="stress peak")
        ax.axvspan(T_PEAK / 7 + 2, T_PEAK / 7 + 6, color="tab:green", alpha=0.1,
                   label="published lag band (2-6 weeks)")
        ax2 = ax.twinx()
        ax2.plot(weeks, np.median(d["pss"], axis=0), color="grey", lw=0.8, ls="--")
        ax2.set_ylabel("PSS-10 (median, dashed)")
        ax.set(xlabel="week", ylabel="PASI")
