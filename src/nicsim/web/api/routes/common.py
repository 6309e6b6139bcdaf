"""Rendering helpers shared by the route modules."""

from __future__ import annotations

from fastapi.responses import RedirectResponse

from nicsim.web.api.deps import Ctx
from nicsim.web.templating import templates


def render(ctx: Ctx, name: str, status_code: int = 200, **context):
    return templates.TemplateResponse(ctx.request, name, {"ctx": ctx, **context},
                                      status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
