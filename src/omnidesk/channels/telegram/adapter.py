"""Telegram Bot API: secret-token webhooks in, sendMessage out, ordered by update_id."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

import httpx

from omnidesk.channels.base import (
    ChannelError,
    FetchedMedia,
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    WebhookEvent,
)
from omnidesk.channels.media import download, ref, too_large
from omnidesk.channels.meta import from_unix
from omnidesk.channels.retry import is_transient_status, json_object, request
from omnidesk.channels.signing import require
from omnidesk.channels.telegram.config import TelegramConfig
from omnidesk.channels.telegram.manifest import MANIFEST
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage

MESSAGE_KEYS = ("message", "business_message", "channel_post")
MAX_TEXT = 4096


class TelegramAdapter:
    """Private chats with a bot: messages, button presses and blocks."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = TelegramConfig

    def verify_request(self, request: RawRequest, config: TelegramConfig) -> None:
        """Compare X-Telegram-Bot-Api-Secret-Token with our secret (there is no HMAC)."""
        require(request.header("X-Telegram-Bot-Api-Secret-Token"),
                config.secret_token.get_secret_value(), what="Telegram secret token")

    def parse_inbound(self, request: RawRequest, config: TelegramConfig) -> ParsedWebhook:
        """Read one Update; its update_id is the dedupe key and the ordering sequence."""
        update = request.json()
        update_id = update.get("update_id")
        if not isinstance(update_id, int):
            return ParsedWebhook(ignored=["update without update_id"])
        key = f"update:{update_id}"
        event = _event(update, key)
        if event is None:
            return ParsedWebhook(ignored=[f"update keys {sorted(set(update) - {'update_id'})}"])
        event.data["update_id"] = update_id
        return ParsedWebhook(events=[event])

    async def send_outbound(self, message: OutboundMessage, config: TelegramConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """Call sendMessage; 429 carries parameters.retry_after, which we honour."""
        if len(message.text) > MAX_TEXT:
            raise ChannelError(f"text longer than {MAX_TEXT} characters", permanent=True)
        body = message_body(message)
        if message.reply_to_provider_id and ":" in message.reply_to_provider_id:
            body["reply_parameters"] = {
                "message_id": int(message.reply_to_provider_id.rsplit(":", 1)[1]),
                "allow_sending_without_reply": True}
        # The token is part of the URL: never put this URL in an error or a log line.
        url = f"{config.api_base_url}/bot{config.bot_token.get_secret_value()}/sendMessage"
        response = await request(client, "POST", url, what="telegram sendMessage", json=body)
        answer = json_object(response)
        if response.is_success and answer.get("ok"):
            result = answer["result"]
            return SendResult(provider_message_id=f"{result['chat']['id']}:{result['message_id']}")
        raise _error(response, answer)

    async def check_connection(self, config: TelegramConfig, http: httpx.AsyncClient) -> str:
        """Call getMe: Telegram answers with the bot the token belongs to."""
        # The token is part of the URL: never put this URL in an error or a log line.
        url = f"{config.api_base_url}/bot{config.bot_token.get_secret_value()}/getMe"
        response = await request(http, "GET", url, what="telegram getMe")
        answer = json_object(response)
        if response.is_success and answer.get("ok"):
            bot = answer.get("result") or {}
            return f"@{bot.get('username', '?')} ({bot.get('first_name', '')})".strip()
        code = int(answer.get("error_code") or response.status_code)
        said = str(answer.get("description") or response.reason_phrase)
        raise ChannelError(f"Telegram refused the bot token ({code} {said})"
                           if code in (401, 404) else f"Telegram answered {code}: {said}",
                           permanent=not is_transient_status(code), status_code=code)

    async def fetch_media(self, attachment: Mapping[str, Any], config: TelegramConfig,
                          http: httpx.AsyncClient, *, max_bytes: int) -> FetchedMedia:
        """Call getFile for the file_path, then GET {api}/file/bot<token>/<file_path>."""
        file_id = ref(attachment, "telegram-file")
        if not file_id:
            raise ChannelError("the attachment has no Telegram file_id", permanent=True)
        token = config.bot_token.get_secret_value()
        # The token is part of these URLs: never put them in an error or a log line.
        response = await request(http, "GET", f"{config.api_base_url}/bot{token}/getFile",
                                 params={"file_id": file_id}, what="telegram getFile")
        answer = json_object(response)
        if not (response.is_success and answer.get("ok")):
            raise _error(response, answer, "telegram getFile")
        result = answer.get("result") or {}
        path = str(result.get("file_path") or "")
        if not path or ".." in path.split("/"):
            raise ChannelError("telegram getFile gave no file_path", permanent=True)
        if int(result.get("file_size") or 0) > max_bytes:
            raise too_large(max_bytes)
        fetched = await download(http, f"{config.api_base_url}/file/bot{token}/{path}",
                                 what="telegram file", max_bytes=max_bytes)
        return FetchedMedia(fetched.data, fetched.content_type, PurePosixPath(path).name)


def _error(response: httpx.Response, answer: dict[str, Any],
           what: str = "telegram sendMessage") -> ChannelError:
    code = int(answer.get("error_code") or response.status_code)
    retry_after = answer.get("parameters", {}).get("retry_after")
    return ChannelError(f"{what} failed with {code}",
                        permanent=not is_transient_status(code), status_code=code,
                        retry_after=float(retry_after) if retry_after is not None else None)


def _event(update: dict[str, Any], key: str) -> WebhookEvent | None:
    for name in MESSAGE_KEYS:
        if name in update:
            return WebhookEvent(dedupe_key=key, kind="message",
                                inbound=_inbound(update[name]))
    if "edited_message" in update:
        edited = update["edited_message"]
        return WebhookEvent(dedupe_key=key, kind="message_edited", data={
            "provider_message_id": f"{edited['chat']['id']}:{edited['message_id']}",
            "text": edited.get("text", "")})
    if "callback_query" in update:
        query = update["callback_query"]
        message = query.get("message") or {"chat": {"id": query["from"]["id"]}}
        inbound = _inbound({**message, "from": query["from"], "text": query.get("data", ""),
                            "message_id": f"cb{query['id']}"})
        inbound.content_type = "postback"
        return WebhookEvent(dedupe_key=key, kind="message", inbound=inbound)
    if "my_chat_member" in update:
        member = update["my_chat_member"]
        status = member.get("new_chat_member", {}).get("status")
        return WebhookEvent(dedupe_key=key, kind="contact_blocked" if status == "kicked"
                            else "contact_membership",
                            data={"chat_id": member["chat"]["id"], "status": status})
    return None


def _inbound(message: dict[str, Any]) -> InboundMessage:
    chat, sender = message["chat"], message.get("from", {})
    name = " ".join(p for p in (sender.get("first_name"), sender.get("last_name")) if p)
    files = _files(message)
    text = message.get("text") or message.get("caption") or ""
    return InboundMessage(
        channel="telegram", provider_message_id=f"{chat['id']}:{message['message_id']}",
        identity_kind="telegram", identity_value=str(chat["id"]), customer_name=name or None,
        text=text, content_type="text" if text or not files else "media", attachments=files,
        sent_at=from_unix(message.get("date")),
        meta={"chat_type": chat.get("type"), "language": sender.get("language_code")})


def _files(message: dict[str, Any]) -> list[Attachment]:
    found = []
    if message.get("photo"):
        largest = message["photo"][-1]
        found.append(("photo.jpg", "image/jpeg", largest["file_id"]))
    for key in ("document", "voice", "video", "audio"):
        if key in message:
            item = message[key]
            found.append((item.get("file_name", key), item.get("mime_type", "application/"
                                                                "octet-stream"), item["file_id"]))
    return [Attachment(name=n, content_type=c, storage_key=f"telegram-file:{f}")
            for n, c, f in found]


def message_body(message: OutboundMessage) -> dict[str, Any]:
    """Build sendMessage's body: the text, and quick replies as an inline keyboard (rows of 6)."""
    body: dict[str, Any] = {"chat_id": message.recipient, "text": message.text}
    if message.quick_replies:  # a tap comes back as a callback_query with this data
        buttons = [{"text": r, "callback_data": r[:64]} for r in message.quick_replies]
        body["reply_markup"] = {"inline_keyboard": [buttons[i:i + 6]
                                                    for i in range(0, len(buttons), 6)]}
    return body
