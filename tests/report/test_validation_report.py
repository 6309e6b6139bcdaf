"""The validation report: files, JSON records, summary line, figures, failing studies kept."""

from __future__ import annotations

import json
import re

import pytest

from nicsim.experiments import Study, StudyResult, study
from nicsim.report import run_validation, write_validation_report
from nicsim.report.validation import FailedStudyResult, _json_safe

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REQUIRED_KEYS = {"id", "status", "metric", "value", "band", "note", "title", "source", "checks"}
FAST_ROWS = ("V02", "V07", "V10")


class BrokenStudy(Study):
    id = "X99"
    title = "a study whose run raises"
    source = "test suite"
    protocol_text = "none: run() raises on purpose"

    def run(self, *, parameters=None, model=None) -> StudyResult:
        raise RuntimeError("deliberate breakage for the report test")

    def plot(self, result, ax):  # pragma: no cover - never reached
        raise AssertionError("plot must not be called for a failed study")


class BadPlotStudy(Study):
    """Runs (delegating to V07) but its figure raises: the row must stay."""

    id = "X98"
    title = "a study whose plot raises"
    source = "test suite"
    protocol_text = "V07 with a broken plot"
    expected_failure = "kept to check labelling"

    def run(self, *, parameters=None, model=None) -> StudyResult:
        res = study("V07").run(parameters=parameters, model=model)
        return StudyResult(self, res.checks, res.data, note="plot is broken on purpose")

    def plot(self, result, ax):
        raise ValueError("no figure today")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("validation")
    calls = []
    results = run_validation([study(r) for r in FAST_ROWS],
                             progress=lambda done, total, rid: calls.append((done, total, rid)))
    paths = write_validation_report(results, out, json_path=out / "validation.json")
    return out, results, paths, calls


def test_files_written(report):
    out, results, paths, _ = report
    assert paths["markdown"] == out / "validation.md" and paths["markdown"].is_file()
    assert paths["html"] == out / "validation.html" and paths["html"].is_file()
    assert paths["json"].is_file()
    for rid in FAST_ROWS:
        assert (out / "figures" / f"{rid}.png").is_file()
        assert paths[f"figure:{rid}"] == out / "figures" / f"{rid}.png"


def test_progress_called_per_study(report):
    _, _, _, calls = report
    assert calls == [(k + 1, len(FAST_ROWS), rid) for k, rid in enumerate(FAST_ROWS)]


def test_json_records(report):
    out, results, _, _ = report
    records = json.loads((out / "validation.json").read_text())
    assert isinstance(records, list) and len(records) == len(results) == len(FAST_ROWS)
    assert [r["id"] for r in records] == list(FAST_ROWS)
    for rec, res in zip(records, results, strict=True):
        assert REQUIRED_KEYS <= set(rec)
        assert rec["status"] in {"pass", "fail"}
        assert rec["status"] == res.status
        assert len(rec["band"]) == 2
        assert rec["checks"] and all({"metric", "value", "band", "status"} <= set(c)
                                     for c in rec["checks"])
        # the same content as StudyResult.record() (non-finite numbers as null), through JSON,
        # plus the row's classification (fitted or predicted, and by what)
        assert rec["kind"] in ("fitted", "predicted")
        assert isinstance(rec["magnitude"], bool)
        assert bool(rec["fitted_by"]) == (rec["kind"] == "fitted")
        plain = {k: v for k, v in rec.items() if k not in ("kind", "fitted_by", "cite_its_paper")}
        assert plain == json.loads(json.dumps(_json_safe(res.record())))


def test_markdown_summary_and_rows(report):
    out, results, _, _ = report
    md = (out / "validation.md").read_text()
    n_pass = sum(r.passed for r in results)
    line = f"{n_pass} of {len(results)} rows pass"
    assert line in md
    # the summary is at the top, before the table
    assert md.index(line) < md.index("| id | title | status")
    for rid in FAST_ROWS:
        assert re.search(rf"^\| {rid} \|", md, re.M), f"no table row for {rid}"
        assert f"## {rid} - " in md
        assert f"figures/{rid}.png" in md
    # provenance: model version and what the parameter set was fitted to
    from nicsim import __version__
    from nicsim.parameter_sets import load_parameter_set

    assert f"nicsim {__version__}" in md
    fitted = load_parameter_set("default")["fitted_to"]
    assert ", ".join(str(x) for x in fitted) in md
    # every check of every row is listed with its band
    for res in results:
        for c in res.checks:
            assert c.metric in md and c.band_text() in md


def test_html_summary_and_images(report):
    out, results, _, _ = report
    page = (out / "validation.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert f"{sum(r.passed for r in results)} of {len(results)} rows pass" in page
    assert "<script" not in page
    for rid in FAST_ROWS:
        assert f'src="figures/{rid}.png"' in page


def test_pngs_valid(report):
    out, _, _, _ = report
    for rid in FAST_ROWS:
        data = (out / "figures" / f"{rid}.png").read_bytes()
        assert data[:8] == PNG_MAGIC
        assert len(data) > 5_000


def test_broken_study_is_a_failing_row(tmp_path):
    results = run_validation([BrokenStudy(), study("V02")])
    assert len(results) == 2
    bad = results[0]
    assert isinstance(bad, FailedStudyResult) and bad.status == "fail"
    assert "deliberate breakage" in bad.note and "RuntimeError" in bad.note
    assert results[1].study.id == "V02"

    paths = write_validation_report(results, tmp_path, json_path=tmp_path / "v.json")
    records = json.loads(paths["json"].read_text())
    assert [r["id"] for r in records] == ["X99", "V02"]
    assert records[0]["status"] == "fail"
    assert "deliberate breakage" in records[0]["note"]
    md = paths["markdown"].read_text()
    assert re.search(r"^\| X99 \|.*FAIL.*deliberate breakage", md, re.M)
    assert f"{int(results[1].passed)} of 2 rows pass" in md
    assert "deliberate breakage" in paths["html"].read_text()
    png = (tmp_path / "figures" / "X99.png").read_bytes()
    assert png[:8] == PNG_MAGIC


def test_bad_plot_and_expected_failure_label(tmp_path):
    res = run_validation([BadPlotStudy()])[0]
    assert not isinstance(res, FailedStudyResult)
    paths = write_validation_report([res], tmp_path)
    md = paths["markdown"].read_text()
    assert "plot failed: ValueError: no figure today" in md
    assert (tmp_path / "figures" / "X98.png").read_bytes()[:8] == PNG_MAGIC
    if not res.passed:
        assert "FAIL (expected failure)" in md
        assert "expected failure: kept to check labelling" in md
    else:
        assert "pass (marked expected failure)" in md
