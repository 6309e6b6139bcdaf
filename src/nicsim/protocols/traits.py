"""The trait table: every between-person trait of a scenario's person, declared once.

Each entry of :data:`TRAITS` gives a trait's YAML key, allowed values, unit, default, meaning,
the model parameter it sets and how (the kind of entry says how), and so how a virtual
population may give it. Three things are generated from or read off this table:

* the scenario's :class:`Person` (pydantic; field order, defaults and validation messages come
  from the table) and its nested :class:`Susceptibility`;
* :func:`person_overrides`, the only place where a person becomes parameter values;
* the population language and sampling of :mod:`nicsim.analysis.population` (which traits can
  be given as a distribution or a probability, their ranges, the dataset variables).

Kinds of trait and how they set their parameter (in the parameter's declared unit):

* :class:`NumberTrait` - a number in ``[lo, hi]``; the parameter takes its value. In a
  population: a number or a distribution (normal, log-normal, uniform, beta) truncated to the
  range.
* :class:`ChoiceTrait` - one of two choices; the parameter is 1 for the second choice, 0 for the
  first. In a population: a choice or ``{<second choice>: probability}``.
* :class:`FlagTrait` - true or false; the parameter is 1 or 0. In a population: true, false or
  ``{probability: p}``.
* :class:`SleepTrait` - the habitual sleep schedule; the parameter is the wake clock time in
  hours. The same for everyone in a population.
* :class:`TraitGroup` - a mapping of number traits (``susceptibility: {eczema: 1}``), each
  named ``group.member`` elsewhere (``susceptibility.eczema``).

Adding a trait is one entry here (the parameter it sets must exist in the model; a trait whose
parameter is not in the model, a module not installed, is skipped when a run is prepared).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, create_model, model_validator

from nicsim.protocols.spec import Clock, StrictModel, check_sleep_window, number_type
from nicsim.protocols.timeexpr import HOURS_PER_DAY, parse_clock


# ============================================================================ kinds of trait
@dataclass(frozen=True)
class NumberTrait:
    """A number in ``[lo, hi]`` copied into ``parameter``."""

    name: str
    lo: float
    hi: float
    default: float
    parameter: str
    #: what the number means (docs; with the range, the field's description)
    meaning: str
    #: unit of the value ("1": dimensionless); named in range errors and dataset attrs
    unit: str = "1"
    #: what kind of number it is, for the docs' "Unit" column (multiplier, fraction, years)
    kind: str = "multiplier"
    #: how the trait is distributed in people (with its source), or why a population file must
    #: give it; shown in the docs' person table
    population: str = ""

    @property
    def key(self) -> str:
        """The key inside its mapping (the last part of a dotted name)."""
        return self.name.rsplit(".", 1)[-1]

    @property
    def unit_text(self) -> str:
        return "" if self.unit == "1" else self.unit

    def field(self) -> tuple[Any, Any]:
        return (number_type(self.lo, self.hi, unit=self.unit_text),
                Field(default=self.default, description=f"{self.meaning}, {self.lo:g} to "
                      f"{self.hi:g}; default {self.default:g}"))

    def overrides(self, value: Any) -> dict[str, float]:
        return {self.parameter: float(value)}


@dataclass(frozen=True)
class ChoiceTrait:
    """One of two ``choices``; ``parameter`` is 1 for the second choice, 0 for the first."""

    name: str
    choices: tuple[str, str]
    default: str
    parameter: str
    meaning: str = ""

    @property
    def key(self) -> str:
        return self.name

    @property
    def indicator(self) -> str:
        """The choice whose indicator (1 = this choice) the parameter and datasets hold."""
        return self.choices[1]

    def field(self) -> tuple[Any, Any]:
        return (Literal[self.choices],  # type: ignore[valid-type]
                Field(default=self.default, description=" | ".join(self.choices)))

    def overrides(self, value: Any) -> dict[str, float]:
        return {self.parameter: 1.0 if value == self.indicator else 0.0}


@dataclass(frozen=True)
class FlagTrait:
    """True or false; ``parameter`` is 1 or 0."""

    name: str
    default: bool
    parameter: str
    meaning: str
    #: long name of the 0/1 variable in population datasets
    label: str

    @property
    def key(self) -> str:
        return self.name

    def field(self) -> tuple[Any, Any]:
        return (bool, Field(default=self.default, description=f"{self.meaning}; default "
                            f"{str(self.default).lower()}"))

    def overrides(self, value: Any) -> dict[str, float]:
        return {self.parameter: 1.0 if value else 0.0}


class SleepSchedule(StrictModel):
    """Habitual sleep: bedtime and wake as clock times; sleep lasts 3 to 14 h.

    A bedtime from 12:00 to 23:59 is on the evening the night begins; from 00:00 to 11:59 it is
    after midnight.
    """

    bedtime: Clock = Field(default="23:00", description="clock time 'HH:MM'; default 23:00")
    wake: Clock = Field(default="07:00", description="clock time 'HH:MM'; default 07:00")

    @model_validator(mode="after")
    def _check(self) -> SleepSchedule:
        check_sleep_window(self.bedtime, self.wake, field="wake")
        return self

    @property
    def length_h(self) -> float:
        return (parse_clock(self.wake) - parse_clock(self.bedtime)) % HOURS_PER_DAY


@dataclass(frozen=True)
class SleepTrait:
    """The habitual sleep schedule; ``parameter`` is the wake clock time (hours after midnight).
    The scenario places the nights from it (input ``asleep``)."""

    name: str
    parameter: str

    @property
    def key(self) -> str:
        return self.name

    def field(self) -> tuple[Any, Any]:
        return (SleepSchedule, Field(default_factory=SleepSchedule,
                                     description="habitual {bedtime, wake}"))

    def overrides(self, value: SleepSchedule) -> dict[str, float]:
        return {self.parameter: parse_clock(value.wake)}


@dataclass(frozen=True)
class TraitGroup:
    """A mapping of number traits (``members``, named ``<group>.<key>``)."""

    name: str
    members: tuple[NumberTrait, ...]
    #: class name and docstring of the generated nested model
    model_name: str
    doc: str
    meaning: str

    @property
    def key(self) -> str:
        return self.name

    def overrides(self, value: Any) -> dict[str, float]:
        out: dict[str, float] = {}
        for m in self.members:
            out.update(m.overrides(getattr(value, m.key)))
        return out


Trait = NumberTrait | ChoiceTrait | FlagTrait | SleepTrait | TraitGroup

# ============================================================================ the table
#: Every trait of the person, in the order of the Person's keys.
TRAITS: tuple[Trait, ...] = (
    ChoiceTrait("sex", ("female", "male"), "female", "hpa.male"),
    NumberTrait("age", 18.0, 100.0, 30.0, "ans.age", "age", unit="years", kind="years"),
    NumberTrait("stress_reactivity", 0.2, 5.0, 1.0, "psyche.f_stress_reactivity",
                "scales stress responses (nominal 1)"),
    NumberTrait("gr_sensitivity", 0.2, 5.0, 1.0, "hpa.f_gr_sensitivity",
                "glucocorticoid-receptor sensitivity"),
    SleepTrait("sleep", "clock.habitual_wake"),
    TraitGroup("susceptibility", tuple(
        NumberTrait(f"susceptibility.{c}", 0.0, 5.0, 0.0, f"{c}.f_susceptibility",
                    f"proneness to {what}", kind="dimensionless")
        for c, what in (("acne", "acne"), ("eczema", "atopic dermatitis"),
                        ("psoriasis", "psoriasis"), ("rosacea", "rosacea"),
                        ("vitiligo", "vitiligo"))),
        model_name="Susceptibility",
        doc="Proneness to each skin condition: dimensionless 0 to 5; 0 = not prone (default),\n"
            "1 = a typical patient, larger = more severe or more reactive disease.",
        meaning="proneness to each condition: 0 = not prone, 1 = typical patient, more = more "
                "severe/reactive; default all 0"),
    NumberTrait("distress_sensitivity", 0.0, 5.0, 1.0, "distress.f_distress_sensitivity",
                "how strongly visible skin disease turns into felt distress (nominal 1)"),
    NumberTrait("lesion_visibility", 0.0, 1.0, 0.5, "distress.visibility",
                "how visible lesions are to others (0 hidden, 1 face and hands)",
                kind="fraction"),
    NumberTrait("social_support", 0.0, 1.0, 0.5, "social.support_0",
                "habitual perceived social support (0 none, 1 strong)", kind="fraction"),
    NumberTrait("diet_quality", -1.0, 1.0, 0.0, "gut_skin.diet_quality",
                "usual diet: -1 Western-style high-fat, 0 the mixed diet of the model's cohorts, "
                "+1 prudent (the two arms of Pendyala et al. 2012); moves the gut endotoxin "
                "supply", kind="score",
                population="not sourced as a score: give a distribution in the population file "
                "(e.g. normal mean 0, sd 0.5); the two diets of Pendyala et al. 2012 are -1 and "
                "+1"),
    FlagTrait("hsv1_seropositive", False, "herpes.seropositive",
              "latent herpes simplex virus 1 infection (cold sores can recur)",
              label="latent HSV-1 (1 = seropositive)"),
)


@dataclass(frozen=True)
class TraitTable:
    """A table of traits and what is generated from it: the person model (:attr:`person`), its
    nested group models, the flattened traits a population can vary and the parameter overrides
    of a person. The package's table is :data:`TRAIT_TABLE`; population sampling reads the table
    its population model was generated from, so a copy of the table with one more trait drives
    all three (tests/protocols/test_trait_table.py)."""

    traits: tuple[Trait, ...]

    @cached_property
    def scalar(self) -> tuple[NumberTrait | ChoiceTrait | FlagTrait, ...]:
        """The traits a population can vary, groups flattened (``susceptibility.eczema``), in
        table order; the sleep schedule is not among them."""
        out: list[NumberTrait | ChoiceTrait | FlagTrait] = []
        for t in self.traits:
            if isinstance(t, TraitGroup):
                out.extend(t.members)
            elif not isinstance(t, SleepTrait):
                out.append(t)
        return tuple(out)

    @cached_property
    def by_name(self) -> dict[str, NumberTrait | ChoiceTrait | FlagTrait]:
        """Trait name (dotted inside groups) -> trait, for every trait a population can vary."""
        return {t.name: t for t in self.scalar}

    @cached_property
    def group_models(self) -> dict[str, type[StrictModel]]:
        """Group name -> the generated nested model (``Susceptibility``)."""
        return {g.name: create_model(g.model_name, __base__=StrictModel, __doc__=g.doc,
                                     __module__=__name__, **{m.key: m.field() for m in g.members})
                for g in self.traits if isinstance(g, TraitGroup)}

    @cached_property
    def person(self) -> type[StrictModel]:
        """The person model: one field per trait, in table order."""
        fields = {t.key: (t.field() if not isinstance(t, TraitGroup) else
                          _group_field(t, self.group_models[t.name])) for t in self.traits}
        return create_model(
            "Person", __base__=StrictModel, __module__=__name__,
            __doc__="Traits of the simulated person (generated from the trait table "
                    ":data:`nicsim.protocols.traits.TRAITS`). Every field has a default so that "
                    "files stay valid when later versions add traits; unknown keys are errors.",
            **fields)

    def person_from(self, values: Mapping[str, Any], sleep: Any = None) -> Any:
        """A person from trait values by (dotted) name; traits not given keep their default."""
        data: dict[str, Any] = {} if sleep is None else {
            t.key: sleep for t in self.traits if isinstance(t, SleepTrait)}
        for name, v in values.items():
            group, _, key = name.rpartition(".")
            (data.setdefault(group, {}) if group else data)[key] = v
        return self.person.model_validate(data)

    def with_trait(self, person: Any, name: str, value: Any) -> Any:
        """A copy of ``person`` with trait ``name`` (dotted inside groups) set to ``value``."""
        data = person.model_dump(mode="json")
        group, _, key = name.rpartition(".")
        (data[group] if group else data)[key] = value
        return self.person.model_validate(data)

    def person_overrides(self, person: Any, start_clock_h: float) -> dict[str, float]:
        """Parameter overrides (declared units) for a person of this table, and the clock phase
        of the scenario start (``clock.start_clock``)."""
        out = {"clock.start_clock": float(start_clock_h)}
        for t in self.traits:
            out.update(t.overrides(getattr(person, t.key)))
        return out


def _group_field(group: TraitGroup, model: type[StrictModel]) -> tuple[Any, Any]:
    keys = ", ".join(m.key for m in group.members)
    lo, hi = group.members[0].lo, group.members[0].hi
    return (model, Field(default_factory=model, description=f"{{{keys}}}, each {lo:g} to "
                         f"{hi:g}; {group.meaning}"))


#: The package's trait table and what is generated from it.
TRAIT_TABLE = TraitTable(TRAITS)
#: Trait name (dotted inside groups) -> trait, for every trait a population can vary.
BY_NAME = TRAIT_TABLE.by_name
Susceptibility = TRAIT_TABLE.group_models["susceptibility"]
#: Traits of the simulated person, generated from :data:`TRAITS`.
Person = TRAIT_TABLE.person


def person_value(person: Any, name: str) -> Any:
    """The value of trait ``name`` ('age', 'susceptibility.eczema') of a person."""
    obj = person
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def person_overrides(person: Any, start_clock_h: float) -> dict[str, float]:
    """Parameter overrides (declared units) for a :class:`Person`, read off the trait table,
    and the clock phase of the scenario start (``clock.start_clock``)."""
    return TRAIT_TABLE.person_overrides(person, start_clock_h)


def traits_markdown() -> str:
    """The docs' person table (docs/scenarios.md), generated from :data:`TRAITS`."""
    rows = ["| Key | Unit | Allowed | Default | Sets | Meaning |", "|---|---|---|---|---|---|"]
    for t in TRAITS:
        if isinstance(t, NumberTrait):
            pop = f"; in a population: {t.population}" if t.population else ""
            rows.append(f"| `{t.key}` | {t.kind} | {t.lo:g} to {t.hi:g} | {t.default:g} | "
                        f"`{t.parameter}` | {t.meaning}{pop} |")
        elif isinstance(t, ChoiceTrait):
            rows.append(f"| `{t.key}` | | {', '.join(f'`{c}`' for c in t.choices)} | "
                        f"`{t.default}` | `{t.parameter}` (1 = {t.indicator}) | {t.meaning} |")
        elif isinstance(t, FlagTrait):
            rows.append(f"| `{t.key}` | bool | `true`, `false` | `{str(t.default).lower()}` | "
                        f"`{t.parameter}` (1 = true) | {t.meaning} |")
        elif isinstance(t, SleepTrait):
            rows.append(f"| `{t.key}` | mapping | `{{bedtime, wake}}` clock times, sleep 3 to "
                        f"14 h, bedtime != wake | `{{bedtime: \"23:00\", wake: \"07:00\"}}` | "
                        f"`{t.parameter}` (wake) | habitual sleep |")
        else:
            m = t.members[0]
            params = m.parameter.replace(m.key, "<condition>", 1)
            rows.append(f"| `{t.key}` | mapping of {m.kind} numbers | `{{"
                        f"{', '.join(x.key for x in t.members)}}}`, each {m.lo:g} to {m.hi:g} "
                        f"| all {m.default:g} | `{params}` | {t.meaning.split('; ')[0]} |")
    return "\n".join(rows) + "\n"


__all__ = ["BY_NAME", "TRAITS", "TRAIT_TABLE", "ChoiceTrait", "FlagTrait", "NumberTrait",
           "Person", "SleepSchedule", "SleepTrait", "Susceptibility", "Trait", "TraitGroup",
           "TraitTable", "person_overrides", "person_value", "traits_markdown"]
