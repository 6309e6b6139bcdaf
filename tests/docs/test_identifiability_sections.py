"""docs/calibration.md: an identifiability section computed at other values than those shipped
is marked out of date (scripts/make_docs.py), not presented as current."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

SECTION = """### Group `demo`

Objective at the shipped optimum: 0.1.

| parameter | value | bounds | SE (log10) |
|---|---|---|---|
| `a.gain` | 2.141 | 0.1 - 10 | 0.1 |
| `a.rate` | 0.0963 | 0.01 - 1 | 0.1 |
"""


def make_docs():
    import make_docs as module  # scripts/make_docs.py

    return module


def test_a_section_at_the_shipped_values_is_current():
    m = make_docs()
    assert m.identifiability_mismatches(SECTION, {"a.gain": 2.14142, "a.rate": 0.0963024}) == []


def test_a_section_at_other_values_is_named_out_of_date():
    m = make_docs()
    bad = m.identifiability_mismatches(SECTION, {"a.gain": 1.77288, "a.rate": 0.0963024})
    assert bad == [("a.gain", 2.141, 1.77288)]
