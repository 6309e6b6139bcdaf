"""Start long work for a client and watch its progress (htmx polling)."""

from fastapi import APIRouter, Depends, Form, HTTPException, Request

from nicsim.clinic.plan import ONE_CLICK_SETTINGS, CarePlan
from nicsim.clinic.projection import CONDITIONS
from nicsim.errors import ScenarioError
from nicsim.web import explorer as ex
from nicsim.web.api.deps import Ctx, check_csrf, own_client, own_record, require_login
from nicsim.web.api.routes.clients import CLINICIAN_ONLY, PLAN_KINDS, diary_of, require_consent
from nicsim.web.api.routes.common import redirect, render
from nicsim.web.models import ClientReport, Consultation, Job

router = APIRouter()

_CONDITION = {"other": "none"}


def _client_with_modelled_condition(ctx: Ctx, client_id: int, what: str):
    """The logged-in practitioner's client with consent on file and a condition the projection
    models (:data:`nicsim.clinic.projection.CONDITIONS`); 422 naming the condition otherwise."""

    require_login(ctx)
    c = own_client(ctx, client_id)
    require_consent(c)
    if c.condition not in CONDITIONS:
        raise HTTPException(422, f"condition: {c.condition!r} is not allowed for {what}; "
                                 f"one of {', '.join(CONDITIONS)}")
    return c


def _start_job(ctx: Ctx, client, kind: str, params: dict, audit_action: str, what: str):
    """Queue a job of ``kind`` for the client (the worker runs it), audit it, and go back to
    the client's job list."""
    job = Job(practitioner_id=ctx.practitioner.id, client_id=client.id, kind=kind,
              params=params)
    ctx.db.add(job)
    ctx.db.flush()
    ctx.audit(audit_action, client.id, f"{what} job #{job.id} started")
    ctx.db.commit()
    return redirect(f"/clients/{client.id}#jobs")


@router.post("/clients/{client_id}/projection")
def start_projection(client_id: int, ctx: Ctx = Depends(check_csrf), weeks: int = Form(8),
                     plan: list[str] = Form([])):
    require_login(ctx)
    c = own_client(ctx, client_id)
    require_consent(c)
    params = {"condition": _CONDITION.get(c.condition, c.condition), "situation": "none",
              "plan": plan, "weeks": weeks}
    try:
        ex.parse_request(params)
    except ex.ExplorerInputError as exc:
        raise HTTPException(422, str(exc)) from None
    return _start_job(ctx, c, "plan_projection", params, "analysis", "plan projection")


@router.post("/clients/{client_id}/personal-projection")
async def start_personal_projection(client_id: int, request: Request,
                                    ctx: Ctx = Depends(check_csrf)):
    """Fit to the client's diary and project her plan vs no change (nicsim.clinic)."""

    c = _client_with_modelled_condition(ctx, client_id, "a personal projection")
    form = await request.form()
    kinds = [k for k in form.getlist("step") if k]
    bad = [k for k in kinds if k not in PLAN_KINDS]
    if bad:
        raise HTTPException(422, f"step: {bad[0]!r} is not allowed; one of "
                                 + ", ".join(PLAN_KINDS))
    if ctx.practitioner.role != "clinician" and CLINICIAN_ONLY & set(kinds):
        raise HTTPException(403, "step: topical corticosteroid and NB-UVB are prescribed by "
                                 "a clinician; your role is practitioner")
    steps = []
    for k in kinds:
        step = {"kind": k}
        minutes = str(form.get(f"minutes_{k}", "")).strip()
        if minutes:
            step["minutes"] = minutes
        step.update(ONE_CLICK_SETTINGS.get(k, {}))
        steps.append(step)
    try:
        weeks = int(str(form.get("weeks", "8")))
    except ValueError:
        raise HTTPException(422, f"weeks: {form.get('weeks')!r} is not allowed; a whole number "
                                 "from 4 to 12") from None
    if not 4 <= weeks <= 12:
        raise HTTPException(422, f"weeks: {weeks} is not allowed; a whole number from 4 to 12")
    try:
        plan = CarePlan.model_validate({"name": "plan", "steps": steps})
    except (ScenarioError, ValueError) as exc:
        raise HTTPException(422, str(exc)) from None

    diary = diary_of(ctx, c)
    return _start_job(ctx, c, "personal_projection",
                      {"condition": c.condition, "weeks": weeks, "plan": plan.to_dict(),
                       "diary_json": diary.to_json(), "size": ctx.settings.analysis},
                      "analysis", "personal projection")


@router.post("/clients/{client_id}/report")
def start_report(client_id: int, ctx: Ctx = Depends(check_csrf)):
    """The client report PDF (nicsim.clinic.report) as a job."""
    from sqlalchemy import select

    c = _client_with_modelled_condition(ctx, client_id, "the client report")
    diary = diary_of(ctx, c)
    last = ctx.db.scalar(select(Job).where(Job.client_id == c.id,
                                           Job.kind == "personal_projection")
                         .order_by(Job.id.desc()).limit(1))
    rows = ctx.db.scalars(select(Consultation).where(Consultation.client_id == c.id)
                          .order_by(Consultation.id)).all()
    by_date: dict = {}
    for r in rows:
        by_date.setdefault(r.created_at.date().isoformat(), {})[r.instrument] = \
            r.answers.get("responses", {})
    consultations = [{"date": d, "role": ctx.practitioner.role, "instruments": inst}
                     for d, inst in by_date.items()]
    return _start_job(ctx, c, "client_report",
                      {"client_id": f"client-{c.id}", "condition": c.condition,
                       "description": "", "diary_json": diary.to_json(),
                       "plan": last.params.get("plan") if last else None,
                       "consultations": consultations, "weeks": 8,
                       "size": ctx.settings.analysis}, "report", "client report")


@router.get("/clients/{client_id}/reports/{report_id}.pdf")
def report_pdf(client_id: int, report_id: int, ctx: Ctx = Depends(require_login)):
    from fastapi.responses import Response

    c = own_client(ctx, client_id)
    row = own_record(ctx, ClientReport, report_id, c, "report")
    ctx.audit("export", c.id, f"client report PDF #{row.id} downloaded")
    ctx.db.commit()
    return Response(row.pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="client-{c.id}-report-{row.id}.pdf"'})


@router.get("/jobs/{job_id}")
def job_status(job_id: int, ctx: Ctx = Depends(require_login)):
    job = ctx.db.get(Job, job_id)
    if job is None or job.practitioner_id != ctx.practitioner.id:
        raise HTTPException(404, "no such job")
    return render(ctx, "_job.html", job=job)
