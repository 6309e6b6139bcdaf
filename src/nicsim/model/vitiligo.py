"""Vitiligo: melanocyte loss under CD8/IFN-gamma attack, stress-linked spread (M13).

No mechanistic model of vitiligo was found (model-anchors.md 3.3); the structure follows the
accepted pathogenesis (Frisoli, Essien & Harris 2020): melanocytes under oxidative stress release
danger signals, autoreactive CD8 T cells attack them, IFN-gamma/CXCL10 recruits more T cells, and
depigmentation spreads from existing patches. Repigmentation from the follicular reservoir is slow
(months to years) and happens only when the attack is quiet. Stress links: stress-linked
inflammation (IL-6/TNF above baseline) raises IFN-gamma signalling, and felt stress load raises
melanocyte oxidative stress (catecholamines; Schallreuter et al.); weaker glucocorticoid restraint
(``gc_factor``) raises the drive. Stressful life events often precede onset and spread
(Manolache & Benea 2007), the only quantitative human evidence, hence every strength below is an
assumption.

Equations (hours)::

    u = f_susceptibility * gc_factor/gc_ref * (basal + oxidative_gain*stress_load
        + immune_gain*(il6_excess/il6_ref + tnf_excess/tnf_ref))
    d attack/dt = ln2/attack_half_life * (u^n/(1 + u^n) - attack)
    d bsa/dt = spread_rate*attack*(bsa + seed)*(1 - bsa/bsa_max)
               - repigmentation_rate * bsa / (1 + (attack/quiet_k)^2)
    vitiligo_visible = bsa / bsa_max
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Literature, LogNormal, Module
from nicsim.core.motifs import LN2

ORDER = 82


def build() -> Module:
    m = Module("vitiligo", "Vitiligo (melanocyte loss under immune attack)", __doc__,
               mechanisms=("M13",))
    load = m.input("stress_load_signal", "dimensionless")
    il6x = m.input("il6_excess", "pg/mL")
    tnfx = m.input("tnf_excess", "pg/mL")
    gcf = m.input("gc_factor", "dimensionless")

    def A(name, value, unit, why, refs=("frisoli2020",), doc="", **kw):
        return m.parameter(name, value, unit, Assumption(why, refs=refs), doc, **kw)

    f = m.parameter("f_susceptibility", 0.0, "dimensionless",
                    Assumption("0 = not prone (default person), 1 = typical patient; set from "
                               "person.susceptibility.vitiligo"),
                    "vitiligo susceptibility (autoimmune predisposition)", bounds=(0, 5),
                    distribution=LogNormal(0.15, Assumption("disease activity differs between "
                                                            "patients")))
    basal = A("basal_drive", 0.3, "dimensionless", "a prone person has a low-grade attack "
              "without stressors (stable vitiligo)")
    g_ox = A("oxidative_gain", 0.8, "dimensionless", "felt stress raises melanocyte oxidative "
             "stress (catecholamine-driven H2O2); stressful events precede spread",
             refs=("frisoli2020", "manolache2007"))
    g_imm = A("immune_gain", 0.3, "dimensionless", "systemic inflammation raises IFN-gamma/"
              "CXCL10 signalling", refs=("frisoli2020",))
    il6_ref = A("il6_ref", 2.0, "pg/mL", "an IL-6 rise of 2 pg/mL counts as a unit of "
                "inflammatory drive (as in the psoriasis module)")
    tnf_ref = A("tnf_ref", 2.0, "pg/mL", "as il6_ref, for TNF")
    gc_ref = m.parameter("gc_ref", 1.2, "dimensionless",
                         Derived("daily mean of gc_factor in an unstressed person"))
    n = A("drive_n", 3.0, "dimensionless", "cooperative T-cell recruitment (IFN-gamma/CXCL10 "
          "positive feedback)")
    t_a = A("attack_half_life", 2.0, "week", "T-cell activity in vitiligo skin changes over "
            "weeks")
    spread = A("spread_rate", 0.015, "1/day", "active vitiligo (attack near 1) doubles its "
               "area in about 2 months", refs=("frisoli2020",))
    seed = A("seed", 2.0, "percent", "a prone person has a reservoir of susceptible skin "
             "(perilesional and Koebner sites), so that a typical patient settles near 1 % of "
             "body surface without stressors")
    bsa_max = m.parameter("bsa_max", 100.0, "percent",
                          Literature("frisoli2020", "body surface area, %"))
    repig = A("repigmentation_rate", 0.0019, "1/day", "spontaneous repigmentation from "
              "follicular melanocytes is slow: half-time about a year", refs=("frisoli2020",))
    quiet = A("quiet_k", 0.1, "dimensionless", "repigmentation needs a quiet attack")

    C = m.state("attack", 0.0, "dimensionless", "CD8/IFN-gamma attack on melanocytes (0-1)",
                atol=1e-8)
    V = m.state("bsa", 0.0, "percent", "depigmented body surface area", atol=1e-8)
    u = f * gcf / gc_ref * (basal + g_ox * load + g_imm * (il6x / il6_ref + tnfx / tnf_ref))
    m.rate(C, LN2 / t_a * (u**n / (1 + u**n) - C))
    m.rate(V, spread * C * (V + seed) * (1 - V / bsa_max)
           - repig * V / (1 + (C / quiet) ** 2))
    m.output("vitiligo_bsa", V, "percent", "depigmented body surface area (%)")
    m.output("vitiligo_visible", V / bsa_max, "dimensionless",
             "vitiligo extent as a fraction of the body surface", observable=False)
    return m
