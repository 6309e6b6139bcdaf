"""V47: response of plaque psoriasis to 4 weeks of a very potent topical corticosteroid
(clobetasol propionate 0.05 %) in a settled virtual cohort (Esposito et al. 2007: open-label,
12 patients with plaque psoriasis, baseline PASI 7.5, twice daily for 4 weeks: PASI 50 in 11/12
= 91.6 %, PASI 75 in 5/12 = 41.6 % at week 4; the vehicle-controlled spray trials report
"clear or almost clear" in more than 78 % at week 4).

Bands: the exact (Clopper-Pearson) 95 % intervals of Esposito's proportions: PASI 75 15-72 %,
PASI 50 61.5-100 %. The row is a prediction (nothing was fitted to it).

Cohort: the V16 psoriasis population (susceptibility log-normal around 1.4, sd of log 0.3, every
declared between-person spread including the steroid response), each person settled first;
enrolled if baseline PASI >= 3 (mild to moderate plaque psoriasis, as topical trials enrol).
Potency class 4 (very potent, clobetasol) for 28 days from day 1.

The steroid acts on plaques through two routes: it divides the immune drive (``tcs_gain``) and
clears plaque directly (``psoriasis.tcs_clearance``, antiproliferative; sized to the first-week
fall of plaque elevation in the clobetasol spray trials, Brodell and Preston 2012, not to this
row). Before the direct route, PASI fell by about 40 % in 4 weeks and the row failed (PASI 50 in
almost nobody). Week 2 is reported in the note (Esposito: PASI 50 in 83.3 %, mean PASI 7.5 ->
2.5), not checked.
"""

from __future__ import annotations

from nicsim.experiments._treatment_trials import (
    PSO_SPREAD,
    enrolment_note,
    plot_pasi_course,
    psoriasis_trial,
    responder_rate,
)
from nicsim.experiments.base import Study, StudyResult

N_SCREENED = 40
SEED = 2007
WEEKS = 4
PSO_MEDIAN = 1.4
ENROL_PASI = 3.0
TCS = {"type": "topical_corticosteroid", "start": "day 1 08:00", "period": "28 days",
       "potency": 4}


class Esposito2007ClobetasolResponse(Study):
    id = "V47"
    title = "Very potent topical steroid for 4 weeks: PASI 50 / PASI 75 (settled cohort)"
    source = "Esposito et al. 2007 (open-label clobetasol foam, n = 12)"
    cohort = True
    protocol_text = (f"{N_SCREENED} screened virtual patients (psoriasis susceptibility "
                     f"log-normal around {PSO_MEDIAN}, sd of log {PSO_SPREAD}, all declared "
                     f"spreads, seed {SEED}), settled; enrolled if baseline PASI >= "
                     f"{ENROL_PASI:g}; topical corticosteroid potency 4 for 28 days; PASI 75 "
                     "and PASI 50 at day 28")
    def run(self, *, parameters=None, model=None) -> StudyResult:
        pasi = psoriasis_trial([TCS], WEEKS + 2, PSO_MEDIAN, N_SCREENED, SEED, parameters,
                               model)
        enrolled = pasi[:, 0] >= ENROL_PASI
        r75 = responder_rate(pasi, 28, enrolled, 0.75)
        r50 = responder_rate(pasi, 28, enrolled, 0.50)
        return StudyResult(self, [
            self.check("PASI 75 after 4 weeks of a very potent topical steroid", r75),
            self.check("PASI 50 after 4 weeks of a very potent topical steroid", r50),
        ], {"pasi": pasi, "enrolled": enrolled},
            note=enrolment_note(pasi, enrolled, 28, "day 28")
            + f"; week 2 (time course, not checked): PASI 50 in "
              f"{responder_rate(pasi, 14, enrolled, 0.50):.0f} % (published 83.3 %), mean "
              f"PASI reduction {100 * (1 - (pasi[enrolled, 14] / pasi[enrolled, 0]).mean()):.0f} %"
              " (published 7.5 -> 2.5, 67 %)")

    def plot(self, result, ax):
        plot_pasi_course(ax, result.data)
        for y, lab in ((25, "PASI 75"), (50, "PASI 50")):
            ax.axhline(y, color="grey", ls=":", label=lab)
        ax.axvline(28, color="k", lw=0.8, label="end of steroid")
        ax.set(xlabel="day", ylabel="PASI, % of baseline")
