"""Which send failures to retry, when, and how long to wait (Retry-After honoured)."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from typing import Any

import httpx

from omnidesk.channels.base import ChannelError

TRANSIENT_STATUSES = frozenset({408, 429})
MAX_RETRY_AFTER_SECONDS = 3600.0


def is_transient_status(status: int) -> bool:
    """Tell whether an HTTP status is worth retrying: only 408, 429 and 5xx."""
    return status in TRANSIENT_STATUSES or 500 <= status <= 599


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Read Retry-After as delta-seconds or an HTTP-date; None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    current = now or dt.datetime.now(dt.UTC)
    return min(max((when - current).total_seconds(), 0.0), MAX_RETRY_AFTER_SECONDS)


def error_from_response(response: httpx.Response, detail: str = "") -> ChannelError:
    """Classify a non-2xx provider answer as a transient or permanent ChannelError."""
    status = response.status_code
    reason = f"{detail or 'provider'} answered HTTP {status}"
    return ChannelError(
        reason, permanent=not is_transient_status(status), status_code=status,
        retry_after=parse_retry_after(response.headers.get("retry-after")),
    )


def json_object(response: httpx.Response) -> dict[str, Any]:
    """A provider's answer as a JSON object, or {} when it is not one (HTML, empty, a list)."""
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def object_at(answer: dict[str, Any], key: str) -> dict[str, Any]:
    """answer[key] when it is a JSON object, else {}."""
    value = answer.get(key)
    return value if isinstance(value, dict) else {}


def backoff_seconds(attempt: int, *, base: float = 2.0, cap: float = 600.0,
                    retry_after: float | None = None, rng: random.Random | None = None) -> float:
    """Capped exponential backoff with full jitter; a provider's Retry-After is a floor."""
    ceiling = min(cap, base * (2 ** max(attempt - 1, 0)))
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


async def request(client: httpx.AsyncClient, method: str, url: str, *, what: str,
                  **kwargs: Any) -> httpx.Response:
    """Send one provider request; network failures become transient ChannelErrors."""
    try:
        return await client.request(method, url, **kwargs)
    except httpx.TransportError as exc:  # connect/read errors and timeouts alike
        raise ChannelError(f"{what}: network error {type(exc).__name__}",
                           permanent=False) from exc


async def request_ok(client: httpx.AsyncClient, method: str, url: str, *, what: str,
                     **kwargs: Any) -> httpx.Response:
    """Send a provider request and raise a classified ChannelError on a non-2xx answer."""
    response = await request(client, method, url, what=what, **kwargs)
    if not response.is_success:
        raise error_from_response(response, what)
    return response
