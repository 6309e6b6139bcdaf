"""The client's phone-first check-in behind a private link ``/d/{token}`` (no account)."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from nicsim.clinic.diary import (
    DEFAULT_SCALE,
    KNOWN_PRACTICES,
    SEVERITY_SCALES,
    STANDARD_TRIGGERS,
)
from nicsim.web.api.deps import Ctx, check_csrf, ensure_session, get_ctx
from nicsim.web.api.routes.clients import active_consent
from nicsim.web.api.routes.common import render
from nicsim.web.core import security
from nicsim.web.models import Client, DiaryEntryRow, DiaryLink
from nicsim.web.schemas import SchemaError, diary_entry_from_form

router = APIRouter()


def _client_for(ctx: Ctx, token: str) -> Client:
    link = ctx.db.scalar(select(DiaryLink).where(
        DiaryLink.token_hash == security.token_hash(token), DiaryLink.revoked_at.is_(None)))
    client = ctx.db.get(Client, link.client_id) if link else None
    if client is None or active_consent(client) is None:
        raise HTTPException(404, "This diary link is not valid (it may have been replaced or "
                                 "revoked); ask your practitioner for a new one.")
    return client


def _form_context(ctx: Ctx, client: Client, token: str, **extra):
    last = ctx.db.scalar(select(DiaryEntryRow).where(DiaryEntryRow.client_id == client.id)
                         .order_by(DiaryEntryRow.id.desc()).limit(1))
    now = dt.datetime.now()
    scale = SEVERITY_SCALES[DEFAULT_SCALE.get(client.condition, "skin_nrs")]
    return dict(token=token, first_name=client.name.split()[0] if client.name else "",
                triggers=STANDARD_TRIGGERS, practices=KNOWN_PRACTICES, scale=scale,
                last=last, today=now.date().isoformat(), now=now.strftime("%H:%M"),
                client_key=uuid.uuid4().hex, errors=[], saved=None, **extra)


@router.get("/d/{token}")
def checkin_page(token: str, ctx: Ctx = Depends(get_ctx)):
    client = _client_for(ctx, token)
    ensure_session(ctx)
    return render(ctx, "checkin.html", **_form_context(ctx, client, token))


@router.post("/d/{token}")
async def checkin(token: str, request: Request, ctx: Ctx = Depends(check_csrf)):
    client = _client_for(ctx, token)
    form = await request.form()
    try:
        entry, key = diary_entry_from_form(form)
        scale = SEVERITY_SCALES[DEFAULT_SCALE.get(client.condition, "skin_nrs")]
        if entry["severity"] is not None and scale.check(entry["severity"]):
            raise SchemaError([f"severity: {entry['severity']!r} is not allowed; "
                               f"{scale.check(entry['severity'])}"])
    except SchemaError as exc:
        return render(ctx, "checkin.html", 422,
                      **{**_form_context(ctx, client, token), "errors": exc.messages})
    row = DiaryEntryRow(client_id=client.id, client_key=key, **entry)
    ctx.db.add(row)
    try:
        ctx.db.commit()
    except IntegrityError:  # the same form sent twice: the entry is already stored
        ctx.db.rollback()
        row = ctx.db.scalar(select(DiaryEntryRow).where(DiaryEntryRow.client_key == key))
        if row is None or row.client_id != client.id:
            raise HTTPException(409, "client_key: already used; reload the page") from None
    return render(ctx, "checkin.html", **{**_form_context(ctx, client, token), "saved": row})
