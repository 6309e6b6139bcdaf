"""Every validation row of this issue runs against its band.

A row that does not pass after honest calibration carries ``expected_failure`` (with the reason)
on its study class: the test then expects it to fail and tells us when it starts passing.
Bands are never widened here.
"""

import json
import math
from pathlib import Path

import pytest

from nicsim.experiments import STUDIES
from nicsim.experiments.targets import study_targets

ROWS = [cls for cls in STUDIES]
#: every row's check values as recorded by scripts/record_numbers_baseline.py (refactors change
#: no numbers; a change that moves them on purpose re-records and names the moved rows)
RECORDED = json.loads((Path(__file__).resolve().parents[1] / "data" / "numbers_baseline"
                       / "validation_values.json").read_text())


@pytest.mark.parametrize("cls", ROWS, ids=[c.id for c in ROWS])
def test_row(cls):
    study = cls()
    result = study.run()
    record = result.record()
    assert record["id"] == study.id
    assert record["status"] in ("pass", "fail")
    assert len(result.checks) >= 1
    table = [(t.metric, t.low, t.high, t.unit) for t in study_targets()[study.id]]
    measured = [(c.metric, c.lo, c.hi, c.unit) for c in result.checks]
    assert measured == table, f"{study.id}: checks and bands differ from targets.tsv"
    recorded = RECORDED.get(study.id)
    assert recorded is not None, f"{study.id} has no recorded values: re-record the baseline"
    got = [None if c.value is None else float(c.value) for c in result.checks]
    assert len(got) == len(recorded), f"{study.id}: {len(got)} checks, recorded {len(recorded)}"
    for c, g, w in zip(result.checks, got, recorded, strict=True):
        same = (g is None and w is None) or (
            g is not None and w is not None
            and (math.isnan(g) and math.isnan(w) or abs(g - w) <= 1e-9 * max(abs(w), 1e-12)))
        assert same, f"{study.id} {c.metric}: {g!r} != recorded {w!r} (numbers moved)"
    detail = "; ".join(f"{c.metric}={c.value:.4g} band {c.band_text()}" for c in result.checks)
    if study.expected_failure:
        if result.passed:
            pytest.fail(f"{study.id} now passes: remove expected_failure ({detail})")
        pytest.xfail(f"{study.id}: {study.expected_failure} ({detail})")
    assert result.passed, f"{study.id} fails: {detail}"
