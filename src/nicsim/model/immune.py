"""Innate immunity: endotoxin, monocytes and cytokines (M6, M11, M12 input).

Built on the human endotoxemia model of Windoloski, Janum, Berg & Olufsen (2024; code MIT), with
its bolus parameter set: endotoxin activates resting monocytes (MR -> MA) with TNF amplification
and IL-10 inhibition; activated monocytes release TNF, IL-6 and IL-10 with mutual Hill
regulation. Added here, each with its source:

* IL-1beta released by activated monocytes like TNF (same regulation, smaller plasma amount).
* Glucocorticoid suppression of TNF/IL-6/IL-1 release by free cortisol, weakened by immune
  glucocorticoid resistance (DeRijk et al. 1997; Miller et al. 2002). Normalised to 1 at the
  morning free cortisol of the endotoxemia studies so the fitted parameters keep their meaning.
  It acts through the glucocorticoid receptor: occupancy follows free cortisol within minutes,
  but transrepression of NF-kB/AP-1 target genes needs nuclear GR and new mRNA and protein
  (Barnes 1998; the slow onset of receptor-mediated corticosteroid effects, Jusko 1994), and a
  6-h hydrocortisone infusion that ended 6 h before endotoxin no longer changed the cytokine
  response while one given with endotoxin abolished the TNF peak (Barber et al. 1993). The
  suppression (``gc_factor``) therefore follows its free-cortisol target with a first-order lag
  (``gr_half_life``, 1 h); at a steady cortisol level nothing changes.
* The cholinergic anti-inflammatory factor from the autonomic module (Borovikova et al. 2000).
* Stress-induced IL-6: sympathetic activation primes monocyte NF-kB and IL-6 release over about an
  hour (Bierhaus et al. 2003; Steptoe et al. 2007), the source of the acute-stress IL-6 rise and of
  low-grade inflammation under chronic stress.
* Glucocorticoid induction of IL-10 in vivo: a 100-mg hydrocortisone bolus raises plasma IL-10
  about four-fold with a peak at 4 h, back by 8 h, without any endotoxin (Dandona et al. 1999),
  and hydrocortisone before endotoxin raises the IL-10 peak eleven-fold although it lowers
  LPS-stimulated IL-10 in whole blood in vitro (van der Poll et al. 1996): a systemic,
  receptor-mediated induction that is not the monocytes' endotoxin response. Receptor
  occupancy for it (``il10_gc_ec50``) passes three transit stages (a delay of hours) and raises
  the basal IL-10 set point (``il10_gc_gain``; 1 at the morning reference cortisol). The fever
  route reads IL-10 above that set point (``il10_excess``).
* Gut-derived endotoxin (gut_skin module, M10) multiplies the basal release of TNF, IL-6 and
  IL-1beta by ``gut_endotoxin_factor`` (g below; 1 at the person's baseline).

Equations (hours; up/down are Hill functions)::

    dE/dt   = lps_infusion - kE*E
    act     = up(E,xME,hME) * (kM + kMTNF*up(TNF,xMTNF,hMTNF)) * down(IL10,xM10,hM10) * MR
    dMR/dt  = kMR*MR*(1 - MR/Mmax) - act
    dMA/dt  = act - kMA*MA
    s       = gc_factor * cap_factor
    dTNF/dt = kTNFM*down(IL6)*down(IL10)*MA*s - kTNF*(TNF - wTNF*s*g)
    dIL6/dt = (k6M + k6TNF*up(TNF))*down(IL6)*down(IL10)*MA*s
              - k6*(IL6 - w6*ageing*s*g*(1 + g6*nfkb))   (ageing: il6_ageing_factor, default 1)
    dIL10/dt= (k10M + k106*up(IL6))*MA - k10*(IL10 - w10*(1 + g10*ind)/(1 + g10*occ_ref))
    occ     = gc_sensitivity*cortisol_free / (il10_gc_ec50 + gc_sensitivity*cortisol_free)
    occ -> transit1 -> transit2 -> ind, each d x/dt = ln2/il10_induction_half_life*(in - x)
              (g10: il10_gc_gain; occ_ref: occ at gc_reference)
    dIL1/dt = k1M*down(IL10)*MA*s - k1*(IL1 - w1*s*g)
    dnfkb/dt= ln2/nfkb_half_life*(smooth_max0(sympathetic - 1) - nfkb)
    gc_target = (1 + gc_reference/gc_ic50) / (1 + gc_sensitivity*cortisol_free/gc_ic50)
    dgc_factor/dt = ln2/gr_half_life*(gc_target - gc_factor)
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.motifs import LN2, hill_down, hill_up, smooth_max0

ORDER = 50


def build() -> Module:
    m = Module("immune", "Innate immunity and cytokines", __doc__, mechanisms=("M6", "M11"))
    free = m.input("cortisol_free", "nmol/L")
    gsens = m.input("gc_sensitivity_signal", "dimensionless")
    cap = m.input("cap_factor", "dimensionless")
    sns = m.input("sympathetic_tone", "dimensionless")
    age_f = m.input("il6_ageing_factor", "dimensionless", default=1.0,
                    doc="slow rise of basal IL-6 with age and chronic stress (1 = none)")
    gut = m.input("gut_endotoxin_factor", "dimensionless", default=1.0,
                  doc="gut-derived endotoxin's factor on basal cytokine release (1 = none)")
    infusion = m.exogenous("lps_infusion", "ng/kg/hour", "endotoxin infusion rate")

    def W(name, value, unit, doc="", src="bolus parameter set (bolus_model_pars.m)", fit=()):
        source = Literature("windoloski2024", src)
        if fit:  # re-fitted here, with the published value as prior
            source = Fitted("default", fit, prior=source)
        return m.parameter(name, value, unit, source, doc)

    kE = W("kE", 1.01, "1/hour", "endotoxin elimination")
    kMR = W("kMR", 0.006, "1/hour", "resting monocyte renewal")
    kMA = W("kMA", 2.51, "1/hour", "activated monocyte decay", fit=("V08",))
    kMTNF = W("kMTNF", 8.6497, "1/hour", "TNF-amplified activation")
    kM = W("kM", 0.0414, "1/hour", "endotoxin activation")
    xME = W("xME", 3.3, "ng/kg")
    xM10 = W("xM10", 4.35 / 1.12, "pg/mL", src="4.35/s10, s10 = 1.12")
    xMTNF = W("xMTNF", 100 / 0.71, "pg/mL", src="100/sT, sT = 0.71")
    hME = W("hME", 1.0, "dimensionless")
    hM10 = W("hM10", 0.3, "dimensionless")
    hMTNF = W("hMTNF", 3.16, "dimensionless")
    mmax = W("Mmax", 30000.0, "dimensionless", "monocyte capacity (model units)")
    kTNF = W("kTNF", 1.0, "1/hour", "TNF elimination", fit=("V08",))
    kTNFM = W("kTNFM", 0.6 / 0.71, "pg/mL/hour", src="0.6/sT")
    xTNF10 = W("xTNF10", 17.4 / 1.12, "pg/mL", src="17.4/s10")
    xTNF6 = W("xTNF6", 560.0, "pg/mL")
    hTNF10 = W("hTNF10", 3.0, "dimensionless")
    hTNF6 = W("hTNF6", 2.0, "dimensionless")
    k6 = W("k6", 0.66, "1/hour", "IL-6 elimination", fit=("V08", "V06"))
    k6M = W("k6M", 0.81, "pg/mL/hour", "IL-6 release per activated monocyte", fit=("V08",))
    k6TNF = W("k6TNF", 0.81, "pg/mL/hour")
    x610 = W("x610", 34.8 / 1.12, "pg/mL", src="34.8/s10")
    x66 = W("x66", 560.0, "pg/mL")
    x6TNF = W("x6TNF", 185 / 0.71, "pg/mL", src="185/sT")
    h610 = W("h610", 4.0, "dimensionless")
    h66 = W("h66", 1.0, "dimensionless")
    h6TNF = W("h6TNF", 2.0, "dimensionless")
    k10 = W("k10", 0.8, "1/hour")
    k10M = W("k10M", 0.0191 / 1.12, "pg/mL/hour", src="0.0191/s10", fit=("V08",))
    k106 = W("k106", 0.0191 / 1.12, "pg/mL/hour", src="0.0191/s10", fit=("V08",))
    x106 = W("x106", 560.0, "pg/mL")
    h106 = W("h106", 3.68, "dimensionless")

    wT = m.parameter("tnf_baseline", 1.5, "pg/mL",
                     Literature("copeland2005", "pre-challenge plasma TNF, a few pg/mL"),
                     distribution=LogNormal(0.4, Assumption("between-person spread")))
    w6 = m.parameter("il6_baseline", 1.5, "pg/mL",
                     Assumption("basal plasma IL-6 of a healthy adult, 1-2 pg/mL, rising with "
                                "age (InCHIANTI). Somvanshi 2020's il6_b = 1.5 is a basal "
                                "production term of their model, not a measured "
                                "concentration, so it is no source for this value",
                                refs=("ferrucci2005", "somvanshi2020")),
                     distribution=LogNormal(0.5, Assumption("between-person spread",
                                                            refs=("ferrucci2005",))))
    w10 = m.parameter("il10_baseline", 2.0, "pg/mL",
                      Assumption("healthy plasma IL-10 is a few pg/mL", refs=("copeland2005",)),
                      "basal plasma IL-10 at the morning reference cortisol (gc_reference); "
                      "lower at night, when cortisol induces less of it")
    w1 = m.parameter("il1b_baseline", 0.5, "pg/mL",
                     Assumption("plasma IL-1beta is near detection limits in health"))
    k1 = m.parameter("k1", 1.0, "1/hour",
                     Assumption("IL-1beta cleared like TNF (Windoloski kTNF)",
                                refs=("windoloski2024",)))
    k1M = m.parameter("k1M", 0.6 / 0.71 * 0.1, "pg/mL/hour",
                      Assumption("one tenth of TNF release: endotoxemia IL-1beta peaks are tens "
                                 "of pg/mL", refs=("copeland2005",)))

    ic50 = m.parameter("gc_ic50", 60.0, "nmol/L",
                       Assumption("free cortisol halves LPS-stimulated cytokine release at about "
                                  "60 nmol/L", refs=("derijk1997",)))
    fref = m.parameter("gc_reference", 25.0, "nmol/L",
                       Derived("morning free cortisol (about 400 nmol/L total) at which the "
                               "Windoloski parameters were fitted", refs=("coolens1987",)))
    t_gr = m.parameter("gr_half_life", 60.0, "min",
                       Assumption("lag of GR-mediated transrepression behind free cortisol: "
                                  "nuclear GR and new mRNA/protein make receptor-mediated "
                                  "corticosteroid effects slow to start and end (Jusko 1994; "
                                  "Barnes 1998); the effect of a 6-h hydrocortisone infusion on "
                                  "the endotoxin response was gone 6 h after it ended (Barber "
                                  "1993), so the half-life is well under 2 h; 1 h is the "
                                  "middle of the 1-2 h delay usually quoted",
                                  refs=("jusko1994", "barnes1998", "barber1993")),
                       bounds=(10, 180))
    gc_target = (1 + fref / ic50) / (1 + gsens * free / ic50)
    gc = m.state("gc_suppression", 1.0, "dimensionless",
                 "glucocorticoid-receptor transrepression of cytokine release (1 at reference)")
    m.rate(gc, LN2 / t_gr * (gc_target - gc))
    m.output("gc_factor", gc, "dimensionless",
             "glucocorticoid suppression of cytokine release through the receptor, lagging "
             "free cortisol (1 at reference)", observable=False)
    s = gc * cap

    E = m.state("endotoxin", 0.0, "ng/kg", "circulating endotoxin (as dose per body mass)",
                atol=1e-9)
    MR = m.state("monocytes_resting", 30000.0, "dimensionless",
                 "resting monocytes (Windoloski model units; at rest the logistic renewal "
                 "settles at Mmax)")
    MA = m.state("monocytes_active", 0.0, "dimensionless", "activated monocytes", atol=1e-6)
    tnf = m.state("tnf_p", 1.5, "pg/mL", "plasma TNF")
    il6 = m.state("il6_p", 1.5, "pg/mL", "plasma IL-6")
    il10 = m.state("il10_p", 2.0, "pg/mL", "plasma IL-10")
    il1 = m.state("il1b_p", 0.5, "pg/mL", "plasma IL-1beta")
    nfkb = m.state("nfkb_priming", 0.0, "dimensionless",
                   "sympathetic priming of monocyte IL-6 release", atol=1e-8)

    act = (hill_up(E, xME, hME) * (kM + kMTNF * hill_up(tnf, xMTNF, hMTNF))
           * hill_down(il10, xM10, hM10) * MR)
    m.rate(E, infusion - kE * E)
    m.rate(MR, kMR * MR * (1 - MR / mmax) - act)
    m.rate(MA, act - kMA * MA)
    m.rate(tnf, kTNFM * hill_down(il6, xTNF6, hTNF6) * hill_down(il10, xTNF10, hTNF10) * MA * s
           - kTNF * (tnf - wT * s * gut))
    g6 = m.parameter("il6_stress_gain", 1.5, "dimensionless",
                     Fitted("default", ("V06",), prior=Literature(
                         "steptoe2001", "IL-6 +56 % two hours after a laboratory stressor")))
    t_nf = m.parameter("nfkb_half_life", 30.0, "min",
                       Fitted("default", ("V06",), prior=Literature(
                           "bierhaus2003", "NF-kB activation in monocytes within minutes of "
                           "psychosocial stress, lasting about an hour")))
    m.rate(il6, (k6M + k6TNF * hill_up(tnf, x6TNF, h6TNF)) * hill_down(il6, x66, h66)
           * hill_down(il10, x610, h610) * MA * s
           - k6 * (il6 - w6 * age_f * s * gut * (1 + g6 * nfkb)))
    # glucocorticoid induction of IL-10 (in vivo, not the monocytes' endotoxin response)
    ec10 = m.parameter("il10_gc_ec50", 200.0, "nmol/L",
                       Fitted("default", ("V53",), prior=Assumption(
                           "induction of IL-10 is taken as a receptor-mediated gene "
                           "induction (transactivation), not the transrepression of cytokine "
                           "release (gc_ic50, 60 nmol/L; the two routes: Barnes 1998), and "
                           "assumed to need about three times the free cortisol",
                           refs=("barnes1998",))),
                       "free cortisol of half-maximal glucocorticoid induction of IL-10",
                       bounds=(20, 2000))
    g10 = m.parameter("il10_gc_gain", 10.0, "dimensionless",
                      Fitted("default", ("V53",), prior=Assumption(
                          "a 100-mg hydrocortisone bolus raises plasma IL-10 about four-fold "
                          "(Dandona 1999)", refs=("dandona1999",))),
                      "basal IL-10 at full induction over none, less 1", bounds=(0.1, 100))
    t10 = m.parameter("il10_induction_half_life", 2.0, "hour",
                      Fitted("default", ("V53",), prior=Assumption(
                          "plasma IL-10 peaked 4 h after a hydrocortisone bolus, when cortisol "
                          "had long passed its peak (Dandona 1999): an induction of hours",
                          refs=("dandona1999",))),
                      "half-life of each of the three transit stages of the glucocorticoid "
                      "induction of IL-10", bounds=(0.2, 12))
    gx = gsens * free
    # three transit stages (receptor signal -> IL-10 gene expression -> IL-10-producing cells):
    # the IL-10 rise after a hydrocortisone bolus is delayed, not immediate (Dandona 1999)
    stage_in = gx / (ec10 + gx)
    for k in (1, 2):
        transit = m.state(f"il10_gc_transit{k}", 25.0 / (200.0 + 25.0), "dimensionless",
                          f"glucocorticoid-receptor induction of IL-10, transit stage {k}")
        m.rate(transit, LN2 / t10 * (stage_in - transit))
        stage_in = transit
    ind = m.state("il10_gc_induction", 25.0 / (200.0 + 25.0), "dimensionless",
                  "glucocorticoid-receptor induction of IL-10 (receptor occupancy after three "
                  "transit stages)")
    m.rate(ind, LN2 / t10 * (stage_in - ind))
    occ_ref = fref / (ec10 + fref)
    w10_now = w10 * (1 + g10 * ind) / (1 + g10 * occ_ref)
    m.rate(il10, (k10M + k106 * hill_up(il6, x106, h106)) * MA - k10 * (il10 - w10_now))
    m.rate(il1, k1M * hill_down(il10, xTNF10, hTNF10) * MA * s - k1 * (il1 - w1 * s * gut))
    m.rate(nfkb, LN2 / t_nf * (smooth_max0(sns - 1, 0.02) - nfkb))

    m.output("tnf", tnf, "pg/mL", "plasma TNF")
    m.output("il6", il6, "pg/mL", "plasma IL-6")
    m.output("il10", il10, "pg/mL", "plasma IL-10")
    m.output("il1b", il1, "pg/mL", "plasma IL-1beta")
    eps = m.parameter("excess_smoothing", 0.05, "pg/mL",
                      Assumption("numerical: width of the smooth max(x, 0) for cytokine excess "
                                 "above baseline, far below assay resolution"))
    m.output("tnf_excess", smooth_max0(tnf - wT, eps), "pg/mL", observable=False)
    m.output("il6_excess", smooth_max0(il6 - w6, eps), "pg/mL", observable=False)
    # above the current set point: the glucocorticoid-induced basal rise is no inflammation
    m.output("il10_excess", smooth_max0(il10 - w10_now, eps), "pg/mL", observable=False)
    return m
