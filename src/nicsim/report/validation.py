"""The validation report: every published study re-run in silico, one row each, none hidden.

:func:`run_validation` runs the studies (all of :func:`nicsim.experiments.all_studies` by
default); a study that raises becomes a failing row whose note carries the error instead of
stopping the report. :func:`write_validation_report` writes ``validation.md``,
``validation.html``, one figure per row under ``figures/`` and, optionally, the JSON records
(one per row, as :meth:`StudyResult.record` returns them, plus ``kind``: "fitted" or
"predicted", and ``fitted_by``; see :mod:`nicsim.experiments.row_kinds`).

The headline separates fit from prediction: how many fitted rows pass, how many predicted rows
pass, and how many of the predicted rows are magnitude rows (not direction only).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import traceback as _tb
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nicsim._version import __version__
from nicsim.experiments import all_studies
from nicsim.experiments.base import Check, Study, StudyResult
from nicsim.experiments.row_kinds import RowKind, classify_studies
from nicsim.io.output import OutputFolder, write_text
from nicsim.parameter_sets import load_parameter_set
from nicsim.report import plots
from nicsim.report.html import Cell, Page, link
from nicsim.report.markdown import md_cell, md_table

ProgressFn = Callable[[int, int, str], None]

#: Metric of the single check of a study that raised (value 0 = no, band [1, 1] = yes).
ERROR_METRIC = "study ran to completion (1 = yes)"


@dataclass
class FailedStudyResult(StudyResult):
    """The row of a study whose ``run`` (or read-out) raised: always failing, the error in the
    note, the traceback kept for the report."""

    error: str = ""
    traceback: str = ""


def failed_result(study: Study, exc: BaseException) -> FailedStudyResult:
    """A failing row for ``study`` that records ``exc``."""
    message = f"{type(exc).__name__}: {exc}".strip()
    return FailedStudyResult(
        study=study, checks=[Check(ERROR_METRIC, 0.0, 1.0, 1.0)], data={},
        note=f"error while running the study: {message}", error=message,
        traceback="".join(_tb.format_exception(type(exc), exc, exc.__traceback__)))


def run_validation(studies: Iterable[Study] | None = None, *,
                   parameters: Mapping[str, float] | None = None,
                   progress: ProgressFn | None = None) -> list[StudyResult]:
    """Run each study (``all_studies()`` by default) with optional parameter overrides.

    Returns one result per study, in order. A study that raises, or returns something that is
    not a :class:`StudyResult` with at least one check, yields a :class:`FailedStudyResult`
    (status "fail", the error in its note). ``progress(done, total, study_id)`` is called after
    each study.
    """
    if studies is None:
        studies = all_studies()
    studies = list(studies)
    total = len(studies)
    results: list[StudyResult] = []
    for k, st in enumerate(studies):
        try:
            res = st.run(parameters=dict(parameters) if parameters else None)
            if not isinstance(res, StudyResult):
                raise TypeError(f"run() returned {type(res).__name__}, not a StudyResult")
            if not res.checks:
                raise ValueError("run() returned a result without any check")
            res.record()  # the read-outs must be reportable
        except Exception as exc:  # noqa: BLE001 - a failing study is a failing row
            res = failed_result(st, exc)
        results.append(res)
        if progress is not None:
            progress(k + 1, total, _row_id(st))
    return results


# ================================================================================= helpers
def _row_id(study: Study) -> str:
    return str(getattr(study, "id", "") or type(study).__name__)


def _json_safe(obj):
    """Non-finite floats (NaN, unbounded band edges) become null: strict JSON has no NaN/inf."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return _json_safe(obj.item())
    return obj


def _record(res: StudyResult, kind: RowKind | None = None) -> dict:
    try:
        rec = res.record()
    except Exception as exc:  # noqa: BLE001 - never lose a row
        rec = failed_result(res.study, exc).record()
    rec["kind"] = kind.kind if kind else "unknown"
    rec["fitted_by"] = list(kind.fitted_by) if kind and kind.kind == "fitted" else []
    if kind and kind.kind == "predicted" and kind.shared_refs:
        rec["cite_its_paper"] = list(kind.shared_refs)
    return rec


def fmt(x: float | None, digits: int = 4) -> str:
    if x is None:
        return "n/a"
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(x):
        return "n/a" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return f"{x:.{digits}g}"


def status_label(res: StudyResult) -> tuple[str, str]:
    """(label, css class) of a row: pass, FAIL, FAIL (error) or FAIL (expected failure)."""
    xf = res.study.expected_failure
    if isinstance(res, FailedStudyResult):
        return "FAIL (error)", "fail"
    if res.passed:
        return ("pass (marked expected failure)", "pass") if xf else ("pass", "pass")
    return ("FAIL (expected failure)", "xfail") if xf else ("FAIL", "fail")


def summary_line(results: Sequence[StudyResult]) -> str:
    n = sum(1 for r in results if r.passed)
    return f"{n} of {len(results)} rows pass"


def row_kinds(results: Sequence[StudyResult], parameter_set: str = "default"
              ) -> dict[str, RowKind]:
    """Fitted/predicted classification of the results' rows (see
    :mod:`nicsim.experiments.row_kinds`); a classification that cannot be made marks every row
    "unknown" with the reason rather than losing the report."""
    studies = [r.study for r in results]
    try:
        return classify_studies(studies, parameter_set=parameter_set)
    except Exception as exc:  # noqa: BLE001 - the report still lists every row
        why = f"classification failed: {type(exc).__name__}: {exc}"
        return {_row_id(s): RowKind(_row_id(s), "unknown", (why,)) for s in studies}


def headline(results: Sequence[StudyResult], kinds: Mapping[str, RowKind]) -> list[str]:
    """The report's headline: fitted rows passing, predicted rows passing (and how many of
    the predicted rows are magnitude rows, and how many of those pass), all rows passing."""
    def kind_of(r):
        k = kinds.get(_row_id(r.study))
        return k.kind if k else "unknown"

    fitted = [r for r in results if kind_of(r) == "fitted"]
    predicted = [r for r in results if kind_of(r) == "predicted"]
    magnitude = [r for r in predicted if r.study.magnitude is True]
    n_mag = sum(r.passed for r in magnitude)
    lines = [
        f"Fitted rows passing: {sum(r.passed for r in fitted)} of {len(fitted)}",
        f"Predicted rows passing: {sum(r.passed for r in predicted)} of {len(predicted)} "
        f"({len(magnitude)} of the {len(predicted)} predicted rows are magnitude rows, of "
        f"which {n_mag} {'passes' if n_mag == 1 else 'pass'})",
    ]
    unknown = [r for r in results if kind_of(r) not in ("fitted", "predicted")]
    if unknown:
        lines.append(f"Rows not classified: {', '.join(_row_id(r.study) for r in unknown)}")
    lines.append(f"All rows: {summary_line(results)}")
    return lines


def provenance(parameter_set: str = "default") -> dict:
    """Model version and parameter set that produced a report."""
    try:
        ps = load_parameter_set(parameter_set)
    except Exception as exc:  # noqa: BLE001 - still report what we know
        ps = {"fitted_to": [], "error": str(exc)}
    return {
        "nicsim_version": __version__, "parameter_set": parameter_set,
        "fitted_to": [str(x) for x in (ps.get("fitted_to") or [])],
        "parameter_set_code_version": ps.get("code_version"),
        "objective": ps.get("objective"),
        "generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _file_stem(row_id: str, used: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", row_id).strip("._") or "row"
    base, k = stem, 2
    while stem in used:
        stem, k = f"{base}_{k}", k + 1
    used.add(stem)
    return stem


def render_figure(res: StudyResult, path: Path) -> str | None:
    """Draw the row's figure to ``path``; returns a problem text when the plot could not be
    drawn (a figure saying so is written instead)."""
    st = res.study
    title = f"{_row_id(st)} - {st.title}"
    problem = None
    if isinstance(res, FailedStudyResult):
        fig = plots.message_figure(title, f"No figure: the study failed. {res.error}")
    else:
        fig, ax = plots.new_figure(figsize=(7.0, 4.4))
        try:
            st.plot(res, ax)
            ax.set_title(plots.wrap_title(title), fontsize="medium")
            plots.add_legend(ax)
        except Exception as exc:  # noqa: BLE001 - the row stays, with a figure that says why
            problem = f"plot failed: {type(exc).__name__}: {exc}"
            fig.clear()
            fig = plots.message_figure(title, f"No figure: {problem}")
    plots.save_figure(fig, path, dpi=plots.DPI)
    return problem


# ================================================================================= writing
@dataclass
class _Row:
    res: StudyResult
    record: dict
    stem: str
    figure: Path
    plot_problem: str | None
    label: str
    css: str
    kind: RowKind

    @property
    def kind_cell(self) -> str:
        mag = {True: "magnitude", False: "direction"}.get(self.res.study.magnitude, "undeclared")
        return f"{self.kind.kind}, {mag}"


def write_validation_report(results: Sequence[StudyResult], out_dir: str | Path, *,
                            json_path: str | Path | None = None,
                            parameters: Mapping[str, float] | None = None,
                            parameter_set: str = "default") -> dict[str, Path]:
    """Write the report for ``results`` into ``out_dir``.

    Files: ``validation.md``, ``validation.html``, ``figures/<id>.png`` per row and, with
    ``json_path``, a JSON list of :meth:`StudyResult.record` dicts (non-finite numbers as null).
    ``parameters`` (overrides used in :func:`run_validation`) are listed in the provenance.
    Returns ``{"markdown", "html", "figures", ["json"], "figure:<id>" ...}`` -> path.
    """
    out = Path(out_dir)
    folder = OutputFolder(out)
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    prov = provenance(parameter_set)
    kinds = row_kinds(results, parameter_set)
    used: set[str] = set()
    rows: list[_Row] = []
    paths: dict[str, Path] = {}
    for res in results:
        rid = _row_id(res.study)
        stem = _file_stem(rid, used)
        fpath = fig_dir / f"{stem}.png"
        problem = render_figure(res, fpath)
        label, css = status_label(res)
        kind = kinds.get(rid) or RowKind(rid, "unknown")
        rows.append(_Row(res, _record(res, kind), stem, fpath, problem, label, css, kind))
        paths[f"figure:{stem}"] = fpath

    md_path = out / "validation.md"
    write_text(md_path, _markdown(rows, prov, parameters))
    html_path = _html_page(rows, prov, parameters).write(out / "validation.html")
    paths = {"markdown": md_path, "html": html_path, "figures": fig_dir, **paths}
    if json_path is not None:
        jp = Path(json_path)
        jp.parent.mkdir(parents=True, exist_ok=True)
        write_text(jp, json.dumps([_json_safe(r.record) for r in rows], indent=2,
                                  allow_nan=False) + "\n")
        paths["json"] = jp
    folder.finish()
    return paths


def _provenance_lines(prov: dict, parameters: Mapping[str, float] | None) -> list[str]:
    fitted = ", ".join(prov["fitted_to"]) or "none recorded"
    lines = [
        f"Model: nicsim {prov['nicsim_version']}; parameter set '{prov['parameter_set']}' "
        f"(code version {prov['parameter_set_code_version']}), fitted to rows: {fitted}.",
        "A row is 'fitted' when a parameter's Fitted source or a part of the parameter set "
        "names it (a tightened row such as V10b when its parent row is fitted): it shows that "
        "the model can match the study, not that it predicts it. Every other row is "
        "'predicted'. 'magnitude' rows hold the model to a published size, 'direction' rows "
        "only to a sign or ordering. Rows V31-V37 are prediction rows: nothing may be fitted "
        "to them (nicsim lint checks).",
    ]
    if parameters:
        over = ", ".join(f"{k} = {v:g}" for k, v in parameters.items())
        lines.append(f"Parameter overrides on top of the set: {over}.")
    lines.append(f"Generated {prov['generated']}.")
    return lines


def _overview(rows: Sequence[_Row]) -> list[str]:
    fail = [r for r in rows if not r.res.passed]
    xf = [r for r in fail if r.css == "xfail"]
    err = [r for r in fail if isinstance(r.res, FailedStudyResult)]
    out = []
    if fail:
        out.append("Failing rows: " + ", ".join(r.record["id"] for r in fail) + ".")
    if xf:
        out.append("Of these, documented expected failures: "
                   + ", ".join(r.record["id"] for r in xf) + ".")
    if err:
        out.append("Rows whose study raised an error: "
                   + ", ".join(r.record["id"] for r in err) + ".")
    return out


def _worst_cells(row: _Row) -> tuple[str, str, str]:
    w = row.res.worst()
    return w.metric, fmt(w.value), w.band_text()


def _headline(rows: Sequence[_Row]) -> list[str]:
    return headline([r.res for r in rows], {r.record["id"]: r.kind for r in rows})


def _row_details(r: _Row) -> list[str]:
    """The lines under a row's heading after its status: protocol, source, expected failure,
    note, kind and any figure problem (the Markdown and the HTML page show the same)."""
    st = r.res.study
    lines = [f"Protocol: {st.protocol_text or 'not given'}", f"Source: {st.source or 'not given'}"]
    if st.expected_failure:
        lines.append(f"Expected failure: {st.expected_failure}")
    if r.res.note:
        lines.append(f"Note: {r.res.note}")
    lines.append(f"Kind: {r.kind_cell}; {r.kind.describe()}")
    if r.plot_problem:
        lines.append(f"Figure: {r.plot_problem}")
    return lines


def _markdown(rows: Sequence[_Row], prov: dict, parameters) -> str:
    L = ["# nicsim validation report", ""]
    L += [f"- **{line}**" for line in _headline(rows)] + [""]
    L += [*_provenance_lines(prov, parameters), ""]
    ov = _overview(rows)
    if ov:
        L += [" ".join(ov), ""]
    L += [md_table(["id", "title", "status", "worst metric", "value", "band", "note", "kind"],
                   [[r.record["id"], r.record["title"], r.label, *_worst_cells(r),
                     r.record["note"], r.kind_cell] for r in rows]), ""]
    for r in rows:
        st = r.res.study
        L += [f"## {r.record['id']} - {st.title}", "", f"- Status: **{r.label}**"]
        L += [f"- {line}" for line in _row_details(r)]
        L += ["", md_table(["metric", "value", "band", "result"],
                           [[c.metric, fmt(c.value), c.band_text(), "pass" if c.passed else "FAIL"]
                            for c in r.res.checks]), ""]
        if isinstance(r.res, FailedStudyResult) and r.res.traceback:
            L += ["```text", r.res.traceback.rstrip(), "```", ""]
        rel = r.figure.relative_to(r.figure.parent.parent).as_posix()
        L += [f"![{r.record['id']} - {md_cell(st.title)}]({rel})", ""]
    return "\n".join(L)


def _html_page(rows: Sequence[_Row], prov: dict, parameters) -> Page:
    page = Page("nicsim validation report")
    for line in _headline(rows):
        page.paragraph(line, css_class="summary")
    for line in _provenance_lines(prov, parameters):
        page.paragraph(line, css_class="meta")
    ov = _overview(rows)
    if ov:
        page.paragraph(" ".join(ov))
    table_rows = []
    for r in rows:
        metric, value, band = _worst_cells(r)
        rid = r.record["id"]
        table_rows.append([link(f"#row-{r.stem}", rid), r.record["title"],
                           Cell(r.label, "status"), metric, Cell(value, "num"), band,
                           r.record["note"], r.kind_cell])
    page.table(["id", "title", "status", "worst metric", "value", "band", "note", "kind"],
               table_rows, row_classes=[r.css for r in rows])
    for r in rows:
        st = r.res.study
        page.heading(f"{r.record['id']} - {st.title}", 2, anchor=f"row-{r.stem}")
        page.bullets([f"Status: {r.label}", *_row_details(r)])
        page.table(["metric", "value", "band", "result"],
                   [[c.metric, Cell(fmt(c.value), "num"), c.band_text(),
                     Cell("pass" if c.passed else "FAIL", "status")] for c in r.res.checks],
                   row_classes=["pass" if c.passed else "fail" for c in r.res.checks])
        if isinstance(r.res, FailedStudyResult) and r.res.traceback:
            page.pre(r.res.traceback.rstrip())
        rel = r.figure.relative_to(r.figure.parent.parent).as_posix()
        page.figure(rel, alt=f"{r.record['id']} figure", caption=f"{r.record['id']} - {st.title}")
    return page


__all__ = ["ERROR_METRIC", "FailedStudyResult", "failed_result", "headline", "provenance",
           "row_kinds", "run_validation", "status_label", "summary_line",
           "write_validation_report"]
