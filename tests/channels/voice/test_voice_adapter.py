"""Twilio Voice IVR: signed steps, DTMF and Korean speech, retries, deflection, call events."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from omnidesk.channels.base import OutboundMessage, SignatureError
from omnidesk.channels.twilio import signature
from omnidesk.channels.voice.adapter import TwilioVoiceAdapter, deflection_text
from omnidesk.channels.voice.config import IvrMenu, IvrOption, TwilioVoiceConfig
from tests.channels.conftest import raw_request
from tests.channels.fake_provider import TWILIO_SID, TWILIO_TOKEN, FakeProvider

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://example.com"
PATH = "/channels/voice/acme/webhook"
adapter = TwilioVoiceAdapter()
CALL = json.loads((FIXTURES / "incoming_call.json").read_text())["params"]


def config(api_base_url: str = "https://api.twilio.com") -> TwilioVoiceConfig:
    menu = IvrMenu(
        prompts={"ko": "배송 문의는 1번, 환불은 2번, 문자 상담은 3번, 상담원 연결은 0번을 누르거나 "
                       "말씀해 주세요. For English, press 9.",
                 "en": "For delivery press 1, refunds 2, text chat 3, an agent 0."},
        options=[
            IvrOption(digit="1", keywords={"ko": ["배송"], "en": ["delivery"]}, action="queue",
                      target="delivery"),
            IvrOption(digit="2", keywords={"ko": ["환불"], "en": ["refund"]}, action="queue",
                      target="refunds"),
            IvrOption(digit="3", keywords={"ko": ["문자", "채팅"], "en": ["text", "chat"]},
                      action="deflect_sms", target="sms"),
            IvrOption(digit="0", keywords={"ko": ["상담원"], "en": ["agent"]}, action="dial",
                      target="+82212345678"),
            IvrOption(digit="9", keywords={"en": ["english"]}, action="language", target="en"),
        ])
    return TwilioVoiceConfig(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN,
                             from_number="+15005550006", api_base_url=api_base_url,
                             public_webhook_base=BASE, webhook_path=PATH,
                             deflection_link="https://acme.example/chat?c=voice", menu=menu)


def step(query: str = "", **params: str):
    form = {**CALL, **params}
    url = f"http://internal:8000{PATH}{query}"
    public = f"{BASE}{PATH}{query}"
    return raw_request(url, urlencode(form).encode(),
                       headers={"X-Twilio-Signature": signature(TWILIO_TOKEN, public,
                                                                form.items())})


def twiml(parsed) -> ET.Element:
    assert parsed.response.media_type == "text/xml"
    return ET.fromstring(parsed.response.body)


def test_it_reproduces_twilios_published_vector() -> None:
    vector = json.loads((FIXTURES / "published_vector.json").read_text())
    assert signature(vector["auth_token"], vector["url"], vector["params"].items()) == \
        vector["signature"]


def test_a_forged_step_is_rejected() -> None:
    request = step("?step=menu&lang=ko&retry=0", Digits="2")
    forged = raw_request(request.url, request.body.replace(b"Digits=2", b"Digits=0"),
                         headers=dict(request.headers))
    with pytest.raises(SignatureError):
        adapter.verify_request(forged, config())


def test_an_incoming_call_gets_a_korean_dtmf_and_speech_menu() -> None:
    request = step()
    adapter.verify_request(request, config())
    parsed = adapter.parse_inbound(request, config())
    root = twiml(parsed)
    gather = root.find("Gather")
    assert gather is not None and gather.get("input") == "dtmf speech"
    assert gather.get("language") == "ko-KR" and "환불" in (gather.get("hints") or "")
    assert gather.find("Say") is not None and gather.find("Say").get("language") == "ko-KR"
    assert root.find("Redirect").text.endswith("step=menu&lang=ko&retry=1")
    [event] = parsed.events
    assert event.kind == "call_started" and event.inbound.thread_key == CALL["CallSid"]


def test_pressing_2_enqueues_the_caller_for_refunds() -> None:
    parsed = adapter.parse_inbound(step("?step=menu&lang=ko&retry=0", Digits="2"), config())
    assert twiml(parsed).find("Enqueue").text == "refunds"
    assert [e.kind for e in parsed.events] == ["ivr_choice"]


def test_saying_you_want_an_agent_in_korean_dials_the_agent_line() -> None:
    parsed = adapter.parse_inbound(step("?step=menu&lang=ko&retry=0",
                                        SpeechResult="상담원 연결해 주세요", Confidence="0.83"),
                                   config())
    assert twiml(parsed).find("Dial").text == "+82212345678"
    transcript = next(e for e in parsed.events if e.kind == "transcript")
    assert transcript.inbound.text == "상담원 연결해 주세요"
    assert transcript.inbound.content_type == "voice_transcript"


def test_low_confidence_speech_is_asked_again() -> None:
    parsed = adapter.parse_inbound(step("?step=menu&lang=ko&retry=0",
                                        SpeechResult="환불", Confidence="0.2"), config())
    assert twiml(parsed).find("Gather") is not None


def test_silence_retries_the_menu_then_falls_back_to_the_queue_after_three_tries() -> None:
    for retry in (1, 2):
        root = twiml(adapter.parse_inbound(step(f"?step=menu&lang=ko&retry={retry}"), config()))
        assert root.find("Gather") is not None
    root = twiml(adapter.parse_inbound(step("?step=menu&lang=ko&retry=3"), config()))
    assert root.find("Enqueue").text == "support"


def test_nine_switches_to_the_english_menu() -> None:
    root = twiml(adapter.parse_inbound(step("?step=menu&lang=ko&retry=0", Digits="9"),
                                       config()))
    assert root.find("Gather").get("language") == "en-US"


def test_choosing_text_chat_deflects_by_sms_and_hangs_up() -> None:
    parsed = adapter.parse_inbound(step("?step=menu&lang=ko&retry=0", Digits="3"), config())
    assert twiml(parsed).find("Hangup") is not None
    deflect = next(e for e in parsed.events if e.kind == "ivr_deflection")
    assert deflect.data["to"] == "+821012345678"
    assert "https://acme.example/chat?c=voice" in deflection_text(deflect.data["link"], "ko")


def test_speech_with_markup_is_escaped_in_twiml() -> None:
    cfg = config()
    cfg.menu.prompts["ko"] = "<Play>http://evil</Play> & 안내"
    parsed = adapter.parse_inbound(step(), cfg)
    assert b"<Play>" not in parsed.response.body and b"&lt;Play&gt;" in parsed.response.body


def test_call_status_callbacks_are_deduplicated_per_status_and_sequence() -> None:
    keys = set()
    for status, seq in (("ringing", "0"), ("completed", "2"), ("in-progress", "1"),
                        ("completed", "2")):
        parsed = adapter.parse_inbound(step("?step=status", CallStatus=status,
                                            SequenceNumber=seq, CallDuration="42"), config())
        keys.add(parsed.events[0].dedupe_key)
        assert parsed.events[0].data["sequence"] == int(seq)
    assert len(keys) == 3


async def test_a_written_reply_to_a_caller_goes_out_as_sms(provider: FakeProvider,
                                                           http: httpx.AsyncClient) -> None:
    sms = OutboundMessage(message_id=7, idempotency_key="omnidesk-msg-1-7", recipient="+821012345678",
                          text=deflection_text("https://acme.example/chat", "ko"))
    result = await adapter.send_outbound(sms, config(provider.base_url), http)
    assert result.provider_message_id.startswith("SM")
    assert dict(provider.received[0].form())["From"] == "+15005550006"
