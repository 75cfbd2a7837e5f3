"""Ask or act: is the customer asking *about* a topic, or asking the bot to act on an order?

"환불 규정이 어떻게 되나요?", "교환은 어떻게 해요?", "What's your refund policy?" ask about a rule
and are answered from the knowledge base; "주문 취소해 주세요", "I want to return order …" ask
for an action and start a task flow. A message that names an order number, or says what the
customer wants done, is a request to act even when it is phrased as a question.
"""

from __future__ import annotations

import re

TOPIC_QUESTION = re.compile(
    r"규정|정책|기준|방법|절차|기간이|기간은|며칠\s*(안|이내|까지)|수수료|배송비|조건"
    r"|어떻게\s*(하|해|되|돼|진행|신청)|어떡해|어찌\s*하"
    r"|\bpolic(y|ies)\b|\brules?\b|\bhow\s+(do|does|can|long|much)\b|\bwhat'?s\s+your\b"
    r"|\bwhat\s+is\s+your\b|\bis\s+there\s+a\s+fee\b|\bterms\b", re.IGNORECASE)
ACT_REQUEST = re.compile(
    r"해\s*주세요|해줘|해\s*주실|하고\s*싶|할래|할게|부탁|원해요|싶어요|해\s*주시겠"
    r"|\bplease\s+(cancel|return|exchange|change|refund)\b|\bi\s+(want|would like|need)\s+to\b"
    r"|\bcan\s+you\b|\bmy\s+order\b|제\s*주문|내\s*주문", re.IGNORECASE)
ASKS_WHEN = re.compile(r"언제|몇\s*시|며칠|날짜|일정\s*(이|좀|알|확인)|\bwhen\b|\bwhat\s+(time|day"
                       r"|date)\b", re.IGNORECASE)
CHANGES_SLOT = re.compile(r"바꾸|변경|미루|조정|옮기|취소|안\s*왔|안\s*와|오지\s*않|reschedul"
                          r"|\bmove\b|\bchange\b|never\s+showed|didn'?t\s+(come|show)", re.IGNORECASE)


def is_topic_question(text: str, *, names_order: bool) -> bool:
    """Tell whether the message asks about a rule rather than for an action on an order."""
    if names_order or ACT_REQUEST.search(text):
        return False
    return bool(TOPIC_QUESTION.search(text))


def asks_installation_date(text: str) -> bool:
    """Tell whether an installation message asks *when* (the order's slot), not to change it."""
    return bool(ASKS_WHEN.search(text)) and not CHANGES_SLOT.search(text)


HOW_TO = re.compile(r"어떻게|방법|절차|신청|\bhow\s+(do|can)\b", re.IGNORECASE)


def topic_of(intent: str, text: str) -> str:
    """Name the store-policy topic a question about a task is about (its article's key)."""
    how = bool(HOW_TO.search(text))
    return {"cancel_order": "cancel", "change_address": "change_address",
            "return_request": "how_to_return" if how else "returns",
            "exchange_request": "how_to_exchange" if how else "returns",
            "refund_status": "refund", "membership_tier": "membership",
            "order_status": "order_status"}.get(intent, intent)
