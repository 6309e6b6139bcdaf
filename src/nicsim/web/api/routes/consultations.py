"""Consultation: instrument forms rendered from the registry, scored on submit by
:mod:`nicsim.clinic.instruments`; referral flags shown until a note is recorded; FHIR export."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response

from nicsim.clinic.instruments import (
    LICENSEE_TEXT,
    InstrumentAccessError,
    InstrumentError,
    default_registry,
    score_instrument,
)
from nicsim.clinic.instruments.fhir import questionnaire_response
from nicsim.web.api.deps import Ctx, check_csrf, own_client, own_record, require_login
from nicsim.web.api.routes.clients import require_consent
from nicsim.web.api.routes.common import redirect, render
from nicsim.web.models import Consultation

router = APIRouter()
registry = default_registry  # cached: the shipped instruments are read once


def _instrument(ctx: Ctx, instrument_id: str):
    try:
        return registry().get(instrument_id, role=ctx.practitioner.role)
    except InstrumentAccessError as exc:
        raise HTTPException(403, str(exc)) from None
    except InstrumentError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/clients/{client_id}/consultation")
def consultation_page(client_id: int, request: Request, ctx: Ctx = Depends(require_login)):
    c = own_client(ctx, client_id)
    require_consent(c)
    chosen = request.query_params.get("instrument")
    inst = _instrument(ctx, chosen) if chosen else None
    return render(ctx, "consultation.html", client=c, inst=inst, errors=[], values={},
                  instruments=registry().instruments(role=ctx.practitioner.role),
                  licensee_text=LICENSEE_TEXT)


@router.post("/clients/{client_id}/consultation/{instrument_id}")
async def submit_consultation(client_id: int, instrument_id: str, request: Request,
                              ctx: Ctx = Depends(check_csrf)):
    require_login(ctx)
    c = own_client(ctx, client_id)
    require_consent(c)
    inst = _instrument(ctx, instrument_id)
    form = await request.form()
    answers = {}
    for item in inst.items:
        v = str(form.get(f"item_{item.id}", "")).strip()
        if v != "":
            answers[item.id] = v if item.kind in ("choice", "time") else _number(v)
    context = {}
    for key in inst.context:
        raw = str(form.get(key, "")).strip()
        context[key] = _number(raw) if raw else None
    try:
        result = registry().score(inst.id, answers, role=ctx.practitioner.role, context=context)
    except (InstrumentError, ValueError) as exc:
        return render(ctx, "consultation.html", 422, client=c, inst=inst, errors=[str(exc)],
                      values={**answers, **context},
                      instruments=registry().instruments(role=ctx.practitioner.role),
                      licensee_text=LICENSEE_TEXT)
    flags = [f.message for f in result.flags]
    row = Consultation(client_id=c.id, instrument=inst.id,
                       answers={"responses": answers, "context": context},
                       score=result.total, band=result.band or (result.not_scored_reason or ""),
                       referral=bool(flags), referral_reason=" ".join(flags))
    ctx.db.add(row)
    ctx.db.flush()
    ctx.audit("consultation", c.id, f"{inst.short_name} #{row.id}: score {result.total}, "
                                    f"band {result.band}{', REFERRAL FLAG' if flags else ''}")
    ctx.db.commit()
    return redirect(f"/clients/{c.id}#consultations")


def _number(v: str):
    try:
        f = float(v)
    except ValueError:
        return v  # the scorer names the item and what is allowed
    return int(f) if f.is_integer() else f


@router.post("/clients/{client_id}/consultations/{consultation_id}/referral-note")
def referral_note(client_id: int, consultation_id: int, ctx: Ctx = Depends(check_csrf),
                  note: str = Form("")):
    """A referral flag is cleared only with a note of what was done."""
    require_login(ctx)
    c = own_client(ctx, client_id)
    row = own_record(ctx, Consultation, consultation_id, c, "consultation")
    if not note.strip():
        raise HTTPException(422, "note: '' is not allowed: write what was done about the "
                                 "referral flag before it can be cleared")
    row.referral_note = note.strip()[:5000]
    ctx.audit("referral_note", c.id, f"referral note on consultation #{row.id}")
    ctx.db.commit()
    return redirect(f"/clients/{c.id}")


@router.get("/clients/{client_id}/consultations/{consultation_id}/fhir.json")
def consultation_fhir(client_id: int, consultation_id: int, ctx: Ctx = Depends(require_login)):
    """The completed instrument as a FHIR R4B QuestionnaireResponse (validated by the library)."""

    c = own_client(ctx, client_id)
    row = own_record(ctx, Consultation, consultation_id, c, "consultation")
    inst = next(i for i in registry().all_instruments() if i.id == row.instrument)

    result = score_instrument(inst, row.answers.get("responses"),
                              context=row.answers.get("context"))
    authored = row.created_at  # SQLite returns naive datetimes; they are UTC
    if authored.tzinfo is None:
        authored = authored.replace(tzinfo=dt.UTC)
    qr = questionnaire_response(inst, result, subject=f"Patient/{c.id}", authored=authored)
    ctx.audit("export", c.id, f"FHIR QuestionnaireResponse of consultation #{row.id}")
    ctx.db.commit()
    body = qr.model_dump_json(exclude_none=True) if hasattr(qr, "model_dump_json") else \
        json.dumps(qr.dict())
    return Response(body, media_type="application/fhir+json")

