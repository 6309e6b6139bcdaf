"""Compile a scenario into piecewise-constant model inputs and additive state jumps.

The solver integrates segment by segment: on ``[breaks[k], breaks[k+1])`` every input is
constant (``inputs[k]``), and ``jumps[k]`` is added to the jump targets at the start of segment
``k``. Compilation is a sweep over sorted change points (no per-hour loops), so five years of
daily events compile in milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from nicsim.errors import ScenarioError
from nicsim.protocols.events import (
    ENDOTOXIN_TARGET,
    INPUT_READERS,
    INTENSITY_CAPS,
    JUMP_PROVIDERS,
    KNOWN_INPUTS,
    KNOWN_JUMP_TARGETS,
)
from nicsim.protocols.scenario import Scenario

__all__ = ["INPUT_READERS", "INTENSITY_CAPS", "KNOWN_INPUTS", "KNOWN_JUMP_TARGETS", "Schedule",
           "compile_schedule", "merge_breaks"]
#: Breaks closer than this (hours) are merged.
BREAK_TOL = 1e-9


@dataclass(frozen=True)
class Schedule:
    """Piecewise-constant inputs and jumps on segments ``[breaks[k], breaks[k+1])`` (hours)."""

    breaks: np.ndarray  # (n_seg + 1,), breaks[0] = 0, breaks[-1] = duration, increasing
    inputs: np.ndarray  # (n_seg, n_inputs)
    input_names: tuple[str, ...]
    jumps: np.ndarray  # (n_seg, n_jump), added at the start of segment k
    jump_targets: tuple[str, ...]

    @property
    def n_segments(self) -> int:
        return int(self.breaks.size - 1)

    @property
    def duration_h(self) -> float:
        return float(self.breaks[-1])

    def _col(self, names: tuple[str, ...], name: str, what: str) -> int:
        try:
            return names.index(name)
        except ValueError:
            raise KeyError(f"no {what} {name!r}; this schedule has: {', '.join(names)}") from None

    def input(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(breaks, values) of one input as a step function (values[k] on segment k)."""
        return self.breaks, self.inputs[:, self._col(self.input_names, name, "input")]

    def jump(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(times, sizes) of the non-zero jumps on one target."""
        col = self.jumps[:, self._col(self.jump_targets, name, "jump target")]
        nz = np.nonzero(col)[0]
        return self.breaks[nz], col[nz]

    def segment_at(self, t: float | np.ndarray) -> np.ndarray | int:
        """Index of the segment containing time ``t`` (the last segment for t = duration)."""
        k = np.searchsorted(self.breaks, t, side="right") - 1
        k = np.clip(k, 0, self.n_segments - 1)
        return int(k) if np.ndim(k) == 0 else k

    def value_at(self, name: str, t: float | np.ndarray) -> float | np.ndarray:
        """Value of input ``name`` at time(s) ``t`` (right-continuous)."""
        _, v = self.input(name)
        out = v[self.segment_at(t)]
        return float(out) if np.ndim(out) == 0 else out

    def integral(self, name: str) -> float:
        """Integral of input ``name`` over the whole scenario (value x hours)."""
        _, v = self.input(name)
        return float(np.sum(v * np.diff(self.breaks)))


def merge_breaks(points: np.ndarray, duration_h: float, tol: float = BREAK_TOL) -> np.ndarray:
    """Sorted unique break points in [0, duration] with neighbours closer than ``tol`` merged;
    the first is 0 and the last exactly ``duration_h``."""
    p = np.unique(np.clip(np.concatenate([[0.0, duration_h], np.asarray(points, float)]),
                          0.0, duration_h))
    keep = np.concatenate([[True], np.diff(p) > tol])
    b = p[keep]
    b[0] = 0.0
    if b.size > 1 and duration_h - b[-1] <= tol:
        b[-1] = duration_h
    if b[-1] != duration_h:
        b = np.append(b, duration_h)
    return b


def _nearest(breaks: np.ndarray, t: np.ndarray) -> np.ndarray:
    i = np.clip(np.searchsorted(breaks, t), 1, breaks.size - 1)
    return np.where(t - breaks[i - 1] <= breaks[i] - t, i - 1, i)


def compile_schedule(scenario: Scenario, input_names: Sequence[str],
                     jump_targets: Sequence[str] = (ENDOTOXIN_TARGET,), *,
                     intensity_caps: Mapping[str, float] | None = None) -> Schedule:
    """Compile ``scenario`` for a model with inputs ``input_names`` and jump targets.

    Inputs the model lists that the compiler does not know stay 0. An event that needs an input
    or jump target the model does not have raises ScenarioError naming the event. Overlapping
    pulses of an input add, capped at ``intensity_caps[input]`` (default
    :data:`INTENSITY_CAPS`; ``{}`` gives the plain sums).
    """
    caps = INTENSITY_CAPS if intensity_caps is None else intensity_caps
    names = tuple(input_names)
    targets = tuple(jump_targets)
    for what, seq in (("input_names", names), ("jump_targets", targets)):
        if len(set(seq)) != len(seq) or not all(isinstance(n, str) for n in seq):
            raise ValueError(f"{what} must be unique strings, got {seq!r}")
    tl = scenario.timeline()
    for key, events in tl.drivers.items():
        if not events:
            continue
        is_jump = key in tl.jumps and key not in tl.pulses
        have = targets if is_jump else names
        if key not in have:
            i = events[0]
            kind = "state (jump target)" if is_jump else "input"
            provider = (JUMP_PROVIDERS if is_jump else INPUT_READERS).get(key)
            why = f" ({provider} not installed)" if provider else ""
            raise ScenarioError(
                f"protocol[{i}].type", scenario.protocol[i].type,
                f"the model has no {kind} {key!r}{why}, which this event drives; the model's "
                f"{'jump targets' if is_jump else 'inputs'} are: {', '.join(have) or '(none)'}")

    D = tl.duration_h
    pts = [np.concatenate([p.on, p.off]) for p in tl.pulses.values()]
    pts += [j.t for j in tl.jumps.values()]
    breaks = merge_breaks(np.concatenate(pts) if pts else np.zeros(0), D)
    n_seg = breaks.size - 1

    inputs = np.zeros((n_seg, len(names)))
    for col, name in enumerate(names):
        p = tl.pulses.get(name)
        if p is None or p.on.size == 0:
            continue
        i_on, i_off = _nearest(breaks, p.on), _nearest(breaks, p.off)
        values, inverse = np.unique(p.value, return_inverse=True)
        for k, v in enumerate(values):
            if v == 0.0:
                continue
            m = inverse == k
            # integer counts of active pulses: exact zeros where nothing is active
            diff = (np.bincount(i_on[m], minlength=n_seg + 1)
                    - np.bincount(i_off[m], minlength=n_seg + 1))
            inputs[:, col] += v * np.cumsum(diff)[:-1]
        if name in caps:
            np.minimum(inputs[:, col], caps[name], out=inputs[:, col])

    jumps = np.zeros((n_seg, len(targets)))
    for col, name in enumerate(targets):
        j = tl.jumps.get(name)
        if j is None or j.t.size == 0:
            continue
        idx = np.minimum(_nearest(breaks, j.t), n_seg - 1)
        jumps[:, col] = np.bincount(idx, weights=j.value, minlength=n_seg)

    for arr in (breaks, inputs, jumps):
        arr.setflags(write=False)
    return Schedule(breaks, inputs, names, jumps, targets)
