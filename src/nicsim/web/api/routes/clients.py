"""The practitioner's client files. Every route checks ownership (404 for others' ids) and
writes the audit log."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import Response
from sqlalchemy import delete, select

from nicsim.clinic.diary import Diary, DiaryEntry
from nicsim.clinic.plan import PRESCRIBED_KINDS
from nicsim.web.api.deps import Ctx, check_csrf, own_client, require_login
from nicsim.web.api.routes.common import redirect, render
from nicsim.web.core import security
from nicsim.web.models import (
    AuditLog,
    Client,
    ClientReport,
    Consent,
    Consultation,
    DiaryEntryRow,
    DiaryLink,
    Job,
)
from nicsim.web.schemas import ClientCreate, ConsentCreate, SchemaError

router = APIRouter()

PLAN_KINDS = {"slow_breathing": "slow breathing", "mindfulness": "mindfulness",
              "relaxation": "relaxation", "sleep_schedule": "sleep schedule",
              "social_support": "social support", "emollient": "emollient",
              "topical_corticosteroid": "topical corticosteroid (clinician)",
              "nb_uvb": "NB-UVB (clinician)"}
CLINICIAN_ONLY = PRESCRIBED_KINDS

CONSENT_TEXT = (
    "I agree that my practitioner keeps the information I give (skin condition, allergies, "
    "questionnaire answers and my diary) to plan and follow my care. It is used for nothing "
    "else, shown to no one else, and deleted when I ask. The projections are from a research "
    "model (nicsim) and are not a diagnosis. I can withdraw this consent at any time.")


def active_consent(client: Client) -> Consent | None:
    live = [c for c in client.consents if c.withdrawn_at is None]
    return live[-1] if live else None


def require_consent(client: Client) -> Consent:
    c = active_consent(client)
    if c is None:
        raise HTTPException(409, "no consent on file: record the client's consent first "
                                 "(no diary or analysis without it)")
    return c


def _live_links(client_id: int):
    """The query of the client's diary links that are not revoked."""
    return select(DiaryLink).where(DiaryLink.client_id == client_id,
                                   DiaryLink.revoked_at.is_(None))


def revoke_diary_links(ctx: Ctx, client_id: int) -> None:
    """Revoke every live diary link of the client (now)."""
    now = dt.datetime.now(dt.UTC)
    for link in ctx.db.scalars(_live_links(client_id)):
        link.revoked_at = now


@router.get("/clients")
def client_list(ctx: Ctx = Depends(require_login)):
    rows = ctx.db.scalars(select(Client).where(Client.practitioner_id == ctx.practitioner.id)
                          .order_by(Client.name)).all()
    return render(ctx, "clients.html", clients=rows)


@router.get("/clients/new")
def new_client_page(ctx: Ctx = Depends(require_login)):
    return render(ctx, "client_form.html", errors=[], form={}, client=None)


@router.post("/clients/new")
def create_client(ctx: Ctx = Depends(check_csrf), name: str = Form(""),
                  condition: str = Form("other"), skin_type: str = Form(""),
                  contraindications: str = Form(""), allergies: str = Form(""),
                  notes: str = Form("")):
    require_login(ctx)
    form = dict(name=name, condition=condition, skin_type=skin_type,
                contraindications=contraindications, allergies=allergies, notes=notes)
    try:
        data = ClientCreate.parse_form(**form)
    except SchemaError as exc:
        return render(ctx, "client_form.html", 422, errors=exc.messages, form=form, client=None)
    c = Client(practitioner_id=ctx.practitioner.id, **data.model_dump())
    ctx.db.add(c)
    ctx.db.flush()
    ctx.audit("create", c.id, "client file created")
    ctx.db.commit()
    return redirect(f"/clients/{c.id}")


@router.get("/clients/{client_id}")
def client_page(client_id: int, ctx: Ctx = Depends(require_login)):
    c = own_client(ctx, client_id)
    ctx.audit("view", c.id, "client file")
    ctx.db.commit()
    entries = ctx.db.scalars(select(DiaryEntryRow).where(DiaryEntryRow.client_id == c.id)
                             .order_by(DiaryEntryRow.date.desc(), DiaryEntryRow.id.desc())
                             .limit(30)).all()
    consultations = ctx.db.scalars(select(Consultation).where(Consultation.client_id == c.id)
                                   .order_by(Consultation.id.desc())).all()
    link = ctx.db.scalar(_live_links(c.id))
    jobs = ctx.db.scalars(select(Job).where(Job.client_id == c.id).order_by(Job.id.desc())
                          .limit(5)).all()
    new_link = ctx.request.query_params.get("link")
    return render(ctx, "client.html", client=c, consent=active_consent(c), entries=entries,
                  consultations=consultations, link=link, jobs=jobs,
                  new_link=new_link if link else None, consent_text=CONSENT_TEXT,
                  today=dt.date.today().isoformat(), plan_kinds=PLAN_KINDS,
                  clinician_only=CLINICIAN_ONLY,
                  open_referrals=[x for x in consultations
                                  if x.referral and not x.referral_note.strip()])


@router.post("/clients/{client_id}/edit")
def edit_client(client_id: int, ctx: Ctx = Depends(check_csrf), name: str = Form(""),
                condition: str = Form("other"), skin_type: str = Form(""),
                contraindications: str = Form(""), allergies: str = Form(""),
                notes: str = Form("")):
    require_login(ctx)
    c = own_client(ctx, client_id)
    form = dict(name=name, condition=condition, skin_type=skin_type,
                contraindications=contraindications, allergies=allergies, notes=notes)
    try:
        data = ClientCreate.parse_form(**form)
    except SchemaError as exc:
        return render(ctx, "client_form.html", 422, errors=exc.messages, form=form, client=c)
    changed = [k for k, v in data.model_dump().items() if getattr(c, k) != v]
    for k, v in data.model_dump().items():
        setattr(c, k, v)
    ctx.audit("update", c.id, "changed: " + ", ".join(changed))
    ctx.db.commit()
    return redirect(f"/clients/{c.id}")


@router.get("/clients/{client_id}/edit")
def edit_client_page(client_id: int, ctx: Ctx = Depends(require_login)):
    c = own_client(ctx, client_id)
    form = {k: getattr(c, k) for k in ClientCreate.model_fields}
    return render(ctx, "client_form.html", errors=[], form=form, client=c)


@router.post("/clients/{client_id}/consent")
def give_consent(client_id: int, ctx: Ctx = Depends(check_csrf), given_on: str = Form(""),
                 agree: str = Form("")):
    require_login(ctx)
    c = own_client(ctx, client_id)
    try:
        data = ConsentCreate.parse_form(given_on=given_on, agree=agree)
    except SchemaError as exc:
        raise HTTPException(422, "; ".join(exc.messages)) from None
    ctx.db.add(Consent(client_id=c.id, version=ctx.settings.consent_version, text=CONSENT_TEXT,
                       given_on=data.given_on))
    ctx.audit("consent", c.id, f"consent version {ctx.settings.consent_version} recorded")
    ctx.db.commit()
    return redirect(f"/clients/{c.id}")


@router.post("/clients/{client_id}/consent/withdraw")
def withdraw_consent(client_id: int, ctx: Ctx = Depends(check_csrf)):
    require_login(ctx)
    c = own_client(ctx, client_id)
    for consent in c.consents:
        if consent.withdrawn_at is None:
            consent.withdrawn_at = dt.datetime.now(dt.UTC)
    revoke_diary_links(ctx, c.id)
    ctx.audit("consent_withdrawn", c.id, "consent withdrawn; diary link revoked")
    ctx.db.commit()
    return redirect(f"/clients/{c.id}")


@router.post("/clients/{client_id}/diary-link")
def new_diary_link(client_id: int, ctx: Ctx = Depends(check_csrf)):
    """A new private link (the old one stops working). The token is shown once."""
    require_login(ctx)
    c = own_client(ctx, client_id)
    require_consent(c)
    revoke_diary_links(ctx, c.id)
    token = security.new_token()
    ctx.db.add(DiaryLink(client_id=c.id, token_hash=security.token_hash(token)))
    ctx.audit("diary_link", c.id, "new diary link issued")
    ctx.db.commit()
    return redirect(f"/clients/{c.id}?link={token}")


@router.post("/clients/{client_id}/diary-link/revoke")
def revoke_diary_link(client_id: int, ctx: Ctx = Depends(check_csrf)):
    require_login(ctx)
    c = own_client(ctx, client_id)
    revoke_diary_links(ctx, c.id)
    ctx.audit("diary_link_revoked", c.id, "diary link revoked")
    ctx.db.commit()
    return redirect(f"/clients/{c.id}")


def _diary_rows(ctx: Ctx, client_id: int) -> list[DiaryEntryRow]:
    return list(ctx.db.scalars(select(DiaryEntryRow).where(DiaryEntryRow.client_id == client_id)
                               .order_by(DiaryEntryRow.date, DiaryEntryRow.time,
                                         DiaryEntryRow.id)))


def diary_of(ctx: Ctx, client: Client):
    """The client's diary as :class:`nicsim.clinic.diary.Diary`."""

    fields = ("date", "time", "stress", "sleep_hours", "sleep_quality", "severity", "itch",
              "mood", "cycle_day", "triggers", "products", "practices", "note")
    entries = [DiaryEntry.model_validate({f: getattr(r, f) for f in fields})
               for r in _diary_rows(ctx, client.id)]
    return Diary(client_id=f"client-{client.id}", condition=client.condition, entries=entries)


@router.get("/clients/{client_id}/diary.csv")
def diary_csv(client_id: int, ctx: Ctx = Depends(require_login)):
    c = own_client(ctx, client_id)
    ctx.audit("export", c.id, "diary CSV")
    ctx.db.commit()
    diary = diary_of(ctx, c)
    text = diary.to_csv()
    return Response(text, media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="client-{c.id}.csv"'})


@router.get("/clients/{client_id}/audit")
def client_audit(client_id: int, ctx: Ctx = Depends(require_login)):
    c = own_client(ctx, client_id)
    rows = ctx.db.scalars(select(AuditLog).where(AuditLog.client_id == c.id,
                                                 AuditLog.practitioner_id == ctx.practitioner.id)
                          .order_by(AuditLog.id.desc()).limit(500)).all()
    return render(ctx, "audit.html", rows=rows, client=c)


@router.get("/audit")
def audit(ctx: Ctx = Depends(require_login)):
    rows = ctx.db.scalars(select(AuditLog).where(AuditLog.practitioner_id == ctx.practitioner.id)
                          .order_by(AuditLog.id.desc()).limit(500)).all()
    return render(ctx, "audit.html", rows=rows, client=None)


@router.post("/clients/{client_id}/delete")
def delete_client(client_id: int, ctx: Ctx = Depends(check_csrf), confirm: str = Form("")):
    """Delete-on-request: every row of the client goes (cascade), the audit rows about the
    client too; one audit row records that client #id was deleted."""
    require_login(ctx)
    c = own_client(ctx, client_id)
    if confirm.strip() != c.name:
        raise HTTPException(422, f"confirm: {confirm!r} is not allowed: type the client's name "
                                 "exactly to delete the file")
    cid = c.id
    for table in (DiaryEntryRow, DiaryLink, Consultation, Consent, Job, ClientReport):
        ctx.db.execute(delete(table).where(table.client_id == cid))
    ctx.db.execute(delete(AuditLog).where(AuditLog.client_id == cid))
    ctx.db.delete(c)
    ctx.audit("delete", None, f"client #{cid} deleted on request with all records")
    ctx.db.commit()
    return redirect("/clients")
