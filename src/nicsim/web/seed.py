"""Demo data for ``make run``: a demo practitioner and example clients (idempotent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from nicsim.clinic.client import load_client
from nicsim.web.api.routes.clients import CONSENT_TEXT
from nicsim.web.core import security
from nicsim.web.models import Client, Consent, Consultation, DiaryEntryRow, Practitioner

DEMO_EMAIL = "demo@nicsim.example"
DEMO_PASSWORD = "demo-practitioner"  # printed by `make run`; for the local demo only
#: Synthetic example client folders of the practice layer (examples/clinic) when present.
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "clinic"

_FALLBACK = (("Example client: eczema", "eczema", "Fitzpatrick II, dry"),
             ("Example client: psoriasis", "psoriasis", "Fitzpatrick III"),
             ("Example client: acne and rosacea", "acne", "Fitzpatrick I, oily T-zone"))


def _example_clients(examples: Path):
    """The example client folders (``nicsim.clinic.client.load_client``)."""

    if not examples.is_dir():
        return []
    out = []
    for folder in sorted(p for p in examples.iterdir() if (p / "client.yaml").is_file()):
        try:
            out.append(load_client(folder))
        except Exception as exc:  # noqa: BLE001 - a broken example must not stop the demo
            print(f"seed: skipped {folder}: {exc}")
    return out


def seed_demo(sessionmaker, examples: Path = EXAMPLES) -> str:
    """Create the demo practitioner and clients unless they exist; returns what was done."""
    with sessionmaker() as db:
        p = db.scalar(select(Practitioner).where(Practitioner.email == DEMO_EMAIL))
        if p is not None:
            return "demo data present"
        p = Practitioner(email=DEMO_EMAIL, name="Demo Practitioner", role="clinician",
                         password_hash=security.hash_password(DEMO_PASSWORD))
        db.add(p)
        db.flush()
        examples_found = _example_clients(examples)
        if examples_found:
            for ex in examples_found:
                first = ex.diary.entries[0].date if ex.diary.entries else dt.date.today()
                c = Client(practitioner_id=p.id, condition=ex.profile.condition,
                           name=f"Example {ex.client_id}",
                           notes=(ex.description or "") + " (synthetic example client from "
                           f"examples/clinic/{ex.folder.name})")
                db.add(c)
                db.flush()
                db.add(Consent(client_id=c.id, version="2026-1", text=CONSENT_TEXT,
                               given_on=first))
                for e in ex.diary.entries:
                    db.add(DiaryEntryRow(client_id=c.id, **e.model_dump()))
                for visit in ex.consultations:
                    for r in visit.results:
                        flags = [f.message for f in r.flags]
                        db.add(Consultation(
                            client_id=c.id, instrument=r.instrument,
                            answers={"responses": dict(r.responses), "context": r.context},
                            score=r.total, band=r.band or "", referral=bool(flags),
                            referral_reason=" ".join(flags),
                            created_at=dt.datetime.combine(visit.date, dt.time(10, 0),
                                                           tzinfo=dt.UTC)))
        else:
            for name, condition, skin in _FALLBACK:
                c = Client(practitioner_id=p.id, name=name, condition=condition, skin_type=skin,
                           notes="Synthetic example client (no diary yet).")
                db.add(c)
                db.flush()
                db.add(Consent(client_id=c.id, version="2026-1", text=CONSENT_TEXT,
                               given_on=dt.date.today()))
        db.commit()
        n = len(examples_found) or len(_FALLBACK)
        return f"demo practitioner and {n} example clients created"
