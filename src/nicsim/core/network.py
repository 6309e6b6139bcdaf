"""Composition of modules into one system by their named signals.

An input port connects to the output of the same name in another module; exogenous inputs of the
same name are shared and set by the protocol. ``Network.compile()`` resolves the ports, checks
units and returns a :class:`~nicsim.core.compiled.CompiledModel`.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

from nicsim.core.compiled import compile_network
from nicsim.core.model import Module, T
from nicsim.core.unitcheck import same_unit, unit_of
from nicsim.core.units import HOUR, canonical_unit, ureg
from nicsim.errors import ModelError, UnitError


def _checkable(unit):
    """Temperatures enter rate laws as differences: check degC as delta_degC."""
    if "degree_Celsius" in str(unit) and "delta" not in str(unit):
        return ureg.Unit(str(unit).replace("degree_Celsius", "delta_degree_Celsius"))
    return unit


class Network:
    def __init__(self, modules: Iterable[Module], name: str = "nics"):
        self.name = name
        self.modules: dict[str, Module] = {}
        for m in modules:
            if m.name in self.modules:
                raise ModelError(f"two modules are named {m.name!r}")
            self.modules[m.name] = m

    # -- structure ------------------------------------------------------------------------------
    def outputs_by_name(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for m in self.modules.values():
            for o in m.outputs.values():
                if o.name in out:
                    raise ModelError(f"output name {o.name!r} is produced by both "
                                     f"{out[o.name].module} and {m.name}")
                out[o.name] = o
        return out

    def connections(self) -> list[tuple[object, object]]:
        """(input, output) pairs; raises ModelError for an unconnected port without default."""
        outs = self.outputs_by_name()
        pairs = []
        for m in self.modules.values():
            for i in m.inputs.values():
                if i.exogenous:
                    continue
                if i.name not in outs and i.default is not None:
                    continue
                if i.name not in outs:
                    raise ModelError(f"input {i.id} is not connected: no module has an output "
                                     f"named {i.name!r}")
                pairs.append((i, outs[i.name]))
        return pairs

    def unconnected_inputs(self) -> list[str]:
        """Required ports with no producer (an error)."""
        outs = self.outputs_by_name()
        return [i.id for m in self.modules.values() for i in m.inputs.values()
                if not i.exogenous and i.name not in outs and i.default is None]

    def defaulted_inputs(self) -> list[object]:
        """Optional ports with no producer: they take their default value."""
        outs = self.outputs_by_name()
        return [i for m in self.modules.values() for i in m.inputs.values()
                if not i.exogenous and i.name not in outs and i.default is not None]

    def exogenous_inputs(self) -> dict[str, object]:
        ex: dict[str, object] = {}
        for m in self.modules.values():
            for i in m.inputs.values():
                if not i.exogenous:
                    continue
                if i.name in ex and not same_unit(canonical_unit(ex[i.name].unit),
                                                  canonical_unit(i.unit)):
                    raise UnitError(f"exogenous input {i.name!r} has unit {i.unit} in {m.name} "
                                    f"but {ex[i.name].unit} in {ex[i.name].module}")
                ex.setdefault(i.name, i)
        return ex

    def edges(self) -> list[tuple[str, str, str]]:
        """(from module, to module, signal) for drawing the network."""
        return [(o.module, i.module, o.name) for i, o in self.connections()]

    def states(self):
        return [s for m in self.modules.values() for s in m.states.values()]

    def parameters(self):
        return [p for m in self.modules.values() for p in m.parameters.values()]

    def outputs(self):
        return [o for m in self.modules.values() for o in m.outputs.values()]

    # -- checks ---------------------------------------------------------------------------------
    def unit_table(self) -> dict[sp.Symbol, object]:
        units: dict[sp.Symbol, object] = {T: HOUR}
        for m in self.modules.values():
            for group in (m.states, m.parameters, m.inputs, m.outputs):
                for obj in group.values():
                    units[obj.symbol] = _checkable(canonical_unit(obj.unit))
        return units

    def check_units(self) -> list[str]:
        """All unit problems as messages (empty when consistent)."""
        problems: list[str] = []
        units = self.unit_table()
        for m in self.modules.values():
            for o in m.outputs.values():
                try:
                    u = unit_of(o.expr, units, f"output {o.id}")
                    if not same_unit(u, units[o.symbol]):
                        problems.append(f"output {o.id}: expression is in {u:~P}, declared "
                                        f"{o.unit}")
                except UnitError as e:
                    problems.append(str(e))
            for s in m.states.values():
                if s.rate is None:
                    problems.append(f"state {s.id} has no rate law")
                    continue
                want = units[s.symbol] / HOUR
                try:
                    u = unit_of(s.rate, units, f"rate of {s.id}")
                    if not same_unit(u, want):
                        problems.append(f"rate of {s.id}: is in {u:~P}, must be {want:~P} "
                                        f"(state unit per hour)")
                except UnitError as e:
                    problems.append(str(e))
        try:
            for i, o in self.connections():
                if not same_unit(canonical_unit(i.unit), canonical_unit(o.unit)):
                    problems.append(f"input {i.id} [{i.unit}] is connected to output {o.id} "
                                    f"[{o.unit}]")
        except ModelError as e:
            problems.append(str(e))
        return problems

    def unknown_symbols(self) -> list[str]:
        """Symbols used in an expression of a module that the module did not declare."""
        problems = []
        for m in self.modules.values():
            own = set(m.symbols()) | {T}
            exprs = [(f"output {o.id}", o.expr) for o in m.outputs.values()]
            exprs += [(f"rate of {s.id}", s.rate) for s in m.states.values() if s.rate is not None]
            for where, e in exprs:
                for sym in e.free_symbols - own:
                    problems.append(f"{where} uses {sym}, which module {m.name} does not declare "
                                    f"(declare an input port for signals of other modules)")
        return problems

    def compile(self, **kwargs):
        return compile_network(self, **kwargs)
