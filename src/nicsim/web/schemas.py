"""Form and JSON schemas (XCreate for input, XPublic for output).

Bad input raises :class:`SchemaError` whose messages name the field, the value given and what
is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nicsim.clinic.diary import DiaryEntry, DiaryError
from nicsim.web.core.security import MIN_PASSWORD

CONDITIONS = ("eczema", "psoriasis", "acne", "rosacea", "vitiligo", "other")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SchemaError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _messages(exc: ValidationError) -> list[str]:
    out = []
    for e in exc.errors():
        field = ".".join(str(p) for p in e["loc"]) or "form"
        given = e.get("input")
        shown = "(hidden)" if field == "password" else repr(given)
        out.append(f"{field}: {shown} is not allowed: {e['msg']}")
    return out


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def parse_form(cls, **data):
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise SchemaError(_messages(exc)) from None


class PractitionerCreate(_Form):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=MIN_PASSWORD, max_length=200,
                          description=f"at least {MIN_PASSWORD} characters")
    role: Literal["practitioner", "clinician"] = "practitioner"

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        if not _EMAIL.match(v):
            raise ValueError("expected an e-mail address like name@example.org")
        return v.lower()


class PractitionerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
    name: str
    role: str


class ClientCreate(_Form):
    name: str = Field(min_length=1, max_length=200)
    condition: Literal["eczema", "psoriasis", "acne", "rosacea", "vitiligo", "other"] = "other"
    skin_type: str = Field("", max_length=40)
    contraindications: str = Field("", max_length=5000)
    allergies: str = Field("", max_length=5000)
    notes: str = Field("", max_length=20000)


class ClientPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    condition: str
    skin_type: str
    contraindications: str
    allergies: str
    notes: str
    created_at: dt.datetime


class ConsentCreate(_Form):
    given_on: dt.date
    agree: Literal["yes"] = Field(description="the box 'the client has read and agreed'")


def _float_or_none(v: str | None) -> float | None:
    v = (v or "").strip()
    return None if v == "" else float(v)


def diary_entry_from_form(form) -> tuple[dict, str | None]:
    """Form fields -> a checked :class:`nicsim.clinic.diary.DiaryEntry` as a dict.

    Returns (entry fields, client key); raises :class:`SchemaError`.
    """

    data: dict = {}
    errors = []
    for f in ("stress", "sleep_hours", "sleep_quality", "severity", "itch", "mood"):
        raw = form.get(f)
        try:
            data[f] = _float_or_none(raw)
        except ValueError:
            errors.append(f"{f}: {raw!r} is not allowed: expected a number")
    for f in ("date", "time"):
        raw = (form.get(f) or "").strip()
        if raw:
            data[f] = raw
    data["triggers"] = tuple(t for t in form.getlist("triggers") if t.strip())
    custom = (form.get("custom_trigger") or "").strip()
    if custom:
        data["triggers"] += (custom if ":" in custom else f"custom:{custom}",)
    data["products"] = tuple(p for raw in form.getlist("products") for p in raw.split(";")
                             if p.strip())
    data["practices"] = tuple(p for p in form.getlist("practices") if p.strip())
    data["note"] = (form.get("note") or "")[:5000]
    if errors:
        raise SchemaError(errors)
    if "date" not in data:
        raise SchemaError(["date: '' is not allowed: expected a date YYYY-MM-DD"])
    try:
        entry = DiaryEntry.model_validate(data)
    except (ValidationError, DiaryError) as exc:
        if isinstance(exc, ValidationError):
            raise SchemaError(_messages(exc)) from None
        raise SchemaError([str(exc)]) from None
    key = (form.get("client_key") or "").strip()[:64] or None
    return entry.model_dump(), key
