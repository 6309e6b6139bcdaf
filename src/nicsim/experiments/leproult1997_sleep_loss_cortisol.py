"""V32 (prediction row): one night of partial (4 h) or total sleep loss raises plasma cortisol
the next evening (Leproult, Copinschi, Buxton & Van Cauter 1997, Sleep 20:865: healthy young
men; 18:00-23:00 mean cortisol +37 % after partial and +45 % after total sleep deprivation vs
normal sleep; the onset of the evening quiescent period was delayed).

Nothing may be fitted to this row. The HPA axis reads sleep two ways: the momentary sleep
pressure (process S of the two-process model, rising as a saturating exponential while awake
and decaying while asleep with the time constants of Daan et al. 1984) adds to the
hypothalamic drive, and sleep debt (scheduled sleep spent awake, paid back while asleep) raises
the circadian ACTH drive and flattens the adrenal clock; both gains are fitted to a different
study, two nights of 4 h in bed (V55, Guyon et al. 2014); psyche.sleep_weight is an
order-of-magnitude assumption. The quiescent-period onset of a curve that never falls below
the level is censored at the end of the search window (a lower bound), never NaN.
"""

from __future__ import annotations

import numpy as np

from nicsim.analysis.readouts import between
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "male", "age": 25, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
#: condition -> the sleep_deprivation event of night 1 (None: normal sleep 23:00-07:00)
CONDITIONS = {
    "normal sleep": None,
    "partial (04:00-08:00)": {"type": "sleep_deprivation", "night": 1, "bedtime": "04:00",
                              "wake": "08:00"},
    "total": {"type": "sleep_deprivation", "night": 1, "total": True},
}
START = 7.0                       # scenario starts 07:00 on day 1; night 1 follows day 1
EVENING = (35.0, 40.0)            # 18:00-23:00 on day 2, hours since the start
QUIESCENT_SEARCH = (31.0, 45.0)   # 14:00 day 2 to 04:00 day 3
QUIESCENT_LEVEL = 100.0           # nmol/L: evening serum cortisol below this = quiescent


def run_condition(event, parameters=None, model=None):
    sc = scenario("sleep loss", "2 days", [event] if event else [], start="07:00",
                  interval="10 min", person=PERSON)
    sc = sc.replace(outputs=["cortisol_serum"])
    return simulate(sc, parameters=parameters, model=model)


def quiescent_onset(ds) -> tuple[float, bool]:
    """Hours since the start when evening serum cortisol first falls below
    :data:`QUIESCENT_LEVEL`, and whether the value is censored.

    A curve that stays above the level through the whole search window has not begun its
    quiescent period by the window's end: the onset is then reported as the end of the window
    (``QUIESCENT_SEARCH[1]``, 04:00 on day 3) with ``censored = True``, a lower bound on the
    onset (so a delay computed from it is a lower bound on the delay), never NaN.
    """
    w = between(ds, *QUIESCENT_SEARCH)
    below = np.flatnonzero(w.cortisol_serum.values < QUIESCENT_LEVEL)
    if below.size:
        return float(w.time.values[below[0]]), False
    return float(QUIESCENT_SEARCH[1]), True


class Leproult1997SleepLossCortisol(Study):
    id = "V32"
    title = "one night of partial or total sleep loss: next-evening cortisol"
    source = "Leproult, Copinschi, Buxton & Van Cauter 1997, Sleep 20:865"
    protocol_text = (
        "men aged 25, habitual sleep 23:00-07:00; night 1: normal, partial (sleep_deprivation "
        "bedtime 04:00, wake 08:00) or total (sleep_deprivation total); mean serum cortisol "
        "18:00-23:00 on day 2 vs normal sleep; quiescent-period onset = first time after 14:00 "
        f"on day 2 that serum cortisol falls below {QUIESCENT_LEVEL:g} nmol/L (censored at "
        "04:00 on day 3 when it never does: a lower bound)")
    expected_failure = (
        "4 h of sleep (04:00-08:00) raise next-evening cortisol by 14 % (band 15-70 %, "
        "published +37 %); the quiescent period starts 60 min later, and a lost night raises "
        "evening cortisol by 66 % (published +45 %) and delays the quiescent period by 8 h, "
        "both in band. The sleep terms are fitted to two nights of 4 h in bed (V55, Guyon "
        "2014), whose debt at the read-out is 3.8 h; the partial night here leaves 1.9 h "
        "(5 h missed, then paid back during the 4 h of sleep with process S's 4.2-h decay "
        "constant), so the debt terms act at a third of their maximum (half-maximal debt 4 h, "
        "an assumption that V55 cannot identify: with 2 h the re-fitted terms gave +15.8 %, "
        "with 1 h +18.5 % before the hpa pipeline fit; scripts/sleep_debt_sensitivity.py), "
        "and the momentary sleep pressure is nearly back to normal by the evening after "
        "waking at 08:00. Nothing is fitted to this row")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        data = {k: run_condition(ev, parameters, model) for k, ev in CONDITIONS.items()}

        def evening(ds):
            return float(between(ds, *EVENING).cortisol_serum.mean())

        ref = evening(data["normal sleep"])
        q_ref, _ = quiescent_onset(data["normal sleep"])
        checks, notes = [], []
        for key in ("partial (04:00-08:00)", "total"):
            rise = 100 * (evening(data[key]) / ref - 1)
            onset, censored = quiescent_onset(data[key])
            delay = onset - q_ref
            checks += [self.check(f"evening cortisol rise, {key}", rise),
                       self.check(f"quiescent period later, {key} (direction)", delay * 60)]
            notes.append(f"{key}: {rise:+.3g} %, quiescent onset "
                         + (">= " if censored else "") + f"{delay * 60:+.3g} min"
                         + (f" (cortisol stays above {QUIESCENT_LEVEL:g} nmol/L until 04:00; "
                            "censored at the window end)" if censored else ""))
        result = StudyResult(self, checks, data)
        result.note = (f"evening mean {ref:.3g} nmol/L after normal sleep; " + "; ".join(notes)
                       + " (published +37 % partial, +45 % total)")
        return result

    def plot(self, result, ax):
        for key, ds in result.data.items():
            w = between(ds, 24.0, 48.0)
            ax.plot(w.time - 24 + START, w.cortisol_serum, label=key)
        ax.axvspan(EVENING[0] - 24 + START, EVENING[1] - 24 + START, color="grey", alpha=0.15,
                   label="18:00-23:00 window")
        ax.set(xlabel="clock hour on day 2 (24 = midnight)", ylabel="serum cortisol (nmol/L)")
