"""V46: response rate of chronic plaque psoriasis to a course of narrow-band UVB (NB-UVB)
phototherapy in a settled virtual trial cohort (Yones et al. 2006; Koek et al. 2009; Tanew et
al. 1999).

Published: PASI 75 in 41 % of patients of a pragmatic trial of outpatient and home NB-UVB (Koek
2009, PLUTO, mild to severe psoriasis); clearance in 65 % of patients of skin types I-IV after
up to 30 twice-weekly sessions (Yones 2006; clearance is stricter than PASI 75); median PASI
reduction 84 % after 18 thrice-weekly exposures (Tanew 1999). Band for the share of patients
reaching PASI 75 after 12 weeks of thrice-weekly NB-UVB: 40-80 %. The row is a prediction
(nothing was fitted to it).

Cohort: psoriasis susceptibility log-normal around 2 (sd of log 0.3) and every declared
between-person spread (including the UVB clearance rate and the stress gain), each person
settled to her own steady state (``initial_state="settled"``). Enrolment as in the trials:
baseline PASI >= 10 (moderate to severe). NB-UVB three times a week for 12 weeks from 0.3 J/cm2,
+0.05 J/cm2 per session up to 1.5 J/cm2 (the V24 regimen). Read-outs among the enrolled: PASI 75
at week 12 (size) and at week 4 (time course: the published courses need 20-30 sessions, so
few patients respond within 4 weeks; band 0-30 %, Yones 2006 median 28.5 sessions to clearance).
"""

from __future__ import annotations

import numpy as np

from nicsim.experiments._treatment_trials import (
    PSO_SPREAD,
    enrolment_note,
    plot_pasi_course,
    psoriasis_trial,
    responder_rate,
)
from nicsim.experiments.base import Study, StudyResult

N_SCREENED = 40
SEED = 2006
WEEKS = 12
PSO_MEDIAN = 2.0
ENROL_PASI = 10.0
UVB = {"type": "nb_uvb", "at": "day 1 10:00", "weeks": WEEKS, "dose": "0.3 J/cm2",
       "increment": "0.05 J/cm2", "max_dose": "1.5 J/cm2"}


def pasi75_rate(pasi: np.ndarray, day: int, enrolled: np.ndarray) -> float:
    """Percent of the enrolled with PASI at ``day`` at most 25 % of baseline."""
    return responder_rate(pasi, day, enrolled, 0.75)


class Yones2006NbUvbResponse(Study):
    id = "V46"
    title = "NB-UVB course: PASI 75 response rate and time course (settled trial cohort)"
    source = "Yones et al. 2006; Koek et al. 2009 (PLUTO); Tanew et al. 1999"
    cohort = True
    protocol_text = (f"{N_SCREENED} screened virtual patients (psoriasis susceptibility "
                     f"log-normal around {PSO_MEDIAN}, sd of log {PSO_SPREAD}, all declared "
                     f"spreads, seed {SEED}), settled; enrolled if baseline PASI >= "
                     f"{ENROL_PASI:g}; NB-UVB 3x/week for {WEEKS} weeks, 0.3 J/cm2 + 0.05 per "
                     "session up to 1.5; PASI 75 at weeks 4 and 12")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        pasi = psoriasis_trial([UVB], WEEKS, PSO_MEDIAN, N_SCREENED, SEED, parameters,
                               model)
        enrolled = pasi[:, 0] >= ENROL_PASI
        last = min(7 * WEEKS, pasi.shape[1] - 1)
        r12 = pasi75_rate(pasi, last, enrolled)
        r4 = pasi75_rate(pasi, 28, enrolled)
        return StudyResult(self, [
            self.check("PASI 75 after 12 weeks of NB-UVB", r12),
            self.check("PASI 75 after 4 weeks of NB-UVB (time course)", r4),
        ], {"pasi": pasi, "enrolled": enrolled},
            note=enrolment_note(pasi, enrolled, last, "week 12"))

    def plot(self, result, ax):
        plot_pasi_course(ax, result.data, days_per_unit=7.0)
        ax.axhline(25, color="grey", ls=":", label="PASI 75")
        ax.set(xlabel="weeks of NB-UVB", ylabel="PASI, % of baseline")
