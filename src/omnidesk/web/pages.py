"""The front door: send people to the inbox, or to the login page first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from omnidesk.web.auth import has_login

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(request: Request) -> Response:
    """Send people to the inbox, or to the login page first."""
    return RedirectResponse("/inbox" if has_login(request) else "/login",
                            status_code=303)
