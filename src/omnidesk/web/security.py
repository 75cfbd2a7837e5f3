"""Security headers: a strict Content-Security-Policy on HTML pages, nosniff everywhere.

Routes that need another policy (the widget frame, whose frame-ancestors come from workspace
settings; the demo store) set their own Content-Security-Policy header, which is kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

AGENT_CSP = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self'; "
    "img-src 'self' data: blob:; "
    "connect-src 'self'; "
    "font-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-src 'self'; "
    "frame-ancestors 'none'"
)


def widget_csp(frame_ancestors: str) -> str:
    """Return the widget frame's policy, embeddable by the workspace's allowed sites."""
    return AGENT_CSP.replace("frame-ancestors 'none'", f"frame-ancestors {frame_ancestors}")


def install_security_headers(app: FastAPI) -> None:
    """Add CSP to HTML responses that have none, and nosniff/referrer headers to all."""

    @app.middleware("http")
    async def _headers(request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        is_html = response.headers.get("content-type", "").startswith("text/html")
        if is_html and "content-security-policy" not in response.headers:
            response.headers["Content-Security-Policy"] = AGENT_CSP
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response
