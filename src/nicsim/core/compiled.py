"""From declarations to a compiled numeric system.

``compile_network`` resolves ports, substitutes outputs, differentiates every rate law
symbolically for an analytic Jacobian and prints both as numba source. The generated source
depends only on the model's structure (parameters are a runtime vector), so it is cached on disk
by a structural hash and numba's own cache makes later processes start fast.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from nicsim.core.domains import check_parameter, check_parameter_matrix
from nicsim.core.model import T
from nicsim.core.solver_module import build_solver_module
from nicsim.core.units import canonical_unit, to_canonical
from nicsim.errors import ModelError

_CODEGEN_VERSION = "5"
_DECORATOR = '@njit(cache=True, error_model="numpy")'
#: the relative tolerance at which the states' declared absolute tolerances hold (the default)
_DECLARED_ATOL_RTOL = 1e-6


class _Printer(PythonCodePrinter):
    def __init__(self, names: dict[sp.Symbol, str]):
        super().__init__({"fully_qualified_modules": True, "standard": "python3"})
        self._names = names

    def _print_Symbol(self, expr):
        try:
            return self._names[expr]
        except KeyError:
            raise ModelError(f"code generation: unknown symbol {expr}") from None

    def _print_Max(self, expr):
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"max({out}, {a})"
        return out

    def _print_Min(self, expr):
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"min({out}, {a})"
        return out


def _toposort_outputs(outputs, sub_input):
    """Order outputs so each one only uses outputs computed before it."""
    by_sym = {o.symbol: o for o in outputs}
    order, seen, busy = [], set(), set()

    def visit(o):
        if o.symbol in seen:
            return
        if o.symbol in busy:
            raise ModelError(f"algebraic loop through output {o.id}: outputs must not depend on "
                             "themselves (route the loop through a state)")
        busy.add(o.symbol)
        expr = o.expr.xreplace(sub_input)
        for s in expr.free_symbols:
            if s in by_sym:
                visit(by_sym[s])
        busy.discard(o.symbol)
        seen.add(o.symbol)
        order.append(o)

    for o in outputs:
        visit(o)
    return order


@dataclass
class CompiledModel:
    network: object
    states: list
    parameters: list
    exogenous: list[str]
    exogenous_units: list[str]
    outputs: list
    rates: list[sp.Expr]             # in terms of states/params/exo/t (outputs substituted)
    output_exprs: list[sp.Expr]      # likewise
    key: str
    rhs_source: str
    _solver: object = None

    # -- index maps ---------------------------------------------------------------------------
    @property
    def state_ids(self) -> list[str]:
        return [s.id for s in self.states]

    @property
    def parameter_ids(self) -> list[str]:
        return [p.id for p in self.parameters]

    @property
    def output_names(self) -> list[str]:
        return [o.name for o in self.outputs]

    def state_index(self, sid: str) -> int:
        try:
            return self.state_ids.index(sid)
        except ValueError:
            raise ModelError(f"no state {sid!r}; states are {', '.join(self.state_ids)}") from None

    def parameter_index(self, pid: str) -> int:
        try:
            return self._pindex[pid]
        except KeyError:
            raise ModelError(f"no parameter {pid!r}") from None

    def __post_init__(self):
        self._pindex = {p.id: i for i, p in enumerate(self.parameters)}

    # -- numbers ------------------------------------------------------------------------------
    def initial_state(self) -> np.ndarray:
        return np.array([to_canonical(s.initial, s.unit)[0] for s in self.states])

    def atol(self, rtol: float) -> np.ndarray:
        """Absolute tolerance per state: declared, else 1e-3 x the initial value's scale x rtol.

        A declared absolute tolerance holds at the default relative tolerance (1e-6) and looser;
        a tighter ``rtol`` tightens it in proportion, so that asking for more accuracy gives it
        on every state (with the wound states' declared 1e-7 kept at rtol 1e-9, the proliferation
        gate's fast rise after a punch biopsy was off by 6e-4 relative against libroadrunner,
        COPASI and scipy's Radau)."""
        tighten = min(1.0, float(rtol) / _DECLARED_ATOL_RTOL)
        out = []
        for s in self.states:
            scale = abs(to_canonical(s.initial, s.unit)[0]) or 1.0
            out.append(s.atol * tighten if s.atol is not None
                       else max(scale, 1e-3) * rtol * 1e-2)
        return np.array(out)

    def parameter_vector(self, overrides: dict[str, float] | None = None, *,
                         field: str = "parameters") -> np.ndarray:
        """Canonical values; ``overrides`` are {id: value in the parameter's declared unit},
        each checked against the parameter's domain (error field ``<field>.<id>``)."""
        p = np.array([p.canonical[0] for p in self.parameters])
        for pid, v in (overrides or {}).items():
            i = self.parameter_index(pid)
            x = check_parameter(self.parameters[i], v, f"{field}.{pid}")
            p[i] = to_canonical(x, self.parameters[i].unit)[0]
        return p

    def check_parameter_matrix(self, P: np.ndarray, field: str = "parameters") -> None:
        """Raise a ScenarioError when a row of canonical parameter vectors ``P`` leaves a
        parameter's domain."""
        check_parameter_matrix(self.parameters, P, field)

    def output_units(self) -> list[str]:
        return [o.unit for o in self.outputs]

    # -- numeric functions ----------------------------------------------------------------------
    def machine_code_cached(self) -> bool:
        """Whether numba's on-disk cache holds this model's integrator (else the first run
        compiles it: about a minute)."""
        pyc = cache_dir() / "__pycache__"
        return any(pyc.glob(f"nicsim_gen_{self.key}._integrate_core-*.nbi"))

    @property
    def solver(self):
        """The generated numba module (rhs, jac, observe, integrate, integrate_batch)."""
        if self._solver is None:
            self._solver = build_solver_module(self.rhs_source, self.key, cache_dir())
        return self._solver


def cache_dir() -> Path:
    d = Path(os.environ.get("NICSIM_CACHE_DIR", Path.home() / ".cache" / "nicsim"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def _structure_key(states, parameters, exo, outputs, rates, out_exprs) -> str:
    h = hashlib.sha256(_CODEGEN_VERSION.encode())
    for group in ([s.id + str(s.nonnegative) for s in states], [p.id for p in parameters], exo,
                  [o.id for o in outputs]):
        h.update("|".join(group).encode())
    for e in list(rates) + list(out_exprs):
        h.update(sp.srepr(e).encode())
    return h.hexdigest()[:20]


def compile_network(network, *, observables_only: bool = True) -> CompiledModel:
    problems = network.unknown_symbols()
    if problems:
        raise ModelError("; ".join(problems))
    conns = network.connections()
    states = network.states()
    params = network.parameters()
    exo = network.exogenous_inputs()
    exo_names = sorted(exo)
    outputs = network.outputs()
    for s in states:
        if s.rate is None:
            raise ModelError(f"state {s.id} has no rate law")

    sub_input = {i.symbol: o.symbol for i, o in conns}
    sub_input.update({i.symbol: sp.Float(to_canonical(i.default, i.unit)[0])
                      for i in network.defaulted_inputs()})
    order = _toposort_outputs(outputs, sub_input)
    # full substitution of outputs (for the Jacobian and for exports)
    full: dict[sp.Symbol, sp.Expr] = {}
    for o in order:
        full[o.symbol] = o.expr.xreplace(sub_input).xreplace(full)
    rates = [s.rate.xreplace(sub_input).xreplace(full) for s in states]
    out_exprs = [full[o.symbol] for o in outputs]
    observed = [o for o in outputs if o.observable or not observables_only]
    key = _structure_key(states, params, exo_names, outputs, rates, out_exprs)

    src_file = cache_dir() / f"nicsim_src_{key}.txt"
    if src_file.exists():
        source = src_file.read_text(encoding="utf-8")
    else:
        source = _generate_source(states, params, exo_names, order, sub_input, rates, outputs)
        tmp = src_file.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(source, encoding="utf-8")
        os.replace(tmp, src_file)
    cm = CompiledModel(network, states, params, exo_names,
                       [exo[n].unit for n in exo_names], outputs, rates, out_exprs, key, source)
    cm.observed = observed
    return cm


def _generate_source(states, params, exo_names, order, sub_input, rates, outputs) -> str:
    names: dict[sp.Symbol, str] = {T: "t"}
    for i, s in enumerate(states):
        names[s.symbol] = f"s{i}"
    for j, p in enumerate(params):
        names[p.symbol] = f"p[{j}]"
    exo_sym = {}
    for k, n in enumerate(exo_names):
        exo_sym[sp.Symbol(f"exo.{n}", real=True)] = f"u[{k}]"
    names.update(exo_sym)
    out_index = {o.symbol: k for k, o in enumerate(outputs)}
    for o in outputs:
        names[o.symbol] = f"o{out_index[o.symbol]}"
    pr = _Printer(names)

    def state_loads():
        lines = []
        for i, s in enumerate(states):
            if s.nonnegative:
                # a tiny floor rather than 0 keeps Hill derivatives (x/k)^n / x finite
                lines.append(f"    s{i} = y[{i}] if y[{i}] > 1e-30 else 1e-30")
            else:
                lines.append(f"    s{i} = y[{i}]")
        return lines

    def output_lines():
        return [f"    o{out_index[o.symbol]} = {pr.doprint(o.expr.xreplace(sub_input))}"
                for o in order]

    lines = ["", _DECORATOR, "def rhs(t, y, p, u, out):"]
    lines += state_loads() + output_lines()
    for i, s in enumerate(states):
        lines.append(f"    out[{i}] = {pr.doprint(s.rate.xreplace(sub_input))}")
    lines += ["", "", _DECORATOR, "def observe(t, y, p, u, out):"]
    lines += state_loads() + output_lines()
    for k in range(len(outputs)):
        lines.append(f"    out[{k}] = o{k}")
    # Jacobian: differentiate the fully substituted rates, share subexpressions
    ysyms = [s.symbol for s in states]
    entries = []
    for i, r in enumerate(rates):
        for j, ys in enumerate(ysyms):
            if ys in r.free_symbols:
                d = sp.diff(r, ys)
                if d != 0:
                    entries.append((i, j, d))
    repl, reduced = sp.cse([e for _, _, e in entries], symbols=sp.numbered_symbols("c"),
                           optimizations=None)
    for sym, _ in repl:
        names[sym] = str(sym)
    lines += ["", "", _DECORATOR, "def jac(t, y, p, u, out):"]
    lines += state_loads()
    lines.append("    out[:, :] = 0.0")
    for sym, e in repl:
        lines.append(f"    {sym} = {pr.doprint(e)}")
    for (i, j, _), e in zip(entries, reduced, strict=True):
        lines.append(f"    out[{i}, {j}] = {pr.doprint(e)}")
    lines += ["", "", _DECORATOR, "def observe_series(ts, Y, p, U, out):",
              "    for k in range(ts.shape[0]):",
              "        observe(ts[k], Y[k], p, U[k], out[k])", ""]
    return "\n".join(lines) + "\n"


def canonical_units_of(objs) -> list[str]:
    return [f"{canonical_unit(o.unit):~P}" for o in objs]
