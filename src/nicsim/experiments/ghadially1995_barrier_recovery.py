"""V17: skin barrier at baseline and its recovery after tape stripping; stress slows it.

Forearm TEWL of healthy adults is 5-15 g/m2/h (Kottner et al. 2013 meta-analysis). After tape
stripping, young adults recover about 15-30 % of the barrier at 3 h, about half at 24 h and
nearly all within a week (Ghadially et al. 1995). Final-examination stress (Garg et al. 2001) and
interview stress (Altemus et al. 2001) slow the recovery (direction only). Recovery is computed
as the papers do: (TEWL just after stripping - TEWL at t) / (TEWL just after - TEWL before).
"""

from __future__ import annotations

from nicsim.analysis.readouts import value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult, shade_band
from nicsim.solve.simulate import simulate

STRIP = 21 * 24 + 1.0  # scenario starts 09:00 on day 1; stripping on day 22 at 10:00
#: fraction of the barrier removed: sequential stripping until TEWL is about 3-4 x baseline,
#: the usual end point of barrier-recovery protocols (an assumption of this study)
FRACTION = 0.75
#: examination period: a chronic stressor for three weeks of exam preparation and exams
EXAM = {"type": "chronic_stressor", "start": "day 1 09:00", "period": "28 days", "load": 0.7,
        "daily_window": {"from": "08:00", "to": "22:00"}}
GAP = 1 / 30  # 2 min: readings just before and just after stripping


def _scenario(stressed: bool):
    protocol = [{"type": "tape_stripping", "at": "day 22 10:00", "fraction": FRACTION}]
    if stressed:
        protocol.append(EXAM)
    sc = scenario("tape stripping" + (" during exams" if stressed else ""), "29 days", protocol,
                  start="09:00", interval="2 min")
    return sc.replace(outputs=["tewl", "barrier_integrity"])


def recovery(ds, hours: float) -> float:
    """Percent barrier recovery ``hours`` after stripping (TEWL-based, as published)."""
    pre = value_at(ds, "tewl", STRIP - GAP)
    post = value_at(ds, "tewl", STRIP + GAP)
    return 100 * (post - value_at(ds, "tewl", STRIP + hours)) / (post - pre)


class Ghadially1995BarrierRecovery(Study):
    id = "V17"
    title = "skin barrier: baseline TEWL, recovery after tape stripping, slower under stress"
    source = ("Kottner et al. 2013 meta-analysis; Ghadially et al. 1995; Garg et al. 2001; "
              "Altemus et al. 2001")
    protocol_text = (f"forearm tape stripping removing {FRACTION:g} of the barrier (TEWL about "
                     "3-4 x baseline) on day 22 at 10:00; TEWL-based recovery at 3 h, 24 h "
                     "('about 50 %' read as 40-60 %) and 7 days; the same after three weeks of "
                     "examination stress (chronic stressor, load 0.7, 08:00-22:00), compared at "
                     "24 h (direction; at least 1 percentage point)")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        calm = simulate(_scenario(False), parameters=parameters, model=model,
                        initial_state="settled")
        exam = simulate(_scenario(True), parameters=parameters, model=model,
                        initial_state="settled")
        baseline = value_at(calm, "tewl", STRIP - GAP)
        return StudyResult(self, [
            self.check("baseline forearm TEWL", baseline),
            self.check("recovery at 3 h", recovery(calm, 3)),
            self.check("recovery at 24 h", recovery(calm, 24)),
            self.check("recovery at 7 days", recovery(calm, 168)),
            self.check("recovery at 24 h, exams minus calm",
                       recovery(exam, 24) - recovery(calm, 24)),
        ], {"calm": calm, "exam": exam})

    def plot(self, result, ax):
        for key, color in (("calm", "tab:blue"), ("exam", "tab:red")):
            ds = result.data[key]
            w = ds.sel(time=slice(STRIP + GAP, None))
            pre = value_at(ds, "tewl", STRIP - GAP)
            post = value_at(ds, "tewl", STRIP + GAP)
            ax.plot((w.time - STRIP) / 24, 100 * (post - w.tewl) / (post - pre), color=color,
                    label=f"recovery, {key}")
        for x0, x1, metric, label in ((3 / 24 - 0.05, 3 / 24 + 0.05, "recovery at 3 h", "3 h"),
                                      (0.95, 1.05, "recovery at 24 h", "24 h"),
                                      (6.9, 7.0, "recovery at 7 days", "7 d")):
            lo, hi = self.band(metric)
            shade_band(ax, x0, x1, lo, min(hi, 100.0), f"{label} band")
        ax.set(xlabel="days after tape stripping", ylabel="barrier recovery (%)")
