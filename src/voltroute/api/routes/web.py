"""The web page: `/` serves index.html, `/web/...` its scripts, styles and vendored libraries."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from voltroute.web import STATIC_DIR

WEB_PREFIX = "/web"

router = APIRouter()


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The planner page (not part of the API, so not in the OpenAPI document)."""
    # no-cache: the page is tiny, and a stale one after an upgrade would call a changed API.
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


def mount_web(app: FastAPI) -> None:
    """Serve the page's files; a missing vendor directory (setup not run) answers 404 per file."""
    app.include_router(router)
    app.mount(WEB_PREFIX, StaticFiles(directory=STATIC_DIR, check_dir=False), name="web")
