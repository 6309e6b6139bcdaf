"""Scenarios and protocols: who is simulated, what happens to them and when.

Read a scenario with :meth:`Scenario.from_yaml`, compile it for a model with
:func:`compile_schedule`. See docs/scenarios.md for the file format.
"""

from nicsim.errors import ScenarioError
from nicsim.protocols.events import (
    ENDOTOXIN_TARGET,
    EVENT_CLASSES,
    EVENT_TYPES,
    AcuteStressor,
    ChronicStressor,
    DailyWindow,
    Event,
    HydrocortisoneInfusion,
    LpsBolus,
    LpsInfusion,
    MindfulnessProgramme,
    SleepDeprivation,
    SleepScheduleChange,
    SlowBreathing,
    VagusNerveStimulation,
)
from nicsim.protocols.events_skin import (
    KNOWN_JUMP_TARGETS,
    SKIN_EVENT_CLASSES,
    BlisterWound,
    CrhAntagonist,
    DailyHassles,
    DthChallenge,
    Emollient,
    H1Antihistamine,
    HypnosisRelaxation,
    IntradermalSubstanceP,
    IntranasalOxytocin,
    MucosalWound,
    NbUvb,
    Nk1Antagonist,
    PunchBiopsy,
    RetinoidBpo,
    RosaceaTrigger,
    SocialSupport,
    SupportGroup,
    TapeStripping,
    TopicalCorticosteroid,
    strips_to_fraction,
)
from nicsim.protocols.scenario import (
    Person,
    Scenario,
    SleepSchedule,
    Susceptibility,
    Timeline,
    load_yaml,
)
from nicsim.protocols.schedule import KNOWN_INPUTS, Schedule, compile_schedule
from nicsim.protocols.timeexpr import (
    format_time,
    parse_clock,
    parse_duration,
    parse_time_expr,
    resolve_time,
)

__all__ = [
    "ENDOTOXIN_TARGET", "EVENT_CLASSES", "EVENT_TYPES", "KNOWN_INPUTS", "KNOWN_JUMP_TARGETS",
    "SKIN_EVENT_CLASSES", "BlisterWound", "CrhAntagonist", "DailyHassles", "DthChallenge",
    "Emollient",
    "H1Antihistamine", "HypnosisRelaxation", "IntradermalSubstanceP", "IntranasalOxytocin",
    "MucosalWound", "NbUvb", "Nk1Antagonist", "PunchBiopsy", "RetinoidBpo", "RosaceaTrigger",
    "SocialSupport", "SupportGroup", "Susceptibility", "TapeStripping", "TopicalCorticosteroid",
    "strips_to_fraction",
    "AcuteStressor", "ChronicStressor", "DailyWindow", "Event", "HydrocortisoneInfusion",
    "LpsBolus", "LpsInfusion", "MindfulnessProgramme", "Person", "Scenario", "ScenarioError",
    "Schedule", "SleepDeprivation", "SleepSchedule", "SleepScheduleChange", "SlowBreathing",
    "Timeline", "VagusNerveStimulation", "compile_schedule", "format_time", "load_yaml",
    "parse_clock", "parse_duration", "parse_time_expr", "resolve_time",
]
