"""Personal triggers of one client (``nicsim.clinic.triggers``) with the lag plot."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from nicsim.clinic.triggers import find_triggers
from nicsim.errors import NicsimError
from nicsim.web.api.deps import Ctx, own_client, require_login
from nicsim.web.api.routes.clients import diary_of, require_consent
from nicsim.web.api.routes.common import render

router = APIRouter()
OUTCOMES = ("severity", "itch")


def _outcome(request: Request) -> str:
    outcome = request.query_params.get("outcome", "severity")
    if outcome not in OUTCOMES:
        raise HTTPException(422, f"outcome: {outcome!r} is not allowed; one of "
                                 + ", ".join(OUTCOMES))
    return outcome


def _client_diary(ctx: Ctx, client_id: int, request: Request):
    """(client, outcome, diary) for a trigger request: own client with consent on file."""
    c = own_client(ctx, client_id)
    require_consent(c)
    return c, _outcome(request), diary_of(ctx, c)


def _report(diary, outcome):
    return find_triggers(diary, outcome=outcome)


@router.get("/clients/{client_id}/triggers")
async def triggers_page(client_id: int, request: Request, ctx: Ctx = Depends(require_login)):
    c, outcome, diary = _client_diary(ctx, client_id, request)
    ctx.audit("analysis", c.id, f"trigger analysis ({outcome})")
    ctx.db.commit()
    try:
        report = await run_in_threadpool(_report, diary, outcome)
        error = ""
    except NicsimError as exc:
        report, error = None, str(exc)
    return render(ctx, "triggers.html", client=c, report=report, error=error, outcome=outcome,
                  outcomes=OUTCOMES, n_entries=len(diary.entries),
                  can_plot=bool(report and any(r.status == "tested" for r in report.results)))


@router.get("/clients/{client_id}/triggers.png")
async def triggers_plot(client_id: int, request: Request, ctx: Ctx = Depends(require_login)):
    c, outcome, diary = _client_diary(ctx, client_id, request)

    def draw() -> bytes:
        report = _report(diary, outcome)
        with tempfile.TemporaryDirectory() as d:
            return report.plot(Path(d) / "lag.png").read_bytes()

    try:
        png = await run_in_threadpool(draw)
    except NicsimError as exc:
        raise HTTPException(409, str(exc)) from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})
