"""Epidermal permeability barrier: stratum corneum integrity and TEWL (M3, M8).

No mechanistic stress-to-barrier model exists (model-anchors.md section 3.4). The structure
follows the established repair biology (Elias & Feingold): the stratum corneum (SC) is worn
continuously (renewed about every two weeks) and rebuilt from lamellar bodies (LB) secreted by the
granular layer in proportion to the barrier deficit. After acute disruption the preformed LB pool
is secreted within about an hour (fast phase); the rest of the repair waits for new lipid
synthesis and LB formation (slow phase, hours to days).

Stress reaches the two phases by different routes with different time scales:

* fast (minutes-hours): sympathetic arousal. beta2-adrenergic agonists delay barrier recovery
  and a beta2 antagonist speeds it; in keratinocytes the agonist raises intracellular calcium
  (Denda et al. 2003), and a raised epidermal calcium signal holds back lamellar-body secretion
  (Elias & Feingold). The model lets sympathetic tone above rest slow the secretion of the
  preformed pool at once, so an acute stressor around a barrier insult slows the first hours of
  recovery (interview stress delays barrier recovery, Altemus et al. 2001).
* acute glucocorticoid (hours): an epidermal glucocorticoid-receptor signal follows free cortisol
  with the lag of genomic receptor action (half-life 1 h, as the immune module's GR
  transrepression; Jusko 1994, Barber et al. 1993) and slows lamellar-body secretion while it
  lies above the highest level of a calm day. In mice an acute stressor or a corticosterone
  injection delays barrier recovery within hours and the GR antagonist RU-486 prevents it (Denda
  et al. 2000); glucocorticoids and stress lower lamellar-body secretion as well as formation
  (mouse; Kao et al. 2003, Choi et al. 2005, 2006). The threshold keeps the calm diurnal rhythm
  neutral: human barrier recovery 1 h after tape stripping is not slower at the morning cortisol
  peak (Denda & Tsuchiya 2000), and target tissues damp GR activity in the morning (Charmandari
  et al. 2011). So only cortisol above the calm daily range (a stressor that lifts cortisol
  above the morning peak, hydrocortisone) holds back the fast phase, for hours after it ends.
* slow (hours-days): lipid synthesis and new LB formation, which glucocorticoids and
  psychological stress inhibit (Choi et al. 2005; Kao et al. 2003): days-averaged free cortisol
  (epidermal glucocorticoid exposure; keratinocytes also make cortisol locally through
  11beta-HSD1, Tiganescu et al. 2013, which the model does not separate from the systemic
  supply), sleep loss (Altemus et al. 2001), inflammatory cytokines (IL-1beta, TNF; Altemus
  2001); topical corticosteroid also inhibits it.

Neuropeptide (substance P, skin CRH) effects on the barrier are not represented (no human time
course found). An emollient (physiological lipids, occlusion) adds barrier material directly
(Man et al. 1996).

Atopic eczema lesions have their own, much weaker barrier (eczema module, lesional barrier
``eczema_lesion_barrier``): lesional TEWL on the volar forearm is about 29 g/m2/h against 13 on
uninvolved atopic skin and 12 in healthy controls (Montero-Vilchez et al. 2021). TEWL over a
lesion follows from the same series-resistance law with the lesional barrier in series; the
forearm TEWL of a person with eczema mixes lesional and uninvolved skin by the lesional share
of the site, read from the eczema severity (``eczema_visible`` = EASI/72).

``integrity`` is the fraction of the SC's diffusion resistance that is present. Water flux
through SC and viable epidermis in series (Fick; TEWL is inversely proportional to the remaining
SC thickness, Kalia et al. 1996) gives TEWL. Tape stripping (event ``tape_stripping``) jumps
``barrier.integrity`` down by the fraction removed. The structure's rate constants are calibrated
to the recovery course of V17.

Equations (hours)::

    d cortisol_avg/dt = ln2/cortisol_avg_half_life * (cortisol_free - cortisol_avg)
    m = 1 / ((1 + cortisol_gain*smooth_max0(cortisol_avg/cortisol_ref - 1))
             * (1 + sleep_gain*sleep_loss) * (1 + cytokine_gain*(tnf_excess + il1_excess)/k)
             * (1 + tcs_gain*topical_corticosteroid))
    d gr_signal/dt = ln2/gr_half_life * (cortisol_free - gr_signal)
    f = 1 / ((1 + sympathetic_gain*smooth_max0(sympathetic_tone - 1))
             * (1 + gr_secretion_gain*smooth_max0(gr_signal/gr_calm_peak - 1)))   (fast routes)
    deficit = 1 - integrity
    secretion = lb_secretion_rate * f * lb_pool * deficit
    d integrity/dt = lb_yield*secretion + emollient_rate*emollient*deficit - integrity/turnover
    d lb_pool/dt = -secretion + lb_synthesis_rate * m * (1 - lb_pool)
    tewl_uninvolved = tewl_intact * (1 + r) / (integrity + r),  r = viable-epidermis/SC ratio
    tewl_lesional = tewl_intact * (1 + r) / (integrity * eczema_lesion_barrier^n + r),
        n = lesion_resistance_exponent
    a = eczema_site_gain * eczema_visible / (1 + eczema_site_gain * eczema_visible)
    tewl = (1 - a) * tewl_uninvolved + a * tewl_lesional
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 71

V17 = ("V17",)

#: highest 1-h-lagged free cortisol of a calm settled day (nmol/L), the threshold of the acute
#: glucocorticoid route; scripts/derive_calm_cortisol_reference.py prints it
GR_CALM_PEAK = 25.9


def build() -> Module:
    m = Module("barrier", "Epidermal permeability barrier", __doc__,
               mechanisms=("M3", "M8", "M9"))
    free = m.input("cortisol_free", "nmol/L")
    sleep_loss = m.input("sleep_loss", "dimensionless")
    tnf_x = m.input("tnf_excess", "pg/mL")
    il1b = m.input("il1b", "pg/mL")
    sns = m.input("sympathetic_tone", "dimensionless")
    emollient = m.exogenous("emollient", "dimensionless", "emollient regimen level (0-1)")
    tcs = m.exogenous("topical_corticosteroid", "dimensionless",
                      "topical corticosteroid potency class (0-4) while on the regimen")

    # --- chronic glucocorticoid exposure (shared with the collagen module) -------------------
    t_avg = m.parameter("cortisol_avg_half_life", 1.0, "day",
                        Assumption("glucocorticoid inhibition of epidermal lipid synthesis "
                                   "builds up over days of exposure", refs=("kao2003",)))
    c_avg = m.state("cortisol_avg", 10.5, "nmol/L", "free cortisol averaged over days")
    m.rate(c_avg, LN2 / t_avg * (free - c_avg))
    m.output("cortisol_free_avg", c_avg, "nmol/L",
             "free cortisol averaged over days (chronic glucocorticoid exposure of skin)",
             observable=False)
    c_ref = m.parameter("cortisol_ref", 10.5, "nmol/L",
                        Derived("24-h mean free cortisol of a calm settled day in this model "
                                "(10.52 nmol/L; hpa module, default parameter set; "
                                "scripts/derive_calm_cortisol_reference.py)"))

    # --- repair modifiers --------------------------------------------------------------------
    g_c = m.parameter("cortisol_gain", 2.0, "dimensionless",
                      Assumption("sized so a 10 % rise in mean free cortisol slows lipid "
                                 "synthesis by about 15 %; glucocorticoids and stress reduce "
                                 "epidermal lipid synthesis and LB formation (mouse, human)",
                                 refs=("choi2005", "kao2003")), bounds=(0, 10))
    g_s = m.parameter("sleep_gain", 0.5, "dimensionless",
                      Assumption("one night of sleep deprivation slows barrier recovery "
                                 "(direction, n = 11)", refs=("altemus2001",)), bounds=(0, 5))
    g_i = m.parameter("cytokine_gain", 0.5, "dimensionless",
                      Assumption("stress-induced IL-1beta/TNF responses correlate inversely "
                                 "with barrier recovery", refs=("altemus2001",)), bounds=(0, 5))
    k_cy = m.parameter("cytokine_k", 10.0, "pg/mL",
                       Assumption("plasma cytokine excess of about 10 pg/mL halves the "
                                  "cytokine-modulated part of repair (endotoxemia range)"))
    il1_rest = m.parameter("il1b_rest", 0.5, "pg/mL",
                           Assumption("resting plasma IL-1beta of the immune module"))
    g_sns = m.parameter("sympathetic_gain", 1.0, "dimensionless",
                        Assumption("beta2-adrenergic agonists delay barrier recovery and a "
                                   "beta2 blocker speeds it, through keratinocyte calcium, which "
                                   "holds back lamellar-body secretion (mouse, cultured human "
                                   "keratinocytes); sized so that a doubled sympathetic tone "
                                   "halves the secretion rate while it lasts (no human dose-"
                                   "response)", refs=("denda2003", "elias1992")), bounds=(0, 5))
    g_tcs = m.parameter("tcs_gain", 0.15, "dimensionless",
                        Assumption("short-term potent topical glucocorticoid delays barrier "
                                   "recovery by inhibiting lipid synthesis", refs=("kao2003",)))
    eps = m.parameter("modifier_smoothing", 0.01, "dimensionless",
                      Assumption("numerical: width of smooth max(x, 0) in the modifiers"))
    eps_c = m.parameter("cytokine_smoothing", 0.05, "pg/mL",
                        Assumption("numerical: width of smooth max(x, 0) for IL-1beta excess"))
    infl = (tnf_x + smooth_max0(il1b - il1_rest, eps_c)) / k_cy
    mod = 1 / ((1 + g_c * smooth_max0(c_avg / c_ref - 1, eps)) * (1 + g_s * sleep_loss)
               * (1 + g_i * infl) * (1 + g_tcs * tcs))

    # --- acute route: epidermal glucocorticoid-receptor signal (hours) -----------------------
    t_gr = m.parameter("gr_half_life", 60.0, "min",
                       Assumption("onset and offset lag of genomic glucocorticoid-receptor "
                                  "action behind free cortisol, taken as the immune module's "
                                  "gr_half_life (human: the effect of a 6-h hydrocortisone "
                                  "infusion on the endotoxin response was gone 6 h after it "
                                  "ended; receptor-mediated corticosteroid effects wait for new "
                                  "mRNA and protein); no epidermal time course is published. "
                                  "In mice an acute stressor (cage change, immobilisation) or a "
                                  "corticosterone injection delays barrier recovery within "
                                  "hours, and the GR antagonist RU-486 prevents it (animal "
                                  "data)", refs=("jusko1994", "barnes1998", "barber1993",
                                                 "denda2000")),
                       bounds=(10, 240))
    gr_peak = m.parameter("gr_calm_peak", GR_CALM_PEAK, "nmol/L",
                          Derived("highest value of the 1-h-lagged free cortisol (gr_signal) "
                                  "over a calm settled day in this model (morning peak, 25.89 "
                                  "nmol/L; hpa module, default parameter set; "
                                  "scripts/derive_calm_cortisol_reference.py). Only cortisol "
                                  "above the calm diurnal range acts: human barrier recovery 1 h "
                                  "after tape stripping is not slower at the morning salivary "
                                  "cortisol peak (lowest at 20-23 h), and target-tissue GR "
                                  "activity is damped in the morning against the diurnal "
                                  "cortisol rhythm (CLOCK acetylates GR; human PBMC)",
                                  refs=("denda2000b", "charmandari2011")))
    g_gr = m.parameter("gr_secretion_gain", 2.0, "dimensionless",
                       Assumption("glucocorticoids and psychological stress lower lamellar-body "
                                  "secretion as well as formation (mouse: 3 days of topical or "
                                  "systemic glucocorticoid; stress, reversed by RU-486); no "
                                  "dose-response for secretion, so the sensitivity is taken "
                                  "equal to cortisol_gain on lipid synthesis: free cortisol 10 % "
                                  "above the calm peak slows secretion by about 17 %",
                                  refs=("kao2003", "choi2005", "choi2006")), bounds=(0, 10))
    gr = m.state("gr_signal", 10.5, "nmol/L",
                 "epidermal glucocorticoid-receptor signal: free cortisol lagged by the genomic "
                 "receptor response")
    m.rate(gr, LN2 / t_gr * (free - gr))
    gr_excess = smooth_max0(gr / gr_peak - 1, eps)
    fast = 1 / ((1 + g_sns * smooth_max0(sns - 1, eps)) * (1 + g_gr * gr_excess))
    m.output("barrier_secretion_factor", fast, "dimensionless",
             "lamellar-body secretion (fast repair) capacity relative to a calm person",
             observable=False)
    m.output("barrier_repair_factor", mod, "dimensionless",
             "lipid-synthesis (repair) capacity relative to a calm rested person",
             observable=False)

    # --- stratum corneum and lamellar bodies -------------------------------------------------
    turnover = m.parameter("sc_turnover", 14.0, "day",
                           Assumption("the stratum corneum is renewed about every two weeks",
                                      refs=("hoath2003",)))
    k_sec = m.parameter("lb_secretion_rate", 2.5, "1/hour",
                        Derived("preformed lamellar bodies are secreted within about 30 min of "
                                "barrier disruption: 1/(2.5/h x deficit 0.75) = 32 min",
                                refs=("elias1992",)), bounds=(1.5, 6))
    y = m.parameter("lb_yield", 0.08, "dimensionless",
                    Fitted("default", V17, prior=Assumption(
                        "the preformed pool restores a small part of a stripped barrier")),
                    bounds=(0.01, 0.5))
    k_syn = m.parameter("lb_synthesis_rate", 0.1, "1/hour",
                        Fitted("default", V17, prior=Literature(
                            "elias1992", "lipid synthesis and new lamellar bodies over hours; "
                            "about half of the barrier back within a day")), bounds=(0.01, 2),
                        distribution=LogNormal(0.32, Derived(
                            "TEWL recovery 24 h after tape stripping 56.85 +/- 17.97 % in "
                            "healthy volunteers: SD/mean 0.32; the 24-h recovery is set mainly "
                            "by the synthesis step, so its CV is taken as this rate's",
                            refs=("hallym2000",))))
    k_em = m.parameter("emollient_rate", 0.01, "1/hour",
                       Assumption("a physiological-lipid emollient speeds barrier recovery by "
                                  "tens of percent over the first day", refs=("man1996",)),
                       bounds=(0, 0.1))
    integ = m.state("integrity", 1.0, "dimensionless",
                    "stratum corneum integrity (fraction of its diffusion resistance)",
                    observable=False)
    lb = m.state("lb_pool", 0.6, "dimensionless", "releasable lamellar-body pool (1 = full)")
    deficit = 1 - integ
    sec = k_sec * fast * lb * deficit
    m.rate(integ, y * sec + k_em * emollient * deficit - integ / turnover)
    m.rate(lb, -sec + k_syn * mod * (1 - lb))

    # --- TEWL --------------------------------------------------------------------------------
    tewl0 = m.parameter("tewl_intact", 9.0, "g/m**2/hour",
                        Literature("kottner2013", "volar forearm TEWL of healthy adults, "
                                   "pooled means about 5-15 g/m2/h"),
                        distribution=LogNormal(0.3, Literature(
                            "kottner2013", "between-study and between-person spread")))
    r = m.parameter("resistance_ratio", 0.12, "dimensionless",
                    Derived("removing the whole SC raises TEWL about 8-10 fold; TEWL is "
                            "inversely proportional to the remaining SC (series resistances)",
                            refs=("kalia1996",)))
    b_les = m.input("eczema_lesion_barrier", "dimensionless", default=1.0,
                    doc="lesional-skin barrier integrity of atopic eczema (eczema module; 1 "
                        "intact)")
    ecz = m.input("eczema_visible", "dimensionless", default=0.0,
                  doc="eczema severity as a fraction of the EASI maximum (eczema module)")
    g_site = m.parameter("eczema_site_gain", 3.0, "dimensionless",
                         Assumption("share of the measured forearm site that is lesional grows "
                                    "with eczema severity, a / (1 - a) = gain x EASI/72: about "
                                    "half of the site at EASI 23 (the forearm flexure is a "
                                    "predilection site of adult eczema)"),
                         bounds=(0.5, 10.0))
    n_les = m.parameter("lesion_resistance_exponent", 1.0, "dimensionless",
                        Fitted("default", ("V41",), prior=Assumption(
                            "the eczema module's lesional barrier is a normalised state, not "
                            "a measured SC resistance; its diffusion resistance is taken as "
                            "B^n, prior n = 1 (proportional)")),
                        bounds=(0.5, 3.0))
    uninvolved = tewl0 * (1 + r) / (integ + r)
    lesional = tewl0 * (1 + r) / (integ * b_les ** n_les + r)
    share = g_site * ecz / (1 + g_site * ecz)
    m.output("tewl", (1 - share) * uninvolved + share * lesional, "g/m**2/hour",
             "transepidermal water loss (forearm; mixes lesional and uninvolved skin when "
             "eczema is active)")
    m.output("tewl_lesional", lesional, "g/m**2/hour",
             "transepidermal water loss over an eczema lesion (lesional barrier in series)")
    m.output("barrier_integrity", integ, "dimensionless",
             "stratum corneum integrity (1 = intact)")
    return m
