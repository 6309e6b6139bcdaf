"""Psoriasis: IL-23/IL-17 - keratinocyte bistability, stress triggers and NB-UVB (M3, M6, M13).

Simplified from the psoriasis model of Shmarov et al. (2022; code Apache-2.0), in which immune
cells (T cells, dendritic cells, IL-17/IL-23/TNF) and keratinocytes (stem, transit-amplifying,
differentiated) form a positive feedback loop with a healthy and a lesional steady state, an
immune stimulus triggers the switch and UVB clears plaques. Here the loop is reduced to two
normalised states: the IL-23/IL-17 axis activity (``il17``; 0 = healthy skin, 1 = fully
lesional) and the plaque burden (``plaque``, fraction of the PASI maximum). Keratinocyte stress
signals (antimicrobial peptides, IL-36, chemokines) feed back on dendritic-cell IL-23 release
(Lowes et al. 2014), the loop that makes the lesional state self-sustaining.

Stress-linked triggers, each a documented link: felt stress load (neurogenic and sympathetic
skewing towards Th17; Hall et al. 2012), circulating IL-6 and TNF above baseline (systemic
inflammation primes Th17 differentiation), mast-cell activation by neuropeptides (substance P,
from the neuro module when present), and weaker glucocorticoid restraint (``gc_factor``: lower
free cortisol and immune glucocorticoid resistance raise it). Susceptibility scales the whole
immune drive (0 = not prone: no disease whatever the stress). Topical corticosteroid divides the
immune drive (as treatments do in Dominguez-Huttinger et al. 2017) and, being antiproliferative,
clears plaque directly at a rate per potency class sized to the first-week fall of plaque
elevation under clobetasol (Brodell and Preston 2012). Narrow-band UVB sessions
jump ``uvb_dose`` (J/cm2); its effect decays over days, suppresses the immune drive and clears
keratinocytes (Shmarov: UV-induced apoptosis), so the cumulative dose clears plaques.

Equations (hours)::

    z      = stress_load + il6_excess/il6_ref + tnf_excess/tnf_ref + mc_weight*mast_cell
    S      = f_susceptibility * ((gc_factor/gc_ref) * (basal + stress_gain*z)
             + loop_gain * plaque^n/(plaque^n + loop_k^n))
             / ((1 + uvb_immune_gain*U/uvb_ref) * (1 + tcs_gain*topical_corticosteroid))
    d il17/dt   = ln2/immune_half_life * (S*(1 - il17) - il17)
    d plaque/dt = ln2/plaque_half_life * (il17 - plaque)
                  - (uvb_clearance*U/uvb_ref + tcs_clearance*topical_corticosteroid)*plaque
    d U/dt      = -ln2/uvb_half_life * U          (+ dose of each NB-UVB session, jump)
    pasi = pasi_max * plaque ;  psoriasis_visible = plaque

The immune activity settles at S/(1 + S) (bounded by 1). The keratinocyte feedback is
cooperative (Hill n), so for a large enough loop gain a lesional state coexists with a near-clear
one; external drive (stress, cytokines) moves the thresholds, and so does the distress loop (M7)
through ``stress_load`` and IL-6.
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 81


def build() -> Module:
    m = Module("psoriasis", "Psoriasis (IL-23/IL-17 - keratinocyte loop)", __doc__,
               mechanisms=("M3", "M6", "M13", "M9"))
    load = m.input("stress_load_signal", "dimensionless")
    il6x = m.input("il6_excess", "pg/mL")
    tnfx = m.input("tnf_excess", "pg/mL")
    gcf = m.input("gc_factor", "dimensionless")
    mast_rel = m.input("mast_cell_activation", "dimensionless", default=1.0,
                       doc="mast-cell activation by neuropeptides relative to rest (1 at rest; "
                           "neuro module)")
    mast = smooth_max0(mast_rel - 1, sp.Rational(1, 50))  # activation above rest
    tcs = m.exogenous("topical_corticosteroid", "dimensionless",
                      "topical corticosteroid potency class while on the regimen (0-4)")

    f = m.parameter("f_susceptibility", 0.0, "dimensionless",
                    Assumption("0 = not prone (default person), 1 = typical patient; set from "
                               "the scenario's person.susceptibility.psoriasis"),
                    "psoriasis susceptibility (genetic: HLA-Cw6, IL23R ...)", bounds=(0, 5),
                    distribution=LogNormal(0.15, Assumption(
                        "disease activity differs between patients beyond their stress "
                        "(observed spread of baseline PASI)", refs=("shmarov2022",))))
    basal = m.parameter("basal_drive", 0.036, "dimensionless",
                        Assumption("a prone person without stressors has near-clear skin or "
                                   "mild residual disease (PASI of a few points)",
                                   refs=("shmarov2022",)), bounds=(0, 0.5))
    g_stress = m.parameter("stress_gain", 0.12, "dimensionless",
                           Fitted("default", ("V16",), prior=Assumption(
                               "a month of full-time stress raises PASI several-fold in stress "
                               "reactors", refs=("verhoeven2009", "snast2018"))),
                           "immune drive per unit of stress signal", bounds=(0.01, 1),
                           distribution=LogNormal(0.5, Fitted("default", ("V16",),
                                                              prior=Assumption(
                               "only part of the patients flare after stress (46 % in the "
                               "meta-analysis)", refs=("snast2018",)))))
    il6_ref = m.parameter("il6_ref", 20.0, "pg/mL",
                          Assumption("psoriatic inflammation is local; circulating IL-6 (raised "
                                     "in psoriasis, Grossman 1989) adds a unit of drive only at "
                                     "tens of pg/mL above baseline", refs=("grossman1989",)))
    tnf_ref = m.parameter("tnf_ref", 20.0, "pg/mL",
                          Assumption("as il6_ref, for TNF (anti-TNF clears plaques)",
                                     refs=("shmarov2022",)))
    w_mc = m.parameter("mc_weight", 0.025, "dimensionless",
                       Assumption("substance P / mast-cell activation contributes to psoriatic "
                                  "inflammation, with weaker evidence than the cytokine route: "
                                  "sized so that under a sustained stressor (mast-cell "
                                  "activation about 4 x rest at load 0.5) it adds about a sixth "
                                  "of the felt-stress term", refs=("harvima2008",)))
    gc_ref = m.parameter("gc_ref", 1.2, "dimensionless",
                         Derived("daily mean of gc_factor in an unstressed person (cortisol "
                                 "rhythm of the core), so gc restraint is 1 on average at rest"))
    loop = m.parameter("loop_gain", 0.24, "dimensionless",
                       Assumption("keratinocyte-derived signals (LL-37, IL-36, CCL20) amplify "
                                  "IL-23 release: the positive feedback of the lesional state; "
                                  "sized so the lesional state of a prone person is moderate "
                                  "psoriasis (PASI 15-20)", refs=("shmarov2022", "lowes2014")),
                       bounds=(0, 2))
    loop_k = m.parameter("loop_k", 0.2, "dimensionless",
                         Assumption("feedback half-saturated at a plaque burden of PASI ~13",
                                    refs=("shmarov2022",)))
    n = m.parameter("loop_n", 6.0, "dimensionless",
                    Assumption("cooperative, switch-like feedback (Shmarov n = 4)",
                               refs=("shmarov2022",)))
    t_imm = m.parameter("immune_half_life", 7.0, "day",
                        Assumption("T-cell infiltration and IL-17 activity change over about a "
                                   "week", refs=("shmarov2022",)))
    t_pl = m.parameter("plaque_half_life", 10.0, "day",
                       Derived("psoriatic keratinocyte turnover 7 days, healthy 21 days; plaques "
                               "build and resolve over weeks", refs=("shmarov2022",)))
    g_tcs = m.parameter("tcs_gain", 0.5, "dimensionless",
                        Assumption("each potency class divides the immune drive further; a "
                                   "potent steroid (class 3) clears mild plaques within weeks",
                                   refs=("dominguez2017",)),
                        distribution=LogNormal(0.3, Assumption(
                            "patients differ in how much a given steroid class suppresses their "
                            "plaques (skin thickness, application, tachyphylaxis); no trial "
                            "reports this spread as a number")))
    k_tcs = m.parameter("tcs_clearance", 0.0006, "1/hour",
                        Derived("glucocorticoids are antiproliferative on psoriatic "
                                "keratinocytes, besides restraining the immune drive: with a "
                                "very potent steroid (class 4, clobetasol spray) plaque "
                                "elevation fell by a median of one grade from about 3 (enrolment "
                                "at overall severity 3-4) in the first week, ln(3/2)/7 days = "
                                "0.058/day = 0.0024/h, in the pivotal trials' post hoc analysis; "
                                "the immune route (7-day and 10-day half-lives) adds little in "
                                "that week, so the whole first-week fall is taken as the direct "
                                "route and divided by the 4 potency classes (linear in class: "
                                "assumption)", refs=("brodell2012",)),
                        "direct clearance of plaque per potency class of topical steroid",
                        bounds=(0, 0.005),
                        distribution=LogNormal(0.3, Assumption(
                            "as tcs_gain: patients differ in how much a given steroid class "
                            "acts on their plaques; no trial reports this spread as a number")))
    t_uv = m.parameter("uvb_half_life", 2.0, "day",
                       Assumption("the effect of one NB-UVB session (T-cell apoptosis, "
                                  "keratinocyte growth arrest) fades over days; sessions are "
                                  "given 2-3 times a week for that reason", refs=("shmarov2022",)))
    uv_ref = m.parameter("uvb_ref", 1.0, "J/cm**2",
                         Assumption("a typical maintained NB-UVB session dose"))
    uv_imm = m.parameter("uvb_immune_gain", 0.5, "dimensionless",
                         Assumption("UVB depletes Langerhans cells and suppresses the IL-23/IL-17 "
                                    "axis", refs=("shmarov2022",)))
    uv_clear = m.parameter("uvb_clearance", 0.0015, "1/hour",
                           Assumption("UV-induced keratinocyte apoptosis (uv_eff in Shmarov "
                                      "2022); sized so a 3x weekly course reaches PASI 75 after "
                                      "about 20-30 sessions", refs=("shmarov2022", "dawe2003")),
                           bounds=(0.0002, 0.02),
                           distribution=LogNormal(0.25, Derived(
                               "sessions to PASI 75 were 12 +/- 3 (SD/mean 0.25) in a trial of "
                               "NB-UVB with methotrexate; taken as the between-patient spread of "
                               "the UVB clearance rate, which sets the number of sessions "
                               "(the NB-UVB-alone arms report medians only)",
                               refs=("khadka2015", "yones2006"))))
    pasi_max = m.parameter("pasi_max", 72.0, "score", Literature("fredriksson1978",
                                                                 "PASI range 0-72"))

    A = m.state("il17", 0.0, "dimensionless", "IL-23/IL-17 axis activity (0 healthy, 1 lesional)",
                atol=1e-8)
    K = m.state("plaque", 0.0, "dimensionless", "plaque burden, fraction of maximal PASI",
                atol=1e-8)
    U = m.state("uvb_dose", 0.0, "J/cm**2", "NB-UVB dose still acting (jumps by each session)",
                atol=1e-8)
    z = load + il6x / il6_ref + tnfx / tnf_ref + w_mc * mast
    feedback = K**n / (K**n + loop_k**n)
    S = (f * (gcf / gc_ref * (basal + g_stress * z) + loop * feedback)
         / ((1 + uv_imm * U / uv_ref) * (1 + g_tcs * tcs)))
    m.rate(A, LN2 / t_imm * (S * (1 - A) - A))
    m.rate(K, LN2 / t_pl * (A - K) - (uv_clear * U / uv_ref + k_tcs * tcs) * K)
    m.rate(U, -LN2 / t_uv * U)
    pasi = m.output("pasi", pasi_max * K, "score", "Psoriasis Area and Severity Index (0-72)")
    m.output("psoriasis_visible", pasi / pasi_max, "dimensionless",
             "psoriasis severity as a fraction of the PASI maximum", observable=False)
    return m
