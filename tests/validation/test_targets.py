"""The study targets table (``nicsim/experiments/targets.tsv``): checked on load, and the one
place a band is written (studies, the validation report and the PEtab export read it)."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

import nicsim.experiments as experiments
from nicsim.core.bibliography import load_bibliography
from nicsim.experiments import STUDIES, study
from nicsim.experiments.targets import COLUMNS, TargetsError, parse_targets, study_targets, target

HEADER = "\t".join(COLUMNS)
GOOD = "V04\tpeak / baseline\t2.0\t4.0\tx\tsize\tkirschbaum1993 dickerson2004"


def _table(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def test_every_study_has_its_rows_and_every_row_a_study():
    table = study_targets()
    ids = {cls.id for cls in STUDIES}
    assert ids == set(table), (f"studies without targets: {sorted(ids - set(table))}; "
                               f"targets without a study: {sorted(set(table) - ids)}")


def test_refs_and_magnitude_come_from_the_table():
    bib = load_bibliography()
    for cls in STUDIES:
        rows = study_targets()[cls.id]
        assert cls.refs == tuple(dict.fromkeys(k for t in rows for k in t.source))
        assert cls.magnitude is any(t.kind == "size" for t in rows)
        missing = [k for t in rows for k in t.source if k not in bib]
        assert not missing, f"{cls.id}: citation keys not in references.bib: {missing}"


def test_no_study_writes_a_band_in_code():
    """A study measures ``self.check(metric, value)``; constructing ``Check(...)`` with a band in
    a study file would bypass the table."""
    folder = Path(experiments.__file__).parent
    offenders = []
    for path in sorted(folder.glob("*.py")):
        if path.name in ("base.py", "targets.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Check":
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, f"Check(...) with an inline band: {offenders}"


def test_check_reads_the_band_and_names_unknown_metrics():
    s = study("V04")
    c = s.check("peak / baseline", 2.5)
    t = target("V04", "peak / baseline")
    assert (c.lo, c.hi, c.unit) == (t.low, t.high, t.unit) == (2.0, 4.0, "x")
    assert c.passed
    with pytest.raises(TargetsError, match=r"row V04: no check 'peak height'.*'peak / baseline'"):
        s.check("peak height", 2.5)
    with pytest.raises(TargetsError, match="row 'V99' has no lines"):
        target("V99", "anything")


def test_parse_reads_open_sides_and_keeps_order():
    table = parse_targets(_table(GOOD, "V04\tlevel at 90 min\t-inf\t1.25\tx\tsize\tkirschbaum1993",
                                 "V27\trise\t1.0\tinf\t%\tdirection\tgrunfeld1996"))
    assert [t.metric for t in table["V04"]] == ["peak / baseline", "level at 90 min"]
    assert table["V04"][1].low == -math.inf and table["V27"][0].high == math.inf
    assert table["V04"][0].source == ("kirschbaum1993", "dickerson2004")
    assert table["V27"][0].kind == "direction"


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"),
    ("row\tmetric\tlow\thigh\tunit\tsource\n", r"line 1: header .* expected the tab-separated"),
    (_table("V04\tpeak\t2.0\t4.0\tx\tsize"), r"line 2: 6 columns; expected 7"),
    (_table("v 4\tpeak\t2.0\t4.0\tx\tsize\tk2000"), r"line 2, column 'row': 'v 4' is not a row"),
    (_table("V04\t\t2.0\t4.0\tx\tsize\tk2000"), r"column 'metric': an empty name"),
    (_table("V04\tpeak\ttwo\t4.0\tx\tsize\tk2000"), r"line 2, column 'low': 'two' is not a num"),
    (_table("V04\tpeak\t2.0\tnan\tx\tsize\tk2000"), r"column 'high': nan is not a band edge"),
    (_table("V04\tpeak\t4.0\t2.0\tx\tsize\tk2000"), r"column 'high': '2.0' is not above low"),
    (_table("V04\tpeak\t2.0\t4.0\tx\tbig\tk2000"), r"column 'kind': 'big' .* size, direction"),
    (_table("V04\tpeak\t2.0\t4.0\tx\tsize\t"), r"column 'source': '' is not allowed"),
    (_table("V04\tpeak\t2.0\t4.0\tx\tsize\tsmith, 2000"), r"column 'source': 'smith, 2000'"),
    (_table(GOOD, GOOD), r"line 3, column 'metric': 'peak / baseline' appears twice in row V04"),
])
def test_parse_errors_name_line_column_value_and_what_is_allowed(text, message):
    with pytest.raises(TargetsError, match=message):
        parse_targets(text, "targets.tsv")
