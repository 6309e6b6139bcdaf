"""V11: chronic caregiving stress slows the healing of a 3.5-mm punch biopsy (Kiecolt-Glaser et
al. 1995, Lancet 346:1194: 48.7 vs 39.3 days, 13 caregivers of relatives with dementia vs 13
controls, women, mean age about 62)."""

from __future__ import annotations

from nicsim.experiments._protocols import scenario
from nicsim.experiments._wounds import chronic, closure_time, wound_area_mm2
from nicsim.experiments.base import Study, StudyResult, shade_band
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 62, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
PRE_DAYS = 112          # caregiving under way for 16 weeks before the biopsy (GC adaptation)
HEAL_DAYS = 80
T_WOUND = PRE_DAYS * 24 + 1.0   # day 113, 09:00 (scenario starts 08:00)
DIAMETER = 3.5
CAREGIVING_LOAD = 0.5


def run_wound(load: float, parameters=None, model=None, person=None):
    days = PRE_DAYS + HEAL_DAYS
    protocol = [{"type": "punch_biopsy", "at": f"day {PRE_DAYS + 1} 09:00",
                 "diameter": f"{DIAMETER} mm"}]
    if load > 0:
        protocol.append(chronic("day 1 08:00", f"{days - 1} days", load))
    sc = scenario("caregiver wound", f"{days} days", protocol, start="08:00", interval="2 h",
                  person=person or PERSON)
    sc = sc.replace(outputs=["wound_area_skin", "cortisol_serum", "perceived_stress"])
    return simulate(sc, parameters=parameters, model=model, initial_state="settled")


class KiecoltGlaser1995CaregiverWound(Study):
    id = "V11"
    title = "chronic caregiving stress: healing of a 3.5-mm punch biopsy"
    source = "Kiecolt-Glaser et al. 1995, Lancet"
    protocol_text = (
        f"women aged 62; caregivers: chronic_stressor load {CAREGIVING_LOAD} from 08:00 to "
        f"22:00 every day, from {PRE_DAYS} days before the biopsy to the end; controls: none. "
        f"punch_biopsy {DIAMETER} mm at 09:00 on day {PRE_DAYS + 1}; healed when the open "
        "area is below 1 % of the initial area")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        a0 = wound_area_mm2(DIAMETER)
        ctl = run_wound(0.0, parameters, model)
        cg = run_wound(CAREGIVING_LOAD, parameters, model)
        t_ctl = closure_time(ctl, "wound_area_skin", T_WOUND, a0) / 24
        t_cg = closure_time(cg, "wound_area_skin", T_WOUND, a0) / 24
        result = StudyResult(self, [
            self.check("healing-time ratio caregivers / controls", t_cg / t_ctl),
        ], {"controls": ctl, "caregivers": cg, "days": (t_ctl, t_cg)})
        result.note = f"healing {t_cg:.1f} vs {t_ctl:.1f} days (published 48.7 vs 39.3)"
        return result

    def plot(self, result, ax):
        a0 = wound_area_mm2(DIAMETER)
        for label, ds in (("controls", result.data["controls"]),
                          ("caregivers", result.data["caregivers"])):
            w = ds.sel(time=slice(T_WOUND - 24, None))
            ax.plot((w.time - T_WOUND) / 24, 100 * w.wound_area_skin / a0, label=label)
        ax.axvline(39.3, color="grey", ls=":", label="published controls (39.3 d)")
        ax.axvline(48.7, color="k", ls=":", label="published caregivers (48.7 d)")
        shade_band(ax, 0, 1, 0, 1, "closed (< 1 %)", color="tab:grey")
        ax.set(xlabel="days after biopsy", ylabel="open area (% of initial)")
