"""The mechanisms M1-M17 of shared/science/system.md: how each enters and shows.

Each :class:`Mechanism` names the protocol event types that act on it and the observables that
show it. Which modules implement a mechanism is not listed here: modules declare it
(``Module(..., mechanisms=(...))``) and :func:`declaring_modules` reads that. Which tests check
its direction of effect is not listed here either: those tests carry
``@pytest.mark.mechanism("M3")``. tests/model/test_mechanisms.py checks every entry against the
model, the protocol vocabulary and the marked tests; ``scripts/make_docs.py`` renders the table
as docs/mechanisms.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from nicsim.protocols import EVENT_TYPES

#: Modules on the brain side and on the skin side of the network (M1).
BRAIN_MODULES = ("psyche", "hpa", "ans")
SKIN_MODULES = ("neuro", "barrier", "acne", "rosacea", "collagen", "eczema", "psoriasis",
                "vitiligo", "wound")
#: The skin -> brain feedback module (M7): its outgoing edges close the stress-skin loop.
FEEDBACK_MODULE = "distress"


@dataclass(frozen=True)
class Mechanism:
    """One mechanism of system.md and where the model shows it."""

    id: str
    title: str
    events: tuple[str, ...] = ()
    observables: tuple[str, ...] = ()
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
        note="the network diagram is in docs/model.md"),
    Mechanism(
        "M2", "Stress activates the HPA axis (cortisol, catecholamines); acute and chronic "
        "stress differ",
        events=("acute_stressor", "chronic_stressor", "daily_hassles", "sleep_schedule",
                "sleep_deprivation", "hydrocortisone_infusion", "hydrocortisone_bolus"),
        observables=("cortisol_serum", "cortisol_free", "cortisol_saliva", "acth", "epinephrine",
                     "heart_rate", "perceived_stress")),
    Mechanism(
        "M3", "Cortisol in skin: more oil, weaker barrier, slower healing, more inflammation; "
        "conditions worsen; premature ageing",
        events=("chronic_stressor", "hydrocortisone_infusion", "tape_stripping", "punch_biopsy",
                "topical_corticosteroid", "rosacea_trigger"),
        observables=("sebum", "tewl", "barrier_integrity", "wound_area_skin", "collagen_index",
                     "collagen_synthesis", "acne_lesions", "rosacea_erythema", "easi", "pasi")),
    Mechanism(
        "M4", "Substance P activates mast cells: redness, itch, irritation",
        events=("intradermal_substance_p", "acute_stressor", "nk1_antagonist",
                "h1_antihistamine", "crh_antagonist"),
        observables=("histamine_dermal", "erythema", "wheal", "itch", "mast_cell_activation",
                     "mast_cell_degranulated_fraction")),
    Mechanism(
        "M5", "Serotonin and dopamine affect mood and skin",
        events=("chronic_stressor", "lps_bolus"),
        observables=("mood", "perceived_stress", "eczema_itch"),
        note="mood is a monoaminergic-tone proxy; its links to skin are weak by design"),
    Mechanism(
        "M6", "Chronic stress dysregulates immunity; inflammation falls when stress is addressed",
        events=("chronic_stressor", "lps_bolus", "lps_infusion", "hydrocortisone_infusion",
                "hydrocortisone_bolus", "mindfulness_programme", "dth_challenge",
                "acute_stressor"),
        observables=("il6", "tnf", "il10", "il1b", "pasi", "easi", "immune_competence",
                     "dth_induration", "dth_infiltrate", "blood_lymphocytes",
                     "skin_leukocytes_relative"),
        note="acute and chronic stress act in opposite directions on skin DTH (dth module)"),
    Mechanism(
        "M7", "Visible skin disease hurts self-image and mood, which sustains the stress and "
        "the condition",
        events=("chronic_stressor", "mindfulness_programme", "nb_uvb"),
        observables=("dlqi", "perceived_stress", "pasi")),
    Mechanism(
        "M8", "A regulated nervous system is needed for repair (regeneration, barrier, collagen)",
        events=("chronic_stressor", "sleep_deprivation", "tape_stripping", "punch_biopsy",
                "blister_wound", "hydrocortisone_infusion"),
        observables=("tewl", "barrier_integrity", "wound_area_skin", "collagen_synthesis")),
    Mechanism(
        "M9", "Regulation practices alongside traditional skincare",
        events=("mindfulness_programme", "slow_breathing", "hypnosis_relaxation", "emollient",
                "topical_corticosteroid", "retinoid_bpo", "nb_uvb"),
        observables=("mindfulness", "rmssd", "cortisol_saliva", "nk_activity", "tewl", "easi",
                     "pasi", "acne_lesions")),
    Mechanism(
        "M10", "Gut-skin connection: stress -> gut permeability -> endotoxin -> cytokines",
        events=("acute_stressor", "chronic_stressor", "probiotic_course"),
        observables=("lactulose_mannitol_ratio", "gut_endotoxin_load", "il6", "tnf")),
    Mechanism(
        "M11", "The vagus nerve damps over-eager immune responses",
        events=("vagus_nerve_stimulation", "slow_breathing", "lps_bolus"),
        observables=("tnf", "il6", "rmssd")),
    Mechanism(
        "M12", "Immune signals to the brain raise body temperature: fever",
        events=("lps_bolus", "lps_infusion"),
        observables=("temperature",)),
    Mechanism(
        "M13", "Stress makes the brain signal the immune system, affecting acne, psoriasis, "
        "vitiligo",
        events=("chronic_stressor",),
        observables=("acne_lesions", "pasi", "vitiligo_bsa")),
    Mechanism(
        "M14", "Hypnosis and relaxation raise NK activity, lower stress hormones and herpes "
        "activity",
        events=("hypnosis_relaxation", "chronic_stressor", "acute_stressor",
                "hydrocortisone_infusion"),
        observables=("nk_activity", "hsv_reactivation_hazard", "herpes_recurrences",
                     "hsv_antibody_titre")),
    Mechanism(
        "M15", "Wounds heal better with social support; oxytocin helps repair",
        events=("social_support", "intranasal_oxytocin", "punch_biopsy", "blister_wound",
                "mucosal_wound"),
        observables=("oxytocin", "wound_area_skin", "wound_area_mucosal", "wound_area_blister",
                     "cortisol_saliva")),
    Mechanism(
        "M16", "Inflammatory mediators act on the hypothalamus: TNF -> leptin -> appetite and "
        "weight loss",
        events=("lps_bolus", "lps_infusion"),
        observables=("leptin", "food_intake", "body_weight")),
    Mechanism(
        "M17", "Chronic illness carries stigma and stress; support groups protect immunity",
        events=("chronic_stressor", "support_group"),
        observables=("immune_competence", "il6_ageing_factor")),
)

BY_ID: dict[str, Mechanism] = {m.id: m for m in MECHANISMS}


def declaring_modules(mechanism_id: str, network=None) -> tuple[str, ...]:
    """Names of the modules that declare ``mechanism_id``, in network order."""
    if network is None:
        # lazy: nicsim.model imports this module while it discovers its modules (a cycle)
        from nicsim.model import build_network

        network = build_network()
    return tuple(name for name, m in network.modules.items() if mechanism_id in m.mechanisms)


def event_entry_points(event_type: str) -> tuple[str, ...]:
    """The model inputs and jump-target states (``module.state``) an event type acts on."""

    cls = EVENT_TYPES[event_type]
    return cls.input_names() + cls.jump_targets


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
