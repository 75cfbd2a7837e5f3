"""The channel adapter contract: raw requests in, channel-agnostic messages out, sends back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable
from urllib.parse import parse_qsl

import httpx
from pydantic import BaseModel

from omnidesk.core.text import storable_json
from omnidesk.domains.conversations.schemas import DeliveryUpdate, InboundMessage


class SignatureError(Exception):
    """The request is not provably from the provider: answer 401/403 and store nothing."""

    def __init__(self, reason: str, *, status: int = 401) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class ChannelError(Exception):
    """A send failed; ``permanent`` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None,
                 status_code: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.status_code = status_code


@dataclass(frozen=True)
class RawRequest:
    """A webhook request exactly as received; the body bytes are what providers sign."""

    method: str
    url: str
    headers: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes
    received_at: dt.datetime
    remote_ip: str | None = None

    def header(self, name: str) -> str | None:
        """Return a header value by case-insensitive name."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    def form_pairs(self) -> list[tuple[str, str]]:
        """Decode a form-encoded body into (name, value) pairs, keeping repeats."""
        return parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)

    def form(self) -> dict[str, str]:
        """Decode a form-encoded body into a dict (last value wins)."""
        return dict(self.form_pairs())

    def json(self) -> Any:
        """Decode a JSON body; a malformed body is a permanent parse error."""
        try:
            return storable_json(json.loads(self.body))  # no NUL or lone surrogate goes on
        except ValueError as exc:
            raise ValueError(f"body is not JSON: {exc}") from exc


@dataclass(frozen=True)
class WebhookResponse:
    """What the webhook route answers right away (TwiML, skill JSON, a challenge, or 200)."""

    status: int = 200
    body: bytes = b""
    media_type: str = "text/plain"


@dataclass
class WebhookEvent:
    """One provider event of a request, with the key that makes redeliveries harmless."""

    dedupe_key: str
    kind: str
    inbound: InboundMessage | None = None
    delivery: DeliveryUpdate | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # Keys under which the same event may already be stored (see channels/replay.py).
    seen_as: tuple[str, ...] = ()


@dataclass
class ParsedWebhook:
    """All events of one request and the immediate answer the provider expects."""

    events: list[WebhookEvent] = field(default_factory=list)
    response: WebhookResponse = field(default_factory=WebhookResponse)
    ignored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OutboundAttachment:
    """A file to send: bytes for channels that upload, a URL for channels that link."""

    name: str
    content_type: str
    data: bytes | None = None
    url: str | None = None


@dataclass(frozen=True)
class TemplateRef:
    """A provider-approved template (WhatsApp template, 알림톡 template) and its values."""

    name: str
    language: str = "ko"
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboundMessage:
    """A reply to deliver: channel-agnostic, addressed to the provider's recipient id."""

    message_id: int
    idempotency_key: str
    recipient: str
    text: str
    html: str | None = None
    subject: str | None = None
    attachments: tuple[OutboundAttachment, ...] = ()
    template: TemplateRef | None = None
    reply_to_provider_id: str | None = None
    references: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    # Buttons the customer taps; a tap sends the button's text back (a channel with the
    # quick_replies capability renders them, within its manifest's quick_reply_limit).
    quick_replies: tuple[str, ...] = ()


@dataclass(frozen=True)
class SendResult:
    """What the provider said when it accepted a send."""

    provider_message_id: str
    status: Literal["sent", "delivered"] = "sent"
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FetchedMedia:
    """The bytes of an inbound file, as the provider served them."""

    data: bytes
    content_type: str | None = None
    name: str | None = None


@runtime_checkable
class ChannelAdapter(Protocol):
    """What every channel provides: verify, parse and send."""

    kind: str
    capabilities: frozenset[str]

    @property
    def config_model(self) -> type[BaseModel]:
        """The pydantic model of a connection's settings (read-only: each adapter names its own)."""
        ...

    def verify_request(self, request: RawRequest, config: Any) -> None:
        """Raise SignatureError unless the request provably comes from the provider."""
        ...

    def parse_inbound(self, request: RawRequest, config: Any) -> ParsedWebhook:
        """Turn a verified request into events and the immediate answer."""
        ...

    async def send_outbound(
        self, message: OutboundMessage, config: Any, client: httpx.AsyncClient
    ) -> SendResult:
        """Deliver one message, raising ChannelError(permanent=...) on failure."""
        ...


@runtime_checkable
class MediaFetcher(Protocol):
    """Optional capability: download an inbound attachment from the provider."""

    async def fetch_media(self, attachment: Mapping[str, Any], config: Any,
                          http: httpx.AsyncClient, *, max_bytes: int) -> FetchedMedia:
        """Download one attachment, raising ChannelError(permanent=...) on failure."""
        ...


@runtime_checkable
class ConnectionChecker(Protocol):
    """Optional capability: prove the settings reach the provider, without messaging anyone."""

    async def check_connection(self, config: Any, http: httpx.AsyncClient) -> str:
        """Return what the provider said we are (a bot's name, a mailbox), or raise ChannelError
        whose message says in words what the provider refused."""
        ...


@runtime_checkable
class RecordingEraser(Protocol):
    """Optional capability: delete a call recording the provider keeps (retention, erasure)."""

    async def delete_recording(self, recording_id: str, config: Any,
                               http: httpx.AsyncClient) -> bool:
        """Delete one recording; return False when the provider no longer has it, raise
        ChannelError(permanent=...) when it refuses."""
        ...


def supports_media(adapter: object) -> bool:
    """Tell whether an adapter can download inbound attachments."""
    return isinstance(adapter, MediaFetcher)


async def fetch_media(adapter: object, attachment: Mapping[str, Any], config: Any,
                      http: httpx.AsyncClient, *, max_bytes: int) -> FetchedMedia:
    """Download an attachment through the adapter; adapters without the capability refuse."""
    if not isinstance(adapter, MediaFetcher):
        kind = getattr(adapter, "kind", type(adapter).__name__)
        raise ChannelError(f"{kind} cannot download media", permanent=True)
    return await adapter.fetch_media(attachment, config, http, max_bytes=max_bytes)
