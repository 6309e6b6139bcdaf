"""Dermal collagen: synthesis under glucocorticoids and premature ageing (M3, M8).

Glucocorticoids inhibit fibroblast procollagen synthesis in human skin in vivo: procollagen
propeptides in suction-blister fluid fall by 75-92 % within 1-2 days of potent topical
corticosteroid (Oikarinen et al. 1992), to about 20 % of control under systemic prednisone
0.48 mg/kg/day (Autio et al. 1994), and recover only over weeks (Haapasaari et al. 1996). Here
procollagen synthesis follows days-averaged free cortisol through one-site inhibition, normalised
to 1 at the calm mean (the same form as the immune module's glucocorticoid factor), and topical
corticosteroid by potency class. Collagen content is a labile pool of newly deposited collagen
(turnover of months; Babraj et al. 2005) that matures into the stable pool (half-life about 15
years; Verzijl et al. 2000). Inflammatory cytokines raise matrix-metalloproteinase degradation
(Fisher et al. 1997). ``collagen_index`` is 1 for a calm person; it falls slowly, over months to
years, under chronic glucocorticoid excess or inflammation: the premature-ageing path.

Equations (hours)::

    target = (1 + cortisol_ref/gc_ic50) / (1 + cortisol_free_avg/gc_ic50)
             / (1 + tcs_gain*topical_corticosteroid)
    d synthesis/dt = ln2/synthesis_half_life * (target - synthesis)
    deg = 1 + mmp_gain*smooth_max0(tnf_excess - tnf_excess_rest)/mmp_k
    d labile/dt = ln2/labile_half_life * (synthesis - labile*deg)
    d mature/dt = ln2/mature_half_life * (labile - mature*deg)
    collagen_index = labile_fraction*labile + (1 - labile_fraction)*mature
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Literature, Module
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 74


def build() -> Module:
    m = Module("collagen", "Dermal collagen", __doc__, mechanisms=("M3", "M8"))
    c_avg = m.input("cortisol_free_avg", "nmol/L")
    tnf_x = m.input("tnf_excess", "pg/mL")
    tcs = m.exogenous("topical_corticosteroid", "dimensionless",
                      "topical corticosteroid potency class (0-4) while on the regimen")

    c_ref = m.parameter("cortisol_ref", 10.5, "nmol/L",
                        Derived("24-h mean free cortisol of a calm settled day in this model "
                                "(10.52 nmol/L; hpa module, default parameter set; "
                                "scripts/derive_calm_cortisol_reference.py)"))
    ic50 = m.parameter("gc_ic50", 3.9, "nmol/L",
                       Derived("prednisone 0.48 mg/kg/day (about 6-7 x the daily cortisol "
                               "production in glucocorticoid potency) left about 20 % of "
                               "procollagen synthesis: (1 + r)/(1 + 6.5 r) = 0.2 gives "
                               "r = cortisol_ref/ic50 = 2.7, so ic50 = 10.5/2.7 = 3.9 nmol/L",
                               refs=("autio1994",)),
                       bounds=(0.5, 50))
    g_tcs = m.parameter("tcs_gain", 2.9, "dimensionless",
                        Derived("clobetasol (class 4) cut procollagen propeptides by 92 % within "
                                "2 days: 1/(1 + 4 g) = 0.08", refs=("oikarinen1992",)))
    t_syn = m.parameter("synthesis_half_life", 2.0, "day",
                        Assumption("synthesis falls within 1-2 days of glucocorticoid and "
                                   "recovers over one to two weeks; one half-life of 2 days is "
                                   "the compromise",
                                   refs=("oikarinen1992", "oikarinen1998", "haapasaari1996")))
    target = (1 + c_ref / ic50) / (1 + c_avg / ic50) / (1 + g_tcs * tcs)
    syn = m.state("synthesis", 1.0, "dimensionless",
                  "procollagen synthesis rate relative to a calm person")
    m.rate(syn, LN2 / t_syn * (target - syn))
    m.output("collagen_synthesis", syn, "dimensionless",
             "dermal procollagen synthesis (1 = calm person; suction-blister propeptides)")

    g_mmp = m.parameter("mmp_gain", 0.5, "dimensionless",
                        Assumption("TNF/IL-1 induce fibroblast MMP-1; sustained inflammation "
                                   "speeds collagen breakdown", refs=("fisher1997",)))
    k_mmp = m.parameter("mmp_k", 10.0, "pg/mL",
                        Assumption("a plasma TNF excess of about 10 pg/mL raises degradation "
                                   "by half of mmp_gain"))
    t_lab = m.parameter("labile_half_life", 60.0, "day",
                        Assumption("skin collagen fractional synthesis of the order of 1 %/day "
                                   "implies a labile pool turning over in months",
                                   refs=("babraj2005",)))
    t_mat = m.parameter("mature_half_life", 15.0, "year",
                        Literature("verzijl2000", "skin collagen half-life about 15 years"))
    f_lab = m.parameter("labile_fraction", 0.2, "dimensionless",
                        Assumption("a minor part of dermal collagen is newly deposited and "
                                   "still turning over"))
    x_rest = m.parameter("tnf_excess_rest", 0.23, "pg/mL",
                         Derived("tnf_excess of a calm person in the immune module (plasma TNF "
                                 "about 1.7 pg/mL against its 1.5 pg/mL reference)"))
    eps = m.parameter("tnf_smoothing", 0.05, "pg/mL",
                      Assumption("numerical: width of the smooth max(x, 0)"))
    deg = 1 + g_mmp * smooth_max0(tnf_x - x_rest, eps) / k_mmp
    lab = m.state("labile", 1.0, "dimensionless", "newly deposited collagen (1 = calm person)")
    mat = m.state("mature", 1.0, "dimensionless", "mature cross-linked collagen (1 = calm)")
    m.rate(lab, LN2 / t_lab * (syn - lab * deg))
    m.rate(mat, LN2 / t_mat * (lab - mat * deg))
    m.output("collagen_index", f_lab * lab + (1 - f_lab) * mat, "dimensionless",
             "dermal collagen content (1 = calm adult; premature ageing below 1)")
    return m
