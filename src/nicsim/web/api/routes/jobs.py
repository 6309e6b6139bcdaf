"""Start long work for a client and watch its progress (htmx polling)."""

from fastapi import APIRouter, Depends, Form, HTTPException

from nicsim.web import explorer as ex
from nicsim.web.api.deps import Ctx, check_csrf, own_client, require_login
from nicsim.web.api.routes.clients import require_consent
from nicsim.web.api.routes.common import redirect, render
from nicsim.web.models import Job

router = APIRouter()

_CONDITION = {"other": "none"}


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
    job = Job(practitioner_id=ctx.practitioner.id, client_id=c.id, kind="plan_projection",
              params=params)
    ctx.db.add(job)
    ctx.db.flush()
    ctx.audit("analysis", c.id, f"plan projection job #{job.id} started")
    ctx.db.commit()
    return redirect(f"/clients/{c.id}#jobs")


@router.get("/jobs/{job_id}")
def job_status(job_id: int, ctx: Ctx = Depends(require_login)):
    job = ctx.db.get(Job, job_id)
    if job is None or job.practitioner_id != ctx.practitioner.id:
        raise HTTPException(404, "no such job")
    return render(ctx, "_job.html", job=job)
