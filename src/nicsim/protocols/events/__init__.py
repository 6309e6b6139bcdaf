"""Protocol events, one file per domain (stress, sleep, immune, treatments, mind-body, social,
skin, wounds, gut).

Every file in this package is imported here, so that its event classes register themselves
(:class:`nicsim.protocols.spec.EventBase`); every list below is derived from that registry.
Adding an event is one class in one domain file; adding a domain is one new file.
"""

from __future__ import annotations

import functools
import importlib
import operator
import pkgutil
from typing import Annotated

from pydantic import Field

from nicsim.protocols.spec import EVENT_TYPES, EventBase

for _info in pkgutil.iter_modules(__path__):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")

from nicsim.protocols.events.immune import ENDOTOXIN_TARGET  # noqa: E402  (after registration)

#: Every event class, in registry order (domain files alphabetically, then definition order).
EVENT_CLASSES: tuple[type[EventBase], ...] = tuple(EVENT_TYPES.values())
#: A protocol event of any registered type (pydantic discriminated union on ``type``).
Event = Annotated[functools.reduce(operator.or_, EVENT_CLASSES), Field(discriminator="type")]

#: Inputs the compiler knows how to fill; other inputs a model lists stay 0.
KNOWN_INPUTS: tuple[str, ...] = tuple(dict.fromkeys(
    i.name for cls in EVENT_CLASSES for i in cls.inputs))
_INPUTS = {i.name: i for cls in EVENT_CLASSES for i in cls.inputs}
#: input -> the model module(s) expected to read it (named in compile errors)
INPUT_READERS: dict[str, str] = {
    name: ("module " if len(i.readers) == 1 else "modules ")
    + ", ".join(f"'{r}'" for r in i.readers) for name, i in _INPUTS.items()}
#: Combination rule for overlapping events that drive the same *intensity* input: intensities
#: add, capped at the largest intensity one event may have (a capped, i.e. saturating, sum;
#: declared by the input's ``ModelInput.cap``). Below the cap stacking is linear (a hassle during
#: a TSST adds its 0.2); above it, more simultaneous stressors cannot make a person more stressed
#: than the strongest single stressor the model is calibrated for (intensity 3: "stronger or
#: combined stressors"), and two breathing sessions at once are one. Amounts (infusion rates)
#: add without a cap; inputs of exclusive events (skin care, social support) cannot overlap.
INTENSITY_CAPS: dict[str, float] = {
    name: i.cap for name, i in _INPUTS.items() if i.cap is not None}
#: Every state a protocol event can jump (the simulator keeps those its model has).
KNOWN_JUMP_TARGETS: tuple[str, ...] = tuple(dict.fromkeys(
    t for cls in EVENT_CLASSES for t in cls.jump_targets))
#: jump target -> the module that provides it (named in compile errors)
JUMP_PROVIDERS: dict[str, str] = {t: f"module '{t.split('.', 1)[0]}'" for t in KNOWN_JUMP_TARGETS}


def event_table_markdown() -> str:
    """The docs' event table (docs/scenarios.md): type, domain, what it drives and how."""
    lines = ["| `type` | Domain | Drives | How |", "|---|---|---|---|"]
    for tag, cls in EVENT_TYPES.items():
        drives = []
        if cls.inputs:
            drives.append(("inputs " if len(cls.inputs) > 1 else "input ")
                          + ", ".join(f"`{i.name}`" for i in cls.inputs))
        if cls.jump_targets:
            drives.append(("states " if len(cls.jump_targets) > 1 else "state ")
                          + ", ".join(f"`{t}`" for t in cls.jump_targets))
        lines.append(f"| [`{tag}`](#{tag}) | {cls.domain().replace('_', '-')} | "
                     f"{'; '.join(drives)} | {cls.effect} |")
    return "\n".join(lines) + "\n"


def inputs_markdown() -> str:
    """The docs' paragraph listing the inputs events fill (with their reader modules) and the
    states events can jump (docs/scenarios.md), generated from the registry."""
    inputs = ", ".join(f"`{name}` ({', '.join(_INPUTS[name].readers)})" for name in KNOWN_INPUTS)
    targets = ", ".join(f"`{t}`" for t in KNOWN_JUMP_TARGETS)
    return (f"Inputs the compiler fills (`nicsim.protocols.KNOWN_INPUTS`), each with the "
            f"module(s) that read it: {inputs}. States events can jump "
            f"(`nicsim.protocols.KNOWN_JUMP_TARGETS`): {targets}.\n")


__all__ = ["ENDOTOXIN_TARGET", "EVENT_CLASSES", "EVENT_TYPES", "INPUT_READERS", "INTENSITY_CAPS",
           "JUMP_PROVIDERS", "KNOWN_INPUTS", "KNOWN_JUMP_TARGETS", "Event",
           "event_table_markdown", "inputs_markdown"]
