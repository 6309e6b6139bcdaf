"""Scenarios and protocols: who is simulated, what happens to them and when.

Read a scenario with :meth:`Scenario.from_yaml`, compile it for a model with
:func:`compile_schedule`. See docs/scenarios.md for the file format.

* :mod:`nicsim.protocols.spec` - the spec language: strict models and their errors, field types,
  the event base class (its registry) and the timing helpers events share;
* :mod:`nicsim.protocols.timeexpr` - clock times, days, durations;
* :mod:`nicsim.protocols.traits` - the trait table: the person's traits, their ranges and the
  parameters they set;
* :mod:`nicsim.protocols.events` - the events, one file per domain;
* :mod:`nicsim.protocols.scenario` and :mod:`nicsim.protocols.schedule` - the scenario file and
  its compilation into input segments and state jumps.
"""

from nicsim.errors import ScenarioError
from nicsim.protocols.events import (
    ENDOTOXIN_TARGET,
    EVENT_CLASSES,
    EVENT_TYPES,
    INPUT_READERS,
    INTENSITY_CAPS,
    JUMP_PROVIDERS,
    KNOWN_INPUTS,
    KNOWN_JUMP_TARGETS,
    Event,
)
from nicsim.protocols.events.immune import DthChallenge, LpsBolus, LpsInfusion
from nicsim.protocols.events.mind_body import (
    HypnosisRelaxation,
    MindfulnessProgramme,
    SlowBreathing,
)
from nicsim.protocols.events.skin import (
    Emollient,
    IntradermalSubstanceP,
    LipUvExposure,
    NbUvb,
    RetinoidBpo,
    RosaceaTrigger,
    TapeStripping,
    TopicalCorticosteroid,
    strips_to_fraction,
)
from nicsim.protocols.events.sleep import SleepDeprivation, SleepScheduleChange
from nicsim.protocols.events.social import SocialSupport, SupportGroup
from nicsim.protocols.events.stress import AcuteStressor, ChronicStressor, DailyHassles
from nicsim.protocols.events.treatments import (
    CrhAntagonist,
    H1Antihistamine,
    HydrocortisoneBolus,
    HydrocortisoneInfusion,
    IntranasalOxytocin,
    Nk1Antagonist,
    VagusNerveStimulation,
)
from nicsim.protocols.events.wounds import BlisterWound, MucosalWound, PunchBiopsy
from nicsim.protocols.scenario import Scenario, Timeline, load_yaml
from nicsim.protocols.schedule import Schedule, compile_schedule
from nicsim.protocols.spec import DailyWindow, EventBase, ModelInput
from nicsim.protocols.timeexpr import (
    format_time,
    parse_clock,
    parse_duration,
    parse_time_expr,
    resolve_time,
)
from nicsim.protocols.traits import TRAITS, Person, SleepSchedule, Susceptibility, person_overrides

__all__ = [
    "ENDOTOXIN_TARGET", "EVENT_CLASSES", "EVENT_TYPES", "INPUT_READERS", "INTENSITY_CAPS",
    "JUMP_PROVIDERS", "KNOWN_INPUTS", "KNOWN_JUMP_TARGETS", "TRAITS",
    "AcuteStressor", "BlisterWound", "ChronicStressor", "CrhAntagonist", "DailyHassles",
    "DailyWindow", "DthChallenge", "Emollient", "Event", "EventBase", "H1Antihistamine",
    "HydrocortisoneBolus", "HydrocortisoneInfusion",
    "HypnosisRelaxation", "IntradermalSubstanceP", "IntranasalOxytocin",
    "LipUvExposure", "LpsBolus", "LpsInfusion", "MindfulnessProgramme", "ModelInput",
    "MucosalWound", "NbUvb",
    "Nk1Antagonist", "Person", "PunchBiopsy", "RetinoidBpo", "RosaceaTrigger", "Scenario",
    "ScenarioError", "Schedule", "SleepDeprivation", "SleepSchedule", "SleepScheduleChange",
    "SlowBreathing", "SocialSupport", "SupportGroup", "Susceptibility", "TapeStripping",
    "Timeline", "TopicalCorticosteroid", "VagusNerveStimulation", "compile_schedule",
    "format_time", "load_yaml", "parse_clock", "parse_duration", "parse_time_expr",
    "person_overrides", "resolve_time", "strips_to_fraction",
]
