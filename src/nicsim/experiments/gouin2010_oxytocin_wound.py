"""V23: people with higher plasma oxytocin heal blister wounds faster (Gouin et al. 2010,
Psychoneuroendocrinology 35:1082: 37 couples, eight 8-mm suction-blister wounds; couples in the
upper oxytocin quartile healed faster). Here two persons who differ only in perceived social
support, the model's source of between-person differences in resting oxytocin."""

from __future__ import annotations

from nicsim.experiments._protocols import scenario
from nicsim.experiments._wounds import closure_time, wound_area_mm2
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

DIAMETER = 8.0
T_WOUND = 25.0   # day 2, 09:00 (scenario starts 08:00)
SUPPORT = {"low": 0.1, "high": 0.9}


def run_person(support: float, parameters=None, model=None):
    person = {"sex": "female", "age": 37, "sleep": {"bedtime": "23:00", "wake": "07:00"},
              "social_support": support}
    sc = scenario("blister wound", "70 days",
                  [{"type": "blister_wound", "at": "day 2 09:00", "diameter": f"{DIAMETER} mm"}],
                  start="08:00", interval="2 h", person=person)
    sc = sc.replace(outputs=["wound_area_blister", "oxytocin"])
    return simulate(sc, parameters=parameters, model=model, initial_state="settled")


class Gouin2010OxytocinWound(Study):
    id = "V23"
    title = "oxytocin and blister-wound healing"
    source = "Gouin et al. 2010"
    protocol_text = (
        f"two women aged 37 with perceived social support {SUPPORT['low']} and "
        f"{SUPPORT['high']} (person trait social_support); blister_wound {DIAMETER} mm at "
        "09:00 on day 2; healed below 1 % of the initial area")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        a0 = wound_area_mm2(DIAMETER)
        ds = {k: run_person(v, parameters, model) for k, v in SUPPORT.items()}
        t = {k: closure_time(d, "wound_area_blister", T_WOUND, a0) / 24 for k, d in ds.items()}
        ot = {k: float(d.oxytocin.mean()) for k, d in ds.items()}
        return StudyResult(self, [
            self.check("plasma oxytocin high / low", ot["high"] / ot["low"]),
            self.check("healing time high-oxytocin / low-oxytocin", t["high"] / t["low"]),
        ], {**ds, "days": t}, note=f"healing {t['high']:.1f} vs {t['low']:.1f} days; oxytocin "
                                   f"{ot['high']:.2f} vs {ot['low']:.2f} pg/mL")

    def plot(self, result, ax):
        a0 = wound_area_mm2(DIAMETER)
        for k in SUPPORT:
            w = result.data[k].sel(time=slice(T_WOUND - 12, None))
            ax.plot((w.time - T_WOUND) / 24, 100 * w.wound_area_blister / a0,
                    label=f"{k} oxytocin")
        ax.set(xlabel="days after wounding", ylabel="open area (% of initial)")
