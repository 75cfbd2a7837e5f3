"""Check a draft reply before it is sent: personal data and tone (Korean and English)."""

from __future__ import annotations

import re

from omnidesk.core.pii import pii_counts
from omnidesk.core.text import detect_language
from omnidesk.domains.assist.schemas import Warning

PII_MESSAGES = {
    "rrn": ("주민등록번호가 들어 있습니다. 보내지 마세요.", "Contains a resident registration number."),
    "card": ("카드번호가 들어 있습니다.", "Contains a card number."),
    "account": ("계좌번호가 들어 있습니다.", "Contains a bank account number."),
    "phone": ("전화번호가 들어 있습니다.", "Contains a phone number."),
    "email": ("이메일 주소가 들어 있습니다.", "Contains an email address."),
    "cvv": ("카드 보안코드(CVC)가 들어 있습니다.", "Contains a card security code (CVV/CVC)."),
    "address": ("주소가 들어 있습니다.", "Contains a street address."),
    "passport": ("여권번호가 들어 있습니다.", "Contains a passport number."),
    "driver_license": ("운전면허번호가 들어 있습니다.", "Contains a driver's licence number."),
}
RUDE = re.compile(r"짜증|귀찮|멍청|바보|그것도 몰|왜 그걸|알아서 하세|stupid|idiot|dumb|"
                  r"shut up|whatever|not my problem|read the manual", re.IGNORECASE)
BLAME = re.compile(r"고객님(이|께서) 잘못|고객님 탓|your (own )?fault|you should have|"
                   r"as i already (said|told)", re.IGNORECASE)
PROMISE = re.compile(r"100\s?% 보장|무조건|반드시 .*드리겠|절대 .*없|guarantee|promise you|"
                     r"definitely will", re.IGNORECASE)
# Korean sentence endings without a polite form (반말): 해, 야, 거든, 잖아, 했어 …
BANMAL = re.compile(r"(?:해|야|거든|잖아|했어|[할줄릴볼갈]게|몰라|그래|어때|니까)[.!?]?\s*$")


def _tone(text: str, lang: str, *, korean_text: bool) -> list[Warning]:
    idx = 0 if lang == "ko" else 1
    found = []
    rules = (
        (RUDE, "rude", ("무례하게 들릴 수 있는 표현이 있습니다.", "Some wording may sound rude.")),
        (BLAME, "blame", ("고객을 탓하는 표현이 있습니다.", "The reply blames the customer.")),
        (PROMISE, "overpromise", ("지킬 수 없는 약속처럼 들립니다.",
                                  "This sounds like a promise we may not keep.")),
    )
    for pattern, code, messages in rules:
        if pattern.search(text):
            found.append(Warning(kind="tone", code=code, message=messages[idx]))
    if korean_text and any(BANMAL.search(s) for s in re.split(r"(?<=[.!?\n])", text) if s):
        found.append(Warning(kind="tone", code="informal", message=(
            "반말로 끝나는 문장이 있습니다. 존댓말로 바꿔 주세요.",
            "A Korean sentence ends in casual speech (반말): use the polite form.")[idx]))
    letters = [c for c in text if c.isalpha() and c.isascii()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        found.append(Warning(kind="tone", code="shouting", message=(
            "대문자가 너무 많습니다.", "Mostly capital letters reads as shouting.")[idx]))
    if re.search(r"[!?]{3,}", text):
        found.append(Warning(kind="tone", code="punctuation", message=(
            "느낌표·물음표가 지나치게 많습니다.", "Too many exclamation or question marks.")[idx]))
    return found


def check_draft(text: str, *, locale: str | None = None) -> list[Warning]:
    """Return warnings about personal data and tone, worded in the agent's locale."""
    if not text.strip():
        return []
    lang = locale or detect_language(text)
    idx = 0 if lang == "ko" else 1
    warnings = [Warning(kind="pii", code=kind, message=PII_MESSAGES[kind][idx])
                for kind in pii_counts(text)]
    return warnings + _tone(text, lang, korean_text=detect_language(text) == "ko")
