"""The short handoff note an agent reads first, in the agent's language, personal data masked."""

from __future__ import annotations

from omnidesk.domains.bot.dialogue import DialogueState
from omnidesk.domains.bot.privacy import mask

MAX_QUOTE = 140
REASONS = {
    "customer_asked": ("고객이 상담원 연결 요청", "customer asked for a person"),
    "frustration": ("고객 불만/좌절 감지", "customer frustrated"),
    "negative_sentiment": ("부정적 감정 감지", "negative sentiment"),
    "vip_customer": ("VIP 고객", "VIP customer"),
    "not_understood": ("챗봇이 이해하지 못함(2회)", "bot did not understand twice"),
    "no_answer": ("챗봇이 답할 수 없는 문의", "no answer the bot could give"),
    "verification_failed": ("본인 확인 실패", "verification failed"),
    "flow_failed": ("처리 중 오류", "the task could not finish"),
    "intent_not_enabled": ("챗봇에 허용되지 않은 업무", "task not enabled for the bot"),
    "exchange_needs_variant_choice": ("교환 옵션 선택 필요", "exchange needs a variant choice"),
    "exchange_no_variant_available": ("교환 가능한 옵션 없음", "no variant available to exchange"),
    "bot_disabled": ("챗봇 꺼짐", "bot turned off"),
    "policy_check": ("정책 확인 필요(배송 완료일 없음)", "policy needs a person (no delivery date)"),
    "policy_person": ("챗봇에 허용되지 않은 주문 처리", "order action not allowed to the bot"),
}


def _clip(text: str) -> str:
    text = " ".join(mask(text).split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def handoff_summary(*, reason: str, intent: str | None, confidence: float | None,
                    language: str, state: DialogueState, customer_messages: list[str],
                    locale: str, work: list[str] | None = None) -> list[str]:
    """Return a few lines: why, what the customer wants, what the bot collected and did."""
    ko = locale == "ko"
    why = REASONS.get(reason, (reason, reason))[0 if ko else 1]
    lines = [("[챗봇 인계] 사유: " if ko else "[Bot handoff] Reason: ") + why]
    shown = intent or "-"
    shown += f" ({confidence:.2f})" if intent and confidence is not None else ""
    lines.append(("문의 의도: " if ko else "Intent: ") + shown
                 + (" · 언어: " if ko else " · language: ") + language)
    if state.verified_customer_id is not None:
        how = state.verified_by or "-"
        lines.append(("본인 확인: 완료 (" if ko else "Verified: yes (") + how + ")")
    else:
        lines.append("본인 확인: 안 됨" if ko else "Verified: no")
    if work:
        lines.append(("챗봇 처리: " if ko else "Bot actions: ") + "; ".join(work))
    slots = state.public_slots()
    if slots:
        lines.append(("수집 정보: " if ko else "Collected: ")
                     + ", ".join(f"{k}={v}" for k, v in sorted(slots.items())))
    if customer_messages:
        lines.append(("고객: " if ko else "Customer: ") + _clip(customer_messages[0]))
        if len(customer_messages) > 1:
            lines.append(("최근: " if ko else "Latest: ") + _clip(customer_messages[-1]))
    return lines
