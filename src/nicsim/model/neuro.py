"""Cutaneous neurogenic inflammation: substance P, skin CRH, mast cells, histamine (M4).

Under stress, sensory nerve endings in the dermis release substance P (SP), and corticotropin-
releasing hormone (CRH) is released in skin (nerve endings, mast cells; Singh et al. 1999,
Theoharides et al. 1998, Slominski et al. 2013). SP acts on mast cells (NK1 and MRGPRX2
receptors) and CRH on mast-cell CRH-R1 receptors: mast cells degranulate and release histamine
(Hagermark et al. 1978; Petersen et al. 1997; Crompton et al. 2003). Histamine acting on H1
receptors of sensory nerves starts the axon reflex (flare) and itch; histamine and SP open
venules (wheal) (Barnes et al. 1986; Cook & Shuster 1980). No quantitative human model of this
loop exists (model-anchors.md section 3.5), so the structure is the simplest that the
dose-response data constrain; the mast-cell dose-response is calibrated to V14.

Intradermal SP (event ``intradermal_substance_p``) jumps ``sp_injected`` (pmol); it acts at the
injection site at the concentration dose / injection volume and is cleared within minutes.
Endogenous SP and skin CRH follow acute arousal and the days-averaged stress load. The outputs
``histamine_dermal``, ``erythema`` (flare area, cm2), ``wheal`` (mm2), ``itch`` (NRS 0-10) and
``mast_cell_degranulated_fraction`` (the fraction of the site's mast cells degranulating, 0-1)
describe the skin site that is observed (an injection site when there is one). The output
``mast_cell_activation`` is the stress-driven (endogenous) degranulation relative to rest
(1 at rest, 2 = twice the resting rate): the signal whole-skin conditions read (rosacea, eczema).
Both are observables. The two neuropeptide routes are separate terms of the drive ``s``: an NK1
antagonist (event ``nk1_antagonist``) removes the substance-P share, a CRH-R1 antagonist
(event ``crh_antagonist``) the skin-CRH share.

Equations (hours)::

    d sp_injected/dt = -ln2/sp_half_life * sp_injected
    d sp_endogenous/dt = ln2/sp_release_half_life
                         * (sp_rest*(1 + sp_acute_gain*stress + sp_load_gain*load) - sp_endogenous)
    d crh_skin/dt = ln2/crh_half_life * (1 + crh_acute_gain*stress + crh_load_gain*load - crh_skin)
    sp = sp_injected/injection_volume + sp_endogenous                  (pmol/mL = nM)
    s_endo = (1-nk1)*sp_endogenous/mast_ec50 + (1-crh_ant)*crh_ratio*sp_rest/mast_ec50*crh_skin
    s = s_endo + (1-nk1)*sp_injected/injection_volume/mast_ec50
    A = s^n/(1+s^n);  A_rest = A(s at rest);  mast_cell_activation = A(s_endo)/A_rest
    mast_cell_degranulated_fraction = A(s)
    d histamine/dt = release_max*A + ln2/histamine_half_life*(floor - histamine),
        floor = histamine_rest - release_max*A_rest*histamine_half_life/ln2
    excess = smooth_max0(histamine - histamine_rest)
    d flare/dt  = ln2/flare_rise * smooth_max0(target_f - flare)
                  - ln2/flare_fade * smooth_max0(flare - target_f),
        target_f = flare_max * x/(1+x),
        x = (1-h1)*excess/flare_k_histamine + (1-nk1)*sp/flare_k_sp
    d wheal/dt  = ln2/wheal_rise * smooth_max0(target - wheal)
                  - ln2/wheal_resorption * smooth_max0(wheal - target),
        target = wheal_max * w/(1+w), w = (1-h1)*excess/wheal_k_histamine + (1-nk1)*sp/wheal_k_sp
    itch = 10 * q^n/(1+q^n),  q = (1-h1)*excess/itch_k_histamine + (1-nk1)*sp/itch_k_sp
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Fitted, Literature, Module
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 70

V14 = ("V14",)


def build() -> Module:
    m = Module("neuro", "Cutaneous nerves, mast cells and histamine", __doc__,
               mechanisms=("M4", "M1"))
    stress = m.input("stress_signal", "dimensionless")
    load = m.input("stress_load_signal", "dimensionless")
    h1 = m.exogenous("h1_antihistamine", "dimensionless",
                     "H1-receptor blockade by an antihistamine (0-1)")
    nk1 = m.exogenous("nk1_antagonist", "dimensionless",
                      "NK1 (substance P) receptor blockade (0-1)")
    crh_ant = m.exogenous("crh_antagonist", "dimensionless", "CRH-R1 receptor blockade (0-1)")

    # --- substance P -------------------------------------------------------------------------
    vol = m.parameter("injection_volume", 0.025, "mL",
                      Derived("1 and 3 uM SP were 25 and 75 pmol, i.e. 25 uL injections",
                              refs=("petersen1997",)))
    t_sp = m.parameter("sp_half_life", 4.0, "min",
                       Assumption("SP is degraded in the dermis by neutral endopeptidase and ACE "
                                  "within minutes; histamine release after intradermal SP is "
                                  "over within about 20-30 min",
                                  refs=("petersen1997", "huttunen1996")), bounds=(1, 20))
    sp_inj = m.state("sp_injected", 0.0, "pmol",
                     "substance P injected intradermally, not yet degraded", atol=1e-6)
    m.rate(sp_inj, -LN2 / t_sp * sp_inj)
    sp_rest = m.parameter("sp_rest", 10.0, "nM",
                          Assumption("effective SP at nerve-mast cell contacts at rest; "
                                     "microdialysate SP is below 2 pM, so contact "
                                     "concentrations are unknown; sized so resting mast-cell "
                                     "release is a small part of baseline histamine",
                                     refs=("petersen1997",)))
    g_sp_a = m.parameter("sp_acute_gain", 1.0, "dimensionless",
                         Assumption("acute stress about doubles neurogenic SP release in skin "
                                    "(immobilisation stress degranulates skin mast cells via SP "
                                    "and CRH in rodents; no human measurement)",
                                    refs=("singh1999", "peters2005")))
    g_sp_l = m.parameter("sp_load_gain", 3.0, "dimensionless",
                         Assumption("sustained stress raises SP+ dermal nerve fibres and "
                                    "neurogenic inflammation (rodent data); a full-time chronic "
                                    "stressor (load about 0.2) raises release by about 60 %",
                                    refs=("peters2005", "pavlovic2008")))
    t_rel = m.parameter("sp_release_half_life", 10.0, "min",
                        Assumption("neuropeptide release follows nerve activity within minutes"))
    sp_endo = m.state("sp_endogenous", 10.0, "nM", "SP from cutaneous nerves at mast cells")
    m.rate(sp_endo, LN2 / t_rel * (sp_rest * (1 + g_sp_a * stress + g_sp_l * load) - sp_endo))
    sp = sp_inj / vol + sp_endo  # pmol/mL = nM

    # --- skin CRH ----------------------------------------------------------------------------
    g_crh_a = m.parameter("crh_acute_gain", 1.0, "dimensionless",
                          Assumption("acute stress raises skin CRH release (rodent skin; "
                                     "CRH-R1 antagonist blocks stress-induced mast-cell "
                                     "degranulation)", refs=("theoharides1998", "singh1999")))
    g_crh_l = m.parameter("crh_load_gain", 2.0, "dimensionless",
                          Assumption("chronic stress raises skin CRH expression (skin HPA "
                                     "analogue)", refs=("slominski2013",)))
    t_crh = m.parameter("crh_half_life", 30.0, "min",
                        Assumption("local CRH turnover within tens of minutes"))
    crh = m.state("crh_skin", 1.0, "dimensionless", "skin CRH release (1 = rest)")
    m.rate(crh, LN2 / t_crh * (1 + g_crh_a * stress + g_crh_l * load - crh))
    crh_ratio = m.parameter("crh_to_sp_ratio", 1.0, "dimensionless",
                            Assumption("at rest skin CRH drives mast cells about as much as SP; "
                                       "intradermal CRH causes mast-cell dependent vasodilation",
                                       refs=("crompton2003",)))

    # --- mast cells --------------------------------------------------------------------------
    ec50 = m.parameter("mast_ec50", 10000.0, "nM",
                       Literature("hagermark1978", "SP releases histamine in human skin at "
                                  "1e-7-1e-5 M; half-maximal degranulation near 1e-5 M"),
                       bounds=(1000, 100000))
    n_mc = m.parameter("mast_hill", 1.5, "dimensionless",
                       Fitted("default", V14, prior=Derived(
                           "3-fold more SP gave 5-fold more histamine (90 vs 475 nM)",
                           refs=("petersen1997",))), bounds=(0.8, 3))
    s_rest = sp_rest / ec50 * (1 + crh_ratio)
    s_endo = (1 - nk1) * sp_endo / ec50 + (1 - crh_ant) * crh_ratio * sp_rest / ec50 * crh
    s = s_endo + (1 - nk1) * sp_inj / vol / ec50

    def act(x):
        return x**n_mc / (1 + x**n_mc)

    a_rest = act(s_rest)
    m.output("mast_cell_activation", act(s_endo) / a_rest, "dimensionless",
             "stress-driven mast-cell degranulation relative to rest (1 = rest)")
    m.output("mast_cell_degranulated_fraction", act(s), "dimensionless",
             "fraction of skin mast cells degranulating at the observed site (0-1; includes "
             "injected substance P)")

    # --- histamine ---------------------------------------------------------------------------
    h_rest = m.parameter("histamine_rest", 8.0, "nM",
                         Literature("petersen1997", "baseline skin histamine 8.0 +/- 0.7 nM"))
    t_h = m.parameter("histamine_half_life", 2.5, "min",
                      Literature("petersen1995", "dialysate histamine half-life about 2-3 min "
                                 "after intradermal codeine"))
    r_max = m.parameter("release_max", 2.0e5, "nM/hour",
                        Fitted("default", V14, prior=Assumption(
                            "start value set by hand so that 25 pmol SP gives a peak of about "
                            "90 nM, i.e. against the V14 datum itself (Petersen 1997): no "
                            "independent prior exists", refs=("petersen1997",))),
                        bounds=(1e3, 1e8))
    hist = m.state("histamine", 8.0, "nM", "dermal extracellular histamine")
    floor = h_rest - r_max * a_rest * t_h / LN2
    m.rate(hist, r_max * act(s) + LN2 / t_h * (floor - hist))
    m.output("histamine_dermal", hist, "nM", "dermal histamine (skin microdialysis)")
    eps = m.parameter("histamine_smoothing", 0.2, "nM",
                      Assumption("numerical: width of the smooth max(x, 0) for histamine above "
                                 "rest, far below assay resolution"))
    excess = smooth_max0(hist - h_rest, eps)

    # --- flare (axon reflex) -----------------------------------------------------------------
    f_max = m.parameter("flare_max", 20.0, "cm**2",
                        Assumption("maximal histamine/SP flare areas in forearm skin are about "
                                   "15-25 cm2", refs=("ejpharm1983",)))
    f_kh = m.parameter("flare_k_histamine", 300.0, "nM",
                       Fitted("default", V14, prior=Assumption(
                           "half-maximal flare at a few hundred nM histamine: 25 and 75 pmol "
                           "SP give graded flares", refs=("ejpharm1983", "petersen1997"))),
                       bounds=(30, 3000))
    f_ksp = m.parameter("flare_k_sp", 20000.0, "nM",
                        Assumption("a small histamine-independent part of the SP flare "
                                   "(hydroxyzine leaves some SP erythema)",
                                   refs=("ijdermatol1992",)))
    t_fr = m.parameter("flare_rise", 2.0, "min",
                       Assumption("the flare reaches its maximum about 5 min after intradermal "
                                  "histamine", refs=("cook1980",)))
    t_fd = m.parameter("flare_fade", 15.0, "min",
                       Assumption("the flare fades over 30-60 min, faster than the wheal",
                                  refs=("cook1980",)))
    x_f = (1 - h1) * excess / f_kh + (1 - nk1) * sp / f_ksp
    f_target = f_max * x_f / (1 + x_f)
    flare = m.state("flare", 0.0, "cm**2", "axon-reflex flare area", atol=1e-6)
    f_eps = m.parameter("flare_smoothing", 0.001, "cm**2",
                        Assumption("numerical: width of the smooth switch between flare "
                                   "spread and fading"))
    m.rate(flare, LN2 / t_fr * smooth_max0(f_target - flare, f_eps)
           - LN2 / t_fd * smooth_max0(flare - f_target, f_eps))
    m.output("erythema", flare, "cm**2", "flare (axon-reflex erythema) area around the site")

    # --- wheal -------------------------------------------------------------------------------
    w_max = m.parameter("wheal_max", 150.0, "mm**2",
                        Assumption("large intradermal histamine/SP wheals reach 12-15 mm "
                                   "diameter", refs=("ejpharm1983",)))
    w_kh = m.parameter("wheal_k_histamine", 500.0, "nM",
                       Assumption("wheal is less sensitive to histamine than flare",
                                  refs=("cook1980",)))
    w_ksp = m.parameter("wheal_k_sp", 5000.0, "nM",
                        Assumption("SP opens venules partly through NK1 directly; H1 blockade "
                                   "leaves part of the SP wheal", refs=("ijdermatol1992",)))
    t_wr = m.parameter("wheal_rise", 5.4, "min",
                       Literature("cook1980", "histamine weal formation T1/2 5.4 min"))
    t_wd = m.parameter("wheal_resorption", 87.0, "min",
                       Literature("cook1980", "histamine weal disappearance T1/2 87 min"))
    w_eps = m.parameter("wheal_smoothing", 0.01, "mm**2",
                        Assumption("numerical: width of the smooth switch between wheal "
                                   "formation and resorption"))
    x_w = (1 - h1) * excess / w_kh + (1 - nk1) * sp / w_ksp
    target = w_max * x_w / (1 + x_w)
    wheal = m.state("wheal_area", 0.0, "mm**2", "wheal (oedema) area", atol=1e-6)
    m.rate(wheal, LN2 / t_wr * smooth_max0(target - wheal, w_eps)
           - LN2 / t_wd * smooth_max0(wheal - target, w_eps))
    m.output("wheal", wheal, "mm**2", "wheal area at the site")

    # --- itch --------------------------------------------------------------------------------
    i_kh = m.parameter("itch_k_histamine", 300.0, "nM",
                       Assumption("histamine-evoked itch is moderate (NRS about 4-5) at the "
                                  "histamine levels of an SP wheal", refs=("hagermark1978",)))
    i_ksp = m.parameter("itch_k_sp", 10000.0, "nM",
                        Assumption("SP also itches through NK1 on nerves and keratinocytes; "
                                   "NK1 antagonists relieve chronic pruritus",
                                   refs=("stander2010",)))
    i_n = m.parameter("itch_hill", 1.5, "dimensionless",
                      Assumption("itch needs a threshold of pruritogen"))
    nrs_max = m.parameter("itch_nrs_max", 10.0, "score", Literature("phan2012", "NRS 0-10"))
    q = (1 - h1) * excess / i_kh + (1 - nk1) * sp / i_ksp
    m.output("itch", nrs_max * q**i_n / (1 + q**i_n), "score", "itch intensity (NRS 0-10)")
    m.note("Histamine, flare, wheal and itch describe the observed skin site; an intradermal "
           "injection acts only there, so mast_cell_activation (read by whole-skin conditions) "
           "excludes injected SP.")
    return m
