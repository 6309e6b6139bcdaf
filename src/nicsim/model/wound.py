"""Wound healing in skin and oral mucosa: inflammation, proliferation, closure (M3, M8, M15).

Three wound sites with the same inflammatory structure: a full-thickness skin wound (punch
biopsy), an epidermal skin wound (suction blister, roof removed) and oral mucosa (palate).
Protocol events add the wound area (mm2) to ``wound.skin_area``, ``wound.blister_area`` or
``wound.mucosal_area``.

*Inflammatory phase* after Cooper, Segal, Diegelmann & Reynolds (2015; BioModels
BIOMD0000000855; time unit day), itself built on Reynolds et al. (2006): debris Pt recruits
neutrophils N, and debris and neutrophils recruit macrophages M; phagocytes clear debris, dying
neutrophils add to it. Systemic cortisol C inhibits neutrophil recruitment, macrophage
recruitment and macrophage function with Hill-2 terms (Cn, Cm2, Cm1). Here C is serum cortisol
in ug/dL (Cooper's scale) weighted by immune glucocorticoid sensitivity. The pathogen and
estrogen compartments of Cooper are left out (clean surgical wounds; estrogen not modelled).
A fresh wound adds debris in proportion to the fraction of the area that is new (the
``*_seen`` state follows the area within about an hour), so the inflammatory load is a density
that does not scale with wound size.

*Proliferation and closure*: re-epithelialisation is licensed as debris is cleared (``gate``)
and builds up over a day or two (``prolif``). The epithelium then closes the wound from its
margin: the margin advances towards the centre at a speed that does not depend on the wound's
size (Gilman 1990; Cukjati et al. 2001), so the open area falls at the margin speed times the
perimeter of a circular wound, 2 sqrt(pi A) (smoothed below ``area_floor`` so the last bit
closes at a finite rate). Closure time therefore grows with the wound's radius: a 2-mm punch
closes sooner than a 3.5-mm and an 8-mm one later. The margin of oral mucosa advances several
fold faster than that of skin (Szpaderska et al. 2003; palate 3.5 mm wound about 7-8 days,
Marucha et al. 1998; forearm 3.5 mm punch about 39 days, Kiecolt-Glaser et al. 1995). A
suction blister leaves the dermis and the skin appendages intact: keratinocytes from the hair
follicles (about 18 per cm2 on the forearm; Otberg et al. 2004) and sweat ducts resurface it
from islands as well as from the margin, over a dermis that needs no granulation tissue, so it
closes in days and its size matters far less than a punch's (epidermal blister wounds heal
within about a week;
Koskela et al. 2009). Its debris load is a fraction of a full-thickness wound's (no dermal
injury), so the epithelium starts sooner. Wound contraction of full-thickness wounds is not
represented (its share in small human punch wounds is not measured).
The closure rate is divided by 1 + E, the stress-hormone exposure of the repairing epithelium
(hours): sympathetic activity above the resting waking tone (catecholamines impair keratinocyte
migration through beta2-adrenergic receptors; Pullar et al. 2006) and free cortisol on
keratinocytes (Stojadinovic et al. 2007; Ebrecht et al. 2004). E is small but not zero for the
calm person (morning cortisol); the closure rates absorb it. Oxytocin speeds closure (Deing et
al. 2013; Gouin et al. 2010), normalised to 1 at the average person's level. Chronic stress
raises the sympathetic tone of this model's core only by about 5 % in waking hours, so the
fitted sympathetic gain is large (about 8): the row data (V11, V12) fix the product, not the
mechanism's share.

*Wound IL-1beta production index*: phagocyte load times the glucocorticoid suppression of
cytokine release (``gc_factor`` of the cytokine module), 1 for a fresh wound of the calm person
(Marucha 1998 and Glaser et al. 1999: stress lowers IL-1 in wounds).

Equations (per site; hours inside the model, Cooper's rates per day)::

    C = gc_sensitivity * cortisol_serum / nmol_per_ugdl
    fi2 = M / (1 + (N/Ninf)^2 + (C/Cm1)^2)
    R1 = (kmpt*Pt + kmm*M + kmn*N) / (1 + (C/Cm2)^2)
    R2 = knpt*Pt / (1 + (C/Cn)^2)
    present = A/(A + a_min)
    new = present * smooth_max0((A - A_seen)/(A + a_min))
    dA_seen/dt = ln2/seen_half_life * (A - A_seen)
    dPt/dt = pt_new_site * ln2/seen_half_life * new - kptn*Pt*N - kptm*Pt*fi2 + mun*N - mupt*Pt
    dN/dt  = snr*R2/(munr + R2) - mun*N - knm*N*fi2
    dM/dt  = smr*R1/(mumr + R1) - mum*M
    gate   = present / (1 + (Pt/gate_debris)^2)
    dQ/dt  = ln2/prolif_half_life * (gate - Q)
    perimeter = 2*sqrt(pi) * A/sqrt(A + area_floor)                    (mm, circular wound)
    dE/dt  = ln2/exposure_half_life * (sns_gain*smooth_max0(sympathetic - 1)
             + gc_gain*U^2/(gc_k^2 + U^2) - E)             (one state for both sites)
    f = 1/(1 + E) * (1 + ot_gain*hill(OT, ot_k))/(1 + ot_gain*hill(OT_ref, ot_k))
    dA/dt  = -close_rate_site * Q * f * perimeter
             (blister: - close_rate_blister * Q * f * follicle_density * island_perimeter * A)
    il1b_index = (N + mac_il1_weight*M) * gc_factor / il1_norm
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.motifs import LN2, hill_up, smooth_max0

ORDER = 91

COOPER = {  # name: (value, unit, doc)
    "kptn": (2.03, "1/day", "debris clearance by neutrophils"),
    "kptm": (3.16, "1/day", "debris clearance by macrophages"),
    "mupt": (0.37, "1/day", "intrinsic debris decay"),
    "knpt": (2.97, "dimensionless", "neutrophil recruitment by debris"),
    "snr": (0.38, "1/day", "maximal neutrophil recruitment"),
    "munr": (3.3, "dimensionless", "half-saturation of neutrophil recruitment"),
    "mun": (1.02, "1/day", "neutrophil death"),
    "knm": (6.42, "1/day", "neutrophil removal by macrophages"),
    "kmm": (0.06, "dimensionless", "macrophage self-recruitment"),
    "kmn": (10.58, "dimensionless", "macrophage recruitment by neutrophils"),
    "kmpt": (41.5, "dimensionless", "macrophage recruitment by debris"),
    "smr": (0.17, "1/day", "maximal macrophage recruitment"),
    "mumr": (0.54, "dimensionless", "half-saturation of macrophage recruitment"),
    "mum": (0.5, "1/day", "macrophage loss"),
    "Ninf": (0.11, "dimensionless", "neutrophils inhibiting macrophage function"),
    "Cn": (175.72, "ug/dL", "cortisol halving neutrophil recruitment (Hill 2)"),
    "Cm1": (72.84, "ug/dL", "cortisol halving macrophage function (Hill 2)"),
    "Cm2": (13.06, "ug/dL", "cortisol halving macrophage recruitment (Hill 2)"),
}
SITES = ("skin", "mucosal", "blister")
#: What was checked of the units of Cooper's parameters (the old note said "verify").
COOPER_LOCATOR = (
    "BIOMD0000000855 parameter set; values checked against the SBML export (SBFC conversion), "
    "which declares no units. Time unit day from the rates (e.g. neutrophil death 1.02 /day, a "
    "half-life of 0.7 day). Cortisol in ug/dL inferred from the sizes: Cm2 = 13.06 lies in the "
    "normal human range in ug/dL (5-25), while in nmol/L every cortisol term would be saturated "
    "at any physiological level. At normal cortisol (about 7 ug/dL daily mean) the Cn and Cm1 "
    "terms are inactive (< 1 %) and Cm2 lowers macrophage recruitment by about a fifth")


def build() -> Module:
    m = Module("wound", "Wound healing (skin and oral mucosa)", __doc__,
               mechanisms=("M3", "M8", "M15"))
    cort = m.input("cortisol_serum", "nmol/L")
    free = m.input("cortisol_free", "nmol/L")
    gsens = m.input("gc_sensitivity_signal", "dimensionless")
    sns = m.input("sympathetic_tone", "dimensionless")
    gcf = m.input("gc_factor", "dimensionless")
    ot = m.input("oxytocin", "pg/mL", default=4.0,
                 doc="plasma oxytocin (social module; the average person's level if absent)")

    c = {k: m.parameter(k, v, u, Literature("cooper2015", COOPER_LOCATOR), d)
         for k, (v, u, d) in COOPER.items()}
    conv = m.parameter("nmol_per_ugdl", 27.59, "nmol*dL/(L*ug)",
                       Derived("cortisol molar mass 362.46 g/mol", refs=("pubchem_cortisol",)))
    C = gsens * cort / conv
    t_seen = m.parameter("seen_half_life", 1.0, "hour",
                         Assumption("numerical: a new wound is registered within about an "
                                    "hour"))
    a_min = m.parameter("area_floor", 0.01, "mm^2",
                        Assumption("numerical: area below which a site counts as closed"))
    eps = m.parameter("new_area_smoothing", 1e-3, "dimensionless",
                      Assumption("numerical: width of the smooth max(x, 0)"))
    pt_new = m.parameter("debris_new_wound", 2.0, "dimensionless",
                         Literature("cooper2015", "initial debris Pt = 2"))
    k_gate = m.parameter("gate_debris", 0.1, "dimensionless",
                         Assumption("re-epithelialisation is under way once debris has fallen "
                                    "to a few percent of its initial load (day 3-4 of Cooper's "
                                    "inflammatory phase)", refs=("cooper2015",)))
    t_q = m.parameter("prolif_half_life", 1.0, "day",
                      Assumption("the proliferative phase builds up over one to two days"))
    g_sns = m.parameter("sns_gain", 4.0, "dimensionless",
                        Fitted("default", ("V11", "V12"), prior=Assumption(
                            "catecholamines impair keratinocyte migration; beta-blockers "
                            "speed healing; prior value 4 (the module value; the fitted value "
                            "is in parameter_sets/default.d/wound_inflammaging.yaml)",
                            refs=("pullar2006",))), bounds=(0.5, 50))
    g_gc = m.parameter("gc_gain", 1.0, "dimensionless",
                       Assumption("glucocorticoids slow keratinocyte migration and "
                                  "proliferation; higher cortisol predicted slower healing. Not "
                                  "identified by V11/V12 here (chronic stress changes cortisol "
                                  "little in this core), so held at 1: a stress-level free "
                                  "cortisol (gc_k) halves the closure rate while it lasts",
                                  refs=("stojadinovic2007", "ebrecht2004")), bounds=(0, 50))
    gc_k = m.parameter("gc_k", 40.0, "nmol/L",
                       Assumption("free cortisol of stress levels (tens of nmol/L) acts on "
                                  "keratinocytes; Hill 2 as in Cooper's cortisol terms",
                                  refs=("cooper2015",)))
    t_exp = m.parameter("exposure_half_life", 12.0, "hour",
                        Assumption("genomic glucocorticoid and adrenergic effects on the "
                                   "repairing epithelium integrate over hours"))
    eps_s = m.parameter("sns_smoothing", 0.01, "dimensionless",
                        Assumption("numerical: width of the smooth max(x, 0)"))
    expo = m.state("stress_exposure", 0.0, "dimensionless",
                   "stress-hormone exposure of the repairing epithelium", atol=1e-7)
    m.rate(expo, LN2 / t_exp * (g_sns * smooth_max0(sns - 1, eps_s)
                                + g_gc * hill_up(free, gc_k, 2) - expo))
    ot_ref = m.parameter("oxytocin_ref", 4.0, "pg/mL",
                         Derived("the social module's ot_basal (average person)"))
    ot_k = m.parameter("ot_k", 4.0, "pg/mL",
                       Assumption("half-maximal effect near resting plasma oxytocin"))
    g_ot = m.parameter("ot_gain", 1.0, "dimensionless",
                       Assumption("oxytocin speeds keratinocyte and fibroblast proliferation "
                                  "(direction; size not measured in humans)",
                                  refs=("deing2013", "gouin2010")), bounds=(0, 5))
    f = (1 / (1 + expo) * (1 + g_ot * hill_up(ot, ot_k)) / (1 + g_ot * hill_up(ot_ref, ot_k)))
    m.output("wound_repair_factor", f, "dimensionless",
             "stress/oxytocin modulation of wound closure rate", observable=False)
    # priors (module values): margin speeds after an inflammatory lag of about 4 days; the
    # fitted speeds (V11, V12) are in parameter_sets/default.d/wound_inflammaging.yaml
    skin_src = Derived("3.5 mm forearm punch biopsies of controls closed in 39.3 days; with about "
                       "4 days of inflammatory lag the 1.75-mm radius closes in about 35 days: "
                       "0.05 mm/day", refs=("kiecoltglaser1995",))
    muc_src = Derived("3.5 mm palatal wounds closed in about 7.5 days in vacation (3 days = 40 % "
                      "longer in exams); with about 3.5 days of lag the 1.75-mm radius closes in "
                      "about 4 days: 0.45 mm/day", refs=("marucha1998", "szpaderska2003"))
    # between-person spread of the margin speed: the closure times of unstressed controls
    skin_cv = Derived("controls' 3.5-mm punch closure 39.3 days, SE 3.0, n = 13: SD = SE*sqrt(n) "
                      "= 10.8 days, CV 0.28 of the closure time; the margin speed sets most of "
                      "the closure time (the inflammatory lag is a few days), so its CV is taken "
                      "as that of the closure time", refs=("kiecoltglaser1995",))
    muc_cv = Assumption("mucosal margin speeds differ between people as much as skin's (CV of "
                        "the skin closure time of controls); the palatal-wound papers report "
                        "the within-person exam / vacation difference, not a between-person SD",
                        refs=("kiecoltglaser1995", "marucha1998"))
    rates = {
        "skin": m.parameter("skin_close_rate", 0.05, "mm/day",
                            Fitted("default", ("V11",), prior=skin_src), bounds=(0.005, 0.5),
                            distribution=LogNormal(0.28, skin_cv)),
        "mucosal": m.parameter("mucosal_close_rate", 0.45, "mm/day",
                               Fitted("default", ("V12",), prior=muc_src), bounds=(0.05, 5),
                               distribution=LogNormal(0.28, muc_cv)),
        "blister": m.parameter("blister_close_rate", 0.5, "mm/day",
                               Assumption("keratinocytes migrate over intact dermis at a few "
                                          "tenths of a mm per day: an 8-mm suction blister "
                                          "resurfaces within about a week",
                                          refs=("koskela2009",)), bounds=(0.05, 5)),
    }
    pt_new_site = {
        "skin": pt_new, "mucosal": pt_new,
        "blister": m.parameter("debris_blister", 0.2, "dimensionless",
                               Assumption("a suction blister splits at the basement membrane "
                                          "without dermal injury: a tenth of the debris of a "
                                          "full-thickness wound", refs=("koskela2009",))),
    }
    follicles = m.parameter("follicle_density", 0.18, "1/mm^2",
                            Literature("otberg2004", "forearm: 18 +/- 4 hair follicles per cm2"))
    island = m.parameter("island_perimeter", 1.0, "mm",
                         Assumption("each appendage resurfaces an island whose spreading edge "
                                    "averages about 1 mm over the healing (a disc of about "
                                    "0.15 mm mean radius)"))

    w_mac = m.parameter("mac_il1_weight", 1.0, "dimensionless",
                        Assumption("neutrophils and macrophages both release IL-1beta in "
                                   "early wounds", refs=("glaser1999",)))
    il1_norm = m.parameter("il1_norm", 0.35, "dimensionless",
                           Derived("phagocyte load (N + M) one day after wounding in the calm "
                                   "person, times gc_factor about 1.2", refs=("cooper2015",)))

    for site in SITES:
        A = m.state(f"{site}_area", 0.0, "mm^2", f"open {site} wound area", atol=1e-6)
        seen = m.state(f"{site}_area_seen", 0.0, "mm^2",
                       f"{site} wound area registered by the tissue", atol=1e-6)
        pt = m.state(f"{site}_debris", 0.0, "dimensionless", f"{site} wound debris (Cooper Pt)",
                     atol=1e-7)
        N = m.state(f"{site}_neutrophils", 0.0, "dimensionless",
                    f"{site} wound neutrophils (Cooper N)", atol=1e-7)
        M = m.state(f"{site}_macrophages", 0.0, "dimensionless",
                    f"{site} wound macrophages (Cooper M)", atol=1e-7)
        Q = m.state(f"{site}_proliferation", 0.0, "dimensionless",
                    f"{site} proliferative activity (0-1)", atol=1e-7)
        fi2 = M / (1 + (N / c["Ninf"]) ** 2 + (C / c["Cm1"]) ** 2)
        R1 = (c["kmpt"] * pt + c["kmm"] * M + c["kmn"] * N) / (1 + (C / c["Cm2"]) ** 2)
        R2 = c["knpt"] * pt / (1 + (C / c["Cn"]) ** 2)
        present = A / (A + a_min)
        new = present * smooth_max0((A - seen) / (A + a_min), eps)
        m.rate(seen, LN2 / t_seen * (A - seen))
        m.rate(pt, pt_new_site[site] * LN2 / t_seen * new - c["kptn"] * pt * N
               - c["kptm"] * pt * fi2 + c["mun"] * N - c["mupt"] * pt)
        m.rate(N, c["snr"] * R2 / (c["munr"] + R2) - c["mun"] * N - c["knm"] * N * fi2)
        m.rate(M, c["smr"] * R1 / (c["mumr"] + R1) - c["mum"] * M)
        gate = present / (1 + (pt / k_gate) ** 2)
        m.rate(Q, LN2 / t_q * (gate - Q))
        perimeter = 2 * sp.sqrt(sp.pi) * A / sp.sqrt(A + a_min)
        edges = perimeter + (follicles * island * A if site == "blister" else 0)
        m.rate(A, -rates[site] * Q * f * edges)
        m.output(f"wound_area_{site}", A, "mm^2", f"open {site} wound area")
        m.output(f"wound_il1b_{site}", (N + w_mac * M) * gcf / il1_norm, "dimensionless",
                 f"IL-1beta production index of the {site} wound (1 = fresh wound, calm "
                 "person)")
    return m
