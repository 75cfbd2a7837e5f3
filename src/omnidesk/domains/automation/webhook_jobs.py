"""Send one queued webhook delivery: sign, check the address, POST, log the answer.

The outbox owns retries and dead letters (its backoff and OMNIDESK_OUTBOX_MAX_ATTEMPTS): a
failed attempt is logged on the delivery row and committed at once, then the handler raises so
the dispatcher schedules the next attempt. A refused address dead-letters at once.
"""

from __future__ import annotations

import json
import time

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.errors import NotFound
from omnidesk.core.events import DeliveredEvent, OutboxEvent, PermanentError, RetryLater
from omnidesk.core.pii.policy import MASK_ALL
from omnidesk.core.pii.seal import scrub_value
from omnidesk.domains.automation.events import WebhookDeliveryRequested
from omnidesk.domains.automation.models import WebhookDelivery
from omnidesk.domains.automation.service import allowed_hosts, get_endpoint, get_webhook_delivery
from omnidesk.domains.automation.webhooks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Answer,
    Refused,
    post,
    sign,
    target_address,
)


class WebhookFailed(Exception):
    """The receiver did not accept the event (non-2xx or no answer); the outbox retries."""


def body_of(source: OutboxEvent) -> bytes:
    """Return the JSON body sent for a catalogue event (what the signature covers).

    Personal data in the payload goes out masked, whatever the workspace keeps in clear.
    """
    return json.dumps({"id": source.id, "event": source.name,
                       "created_at": source.created_at.isoformat(),
                       "workspace_id": source.workspace_id,
                       "data": scrub_value(source.payload, MASK_ALL)},  # masked text only
                      ensure_ascii=False, separators=(",", ":")).encode()


async def send_webhook(event: DeliveredEvent[WebhookDeliveryRequested],
                       session: AsyncSession) -> None:
    """POST the event to the endpoint, signed; raise to retry, PermanentError when refused."""
    assert event.workspace_id is not None
    try:
        delivery = await get_webhook_delivery(session, workspace_id=event.workspace_id,
                                              delivery_id=event.data.webhook_delivery_id)
        endpoint = await get_endpoint(session, workspace_id=event.workspace_id,
                                      endpoint_id=delivery.endpoint_id)
    except NotFound:
        return  # the endpoint was deleted meanwhile: nothing to send
    if delivery.status == "delivered":
        return
    source = await session.get(OutboxEvent, delivery.event_id)
    if source is None:
        raise PermanentError(f"event {delivery.event_id} is no longer stored")
    try:
        address = await target_address(endpoint.url, await allowed_hosts(
            session, workspace_id=event.workspace_id))
    except Refused as exc:
        await _log(session, delivery, Answer(0, 0, f"refused: {exc}"[:500]))
        raise PermanentError(str(exc)) from exc
    except ConnectionError as exc:
        await _log(session, delivery, Answer(0, 0, str(exc)[:500]))
        raise
    body, timestamp = body_of(source), int(time.time())
    answer = await post(endpoint.url, body, {
        "Content-Type": "application/json", "User-Agent": "omnidesk-webhooks/1",
        "X-Omnidesk-Event": source.name, "X-Omnidesk-Delivery": str(delivery.id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body)}, address)
    await _log(session, delivery, answer)
    if answer.ok:
        return
    if answer.status == 410:
        raise PermanentError("the receiver answered 410 Gone")
    if answer.retry_after is not None:
        raise RetryLater(answer.error or "retry later", seconds=answer.retry_after)
    raise WebhookFailed(answer.error or f"HTTP {answer.status}")


async def _log(session: AsyncSession, delivery: WebhookDelivery, answer: Answer) -> None:
    """Record the attempt on the delivery row; a failure is committed now (the retry reads it)."""
    delivery.attempts += 1
    delivery.last_attempt_at = utcnow()
    delivery.response_status = answer.status or None
    delivery.duration_ms = answer.duration_ms
    delivery.error = answer.error
    delivery.status = "delivered" if answer.ok else "failing"
    if answer.ok:
        delivery.delivered_at = delivery.last_attempt_at
    else:
        await session.commit()
