"""V30: burden of skin disease on the DLQI scale (Hongbo et al. 2005 bands; Basra et al. 2008).

Psoriasis: the virtual population of V16 (people living with psoriasis, susceptibility
log-normal around 1.4 so that the mean PASI is about 10, the mild-to-moderate range of the
clinic cohorts behind the DLQI literature; visibility 0.2-0.8; declared spreads), read in the
week before its stress peak: the mean DLQI-like score over that week. The simulation is shared
with V16. Acne: a virtual population of acne-prone people (acne susceptibility log-normal around
1, the same visibility and spreads) under the same fluctuating stress for 6 weeks; it runs only
when an acne module (output ``acne_visible``) is in the model, otherwise the note says so.
"""

from __future__ import annotations

import numpy as np

from nicsim._default import default_model
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.experiments.snast2018_psoriasis_stress import (
    PERSON,
    RTOL,
    SEED,
    T_ON,
    population,
    protocol,
    psoriasis_cohort,
)
from nicsim.solve.simulate import simulate_cohort

ACNE_WEEKS = 6
ACNE_SEED = 2005
BANDS = (0, 2, 6, 11, 21, 31)       # DLQI bands 0-1 / 2-5 / 6-10 / 11-20 / 21-30


def acne_cohort(parameters=None, model=None):
    model = model or default_model()
    sc = scenario("acne-burden", f"{ACNE_WEEKS} weeks", protocol(SEED, weeks=ACNE_WEEKS),
                  interval="1 day", person={**PERSON, "susceptibility": {"acne": 1.0}})
    sc = sc.replace(outputs=["dlqi"], rtol=RTOL)
    P = population(model, parameters, "acne", np.random.default_rng(ACNE_SEED), median=1.0)
    return simulate_cohort(sc, model=model, P=P, initial_state="settled")


class Hongbo2005DLQIBurden(Study):
    id = "V30"
    title = "Skin-related quality of life (DLQI) in psoriasis and acne cohorts"
    source = "Hongbo et al. 2005; Basra et al. 2008"
    cohort = True
    protocol_text = ("psoriasis: the V16 population (100 virtual people, susceptibility "
                     "log-normal around 1.4, visibility 0.2-0.8) in the week before the stress "
                     "peak; acne: 100 acne-prone virtual people, 6 weeks of the same fluctuating "
                     "stress, last week; mean DLQI-like score")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        model = model or default_model()
        ds = psoriasis_cohort(parameters, model)
        dlqi = ds.dlqi.values[:, T_ON - 7:T_ON].mean(axis=1)
        pasi = ds.pasi.values[:, T_ON - 7:T_ON].mean(axis=1)
        checks = [self.check("mean DLQI, psoriasis cohort", float(dlqi.mean()))]
        data = {"psoriasis": dlqi, "pasi": pasi}
        note = (f"psoriasis cohort mean PASI {pasi.mean():.1f} (median {np.median(pasi):.1f}); "
                "DLQI bands 0-1/2-5/6-10/11-20/21-30: "
                + "/".join(f"{100 * np.mean((dlqi >= a) & (dlqi < b)):.0f}"
                           for a, b in zip(BANDS[:-1], BANDS[1:], strict=True)) + " %")
        if "acne.f_susceptibility" in model.parameter_ids and any(
                o.name == "acne_visible" for o in model.outputs):
            acne = acne_cohort(parameters, model).dlqi.values[:, -7:].mean(axis=1)
            checks.append(self.check("mean DLQI, acne cohort", float(acne.mean())))
            data["acne"] = acne
        else:
            note += ("; acne part not run: no acne module (acne_visible) in this model, so the "
                     "acne band 3-8 is unchecked here")
        return StudyResult(self, checks, data, note=note)

    def plot(self, result, ax):
        import matplotlib.patches as mpatches

        d = result.data
        groups = [k for k in ("psoriasis", "acne") if k in d]
        ax.boxplot([d[k] for k in groups], positions=range(len(groups)), widths=0.4)
        for i, k in enumerate(groups):
            lo, hi = (6, 13) if k == "psoriasis" else (3, 8)
            ax.add_patch(mpatches.Rectangle((i - 0.35, lo), 0.7, hi - lo, alpha=0.2,
                                            color="tab:green", lw=0,
                                            label="published band of the mean" if i == 0
                                            else None))
            ax.plot([i], [np.mean(d[k])], "o", color="tab:red",
                    label="model mean" if i == 0 else None)
        for y in BANDS[1:-1]:
            ax.axhline(y - 0.5, color="grey", lw=0.5, ls=":")
        ax.set(xticks=range(len(groups)), xticklabels=groups, ylabel="DLQI (0-30)")
