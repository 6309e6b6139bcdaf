"""Declarations: states, parameters, ports and modules.

A module owns states (with a rate law each), parameters (value, unit, source), input ports
(signals read from other modules, or exogenous inputs set by the protocol) and outputs (algebraic
signals other modules or the user can read). Everything is a sympy symbol, so one declaration
yields the compiled right-hand side, the Jacobian, the unit check, the docs and the SBML export.
Ids are namespaced by module: ``hpa.cortisol``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sympy as sp

from nicsim.core.domains import Domain, derive_domain
from nicsim.core.sources import Source
from nicsim.core.units import canonical_unit, parse_unit, to_canonical
from nicsim.errors import ModelError

T = sp.Symbol("t", real=True)  # model time, hours since the scenario start
#: largest coefficient of variation of a log-normal between-person distribution: cv 2 is a
#: 95 % range of about x/÷ 12 around the median, wider than any physiological between-person
#: spread the model's sources report (assumption)
MAX_CV = 2.0


@dataclass(frozen=True)
class LogNormal:
    """Between-person variability: value * exp(N(0, sigma)); ``cv`` is the coefficient of
    variation."""

    cv: float
    source: Source | None = None

    @property
    def sigma(self) -> float:
        return math.sqrt(math.log(1.0 + self.cv**2))

    def draw(self, value, z):
        """Persons' values around ``value`` (their mean) for standard-normal draws ``z``."""
        s = self.sigma
        return value * np.exp(s * np.asarray(z, float) - s**2 / 2)

    def cv_at(self, value: float) -> float:
        """Coefficient of variation around a mean of ``value``."""
        return self.cv

    def interval(self, value: float, sigmas: float) -> tuple[float, float]:
        """``value`` x exp(-/+ ``sigmas`` sigma): the central range of the population."""
        w = sigmas * self.sigma
        return value * math.exp(-w), value * math.exp(w)

    def describe(self) -> str:
        return f"log-normal CV {self.cv:g}"

    def check(self, p: Parameter) -> None:
        if not 0 < self.cv <= MAX_CV:
            raise ModelError(f"{p.id}: distribution cv {self.cv!r} must be > 0 and "
                             f"<= {MAX_CV:g}")


@dataclass(frozen=True)
class Beta:
    """Between-person variability of a fraction (0-1): a beta distribution whose mean is the
    person's value ``m`` and whose ``concentration`` k = a + b sets the spread
    (a = m k, b = (1 - m) k, SD = sqrt(m (1 - m) / (k + 1))). For fractions such as adherence,
    whose spread is skewed towards the bound a log-normal cannot respect. A value of exactly 0
    or 1 has no spread."""

    concentration: float
    source: Source | None = None

    def draw(self, value, z):
        """Persons' values with mean ``value`` for standard-normal draws ``z`` (the draw is the
        beta quantile at the normal probability of ``z``, so streams stay one normal each)."""
        from scipy import special, stats

        m, z = np.broadcast_arrays(np.asarray(value, float), np.asarray(z, float))
        out = np.array(m, dtype=float)
        inner = (m > 0) & (m < 1)
        k = self.concentration
        out[inner] = stats.beta.ppf(special.ndtr(z[inner]), m[inner] * k, (1 - m[inner]) * k)
        return out

    def cv_at(self, value: float) -> float:
        """Coefficient of variation around a mean of ``value``."""
        if not 0 < value < 1:
            return 0.0
        return math.sqrt(value * (1 - value) / (self.concentration + 1)) / value

    def interval(self, value: float, sigmas: float) -> tuple[float, float]:
        """Quantiles at the normal probabilities of -/+ ``sigmas`` (the central range)."""
        lo, hi = self.draw(value, np.array([-sigmas, sigmas]))
        return float(lo), float(hi)

    def describe(self) -> str:
        return f"beta around the value, concentration {self.concentration:g}"

    def check(self, p: Parameter) -> None:
        if not self.concentration > 0:
            raise ModelError(f"{p.id}: beta concentration {self.concentration!r} must be > 0")
        lo, hi = p.bounds if p.bounds is not None else (p.domain.lower, p.domain.upper)
        if not (0 <= p.value <= 1 and lo is not None and hi is not None
                and 0 <= lo and hi <= 1):
            raise ModelError(f"{p.id}: a beta distribution needs a fraction: value and bounds "
                             f"within 0-1, got value {p.value!r}, bounds {p.bounds!r}")


@dataclass(eq=False)
class Parameter:
    name: str
    value: float
    unit: str
    source: Source
    doc: str = ""
    bounds: tuple[float, float] | None = None
    distribution: LogNormal | Beta | None = None
    module: str = ""
    declared_domain: Domain | None = None
    symbol: sp.Symbol = field(init=False, repr=False)

    def __post_init__(self):
        self.symbol = sp.Symbol(f"{self.module}.{self.name}", real=True)

    @property
    def id(self) -> str:
        return f"{self.module}.{self.name}"

    @cached_property
    def domain(self) -> Domain:
        """Allowed values in the declared unit: the explicit ``domain=`` of the declaration,
        else derived from unit, name and bounds (:mod:`nicsim.core.domains`)."""
        if self.declared_domain is not None:
            return self.declared_domain
        return derive_domain(self.name, self.value, self.unit, self.bounds)

    @cached_property
    def canonical_domain(self) -> Domain:
        return self.domain.to_canonical(self.unit)

    @property
    def canonical(self) -> tuple[float, object]:
        return to_canonical(self.value, self.unit)


@dataclass(eq=False)
class State:
    name: str
    initial: float
    unit: str
    doc: str = ""
    module: str = ""
    nonnegative: bool = True
    atol: float | None = None
    observable: bool = False
    symbol: sp.Symbol = field(init=False, repr=False)
    rate: sp.Expr | None = None

    def __post_init__(self):
        self.symbol = sp.Symbol(f"{self.module}.{self.name}", real=True)

    @property
    def id(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(eq=False)
class Input:
    """A port. ``exogenous`` inputs are set by the protocol; others connect to an output by name."""

    name: str
    unit: str
    doc: str = ""
    module: str = ""
    exogenous: bool = False
    default: float | None = None
    symbol: sp.Symbol = field(init=False, repr=False)

    def __post_init__(self):
        prefix = "exo" if self.exogenous else self.module
        self.symbol = sp.Symbol(f"{prefix}.{self.name}", real=True)

    @property
    def id(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(eq=False)
class Output:
    name: str
    expr: sp.Expr
    unit: str
    doc: str = ""
    module: str = ""
    observable: bool = True
    symbol: sp.Symbol = field(init=False, repr=False)

    def __post_init__(self):
        self.symbol = sp.Symbol(f"{self.module}.{self.name}", real=True)

    @property
    def id(self) -> str:
        return f"{self.module}.{self.name}"


class Module:
    """One physiological subsystem; see the module files in ``nicsim.model``."""

    def __init__(self, name: str, title: str, doc: str = "", mechanisms: tuple[str, ...] = ()):
        self.name, self.title, self.doc, self.mechanisms = name, title, doc, mechanisms
        self.states: dict[str, State] = {}
        self.parameters: dict[str, Parameter] = {}
        self.inputs: dict[str, Input] = {}
        self.outputs: dict[str, Output] = {}
        self.equation_notes: list[str] = []

    # -- declarations ---------------------------------------------------------------------------
    def _check_new(self, name: str):
        if name in self.states or name in self.parameters or name in self.inputs \
                or name in self.outputs:
            raise ModelError(f"{self.name}.{name} is declared twice")

    def state(self, name, initial, unit, doc="", *, nonnegative=True, atol=None,
              observable=False) -> sp.Symbol:
        """A state variable; ``observable`` states appear in results under their own name."""
        self._check_new(name)
        parse_unit(unit, field=f"{self.name}.{name}.unit")
        s = State(name, float(initial), unit, doc, self.name, nonnegative, atol, observable)
        self.states[name] = s
        return s.symbol

    def parameter(self, name, value, unit, source, doc="", *, bounds=None,
                  distribution=None, domain: Domain | None = None) -> sp.Symbol:
        """A parameter (value in ``unit``, structured ``source``). ``bounds`` are the plausible
        range of the science; ``domain`` overrides the derived domain of allowed values
        (:mod:`nicsim.core.domains`); the value and bounds must lie in the domain."""
        self._check_new(name)
        if not isinstance(source, Source):
            raise ModelError(f"{self.name}.{name}: source must be Literature/Derived/Assumption/"
                             f"Fitted, got {source!r}")
        parse_unit(unit, field=f"{self.name}.{name}.unit")
        p = Parameter(name, float(value), unit, source, doc, bounds, distribution, self.name,
                      domain)
        for what, v in (("value", p.value), *((f"bounds[{k}]", b) for k, b in
                                              enumerate(bounds or ()))):
            if not p.domain.contains(float(v)):
                raise ModelError(f"{p.id}: {what} {v!r} lies outside the parameter's domain, "
                                 f"{p.domain.describe(unit)} ({p.domain.why})")
        if distribution is not None:
            if not isinstance(distribution, (LogNormal, Beta)):
                raise ModelError(f"{p.id}: distribution must be LogNormal(cv, source) or "
                                 f"Beta(concentration, source), got {distribution!r}")
            distribution.check(p)
        self.parameters[name] = p
        return p.symbol

    def input(self, name, unit, doc="", *, default: float | None = None) -> sp.Symbol:
        """A signal produced by another module's output of the same name.

        With a ``default`` the port is optional: when no module in the network produces the
        signal, the default value (in ``unit``) is used, so modules can be added one by one.
        """
        self._check_new(name)
        i = Input(name, unit, doc, self.name, exogenous=False, default=default)
        self.inputs[name] = i
        return i.symbol

    def exogenous(self, name, unit, doc="") -> sp.Symbol:
        """A signal set by the protocol (piecewise constant in time)."""
        self._check_new(name)
        i = Input(name, unit, doc, self.name, exogenous=True)
        self.inputs[name] = i
        return i.symbol

    def output(self, name, expr, unit, doc="", *, observable=True) -> sp.Symbol:
        self._check_new(name)
        o = Output(name, sp.sympify(expr), unit, doc, self.name, observable)
        self.outputs[name] = o
        return o.symbol

    def rate(self, state_symbol: sp.Symbol, expr) -> None:
        """Declare d(state)/dt in the state's unit per hour."""
        for s in self.states.values():
            if s.symbol == state_symbol:
                if s.rate is not None:
                    raise ModelError(f"{s.id} has two rate laws")
                s.rate = sp.sympify(expr)
                return
        raise ModelError(f"{self.name}: {state_symbol} is not a state of this module")

    def note(self, text: str) -> None:
        """An equation-level assumption shown in the docs."""
        self.equation_notes.append(text)

    # -- helpers --------------------------------------------------------------------------------
    def symbols(self) -> dict[sp.Symbol, object]:
        out: dict[sp.Symbol, object] = {}
        for group in (self.states, self.parameters, self.inputs, self.outputs):
            for obj in group.values():
                out[obj.symbol] = obj
        return out

    def canonical_unit_of(self, obj) -> object:
        return canonical_unit(obj.unit)

    def __repr__(self) -> str:
        return (f"Module({self.name!r}: {len(self.states)} states, {len(self.parameters)} "
                f"parameters, {len(self.inputs)} inputs, {len(self.outputs)} outputs)")
