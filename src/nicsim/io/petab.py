"""PEtab (v1) export: the validation rows as a parameter-estimation problem.

``write_petab_problem(out_dir)`` writes one SBML model (from :func:`nicsim.io.sbml.to_sbml`),
the condition, measurement, observable and parameter tables, a problem YAML and a README, so that
pyPESTO, AMICI or any other PEtab tool can calibrate nicsim against the published bands.

Design
------
*One model, conditions as switches.* PEtab v1 allows one model per problem, so the SBML is
exported from one *base scenario* that holds every challenge the included rows need (the TSST of
V04/V06/V07 at 14:00, the LPS bolus of V08-V10/V25 at 09:00, the vagus nerve stimulation of V25
from 08:30). Each challenge gets a switch parameter (``switch_tsst``, ``switch_lps``,
``switch_vns``); the events the challenge drives have their assignments rewritten so that the
switch scales the challenge's effect (an input set to ``v`` becomes ``switch * v``, a bolus
``x + d`` becomes ``x + switch * d``). A challenge's events are taken from its study's own
scenario (``Study.scenarios()``: the TSST of V04, the LPS bolus of V08, the stimulation of V25 as
its ``vns`` scenario minus its ``lps`` one). The condition table sets the switches per condition
(0 off, 1 as published), so the condition ``tsst`` reproduces V04's scenario and
``endotoxemia`` V08's. The
timing of the challenges is fixed in the model: every included protocol starts at 06:00 with the
same person, so the rows differ only in which challenges are switched on. Rows whose protocol
cannot be written this way (V01, V03: another start clock; V02: secretion switched off
mid-run; V05: a virtual cohort) are not exported.

*Burn-in inside the model.* nicsim entrains the circadian system by simulating
``burn_in_days`` (6) habitual days before t = 0. The export moves those days into the SBML
(``to_sbml(..., burn_in_days=0)`` of a scenario that is ``burn_in_days`` longer, the challenges
shifted by as many days), so the state at the study day follows the estimated parameters instead
of being frozen at the nominal burn-in. PEtab times are therefore hours since 06:00 on the first
burn-in day; the study day starts at ``t = 24 * burn_in_days``.

*Summary targets, not data.* The bands are those of the study targets table
(``nicsim/experiments/targets.tsv``, :mod:`nicsim.experiments.targets`), the same the validation
report checks; :data:`TARGETS` only says where each check is placed (observable, condition, time,
reference). A measurement is the centre of a published band at the time the
band refers to (a peak at the midpoint of the published peak-time band), with a noise standard
deviation equal to the band's half-width, both on the scale of the observable's noise model
(arithmetic for ``lin``, geometric for ``log``). Relative bands ("2-4 x baseline", "+1.3 to
+2.3 degC over the same person's day without LPS") become two measurements that share an
estimated baseline parameter ``ref_*``: the reference (fold 1, or difference 0, with a tenth of
the target's noise) and the target. One-sided bounds ("below 10 % of the peak by 6 h") are not
Gaussian targets and are left out (listed in the README).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nicsim._default import default_model
from nicsim._optional import require
from nicsim._version import __version__
from nicsim.analysis.readouts import value_at
from nicsim.core.sources import Fitted
from nicsim.core.units import canonical_unit, to_canonical
from nicsim.errors import NicsimError
from nicsim.experiments import study
from nicsim.experiments._protocols import scenario
from nicsim.experiments.targets import target
from nicsim.io.output import atomic_path, write_text
from nicsim.io.sbml import to_sbml
from nicsim.protocols import format_time, parse_time_expr
from nicsim.protocols.scenario import NIGHT_INPUTS
from nicsim.solve.problem import model_parameters
from nicsim.solve.run import display_factor
from nicsim.solve.simulate import simulate


class PetabExportError(NicsimError, ValueError):
    """The problem cannot be written (a row that is not exportable, an unknown parameter id, or
    an SBML model that does not follow the exporter's conventions)."""


#: PEtab format version written.
PETAB_FORMAT_VERSION = 1
#: Noise of a reference measurement (fold 1 / difference 0) relative to its targets' noise.
REFERENCE_NOISE_FRACTION = 0.1
#: Bounds of parameters without declared bounds: value / BOUND_FACTOR to value * BOUND_FACTOR.
BOUND_FACTOR = 10.0

FILES = {"model": "model.xml", "conditions": "conditions.tsv",
         "measurements": "measurements.tsv", "observables": "observables.tsv",
         "parameters": "parameters.tsv", "yaml": "problem.yaml", "readme": "README.md"}

# study-day clock times (hours since the scenario start, 06:00) of the challenges
_LPS_H = 3.0     # 09:00
_TSST_H = 8.0    # 14:00


# =============================================================================== specification
@dataclass(frozen=True)
class Challenge:
    """One switchable part of the base scenario's protocol: the events of scenario
    ``scenario`` of study ``row`` (``Study.scenarios()``), less those of its scenario
    ``without`` (the study's own reference arm)."""

    id: str
    title: str
    row: str
    scenario: str
    without: str | None = None

    def events(self) -> list[dict]:
        """The protocol events (study-day times), from the study's own scenario."""

        scenarios = study(self.row).scenarios()
        events = [_event_dict(e) for e in scenarios[self.scenario].protocol]
        if self.without is not None:
            reference = [_event_dict(e) for e in scenarios[self.without].protocol]
            events = [e for e in events if e not in reference]
        if not events:
            raise PetabExportError(f"challenge {self.id!r}: scenario {self.scenario!r} of "
                                   f"{self.row} has no events of its own")
        return events


CHALLENGES: dict[str, Challenge] = {c.id: c for c in (
    Challenge("tsst", "TSST, 20 min, intensity 1, at 14:00", "V04", "tsst"),
    Challenge("lps", "E. coli LPS 2 ng/kg i.v. bolus at 09:00", "V08", "lps"),
    Challenge("vns", "vagus nerve stimulation, intensity 1, 08:30-12:00", "V25", "vns", "lps"),
)}

#: condition id -> (challenges switched on, description)
CONDITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "control": ((), "habitual day without a challenge (the control day of V09)"),
    "tsst": (("tsst",), "TSST at 14:00 (V04, V06, V07)"),
    "endotoxemia": (("lps",), "LPS 2 ng/kg at 09:00 (V08, V09, V10; reference of V25)"),
    "endotoxemia_vns": (("lps", "vns"), "LPS 2 ng/kg at 09:00 with vagus nerve stimulation "
                        "08:30-12:00 (V25)"),
}


@dataclass(frozen=True)
class Target:
    """One published band written as a PEtab measurement.

    ``at``: study-day hours, or ``(row, time metric, onset)``: the onset plus the midpoint of the
    band of that row's time check. ``kind``: ``absolute`` (the observable itself), ``fold``
    (observable / its value at ``reference``) or ``difference`` (observable minus its value at
    ``reference``). ``reference``: ``(condition, study-day hours)``; hours ``None`` = the
    target's own time. ``band``: how the check's band becomes a band on the observable:
    ``value`` (as is), ``percent_rise`` (1 + x/100), ``percent_drop`` (1 - x/100) or
    ``symmetric`` (a band [0, h] on an absolute difference is [-h, h] on the difference).
    """

    row: str
    metric: str
    observable: str
    condition: str
    at: float | tuple[str, str, float]
    kind: str = "absolute"
    reference: tuple[str, float | None] | None = None
    band: str = "value"
    note: str = ""


TARGETS: tuple[Target, ...] = (
    Target("V04", "peak / baseline", "cortisol_saliva", "tsst",
           ("V04", "time of peak after onset", _TSST_H), "fold", ("tsst", _TSST_H)),
    Target("V06", "IL-6 rise at 2 h", "il6", "tsst", _TSST_H + 2.0, "fold", ("tsst", _TSST_H),
           band="percent_rise"),
    Target("V07", "mean rise during the stressor", "heart_rate", "tsst", _TSST_H + 10 / 60,
           "difference", ("tsst", _TSST_H),
           note="the mean over the 20-min stressor, placed at its midpoint"),
    Target("V07", "difference 30 min after the end", "heart_rate", "tsst", _TSST_H + 50 / 60,
           "difference", ("tsst", _TSST_H), band="symmetric"),
    Target("V08", "tnf peak", "tnf", "endotoxemia", ("V08", "tnf time of peak", _LPS_H)),
    Target("V08", "il6 peak", "il6", "endotoxemia", ("V08", "il6 time of peak", _LPS_H)),
    Target("V08", "il10 peak", "il10", "endotoxemia", ("V08", "il10 time of peak", _LPS_H)),
    Target("V09", "temperature rise", "temperature", "endotoxemia",
           ("V09", "time of fever peak", _LPS_H), "difference", ("control", None)),
    Target("V09", "temperature at 12 h minus control", "temperature", "endotoxemia",
           _LPS_H + 12.0, "difference", ("control", None)),
    Target("V09", "heart rate rise", "heart_rate", "endotoxemia",
           ("V09", "time of heart-rate peak", _LPS_H), "difference", ("control", None)),
    Target("V10", "cortisol peak / baseline", "cortisol_serum", "endotoxemia",
           ("V10", "time of cortisol peak", _LPS_H), "fold", ("endotoxemia", _LPS_H)),
    Target("V10", "ACTH peak / baseline", "acth", "endotoxemia",
           ("V10", "time of cortisol peak", _LPS_H), "fold", ("endotoxemia", _LPS_H),
           note="no published ACTH peak time: placed at the cortisol peak-time band's midpoint; "
                "the band (at least 5 x; published 3.2 -> 133 pmol/L) is wide on the log scale"),
    Target("V25", "peak TNF reduction", "tnf", "endotoxemia_vns",
           ("V08", "tnf time of peak", _LPS_H), "fold", ("endotoxemia", None),
           band="percent_drop", note="TNF with VNS over TNF without, at the TNF peak time of V08"),
)

#: bands that are bounds rather than point targets, left out: row -> [(metric, why)]
OMITTED: dict[str, list[tuple[str, str]]] = {
    "V04": [("level at 90 min / baseline", "an upper bound (below 1.25 x baseline)")],
    "V06": [("time of largest IL-6 rise", "a peak time; the IL-6 target is placed at the "
             "published 2 h"),
            ("TNF peak rise (small)", "no time for the TNF peak is published")],
    "V08": [("tnf at 6 h / peak", "an upper bound (below 10 % of the peak)"),
            ("il6 at 6 h / peak", "an upper bound (below 10 % of the peak)")],
}
#: rows not exported, with the reason
NOT_EXPORTED: dict[str, str] = {
    "V01": "2-day rhythm read out on day 2 from 07:00: another start clock and duration",
    "V02": "secretion switched off at 09:00 by changing parameters mid-run",
    "V03": "scenario starts at 01:00 and reads the awakening of day 2",
    "V05": "a virtual cohort (between-person distributions), not one trajectory",
}


def supported_rows() -> list[str]:
    return list(dict.fromkeys(t.row for t in TARGETS))


# =============================================================================== small helpers
def _event_dict(ev) -> dict:
    return ev.model_dump(mode="json", by_alias=True, exclude_none=True)


def _check_hours(t) -> float:
    """Midpoint of the band of a time check (a :class:`StudyTarget`), in hours."""
    factor = {"h": 1.0, "hour": 1.0, "min": 1 / 60, "": 1.0}.get(t.unit)
    if factor is None:
        raise PetabExportError(f"time check {t.metric!r} of {t.row} has unit {t.unit!r}; "
                               "expected h or min")
    return 0.5 * (t.low + t.high) * factor


def _is_concentration(unit: str) -> bool:
    u = unit.replace(" ", "")
    return any(u.endswith(s) for s in ("/L", "/mL", "/dL", "/l", "/ml"))


def _centre_sigma(lo: float, hi: float, transform: str) -> tuple[float, float]:
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise PetabExportError(f"band [{lo}, {hi}] is not a finite range")
    if transform == "lin":
        return 0.5 * (lo + hi), 0.5 * (hi - lo)
    if lo <= 0:
        raise PetabExportError(f"band [{lo}, {hi}] must be positive on a log scale")
    return math.sqrt(lo * hi), 0.5 * math.log(hi / lo)


def _band(target: Target, lo: float, hi: float) -> tuple[float, float]:
    if target.band == "value":
        return lo, hi
    if target.band == "percent_rise":
        return 1 + lo / 100, 1 + hi / 100
    if target.band == "percent_drop":
        return 1 - hi / 100, 1 - lo / 100
    if target.band == "symmetric":
        return -hi, hi
    raise PetabExportError(f"unknown band mapping {target.band!r}")


def _fmt(x: float) -> str:
    return repr(float(x))


def _write_tsv(path: Path, header: Sequence[str], rows: Iterable[dict]) -> None:
    with atomic_path(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(header), delimiter="\t", lineterminator="\n",
                           extrasaction="raise")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r[k]) for k in header})


# =============================================================================== scenarios
def _study_scenario(challenges: Sequence[str], duration_h: float = 24.0):
    """A study-day scenario (06:00 start, the studies' person) with the given challenges."""

    events = [e for c in challenges for e in CHALLENGES[c].events()]
    return scenario("petab", f"{duration_h:g} h", events, start="06:00", interval="2 min")


def _shift(ev: dict, shift_h: float, start_clock_h: float) -> dict:
    """The event with its start/at moved ``shift_h`` hours later."""

    out = dict(ev)
    for key in ("start", "at"):
        if isinstance(out.get(key), str):
            t = parse_time_expr(out[key]).hours(start_clock_h) + shift_h
            text = format_time(t, start_clock_h)
            if abs(parse_time_expr(text).hours(start_clock_h) - t) > 1e-9:
                text = f"+{t:.12g} h"
            out[key] = text
    return out


def base_scenario(challenges: Sequence[str], *, burn_in_days: int = 6):
    """The scenario the SBML is exported from: ``burn_in_days`` habitual days, then the study
    day (06:00 to 06:00) with every challenge in ``challenges``.

    Returns ``(scenario, index)``, ``index[c]`` = protocol indices of challenge ``c``.
    """

    ref = _study_scenario(())
    shift = 24.0 * burn_in_days
    events, index = [], {}
    for c in challenges:
        own = CHALLENGES[c].events()
        # the study scenario of this challenge must share start clock and person with the base
        sc = _study_scenario((c,))
        if sc.start != ref.start or sc.person != ref.person:
            raise PetabExportError(f"challenge {c!r}: its scenario differs from the base in "
                                   "start clock or person; it cannot be a switch of one model")
        index[c] = list(range(len(events), len(events) + len(own)))
        events += [_shift(e, shift, ref.start_clock_h) for e in own]
    base = scenario("petab-base", f"{shift + 24.0:g} h", events, start=ref.start,
                    interval="10 min", person=ref.person.model_dump(mode="json"))
    # the shifted events must act exactly burn_in_days later than in the study day
    tl_base, tl_study = base.timeline(), _study_scenario(challenges).timeline()
    for name, p in tl_study.pulses.items():
        if name in NIGHT_INPUTS:  # the nights, not shifted events
            continue
        q = tl_base.pulses[name]
        if not (np.allclose(np.sort(q.on), np.sort(p.on) + shift, atol=1e-9)
                and np.allclose(np.sort(q.off), np.sort(p.off) + shift, atol=1e-9)):
            raise PetabExportError(f"shifting the protocol moved input {name!r} wrongly")
    for name, j in tl_study.jumps.items():
        if not np.allclose(np.sort(tl_base.jumps[name].t), np.sort(j.t) + shift, atol=1e-9):
            raise PetabExportError(f"shifting the protocol moved the jumps on {name!r} wrongly")
    return base, index


# =============================================================================== SBML handling
@dataclass
class _SbmlMap:
    """nicsim ids -> SBML ids in the exported model."""

    parameters: dict[str, str] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)


def _sbml_map(sbml_model, model) -> _SbmlMap:
    by_name, by_id = {}, set()
    for coll in (sbml_model.getListOfParameters(), sbml_model.getListOfSpecies(),
                 sbml_model.getListOfCompartments()):
        for el in coll:
            by_id.add(el.getId())
            if el.isSetName():
                by_name.setdefault(el.getName(), el.getId())

    def find(nid: str) -> str | None:
        if nid in by_name:
            return by_name[nid]
        for cand in (nid.replace(".", "_"), nid.replace(".", "__"), nid):
            if cand in by_id:
                return cand
        return None

    out = _SbmlMap()
    missing = []
    for elements, ids in ((model.parameters, out.parameters), (model.states, out.states)):
        for e in elements:
            sid = find(e.id)
            if sid is None:
                missing.append(e.id)
            else:
                ids[e.id] = sid
    if missing:
        raise PetabExportError(f"the SBML model has no element for {', '.join(missing[:5])}"
                               f"{' ...' if len(missing) > 5 else ''} (looked for the nicsim id as "
                               "name, and for it with '.' replaced by '_' or '__' as id)")
    return out


def _input_sbml_id(sbml_model, name: str) -> str:
    """SBML id of protocol input ``name``: the event-assignment target named after it."""
    targets = {ea.getVariable() for ev in sbml_model.getListOfEvents()
               for ea in ev.getListOfEventAssignments()}
    hits = []
    for sid in targets:
        el = sbml_model.getElementBySId(sid)
        label = el.getName() if el is not None and el.isSetName() else ""
        if (sid in (name, f"exo_{name}", f"exo__{name}", f"input_{name}", f"u_{name}")
                or label in (name, f"exo.{name}", f"input {name}")):
            hits.append(sid)
    if len(hits) != 1:
        raise PetabExportError(f"cannot identify the SBML variable of protocol input {name!r} "
                               f"among the event-assignment targets {sorted(targets)} "
                               f"(found {hits})")
    return hits[0]


def _switch_events(sbml_model, switches: dict[str, set[str]]) -> dict[str, int]:
    """Scale every event assignment to the variables of each switch by that switch.

    ``x = f`` becomes ``x = s * f`` where ``f`` does not contain ``x`` (an input set to a level),
    a bolus ``x = x + d`` becomes ``x = x + s * d`` and any other ``f`` containing ``x`` becomes
    ``x + s * (f - x)``.
    Returns the number of assignments rewritten per switch.
    """

    libsbml = require("libsbml", "PEtab export")

    def name_node(n):
        a = libsbml.ASTNode(libsbml.AST_NAME)
        a.setName(n)
        return a

    def binop(op, left, right):
        a = libsbml.ASTNode(op)
        a.addChild(left)
        a.addChild(right)
        return a

    def mentions(node, var) -> bool:
        if node.getType() == libsbml.AST_NAME and node.getName() == var:
            return True
        return any(mentions(node.getChild(i), var) for i in range(node.getNumChildren()))

    counts = dict.fromkeys(switches, 0)
    owner = {}
    for sw, variables in switches.items():
        for v in variables:
            if v in owner:
                raise PetabExportError(f"{v} is driven by two challenges ({owner[v]}, {sw})")
            owner[v] = sw
    for ev in sbml_model.getListOfEvents():
        for ea in ev.getListOfEventAssignments():
            var = ea.getVariable()
            sw = owner.get(var)
            if sw is None:
                continue
            f = ea.getMath().deepCopy()
            others = [f.getChild(i) for i in range(f.getNumChildren())
                      if not (f.getChild(i).getType() == libsbml.AST_NAME
                              and f.getChild(i).getName() == var)]
            if (f.getType() == libsbml.AST_PLUS and f.getNumChildren() == 2 and len(others) == 1
                    and not mentions(others[0], var)):
                # a bolus x + d: x + s * d
                new = binop(libsbml.AST_PLUS, name_node(var),
                            binop(libsbml.AST_TIMES, name_node(sw), others[0].deepCopy()))
            elif mentions(f, var):
                new = binop(libsbml.AST_PLUS, name_node(var),
                            binop(libsbml.AST_TIMES, name_node(sw),
                                  binop(libsbml.AST_MINUS, f, name_node(var))))
            else:
                new = binop(libsbml.AST_TIMES, name_node(sw), f)
            if ea.setMath(new) != libsbml.LIBSBML_OPERATION_SUCCESS:
                raise PetabExportError(f"cannot rewrite the event assignment to {var}")
            counts[sw] += 1
    return counts


def _build_model(challenges: Sequence[str], burn_in_days: int, model):
    """The switched SBML document and the id map."""

    libsbml = require("libsbml", "PEtab export")

    base, index = base_scenario(challenges, burn_in_days=burn_in_days)
    text = to_sbml(base, model=model, burn_in_days=0)
    doc = libsbml.readSBMLFromString(text)
    if doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) + doc.getNumErrors(libsbml.LIBSBML_SEV_FATAL):
        raise PetabExportError("to_sbml returned SBML that libsbml cannot read: "
                               + doc.getErrorLog().toString()[:500])
    m = doc.getModel()
    ids = _sbml_map(m, model)
    drivers = base.timeline().drivers
    switches: dict[str, set[str]] = {}
    for c in challenges:
        variables = set()
        for key, events in drivers.items():
            if not set(events) & set(index[c]):
                continue
            if key == "asleep":
                raise PetabExportError(f"challenge {c!r} changes sleep; it cannot be switched")
            variables.add(ids.states[key] if key in ids.states else _input_sbml_id(m, key))
        sw = f"switch_{c}"
        if m.getElementBySId(sw) is not None:
            raise PetabExportError(f"the SBML model already has an element {sw!r}")
        p = m.createParameter()
        p.setId(sw)
        p.setName(f"switch of challenge '{c}' (0 off, 1 as published)")
        p.setValue(1.0)
        p.setConstant(True)
        p.setUnits("dimensionless")
        switches[sw] = variables
    counts = _switch_events(m, switches)
    for sw, n in counts.items():
        if n == 0:
            raise PetabExportError(f"{sw}: the SBML model has no event assignment for "
                                   f"{sorted(switches[sw])}; the exporter must write protocol "
                                   "inputs as events for the challenges to be switchable")
    return doc, ids, base


def _observable_symbol(sbml_model, model, ids: _SbmlMap, name: str) -> tuple[str, float, str]:
    """(SBML symbol, factor from that symbol's unit to the declared unit, declared unit).

    The exporter writes every observable as an assignment rule named like the observable, in its
    declared (display) unit; an observable state without one is read from the state itself
    (canonical unit, converted here).
    """

    unit = next((o.unit for o in model.outputs if o.name == name), None)
    state = next((s for s in model.states if s.name == name and s.observable), None)
    if unit is None and state is None:
        raise KeyError(f"{name!r} is not an observable of the model")
    unit = unit if unit is not None else state.unit
    if sbml_model.getElementBySId(name) is not None:
        return name, 1.0, unit
    if state is not None:
        return ids.states[state.id], display_factor(state.unit), unit
    raise PetabExportError(f"the SBML model has no element for observable {name!r}")


# =============================================================================== main entry
def write_petab_problem(out_dir, *, rows: Sequence[str] | None = None,
                        estimate: Iterable[str] | None = None, burn_in_days: int = 6,
                        model=None) -> Path:
    """Write a PEtab v1 problem for validation ``rows`` (default: every row listed in
    :data:`TARGETS`) to ``out_dir``; returns the path of the problem YAML.

    ``estimate``: nicsim parameter ids to estimate (default: those with a ``Fitted`` source);
    every other model parameter is listed as fixed at its nominal value. Values and bounds are in
    the SBML's (canonical) units: time in hours. ``burn_in_days``: habitual days simulated inside
    the model before the study day (nicsim's ``simulate`` uses 6; only then do the two agree).
    """

    libsbml = require("libsbml", "PEtab export")

    model = model or default_model()
    rows = list(dict.fromkeys(rows or supported_rows()))
    unknown = [r for r in rows if r not in supported_rows()]
    if unknown:
        why = "; ".join(f"{r}: {NOT_EXPORTED[r]}" for r in unknown if r in NOT_EXPORTED)
        raise PetabExportError(f"rows {', '.join(unknown)} cannot be exported to PEtab"
                               f"{' (' + why + ')' if why else ''}; exportable rows: "
                               f"{', '.join(supported_rows())}")
    if burn_in_days < 0:
        raise PetabExportError("burn_in_days must be >= 0")
    targets = [t for t in TARGETS if t.row in rows]
    conditions = list(dict.fromkeys(
        c for t in targets for c in (t.condition, *(t.reference[:1] if t.reference else ()))))
    challenges = [c for c in CHALLENGES if any(c in CONDITIONS[k][0] for k in conditions)]
    shift = 24.0 * burn_in_days

    # nominal trajectories of every condition (the bands come from the targets table)
    traj = {k: simulate(_study_scenario(CONDITIONS[k][0]).replace(output_interval="1 min"),
                        model=model) for k in conditions}

    doc, ids, base = _build_model(challenges, burn_in_days, model)
    m = doc.getModel()

    # ----------------------------------------------------------------- observables
    observables: dict[str, dict] = {}

    def observable(kind: str, name: str) -> str:
        sym, factor, unit = _observable_symbol(m, model, ids, name)
        expr = sym if factor == 1.0 else f"{_fmt(factor)} * {sym}"
        oid = {"absolute": "obs_", "fold": "fold_", "difference": "diff_"}[kind] + name
        if oid in observables:
            return oid
        if m.getElementBySId(oid) is not None:
            raise PetabExportError(f"observable id {oid} clashes with an SBML element")
        if kind == "absolute":
            formula = expr
            transform = "log" if _is_concentration(unit) else "lin"
            label = f"{name} ({unit})"
        elif kind == "fold":
            formula = f"({expr}) / observableParameter1_{oid}"
            transform = "log"
            label = f"{name} relative to a reference (fold)"
        else:
            formula = f"({expr}) - observableParameter1_{oid}"
            transform = "lin"
            label = f"{name} minus a reference ({unit})"
        observables[oid] = {"observableId": oid, "observableName": label,
                            "observableFormula": formula,
                            "observableTransformation": transform,
                            "noiseFormula": f"noiseParameter1_{oid}",
                            "noiseDistribution": "normal"}
        return oid

    def traj_value(cond: str, name: str, t: float) -> float:
        return value_at(traj[cond], name, t)

    # ----------------------------------------------------------------- measurements
    measurements: list[dict] = []
    references: dict[str, dict] = {}   # ref parameter id -> info
    readme_rows: list[dict] = []
    for tg in targets:
        band = target(tg.row, tg.metric)
        if isinstance(tg.at, tuple):
            trow, tmetric, onset = tg.at
            t_study = onset + _check_hours(target(trow, tmetric))
        else:
            t_study = float(tg.at)
        oid = observable(tg.kind, tg.observable)
        transform = observables[oid]["observableTransformation"]
        lo, hi = _band(tg, band.low, band.high)
        centre, sigma = _centre_sigma(lo, hi, transform)
        y = traj_value(tg.condition, tg.observable, t_study)
        obs_params = ""
        if tg.kind != "absolute":
            rcond, rt = tg.reference
            rt = t_study if rt is None else rt
            rid = f"ref_{tg.row}_{tg.observable}_{rcond}_{int(round(rt * 60))}"
            yref = traj_value(rcond, tg.observable, rt)
            info = references.setdefault(rid, {
                "id": rid, "oid": oid, "condition": rcond, "t": rt, "row": tg.row,
                "nominal": yref, "sigmas": [], "observable": tg.observable})
            info["sigmas"].append(sigma)
            obs_params = rid
            model_value = y / yref if tg.kind == "fold" else y - yref
        else:
            model_value = y
        measurements.append({
            "observableId": oid, "simulationConditionId": tg.condition,
            "measurement": _fmt(centre), "time": _fmt(shift + t_study),
            "observableParameters": obs_params, "noiseParameters": _fmt(sigma),
            "datasetId": tg.row})
        readme_rows.append({"row": tg.row, "metric": tg.metric, "band": band.band_text(),
                            "observable": oid, "condition": tg.condition,
                            "t_study": t_study, "time": shift + t_study,
                            "measurement": centre, "sigma": sigma, "transform": transform,
                            "model": model_value, "note": tg.note})
    for info in references.values():
        sigma = REFERENCE_NOISE_FRACTION * min(info["sigmas"])
        value = 1.0 if info["oid"].startswith("fold_") else 0.0
        measurements.append({
            "observableId": info["oid"], "simulationConditionId": info["condition"],
            "measurement": _fmt(value), "time": _fmt(shift + info["t"]),
            "observableParameters": info["id"], "noiseParameters": _fmt(sigma),
            "datasetId": info["row"]})
    measurements.sort(key=lambda r: (r["datasetId"], r["simulationConditionId"],
                                     float(r["time"]), r["observableId"]))

    # ----------------------------------------------------------------- parameters
    fitted = [p.id for p in model.parameters if isinstance(p.source, Fitted)]
    est = list(dict.fromkeys(fitted if estimate is None else estimate))
    bad = [e for e in est if e not in model.parameter_ids]
    if bad:
        raise PetabExportError(f"estimate: {', '.join(bad)} are not parameter ids of the model")
    est_set = set(est)
    nominal = model_parameters(model, base)
    rule_targets = {r.getVariable() for r in m.getListOfRules()}
    parameters: list[dict] = []
    for j, p in enumerate(model.parameters):
        sid = ids.parameters[p.id]
        if sid in rule_targets:
            continue
        v = float(nominal[j])
        if p.bounds is not None:
            lo, hi = (to_canonical(float(b), p.unit)[0] for b in p.bounds)
            lo, hi = min(lo, hi, v), max(lo, hi, v)
        elif v > 0:
            lo, hi = v / BOUND_FACTOR, v * BOUND_FACTOR
        elif v < 0:
            lo, hi = v * BOUND_FACTOR, v / BOUND_FACTOR
        else:
            lo, hi = -1.0, 1.0
        estimated = p.id in est_set
        scale = "log10" if estimated and lo > 0 else "lin"
        if estimated and v <= 0:
            raise PetabExportError(f"{p.id} = {v} cannot be estimated on a log scale")
        parameters.append({
            "parameterId": sid, "parameterName": p.id, "parameterScale": scale,
            "lowerBound": _fmt(lo), "upperBound": _fmt(hi), "nominalValue": _fmt(v),
            "estimate": int(estimated), "nicsimUnit": _canonical_unit_text(p.unit),
            "nicsimSource": p.source.kind})
    for info in references.values():
        v = float(info["nominal"])
        if info["oid"].startswith("fold_") and v > 0:
            lo, hi, scale = v / BOUND_FACTOR, v * BOUND_FACTOR, "log10"
        else:  # a baseline for differences: +/- 10 target noise widths
            span = BOUND_FACTOR * max(info["sigmas"])
            lo, hi, scale = v - span, v + span, "lin"
        parameters.append({
            "parameterId": info["id"],
            "parameterName": f"{info['observable']} at the reference ({info['condition']}, "
                             f"{_clock(info['t'])} on the study day) of {info['row']}",
            "parameterScale": scale, "lowerBound": _fmt(lo), "upperBound": _fmt(hi),
            "nominalValue": _fmt(v), "estimate": 1,
            "nicsimUnit": _observable_unit(model, info["observable"]),
            "nicsimSource": "reference"})

    # ----------------------------------------------------------------- conditions
    cond_rows = []
    for k in conditions:
        on, text = CONDITIONS[k]
        row = {"conditionId": k, "conditionName": text}
        for c in challenges:
            row[f"switch_{c}"] = "1" if c in on else "0"
        cond_rows.append(row)

    # ----------------------------------------------------------------- write
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    m.setId(m.getId() or "nicsim")
    if libsbml.writeSBMLToFile(doc, str(out / FILES["model"])) != 1:
        raise OSError(f"cannot write {out / FILES['model']}")
    _write_tsv(out / FILES["conditions"],
               ["conditionId", "conditionName", *[f"switch_{c}" for c in challenges]], cond_rows)
    _write_tsv(out / FILES["measurements"],
               ["observableId", "simulationConditionId", "measurement", "time",
                "observableParameters", "noiseParameters", "datasetId"], measurements)
    _write_tsv(out / FILES["observables"],
               ["observableId", "observableName", "observableFormula",
                "observableTransformation", "noiseFormula", "noiseDistribution"],
               observables.values())
    _write_tsv(out / FILES["parameters"],
               ["parameterId", "parameterName", "parameterScale", "lowerBound", "upperBound",
                "nominalValue", "estimate", "nicsimUnit", "nicsimSource"], parameters)
    write_text(out / FILES["yaml"], _problem_yaml())
    write_text(out / FILES["readme"],
               _readme(rows, conditions, challenges, readme_rows, references, est, burn_in_days))
    return out / FILES["yaml"]


# =============================================================================== text outputs
def _canonical_unit_text(unit: str) -> str:
    return f"{canonical_unit(unit):~P}" or "dimensionless"


def _observable_unit(model, name: str) -> str:
    for o in list(model.outputs) + list(model.states):
        if o.name == name:
            return o.unit
    return ""


def _clock(t_study: float) -> str:
    minutes = int(round((t_study + 6.0) * 60)) % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _problem_yaml() -> str:
    import yaml

    data = {"format_version": PETAB_FORMAT_VERSION, "parameter_file": FILES["parameters"],
            "problems": [{"sbml_files": [FILES["model"]],
                          "condition_files": [FILES["conditions"]],
                          "measurement_files": [FILES["measurements"]],
                          "observable_files": [FILES["observables"]]}]}
    return yaml.safe_dump(data, sort_keys=False)


def _readme(rows, conditions, challenges, readme_rows, references, est, burn_in_days) -> str:
    shift = 24 * burn_in_days
    ref = _study_scenario(())
    person = ref.person
    lines = [
        "# nicsim validation rows as a PEtab problem",
        "",
        f"Written by `nicsim.io.petab.write_petab_problem` (nicsim {__version__}), PEtab format "
        f"version {PETAB_FORMAT_VERSION}. Check it with `petablint {FILES['yaml']}`; "
        "calibrate it with pyPESTO or AMICI.",
        "",
        "## These are summary targets, not data",
        "",
        "**The measurement table holds no raw data.** Each measurement is the centre of a "
        "published band of a nicsim validation row (`nicsim validate`), placed at the time the "
        "band refers to (a peak value at the midpoint of the published peak-time band), with a "
        "noise standard deviation equal to the band's half-width. Centre and half-width are taken "
        "on the scale of the observable's noise model: arithmetic for `lin`, geometric centre and "
        "half the log-width for `log` (natural log). Fitting these targets asks the model to put "
        "each read-out inside its band; it is not a likelihood of patient data.",
        "",
        "Relative bands are written as a pair of measurements that share an estimated baseline "
        "parameter `ref_*` (observable parameter): the reference point (fold 1 or difference 0, "
        f"noise {REFERENCE_NOISE_FRACTION:g} x the target's) and the target (fold or difference "
        "at the band centre). The baseline parameters are nuisance parameters; their nominal "
        "values are nicsim's nominal simulation at the reference point.",
        "",
        "## Model and conditions",
        "",
        f"`{FILES['model']}` is `nicsim.io.sbml.to_sbml` of one base scenario (start "
        f"{ref.start}, {person.sex}, {person.age:g} years, sleep {person.sleep.bedtime}-"
        f"{person.sleep.wake}), so that the problem has one model as PEtab v1 requires. "
        "Every challenge the included rows need is in the base scenario and gets a "
        "switch parameter that scales the events it drives (0 off, 1 as published); the condition "
        "table sets the switches. Challenge times are fixed in the model, which is possible "
        "because every included study starts at 06:00 with the same person and differs only in "
        "which challenges it applies.",
        "",
        f"The {burn_in_days}-day burn-in that nicsim simulates before t = 0 (to entrain the "
        "circadian system) is part of the SBML model: PEtab time t = 0 is 06:00 on the first "
        f"burn-in day and the study day starts at **t = {shift} h** (06:00). So the state on the "
        "study day follows the estimated parameters instead of a burn-in frozen at nominal "
        "values. Times below are 'study h' (hours after 06:00 on the study day) and PEtab time.",
        "",
        "| switch | challenge |",
        "|---|---|",
    ]
    lines += [f"| `switch_{c}` | {CHALLENGES[c].title} |" for c in challenges]
    lines += ["", "| condition | switched on | description |", "|---|---|---|"]
    lines += [f"| `{k}` | {', '.join(CONDITIONS[k][0]) or '-'} | {CONDITIONS[k][1]} |"
              for k in conditions]
    lines += ["", "## Measurements", "",
              "| row | check | published band | observable | condition | study h | PEtab t | "
              "measurement | sigma | scale | nominal model |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in readme_rows:
        note = f" ({r['note']})" if r["note"] else ""
        lines.append(f"| {r['row']} | {r['metric']}{note} | {r['band']} | `{r['observable']}` | "
                     f"{r['condition']} | {r['t_study']:.4g} | {r['time']:.6g} | "
                     f"{r['measurement']:.4g} | {r['sigma']:.3g} | {r['transform']} | "
                     f"{r['model']:.4g} |")
    lines += ["", "Reference points (baseline parameters):", ""]
    for info in references.values():
        lines.append(f"- `{info['id']}`: {info['observable']} in `{info['condition']}` at study "
                     f"h {info['t']:.4g} (PEtab t = {shift + info['t']:.6g}); nominal "
                     f"{info['nominal']:.4g}")
    lines += ["", "Rows included: " + ", ".join(
        f"{r} ({study(r).title})" for r in rows) + ".", ""]
    omitted = [(r, m, why) for r in rows for m, why in OMITTED.get(r, [])]
    if omitted:
        lines += ["Checks of these rows left out (not point targets):", ""]
        lines += [f"- {r} '{m}': {why}" for r, m, why in omitted]
        lines.append("")
    lines += ["Rows not exported: " + "; ".join(f"{r}: {why}" for r, why in
                                                NOT_EXPORTED.items()) + ".", ""]
    lines += [
        "## Parameters",
        "",
        f"`{FILES['parameters']}` lists every model parameter (SBML id; `parameterName` is the "
        "nicsim id) with its nominal value in the SBML's units (time in hours), i.e. the default "
        "parameter set plus the person's traits. Estimated "
        f"({len(est)}): " + ", ".join(f"`{e}`" for e in est) + ". They are on log10 scale with "
        "their declared bounds, or 1/10 to 10 x the nominal value where none are declared. "
        "Everything else is fixed (`estimate` 0); set `estimate` to 1 to free more.",
        "",
        "## Limitations",
        "",
        "- The switches are 0/1 switches of the published protocols; other values scale the "
        "challenge's inputs and boluses but are not validated.",
        "- Person traits (sex, age, habitual wake, start clock) are fixed parameters; the "
        "between-person distributions of nicsim are not part of the problem.",
        "- Measurement noise is a band half-width, not a measured spread; the fitted objective "
        "is a band distance, not a likelihood of data.",
        "",
    ]
    return "\n".join(lines)
