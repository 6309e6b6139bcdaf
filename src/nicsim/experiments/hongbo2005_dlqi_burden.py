"""V30: burden of skin disease on the DLQI scale (Hongbo et al. 2005 bands; Basra et al. 2008).

Virtual cohort of people living with psoriasis, as seen in the dermatology cohorts behind the
DLQI literature: psoriasis susceptibility spread from prone-but-mostly-clear to chronic plaque
disease (log-normal around 1.4, so that the cohort's mean PASI is about 10, the mild-to-moderate
range typical of those cohorts), distress sensitivity with its declared spread, lesion
visibility spread uniformly 0.2-0.8, ordinary fluctuating stress. The read-out is the mean
DLQI-like score over the last week. The acne half of the row runs only when an acne module
(output ``acne_visible``) is in the model; otherwise it is reported as not run in the note.
"""

from __future__ import annotations

import numpy as np

from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Check, Study, StudyResult
from nicsim.experiments.snast2018_psoriasis_stress import protocol as weekly_stress
from nicsim.solve.simulate import (
    default_model,
    model_parameters,
    sample_parameters,
    simulate_cohort,
)

N_SUBJECTS = 120
SEED = 2005
WEEKS = 6
BURN_IN_DAYS = 84     # settles the skin conditions from clear skin
RTOL = 1e-3
PSO_MEDIAN, PSO_SPREAD = 1.4, 0.3   # susceptibility ~ LogNormal (median, sd of log)
BANDS = (0, 2, 6, 11, 21, 31)       # DLQI bands 0-1 / 2-5 / 6-10 / 11-20 / 21-30


def _person(cond: str) -> dict:
    return {"sex": "female", "age": 40, "sleep": {"bedtime": "23:00", "wake": "07:00"},
            "susceptibility": {cond: 1.0}}


def _cohort(model, parameters, cond: str, median: float, rng):
    sc = scenario(f"{cond}-burden", f"{WEEKS} weeks", weekly_stress(SEED)[:WEEKS],
                  interval="1 day", person=_person(cond))
    out = ["dlqi", "pasi" if cond == "psoriasis" else "dlqi"]
    sc = sc.replace(outputs=list(dict.fromkeys(out)), rtol=RTOL)
    base = model_parameters(model, sc, parameters)
    P = sample_parameters(model, base, N_SUBJECTS, rng)
    ids = model.parameter_ids
    P[:, ids.index(f"{cond}.f_susceptibility")] = median * np.exp(
        rng.normal(0.0, PSO_SPREAD, N_SUBJECTS))
    P[:, ids.index("distress.visibility")] = rng.uniform(0.2, 0.8, N_SUBJECTS)
    return simulate_cohort(sc, model=model, P=P, burn_in_days=BURN_IN_DAYS)


class Hongbo2005DLQIBurden(Study):
    id = "V30"
    expected_failure = (
        "psoriasis cohort mean DLQI 13.4, just above the 6-13 band (acne 7.1 passes): after "
        "merging the neuro (mast cells), barrier, acne and systemic modules into the model, "
        "the psoriasis loop's bistable range moved: the calm, distress-sensitive person now "
        "sits on the flared branch; the skin calibration (default.d/skin_b.yaml) has to be "
        "redone on the integrated model")
    title = "Skin-related quality of life (DLQI) in psoriasis and acne cohorts"
    source = "Hongbo et al. 2005; Basra et al. 2008"
    refs = ("hongbo2005", "basra2008")
    cohort = True
    protocol_text = (f"{N_SUBJECTS} virtual people with psoriasis (susceptibility log-normal "
                     f"around {PSO_MEDIAN}, visibility 0.2-0.8, seed {SEED}), {BURN_IN_DAYS}-day "
                     f"settling, {WEEKS} weeks of ordinary fluctuating stress; mean DLQI over the "
                     "last week. Acne: the same with acne susceptibility, when an acne module "
                     "is present")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        model = model or default_model()
        rng = np.random.default_rng(SEED)
        ds = _cohort(model, parameters, "psoriasis", PSO_MEDIAN, rng)
        dlqi = ds.dlqi.values[:, -7:].mean(axis=1)
        pasi = ds.pasi.values[:, -7:].mean(axis=1)
        checks = [Check("mean DLQI, psoriasis cohort", float(dlqi.mean()), 6, 13)]
        data = {"psoriasis": dlqi, "pasi": pasi}
        note = (f"psoriasis cohort mean PASI {pasi.mean():.1f} (median {np.median(pasi):.1f}); "
                "DLQI bands 0-1/2-5/6-10/11-20/21-30: "
                + "/".join(f"{100 * np.mean((dlqi >= a) & (dlqi < b)):.0f}"
                           for a, b in zip(BANDS[:-1], BANDS[1:], strict=True)) + " %")
        if "acne.f_susceptibility" in model.parameter_ids and any(
                o.name == "acne_visible" for o in model.outputs):
            da = _cohort(model, parameters, "acne", 1.0, rng)
            acne = da.dlqi.values[:, -7:].mean(axis=1)
            checks.append(Check("mean DLQI, acne cohort", float(acne.mean()), 3, 8))
            data["acne"] = acne
        else:
            note += ("; acne part not run: no acne module (acne_visible) in this model, so the "
                     "acne band 3-8 is unchecked here")
        return StudyResult(self, checks, data, note=note)

    def plot(self, result, ax):
        d = result.data
        groups = [k for k in ("psoriasis", "acne") if k in d]
        ax.boxplot([d[k] for k in groups], positions=range(len(groups)), widths=0.4)
        for i, k in enumerate(groups):
            lo, hi = (6, 13) if k == "psoriasis" else (3, 8)
            ax.add_patch(__import__("matplotlib.patches").patches.Rectangle(
                (i - 0.35, lo), 0.7, hi - lo, alpha=0.2, color="tab:green", lw=0,
                label="published band of the mean" if i == 0 else None))
            ax.plot([i], [np.mean(d[k])], "o", color="tab:red",
                    label="model mean" if i == 0 else None)
        for y in BANDS[1:-1]:
            ax.axhline(y - 0.5, color="grey", lw=0.5, ls=":")
        ax.set(xticks=range(len(groups)), xticklabels=groups, ylabel="DLQI (0-30)")
