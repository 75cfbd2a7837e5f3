"""Twilio Voice: IVR TwiML answered inside the 15 s budget, call events and transcripts."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from omnidesk.channels import twilio
from omnidesk.channels.base import (
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    WebhookEvent,
    WebhookResponse,
)
from omnidesk.channels.sms.adapter import send_sms
from omnidesk.channels.sms.config import TwilioSmsConfig
from omnidesk.channels.voice import twiml
from omnidesk.channels.voice.config import TwilioVoiceConfig
from omnidesk.channels.voice.ivr import IvrInput, choose
from omnidesk.channels.voice.manifest import MANIFEST
from omnidesk.domains.conversations.schemas import InboundMessage

XML = "text/xml"


class TwilioVoiceAdapter:
    """Phone calls: menu in Korean/English by key press or speech, queue, dial or deflect."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = TwilioVoiceConfig

    def verify_request(self, request: RawRequest, config: TwilioVoiceConfig) -> None:
        """Check X-Twilio-Signature over the public URL (step query included) and the form."""
        twilio.verify(request, config.auth_token.get_secret_value(), config.public_webhook_base)

    def parse_inbound(self, request: RawRequest, config: TwilioVoiceConfig) -> ParsedWebhook:
        """Answer the call step with TwiML and record what happened as events."""
        form, step = request.form(), request.query.get("step", "incoming")
        call_sid = form.get("CallSid", "")
        if not call_sid:
            return ParsedWebhook(ignored=["request without CallSid"])
        if step == "status":
            return ParsedWebhook(events=[_call_status(call_sid, form)])
        if step == "transcription":
            return _transcription(call_sid, form)
        if step == "menu":
            return self._menu_step(request, config, form, call_sid)
        language = config.menu.default_language
        body = twiml.menu(config.menu, path=config.webhook_path, language=language, retry=0)
        started = WebhookEvent(dedupe_key=f"{call_sid}:incoming", kind="call_started",
                               inbound=_call_message(call_sid, form, "", "call", language))
        return ParsedWebhook(events=[started], response=WebhookResponse(body=body,
                                                                        media_type=XML))

    def _menu_step(self, request: RawRequest, config: TwilioVoiceConfig, form: dict[str, str],
                   call_sid: str) -> ParsedWebhook:
        menu = config.menu
        language = menu.spoken_language(request.query.get("lang"), menu.default_language)
        retry = int(request.query.get("retry", "0") or 0)
        caller = IvrInput(digits=form.get("Digits", ""), speech=form.get("SpeechResult", ""),
                          confidence=float(form.get("Confidence", "0") or 0))
        parsed = ParsedWebhook()
        if caller.speech:
            parsed.events.append(_transcript_event(call_sid, form, caller, language, retry))
        option = choose(menu, caller, language)
        next_retry = retry if caller.empty else retry + 1
        if option is None and next_retry < menu.max_retries:
            body = twiml.menu(menu, path=config.webhook_path, language=language,
                              retry=next_retry)
        elif option is None:
            body = twiml.enqueue(menu.connecting[language], menu.fallback_queue, language)
        elif option.action == "language":
            language = menu.spoken_language(option.target, language)
            body = twiml.menu(menu, path=config.webhook_path, language=language, retry=0)
        elif option.action == "queue":
            body = twiml.enqueue(menu.connecting[language], option.target, language)
        elif option.action == "dial":
            body = twiml.dial(menu.connecting[language], option.target, language)
        else:
            parsed.events.append(WebhookEvent(
                dedupe_key=f"{call_sid}:deflect", kind="ivr_deflection",
                data={"to": form.get("From", ""), "language": language,
                      "link": config.deflection_link}))
            body = twiml.goodbye(menu.deflected[language], language)
        if option is not None:
            parsed.events.append(WebhookEvent(
                dedupe_key=f"{call_sid}:choice:{retry}", kind="ivr_choice",
                data={"call_sid": call_sid, "action": option.action, "target": option.target,
                      "by": "dtmf" if caller.digits else "speech"}))
        parsed.response = WebhookResponse(body=body, media_type=XML)
        return parsed

    async def delete_recording(self, recording_id: str, config: TwilioVoiceConfig,
                               http: httpx.AsyncClient) -> bool:
        """Delete a call recording Twilio keeps (retention, erasure); False if already gone."""
        return await twilio.delete_recording(
            http, api_base_url=config.api_base_url, account_sid=config.account_sid,
            auth_token=config.auth_token.get_secret_value(), recording_sid=recording_id)

    async def check_connection(self, config: TwilioVoiceConfig, http: httpx.AsyncClient) -> str:
        """Read the Twilio account the SID and token name (nothing is sent)."""
        return await twilio.check_account(http, api_base_url=config.api_base_url,
                                          account_sid=config.account_sid,
                                          auth_token=config.auth_token.get_secret_value())

    async def send_outbound(self, message: OutboundMessage, config: TwilioVoiceConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """Reply to a caller in writing: an SMS from the same (SMS-capable) number."""
        sms = TwilioSmsConfig(account_sid=config.account_sid, auth_token=config.auth_token,
                              from_number=config.from_number, api_base_url=config.api_base_url)
        return await send_sms(message, sms, client)


def deflection_text(link: str, language: str) -> str:
    """Word the text that moves a caller from the IVR to a chat link."""
    return (f"상담을 채팅으로 이어가세요: {link}" if language == "ko"
            else f"Continue with us in chat: {link}")


def _call_message(call_sid: str, form: dict[str, str], text: str, content_type: str,
                  language: str, **meta: Any) -> InboundMessage:
    caller = form.get("From") or form.get("Caller", "")
    return InboundMessage(
        channel="voice", provider_message_id=f"{call_sid}:{meta.get('step', content_type)}",
        identity_kind="phone", identity_value=caller, customer_phone=caller or None,
        text=text, content_type=content_type, thread_key=call_sid,
        meta={"call_sid": call_sid, "language": language, **meta})


def _transcript_event(call_sid: str, form: dict[str, str], caller: IvrInput, language: str,
                      retry: int) -> WebhookEvent:
    step = f"menu-{retry}-{hashlib.sha256(caller.speech.encode()).hexdigest()[:12]}"
    message = _call_message(call_sid, form, caller.speech, "voice_transcript", language,
                            step=step, confidence=caller.confidence)
    return WebhookEvent(dedupe_key=f"{call_sid}:{step}", kind="transcript", inbound=message)


def _transcription(call_sid: str, form: dict[str, str]) -> ParsedWebhook:
    sid = form.get("TranscriptionSid", "")
    if form.get("TranscriptionStatus", "completed") != "completed" or not sid:
        return ParsedWebhook(ignored=["transcription not completed"])
    message = _call_message(call_sid, form, form.get("TranscriptionText", ""),
                            "voice_transcript", "ko", step=sid,
                            recording_sid=form.get("RecordingSid"))
    return ParsedWebhook(events=[WebhookEvent(dedupe_key=sid, kind="transcript",
                                              inbound=message)])


def _call_status(call_sid: str, form: dict[str, str]) -> WebhookEvent:
    status = form.get("CallStatus", "")
    sequence = form.get("SequenceNumber", "")
    data = {"call_sid": call_sid, "status": status, "duration": form.get("CallDuration"),
            "sequence": int(sequence) if sequence.isdigit() else None}
    return WebhookEvent(dedupe_key=f"{call_sid}:status:{status}:{sequence}",
                        kind="call_status", data=data)
