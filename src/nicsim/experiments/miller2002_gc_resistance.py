"""V28: months of caregiving stress make immune cells glucocorticoid resistant and flatten the
diurnal cortisol slope (Miller, Cohen & Ritchey 2002, Health Psychol 21:531: parents of children
with cancer vs parents of healthy children; dexamethasone suppressed LPS-stimulated IL-6 less
in the stressed parents).

The ex vivo test is read from the model's own glucocorticoid-suppression law (cytokine module):
at a fixed glucocorticoid concentration equal to ``immune.gc_ic50`` (the one that halves
stimulated release at normal sensitivity) the stimulated IL-6 release is 1/(1 + s), where s is
the immune glucocorticoid sensitivity, so the suppression is s/(1 + s)."""

from __future__ import annotations

from nicsim.experiments._protocols import scenario
from nicsim.experiments._wounds import chronic
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 40, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
DAYS = 120
LOAD = 0.5


def run_group(load: float, parameters=None, model=None):
    prot = [chronic("day 1 08:00", f"{DAYS - 1} days", load)] if load > 0 else []
    sc = scenario("caregiving months", f"{DAYS} days", prot, start="08:00", interval="30 min",
                  person=PERSON)
    sc = sc.replace(outputs=["cortisol_saliva"])
    return simulate(sc, parameters=parameters, model=model, include_states=True,
                    initial_state="settled")


def diurnal_slope(ds, last_days: int = 14) -> float:
    """Mean salivary cortisol decline (nmol/L per hour) from 08:00 to 22:00, last days."""
    w = ds.sel(time=slice((DAYS - last_days) * 24, None))
    morning = float(w.cortisol_saliva.where(abs(w.clock - 8) < 0.01).mean())
    evening = float(w.cortisol_saliva.where(abs(w.clock - 22) < 0.01).mean())
    return (morning - evening) / 14


class Miller2002GCResistance(Study):
    id = "V28"
    title = "chronic stress: glucocorticoid resistance and a flatter diurnal cortisol slope"
    source = "Miller, Cohen & Ritchey 2002"
    protocol_text = (
        f"women aged 40; stressed parents: chronic_stressor load {LOAD} (08:00-22:00) for "
        f"{DAYS} days; controls: none. Dexamethasone test: suppression of stimulated IL-6 at a "
        "fixed glucocorticoid concentration (= immune.gc_ic50) on the last day; diurnal slope: "
        "salivary cortisol 08:00 minus 22:00 over the last two weeks")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ctl = run_group(0.0, parameters, model)
        st = run_group(LOAD, parameters, model)

        def suppression(ds):
            s = float(ds["state__hpa__gc_sensitivity"][-1])
            return s / (1 + s)

        r_sup = suppression(st) / suppression(ctl)
        r_slope = diurnal_slope(st) / diurnal_slope(ctl)
        return StudyResult(self, [
            self.check("dexamethasone suppression of IL-6 stressed / controls (weaker)", r_sup),
            self.check("diurnal cortisol slope stressed / controls (flatter)", r_slope),
        ], {"controls": ctl, "stressed": st},
            note=f"suppression {suppression(st):.2f} vs {suppression(ctl):.2f}; slope ratio "
                 f"{r_slope:.2f}")

    def plot(self, result, ax):
        for k in ("controls", "stressed"):
            ds = result.data[k]
            w = ds.sel(time=slice((DAYS - 2) * 24, None))
            ax.plot(w.time / 24, w.cortisol_saliva, label=k)
        ax.set(xlabel="day", ylabel="salivary cortisol (nmol/L)")
