"""V49 (prediction row): a regular emollient after a steroid-cleared eczema flare, flare-free
share over 12 weeks with and without the emollient, in a settled virtual cohort.

What the paper reports (Tiplica et al. 2018, J Eur Acad Dermatol Venereol 32(7):1180-1187;
abstract): multicentre, randomised, parallel-group, open-label study in children with mild to
moderate atopic dermatitis, recruited during a flare; after the flare had resolved with a topical
corticosteroid, 335 children were randomised 1:1:1 to the V0034CR emollient (n = 111), a
reference emollient (n = 116) or no emollient (n = 108) for 12 weeks. A 2017 summary of the
same trial (PracticeUpdate Dermatology) adds: ages 2-6, a potent steroid for the enrolment
flare, new flares "medically assessed" and treated with a moderately potent one, the emollient
(glycerol 15 %, soft paraffin 10 %) twice daily. Complete remission (no new flare over the 12
weeks): 59.5 % (V0034CR), 44.3 % (reference), 29.8 % (no emollient), p < 0.001. SCORAD after 12
weeks: "reduced by 5.28 points in the V0034CR group and by 3.36 points in the reference emollient
group compared with the no emollient group (+4 points)" (p < 0.001; whether -5.28 is a change
within the arm or a difference to the no-emollient arm is not clear from the abstract);
PO-SCORAD -4.88 and -2.67 against +2.90.

Bands (derived here from the abstract's figures):

* flare-free share with a regular emollient: 50.2-68.2 %, the 95 % Wilson interval of 59.5 % of
  the 111 randomised to V0034CR (59.5 % = 66/111). The V0034CR arm is used because it is the
  glycerol-paraffin emollient the paper is about; the reference emollient arm (44.3 % of 116,
  Wilson 35.6-53.4 %) is not a check.
* flare-free share without emollient: 22.0-39.0 %, the 95 % Wilson interval of 29.8 % of the
  108 randomised (29.8 % of 108 is not a whole number; with 31/104 the interval is 21.9-39.2 %).
* EASI change over the 12 weeks, emollient minus no emollient (direction, below 0 points): the
  paper's SCORAD changes (-5.28 against +4) differ in sign between the arms; the model has no
  SCORAD, so only the direction of the between-arm difference is checked, in EASI.

Assumptions of this row (not from the paper):

* the model person is an adult (``age`` must be 18-100 in the model), not a child of 2-6;
* eczema susceptibility 1.0 (the "moderate eczema" person of V37) with its declared between-
  person spread (log-normal, sd of log 0.15), every other declared spread too (including the
  emollient response ``eczema.emollient_gain``, CV 0.3, an assumption); ``N_SCREENED`` virtual
  patients, seed ``SEED``, each settled first (``initial_state="settled"``): the settled state
  is the untreated disease, taken as the flare the patient is recruited in;
* enrolled if the settled EASI is 1.1-21 (mild to moderate by the EASI strata of Leshem et al.
  2015);
* flare treatment: a potent topical corticosteroid (class 3) for 14 days from day 1; the flare
  counts as resolved (patient randomised) if EASI at the end has fallen to at most half of the
  enrolment EASI;
* a new flare: EASI back to at least half of the enrolment EASI on any day of the 12 weeks (the
  paper's flares were "medically assessed"; its flare definition is not in the abstract);
* the emollient is the model's generic ``emollient`` event at coverage 1 (twice daily as
  prescribed) for 84 days from randomisation; new flares are not treated in the model (the
  flare-free share only needs the first flare);
* both arms are the same virtual patients (paired), where the trial randomised parallel groups.

The note also gives the flare-free shares under another definition (EASI above 7, the upper
edge of mild eczema), which was looked at only after the first run; it is reported, not checked,
and the checked definition was not changed after seeing it.

Nothing is fitted to this row (it is in ``PREDICTION_ROWS``).
"""

from __future__ import annotations

import numpy as np

from nicsim.experiments._protocols import PERSON
from nicsim.experiments._treatment_trials import settled_trial_cohort
from nicsim.experiments.base import Study, StudyResult

N_SCREENED = 30
SEED = 2018
ECZEMA_MEDIAN = 1.0
ENROL_EASI = (1.1, 21.0)
TCS_DAYS = 14
WEEKS = 12
FLARE_FRACTION = 0.5          # a new flare: EASI back to this fraction of the enrolment EASI
RANDOMISED = TCS_DAYS         # output index (days after the start) of randomisation
LAST = RANDOMISED + 7 * WEEKS  # output index of the end of the 12 weeks
PATIENT = {**PERSON, "susceptibility": {"eczema": ECZEMA_MEDIAN}}
TCS = {"type": "topical_corticosteroid", "start": "day 1 08:00", "period": f"{TCS_DAYS} days",
       "potency": 3}
EMOLLIENT = {"type": "emollient", "start": f"day {TCS_DAYS + 1} 08:00",
             "period": f"{7 * WEEKS} days", "coverage": 1.0}


def eczema_trial(emollient: bool, parameters=None, model=None, n: int = N_SCREENED,
                 seed: int = SEED) -> np.ndarray:
    """Daily EASI (subject, day) of ``n`` settled virtual patients through the steroid course
    and 12 weeks with (``emollient``) or without the emollient; the same patients for the same
    ``seed``."""
    protocol = [TCS, EMOLLIENT] if emollient else [TCS]
    return settled_trial_cohort("emollient trial", f"{LAST + 1} days", protocol, PATIENT,
                                "easi", n, seed, parameters, model)


def enrolled_and_randomised(easi: np.ndarray) -> np.ndarray:
    """Mild to moderate at enrolment and the flare resolved by the end of the steroid."""
    e0 = easi[:, 0]
    return ((e0 >= ENROL_EASI[0]) & (e0 <= ENROL_EASI[1])
            & (easi[:, RANDOMISED] <= FLARE_FRACTION * e0))


def first_flare_day(easi: np.ndarray) -> np.ndarray:
    """Days from randomisation to the first new flare (EASI >= FLARE_FRACTION x enrolment
    EASI), inf if none within the 12 weeks."""
    window = easi[:, RANDOMISED + 1:LAST + 1]
    hit = window >= FLARE_FRACTION * easi[:, :1]
    return np.where(hit.any(axis=1), hit.argmax(axis=1) + 1.0, np.inf)


def flare_free_share(easi: np.ndarray, randomised: np.ndarray) -> float:
    """Percent of the randomised without a new flare over the 12 weeks; NaN if none."""
    if not randomised.any():
        return float("nan")
    return 100.0 * float(np.mean(np.isinf(first_flare_day(easi[randomised]))))


def _share_above(easi: np.ndarray, randomised: np.ndarray, level: float = 7.0) -> float:
    """Percent of the randomised whose EASI stays at or below ``level`` over the 12 weeks."""
    window = easi[randomised, RANDOMISED + 1:LAST + 1]
    return 100.0 * float(np.mean((window <= level).all(axis=1)))


class Tiplica2018EmollientFlares(Study):
    id = "V49"
    title = "Regular emollient after a cleared eczema flare: flare-free share over 12 weeks"
    source = "Tiplica et al. 2018 (open-label RCT, 335 children, emollient vs none)"
    cohort = True
    protocol_text = (f"{N_SCREENED} virtual patients (eczema susceptibility {ECZEMA_MEDIAN:g} "
                     f"with its declared spread, all declared spreads, seed {SEED}), settled; "
                     f"enrolled if EASI {ENROL_EASI[0]:g}-{ENROL_EASI[1]:g}; potent topical "
                     f"steroid (class 3) for {TCS_DAYS} days, randomised if EASI halved; then "
                     f"{WEEKS} weeks with emollient (coverage 1) or none, same patients; a new "
                     f"flare = EASI back to half the enrolment EASI")
    expected_failure = (
        "nobody stays flare-free in either arm (trial: 59.5 % with emollient, 29.8 % without): "
        "the settled untreated disease is the model patient's only steady state, and after the "
        "steroid stops the Th2 activity returns to it with a 4-day half-life behind a 3-day "
        "lesional-barrier half-life, so EASI is back at half the enrolment value within about "
        "4 days; the emollient (doubling lesional barrier repair) lowers the level it returns "
        "to by about a quarter and delays the relapse by about a day, but does not hold the "
        "remission. The model has no remission state that a repaired barrier could keep and no "
        "flare triggers that come and go, which real remissions of weeks need")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        with_e = eczema_trial(True, parameters, model)
        without = eczema_trial(False, parameters, model)
        rand = enrolled_and_randomised(without)
        ff_e = flare_free_share(with_e, rand)
        ff_n = flare_free_share(without, rand)
        if rand.any():
            d_e = with_e[rand, LAST] - with_e[rand, RANDOMISED]
            d_n = without[rand, LAST] - without[rand, RANDOMISED]
            diff = float(np.mean(d_e - d_n))
            t_e = np.median(first_flare_day(with_e[rand]))
            t_n = np.median(first_flare_day(without[rand]))
            note = (f"{int(rand.sum())}/{len(rand)} enrolled and randomised (enrolment EASI "
                    f"median {np.median(without[rand, 0]):.1f}, at randomisation "
                    f"{np.median(without[rand, RANDOMISED]):.1f}); EASI change over the "
                    f"12 weeks {np.mean(d_e):+.1f} with emollient, {np.mean(d_n):+.1f} "
                    f"without; median days to the first new flare {t_e:g} with emollient, "
                    f"{t_n:g} without; with a new flare defined instead as EASI above 7 "
                    f"(moderate; not checked) flare-free {_share_above(with_e, rand):.0f} % "
                    f"with emollient, {_share_above(without, rand):.0f} % without")
        else:
            diff, note = float("nan"), f"0/{len(rand)} enrolled and randomised"
        return StudyResult(self, [
            self.check("flare-free over 12 weeks with a regular emollient", ff_e),
            self.check("flare-free over 12 weeks without emollient", ff_n),
            self.check("EASI change over 12 weeks, emollient minus none", diff),
        ], {"with_emollient": with_e, "without": without, "randomised": rand}, note=note)

    def plot(self, result, ax):
        rand = result.data["randomised"]
        if not rand.any():
            return
        days = np.arange(result.data["without"].shape[1])
        for key, label, color in (("with_emollient", "emollient", "tab:blue"),
                                  ("without", "no emollient", "tab:red")):
            e = result.data[key][rand]
            rel = 100 * e / e[:, :1]
            ax.plot(days, np.median(rel, axis=0), color=color, label=f"{label}: median")
            ax.fill_between(days, np.percentile(rel, 10, axis=0),
                            np.percentile(rel, 90, axis=0), color=color, alpha=0.15)
        ax.axhline(100 * FLARE_FRACTION, color="grey", ls=":", label="new flare")
        ax.axvline(RANDOMISED, color="k", lw=0.8, label="end of steroid, randomisation")
        ax.set(xlabel="day", ylabel="EASI, % of enrolment")
