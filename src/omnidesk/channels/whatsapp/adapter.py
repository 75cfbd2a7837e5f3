"""WhatsApp Business Cloud API: GET handshake, signed JSON events, Graph /messages sends."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import httpx

from omnidesk.channels import meta
from omnidesk.channels.base import (
    ChannelError,
    FetchedMedia,
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    WebhookEvent,
)
from omnidesk.channels.media import check_public_url, download, ref, too_large
from omnidesk.channels.retry import request
from omnidesk.channels.whatsapp.config import WhatsAppConfig
from omnidesk.channels.whatsapp.manifest import MANIFEST
from omnidesk.domains.conversations.schemas import Attachment, DeliveryUpdate, InboundMessage

MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
STATUSES = {"sent", "delivered", "read", "failed"}
LIST_BUTTON = "선택 · Choose"  # the list opener (WhatsApp: at most 20 characters)
MEDIA_ID = re.compile(r"^[0-9A-Za-z_.-]{1,100}$")


class WhatsAppAdapter:
    """Customer messages and delivery statuses of one WhatsApp number."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = WhatsAppConfig

    def verify_request(self, request: RawRequest, config: WhatsAppConfig) -> None:
        """Check the GET verify token, or X-Hub-Signature-256 over the raw POST body."""
        meta.verify_webhook(request, verify_token=config.verify_token.get_secret_value(),
                            app_secret=config.app_secret.get_secret_value())

    def parse_inbound(self, request: RawRequest, config: WhatsAppConfig) -> ParsedWebhook:
        """Echo the challenge, or read messages and statuses for our phone number id."""
        if request.method.upper() == "GET":
            return ParsedWebhook(response=meta.challenge_response(request))
        parsed = ParsedWebhook()
        body = request.json()
        for entry in body.get("entry", []):
            for change in entry.get("changes", []):
                value = change.get("value", {})
                number = value.get("metadata", {}).get("phone_number_id")
                if change.get("field") != "messages" or number != config.phone_number_id:
                    parsed.ignored.append(f"field {change.get('field')} for {number}")
                    continue
                names = {c.get("wa_id"): c.get("profile", {}).get("name")
                         for c in value.get("contacts", [])}
                parsed.events += [_message_event(m, names) for m in value.get("messages", [])]
                parsed.events += [e for s in value.get("statuses", [])
                                  if (e := _status_event(s)) is not None]
        return parsed

    async def send_outbound(self, message: OutboundMessage, config: WhatsAppConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """POST /{phone_number_id}/messages: text inside 24 h, a template otherwise."""
        if message.template is None:
            if "last_customer_message_at" in message.meta and \
                    message.meta["last_customer_message_at"] is None:
                raise ChannelError("the customer has not written on WhatsApp: outside the "
                                   "24-hour window only an approved template may be sent",
                                   permanent=True)
            meta.check_window(message.meta)
        url = (f"{config.graph_base_url}/{config.api_version}/"
               f"{config.phone_number_id}/messages")
        answer = await meta.post_graph(client, url, token=config.access_token.get_secret_value(),
                                       body=message_body(message), what="whatsapp messages")
        return SendResult(provider_message_id=answer["messages"][0]["id"])

    async def check_connection(self, config: WhatsAppConfig, http: httpx.AsyncClient) -> str:
        """GET /{phone_number_id}: Graph names the number and the business verified for it."""
        url = f"{config.graph_base_url}/{config.api_version}/{config.phone_number_id}"
        number = await meta.get_graph_identity(
            http, url, token=config.access_token.get_secret_value(), product="WhatsApp",
            fields="display_phone_number,verified_name")
        return f"WhatsApp {number.get('display_phone_number', '?')} " \
               f"({number.get('verified_name', '')})"

    async def fetch_media(self, attachment: Mapping[str, Any], config: WhatsAppConfig,
                          http: httpx.AsyncClient, *, max_bytes: int) -> FetchedMedia:
        """GET /{media-id} for a short-lived URL, then GET that URL with the same token."""
        media_id = ref(attachment, "whatsapp-media")
        if not media_id or not MEDIA_ID.match(media_id):
            raise ChannelError("the attachment has no WhatsApp media id", permanent=True)
        auth = {"Authorization": f"Bearer {config.access_token.get_secret_value()}"}
        response = await request(http, "GET", f"{config.graph_base_url}/{config.api_version}/"
                                 f"{media_id}", what="whatsapp media", headers=auth)
        if not response.is_success:
            raise meta.graph_error(response, "whatsapp media")
        info = response.json()
        if int(info.get("file_size") or 0) > max_bytes:
            raise too_large(max_bytes)
        url = str(info.get("url") or "")
        await check_public_url(url, trusted_base=config.graph_base_url)
        fetched = await download(http, url, what="whatsapp media file", max_bytes=max_bytes,
                                 headers=auth)
        if info.get("sha256") and hashlib.sha256(fetched.data).hexdigest() != info["sha256"]:
            raise ChannelError("whatsapp media does not match its sha256", permanent=False)
        return FetchedMedia(fetched.data, info.get("mime_type") or fetched.content_type,
                            fetched.name)


def message_body(message: OutboundMessage) -> dict[str, Any]:
    """Build the Cloud API request body for text, a linked media file, or a template."""
    body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual",
                            "to": message.recipient}
    if message.template is not None:
        params = [{"type": "text", "text": v} for v in message.template.params.values()]
        body.update(type="template", template={
            "name": message.template.name, "language": {"code": message.template.language},
            "components": [{"type": "body", "parameters": params}] if params else []})
    elif message.attachments and message.attachments[0].url:
        file = message.attachments[0]
        kind = file.content_type.split("/")[0]
        kind = kind if kind in {"image", "audio", "video"} else "document"
        body.update(type=kind, **{kind: {"link": file.url, "caption": message.text}
                                  if kind != "audio" else {"link": file.url}})
    elif message.quick_replies:  # an interactive list: the chosen row's title comes back
        rows = [{"id": r[:200], "title": r[:24]} for r in message.quick_replies]
        body.update(type="interactive", interactive={
            "type": "list", "body": {"text": message.text[:1024]},
            "action": {"button": LIST_BUTTON, "sections": [{"title": LIST_BUTTON,
                                                            "rows": rows}]}})
    else:
        body.update(type="text", text={"preview_url": False, "body": message.text})
    return body


def _message_event(raw: dict[str, Any], names: dict[str, str | None]) -> WebhookEvent:
    kind = raw.get("type", "unsupported")
    text, content_type, attachments = _content(raw, kind)
    inbound = InboundMessage(
        channel="whatsapp", provider_message_id=raw["id"], identity_kind="whatsapp",
        identity_value=raw["from"], customer_phone=f"+{raw['from']}",
        customer_name=names.get(raw["from"]), text=text, content_type=content_type,
        attachments=attachments, sent_at=meta.from_unix(raw.get("timestamp")),
        meta={"wa_type": kind, **({"reply_to": raw["context"]["id"]}
                                  if raw.get("context", {}).get("id") else {})})
    return WebhookEvent(dedupe_key=raw["id"], kind="message", inbound=inbound)


def _content(raw: dict[str, Any], kind: str) -> tuple[str, str, list[Attachment]]:
    if kind == "text":
        return raw["text"].get("body", ""), "text", []
    if kind in MEDIA_TYPES:
        media = raw.get(kind, {})
        file = Attachment(name=media.get("filename") or f"{kind}-{media.get('id')}",
                          content_type=media.get("mime_type", "application/octet-stream"),
                          storage_key=f"whatsapp-media:{media.get('id')}")
        return media.get("caption", ""), "media", [file]
    if kind == "interactive":
        reply = raw["interactive"].get(raw["interactive"].get("type", ""), {})
        return reply.get("title", ""), "postback", []
    if kind == "button":
        return raw["button"].get("text", ""), "postback", []
    if kind == "location":
        loc = raw["location"]
        return f"{loc.get('latitude')},{loc.get('longitude')}", "location", []
    return "", "unsupported", []


def _status_event(raw: dict[str, Any]) -> WebhookEvent | None:
    status = raw.get("status")
    if status not in STATUSES:
        return None
    errors = raw.get("errors") or []
    error = "; ".join(f"{e.get('code')}: {e.get('title', '')}" for e in errors) or None
    update = DeliveryUpdate(channel="whatsapp", provider_message_id=raw["id"], status=status,
                            error=error, at=meta.from_unix(raw.get("timestamp")))
    return WebhookEvent(dedupe_key=f"{raw['id']}:{status}", kind="status", delivery=update)
