"""SBML Level 3 Version 2 export of the compiled model and one scenario.

``to_sbml(scenario)`` writes a self-contained SBML document that reproduces
``nicsim.simulate(scenario)`` in any SBML simulator:

* **Time** is in hours (``timeUnits="hour"``); ``time = 0`` is the scenario start.
* **States** in concentration units (nmol/L, pmol/L, pg/mL) are *species* in the compartment
  ``plasma`` (rate rules act on their concentrations); all other states (dimensionless indices,
  scores, hours of sleep debt, endotoxin as dose per body mass, temperature) are non-constant
  *parameters* with rate rules. Ids are ``module__name`` (``hpa__cortisol``); the ``name``
  attribute keeps nicsim's dotted id.
* **Parameters** are constant parameters with the values nicsim uses for the scenario (parameter
  set, person traits, overrides), in nicsim's *canonical* units: the declared unit with every time
  factor in hours (a half-life declared as 20 min is 0.3333 hour here). The notes of each
  parameter give the declared value and unit, the source (``Parameter.source.describe()``) and the
  full citations from ``references.bib``; a ``nicsim:provenance`` annotation carries the same in
  machine-readable form.
* **Outputs** (observables and the internal signals between modules) are assignment rules whose
  ids are nicsim's output names (``cortisol_serum``, ``tnf``, ``heart_rate``, ...), in the
  declared display unit (RMSSD in ms), so a simulator selects them by the same names as
  ``simulate``. Observable states (``acth``, ``perceived_stress``) get an assignment rule of the
  same kind.
* **Protocol**: every exogenous input is a non-constant parameter ``input_<name>`` (the names of
  ``simulate``'s ``input_*`` variables) set by one event per schedule break; boluses (e.g. LPS)
  are event assignments adding to the state. Events use ``useValuesFromTriggerTime="true"``,
  persistent triggers, ``initialValue="true"`` and a priority decreasing with time; all changes
  at one break are in one event, so simultaneous events cannot occur.
* **Initial state** is nicsim's burn-in state for the scenario (plus boluses at t = 0), so both
  simulators start identically.
* **Units**: every species, parameter and number carries a unit (numbers are
  ``sbml:units="dimensionless"``); libsbml's unit consistency check reports no errors.
  Temperatures: SBML Level 3 has no Celsius unit. Temperature values are in degrees Celsius and
  their unit definition ``degC`` is the kelvin-sized degree (kelvin with multiplier 1, no offset):
  only temperature differences enter the rate laws, so the dimension analysis holds, but the
  numbers must not be read as kelvin.
* ``Mod(a, b)`` (floor modulo, used for clock time) is written ``a - b*floor(a/b)``.
* **libroadrunner** needs a vector absolute tolerance (:func:`configure_roadrunner`): it scales a
  scalar one by each state's value, and states at 1e-71 (IL-17 without psoriasis) then make
  CVODE fail at the first wound event (docs/sbml.md).
* nicsim's generated right-hand side reads non-negative states through a floor of 1e-30; SBML has
  no clamp. The difference only matters if a state undershoots zero, which the cross-check tests
  (libroadrunner vs ``simulate``, 1e-4 relative) confirm does not affect the observables.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import sympy as sp

from nicsim._default import default_model
from nicsim._optional import require
from nicsim._version import __version__
from nicsim.core.bibliography import load_bibliography
from nicsim.core.model import T
from nicsim.core.units import HOUR, Q_, canonical_unit, parse_unit, to_canonical, ureg
from nicsim.errors import ModelError, ScenarioError
from nicsim.io.output import write_text
from nicsim.protocols import Scenario
from nicsim.solve.problem import build_problem, model_parameters, observable_names
from nicsim.solve.run import display_factor, initial_states

__all__ = ["to_sbml", "write_sbml", "check_sbml", "configure_roadrunner", "sympy_to_l3",
           "COMPARTMENTS", "MIRIAM"]

#: namespace of nicsim's own annotations
NICSIM_NS = "https://github.com/nicsim/nicsim/ns/sbml-annotation/1"
XHTML_NS = "http://www.w3.org/1999/xhtml"
IDENTIFIERS = "https://identifiers.org/"

#: modules whose concentration states live in a compartment other than a per-module default
COMPARTMENTS: dict[str, str] = {"hpa": "plasma", "immune": "plasma"}
_COMPARTMENT_DOC = {
    "plasma": ("blood plasma", 3.0, "nominal adult plasma volume; the rate rules act on "
               "concentrations, so the size does not enter the dynamics"),
}

#: MIRIAM annotations (bqbiol qualifier, identifiers.org compact ids) by nicsim state id or
#: output name
MIRIAM: dict[str, tuple[str, tuple[str, ...]]] = {
    "hpa.cortisol": ("is", ("CHEBI:17650",)),
    "cortisol_serum": ("is", ("CHEBI:17650",)),
    "cortisol_free": ("is", ("CHEBI:17650",)),
    "cortisol_saliva": ("is", ("CHEBI:17650",)),
    "hpa.acth": ("is", ("CHEBI:3892",)),  # corticotropin
    "acth": ("is", ("CHEBI:3892",)),
    "hpa.crh": ("is", ("uniprot:P06850",)),
    "immune.tnf_p": ("is", ("uniprot:P01375",)),
    "tnf": ("is", ("uniprot:P01375",)),
    "immune.il6_p": ("is", ("uniprot:P05231",)),
    "il6": ("is", ("uniprot:P05231",)),
    "immune.il10_p": ("is", ("uniprot:P22301",)),
    "il10": ("is", ("uniprot:P22301",)),
    "immune.il1b_p": ("is", ("uniprot:P01584",)),
    "il1b": ("is", ("uniprot:P01584",)),
    "immune.endotoxin": ("is", ("CHEBI:16412",)),
    "epinephrine": ("is", ("CHEBI:28918",)),
    "immune.monocytes_resting": ("is", ("CL:0000576",)),
    "immune.monocytes_active": ("isVersionOf", ("CL:0000576",)),
}
#: SBO terms of species by nicsim state id (default: SBO:0000236 physical entity representation)
SPECIES_SBO: dict[str, int] = {
    "hpa.cortisol": 247,  # simple chemical
    "hpa.acth": 252,  # polypeptide chain
    "immune.tnf_p": 252, "immune.il6_p": 252, "immune.il10_p": 252, "immune.il1b_p": 252,
}

_SBO_PARAMETER = 2  # quantitative systems description parameter
_SBO_KINETIC_CONSTANT = 9
_SBO_HILL = 190  # Hill-type coefficient
_SBO_HALF_LIFE = 332  # half-life of an exponential decay
_SBO_COMPARTMENT = 290  # physical compartment
_SBO_ENTITY = 236  # physical entity representation

_RESERVED_UNIT_IDS = {
    "ampere", "avogadro", "becquerel", "candela", "celsius", "coulomb", "dimensionless", "farad",
    "gram", "gray", "henry", "hertz", "item", "joule", "katal", "kelvin", "kilogram", "litre",
    "lumen", "lux", "metre", "mole", "newton", "ohm", "pascal", "radian", "second", "siemens",
    "sievert", "steradian", "tesla", "volt", "watt", "weber",
}


def _libsbml():
    return require("libsbml", "SBML export")


# ============================================================================ sympy -> L3 infix
def _num(v) -> str:
    """A number with explicit dimensionless units (L3 infix syntax)."""
    if isinstance(v, sp.Integer) or isinstance(v, int):
        s = str(int(v))
    else:
        f = float(v)
        if not math.isfinite(f):
            raise ModelError(f"SBML export: the number {v} is not finite")
        s = repr(f)
    return f"({s} dimensionless)" if s.startswith("-") else f"{s} dimensionless"


class _L3Printer:
    """sympy expression -> libsbml L3 infix formula (every number marked dimensionless).

    Sub-expressions are parenthesised generously; parentheses do not survive into MathML.
    """

    _FUNCS = {sp.exp: "exp", sp.log: "ln", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
              sp.tanh: "tanh", sp.sinh: "sinh", sp.cosh: "cosh", sp.atan: "arctan",
              sp.Abs: "abs", sp.floor: "floor", sp.ceiling: "ceil"}
    _REL = {sp.StrictGreaterThan: ">", sp.StrictLessThan: "<", sp.GreaterThan: ">=",
            sp.LessThan: "<=", sp.Equality: "==", sp.Unequality: "!="}

    def __init__(self, names: Mapping[sp.Symbol, str]):
        self.names = names

    def __call__(self, expr) -> str:
        return self.p(sp.sympify(expr))

    def atom(self, e) -> str:
        s = self.p(e)
        if e.is_Symbol or (e.is_Number and e >= 0) or e in (sp.pi, sp.E) or e.is_Function:
            return s
        return f"({s})"

    def p(self, e) -> str:  # noqa: C901 - a dispatcher
        if e.is_Symbol:
            if e == T:
                return "time"
            try:
                return self.names[e]
            except KeyError:
                raise ModelError(f"SBML export: unknown symbol {e}") from None
        if e is sp.pi:
            return "pi"
        if e is sp.E:
            return "exponentiale"
        if e is sp.true:
            return "true"
        if e is sp.false:
            return "false"
        if e.is_Number:
            return _num(e)
        if isinstance(e, sp.Add):
            out = []
            for i, t in enumerate(e.args):
                c, _ = t.as_coeff_Mul()
                if c.is_Number and c < 0:
                    out.append((" - " if i else "-") + self.atom(-t))
                else:
                    out.append((" + " if i else "") + self.atom(t))
            return "".join(out)
        if isinstance(e, sp.Mul):
            c, factors = e.as_coeff_mul()
            num, den = [], []
            for f in factors:
                if isinstance(f, sp.Pow) and f.exp.is_Number and f.exp < 0:
                    den.append(f.base if f.exp == -1 else sp.Pow(f.base, -f.exp,
                                                                   evaluate=False))
                else:
                    num.append(f)
            sign = ""
            if c == -1:
                sign = "-"
            elif c != 1:
                if isinstance(c, sp.Rational) and not isinstance(c, sp.Integer):
                    if c < 0:
                        sign, c = "-", -c
                    if c.p != 1:
                        num.insert(0, sp.Integer(c.p))
                    den.insert(0, sp.Integer(c.q))
                else:
                    num.insert(0, c)
            ns = " * ".join(self.atom(f) for f in num) if num else _num(1)
            if den:
                ds = " * ".join(self.atom(f) for f in den)
                body = f"({ns}) / ({ds})"
            else:
                body = ns
            return f"{sign}({body})" if sign else body
        if isinstance(e, sp.Pow):
            b, x = e.args
            if x == sp.Rational(1, 2):
                return f"sqrt({self.p(b)})"
            if x.is_Number and x < 0:
                return f"{_num(1)} / ({self.p(sp.Pow(b, -x, evaluate=False))})"
            return f"({self.p(b)})^({self.p(x)})"
        if isinstance(e, sp.Mod):
            a, b = (self.atom(x) for x in e.args)
            # floor modulo (result in [0, b)); MathML rem truncates
            return f"({a} - {b} * floor({a} / {b}))"
        if isinstance(e, (sp.Max, sp.Min)):
            name = "max" if isinstance(e, sp.Max) else "min"
            return f"{name}({', '.join(self.p(a) for a in e.args)})"
        if isinstance(e, sp.Piecewise):
            parts = []
            for val, cond in e.args:
                parts.append(self.p(val))
                if cond is not sp.true:
                    parts.append(self.p(cond))
            return f"piecewise({', '.join(parts)})"
        if type(e) in self._REL:
            return f"({self.p(e.lhs)} {self._REL[type(e)]} {self.p(e.rhs)})"
        if isinstance(e, sp.And):
            return "(" + " && ".join(self.atom(a) for a in e.args) + ")"
        if isinstance(e, sp.Or):
            return "(" + " || ".join(self.atom(a) for a in e.args) + ")"
        if isinstance(e, sp.Not):
            return f"!({self.p(e.args[0])})"
        for func, name in self._FUNCS.items():
            if isinstance(e, func):
                if func is sp.log and len(e.args) != 1:
                    return f"ln({self.p(e.args[0])}) / ln({self.p(e.args[1])})"
                return f"{name}({', '.join(self.p(a) for a in e.args)})"
        raise ModelError(f"SBML export: cannot write {type(e).__name__} ({e}) as MathML")


def sympy_to_l3(expr, names: Mapping[sp.Symbol, str]) -> str:
    """A sympy expression as libsbml L3 infix text (``names``: symbol -> SBML id)."""
    return _L3Printer(names)(expr)


# ============================================================================ units
_KIND_OF_DIM = {"[mass]": ("gram", "gram"), "[length]": ("metre", "meter"),
                "[time]": ("second", "second"), "[substance]": ("mole", "mole"),
                "[current]": ("ampere", "ampere"), "[luminosity]": ("candela", "candela")}
_SYMBOLS = {"l": "L", "ml": "mL", "°C": "degC", "Δ°C": "degC", "a": "year", "d": "day",
            "h": "hour", "min": "min", "µg": "ug", "μg": "ug"}


def _unit_symbol(name: str) -> str:
    if name in ("degree_Celsius", "delta_degree_Celsius"):
        return "degC"
    try:
        sym = ureg.get_symbol(name)
    except Exception:
        sym = name
    sym = _SYMBOLS.get(sym, sym)
    return re.sub(r"\W", "_", sym)


def _pretty(unit) -> str:
    """Readable unit text: 'pg/mL/h', 'degC', 'dimensionless'."""
    if not unit._units:
        return "dimensionless"
    text = f"{unit:~P}"
    text = re.sub(r"(?<![A-Za-z])ml(?![A-Za-z])", "mL", text)
    text = re.sub(r"(?<![A-Za-z])l(?![A-Za-z])", "L", text)
    return text.replace("Δ°C", "degC").replace("°C", "degC")


def _unit_id(unit) -> str:
    num, den = [], []
    for name, power in unit._units.items():
        sym = _unit_symbol(name)
        p = abs(power)
        if p != 1:
            sym += str(int(p)) if float(p).is_integer() else str(p).replace(".", "p")
        s = sym
        (num if power > 0 else den).append(s)
    uid = "_".join(num)
    if den:
        uid += ("_per_" if uid else "per_") + "_per_".join(den)
    if not uid:
        return "dimensionless"
    if uid[0].isdigit():
        uid = "u_" + uid
    if uid in _RESERVED_UNIT_IDS:
        uid = "u_" + uid
    return uid


def _component(name: str):
    """[(SBML kind, exponent, factor)] of one pint unit: value * unit = factor * kind^exponent."""
    if name in ("degree_Celsius", "delta_degree_Celsius", "kelvin", "delta_kelvin"):
        return [("kelvin", 1, 1.0)]  # the kelvin-sized degree; no offset (see module doc)
    u = ureg.Unit(name)
    dims = dict(u.dimensionality)
    if not dims:
        return [("dimensionless", 0, float(Q_(1.0, u).to(ureg.dimensionless).magnitude))]
    if len(dims) == 1:
        dim, d = next(iter(dims.items()))
        if dim == "[length]" and d == 3:
            return [("litre", 1, float(Q_(1.0, u).to(ureg.liter).magnitude))]
        if dim in _KIND_OF_DIM:
            kind, pint_name = _KIND_OF_DIM[dim]
            f = float(Q_(1.0, u).to(ureg.Unit(pint_name) ** d).magnitude)
            return [(kind, d, f)]
        if dim == "[temperature]":
            return [("kelvin", d, float(Q_(1.0, u).to(ureg.kelvin ** d).magnitude))]
    # several dimensions: expand into base units (kilogram counted as 1000 gram)
    q = Q_(1.0, u).to_base_units()
    out = []
    factor = float(q.magnitude)
    for base, p in q.units._units.items():
        kind = {"meter": "metre", "kilogram": "gram", "second": "second", "mole": "mole",
                "kelvin": "kelvin", "ampere": "ampere", "candela": "candela"}.get(base)
        if kind is None:  # a custom dimension (e.g. IU): no SBML kind, counted dimensionless
            continue
        if kind == "gram":
            factor *= 1000.0**p
        out.append((kind, p, 1.0))
    if out:
        k, p, _ = out[0]
        out[0] = (k, p, factor)
    return out or [("dimensionless", 0, factor)]


def _unit_parts(unit):
    """Merged SBML units [(kind, exponent, scale, multiplier)] for a pint unit."""
    exps: dict[str, float] = {}
    factor = 1.0
    for name, power in unit._units.items():
        for kind, e, f in _component(name):
            if e:
                exps[kind] = exps.get(kind, 0) + e * power
            factor *= f**power
    kinds = [(k, e) for k, e in exps.items() if abs(e) > 1e-12]
    if not kinds:
        kinds = [("dimensionless", 1)]
    parts = []
    for i, (k, e) in enumerate(kinds):
        m = factor ** (1.0 / e) if i == 0 else 1.0
        scale, mult = 0, m
        if m > 0:
            lg = math.log10(m)
            if abs(lg - round(lg)) < 1e-9:
                scale, mult = int(round(lg)), 1.0
        parts.append((k, float(e), scale, float(f"{mult:.15g}")))
    return parts


class _Units:
    """Unit definitions of one document, created on demand from pint units."""

    def __init__(self, model, libsbml):
        self.model, self.L = model, libsbml
        self.ids: dict[str, tuple] = {}

    def __call__(self, unit) -> str:
        """The id of the unit definition of ``unit`` (a pint unit or unit text)."""
        if isinstance(unit, str):
            unit = parse_unit(unit)
        parts = _unit_parts(unit)
        if parts == [("dimensionless", 1.0, 0, 1.0)] and not unit._units:
            return "dimensionless"
        base = _unit_id(unit)
        if base == "dimensionless":
            base = "u_dimensionless_factor"
        uid, n = base, 1
        while uid in self.ids and self.ids[uid] != parts:
            n += 1
            uid = f"{base}_{n}"
        if uid not in self.ids:
            self._define(uid, parts, _pretty(unit), unit)
        return uid

    def _define(self, uid, parts, name, unit):
        L = self.L
        ud = self.model.createUnitDefinition()
        _ok(ud.setId(uid), f"unit {uid}")
        ud.setName(name)
        for kind, e, scale, mult in parts:
            u = ud.createUnit()
            u.setKind(L.UnitKind_forName(kind))
            u.setExponent(e)
            u.setScale(scale)
            u.setMultiplier(mult)
        if "degree_Celsius" in str(unit) or "degC" in uid:
            ud.setNotes(_xhtml([
                "Temperatures are given in degrees Celsius. SBML Level 3 has no Celsius unit; "
                "this unit is the kelvin-sized degree (kelvin, multiplier 1, no offset). Only "
                "temperature differences enter the rate laws, so the dimension analysis holds, "
                "but values must not be read as kelvin."]))
        self.ids[uid] = parts


def _substance_unit(unit):
    """The substance (or mass) unit of a concentration unit: unit x litre, with a plain
    prefix where one fits (pg/mL x L = ng)."""
    sub = unit * ureg.liter
    dims = dict(sub.dimensionality)
    base = "gram" if dims == {"[mass]": 1} else "mole" if dims == {"[substance]": 1} else None
    if base is None:
        return sub
    for prefix in ("", "milli", "micro", "nano", "pico", "femto", "kilo"):
        cand = ureg.Unit(prefix + base)
        if abs(float(Q_(1.0, sub).to(cand).magnitude) - 1.0) < 1e-9:
            return cand
    return sub


def _is_concentration(unit) -> bool:
    dims = dict(unit.dimensionality)
    return dims in ({"[substance]": 1, "[length]": -3}, {"[mass]": 1, "[length]": -3})


# ============================================================================ helpers
def _ok(code, what: str):
    L = _libsbml()
    if code not in (L.LIBSBML_OPERATION_SUCCESS, None):
        raise ModelError(f"SBML export: libsbml rejected {what} "
                         f"({L.OperationReturnValue_toString(code)})")


def _sid(text: str) -> str:
    s = re.sub(r"\W", "_", text.replace(".", "__"))
    return s if re.match(r"[A-Za-z_]", s) else "_" + s


def _xhtml(paragraphs) -> str:
    body = "".join(f"<p>{escape(str(p))}</p>" for p in paragraphs if p)
    return f'<body xmlns="{XHTML_NS}">{body}</body>'


def math_isclose(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def _citations(keys, bib) -> list[str]:
    out = []
    for k in keys:
        ref = bib.get(k)
        out.append(f"[{k}] {ref.full()}" if ref is not None else f"[{k}] (not in references.bib)")
    return out


def _doi_uri(ref) -> str | None:
    doi = (ref.fields.get("doi") or "").strip() if ref is not None else ""
    if not doi:
        return None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)
    return f"{IDENTIFIERS}doi:{doi}"


def _pubmed_uri(ref) -> str | None:
    pmid = (ref.fields.get("pmid") or "").strip() if ref is not None else ""
    return f"{IDENTIFIERS}pubmed:{pmid}" if pmid.isdigit() else None


def _add_cv(sbase, qualifier: str, resources, L, model_level=False):
    if not resources:
        return
    if not sbase.isSetMetaId():
        sbase.setMetaId("meta_" + (sbase.getId() or "model"))
    cv = L.CVTerm()
    if model_level:
        cv.setQualifierType(L.MODEL_QUALIFIER)
        cv.setModelQualifierType({"isDescribedBy": L.BQM_IS_DESCRIBED_BY,
                                  "is": L.BQM_IS}[qualifier])
    else:
        cv.setQualifierType(L.BIOLOGICAL_QUALIFIER)
        cv.setBiologicalQualifierType({"is": L.BQB_IS, "isVersionOf": L.BQB_IS_VERSION_OF,
                                       "isDescribedBy": L.BQB_IS_DESCRIBED_BY,
                                       "hasTaxon": L.BQB_HAS_TAXON}[qualifier])
    for r in resources:
        cv.addResource(r if r.startswith("http") else IDENTIFIERS + r)
    _ok(sbase.addCVTerm(cv), f"annotation of {sbase.getId()}")


def _parameter_sbo(p, unit, exponent_symbols) -> int:
    if p.symbol in exponent_symbols:
        return _SBO_HILL
    dims = dict(unit.dimensionality)
    if dims == {"[time]": -1}:
        return _SBO_KINETIC_CONSTANT
    if dims == dict(HOUR.dimensionality) and "half_life" in p.name:
        return _SBO_HALF_LIFE
    return _SBO_PARAMETER


def _exponent_symbols(exprs) -> set:
    out = set()
    for e in exprs:
        for pw in e.atoms(sp.Pow):
            out |= pw.exp.free_symbols
    return out


def _load_scenario(scenario):
    if scenario is None or isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike)):
        text = os.fspath(scenario)
        looks_like_path = isinstance(scenario, os.PathLike) or (
            "\n" not in text and text.strip().lower().endswith((".yaml", ".yml")))
        if looks_like_path and not Path(text).is_file():
            raise ScenarioError("path", text, "no such file; give the path of a scenario YAML "
                                "file")
        return Scenario.from_yaml(scenario)
    raise ScenarioError("scenario", scenario, "expected a Scenario, a YAML file path or None")


# ============================================================================ export
@dataclass
class _StartingPoint:
    """What the document starts from: parameter values, initial state and inputs at t = 0, the
    protocol schedule (None without a scenario) and the burn-in's relative tolerance."""

    parameters: np.ndarray
    state: np.ndarray
    inputs: np.ndarray
    schedule: object | None
    rtol: float | None


def _starting_point(model, scenario, parameters, parameter_set, burn_in_days,
                    rtol) -> _StartingPoint:
    """nicsim's starting state for ``scenario`` by the scenario's own initial-state policy
    (entrained burn-in or settled, exactly as ``simulate`` starts it) plus boluses at t = 0, and
    its parameter values and inputs, from the run pipeline; without a scenario the declared state
    and all inputs 0."""
    if scenario is None:
        return _StartingPoint(model_parameters(model, None, parameters, parameter_set),
                              model.initial_state(), np.zeros(len(model.exogenous)), None, rtol)
    problem = build_problem(model, scenario, parameters=parameters, parameter_set=parameter_set,
                            rtol=rtol, burn_in_days=burn_in_days)
    schedule = problem.schedule
    y0 = np.array(initial_states(problem)[0][0], dtype=float)
    for j, sid in enumerate(schedule.jump_targets):
        y0[model.state_index(sid)] += schedule.jumps[0, j]
    return _StartingPoint(problem.P[0], y0, np.asarray(schedule.inputs[0], dtype=float),
                          schedule, problem.rtol)


class _Document:
    """One SBML document being built: the libsbml model element, its unit definitions, the SBML
    id of every model symbol (each id claimed once) and the L3 formula parser."""

    def __init__(self, title: str):
        self.L = L = _libsbml()
        self.doc = L.SBMLDocument(3, 2)
        self.m = m = self.doc.createModel()
        m.setId(_sid(f"nicsim_{title}"))
        m.setName(f"nicsim: {title}")
        self.units = _Units(m, L)
        self.hour = self.units(parse_unit("hour"))
        m.setTimeUnits(self.hour)
        m.setVolumeUnits("litre")
        self.names: dict[sp.Symbol, str] = {}
        self._used: set[str] = set()
        self._printer = _L3Printer(self.names)
        self._settings = L.L3ParserSettings()
        self._settings.setModel(m)
        self._settings.setParseUnits(True)
        self._settings.setParseLog(L.L3P_PARSE_LOG_AS_LN)

    def claim(self, sid: str, what: str) -> str:
        """Reserve the SBML id ``sid`` (``what`` names it in the error if it is taken)."""
        if sid in self._used:
            raise ModelError(f"SBML export: id {sid!r} ({what}) is used twice")
        self._used.add(sid)
        return sid

    def math(self, expr):
        """libsbml AST of a sympy expression or of L3 infix text."""
        text = self._printer(expr) if not isinstance(expr, str) else expr
        ast = self.L.parseL3FormulaWithSettings(text, self._settings)
        if ast is None:
            raise ModelError(f"SBML export: libsbml cannot parse {text!r}: "
                             f"{self.L.getLastParseL3Error()}")
        return ast

    def parameter(self, pid: str, name: str, unit, *, constant: bool, notes,
                  value: float | None = None, sbo: int = _SBO_PARAMETER):
        """A new SBML parameter (``unit``: a pint unit or unit text; no value for assignment
        rule variables)."""
        prm = self.m.createParameter()
        prm.setId(pid)
        prm.setName(name)
        if value is not None:
            prm.setValue(value)
        prm.setUnits(self.units(unit))
        prm.setConstant(constant)
        prm.setSBOTerm(sbo)
        prm.setNotes(_xhtml(notes))
        return prm

    def annotate(self, sbase, key: str):
        """The MIRIAM annotation of a state id or output name, if it has one."""
        if key in MIRIAM:
            q, res = MIRIAM[key]
            _add_cv(sbase, q, res, self.L)

    def text(self) -> str:
        text = self.L.writeSBMLToString(self.doc)
        if not text:
            raise ModelError("SBML export: libsbml could not write the document")
        return text


def _claim_ids(d: _Document, model, defaulted) -> tuple[dict[str, str], dict[str, float]]:
    """Claim the ids of states, parameters, defaulted inputs, protocol inputs and outputs;
    returns the ids of the protocol inputs and the display factor of each output."""
    for s in model.states:
        d.names[s.symbol] = d.claim(_sid(s.id), f"state {s.id}")
    for p in model.parameters:
        d.names[p.symbol] = d.claim(_sid(p.id), f"parameter {p.id}")
    for i in defaulted:
        d.names[i.symbol] = d.claim(_sid(i.id), f"defaulted input {i.id}")
    exo_ids = {}
    for n in model.exogenous:
        exo_ids[n] = d.claim(f"input_{_sid(n)}", f"input {n}")
        d.names[sp.Symbol(f"exo.{n}", real=True)] = exo_ids[n]
    out_display: dict[str, float] = {}
    for o in model.outputs:
        f = display_factor(o.unit)
        out_display[o.name] = f
        oid = _sid(o.name) if f == 1.0 else _sid(o.id)  # canonical value under module__name
        d.names[o.symbol] = d.claim(oid, f"output {o.id}")
    return exo_ids, out_display


def _model_notes(model, scenario, burn_in_days: int, rtol) -> list[str]:
    return [
        f"Generated by nicsim {__version__} from the compiled model {model.key}"
        + (f" and the scenario '{scenario.name}'" if scenario is not None else "") + ".",
        (scenario.description or "") if scenario is not None else "",
        ("Time is in hours since the scenario start (clock time "
         f"{scenario.start} on day 1). The initial state is nicsim's starting state "
         + ("(settled: habitual days until every slow state reached the person's own steady "
            f"state, after a {burn_in_days}-day burn-in; rtol {rtol:g}); "
            if getattr(scenario, "initial_state", None) == "settled" else
            f"({burn_in_days}-day burn-in on the person's habitual schedule, rtol {rtol:g}); ")
         + "the protocol "
         "is encoded as events (inputs input_* set at each break, boluses added to states)."
         if scenario is not None else
         "Time is in hours. No scenario: declared initial state, all protocol inputs 0."),
        "States in concentration units are species in the compartment 'plasma' (rate rules on "
        "concentrations); other states are non-constant parameters with rate rules. Ids are "
        "module__name; the name attribute holds nicsim's dotted id. Outputs are assignment rules "
        "named as in nicsim.simulate (e.g. cortisol_serum, tnf, heart_rate, rmssd).",
        "Parameters are in nicsim's canonical units: the declared unit with time factors in "
        "hours. Each parameter's notes give the declared value and unit and its source.",
        "Temperatures are in degrees Celsius; their unit definition 'degC' is the kelvin-sized "
        "degree without offset (SBML Level 3 has no Celsius unit; only differences enter the "
        "rate laws).",
        "nicsim's solver reads non-negative states through a floor of 1e-30; here the states "
        "that start at zero (challenges, practised skills) are read through max(x, x_floor) "
        "the same way, so that cleared challenges never reach subnormal numbers.",
        "Research and education model; not a diagnostic tool.",
    ]


def _annotate_model(d: _Document, notes, bib):
    """Model notes, the taxon (human) and every DOI/PubMed id of references.bib."""
    d.m.setNotes(_xhtml(notes))
    d.m.setMetaId("meta_model")
    _add_cv(d.m, "hasTaxon", ["taxonomy:9606"], d.L)
    dois = sorted({u for k in sorted(bib) if (u := _doi_uri(bib[k]) or _pubmed_uri(bib[k]))})
    _add_cv(d.m, "isDescribedBy", dois, d.L, model_level=True)


def _add_compartments(d: _Document, model) -> dict[str, str]:
    """One compartment per module with concentration states (COMPARTMENTS maps modules that
    share one); returns the compartment of each concentration state."""
    comp_of: dict[str, str] = {}
    for s in model.states:
        if _is_concentration(canonical_unit(s.unit)):
            comp_of[s.id] = COMPARTMENTS.get(s.module, _sid(f"{s.module}_compartment"))
    for cid in sorted(set(comp_of.values())):
        c = d.m.createCompartment()
        c.setId(d.claim(cid, f"compartment {cid}"))
        title, size, why = _COMPARTMENT_DOC.get(cid, (cid, 1.0, "nominal volume; the rate "
                                                      "rules act on concentrations"))
        c.setName(title)
        c.setSize(size)
        c.setUnits("litre")
        c.setSpatialDimensions(3)
        c.setConstant(True)
        c.setSBOTerm(_SBO_COMPARTMENT)
        c.setNotes(_xhtml([f"{title}: {size:g} L, {why}."]))
    return comp_of


def _add_states(d: _Document, model, y0, comp_of, from_scenario: bool):
    """Concentration states as species in their compartment, all others as non-constant
    parameters; both with rate rules (added later) and the starting value ``y0``."""
    for i, s in enumerate(model.states):
        sid = d.names[s.symbol]
        cu = canonical_unit(s.unit)
        value = float(y0[i])
        note = [f"nicsim state {s.id}: {s.doc}" if s.doc else f"nicsim state {s.id}",
                f"Unit: {s.unit}" + ("" if cu == parse_unit(s.unit) else f" (here {_pretty(cu)})")
                + ("; non-negative" if s.nonnegative else "") + ".",
                f"Initial value {_fmt(value)} ("
                + ("burn-in state of the scenario" if from_scenario else "declared")
                + f"; declared initial value {s.initial:g} {s.unit})."]
        if s.id in comp_of:
            elem = d.m.createSpecies()
            elem.setId(sid)
            elem.setName(s.id)
            elem.setCompartment(comp_of[s.id])
            elem.setInitialConcentration(value)
            elem.setSubstanceUnits(d.units(_substance_unit(cu)))
            elem.setHasOnlySubstanceUnits(False)
            elem.setBoundaryCondition(False)
            elem.setConstant(False)
            elem.setSBOTerm(SPECIES_SBO.get(s.id, _SBO_ENTITY))
            if _substance_unit(cu) != cu * parse_unit("liter"):
                note.append(f"Species concentration unit: {_pretty(_substance_unit(cu))}/L, "
                            f"which equals {_pretty(cu)}.")
            elem.setNotes(_xhtml(note))
        else:
            elem = d.parameter(sid, s.id, cu, value=value, constant=False, notes=note)
        d.annotate(elem, s.id)


def _add_state_floors(d: _Document, model) -> dict:
    """Parameters ``<state>_floor`` = 1e-30 for the non-negative states that start at zero;
    returns the substitution that reads each such state as max(state, floor).

    States that start at zero (challenges, practised skills) are read through the same positive
    floor as in nicsim's compiled rhs; without it an exponentially cleared bolus decays into
    subnormal numbers over months and CVODE fails (seen with libroadrunner)."""
    floored = {}
    for s in model.states:
        if s.nonnegative and s.initial == 0.0:
            fsym = sp.Symbol(f"floor.{s.id}", real=True)
            d.names[fsym] = d.claim(_sid(s.id) + "_floor", f"floor of {s.id}")
            floored[s.symbol] = (fsym, s)
    for fsym, st in floored.values():
        d.parameter(d.names[fsym], f"positive floor of {st.id}", canonical_unit(st.unit),
                    value=1e-30, constant=True,
                    notes=[f"Numerical floor: {st.id} enters the rate laws as max({st.id}, "
                           "1e-30), exactly as in nicsim's compiled right-hand side."])
    return {sym: sp.Max(sym, fsym) for sym, (fsym, _s) in floored.items()}


def _parameter_notes(p, value: float, cu, parameter_set: str, bib) -> list[str]:
    """Declared value and unit, where the value comes from, the source with full citations,
    the plausible range and the between-person variability of a parameter."""
    try:
        declared_now = float(Q_(value, cu).to(parse_unit(p.unit)).magnitude)
    except Exception:  # offset units
        declared_now = value
    value_line = f"Value {_fmt(declared_now)} {p.unit}"
    if not math_isclose(declared_now, p.value):
        value_line += (f" (module default {_fmt(p.value)} {p.unit}; this value comes from "
                       f"the parameter set '{parameter_set}', the person or an override)")
    value_line += "."
    if _pretty(cu) != _pretty(parse_unit(p.unit)):
        value_line += (f" In this file: {_fmt(value)} {_pretty(cu)} (nicsim's "
                       "canonical unit, time in hours).")
    note = [f"nicsim parameter {p.id}" + (f": {p.doc}" if p.doc else ""), value_line,
            f"Source ({p.source.kind}): {p.source.describe()}"]
    note += [f"Reference: {c}" for c in _citations(p.source.references(), bib)]
    if p.bounds is not None:
        note.append(f"Plausible range: {p.bounds[0]:g} to {p.bounds[1]:g} {p.unit}.")
    if p.distribution is not None:
        note.append(f"Between-person variability: {p.distribution.describe()}"
                    + (f" ({p.distribution.source.describe()})"
                       if p.distribution.source is not None else "") + ".")
    return note


def _provenance_annotation(p, cu) -> str:
    """The machine-readable ``nicsim:provenance`` annotation of a parameter."""
    attrs = {"id": p.id, "declaredValue": repr(float(p.value)), "declaredUnit": p.unit,
             "canonicalUnit": _pretty(cu),
             "sourceKind": p.source.kind, "references": " ".join(p.source.references())}
    return (f'<nicsim:provenance xmlns:nicsim="{NICSIM_NS}" '
            + " ".join(f"nicsim:{k}={quoteattr(v)}" for k, v in attrs.items())
            + f">{escape(p.source.describe())}</nicsim:provenance>")


def _add_parameters(d: _Document, model, pvec, parameter_set: str, exponent_symbols, bib):
    """The model's parameters with the values of this run, in canonical units, with notes,
    provenance annotation and the DOIs/PubMed ids of their references."""
    for j, p in enumerate(model.parameters):
        cu = canonical_unit(p.unit)
        value = float(pvec[j])
        prm = d.parameter(d.names[p.symbol], p.id, cu, value=value, constant=True,
                          sbo=_parameter_sbo(p, cu, exponent_symbols),
                          notes=_parameter_notes(p, value, cu, parameter_set, bib))
        prm.setMetaId(f"meta_{d.names[p.symbol]}")
        _ok(prm.appendAnnotation(_provenance_annotation(p, cu)), f"annotation of {p.id}")
        refs = p.source.references()
        ref_uris = [u for k in refs if (u := _doi_uri(bib.get(k)) or _pubmed_uri(bib.get(k)))]
        _add_cv(prm, "isDescribedBy", ref_uris, d.L)


def _add_defaulted_inputs(d: _Document, defaulted):
    """Optional input ports without a producer: constant parameters at their default."""
    for i in defaulted:
        d.parameter(d.names[i.symbol], i.id, canonical_unit(i.unit),
                    value=float(to_canonical(i.default, i.unit)[0]), constant=True,
                    notes=[f"Optional input port {i.id}" + (f" ({i.doc})" if i.doc else "")
                           + f": no module of this network produces '{i.name}', so it keeps "
                           f"its default value {i.default:g} {i.unit}."])


def _add_protocol_inputs(d: _Document, model, exo_ids, u0) -> dict[str, str]:
    """One non-constant parameter ``input_<name>`` per exogenous input, set by the events;
    returns the unit id of each."""
    exo_units = {}
    exogenous = model.network.exogenous_inputs()
    for k, n in enumerate(model.exogenous):
        cu = canonical_unit(model.exogenous_units[k])
        exo_units[n] = d.units(cu)
        doc_ = exogenous[n].doc
        d.parameter(exo_ids[n], f"exo.{n}", cu, value=float(u0[k]), constant=False,
                    notes=[f"Protocol input {n}" + (f": {doc_}" if doc_ else "")
                           + f" [{model.exogenous_units[k]}].",
                           "Piecewise constant: set by the events of the scenario."])
    return exo_units


def _display_param(d: _Document, name, unit, cu, factor) -> str:
    """A constant conversion factor from the canonical to the declared unit of an output."""
    pid = d.claim(f"{_sid(name)}_display_factor", f"display factor of {name}")
    d.parameter(pid, f"{name}: {_pretty(cu)} -> {unit}", parse_unit(unit) / cu,
                value=float(factor), constant=True,
                notes=[f"Unit conversion from the canonical unit {_pretty(cu)} to the declared "
                       f"unit {unit} of {name}."])
    return pid


def _output_param(d: _Document, pid, name, unit, notes, miriam_key):
    """The variable of an output's assignment rule."""
    prm = d.parameter(pid, name, unit, constant=False, notes=notes)
    d.annotate(prm, miriam_key)


def _add_outputs(d: _Document, model, out_exprs, out_display) -> list[tuple[str, object]]:
    """Outputs and observable states as assignment-rule variables named as in ``simulate`` (in
    the declared display unit); returns the rules (variable, expression) in order."""
    obs = set(observable_names(model))
    rules = []
    for o in model.outputs:
        oid = d.names[o.symbol]
        cu = canonical_unit(o.unit)
        kind = "observable" if o.name in obs else "internal signal"
        note = [f"nicsim output {o.id} ({kind})" + (f": {o.doc}" if o.doc else ""),
                f"Unit: {o.unit}."]
        f = out_display[o.name]
        if f == 1.0:
            _output_param(d, oid, o.id, cu, note, o.name)
            rules.append((oid, out_exprs[o.name]))
        else:
            _output_param(d, oid, o.id, cu, note + [f"Canonical unit {_pretty(cu)}; the output "
                                                    f"{o.name} gives it in {o.unit}."], "")
            rules.append((oid, out_exprs[o.name]))
            disp = _display_param(d, o.name, o.unit, cu, f)
            _output_param(d, d.claim(_sid(o.name), f"output {o.name}"), o.name,
                          parse_unit(o.unit), note, o.name)
            rules.append((_sid(o.name), f"{oid} * {disp}"))
    for s in model.states:
        if not s.observable:
            continue
        cu = canonical_unit(s.unit)
        f = display_factor(s.unit)
        aid = d.claim(_sid(s.name), f"observable state {s.id}")
        _output_param(d, aid, s.name, parse_unit(s.unit) if f != 1.0 else cu,
                      [f"Observable state {s.id}" + (f": {s.doc}" if s.doc else ""),
                       f"Unit: {s.unit}. Same value as {d.names[s.symbol]}."], s.id)
        if f == 1.0:
            rules.append((aid, d.names[s.symbol]))
        else:
            disp = _display_param(d, s.name, s.unit, cu, f)
            rules.append((aid, f"{d.names[s.symbol]} * {disp}"))
    return rules


def _add_rules(d: _Document, model, assignments, rate_exprs):
    """Assignment rules (outputs), then one rate rule per state."""
    for var, expr in assignments:
        r = d.m.createAssignmentRule()
        r.setVariable(var)
        _ok(r.setMath(d.math(expr)), f"assignment rule for {var}")
    for s, rate in zip(model.states, rate_exprs, strict=True):
        r = d.m.createRateRule()
        r.setVariable(d.names[s.symbol])
        _ok(r.setMath(d.math(rate)), f"rate rule for {s.id}")


def _add_events(d: _Document, scenario, schedule, model, exo_ids, exo_units) -> int:
    """One event per schedule break that changes an input or adds a bolus; returns the count."""
    breaks = np.asarray(schedule.breaks, dtype=float)
    inputs = np.asarray(schedule.inputs, dtype=float)
    jumps = np.asarray(schedule.jumps, dtype=float).reshape(len(inputs),
                                                            len(schedule.jump_targets))
    in_names = list(schedule.input_names)
    state_by_id = {s.id: s for s in model.states}
    n = 0
    n_seg = len(inputs)
    for k in range(1, n_seg):
        changed = [c for c in range(len(in_names)) if inputs[k, c] != inputs[k - 1, c]]
        jumped = [c for c in range(jumps.shape[1]) if jumps[k, c] != 0.0]
        if not changed and not jumped:
            continue
        t = float(breaks[k])
        ev = d.m.createEvent()
        ev.setId(f"protocol_{k}")
        ev.setName(f"{scenario.format_time(t)} (t = {t:.6g} h)")
        ev.setUseValuesFromTriggerTime(True)
        trig = ev.createTrigger()
        trig.setInitialValue(True)
        trig.setPersistent(True)
        _ok(trig.setMath(d.math(f"time >= {t!r} {d.hour}")), f"trigger at {t}")
        pr = ev.createPriority()
        _ok(pr.setMath(d.math(f"{n_seg - k} dimensionless")), "event priority")
        lines = []
        for c in changed:
            name = in_names[c]
            ea = ev.createEventAssignment()
            ea.setVariable(exo_ids[name])
            v = float(inputs[k, c])
            _ok(ea.setMath(d.math(f"({v!r} {exo_units[name]})")), f"event {k} {name}")
            lines.append(f"{name}: {inputs[k - 1, c]:g} -> {v:g}")
        for c in jumped:
            sid = schedule.jump_targets[c]
            s = state_by_id[sid]
            var = d.names[s.symbol]
            dv = float(jumps[k, c])
            ea = ev.createEventAssignment()
            ea.setVariable(var)
            _ok(ea.setMath(d.math(f"{var} + ({dv!r} {d.units(canonical_unit(s.unit))})")),
                f"event {k} bolus {sid}")
            lines.append(f"bolus: {sid} + {dv:g} {s.unit}")
        ev.setNotes(_xhtml([f"Protocol break at {scenario.format_time(t)} "
                            f"(t = {t:.6g} h)."] + lines))
        n += 1
    return n


def to_sbml(scenario=None, *, model=None, parameters: Mapping[str, float] | None = None,
            burn_in_days: int = 6, parameter_set: str = "default",
            rtol: float | None = None) -> str:
    """SBML Level 3 Version 2 text of the model, set up for ``scenario``.

    ``scenario``: a :class:`~nicsim.protocols.Scenario`, the path of a scenario YAML file, or
    None (the model alone: declared initial state, all inputs 0, no events). ``parameters``
    overrides parameter values by id in their declared units, as in ``simulate``.
    ``burn_in_days`` and ``rtol`` give the burn-in that sets the initial state, as in
    ``simulate`` (``rtol`` defaults to the scenario's or simulate's default); pass the same
    values to ``simulate`` for identical starting points.
    """
    scenario = _load_scenario(scenario)
    model = model or default_model()
    bib = load_bibliography()
    start = _starting_point(model, scenario, parameters, parameter_set, burn_in_days, rtol)
    network = model.network
    sub_input = {i.symbol: o.symbol for i, o in network.connections()}
    # optional ports without a producer keep their default: constant parameters here
    defaulted = list(getattr(network, "defaulted_inputs", list)())

    d = _Document(scenario.name if scenario is not None else "model")
    exo_ids, out_display = _claim_ids(d, model, defaulted)
    _annotate_model(d, _model_notes(model, scenario, burn_in_days, start.rtol), bib)
    comp_of = _add_compartments(d, model)
    _add_states(d, model, start.state, comp_of, from_scenario=scenario is not None)
    floor_sub = _add_state_floors(d, model)
    rate_exprs = [s.rate.xreplace(sub_input).xreplace(floor_sub) for s in model.states]
    out_exprs = {o.name: o.expr.xreplace(sub_input).xreplace(floor_sub) for o in model.outputs}
    _add_parameters(d, model, start.parameters, parameter_set,
                    _exponent_symbols(rate_exprs + list(out_exprs.values())), bib)
    _add_defaulted_inputs(d, defaulted)
    exo_units = _add_protocol_inputs(d, model, exo_ids, start.inputs)
    _add_rules(d, model, _add_outputs(d, model, out_exprs, out_display), rate_exprs)
    if start.schedule is not None:
        _add_events(d, scenario, start.schedule, model, exo_ids, exo_units)
    return d.text()


def write_sbml(path, scenario=None, **kw) -> Path:
    """Write :func:`to_sbml` to ``path`` (folders are created); returns the path."""
    text = to_sbml(scenario, **kw)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_text(path, text)


def check_sbml(sbml, *, units: bool = True) -> dict:
    """libsbml consistency checks of SBML text (or a path): counts and messages.

    Returns ``{"errors": n, "warnings": n, "unit_errors": n, "unit_warnings": n,
    "messages": [...]}``; unit counts are those of the unit-consistency category.
    """
    L = _libsbml()
    if isinstance(sbml, Path) or (isinstance(sbml, str) and not sbml.lstrip().startswith("<")):
        doc = L.readSBMLFromFile(str(sbml))
    else:
        doc = L.readSBMLFromString(sbml)
    doc.setConsistencyChecks(L.LIBSBML_CAT_UNITS_CONSISTENCY, units)
    doc.checkConsistency()
    out = {"errors": 0, "warnings": 0, "unit_errors": 0, "unit_warnings": 0, "messages": []}
    for i in range(doc.getNumErrors()):
        e = doc.getError(i)
        err = e.getSeverity() >= L.LIBSBML_SEV_ERROR
        unit = e.getCategory() == L.LIBSBML_CAT_UNITS_CONSISTENCY
        out["errors" if err else "warnings"] += 1
        if unit:
            out["unit_errors" if err else "unit_warnings"] += 1
        out["messages"].append(f"{e.getSeverityAsString()} {e.getErrorId()} "
                               f"[{e.getCategoryAsString()}] line {e.getLine()}: "
                               f"{e.getMessage().strip()}")
    return out


def configure_roadrunner(rr, *, rtol: float = 1e-10, atol: float = 1e-12,
                         max_steps: int = 1_000_000):
    """Set a ``roadrunner.RoadRunner``'s CVODE integrator so that it runs nicsim's exports;
    returns ``rr``.

    libroadrunner (seen with 2.10) expands a *scalar* ``absolute_tolerance`` into a vector by
    multiplying it with each state's value (the initial value, and again when it re-derives the
    vector). Several of nicsim's states sit at 1e-30 to 1e-80 in a person without the matching
    condition (IL-17 of a person without psoriasis, 1e-71 after the burn-in; a healed wound's
    area), so their absolute tolerance becomes 1e-83: CVODE's error weights reach 1e80 and the
    corrector cannot converge once an event perturbs the system (e.g. the punch biopsy of
    ``examples/scenarios/interventions.yaml`` at t = 508 h: CV_CONV_FAILURE with h = 1e-48, at
    every scalar tolerance). A *vector* ``absolute_tolerance`` is used as given, so this sets
    ``atol`` for every state (in the state's SBML unit) and the relative tolerance ``rtol``;
    COPASI applies its absolute tolerance unscaled and needs no such setting.
    """
    m = rr.model
    ruled = set(m.getRateRuleSymbols())
    # CVODE's state: independent floating species without a rate rule, then rate-rule variables
    n = len(set(rr.getIndependentFloatingSpeciesIds()) - ruled) + len(ruled)
    integ = rr.integrator
    integ.relative_tolerance = float(rtol)
    integ.absolute_tolerance = [float(atol)] * n
    integ.maximum_num_steps = int(max_steps)
    return rr
