"""The explorer (no login): network, mechanisms, controls -> charts."""

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

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


@router.post("/api/explorer/simulate")
async def simulate(request: Request):
    """Controls as JSON (see :class:`nicsim.web.explorer.ExplorerRequest`) -> chart data."""
    try:
        data = await request.json()
    except ValueError:
        return JSONResponse({"detail": "body: expected a JSON object of controls"}, 422)
    if not isinstance(data, dict):
        return JSONResponse({"detail": "body: expected a JSON object of controls"}, 422)
    try:
        req = ex.parse_request(data)
        return await run_in_threadpool(ex.run, req)
    except ex.ExplorerInputError as exc:
        return JSONResponse({"detail": str(exc)}, 422)
