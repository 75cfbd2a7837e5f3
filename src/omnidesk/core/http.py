"""HTTP plumbing shared by every domain's routes: session and actor dependencies, errors.

The actor resolver is injected by the app factory (it lives above the domains), so the
domains' routes can require an authenticated actor without importing the web layer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException

from omnidesk.core.admission import Busy, IntakeGate, busy_response
from omnidesk.core.context import Actor
from omnidesk.core.errors import DomainError, NotAuthenticated, PermissionDenied, RateLimited
from omnidesk.core.schemas import AfterId

ActorResolver = Callable[[Request, AsyncSession], Awaitable[Actor | None]]
CustomerScope = Callable[[Actor], "Select[int] | None"]
CsrfCheck = Callable[[Request, str | None], bool]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Yield a database session for one request; routes commit explicitly."""
    async with request.app.state.session_factory() as session:
        yield session


async def get_actor(
    request: Request, session: Annotated[AsyncSession, Depends(get_session)]
) -> Actor:
    """Return the authenticated actor (bearer token or session cookie) or answer 401."""
    resolver: ActorResolver = request.app.state.actor_resolver
    actor = await resolver(request, session)
    if actor is None:
        raise NotAuthenticated("send an API token as 'Authorization: Bearer <token>' or log in")
    return actor


async def require_csrf_with_cookie(
    request: Request, csrf: Annotated[str | None, Form(description="CSRF token (browsers)")] = None,
) -> None:
    """Refuse (403) a form post authenticated by the session cookie without its CSRF token.

    A browser sends the cookie along with any site's form post; a bearer token it never sends
    by itself. The check is injected by the app factory (``app.state.csrf_check``).
    """
    if request.headers.get("authorization"):
        return
    check: CsrfCheck = request.app.state.csrf_check
    if not check(request, csrf):
        raise PermissionDenied("invalid or missing CSRF token (form field csrf or X-CSRF-Token)")


def get_customer_scope(request: Request) -> CustomerScope:
    """Return the customer visibility rule (conversations.service owns it; the app injects it,
    since the customers domain sits below conversations and cannot import it)."""
    rule: CustomerScope = request.app.state.customer_scope
    return rule


async def admit_intake(request: Request) -> AsyncIterator[None]:
    """Hold an intake slot while an inbound message is stored, or refuse it (503) at once."""
    gate: IntakeGate = request.app.state.intake_gate
    async with gate.admit():
        yield


SessionDep = Annotated[AsyncSession, Depends(get_session)]
CustomerScopeDep = Annotated[CustomerScope, Depends(get_customer_scope)]
CsrfWithCookie = Depends(require_csrf_with_cookie)
ActorDep = Annotated[Actor, Depends(get_actor)]
IntakeAdmission = Depends(admit_intake)
LimitQuery = Annotated[int, Query(ge=1, le=200, description="Page size")]
AfterIdQuery = Annotated[AfterId, Query(description="Only what came after this id (0 = all)")]
CursorQuery = Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9_-]+$",
                                          description="next_cursor from the previous page")]


HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
              413: "too_large", 429: "rate_limited"}


def install_error_handlers(app: FastAPI) -> None:
    """Answer domain errors, validation errors and integrity errors as clear 4xx JSON."""

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        body = {"error": exc.code, "message": exc.message}
        if exc.field:
            body["field"] = exc.field
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if isinstance(exc, RateLimited):  # when the caller may try again
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(body, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
             "message": _message(err)}
            for err in exc.errors()
        ]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return JSONResponse({"error": "invalid", "message": message, "problems": problems},
                            status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> Response:
        # Starlette's own answers (unknown path, 405 with its Allow header, unreadable body)
        # keep their headers and get the same JSON shape as every other error.
        if exc.status_code in (204, 304):
            return Response(status_code=exc.status_code, headers=exc.headers)
        body = {"error": HTTP_CODES.get(exc.status_code, "http_error"), "message": str(exc.detail)}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(PoolTimeout)
    async def _busy(_: Request, exc: PoolTimeout) -> JSONResponse:
        # every database connection stayed busy for db_pool_timeout: nothing was stored,
        # and the caller (provider, widget, API client) is told to come back, not handed a 500
        return busy_response()

    @app.exception_handler(Busy)
    async def _refused(_: Request, exc: Busy) -> JSONResponse:
        return busy_response(exc.retry_after)

    @app.exception_handler(DBAPIError)
    async def _data(_: Request, exc: DBAPIError) -> JSONResponse:
        # SQLSTATE class 22: the database refused a value its column cannot hold (a number out of
        # range, text longer than the column); the transaction rolled back, nothing was stored.
        # asyncpg's errors reach us as plain DBAPIError, so the class is read from the code.
        if not isinstance(exc, DataError) and not _sqlstate(exc).startswith("22"):
            raise exc
        return JSONResponse(
            {"error": "invalid", "message": "a value is out of range or too long to be stored"},
            status_code=422,
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        return JSONResponse(
            {"error": "conflict", "message": "this would duplicate or orphan existing data"},
            status_code=409,
        )


def _message(err: dict[str, Any]) -> str:
    """Say what is wrong, with the parser's reason for a body that is not valid JSON."""
    message = str(err.get("msg", "invalid"))
    reason = (err.get("ctx") or {}).get("error")
    if err.get("type") == "json_invalid" and reason:
        message = f"{message}: {reason}"
    return message


def _sqlstate(exc: DBAPIError) -> str:
    """Return the SQLSTATE of a database error ('' when the driver gives none)."""
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return str(code or getattr(getattr(orig, "__cause__", None), "sqlstate", "") or "")
