"""The mechanisms M1-M17 of shared/science/system.md: how each enters, shows and is tested.

Each :class:`Mechanism` names the protocol event types that act on it, the observables that show
it and the pytest node ids that check its direction of effect. Which modules implement a
mechanism is not listed here: modules declare it (``Module(..., mechanisms=(...))``) and
:func:`declaring_modules` reads that. tests/model/test_mechanisms.py checks every entry against
the model, the protocol vocabulary and the test files; ``scripts/make_docs.py`` renders the
table as docs/mechanisms.md.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Modules on the brain side and on the skin side of the network (M1).
BRAIN_MODULES = ("psyche", "hpa", "ans")
SKIN_MODULES = ("neuro", "barrier", "acne", "rosacea", "collagen", "eczema", "psoriasis",
                "vitiligo", "wound")
#: The skin -> brain feedback module (M7): its outgoing edges close the stress-skin loop.
FEEDBACK_MODULE = "distress"

_DIRECTIONS = "tests/model/test_directions.py::"
_SKIN_A = "tests/model/test_skin_a.py::"
_SKIN_B = "tests/model/test_skin_b.py::"
_SYSTEMIC_A = "tests/model/test_systemic_a.py::"
_SYSTEMIC_B = "tests/model/test_systemic_b.py::"
_SKIN_IMMUNITY = "tests/model/test_skin_immunity.py::"
_MECHANISMS = "tests/model/test_mechanisms.py::"
_GUT_SKIN = "tests/model/test_gut_skin.py::"


@dataclass(frozen=True)
class Mechanism:
    """One mechanism of system.md and where the model shows it."""

    id: str
    title: str
    events: tuple[str, ...] = ()
    observables: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    implemented: bool = True
    note: str = ""

    @property
    def status(self) -> str:
        return "implemented" if self.implemented else f"not implemented ({self.note})"


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism(
        "M1", "Skin, nerves and immune cells are one network in two-way dialogue with the brain",
        events=("acute_stressor", "chronic_stressor", "daily_hassles"),
        observables=("perceived_stress", "histamine_dermal", "pasi", "dlqi"),
        tests=(_MECHANISMS + "test_m1_network_links_brain_and_skin_both_ways",
               _MECHANISMS + "test_m1_stress_reaches_the_skin_and_skin_distress_the_brain"),
        note="the network diagram is in docs/model.md"),
    Mechanism(
        "M2", "Stress activates the HPA axis (cortisol, catecholamines); acute and chronic "
        "stress differ",
        events=("acute_stressor", "chronic_stressor", "daily_hassles", "sleep_schedule",
                "sleep_deprivation", "hydrocortisone_infusion"),
        observables=("cortisol_serum", "cortisol_free", "cortisol_saliva", "acth", "epinephrine",
                     "heart_rate", "perceived_stress"),
        tests=(_DIRECTIONS + "test_acute_stress_raises_cortisol_acth_heart_rate_and_il6",
               _DIRECTIONS + "test_chronic_stress_raises_pss_flattens_rhythm_and_induces_gc_"
                             "resistance",
               _DIRECTIONS + "test_sleep_deprivation_raises_next_evening_cortisol",
               _DIRECTIONS + "test_person_traits_act_in_the_expected_direction")),
    Mechanism(
        "M3", "Cortisol in skin: more oil, weaker barrier, slower healing, more inflammation; "
        "conditions worsen; premature ageing",
        events=("chronic_stressor", "hydrocortisone_infusion", "tape_stripping", "punch_biopsy",
                "topical_corticosteroid", "rosacea_trigger"),
        observables=("sebum", "tewl", "barrier_integrity", "wound_area_skin", "collagen_index",
                     "collagen_synthesis", "acne_lesions", "rosacea_erythema", "easi", "pasi"),
        tests=(_SKIN_A + "test_barrier_recovery_is_slowed_by_stress_and_sleep_loss_and_sped_by_"
                         "emollient",
               _SKIN_A + "test_stress_raises_acne_lesions_with_sebum_nearly_unchanged_and_"
                         "retinoid_lowers_them",
               _SKIN_A + "test_rosacea_triggers_and_stress_worsen_erythema",
               _SKIN_A + "test_chronic_cortisol_and_topical_steroid_lower_collagen_synthesis_"
                         "and_content",
               _SKIN_B + "test_stress_worsens_psoriasis_and_eczema_only_in_susceptible_persons",
               _SYSTEMIC_A + "test_chronic_stress_slows_skin_wound_closure")),
    Mechanism(
        "M4", "Substance P activates mast cells: redness, itch, irritation",
        events=("intradermal_substance_p", "acute_stressor", "nk1_antagonist",
                "h1_antihistamine", "crh_antagonist"),
        observables=("histamine_dermal", "erythema", "wheal", "itch", "mast_cell_activation",
                     "mast_cell_degranulated_fraction"),
        tests=(_SKIN_A + "test_substance_p_dose_raises_histamine_flare_wheal_and_itch",
               _SKIN_A + "test_h1_antihistamine_cuts_flare_and_itch_but_not_histamine_release",
               _SKIN_A + "test_nk1_antagonist_blocks_substance_p_induced_histamine_release",
               _SKIN_A + "test_acute_stress_raises_dermal_histamine_and_crh_antagonist_damps_"
                         "it",
               _SKIN_A + "test_substance_p_injection_degranulation_is_removed_by_nk1_not_crh_"
                         "antagonist",
               _SKIN_A + "test_each_antagonist_removes_only_its_own_routes_share",
               _SKIN_A + "test_both_routes_share_the_acute_stress_response")),
    Mechanism(
        "M5", "Serotonin and dopamine affect mood and skin",
        events=("chronic_stressor", "lps_bolus"),
        observables=("mood", "perceived_stress", "eczema_itch"),
        tests=(_SKIN_B + "test_chronic_stress_lowers_mood_and_mood_recovers",
               _MECHANISMS + "test_m5_low_mood_adds_a_little_to_felt_stress_and_eczema_itch"),
        note="mood is a monoaminergic-tone proxy; its links to skin are weak by design"),
    Mechanism(
        "M6", "Chronic stress dysregulates immunity; inflammation falls when stress is addressed",
        events=("chronic_stressor", "lps_bolus", "lps_infusion", "hydrocortisone_infusion",
                "mindfulness_programme", "dth_challenge", "acute_stressor"),
        observables=("il6", "tnf", "il10", "il1b", "pasi", "easi", "immune_competence",
                     "dth_induration", "dth_infiltrate", "blood_lymphocytes",
                     "skin_leukocytes_relative"),
        tests=(_DIRECTIONS + "test_chronic_stress_raises_pss_flattens_rhythm_and_induces_gc_"
                             "resistance",
               _DIRECTIONS + "test_vagus_stimulation_and_hydrocortisone_lower_the_tnf_peak",
               _SKIN_B + "test_stress_worsens_psoriasis_and_eczema_only_in_susceptible_persons",
               _SKIN_B + "test_vicious_cycle_eight_week_plan_releases_the_sensitive_person",
               _SKIN_IMMUNITY + "test_acute_stress_before_challenge_enhances_and_chronic_stress_"
                                "suppresses_dth",
               _SKIN_IMMUNITY + "test_blood_lymphocytes_follow_cortisol_and_acute_stress_sends_"
                                "leukocytes_to_skin"),
        note="acute and chronic stress act in opposite directions on skin DTH (dth module)"),
    Mechanism(
        "M7", "Visible skin disease hurts self-image and mood, which sustains the stress and "
        "the condition",
        events=("chronic_stressor", "mindfulness_programme", "nb_uvb"),
        observables=("dlqi", "perceived_stress", "pasi"),
        tests=(_SKIN_B + "test_visible_severity_raises_dlqi_and_perceived_stress",
               _SKIN_B + "test_vicious_cycle_flare_persists_for_the_sensitive_person",
               _SKIN_B + "test_vicious_cycle_less_sensitive_person_returns_to_baseline",
               _SKIN_B + "test_vicious_cycle_eight_week_plan_releases_the_sensitive_person")),
    Mechanism(
        "M8", "A regulated nervous system is needed for repair (regeneration, barrier, collagen)",
        events=("chronic_stressor", "sleep_deprivation", "tape_stripping", "punch_biopsy",
                "blister_wound", "hydrocortisone_infusion"),
        observables=("tewl", "barrier_integrity", "wound_area_skin", "collagen_synthesis"),
        tests=(_SKIN_A + "test_barrier_recovery_is_slowed_by_stress_and_sleep_loss_and_sped_by_"
                         "emollient",
               _SYSTEMIC_A + "test_chronic_stress_slows_skin_wound_closure",
               _SKIN_A + "test_chronic_cortisol_and_topical_steroid_lower_collagen_synthesis_"
                         "and_content")),
    Mechanism(
        "M9", "Regulation practices alongside traditional skincare",
        events=("mindfulness_programme", "slow_breathing", "hypnosis_relaxation", "emollient",
                "topical_corticosteroid", "retinoid_bpo", "nb_uvb"),
        observables=("mindfulness", "rmssd", "cortisol_saliva", "nk_activity", "tewl", "easi",
                     "pasi", "acne_lesions"),
        tests=(_DIRECTIONS + "test_mindfulness_programme_damps_the_stress_response",
               _DIRECTIONS + "test_slow_breathing_practice_raises_resting_rmssd",
               _SYSTEMIC_B + "test_chronic_stress_lowers_nk_and_relaxation_raises_it",
               _SKIN_A + "test_barrier_recovery_is_slowed_by_stress_and_sleep_loss_and_sped_by_"
                         "emollient",
               _SKIN_A + "test_stress_raises_acne_lesions_with_sebum_nearly_unchanged_and_"
                         "retinoid_lowers_them",
               _SKIN_B + "test_topical_corticosteroid_and_emollient_lower_easi",
               _SKIN_B + "test_nb_uvb_lowers_pasi",
               _SKIN_B + "test_vicious_cycle_eight_week_plan_releases_the_sensitive_person")),
    Mechanism(
        "M10", "Gut-skin connection: stress -> gut permeability -> endotoxin -> cytokines",
        events=("acute_stressor", "chronic_stressor"),
        observables=("lactulose_mannitol_ratio", "gut_endotoxin_load", "il6", "tnf"),
        tests=(_GUT_SKIN + "test_tsst_raises_permeability_like_public_speech_and_adds_some_il6",
               _GUT_SKIN + "test_stress_raises_and_diet_and_probiotics_lower_the_endotoxin_"
                           "factor")),
    Mechanism(
        "M11", "The vagus nerve damps over-eager immune responses",
        events=("vagus_nerve_stimulation", "slow_breathing", "lps_bolus"),
        observables=("tnf", "il6", "rmssd"),
        tests=(_DIRECTIONS + "test_vagus_stimulation_and_hydrocortisone_lower_the_tnf_peak",)),
    Mechanism(
        "M12", "Immune signals to the brain raise body temperature: fever",
        events=("lps_bolus", "lps_infusion"),
        observables=("temperature",),
        tests=(_DIRECTIONS + "test_lps_causes_fever_tachycardia_cytokines_and_hpa_activation",)),
    Mechanism(
        "M13", "Stress makes the brain signal the immune system, affecting acne, psoriasis, "
        "vitiligo",
        events=("chronic_stressor",),
        observables=("acne_lesions", "pasi", "vitiligo_bsa"),
        tests=(_SKIN_A + "test_stress_raises_acne_lesions_with_sebum_nearly_unchanged_and_"
                         "retinoid_lowers_them",
               _SKIN_B + "test_stress_worsens_psoriasis_and_eczema_only_in_susceptible_persons",
               _SKIN_B + "test_chronic_stress_spreads_vitiligo_in_susceptible_persons")),
    Mechanism(
        "M14", "Hypnosis and relaxation raise NK activity, lower stress hormones and herpes "
        "activity",
        events=("hypnosis_relaxation", "chronic_stressor", "acute_stressor",
                "hydrocortisone_infusion"),
        observables=("nk_activity", "hsv_reactivation_hazard", "herpes_recurrences",
                     "hsv_antibody_titre"),
        tests=(_SYSTEMIC_B + "test_chronic_stress_lowers_nk_and_relaxation_raises_it",
               _SYSTEMIC_B + "test_cortisol_lowers_nk_capacity",
               _SYSTEMIC_B + "test_acute_stress_mobilises_nk_without_lowering_capacity",
               _SYSTEMIC_B + "test_lower_nk_means_more_recurrences_only_when_seropositive",
               _SYSTEMIC_B + "test_relaxation_lowers_the_recurrence_hazard")),
    Mechanism(
        "M15", "Wounds heal better with social support; oxytocin helps repair",
        events=("social_support", "intranasal_oxytocin", "punch_biopsy", "blister_wound",
                "mucosal_wound"),
        observables=("oxytocin", "wound_area_skin", "wound_area_mucosal", "wound_area_blister",
                     "cortisol_saliva"),
        tests=(_SYSTEMIC_A + "test_more_oxytocin_speeds_closure_and_intranasal_oxytocin_raises_"
                             "plasma_levels",
               _SYSTEMIC_A + "test_support_and_oxytocin_buffer_the_cortisol_response")),
    Mechanism(
        "M16", "Inflammatory mediators act on the hypothalamus: TNF -> leptin -> appetite and "
        "weight loss",
        events=("lps_bolus", "lps_infusion"),
        observables=("leptin", "food_intake", "body_weight"),
        tests=(_SYSTEMIC_B + "test_lps_raises_leptin_and_lowers_food_intake",
               _SYSTEMIC_B + "test_weight_falls_with_sustained_low_intake_and_recovers_"
                             "appetite")),
    Mechanism(
        "M17", "Chronic illness carries stigma and stress; support groups protect immunity",
        events=("chronic_stressor", "support_group"),
        observables=("immune_competence", "il6_ageing_factor"),
        tests=(_SYSTEMIC_A + "test_support_group_slows_the_decline_of_immune_competence",)),
)

BY_ID: dict[str, Mechanism] = {m.id: m for m in MECHANISMS}


def declaring_modules(mechanism_id: str, network=None) -> tuple[str, ...]:
    """Names of the modules that declare ``mechanism_id``, in network order."""
    if network is None:
        from nicsim.model import build_network

        network = build_network()
    return tuple(name for name, m in network.modules.items() if mechanism_id in m.mechanisms)


def event_entry_points(event_type: str) -> tuple[str, ...]:
    """The model inputs and jump-target states (``module.state``) an event type acts on."""
    from nicsim.protocols import EVENT_TYPES

    cls = EVENT_TYPES[event_type]
    jump = getattr(cls, "jumps_state", None)
    return tuple(cls.drives) + ((jump,) if jump else ())


def entry_modules(event_type: str, network) -> set[str]:
    """Modules an event type acts on directly: readers of its inputs, owners of its targets."""
    points = set(event_entry_points(event_type))
    return {name for name, m in network.modules.items()
            if any(i.exogenous and i.name in points for i in m.inputs.values())
            or any(s.id in points for s in m.states.values())}


def downstream(network, sources, *, open_loop: bool = False) -> set[str]:
    """Modules reachable from ``sources`` along the network's signal edges (sources included).

    ``open_loop`` cuts the skin -> brain feedback (the edges out of :data:`FEEDBACK_MODULE`), so
    that a path does not count only because the vicious cycle closes every loop.
    """
    succ: dict[str, set[str]] = {}
    for a, b, _ in network.edges():
        if not (open_loop and a == FEEDBACK_MODULE):
            succ.setdefault(a, set()).add(b)
    seen, todo = set(sources), list(sources)
    while todo:
        for nxt in succ.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def observable_module(name: str, network) -> str | None:
    """The module that produces observable ``name`` (an output or an observable state)."""
    for o in network.outputs():
        if o.name == name and o.observable:
            return o.module
    for s in network.states():
        if s.name == name and s.observable:
            return s.module
    return None


def path_problems(mechanism: Mechanism, network) -> list[str]:
    """Events that cannot reach the mechanism's modules, observables that it cannot reach.

    Paths through the skin -> brain feedback count only for mechanisms that the feedback module
    itself declares (M1, M7).
    """
    mods = declaring_modules(mechanism.id, network)
    open_loop = FEEDBACK_MODULE not in mods
    problems = []
    for event in mechanism.events:
        if not downstream(network, entry_modules(event, network), open_loop=open_loop) & set(mods):
            problems.append(f"{mechanism.id}: event {event!r} reaches none of {mods}")
    reached = downstream(network, mods, open_loop=open_loop)
    for name in mechanism.observables:
        if observable_module(name, network) not in reached:
            problems.append(f"{mechanism.id}: observable {name!r} is not downstream of {mods}")
    return problems
