"""Suggestion quality on a small labelled set, the assist panel, warnings and LLM drafting."""

from __future__ import annotations

import json
from types import SimpleNamespace

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.ai_providers.llm import ChatCompletionsClient
from omnidesk.domains.assist import suggestions
from omnidesk.domains.assist.actions import do_create_canned_response
from omnidesk.domains.assist.schemas import CannedResponseCreate
from omnidesk.domains.assist.service import build_assist
from omnidesk.domains.assist.warnings import check_draft
from tests.conftest import Persona
from tests.domains.assist.conftest import Returning

CANNED = {
    "cancel": "주문 취소 안내: 결제완료 상태에서는 마이페이지에서 바로 취소할 수 있습니다.",
    "install": "설치 기사 방문 일정: 설치 기사님 방문 일정을 다시 잡아 드리겠습니다.",
    "refund": "환불 기간 안내: 카드 결제는 취소 후 5~7영업일 안에 환불됩니다.",
    "delivery": "배송 지연 사과: 배송이 늦어져 죄송합니다. 택배사에 확인해 드리겠습니다.",
    "tier": "회원 등급 안내: 구매 금액에 따라 실버, 골드, VIP 등급이 정해집니다.",
    "return": "반품 접수 안내: 배송완료 후 7일 안에 반품을 신청할 수 있습니다.",
    "en_refund": "Refund timeline: card refunds arrive within 5-7 business days.",
    "en_cancel": "Cancel an order: pending orders can be cancelled from My Orders.",
}
LABELLED = [
    ("주문한 거 취소하고 싶어요", "cancel"), ("설치기사님이안왔어요", "install"),
    ("환불 언제 들어와요?", "refund"), ("택배가 아직도 안 왔어요 너무 늦네요", "delivery"),
    ("VIP 되려면 얼마나 더 사야 해요", "tier"), ("받은 상품 반품하고 싶어요", "return"),
    ("when will I get my refund", "en_refund"), ("I want to cancel my order", "en_cancel"),
    ("설치 날짜 바꿀 수 있나요", "install"), ("등급 혜택이 궁금해요", "tier"),
]


def test_the_right_canned_response_ranks_in_the_top_three_for_most_queries() -> None:
    rows = [SimpleNamespace(id=i, shortcut=key, title=body.split(":")[0], body=body)
            for i, (key, body) in enumerate(CANNED.items())]
    candidates = suggestions.canned_candidates(rows, {})
    hits = 0
    for query, expected in LABELLED:
        top = [s.ref for s in suggestions.rank(query, candidates, limit=3)]
        hits += f"canned:{list(CANNED).index(expected)}" in top
    assert hits >= 9, f"{hits}/10 in the top 3"


def test_canned_variables_are_filled_and_unknown_ones_left_to_edit() -> None:
    assert suggestions.fill_variables("{tier} 고객님 {x}", {"tier": "골드"}) == "골드 고객님 {x}"


def test_draft_warnings_catch_pii_and_tone() -> None:
    codes = {w.code for w in check_draft("카드 4111 1111 1111 1111 로 결제했잖아", locale="ko")}
    assert {"card", "informal"} <= codes
    assert {w.code for w in check_draft("That is your fault, read the manual!!!")} >= {
        "blame", "rude", "punctuation"}
    assert check_draft("확인해 드리겠습니다. 잠시만 기다려 주세요.", locale="ko") == []


async def test_assist_panel_suggests_greeting_reply_and_cancellation(
        session: AsyncSession, owner: Persona, returning: Returning) -> None:
    await do_create_canned_response(session, actor=owner.admin, canned_in=CannedResponseCreate(
        shortcut="cancel", title="주문 취소", body=CANNED["cancel"] + " {tier} 고객님 감사합니다."))
    await session.commit()
    assist, _ = await build_assist(session, actor=owner.agent,
                                   conversation_id=returning.current_id)
    assert assist.greeting and "지난번" in assist.greeting
    assert assist.suggestions[0].source == "canned" and "골드 고객님" in assist.suggestions[0].text
    assert assist.next_actions[0].code == "offer_cancel"
    assert assist.next_actions[0].order_number == "HB2"
    assert assist.summary[0].startswith("문의: 주문 취소")
    assert assist.draft is None and assist.warnings == []
    drafted, _ = await build_assist(session, actor=owner.agent,
                                    conversation_id=returning.current_id,
                                    draft="주문 취소는 010-9999-8888 로 연락드릴게")
    assert {"phone", "informal"} <= {w.code for w in drafted.warnings}


async def test_llm_client_drafts_from_an_openai_compatible_endpoint(
        session: AsyncSession, owner: Persona, returning: Returning) -> None:
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"choices": [{"message": {"content": "취소해 드렸습니다."}}]})

    client = ChatCompletionsClient("http://llm.local/v1", "m", "k",
                                   transport=httpx.MockTransport(handler))
    assist, _ = await build_assist(session, actor=owner.agent,
                                   conversation_id=returning.current_id, llm=client)
    assert assist.draft == "취소해 드렸습니다."
    assert seen[0]["model"] == "m" and "1234-5678" not in json.dumps(seen[0], ensure_ascii=False)
