"""Outgoing webhook writes: endpoints, the allowed hosts, queued deliveries and replays."""

from __future__ import annotations

import secrets

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import rowcount
from omnidesk.core.errors import Conflict, InvalidInput, NotFound
from omnidesk.core.events import CATALOGUE, Event, emit
from omnidesk.core.outbox import do_replay_delivery
from omnidesk.domains.automation.events import WebhookDeliveryRequested, WebhookEndpointChanged
from omnidesk.domains.automation.models import (
    WebhookAllowedHost,
    WebhookDelivery,
    WebhookEndpoint,
)
from omnidesk.domains.automation.schemas import AllowedHostCreate, EndpointCreate, EndpointUpdate
from omnidesk.domains.automation.service import (
    allowed_hosts,
    get_endpoint,
    get_webhook_delivery,
    outbox_delivery_of,
)
from omnidesk.domains.automation.webhooks import Refused, check_url

OWN_EVENTS = ("webhook.",)  # never sent to endpoints: a delivery about a delivery would loop


def webhook_events(catalogue: list[type[Event]]) -> list[type[Event]]:
    """Return the catalogue events an endpoint may subscribe to."""
    return [e for e in catalogue if not e.name.startswith(OWN_EVENTS)]


def new_secret() -> str:
    """Return a fresh signing secret."""
    return "whsec_" + secrets.token_urlsafe(24)


def _check_events(events: list[str]) -> list[str]:
    known = {e.name for e in webhook_events(list(CATALOGUE.values()))}
    unknown = sorted(set(events) - known)
    if unknown:
        raise InvalidInput(f"unknown events: {', '.join(unknown)} (see omnidesk events list)",
                           field="events")
    return sorted(set(events))


def _check_url(url: str) -> str:
    try:
        check_url(url)
    except Refused as exc:
        raise InvalidInput(str(exc), field="url") from exc
    return url


def _record(session: AsyncSession, actor: Actor, endpoint: WebhookEndpoint, action: str) -> None:
    audit(session, workspace_id=endpoint.workspace_id, action=f"webhook.endpoint_{action}",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="webhook_endpoint",
          object_id=endpoint.id, data={"name": endpoint.name})  # never the secret
    emit(session, WebhookEndpointChanged(endpoint_id=endpoint.id, action=action),
         workspace_id=endpoint.workspace_id)


async def check_create_endpoint(session: AsyncSession, *, actor: Actor,
                                endpoint_in: EndpointCreate) -> WebhookEndpoint:
    """Validate and store an endpoint with a new signing secret."""
    actor.require("admin")
    endpoint = WebhookEndpoint(workspace_id=actor.workspace_id, name=endpoint_in.name,
                               url=_check_url(endpoint_in.url),
                               events=_check_events(endpoint_in.events),
                               enabled=endpoint_in.enabled, secret=new_secret())
    session.add(endpoint)
    await session.flush()
    _record(session, actor, endpoint, "created")
    return endpoint


async def check_update_endpoint(session: AsyncSession, *, actor: Actor, endpoint_id: int,
                                endpoint_in: EndpointUpdate) -> WebhookEndpoint:
    """Change an endpoint's name, URL, events or switch, or rotate its secret."""
    actor.require("admin")
    endpoint = await get_endpoint(session, workspace_id=actor.workspace_id,
                                  endpoint_id=endpoint_id)
    fields = endpoint_in.changes()
    if "url" in fields:
        endpoint.url = _check_url(fields["url"])
    if "events" in fields:
        endpoint.events = _check_events(fields["events"])
    for key in ("name", "enabled"):
        if key in fields:
            setattr(endpoint, key, fields[key])
    if fields.get("rotate_secret"):
        endpoint.secret = new_secret()
    await session.flush()
    _record(session, actor, endpoint, "updated")
    return endpoint


async def check_delete_endpoint(session: AsyncSession, *, actor: Actor, endpoint_id: int) -> None:
    """Delete an endpoint and its delivery log."""
    actor.require("admin")
    endpoint = await get_endpoint(session, workspace_id=actor.workspace_id,
                                  endpoint_id=endpoint_id)
    _record(session, actor, endpoint, "deleted")
    await session.delete(endpoint)
    await session.flush()


async def check_allow_host(session: AsyncSession, *, actor: Actor,
                           host_in: AllowedHostCreate) -> WebhookAllowedHost:
    """Let webhooks reach a host on a private address (an internal service)."""
    actor.require("admin")
    host = host_in.host.strip("[]").lower()
    if host in await allowed_hosts(session, workspace_id=actor.workspace_id):
        raise Conflict(f"{host} is already allowed", field="host")
    row = WebhookAllowedHost(workspace_id=actor.workspace_id, host=host)
    session.add(row)
    audit(session, workspace_id=actor.workspace_id, action="webhook.host_allowed",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="webhook_host",
          object_id=None, data={"host": host})
    await session.flush()
    return row


async def check_disallow_host(session: AsyncSession, *, actor: Actor, host: str) -> None:
    """Remove a host from the allowed list."""
    actor.require("admin")
    result = await session.execute(delete(WebhookAllowedHost).where(
        WebhookAllowedHost.workspace_id == actor.workspace_id,
        WebhookAllowedHost.host == host.lower()))
    if not rowcount(result):
        raise NotFound(f"{host} is not on the allowed list")
    audit(session, workspace_id=actor.workspace_id, action="webhook.host_disallowed",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="webhook_host",
          object_id=None, data={"host": host.lower()})


async def do_request_deliveries(session: AsyncSession, *, workspace_id: int, event_id: int,
                                event_name: str, endpoints: list[WebhookEndpoint],
                                ) -> list[WebhookDelivery]:
    """Queue the event for each endpoint: a log row and its own outbox delivery (retries)."""
    rows = [WebhookDelivery(workspace_id=workspace_id, endpoint_id=e.id, event_id=event_id,
                            event_name=event_name) for e in endpoints]
    session.add_all(rows)
    await session.flush()
    requests = [emit(session, WebhookDeliveryRequested(webhook_delivery_id=r.id,
                                                       endpoint_id=r.endpoint_id),
                     workspace_id=workspace_id) for r in rows]
    await session.flush()
    for row, request in zip(rows, requests, strict=True):
        row.request_event_id = request.id
    return rows


async def check_replay_delivery(session: AsyncSession, *, actor: Actor, endpoint_id: int,
                                delivery_id: int) -> WebhookDelivery:
    """Send a dead-lettered webhook delivery again, with a fresh attempt budget."""
    actor.require("admin")
    delivery = await get_webhook_delivery(session, workspace_id=actor.workspace_id,
                                          delivery_id=delivery_id)
    if delivery.endpoint_id != endpoint_id:
        raise NotFound("webhook delivery not found")
    outbox = await outbox_delivery_of(session, delivery=delivery)
    if outbox is None:
        raise InvalidInput("this delivery has not been queued yet")
    await do_replay_delivery(session, delivery_id=outbox.id, workspace_id=actor.workspace_id)
    delivery.status = "pending"
    return delivery
