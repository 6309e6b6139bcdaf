"""Skin-related distress and quality of life: the feedback from visible skin disease (M7, P3).

A visible skin condition hurts self-image and quality of life; the distress adds to the stress a
person feels (psyche reads ``skin_distress``), which feeds the stress-immune drive of the skin
conditions: the vicious cycle. No mechanistic model of this link exists (model-anchors.md 4.1);
the structure is the simplest the quality-of-life evidence supports. Each condition's visible
severity (fraction of its clinical scale) is weighted by how much it impairs quality of life per
unit of scale, scaled by how visible the lesions are (face, hands; Hongbo et al. 2005; Basra et
al. 2008) and by the person's distress sensitivity. Impact saturates (the DLQI is bounded,
0-30), and the DLQI-like score follows it over days to weeks (the DLQI asks about the last week).

The loop gain is the product of three links: severity -> impact (this module), impact -> felt
stress (``psyche.distress_weight``) and felt stress -> skin immune drive (the condition modules'
``stress_gain``). All three are assumptions checked only against cross-sectional DLQI burden
(V30) and the stress-reactor rows (V16); the strength of the loop is therefore uncertain and is
what decides who can get locked in a persistent flare (docs/vicious_cycle.md).

Equations (hours)::

    burden  = sum_c w_c * <c>_visible      (c = acne, eczema, psoriasis, rosacea, vitiligo)
    exposure = (visibility_base + visibility) / (visibility_base + 0.5)
    x       = f_distress_sensitivity * exposure * burden / burden_ref
    d q/dt  = ln2/dlqi_half_life * (x/(1 + x) - q)
    dlqi    = dlqi_max * q ;   skin_distress = distress_gain * q
"""

from __future__ import annotations

from nicsim.core import Assumption, Fitted, Literature, LogNormal, Module
from nicsim.core.domains import fraction
from nicsim.core.motifs import LN2

ORDER = 85

CONDITIONS = ("acne", "eczema", "psoriasis", "rosacea", "vitiligo")


def build() -> Module:
    m = Module("distress", "Skin-related distress and quality of life", __doc__,
               mechanisms=("M7", "M1"))
    vis = {c: m.input(f"{c}_visible", "dimensionless", default=0.0,
                      doc=f"{c} severity as a fraction of its clinical scale (0 if absent)")
           for c in CONDITIONS}
    weights = {
        "psoriasis": (1.0, Assumption("reference condition: the burden scale is set on "
                                      "psoriasis (PASI/72)", refs=("basra2008",))),
        "eczema": (1.0, Assumption("atopic dermatitis impairs quality of life at least as much "
                                   "as psoriasis at equal severity (itch, sleep loss)",
                                   refs=("basra2008", "hongbo2005"))),
        "acne": (0.15, Fitted("default", ("V30",), prior=Assumption(
            "mean acne DLQI 3-8 while acne_visible is a large fraction of its scale (IGA/4) in "
            "typical acne; set by hand so moderate acne scores about 5 (the V30 acne band)",
            refs=("basra2008", "hongbo2005")))),
        "rosacea": (0.15, Assumption("rosacea DLQI is similar to acne (about 4-5)",
                                     refs=("basra2008",))),
        "vitiligo": (2.0, Assumption("vitiligo DLQI (about 4-7) is reached at a few percent of "
                                     "body surface, often on face and hands",
                                     refs=("basra2008",))),
    }
    burden = 0
    for c in CONDITIONS:
        val, src = weights[c]
        w = m.parameter(f"w_{c}", val, "dimensionless", src,
                        f"quality-of-life impact per unit of {c}_visible")
        burden = burden + w * vis[c]

    sens = m.parameter("f_distress_sensitivity", 1.0, "dimensionless",
                       Assumption("nominal person (1); set from person.distress_sensitivity "
                                  "(0-5)"),
                       "personal sensitivity to visible skin disease", bounds=(0, 5),
                       distribution=LogNormal(0.5, Assumption(
                           "DLQI varies widely between patients of equal severity (PASI-DLQI "
                           "correlation only moderate)", refs=("basra2008",))))
    visibility = m.parameter("visibility", 0.5, "dimensionless",
                             Assumption("nominal 0.5; set from person.lesion_visibility (0 = "
                                        "covered, 1 = face and hands)"), bounds=(0, 1),
                             domain=fraction())
    v_base = m.parameter("visibility_base", 0.5, "dimensionless",
                         Assumption("covered lesions still impair quality of life (itch, "
                                    "intimacy) about half as much as at average visibility; "
                                    "fully visible lesions 1.5 x", refs=("hongbo2005",)))
    half = m.parameter("visibility_reference", 0.5, "dimensionless",
                       Assumption("exposure is 1 at the nominal visibility 0.5"))
    b_ref = m.parameter("burden_ref", 0.36, "dimensionless",
                        Fitted("default", ("V30",), prior=Assumption(
                            "mean DLQI of about 12-13 at a mean PASI of about 20 in the "
                            "baseline data of psoriasis treatment studies (x = 0.77 at "
                            "psoriasis_visible 0.28)", refs=("basra2008",))),
                        "psoriasis burden at which impact is half-maximal (x = 1)",
                        bounds=(0.05, 2))
    t_q = m.parameter("dlqi_half_life", 5.0, "day",
                      Assumption("the DLQI asks about the last week; quality of life follows "
                                 "severity over days to weeks", refs=("basra2008",)))
    d_max = m.parameter("dlqi_max", 30.0, "score",
                        Literature("hongbo2005", "DLQI range 0-30"))
    gain = m.parameter("distress_gain", 1.0, "dimensionless",
                       Assumption("skin_distress equals the DLQI fraction; the weight of "
                                  "distress in felt stress is psyche.distress_weight",
                                  refs=("hongbo2005", "basra2008")))
    exposure = (v_base + visibility) / (v_base + half)
    x = sens * exposure * burden / b_ref
    q = m.state("impact", 0.0, "dimensionless",
                "skin-related quality-of-life impact (DLQI / 30)", atol=1e-8)
    m.rate(q, LN2 / t_q * (x / (1 + x) - q))
    m.output("dlqi", d_max * q, "score", "skin-related quality of life, DLQI-like (0-30)")
    m.output("skin_distress", gain * q, "dimensionless",
             "distress from visible skin disease, read by psyche", observable=False)
    return m
