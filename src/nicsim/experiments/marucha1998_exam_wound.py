"""V12: examination stress slows the healing of a 3.5-mm palatal wound and lowers wound
IL-1beta (Marucha, Kiecolt-Glaser & Favagehi 1998, Psychosom Med 60:362: 11 dental students,
each wounded in summer vacation and 3 days before the first major examination; healing took
40 % (3 days) longer, IL-1beta mRNA in the wound fell by 68 %)."""

from __future__ import annotations

from nicsim.experiments._protocols import scenario
from nicsim.experiments._wounds import chronic, closure_time, wound_area_mm2
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "male", "age": 25, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
PRE_DAYS = 7                     # exam preparation before the wound
DAYS = PRE_DAYS + 21
T_WOUND = PRE_DAYS * 24 + 1.0    # day 8, 09:00 (scenario starts 08:00)
EXAM_DAYS = (3, 4, 5, 7, 8)      # days after wounding with an examination (first on day 3)
EXAM_LOAD = 0.6                  # felt load of the examination period
EXAM_PRESSURE = 0.2              # sustained arousal on study days (TSST = 1)
DIAMETER = 3.5


def exam_protocol() -> list[dict]:
    """Exam period: felt load all waking hours from the scenario start for 3 weeks; on study
    days a sustained moderate arousal (09:00-21:00); on exam days a 3-h examination at TSST
    intensity in the morning."""
    wound_day = PRE_DAYS + 1
    exam_days = {wound_day + d for d in EXAM_DAYS}
    prot = [chronic("day 1 08:00", f"{PRE_DAYS + 14} days", EXAM_LOAD)]
    for day in range(1, PRE_DAYS + 15):
        if day in exam_days:
            prot.append({"type": "acute_stressor", "start": f"day {day} 09:00",
                         "duration": "3 h", "intensity": 1.0})
        else:
            prot.append({"type": "acute_stressor", "start": f"day {day} 09:00",
                         "duration": "12 h", "intensity": EXAM_PRESSURE})
    return prot


def run_mucosal(exam: bool, parameters=None, model=None):
    protocol = [{"type": "mucosal_wound", "at": f"day {PRE_DAYS + 1} 09:00",
                 "diameter": f"{DIAMETER} mm"}]
    if exam:
        protocol += exam_protocol()
    sc = scenario("exam wound" if exam else "vacation wound", f"{DAYS} days", protocol,
                  start="08:00", interval="30 min", person=PERSON)
    sc = sc.replace(outputs=["wound_area_mucosal", "wound_il1b_mucosal", "cortisol_saliva"])
    return simulate(sc, parameters=parameters, model=model, initial_state="settled")


class Marucha1998ExamWound(Study):
    id = "V12"
    title = "examination stress: healing of a 3.5-mm palatal wound and wound IL-1beta"
    source = "Marucha, Kiecolt-Glaser & Favagehi 1998"
    protocol_text = (
        "male students aged 25, same person twice. Vacation: no stressor. Examinations: "
        f"chronic_stressor load {EXAM_LOAD} (08:00-22:00) for 3 weeks from 7 days before the "
        f"wound; acute_stressor {EXAM_PRESSURE} from 09:00 to 21:00 on study days; 3-h "
        f"examinations (acute_stressor 1) on days {', '.join(map(str, EXAM_DAYS))} after the "
        f"wound. mucosal_wound {DIAMETER} mm at 09:00; healed below 1 % of the initial area; "
        "wound IL-1beta index averaged over the first 24 h")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        a0 = wound_area_mm2(DIAMETER)
        vac = run_mucosal(False, parameters, model)
        exam = run_mucosal(True, parameters, model)
        t_vac = closure_time(vac, "wound_area_mucosal", T_WOUND, a0) / 24
        t_exam = closure_time(exam, "wound_area_mucosal", T_WOUND, a0) / 24

        def il1(ds):
            return float(ds.wound_il1b_mucosal.sel(time=slice(T_WOUND, T_WOUND + 24)).mean())

        r_il1 = il1(exam) / il1(vac)
        result = StudyResult(self, [
            self.check("healing-time increase in examinations", 100 * (t_exam / t_vac - 1)),
            self.check("wound IL-1beta examinations / vacation (lower)", r_il1),
        ], {"vacation": vac, "exam": exam, "days": (t_vac, t_exam)})
        result.note = (f"healing {t_exam:.1f} vs {t_vac:.1f} days (published about 10.5 vs "
                       f"7.5); IL-1beta ratio {r_il1:.2f} (published 0.32)")
        return result

    def plot(self, result, ax):
        a0 = wound_area_mm2(DIAMETER)
        for label, key in (("vacation", "vacation"), ("examinations", "exam")):
            w = result.data[key].sel(time=slice(T_WOUND - 12, None))
            ax.plot((w.time - T_WOUND) / 24, 100 * w.wound_area_mucosal / a0, label=label)
        ax.set(xlabel="days after wounding", ylabel="open area (% of initial)")


class Marucha1998WoundIL1bTightened(Study):
    id = "V12b"
    title = "examination stress: wound IL-1beta, tightened band"
    source = "Marucha, Kiecolt-Glaser & Favagehi 1998 (IL-1beta mRNA -68 %)"
    protocol_text = ("the two V12 scenarios (vacation, examinations); wound IL-1beta index "
                     "averaged over the first 24 h after wounding")
    expected_failure = (
        "wound IL-1beta falls 7.2 % in examinations, published 68 %: the index depends on "
        "stress only through the glucocorticoid factor, and examination stress raises cortisol "
        "little in this HPA core (the wound cortisol terms are inactive at these levels; "
        "issues 11 and 12)")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        vac = run_mucosal(False, parameters, model)
        exam = run_mucosal(True, parameters, model)

        def il1(ds):
            return float(ds.wound_il1b_mucosal.sel(time=slice(T_WOUND, T_WOUND + 24)).mean())

        fall = 100 * (1 - il1(exam) / il1(vac))
        result = StudyResult(self, [
            self.check("wound IL-1beta fall, examinations vs vacation", fall),
        ], {"vacation": vac, "exam": exam})
        result.note = f"IL-1beta {fall:.3g} % lower in examinations (published 68 %)"
        return result

    def plot(self, result, ax):
        for label, key in (("vacation", "vacation"), ("examinations", "exam")):
            w = result.data[key].sel(time=slice(T_WOUND - 6, T_WOUND + 72))
            ax.plot(w.time - T_WOUND, w.wound_il1b_mucosal, label=label)
        ax.axvspan(0, 24, color="grey", alpha=0.15, label="averaging window")
        ax.set(xlabel="hours after wounding", ylabel="wound IL-1beta index")
