"""Passwords (argon2id), session and link tokens, CSRF, the login rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from nicsim.web.models import LoginAttempt, WebSession, utcnow

_hasher = PasswordHasher()  # argon2id, library defaults (RFC 9106 low-memory profile)
#: A hash to verify against when the e-mail is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not a real password")

SESSION_COOKIE = "nicsim_session"
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given)


# ---------------------------------------------------------------- sessions
def create_session(db: Session, practitioner_id: int | None) -> tuple[str, WebSession]:
    token = new_token()
    row = WebSession(id_hash=token_hash(token), practitioner_id=practitioner_id,
                     csrf_token=new_token())
    db.add(row)
    db.commit()
    return token, row


def load_session(db: Session, token: str | None, max_idle_h: float) -> WebSession | None:
    if not token:
        return None
    row = db.get(WebSession, token_hash(token))
    if row is None:
        return None
    last = row.last_seen if row.last_seen.tzinfo else row.last_seen.replace(tzinfo=dt.UTC)
    now = utcnow()
    if now - last > dt.timedelta(hours=max_idle_h):
        db.delete(row)
        db.commit()
        return None
    if now - last > dt.timedelta(minutes=1):
        row.last_seen = now
        db.commit()
    return row


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(WebSession).where(WebSession.id_hash == token_hash(token)))
        db.commit()


# ---------------------------------------------------------------- rate limit
def too_many_attempts(db: Session, keys: list[str], limit: int, window_s: float) -> bool:
    since = utcnow() - dt.timedelta(seconds=window_s)
    for key in keys:
        n = db.scalar(select(func.count()).select_from(LoginAttempt)
                      .where(LoginAttempt.key == key, LoginAttempt.at >= since))
        if n >= limit:
            return True
    return False


def record_failure(db: Session, keys: list[str]) -> None:
    for key in keys:
        db.add(LoginAttempt(key=key))
    db.commit()


def clear_failures(db: Session, keys: list[str]) -> None:
    db.execute(delete(LoginAttempt).where(LoginAttempt.key.in_(keys)))
    db.commit()
