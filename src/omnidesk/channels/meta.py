"""Meta platform pieces shared by WhatsApp, Messenger and Instagram: verify, sign, errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import httpx

from omnidesk.channels.base import ChannelError, RawRequest, SignatureError, WebhookResponse
from omnidesk.channels.retry import (
    error_from_response,
    json_object,
    object_at,
    parse_retry_after,
    request,
)
from omnidesk.channels.signing import hmac_sha256_hex, require, same

# Graph error codes that mean "slow down" or "try again", whatever the HTTP status says.
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 613, 80007, 130429, 131016, 131048, 131056})
CUSTOMER_WINDOW = dt.timedelta(hours=24)
HUMAN_AGENT_WINDOW = dt.timedelta(days=7)


def verify_signature(request: RawRequest, app_secret: str) -> None:
    """Check X-Hub-Signature-256 over the raw bytes received (never a re-serialised body)."""
    expected = "sha256=" + hmac_sha256_hex(app_secret, request.body)
    require(request.header("X-Hub-Signature-256"), expected, what="X-Hub-Signature-256")


def verify_subscription(request: RawRequest, verify_token: str) -> None:
    """Check the GET handshake: hub.mode=subscribe and our verify token, else 403."""
    if request.query.get("hub.mode") != "subscribe":
        raise SignatureError("hub.mode is not subscribe", status=403)
    if not same(request.query.get("hub.verify_token"), verify_token):
        raise SignatureError("bad hub.verify_token", status=403)


def verify_webhook(request: RawRequest, *, verify_token: str, app_secret: str) -> None:
    """Check a Meta webhook: the GET subscription handshake, or the signature of a POST."""
    if request.method.upper() == "GET":
        verify_subscription(request, verify_token)
    else:
        verify_signature(request, app_secret)


def challenge_response(request: RawRequest) -> WebhookResponse:
    """Echo hub.challenge as the bare body, as Meta expects."""
    return WebhookResponse(body=request.query.get("hub.challenge", "").encode())


def from_unix(seconds: str | float | None, *, millis: bool = False) -> dt.datetime | None:
    """Convert a Unix timestamp (seconds, or milliseconds) to aware UTC."""
    if seconds is None or seconds == "":
        return None
    value = float(seconds) / (1000 if millis else 1)
    return dt.datetime.fromtimestamp(value, dt.UTC)


def check_window(meta: Mapping[str, Any], *, now: dt.datetime | None = None) -> str | None:
    """Return the Messenger tag needed to reply, or raise if Meta's policy forbids it."""
    last = meta.get("last_customer_message_at")
    if last is None:
        return None
    last_at = last if isinstance(last, dt.datetime) else dt.datetime.fromisoformat(str(last))
    age = (now or dt.datetime.now(dt.UTC)) - last_at
    if age <= CUSTOMER_WINDOW:
        return None
    if meta.get("author_kind") == "agent" and age <= HUMAN_AGENT_WINDOW:
        return "HUMAN_AGENT"
    raise ChannelError("outside the customer-service window; use an approved template",
                       permanent=True)


async def post_graph(client: httpx.AsyncClient, url: str, *, token: str, body: dict[str, Any],
                     what: str) -> dict[str, Any]:
    """POST JSON to the Graph API with a bearer token, classifying its error codes."""
    response = await request(client, "POST", url, what=what, json=body,
                             headers={"Authorization": f"Bearer {token}"})
    if response.is_success:
        return response.json()
    raise graph_error(response, what)


def graph_error(response: httpx.Response, what: str) -> ChannelError:
    """Turn a Graph error answer into a ChannelError, trusting Meta's rate-limit codes."""
    base = error_from_response(response, what)
    try:
        error = response.json().get("error", {})
    except ValueError:
        return base
    code = error.get("code")
    if not isinstance(code, int):
        return base
    transient = code in TRANSIENT_CODES or not base.permanent
    return ChannelError(f"{what}: Graph error {code}", permanent=not transient,
                        status_code=response.status_code,
                        retry_after=parse_retry_after(response.headers.get("retry-after")))


async def get_graph_identity(client: httpx.AsyncClient, url: str, *, token: str, product: str,
                             fields: str) -> dict[str, Any]:
    """GET a Graph object with a bearer token for a connection check; Meta's refusal is
    raised in Meta's own words (never the token, which stays in a header)."""
    response = await request(client, "GET", url, what=f"{product} check", params={"fields": fields},
                             headers={"Authorization": f"Bearer {token}"})
    answer = json_object(response)
    if response.is_success:
        return answer
    error = object_at(answer, "error")
    code = error.get("code")
    said = str(error.get("message") or response.reason_phrase)
    transient = code in TRANSIENT_CODES or response.status_code >= 500
    if code == 190:
        text = f"{product} refused the access token (Graph error 190: {said})"
    else:
        text = f"{product} answered {response.status_code}" + \
            (f" (Graph error {code}: {said})" if code is not None else f": {said}")
    raise ChannelError(text, permanent=not transient, status_code=response.status_code)
