"""Inflammation, leptin, appetite and body weight (M16).

No published model couples cytokines to leptin and appetite (model-anchors.md section 4.1 lists
the gap). TNF and IL-1 induce leptin expression in adipose tissue and raise serum leptin
(Grunfeld et al. 1996; Sarraf et al. 1997); leptin lowers food intake; cytokines also act on the
hypothalamus directly (anorexia after endotoxin persists without leptin; Faggioni et al. 1997), so
a smaller direct term is kept. Without inflammation nothing changes: the cytokine drive is a
steep (Hill 2) function of TNF and IL-1beta *above baseline*, negligible at resting levels.

In humans the leptin response to endotoxin is slow: plasma leptin did not change during the 6-7 h
after endotoxin (Bornstein et al. 1998; Landman et al. 2003) and was up by 57 % at 24 h in
Landman's four women (8.3 -> 13.1 ng/mL), while Bornstein's twelve subjects were unchanged at 24 h
(-6 %). Cytokines induce ob mRNA in adipose tissue, which is translated and secreted over hours
(Grunfeld 1996; Sarraf 1997); plasma leptin itself turns over in under an hour. The model carries
the cytokine drive through three transit stages (a gamma-distributed delay, the usual
pharmacodynamic device for a chain of transcription, translation and secretion), so leptin stays
flat for the first hours and peaks about a day after endotoxin.

Basal leptin scales with fat mass (Considine et al. 1996), so weight loss lowers leptin and raises
appetite (counter-regulation). Body weight follows a one-compartment reduction of the energy
balance model of Chow & Hall (2008), with Hall's rule of thumb (a sustained change of intake of
100 kJ/day eventually moves weight by about 1 kg; Hall et al. 2011) and the energy density of
weight change of Hall (2008); its time constant (about 11 months) is shorter than that of Hall's
full model (half of the change in about 1 year).

Equations (hours)::

    x = tnf_excess/tnf_k + il1b_excess/il1b_k           (il1b_excess above il1b_reference)
    c = x^2 / (1 + x^2)                                  (cytokine drive, 0 at rest)
    d a1/dt = ln2/induction_half_life * (c - a1),  d a2/dt = ... (a1 - a2),  d a3/dt = ... (a2 - a3)
    d leptin/dt = ln2/leptin_half_life * (leptin_0 * (W/W_0)^leptin_weight_exponent
                                          * (1 + leptin_cytokine_gain*a3) - leptin)
    food_intake = (leptin/leptin_0)^(-intake_leptin_elasticity) / (1 + direct_anorexia_gain*c)
    dW/dt = (intake_0*(food_intake - 1) - expenditure_slope*(W - W_0)) / energy_density
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 101


def build() -> Module:
    m = Module("appetite", "Leptin, appetite and body weight", __doc__, mechanisms=("M16", "M6"))
    tnf_x = m.input("tnf_excess", "pg/mL")
    il1b = m.input("il1b", "pg/mL")

    il1_ref = m.parameter("il1b_reference", 0.5, "pg/mL",
                          Derived("the immune module's resting plasma IL-1beta "
                                  "(immune.il1b_baseline)"))
    eps = m.parameter("excess_smoothing", 0.05, "pg/mL",
                      Assumption("numerical: width of the smooth max(x, 0), far below assay "
                                 "resolution"))
    k_tnf = m.parameter("tnf_k", 50.0, "pg/mL",
                        Assumption("TNF rises of tens of pg/mL (endotoxin-level inflammation) "
                                   "are needed to induce leptin; resting TNF (a few pg/mL) is "
                                   "far below", refs=("grunfeld1996", "zumbach1997")))
    k_il1 = m.parameter("il1b_k", 5.0, "pg/mL",
                        Assumption("IL-1beta induces leptin like TNF; plasma IL-1beta rises are "
                                   "about a tenth of TNF's", refs=("sarraf1997", "copeland2005")))
    x = tnf_x / k_tnf + smooth_max0(il1b - il1_ref, eps) / k_il1
    c = x**2 / (1 + x**2)
    m.output("leptin_cytokine_drive", c, "dimensionless",
             "inflammatory drive on leptin and appetite (0 at rest)", observable=False)

    l0 = m.parameter("leptin_0", 10.0, "ng/mL",
                     Literature("considine1996", "serum leptin about 5-15 ng/mL at normal "
                                "weight (women higher than men)"),
                     distribution=LogNormal(0.5, Literature(
                         "considine1996", "leptin varies several-fold with body fat")))
    t_l = m.parameter("leptin_half_life", 0.5, "hour",
                      Assumption("plasma leptin turns over in under an hour; the slow part of "
                                 "the cytokine response is the induction chain below",
                                 refs=("grunfeld1996", "sarraf1997")))
    t_ind = m.parameter("induction_half_life", 4.0, "hour",
                        Fitted("default", ("V27",), prior=Assumption(
                            "half-life of each of three transit stages from the cytokine drive "
                            "to leptin secretion (ob mRNA induction, translation, secretion): "
                            "no leptin change in the first 6-7 h after endotoxin, a rise by "
                            "24 h (Landman 2003; Bornstein 1998)",
                            refs=("landman2003", "bornstein1998", "grunfeld1996"))),
                        bounds=(1.0, 24.0))
    g_l = m.parameter("leptin_cytokine_gain", 2.0, "dimensionless",
                      Assumption("endotoxin, TNF and IL-1 raise serum leptin up to about 2-3 "
                                 "fold (direction and order of magnitude)",
                                 refs=("grunfeld1996", "sarraf1997")))
    w0 = m.parameter("body_weight_0", 70.0, "kg",
                     Assumption("a weight-stable adult; the person's own setpoint"))
    e_w = m.parameter("leptin_weight_exponent", 2.6, "dimensionless",
                      Derived("leptin proportional to fat mass; fat 20 kg of 70 kg and about 75 % "
                              "of a weight change is fat: dF/F = 0.75*3.5 dW/W",
                              refs=("considine1996", "hall2008")))
    w = m.state("weight", 70.0, "kg", "body weight")
    lep = m.state("leptin_serum", 10.0, "ng/mL", "serum leptin")
    m.output("leptin", lep, "ng/mL", "serum leptin")
    m.output("body_weight", w, "kg", "body weight")
    stages = [m.state(f"leptin_induction_{k}", 0.0, "dimensionless",
                      f"cytokine induction of adipose leptin secretion, transit stage {k}",
                      atol=1e-8) for k in (1, 2, 3)]
    for k, a in enumerate(stages):
        m.rate(a, LN2 / t_ind * ((c if k == 0 else stages[k - 1]) - a))
    m.rate(lep, LN2 / t_l * (l0 * (w / w0) ** e_w * (1 + g_l * stages[-1]) - lep))

    e_l = m.parameter("intake_leptin_elasticity", 0.3, "dimensionless",
                      Assumption("food intake falls modestly as leptin rises above the "
                                 "person's own level (leptin resistance in non-deficient "
                                 "people) and rises as leptin falls with weight loss",
                                 refs=("rosenbaum2005", "sarraf1997")))
    g_d = m.parameter("direct_anorexia_gain", 0.5, "dimensionless",
                      Assumption("cytokines also suppress feeding directly through the "
                                 "hypothalamus; endotoxin anorexia persists in leptin-deficient "
                                 "mice", refs=("faggioni1997",)))
    intake = m.output("food_intake", (lep / l0) ** (-e_l) / (1 + g_d * c), "dimensionless",
                      "relative food intake (1 = the person's normal intake)")

    ei0 = m.parameter("intake_0", 10000.0, "kJ/day",
                      Assumption("weight-stable adult energy intake about 2400 kcal/day"))
    slope = m.parameter("expenditure_slope", 100.0, "kJ/day/kg",
                        Literature("hall2011", "rule of thumb: every 100 kJ/day change of "
                                   "intake eventually changes body weight by about 1 kg"))
    rho = m.parameter("energy_density", 32200.0, "kJ/kg",
                      Assumption("the classic 7700 kcal (32 200 kJ) per kg of body weight "
                                 "(3500 kcal/lb) rule. Hall 2008 shows that the energy density "
                                 "of a weight change is not constant: it depends on body fat "
                                 "and is lower early in a change, when glycogen and water are "
                                 "lost, so one value is a simplification",
                                 refs=("hall2008",)))
    m.rate(w, (ei0 * (intake - 1) - slope * (w - w0)) / rho)
    return m
