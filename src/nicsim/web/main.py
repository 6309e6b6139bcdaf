"""The FastAPI application."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from nicsim.web.api.deps import LoginRequired
from nicsim.web.api.routes import (
    auth,
    clients,
    consultations,
    diary,
    explorer,
    jobs,
    pages,
    projection,
    triggers,
)
from nicsim.web.core import security
from nicsim.web.core.config import Settings
from nicsim.web.core.db import make_engine, session_factory, upgrade
from nicsim.web.templating import templates
from nicsim.web.worker import Worker

HERE = Path(__file__).resolve().parent

_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or Settings.from_env()
    if migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessionmaker = session_factory(engine)
    worker = None
    if settings.run_worker:
        worker = Worker(sessionmaker)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if worker is not None:
            worker.start()
        yield
        if worker is not None:
            worker.stop()
        engine.dispose()

    app = FastAPI(title="nicsim", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.worker = worker
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    for r in (pages.router, explorer.router, auth.router, clients.router, diary.router,
              jobs.router, consultations.router, triggers.router, projection.router):
        app.include_router(r)

    @app.middleware("http")
    async def headers_and_cookie(request: Request, call_next):
        response = await call_next(request)
        ctx = getattr(request.state, "ctx", None)
        if ctx is not None and ctx.new_cookie:
            response.set_cookie(security.SESSION_COOKIE, ctx.new_cookie, httponly=True,
                                samesite="lax", secure=settings.secure_cookies, path="/",
                                max_age=int(settings.session_hours * 3600))
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"  # diary links carry a secret
        if request.url.path.startswith(("/clients", "/d/", "/jobs", "/audit")):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        if request.headers.get("hx-request"):
            return HTMLResponse("", status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        msgs = []
        for e in exc.errors():
            loc = [str(p) for p in e["loc"] if p != "body"]
            field = ".".join(loc) or "body"
            msgs.append(f"{field}: {e.get('input')!r} is not allowed ({e['msg']})")
        return JSONResponse({"detail": "; ".join(msgs)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail,
                                    "ctx": getattr(request.state, "ctx", None)},
            status_code=exc.status_code)

    return app
