"""V41: TEWL over atopic eczema lesions (Montero-Vilchez et al. 2021).

Montero-Vilchez et al. (2021) measured volar-forearm TEWL in 65 adults with mild to severe
atopic dermatitis who had an eczematous lesion on the forearm, and in 157 healthy controls:
28.7 g/m2/h over the lesions, 13.2 on uninvolved atopic skin, 11.6 in controls.

Protocol: a person prone to eczema (susceptibility 1.65, settling near EASI 23 without treatment)
and a healthy default person live 300 days without stressors; read-outs on the last day:
TEWL over a lesion of the eczema patient (band 20-40 g/m2/h around the published 28.7, an
assumption that allows for device and site differences between studies) and its ratio to the
healthy person's forearm TEWL (published 28.7/11.6 = 2.5; band 1.8-3.2, the same relative
allowance). The EASI reached is reported with the data. The lesional-barrier exponent of the
barrier module is fitted to the ratio check (so this row is fitted).
"""

from __future__ import annotations

from nicsim.analysis.readouts import value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

DAYS = 300
SUSCEPTIBILITY = 1.65
OUT = ["easi", "tewl", "tewl_lesional", "barrier_integrity"]


def _scenario(prone: bool):
    person = {"susceptibility": {"eczema": SUSCEPTIBILITY}} if prone else None
    sc = scenario("v41-eczema-tewl" if prone else "v41-healthy", f"{DAYS} days", [],
                  interval="1 day", start="09:00", person=person)
    return sc.replace(outputs=OUT)


class MonteroVilchez2021EczemaTewl(Study):
    id = "V41"
    title = "atopic eczema: TEWL over lesions vs healthy skin"
    source = "Montero-Vilchez et al. 2021"
    protocol_text = (f"eczema-prone person (susceptibility {SUSCEPTIBILITY:g}, EASI about 23) "
                     f"and a healthy person, {DAYS} days without stressors; lesional TEWL and "
                     "its ratio to healthy forearm TEWL on the last day")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        prone = simulate(_scenario(True), parameters=parameters, model=model)
        healthy = simulate(_scenario(False), parameters=parameters, model=model)
        t = (DAYS - 1) * 24.0
        lesional = value_at(prone, "tewl_lesional", t)
        return StudyResult(self, [
            self.check("TEWL over an eczema lesion", lesional),
            self.check("lesional / healthy forearm TEWL", lesional / value_at(healthy, "tewl", t)),
        ], {"prone": prone, "healthy": healthy, "easi": value_at(prone, "easi", t),
            "forearm_tewl": value_at(prone, "tewl", t)})

    def plot(self, result, ax):
        for key, name, color in (("prone", "tewl_lesional", "tab:red"),
                                 ("prone", "tewl", "tab:orange"),
                                 ("healthy", "tewl", "tab:blue")):
            ds = result.data[key]
            ax.plot(ds.time / 24, ds[name], color=color, label=f"{key}: {name}")
        ax.axhspan(*self.band("TEWL over an eczema lesion"), alpha=0.1, color="tab:red")
        ax.set(xlabel="day", ylabel="TEWL (g/m2/h)")
