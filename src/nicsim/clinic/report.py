"""Client report: one HTML and one PDF page set per client folder (``nicsim clinic report``).

Contents, in order: the wellness disclaimer; referral flags from the questionnaires (a red box,
before anything else); questionnaire scores over time against their published bands; the
diary (severity, itch, stress); personal triggers (:mod:`nicsim.clinic.triggers`); the plan;
projected vs observed since the plan began, with the on-course verdict and the personal
parameters. Every figure is a plot (matplotlib, embedded as PNG). The PDF is rendered from the
same HTML by WeasyPrint (``report`` extra; it needs the Pango library, which
``scripts/install_system_deps.sh`` installs where it is missing).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nicsim._version import __version__
from nicsim.clinic.client import load_client
from nicsim.clinic.instruments import default_registry
from nicsim.clinic.projection import PERSONAL_PARAMETERS, ProjectionError, compare, fit, project
from nicsim.clinic.triggers import find_triggers
from nicsim.errors import NicsimError

DISCLAIMER = ("This report supports a wellness conversation between a client and her "
              "practitioner; it is not a diagnosis and does not replace a doctor. Refer onward "
              "when a screen calls for it (see the referral flags).")
CONDITION_LABELS = {"eczema": "atopic eczema", "psoriasis": "psoriasis", "acne": "acne",
                    "rosacea": "rosacea"}
ARM_COLOURS = {"no change": "#8a8a8a"}
PLAN_COLOUR = "#1f77b4"


@dataclass
class ReportResult:
    """Paths written and the key numbers shown."""

    html: Path
    pdf: Path | None
    flags: list[dict[str, Any]]
    course: Any | None
    projection: Any | None


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _flags(client) -> list[dict[str, Any]]:
    out = []
    for c in client.consultations:
        for r in c.results:
            for f in r.flags:
                out.append({"date": c.date.isoformat(), "instrument": r.instrument,
                            "level": f.level, "message": f.message, "reason": f.reason})
    order = {"urgent": 0, "refer": 1}
    return sorted(out, key=lambda f: (order.get(f["level"], 2), f["date"]))


def scores_figure(client):
    """One panel per instrument: totals over time on the instrument's bands."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    reg = default_registry()
    series: dict[str, list[tuple[dt.date, float]]] = {}
    for c in client.consultations:
        for r in c.results:
            if r.total is not None:
                series.setdefault(r.instrument, []).append((c.date, float(r.total)))
    if not series:
        return None
    n = len(series)
    cols = 2 if n > 1 else 1
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.3 * rows), squeeze=False)
    shades = ["#e8f5e9", "#fff8e1", "#ffe0b2", "#ffccbc", "#ffcdd2"]
    for ax, (iid, pts) in zip(axes.flat, series.items(), strict=False):
        inst = reg.get(iid, role="clinician")
        lo, hi = inst.score_range if inst.score_range else (0, max(v for _, v in pts))
        bands = list(inst.bands or ())
        good_high = iid == "who5"
        for k, b in enumerate(bands):
            colour = shades[(len(bands) - 1 - k) if good_high else k] if k < len(shades) \
                else shades[-1]
            ax.axhspan(b.min - 0.5, b.max + 0.5, color=colour, lw=0)
            ax.text(1.01, (b.min + b.max) / 2, b.label, transform=ax.get_yaxis_transform(),
                    fontsize=6.5, va="center", color="#555")
        d, v = zip(*pts, strict=True)
        ax.plot(d, v, "o-", color="#333", lw=1.5, ms=5)
        ax.set_ylim(lo, hi)
        ax.set_title(f"{inst.short_name} ({lo:g}-{hi:g})", fontsize=9, loc="left")
        ax.tick_params(labelsize=7)
        ax.set_xticks(d, [f"{x:%d %b}" for x in d])
        ax.set_xlim(d[0] - dt.timedelta(days=5), d[-1] + dt.timedelta(days=5))
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def diary_figure(client, plan_start: dt.date | None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = client.series()
    scale = client.diary.scale
    fig, axes = plt.subplots(3, 1, figsize=(9, 5.2), sharex=True)
    for ax, y, label, colour in ((axes[0], s.severity, scale.label, "#c0392b"),
                                 (axes[1], s.itch, "itch NRS 0-10", "#8e44ad"),
                                 (axes[2], s.stress, "stress 0-10", "#2c3e50")):
        ax.plot(s.dates, y, "-o", ms=2.5, lw=1, color=colour)
        ax.set_ylabel(label if len(label) < 22 else label[:20] + "...", fontsize=8)
        ax.tick_params(labelsize=7)
        for k, rec in enumerate(s.recorded):
            if not rec:
                ax.axvspan(s.dates[k] - dt.timedelta(hours=12), s.dates[k] +
                           dt.timedelta(hours=12), color="#ddd", lw=0)
        if plan_start is not None:
            ax.axvline(plan_start, ls="--", color=PLAN_COLOUR, lw=1)
    axes[0].set_title("Diary", fontsize=10, loc="left")
    axes[-1].xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b"))
    fig.tight_layout()
    return fig


def projection_figure(projection, observed, fit_series, scale_label: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.6))
    recent = fit_series.tail(min(28, len(fit_series)))
    ax.plot(recent.dates, recent.severity, "o", ms=3, color="#555", label="recorded (fit)")
    ax.plot(recent.dates, projection.fit.fitted["severity"][-len(recent):], "-",
            color="#555", lw=1, label="fitted model")
    for name, arm in projection.arms.items():
        lo, med, hi = arm.band("severity")
        colour = ARM_COLOURS.get(name, PLAN_COLOUR)
        label = "no change" if name == "no change" else f"plan: {name}"
        ax.fill_between(projection.dates, lo, hi, color=colour, alpha=0.22, lw=0)
        ax.plot(projection.dates, med, color=colour, lw=2, label=f"{label} (median, 80 %)")
    if observed is not None:
        ax.plot(observed.dates, observed.severity, "o", ms=4, color="#c0392b",
                label="recorded since the plan began")
    ax.axvline(projection.dates[0] - dt.timedelta(hours=12), ls="--", color=PLAN_COLOUR, lw=1)
    ax.set_ylabel(scale_label if len(scale_label) < 30 else scale_label[:28] + "...",
                  fontsize=8)
    ax.tick_params(labelsize=7)
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b"))
    ax.legend(fontsize=7, ncol=2, loc="upper left", frameon=False)
    ax.set_title("Severity: projected and observed", fontsize=10, loc="left")
    fig.tight_layout()
    return fig


def parameters_figure(fit):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summ = fit.summary()
    fig, ax = plt.subplots(figsize=(6.5, 0.55 * len(summ) + 0.8))
    for k, (name, s) in enumerate(summ.items()):
        p = PERSONAL_PARAMETERS[name]
        plo = p.median * math.exp(-1.2816 * p.sigma)
        phi = p.median * math.exp(1.2816 * p.sigma)
        ax.plot([plo, phi], [k + 0.15] * 2, color="#bbb", lw=5, solid_capstyle="butt",
                label="population prior (80 %)" if k == 0 else None)
        ax.plot([s["lo80"], s["hi80"]], [k - 0.15] * 2, color=PLAN_COLOUR, lw=3,
                label="this client (80 %)" if k == 0 else None)
        ax.plot([s["median"]], [k - 0.15], "o", color=PLAN_COLOUR)
    ax.set_yticks(range(len(summ)), [s["label"] for s in summ.values()], fontsize=8)
    ax.set_xscale("log")
    ticks = [0.25, 0.5, 1, 2, 4]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(0.2, 5)
    ax.axvline(1.0, color="#999", lw=0.8, ls=":")
    ax.set_xlabel("multiplier (1 = typical; log scale)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.35),
              ncol=2)
    ax.invert_yaxis()
    fig.tight_layout()
    return fig


def render_pdf(html: str, path: Path, base_url: str | None = None) -> Path:
    """HTML -> PDF with WeasyPrint; a clear error where WeasyPrint or Pango is missing."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise NicsimError(f"PDF: WeasyPrint cannot be loaded ({exc}); install the 'report' extra "
                          "(pip install 'nicsim[report]') and the Pango library "
                          "(scripts/install_system_deps.sh), or pass --no-pdf") from None
    HTML(string=html, base_url=base_url).write_pdf(path)
    return path


def make_report(client_dir: str | Path, out_dir: str | Path | None = None, *, pdf: bool = True,
                weeks: int = 8, n_draws: int = 40, n_futures: int = 4, seed: int = 0,
                fit_max_iter: int = 10, progress=None) -> ReportResult:
    """Write ``report.html`` (and ``report.pdf``) for a client folder into ``out_dir``
    (default: ``CLIENT_DIR/report``). ``fit_max_iter``, ``n_draws`` and ``n_futures`` size the
    fit and the projection (:func:`nicsim.clinic.projection.fit`, ``project``)."""
    import jinja2

    client = load_client(client_dir)
    out = Path(out_dir) if out_dir else Path(client_dir) / "report"
    out.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda msg: None)
    s = client.series()
    scale = client.diary.scale
    flags = _flags(client)
    ctx: dict[str, Any] = {
        "client_id": client.client_id, "description": client.description,
        "condition_label": CONDITION_LABELS.get(client.profile.condition,
                                                client.profile.condition),
        "period": f"{s.dates[0]:%d %b %Y} to {s.dates[-1]:%d %b %Y}",
        "n_days": len(s), "n_recorded": int(s.recorded.sum()),
        "made": dt.date.today().isoformat(), "disclaimer": DISCLAIMER, "flags": flags,
        "version": __version__, "scale_label": scale.label,
        "plan_start": client.plan_start.isoformat() if client.plan_start else None,
    }
    say("scores and diary figures")
    fig = scores_figure(client)
    ctx["scores_figure"] = _png(fig) if fig is not None else None
    ctx["copyright_note"] = " ".join(sorted({r.copyright for c in client.consultations
                                             for r in c.results if r.copyright}))
    ctx["diary_figure"] = _png(diary_figure(client, client.plan_start))
    # triggers
    say("personal triggers")
    try:
        tr = find_triggers(client.diary, outcome="severity")
        claimed = tr.claimed()
        ctx["trigger_sentences"] = [r.sentence for r in claimed] or [
            "No trigger passed the test (false-discovery rate "
            f"{tr.fdr:.0%}) in this diary; the exposures tested are shown in the lag plot."]
        buf = out / "triggers.png"
        tr.plot(buf)
        ctx["trigger_figure"] = "data:image/png;base64," + base64.b64encode(
            buf.read_bytes()).decode("ascii")
        ctx["trigger_method"] = f"Method: {tr.method}"
    except (ImportError, NicsimError) as exc:
        ctx["trigger_sentences"] = []
        ctx["trigger_note"] = f"Trigger analysis not available: {exc}"
    # plan
    plan = client.plan
    ctx["plan_name"] = plan.name if plan else ""
    ctx["plan_description"] = plan.description if plan else ""
    ctx["plan_lines"] = plan.describe() if plan else []
    # projection
    course = proj = None
    try:
        before, after = client.split()
        say(f"fitting personal parameters to {len(before)} diary days")
        fitted = fit(before, client.profile, cortisol=client.cortisol,
                     severity_scale=client.severity_scale or None, max_iter=fit_max_iter,
                     progress=say)
        say("projecting")
        proj = project(fitted, plan, weeks=weeks, n_draws=n_draws, n_futures=n_futures,
                       rng=seed, progress=say)
        if after is not None:
            course = compare(proj, after)
            ctx["course_sentence"] = course.sentence
        else:
            ctx["course_sentence"] = ("The plan has not begun inside the diary yet: the "
                                      "figure shows what the model expects from here.")
        ctx["projection_figure"] = _png(projection_figure(proj, after, before, scale.label))
        ctx["parameters_figure"] = _png(parameters_figure(fitted))
        ctx["n_fit_days"] = len(before)
        ctx["projection_method"] = (
            "Method: the model is driven by the diary (stress rating as the day's stress load, "
            "short nights, practices and products on the days recorded); stress reactivity, "
            "distress sensitivity and condition susceptibility are fitted (Laplace posterior, "
            "priors from the virtual population); future weeks are the client's own recorded "
            "weeks drawn at random. See docs/clinic.md, 'Projection'.")
        (out / "projection.json").write_text(
            json.dumps(proj.to_dict(), indent=1), encoding="utf-8")
    except (ProjectionError, NicsimError) as exc:
        ctx["projection_figure"] = None
        ctx["projection_note"] = f"No projection: {exc}"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=jinja2.select_autoescape(["html", "j2"]))
    html = env.get_template("client_report.html.j2").render(**ctx)
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = None
    if pdf:
        say("PDF")
        pdf_path = render_pdf(html, out / "report.pdf", base_url=str(out))
    return ReportResult(html_path, pdf_path, flags, course, proj)


def summary_lines(res: ReportResult) -> list[str]:
    """Plain-text lines for the CLI."""
    lines = [f"HTML: {res.html}"] + ([f"PDF: {res.pdf}"] if res.pdf else [])
    for f in res.flags:
        lines.append(f"REFERRAL FLAG ({f['level']}) {f['date']} {f['instrument']}: "
                     f"{f['message']}")
    if res.course is not None:
        lines.append(res.course.sentence)
    return lines


__all__ = ["DISCLAIMER", "ReportResult", "make_report", "render_pdf", "summary_lines"]
