"""Register, log in, log out. New sessions on login (no fixation), rate-limited failures."""

from fastapi import APIRouter, Depends, Form
from sqlalchemy import select

from nicsim.web.api.deps import Ctx, check_csrf, ensure_session, get_ctx
from nicsim.web.api.routes.common import redirect, render
from nicsim.web.core import security
from nicsim.web.models import Practitioner
from nicsim.web.schemas import PractitionerCreate, SchemaError

router = APIRouter()


def _login_into(ctx: Ctx, practitioner: Practitioner):
    """Replace whatever session the browser had with a fresh one (session fixation)."""
    old = ctx.request.cookies.get(security.SESSION_COOKIE)
    security.end_session(ctx.db, old)
    token, row = security.create_session(ctx.db, practitioner.id)
    ctx.session, ctx.new_cookie, ctx.practitioner = row, token, practitioner
    return redirect("/clients")


@router.get("/register")
def register_page(ctx: Ctx = Depends(get_ctx)):
    ensure_session(ctx)
    return render(ctx, "register.html", errors=[], form={})


@router.post("/register")
def register(ctx: Ctx = Depends(check_csrf), email: str = Form(""), name: str = Form(""),
             password: str = Form(""), role: str = Form("practitioner")):
    try:
        data = PractitionerCreate.parse_form(email=email, name=name, password=password,
                                             role=role)
    except SchemaError as exc:
        return render(ctx, "register.html", 422, errors=exc.messages,
                      form={"email": email, "name": name, "role": role})
    if ctx.db.scalar(select(Practitioner).where(Practitioner.email == data.email)):
        return render(ctx, "register.html", 422,
                      errors=["email: an account with this e-mail exists; log in instead"],
                      form={"email": email, "name": name, "role": role})
    p = Practitioner(email=data.email, name=data.name, role=data.role,
                     password_hash=security.hash_password(data.password))
    ctx.db.add(p)
    ctx.db.commit()
    return _login_into(ctx, p)


@router.get("/login")
def login_page(ctx: Ctx = Depends(get_ctx)):
    ensure_session(ctx)
    return render(ctx, "login.html", error="", email="")


@router.post("/login")
def login(ctx: Ctx = Depends(check_csrf), email: str = Form(""), password: str = Form("")):
    email = email.strip().lower()
    ip = ctx.request.client.host if ctx.request.client else "unknown"
    keys = [f"email:{email}", f"ip:{ip}"]
    s = ctx.settings
    if security.too_many_attempts(ctx.db, keys, s.login_attempts, s.login_window_s):
        return render(ctx, "login.html", 429, email=email,
                      error=f"Too many failed logins; wait {int(s.login_window_s // 60)} "
                            "minutes and try again.")
    p = ctx.db.scalar(select(Practitioner).where(Practitioner.email == email))
    if not security.verify_password(p.password_hash if p else None, password) or p is None:
        security.record_failure(ctx.db, keys)
        return render(ctx, "login.html", 401, email=email, error="Wrong e-mail or password.")
    security.clear_failures(ctx.db, [f"email:{email}"])
    return _login_into(ctx, p)


@router.post("/logout")
def logout(ctx: Ctx = Depends(check_csrf)):
    security.end_session(ctx.db, ctx.request.cookies.get(security.SESSION_COOKIE))
    resp = redirect("/")
    resp.delete_cookie(security.SESSION_COOKIE, path="/")
    return resp
