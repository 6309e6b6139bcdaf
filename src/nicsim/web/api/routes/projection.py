"""Projection vs observed: the client's diary, as recorded up to today, against her latest
personal projection (median and 80 % band of each arm), as on the client report's page."""

from __future__ import annotations

import math

from fastapi import APIRouter, Depends
from sqlalchemy import select

from nicsim.clinic.projection import DailySeries, course_check
from nicsim.web.api.deps import Ctx, own_client, require_login
from nicsim.web.api.routes.clients import diary_of, require_consent
from nicsim.web.api.routes.common import render
from nicsim.web.models import Job

router = APIRouter()


def _number(v: float) -> float | None:
    return None if v is None or not math.isfinite(v) else round(float(v), 2)


def chart_data(projection: dict, observed: dict[str, float | None]) -> dict:
    """One date axis (the diary's days and the projection's days, in order) with the
    observed severity and each arm's band on it (``None`` where a series has no value)."""
    dates = sorted(set(observed) | set(projection["dates"]))
    at = {d: k for k, d in enumerate(projection["dates"])}
    arms = {}
    for name, arm in projection["arms"].items():
        band = arm["severity"]
        arms[name] = {q: [band[q][at[d]] if d in at else None for d in dates]
                      for q in ("lo80", "median", "hi80")}
    return {"dates": dates, "observed": [observed.get(d) for d in dates], "arms": arms}


def course_verdicts(projection: dict, observed: dict[str, float | None]) -> list[dict]:
    """The on-course verdict of each arm (:func:`nicsim.clinic.projection.course_check` on the
    stored bands); empty for a projection stored before weekly bands were kept."""
    out = []
    days = sorted(observed)
    for name, arm in projection["arms"].items():
        weekly = arm.get("severity_weekly")
        if weekly is None:
            continue
        check = course_check(name, projection["dates"],
                             (arm["severity"]["lo80"], arm["severity"]["hi80"]),
                             (weekly["lo80"], weekly["hi80"]), days, [observed[d] for d in days])
        out.append({"arm": name, "status": check.status, "sentence": check.sentence})
    return out


@router.get("/clients/{client_id}/projection-vs-observed")
def projection_vs_observed(client_id: int, ctx: Ctx = Depends(require_login)):
    c = own_client(ctx, client_id)
    require_consent(c)
    job = ctx.db.scalar(select(Job).where(Job.client_id == c.id,
                                          Job.kind == "personal_projection",
                                          Job.status == "done")
                        .order_by(Job.id.desc()).limit(1))
    ctx.audit("view", c.id, "projection vs observed"
              + (f" (personal projection #{job.id})" if job else " (no projection yet)"))
    ctx.db.commit()
    diary = diary_of(ctx, c)
    observed: dict[str, float | None] = {}
    if diary.entries:
        series = DailySeries.from_diary(diary)
        observed = {d.isoformat(): _number(v)
                    for d, v in zip(series.dates, series.severity, strict=True)
                    if math.isfinite(v)}
    rows, chart, verdicts = [], None, []
    if job is not None:
        proj = job.result
        chart = chart_data(proj, observed)
        verdicts = course_verdicts(proj, observed)
        for k, d in enumerate(proj["dates"]):
            if d in observed:
                rows.append({"date": d, "observed": observed[d],
                             "arms": {name: {q: arm["severity"][q][k]
                                             for q in ("lo80", "median", "hi80")}
                                      for name, arm in proj["arms"].items()}})
    return render(ctx, "projection.html", client=c, job=job, chart=chart, rows=rows,
                  n_observed=len(observed), verdicts=verdicts)
