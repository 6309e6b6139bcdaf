"""Request context: database session, the visitor's server-side session, CSRF, login."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from nicsim.web.core import security
from nicsim.web.core.config import Settings
from nicsim.web.models import AuditLog, Client, Practitioner, WebSession


def get_db(request: Request):
    db = request.app.state.sessionmaker()
    try:
        yield db
    finally:
        db.close()


@dataclass
class Ctx:
    request: Request
    db: Session
    settings: Settings
    session: WebSession | None
    practitioner: Practitioner | None
    new_cookie: str | None = None   # set when this request created a session

    @property
    def csrf(self) -> str:
        return self.session.csrf_token if self.session else ""

    def audit(self, action: str, client_id: int | None, detail: str = "") -> None:
        self.db.add(AuditLog(practitioner_id=self.practitioner.id if self.practitioner else None,
                             client_id=client_id, action=action, detail=detail[:2000]))


def get_ctx(request: Request, db: Session = Depends(get_db)) -> Ctx:
    settings: Settings = request.app.state.settings
    token = request.cookies.get(security.SESSION_COOKIE)
    sess = security.load_session(db, token, settings.session_hours)
    pract = db.get(Practitioner, sess.practitioner_id) if sess and sess.practitioner_id else None
    ctx = Ctx(request, db, settings, sess, pract)
    request.state.ctx = ctx
    return ctx


def ensure_session(ctx: Ctx) -> None:
    """Give an anonymous visitor a session (for the CSRF token of login/register/diary forms)."""
    if ctx.session is None:
        token, row = security.create_session(ctx.db, None)
        ctx.session, ctx.new_cookie = row, token


class LoginRequired(Exception):
    pass


def require_login(ctx: Ctx = Depends(get_ctx)) -> Ctx:
    if ctx.practitioner is None:
        raise LoginRequired()
    return ctx


async def check_csrf(request: Request, ctx: Ctx = Depends(get_ctx)) -> Ctx:
    """Every state-changing form carries ``csrf_token`` (or htmx sends ``X-CSRF-Token``)."""
    given = request.headers.get("x-csrf-token")
    if not given:
        form = await request.form()
        given = form.get("csrf_token")
    if ctx.session is None or not security.csrf_ok(ctx.session.csrf_token, str(given or "")):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and try again")
    return ctx


def own_client(ctx: Ctx, client_id: int) -> Client:
    """The client if it belongs to the logged-in practitioner; 404 otherwise (no leak of
    whether the id exists)."""
    client = ctx.db.get(Client, client_id)
    if client is None or ctx.practitioner is None or client.practitioner_id != ctx.practitioner.id:
        raise HTTPException(404, "no such client")
    return client


def own_record(ctx: Ctx, model, record_id: int, client: Client, what: str):
    """The row ``record_id`` of ``model`` if it belongs to ``client`` (already checked with
    :func:`own_client`); 404 "no such <what>" otherwise."""
    row = ctx.db.get(model, record_id)
    if row is None or row.client_id != client.id:
        raise HTTPException(404, f"no such {what}")
    return row
