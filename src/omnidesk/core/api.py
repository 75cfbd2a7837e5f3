"""What every JSON API route shares: strict JSON bodies and the error answers it documents.

`ApiRoute` parses request bodies as strict JSON: UTF-8, and numbers that are finite. Python's
`json` module would accept `NaN`, `Infinity`, `1e400` (a float overflow) and integers of any
size; PostgreSQL's JSON cannot store the first three, JSON cannot carry them back and no column
holds an integer past 64 bits, so such a body is a 422 here, before any model or database sees it. Every router in the OpenAPI document uses it (tests/test_architecture.py).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel


class StrictJsonRequest(Request):
    """A request whose `json()` refuses invalid UTF-8 and non-finite numbers."""

    async def json(self) -> Any:
        """Parse the body as strict JSON; failures are JSONDecodeError (a 422 in FastAPI)."""
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise json.JSONDecodeError("the body is not UTF-8 text", "", exc.start) from exc
            self._json = json.loads(text, parse_constant=_refuse_constant,
                                    parse_float=_finite_float, parse_int=_int64)
        return self._json


def _refuse_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number; numbers must be finite", name, 0)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise json.JSONDecodeError(f"{text} is out of range; numbers must be finite", text, 0)
    return value


def _int64(text: str) -> int:
    value = int(text)
    if not -(2**63) <= value < 2**63:
        raise json.JSONDecodeError(f"{text} does not fit in 64 bits", text, 0)
    return value


class ApiRoute(APIRoute):
    """A FastAPI route that reads its JSON body with `StrictJsonRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler so it parses the body strictly."""
        handler = super().get_route_handler()

        async def strict_json_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive, request._send))

        return strict_json_handler


class ProblemField(BaseModel):
    """One invalid input: where it is and what is wrong with it."""

    field: str
    message: str


class Problem(BaseModel):
    """The body of every error answer: a code, a message a person can act on, the bad fields."""

    error: str
    message: str
    field: str | None = None
    problems: list[ProblemField] | None = None


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("The body could not be read (e.g. a broken multipart form)"),
    401: _problem("No valid API token or session"),
    403: _problem("The caller's role may not do this"),
    404: _problem("Not found in the caller's workspace"),
    409: _problem("It would duplicate or contradict stored data"),
    413: _problem("The body is larger than this endpoint accepts"),
    422: _problem("Invalid input: the fields and what is wrong with each"),
    503: _problem("The process is saturated (too many requests at once, or inbound messages "
                  "while its outbox is behind): nothing was done; retry after the Retry-After "
                  "header's seconds"),
}
"""The error answers any route of the API can give; the app factory documents them on every
router, so the OpenAPI document lists the status codes clients really receive."""

RATE_LIMITED: dict[int | str, dict[str, Any]] = {429: _problem("Too many requests; wait before retrying")}
