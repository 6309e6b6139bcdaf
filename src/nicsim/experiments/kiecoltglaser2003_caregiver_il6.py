"""V13: chronic caregiving accelerates the age-related rise of plasma IL-6, and the faster rise
persists after caregiving ends (Kiecolt-Glaser et al. 2003, PNAS 100:9090: 119 caregivers of a
spouse with dementia and 106 controls aged 55-89, followed for 6 years; caregivers' IL-6 rose
about four times as fast; former caregivers' rise did not differ from current caregivers'
several years after the spouse's death).

The persistence check is a magnitude band: the paper's Fig. 1 gives the caregivers' IL-6 slope as
0.017 (0.004) per year (the figure's number in parentheses, read as its standard error), and
the abstract says the former caregivers' mean annual change "did not differ" from the current
caregivers'. The band puts the former caregivers' slope inside the
95 % confidence interval of the current caregivers' slope, 0.017 +/- 1.96 x 0.004 = 0.009-0.025
per year, i.e. former / current = 0.53-1.47 (a ratio of slopes, so the scale of the published
slope's units cancels as long as both groups start from similar levels; the paper's abstract
and figure legend give no confidence interval of the former caregivers' own slope).

The persistence comes from the model's structure, not from a second fitted value: the stress
acceleration of inflammaging follows the immune glucocorticoid resistance accumulated since the
scenario start (competence.stress_ageing_dose; stress-set cellular ageing grows with the years of
caregiving, Epel et al. 2004), which does not fall when caregiving ends. When the acceleration
followed the momentary resistance instead, which recovers within weeks, no value held both size
checks (0.52 x former / current at the best fit). One value is fitted to this row
(competence.stress_acceleration); every value from about 0.21 to 0.69 per resistance-year passes
all three checks, and the two size checks pull it in opposite directions, so the fit takes the
value farthest from failing either (objective with a margin term, no centre pull): 0.287, with
caregivers / controls 2.2 x. The published four-fold rise and the persistence are not reached
together: where former / current caregivers still pass (up to about 0.69), caregivers / controls
is at most about 3.4 x."""

from __future__ import annotations

from nicsim.experiments._wounds import chronic, simulate_chain, slope_per_year
from nicsim.experiments.base import Study, StudyResult

PERSON = {"sex": "female", "age": 70, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
PRE_YEARS = 2        # caregiving already under way at enrolment
STUDY_YEARS = 6
FORMER_END = 2       # former caregivers: the spouse dies 2 years into the study
LOAD = 0.5
DAYS_PER_YEAR = 365


HALF = (PRE_YEARS + STUDY_YEARS) * DAYS_PER_YEAR // 2   # a scenario lasts at most 5 years


def run_groups(parameters=None, model=None) -> dict:
    """Controls, caregivers and former caregivers, each as two consecutive 4-year scenarios;
    caregivers and former caregivers share the first one (caregiving in both)."""
    assert (PRE_YEARS + FORMER_END) * DAYS_PER_YEAR == HALF
    care = [chronic("day 1 09:00", f"{HALF - 1} days", LOAD)]
    kw = dict(person=PERSON, outputs=["il6"], parameters=parameters, model=model)
    first = {"calm": simulate_chain([(HALF, [])], **kw),
             "care": simulate_chain([(HALF, care)], **kw)}
    out = {}
    for name, a, prot in (("controls", "calm", []), ("caregivers", "care", care),
                          ("former", "care", [])):
        out[name] = simulate_chain([(HALF, prot)], start_from=first[a], **kw)
    return out


def _slope(ds, y0: float, y1: float) -> float:
    t = ds.time.values
    sel = (t >= y0 * 24 * DAYS_PER_YEAR) & (t <= y1 * 24 * DAYS_PER_YEAR)
    return slope_per_year(t[sel], ds.il6.values[sel])


class KiecoltGlaser2003CaregiverIL6(Study):
    id = "V13"
    title = "chronic caregiving over 6 years: rise of plasma IL-6"
    source = "Kiecolt-Glaser et al. 2003, PNAS"
    protocol_text = (
        f"women aged 70; caregivers: chronic_stressor load {LOAD} (08:00-22:00) from "
        f"{PRE_YEARS} years before enrolment through the {STUDY_YEARS}-year study; former "
        f"caregivers: caregiving ends {FORMER_END} years into the study; controls: none. "
        "Plasma IL-6 at 09:00 daily; least-squares slope per year over the study (former "
        "caregivers: from half a year after caregiving ended)")
    def run(self, *, parameters=None, model=None) -> StudyResult:
        total = PRE_YEARS + STUDY_YEARS
        groups = run_groups(parameters, model)
        ctl, cg, former = groups["controls"], groups["caregivers"], groups["former"]
        s_ctl = _slope(ctl, PRE_YEARS, total)
        s_cg = _slope(cg, PRE_YEARS, total)
        s_after = _slope(former, PRE_YEARS + FORMER_END + 0.5, total)
        s_ctl_after = _slope(ctl, PRE_YEARS + FORMER_END + 0.5, total)
        ok = abs(s_ctl) > 1e-6
        r = s_cg / s_ctl if ok else float("nan")
        r_after = s_after / s_ctl_after if abs(s_ctl_after) > 1e-6 else float("nan")
        s_cg_after = _slope(cg, PRE_YEARS + FORMER_END + 0.5, total)
        r_former = s_after / s_cg_after if abs(s_cg_after) > 1e-6 else float("nan")
        return StudyResult(self, [
            self.check("IL-6 rise caregivers / controls", r),
            self.check("IL-6 rise after caregiving ended / controls (persists)", r_after),
            self.check("IL-6 rise after caregiving ended / current caregivers", r_former),
        ], {"controls": ctl, "caregivers": cg, "former": former},
            note=f"slopes (pg/mL per year): controls {s_ctl:.3g}, caregivers {s_cg:.3g}, former "
                 f"caregivers after the end {s_after:.3g} (current caregivers over the same "
                 f"years {s_cg_after:.3g})")

    def plot(self, result, ax):
        for k in ("controls", "caregivers", "former"):
            ds = result.data[k]
            ax.plot(ds.time / 24 / DAYS_PER_YEAR - PRE_YEARS, ds.il6, label=k)
        ax.set(xlabel="years since enrolment", ylabel="plasma IL-6 at 09:00 (pg/mL)")
