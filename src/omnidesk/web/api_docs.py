"""The API reference pages (/api/docs with Swagger UI, /api/redoc with ReDoc), served offline.

The Swagger UI and ReDoc bundles come from the installed `fastapi-offline` package and are
served by this app, so the pages work without internet and under the strict
Content-Security-Policy (no inline script: the page's start-up script is a static file).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from omnidesk.web.security import AGENT_CSP

ASSETS_URL = "/api/docs/assets"
ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))
# ReDoc styles itself with <style> elements it writes at run time and renders in a blob worker
REDOC_CSP = (AGENT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
             + "; worker-src 'self' blob:")

router = APIRouter(include_in_schema=False)


def _page(title: str, head: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}</title><link rel="icon" href="/static/favicon.svg">{head}</head>'
            f'<body>{body}</body></html>')


@router.get("/api/docs", response_class=HTMLResponse)
async def swagger_ui() -> HTMLResponse:
    """Show the OpenAPI document in Swagger UI."""
    return HTMLResponse(_page(
        "omnidesk API",
        f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">',
        f'<div id="swagger-ui" data-openapi-url="/api/openapi.json"></div>'
        f'<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>'
        f'<script src="/static/api_docs.js"></script>'))


@router.get("/api/redoc", response_class=HTMLResponse)
async def redoc() -> HTMLResponse:
    """Show the OpenAPI document in ReDoc."""
    return HTMLResponse(
        _page("omnidesk API", "",
              '<redoc spec-url="/api/openapi.json"></redoc>'
              f'<script src="{ASSETS_URL}/redoc.standalone.js"></script>'),
        headers={"Content-Security-Policy": REDOC_CSP})


def install_api_docs(app: FastAPI) -> None:
    """Serve the reference pages and their bundled assets."""
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=str(ASSETS_DIR)), name="api_docs_assets")
