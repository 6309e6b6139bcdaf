"""The explorer (no login): network, mechanisms, controls -> charts."""

from fastapi import APIRouter, Depends, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from nicsim.web import explorer as ex
from nicsim.web.api.deps import Ctx, get_ctx
from nicsim.web.api.routes.common import render

router = APIRouter()


@router.get("/explorer")
def explorer_page(ctx: Ctx = Depends(get_ctx)):
    return render(ctx, "explorer.html", mechanisms=ex.mechanisms(), situations=ex.SITUATIONS,
                  plans=ex.PLANS, conditions=ex.CONDITIONS)


@router.get("/explorer/network.svg")
def network_svg():
    return Response(ex.network_svg(), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=3600"})


@router.get("/explorer/mechanisms/{mechanism_id}")
def mechanism(mechanism_id: str, ctx: Ctx = Depends(get_ctx)):
    detail = ex.mechanism_detail(mechanism_id)
    if detail is None:
        raise HTTPException(404, f"no mechanism {mechanism_id!r}; allowed: M1 to M17")
    return render(ctx, "_mechanism.html", m=detail)


class SimulateError(BaseModel):
    detail: str


@router.post("/api/explorer/simulate", response_model=ex.ExplorerResult,
             responses={422: {"model": SimulateError}})
async def simulate(req: ex.ExplorerRequest):
    """Controls as JSON (:class:`nicsim.web.explorer.ExplorerRequest`) -> chart data. Bad
    controls: 422 with ``detail`` naming the field, the value and what is allowed."""
    try:
        return await run_in_threadpool(ex.run, req)
    except ex.ExplorerInputError as exc:
        return JSONResponse({"detail": str(exc)}, 422)
