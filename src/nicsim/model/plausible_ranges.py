"""Plausible human ranges of the observables: values a living person can show.

A result outside its range is *not* an error (a user may be exploring a parameter or an extreme
protocol): :func:`nicsim.solve.plausibility.plausibility_warnings` lists it, and the warnings
go into the dataset attrs (``plausibility_warnings``), the CLI summary and the reports. The
ranges are deliberately wide: they include disease and experimental challenges (endotoxemia,
sepsis-level cytokines, Cushing-level cortisol), so that a warning means "no human shows this",
not "unusual". Scores are bounded by their instrument. Each range has a structured source; the
unit is the observable's declared unit (checked by tests/solve/test_plausibility.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from nicsim.core.sources import Assumption, Derived, Source


@dataclass(frozen=True)
class PlausibleRange:
    lower: float
    upper: float
    unit: str
    source: Source


def _scale(lo: float, hi: float, unit: str, what: str) -> PlausibleRange:
    return PlausibleRange(lo, hi, unit, Derived(f"the range of the {what} scale"))


def _model(lo: float, hi: float, unit: str, what: str) -> PlausibleRange:
    return PlausibleRange(lo, hi, unit, Derived(f"{what}; the model defines the scale"))


PLAUSIBLE: dict[str, PlausibleRange] = {
    # --- stress axes -----------------------------------------------------------------------
    "cortisol_serum": PlausibleRange(0.0, 1500.0, "nmol/L", Assumption(
        "healthy diurnal peaks 320-570 nmol/L; severe illness and Cushing's syndrome rarely "
        "exceed 1500 nmol/L", refs=("debono2009",))),
    "cortisol_free": PlausibleRange(0.0, 300.0, "nmol/L", Assumption(
        "free cortisol is 3-10 % of total at normal levels and rises steeply once CBG is "
        "saturated; 300 nmol/L corresponds to total cortisol well above 1500 nmol/L",
        refs=("coolens1987",))),
    "cortisol_saliva": PlausibleRange(0.0, 100.0, "nmol/L", Assumption(
        "morning salivary cortisol 5-25 nmol/L, TSST peaks 15-40 nmol/L; values above "
        "100 nmol/L are not seen outside contamination", refs=("kirschbaum1993",
                                                               "perogamvros2012"))),
    "acth": PlausibleRange(0.0, 300.0, "pmol/L", Assumption(
        "normal 2-11 pmol/L, endotoxemia and primary adrenal failure up to a few hundred "
        "pmol/L", refs=("keenan2004",))),
    "heart_rate": PlausibleRange(30.0, 200.0, "bpm", Assumption(
        "resting adults rarely below 40 bpm (trained athletes near 35); the age-predicted "
        "maximum 220 - age is under 200 bpm for adults; a psychosocial stressor at rest raises "
        "heart rate by 10-40 bpm", refs=("dickerson2004",))),
    "rmssd": PlausibleRange(3.0, 250.0, "ms", Assumption(
        "normative resting RMSSD 19-75 ms; trained young adults up to about 200 ms, heart "
        "failure and old age down to a few ms", refs=("nunan2010",))),
    "epinephrine": PlausibleRange(0.0, 2000.0, "pg/mL", Assumption(
        "resting 20-60 pg/mL, psychological stress to a few hundred, exhaustive exercise and "
        "hypoglycaemia to about 1000-2000 pg/mL", refs=("goldstein2003",))),
    "mindfulness": _model(0.0, 1.0, "dimensionless", "practised skill from 0 to 1"),
    "perceived_stress": _scale(0.0, 40.0, "score", "PSS-10 (0-40)"),
    "mood": _scale(0.0, 27.0, "score", "PHQ-9 (0-27)"),
    "oxytocin": PlausibleRange(0.0, 1000.0, "pg/mL", Assumption(
        "extracted plasma oxytocin 1-10 pg/mL, a 24 IU intranasal dose raises it several-fold; "
        "unextracted assays read up to hundreds", refs=("striepens2013", "mccullough2013"))),
    # --- immunity and temperature ----------------------------------------------------------
    "tnf": PlausibleRange(0.0, 5000.0, "pg/mL", Assumption(
        "healthy 1-5 pg/mL, endotoxemia (2 ng/kg) peaks at hundreds, septic shock at thousands "
        "of pg/mL", refs=("copeland2005",))),
    "il6": PlausibleRange(0.0, 10000.0, "pg/mL", Assumption(
        "healthy 1-5 pg/mL, endotoxemia peaks at hundreds to about 2000, septic shock up to "
        "about 10000 pg/mL", refs=("copeland2005",))),
    "il10": PlausibleRange(0.0, 5000.0, "pg/mL", Assumption(
        "healthy below 10 pg/mL, endotoxemia and sepsis peaks at hundreds to thousands",
        refs=("copeland2005",))),
    "il1b": PlausibleRange(0.0, 1000.0, "pg/mL", Assumption(
        "plasma IL-1beta is rarely detectable (below 5 pg/mL) and stays below about "
        "1000 pg/mL even in sepsis")),
    "temperature": PlausibleRange(34.0, 42.0, "degC", Assumption(
        "core temperature below 35 degC is hypothermia, above 41-42 degC hyperpyrexia; "
        "normal 36.1-37.5 degC", refs=("refinetti1992",))),
    "lactulose_mannitol_ratio": PlausibleRange(0.0, 1.0, "dimensionless", Assumption(
        "healthy 2-h urinary lactulose/mannitol ratio 0.01-0.06, an NSAID or acute stress "
        "raises it to about 0.06-0.07; coeliac and Crohn's disease reach a few tenths",
        refs=("vanuytsel2014",))),
    "gut_endotoxin_load": _model(0.0, 20.0, "dimensionless",
                                 "plasma endotoxin relative to the person's baseline; a "
                                 "Western diet raises it by about 70 %, stacked extreme "
                                 "stressors about 12-fold"),
    "immune_competence": _model(0.0, 2.0, "dimensionless", "index, 1 = normal"),
    "il6_ageing_factor": _model(0.0, 10.0, "dimensionless",
                                "basal IL-6 rises with age by a factor of 2-4 over decades"),
    "stress_ageing_dose": _model(0.0, 438300.0, "hour",
                                 "resistance-hours accumulated since the scenario start: at "
                                 "most the scenario's length (50 years at full resistance)"),
    "sleep_debt_hours": _model(0.0, 120.0, "hour",
                               "scheduled sleep spent awake and not yet paid back: at most "
                               "the scheduled hours of the nights lost (15 sleepless nights of "
                               "8 h; the longest documented sleep deprivation, 264 h, lost 11)"),
    "nk_activity": _scale(0.0, 100.0, "pct_lysis", "percent lysis"),
    "hsv_reactivation_hazard": PlausibleRange(0.0, 1.0, "1/day", Assumption(
        "frequent herpes labialis recurs about monthly (0.03/day); a hazard of 1/day means a "
        "new recurrence every day", refs=("spruance1992",))),
    "herpes_recurrences": _model(0.0, 1000.0, "dimensionless", "a count over the scenario"),
    "herpes_lesion_onset_rate": PlausibleRange(0.0, 1.0, "1/day", Assumption(
        "frequent herpes labialis recurs about monthly (0.03/day); after a UV provocation up "
        "to about 0.7 lesions appear over a few days; a rate of 1/day means a new lesion "
        "every day", refs=("spruance1992", "spruance1977"))),
    "herpes_lesions": _model(0.0, 5.0, "dimensionless", "expected number of active lesions "
                             "(a probability for one person; a few at most)"),
    "herpes_prodrome": _model(0.0, 5.0, "dimensionless", "expected number of reactivations "
                              "in the prodrome (a probability for one person; a few at most)"),
    "hsv_antibody_titre": _model(0.0, 20.0, "dimensionless", "titre relative to the person's "
                                 "reference; stress raises it by tens of percent"),
    # --- skin ------------------------------------------------------------------------------
    "histamine_dermal": PlausibleRange(0.0, 50000.0, "nM", Assumption(
        "dermal microdialysate histamine at rest 5-20 nM, after intradermal secretagogues up "
        "to several uM", refs=("petersen1997",))),
    "erythema": PlausibleRange(0.0, 100.0, "cm**2", Assumption(
        "axon-reflex flares after intradermal substance P or histamine cover 5-30 cm2",
        refs=("petersen1997",))),
    "wheal": PlausibleRange(0.0, 2000.0, "mm**2", Assumption(
        "wheals after intradermal challenge are 20-300 mm2", refs=("petersen1997",))),
    "itch": _scale(0.0, 10.0, "score", "itch NRS (0-10)"),
    "eczema_itch": _scale(0.0, 10.0, "score", "itch NRS (0-10)"),
    "tewl": PlausibleRange(0.0, 150.0, "g/m**2/hour", Assumption(
        "intact forearm 4-12 g/m2/h, after tape stripping to 50-100 g/m2/h",
        refs=("ghadially1995",))),
    "tewl_lesional": PlausibleRange(0.0, 150.0, "g/m**2/hour", Assumption(
        "lesional atopic skin on the forearm about 29 g/m2/h (healthy 12); a stripped or "
        "eroded lesion loses water like a stripped barrier, up to about 100 g/m2/h",
        refs=("monterovilchez2021", "ghadially1995"))),
    "barrier_integrity": _model(0.0, 1.0, "dimensionless", "1 = intact, 0 = absent"),
    "sebum": PlausibleRange(0.0, 500.0, "ug/cm**2", Assumption(
        "casual forehead sebum 50-250 ug/cm2 (Sebumeter), up to about 400 in acne",
        refs=("pochi1964",))),
    "acne_lesions": _model(0.0, 200.0, "dimensionless", "inflammatory lesions on the face; "
                           "severe acne has 50-100"),
    "acne_iga": _scale(0.0, 4.0, "score", "IGA (0-4)"),
    "acne_visible": _model(0.0, 1.0, "dimensionless", "fraction of the IGA scale"),
    "rosacea_erythema": _scale(0.0, 4.0, "score", "CEA (0-4)"),
    "rosacea_visible": _model(0.0, 1.0, "dimensionless", "fraction of the CEA scale"),
    "rosacea_papules": _model(0.0, 100.0, "dimensionless", "papules and pustules; severe "
                              "papulopustular rosacea has 20-50"),
    "collagen_synthesis": _model(0.0, 5.0, "dimensionless", "relative to a calm person"),
    "collagen_index": _model(0.0, 2.0, "dimensionless", "relative to a calm adult"),
    "easi": _scale(0.0, 72.0, "score", "EASI (0-72)"),
    "pasi": _scale(0.0, 72.0, "score", "PASI (0-72)"),
    "vitiligo_bsa": _scale(0.0, 100.0, "percent", "body surface area (0-100 %)"),
    "dlqi": _scale(0.0, 30.0, "score", "DLQI (0-30)"),
    "wound_area_skin": PlausibleRange(0.0, 10000.0, "mm^2", Assumption(
        "experimental wounds (punch biopsies, suction blisters) are 5-100 mm2; 100 cm2 covers "
        "any wound the wound events can make", refs=("marucha1998",))),
    "wound_area_mucosal": PlausibleRange(0.0, 1000.0, "mm^2", Assumption(
        "experimental palatal wounds are about 10 mm2", refs=("marucha1998",))),
    "wound_area_blister": PlausibleRange(0.0, 10000.0, "mm^2", Assumption(
        "suction blisters are 5-100 mm2 (8-mm blisters about 50 mm2); the same bound as "
        "wound_area_skin", refs=("marucha1998",))),
    "mast_cell_activation": _model(0.0, 100.0, "dimensionless",
                                   "mast-cell drive relative to the resting skin"),
    "mast_cell_degranulated_fraction": _model(0.0, 1.0, "dimensionless",
                                              "fraction of skin mast cells degranulated"),
    "dth_induration": PlausibleRange(0.0, 60.0, "mm", Assumption(
        "recall-antigen (tuberculin) and contact-sensitiser indurations are 0-25 mm, strong "
        "reactions up to about 50 mm")),
    "dth_infiltrate": _model(0.0, 100.0, "dimensionless",
                             "infiltrate at the challenge site relative to its resting value"),
    "blood_lymphocytes": PlausibleRange(0.1, 10.0, "1/nL", Assumption(
        "adult blood lymphocytes 1.0-4.8 per nL; stress and lymphopenia move them within "
        "0.1-10 per nL")),
    "skin_leukocytes_relative": _model(0.0, 100.0, "dimensionless",
                                       "skin leukocyte pool relative to a calm person"),
    "wound_il1b_skin": _model(0.0, 100.0, "dimensionless", "index, 1 = fresh wound"),
    "wound_il1b_mucosal": _model(0.0, 100.0, "dimensionless", "index, 1 = fresh wound"),
    "wound_il1b_blister": _model(0.0, 100.0, "dimensionless", "index, 1 = fresh wound"),
    # --- appetite --------------------------------------------------------------------------
    "leptin": PlausibleRange(0.0, 200.0, "ng/mL", Assumption(
        "lean adults 2-20 ng/mL, obesity up to about 100 ng/mL", refs=("considine1996",))),
    "body_weight": PlausibleRange(30.0, 300.0, "kg", Assumption("adult body weight")),
    "food_intake": _model(0.0, 5.0, "dimensionless", "relative to the person's normal intake"),
}


def to_markdown() -> str:
    """The ranges as a Markdown table (docs/scenarios.md shows it; a test keeps them equal)."""
    lines = ["| observable | plausible range | source |", "|---|---|---|"]
    for name, r in PLAUSIBLE.items():
        unit = "" if r.unit in ("dimensionless", "1") else f" {r.unit}"
        lines.append(f"| `{name}` | {r.lower:g} to {r.upper:g}{unit} | "
                     f"{r.source.describe().replace('|', '/')} |")
    return "\n".join(lines) + "\n"
