"""V48: response of acne to 12 weeks of a topical retinoid with benzoyl peroxide (adapalene
0.1 % / BPO 2.5 % gel once daily) in a settled virtual cohort (Sittart et al. 2015: multicentre
open-label study, 73 completers: inflammatory lesions reduced by more than 50 % in 69.9 % =
51/73 of patients at week 12; Thiboutot et al. 2007 is the controlled trial of the same gel).

Band: the exact (Clopper-Pearson) 95 % interval of 51/73, 58-80 %. The row is a prediction
(nothing was fitted to it; the drug effects were sized to the mean 12-week effect of Thiboutot
2007, a different read-out, so the report lists the shared publication context).

Cohort: acne-prone young adults (susceptibility 1 with its declared spread, every declared
between-person spread including the retinoid response and the adherence to the gel), each
settled first; the gel prescribed every day for 12 weeks from day 1 evening. Each person applies
it on a fraction of the days (``acne.topical_adherence``: mean 56.5 % with a beta spread, both
from the adherence measured for the same gel by Myhill et al. 2017, not from this row); the
drug effects are those of a day of use (the former mean-effect sizes divided by the mean
adherence). Before adherence was represented, about 90 % of the cohort responded (row failed).

Read-outs: share with more than 50 % fewer inflammatory
lesions at week 12 (size) and at week 4 (time course; the trials report a fast response
within weeks, but no responder rate at week 4, so that check is reported in the note only).
"""

from __future__ import annotations

import numpy as np

from nicsim._default import default_model
from nicsim.experiments._protocols import PERSON, scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.problem import model_parameters
from nicsim.solve.simulate import sample_parameters, simulate_cohort

N_SUBJECTS = 40
SEED = 2015
WEEKS = 12
STUDENT = {**PERSON, "age": 21, "susceptibility": {"acne": 1.0}}
GEL = {"type": "retinoid_bpo", "start": "day 1 20:00", "period": f"{7 * WEEKS} days"}


def acne_trial(parameters=None, model=None, n: int = N_SUBJECTS, seed: int = SEED):
    """Daily inflammatory lesion counts (subject, day) through the 12-week course."""
    model = model or default_model()
    sc = scenario("adapalene-bpo", f"{WEEKS + 1} weeks", [GEL], interval="1 day",
                  person=STUDENT).replace(outputs=["acne_lesions"], rtol=1e-3)
    base = model_parameters(model, sc, parameters)
    P = sample_parameters(model, base, n, np.random.default_rng(seed))
    ds = simulate_cohort(sc, model=model, P=P, initial_state="settled")
    return ds.acne_lesions.values


def responders(lesions: np.ndarray, day: int, fall: float = 0.5) -> float:
    """Percent of subjects whose lesion count at ``day`` fell by more than ``fall``."""
    return 100.0 * float(np.mean(lesions[:, day] < (1 - fall) * lesions[:, 0]))


class Sittart2015AdapaleneBpoResponse(Study):
    id = "V48"
    title = "Topical retinoid + BPO for 12 weeks: responders (>50 % fewer inflammatory lesions)"
    source = "Sittart et al. 2015 (open-label, n = 73); Thiboutot et al. 2007"
    cohort = True
    protocol_text = (f"{N_SUBJECTS} virtual acne-prone adults aged 21 (all declared spreads, "
                     f"seed {SEED}, adherence included), settled; retinoid_bpo prescribed every "
                     f"day for {WEEKS} weeks; share "
                     "with > 50 % fewer inflammatory lesions at week 12")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        les = acne_trial(parameters, model)
        last = min(7 * WEEKS, les.shape[1] - 1)
        r12 = responders(les, last)
        r4 = responders(les, 28)
        med = 100.0 * float(np.median(1 - les[:, last] / les[:, 0]))
        adherence = self._adherence(parameters, model)
        return StudyResult(self, [
            self.check("more than 50 % fewer inflammatory lesions after 12 weeks", r12),
        ], {"lesions": les},
            note=f"responders at week 4 {r4:.0f} %; median lesion reduction at week 12 "
                 f"{med:.0f} %; baseline lesions median {np.median(les[:, 0]):.1f}; "
                 f"adherence of the cohort median {adherence:.0%}")

    @staticmethod
    def _adherence(parameters, model) -> float:
        """Median adherence of the cohort's persons (same draws as :func:`acne_trial`)."""
        model = model or default_model()
        sc = scenario("adapalene-bpo", "1 day", [], person=STUDENT)
        base = model_parameters(model, sc, parameters)
        P = sample_parameters(model, base, N_SUBJECTS, np.random.default_rng(SEED))
        return float(np.median(P[:, model.parameter_index("acne.topical_adherence")]))

    def plot(self, result, ax):
        les = result.data["lesions"]
        rel = 100 * les / les[:, :1]
        weeks = np.arange(les.shape[1]) / 7.0
        ax.plot(weeks, np.median(rel, axis=0), label="median, % of baseline")
        ax.fill_between(weeks, np.percentile(rel, 10, axis=0), np.percentile(rel, 90, axis=0),
                        alpha=0.2, label="10-90 %")
        ax.axhline(50, color="grey", ls=":", label="50 % reduction")
        ax.set(xlabel="weeks of retinoid + BPO", ylabel="inflammatory lesions, % of baseline")
