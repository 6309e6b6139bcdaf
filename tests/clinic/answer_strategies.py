"""Hypothesis strategies for complete, valid instrument answers (shared by the tests)."""

from __future__ import annotations

from hypothesis import strategies as st


def item_value(item):
    """A strategy for one valid answer to ``item`` (choice: an option code with a score)."""
    if item.kind == "choice":
        return st.sampled_from([o.code for o in item.options if o.score is not None])
    if item.kind == "time":
        return st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
    step = item.step or (1.0 if item.kind == "integer" else 0.25)
    n = int(round((item.max - item.min) / step))
    conv = int if item.kind == "integer" else float
    return st.integers(0, n).map(lambda k: conv(round(item.min + k * step, 6)))


def complete_answers(inst):
    """A strategy for a complete, valid set of answers (follow-ups left out: DLQI q7 is drawn
    from its scored options only)."""
    items = [i for i in inst.items if i.enable_when is None]
    return st.fixed_dictionaries({i.id: item_value(i) for i in items})
