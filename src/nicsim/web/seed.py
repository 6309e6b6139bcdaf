"""Demo data for ``make run``: a demo practitioner and example clients (idempotent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from nicsim.web.api.routes.clients import CONSENT_TEXT
from nicsim.web.core import security
from nicsim.web.models import Client, Consent, DiaryEntryRow, Practitioner

DEMO_EMAIL = "demo@nicsim.example"
DEMO_PASSWORD = "demo-practitioner"  # printed by `make run`; for the local demo only
#: Synthetic example clients of the practice layer (issue 13) when the repository has them.
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "clinic"

_FALLBACK = (("Example client: eczema", "eczema", "Fitzpatrick II, dry"),
             ("Example client: psoriasis", "psoriasis", "Fitzpatrick III"),
             ("Example client: acne and rosacea", "acne", "Fitzpatrick I, oily T-zone"))


def _example_diaries(examples: Path):
    from nicsim.clinic.diary import Diary

    if not examples.is_dir():
        return []
    out = []
    for path in sorted(examples.rglob("*")):
        if path.suffix in (".csv", ".json") and "diary" in path.name:
            try:
                out.append((path, Diary.read(path)))
            except Exception as exc:  # noqa: BLE001 - a broken example must not stop the demo
                print(f"seed: skipped {path}: {exc}")
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
        diaries = _example_diaries(examples)
        if diaries:
            for path, diary in diaries:
                c = Client(practitioner_id=p.id, condition=diary.condition,
                           name=f"Example {diary.client_id}",
                           notes=f"Synthetic example client from {path.name} (nicsim examples).")
                db.add(c)
                db.flush()
                db.add(Consent(client_id=c.id, version="2026-1", text=CONSENT_TEXT,
                               given_on=diary.start or dt.date.today()))
                for e in diary.entries:
                    db.add(DiaryEntryRow(client_id=c.id, **e.model_dump()))
        else:
            for name, condition, skin in _FALLBACK:
                c = Client(practitioner_id=p.id, name=name, condition=condition, skin_type=skin,
                           notes="Synthetic example client (no diary yet).")
                db.add(c)
                db.flush()
                db.add(Consent(client_id=c.id, version="2026-1", text=CONSENT_TEXT,
                               given_on=dt.date.today()))
        db.commit()
        return f"demo practitioner and {max(len(diaries), len(_FALLBACK) if not diaries else 0)}" \
               " example clients created"
