"""Home page and health check."""

from fastapi import APIRouter, Depends
from sqlalchemy import text

from nicsim.web.api.deps import Ctx, get_ctx
from nicsim.web.api.routes.common import render

router = APIRouter()


@router.get("/")
def home(ctx: Ctx = Depends(get_ctx)):
    return render(ctx, "home.html")


@router.get("/healthz")
def healthz(ctx: Ctx = Depends(get_ctx)):
    ctx.db.execute(text("SELECT 1"))
    return {"ok": True}
