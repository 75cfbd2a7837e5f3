"""Bilingual customer-service concepts shared by Korean and English wording.

Training sets are often mostly Korean with a few English rows (or the reverse). Mapping both
languages' words onto one concept token (환불 / refund -> ``c:refund``) lets an example written in
one language teach the other. Korean cues match as substrings, English cues as word prefixes.
"""

from __future__ import annotations

import re

from omnidesk.core.text import normalize

CONCEPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "order": (("주문", "구매", "샀", "시킨"), ("order", "purchas", "bought")),
    "shipping": (("배송", "택배", "출고", "발송", "송장", "운송장", "도착"),
                 ("ship", "deliver", "parcel", "package", "courier", "tracking", "arriv")),
    "late": (("늦", "지연", "연기", "아직", "안 왔", "안왔", "못 받"),
             ("late", "delay", "still", "yet", "overdue", "postpon")),
    "cancel": (("취소", "철회"), ("cancel", "withdraw")),
    "address": (("주소", "수령인", "받는 사람", "받는 분", "동호수", "우편번호"),
                ("address", "recipient", "apartment", "zip")),
    "return": (("반품", "돌려보", "반송"), ("return", "send back", "send it back")),
    "exchange": (("교환", "다른 색", "사이즈"), ("exchange", "swap", "size", "colour", "color")),
    "refund": (("환불", "돌려받", "입금"), ("refund", "money back", "reimburs")),
    "payment": (("결제", "카드", "승인", "할부", "이중", "중복"),
                ("pay", "card", "charg", "declin", "installment", "billing")),
    "receipt": (("영수증", "세금계산서", "계산서", "증빙"), ("receipt", "invoice", "tax")),
    "install": (("설치", "기사", "방문"), ("install", "technician", "visit")),
    "defect": (("고장", "불량", "파손", "깨", "망가", "작동", "안 켜", "안켜", "소음", "찌그러"),
               ("broken", "defect", "damag", "crack", "not working", "stopped working", "faulty")),
    "repair": (("수리", "a/s", "as", "보증", "서비스센터", "센터"),
               ("repair", "warranty", "service cent", "fix")),
    "product": (("재고", "사양", "스펙", "크기", "호환", "입고", "색상"),
                ("stock", "spec", "compatib", "dimension", "restock", "available")),
    "membership": (("등급", "vip", "골드", "실버", "멤버십", "회원 혜택"),
                   ("tier", "vip", "gold", "silver", "membership", "member benefit")),
    "points": (("포인트", "적립", "쿠폰", "할인 코드", "프로모션"),
               ("point", "coupon", "promo", "voucher", "discount code")),
    "login": (("로그인", "비밀번호", "아이디", "인증번호", "접속"),
              ("log in", "login", "password", "sign in", "verification code", "locked out")),
    "account_update": (("번호 변경", "이메일 변경", "이름 변경", "수신 동의", "마케팅", "회원정보"),
                       ("update my", "change my phone", "change my email", "marketing", "profile")),
    "delete_account": (("탈퇴", "계정 삭제", "회원 삭제"),
                       ("delete my account", "close my account", "deactivat", "unsubscrib")),
    "privacy": (("개인정보", "정보 유출", "유출", "열람", "파기"),
                ("personal data", "privacy", "data leak", "my data", "gdpr")),
    "authentic": (("정품", "가품", "짝퉁", "위조", "진품"), ("genuine", "authentic", "fake", "counterfeit")),
    "complaint": (("불친절", "태도", "불만", "항의", "무례"),
                  ("rude", "attitude", "complain", "unprofessional", "terrible service")),
    "agent": (("상담원", "상담사", "사람", "직원", "담당자"),
              ("agent", "human", "representative", "real person", "operator")),
    "hours": (("영업시간", "운영시간", "상담 시간", "몇 시", "주말", "공휴일", "휴무"),
              ("hours", "open", "weekend", "holiday", "what time")),
    "greeting": (("안녕", "감사", "고마", "수고"), ("hello", "hi", "thank", "bye", "good morning")),
}  # fmt: skip


def _english_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in cues) + ")")


_COMPILED = [
    (name, tuple(normalize(cue) for cue in korean), _english_pattern(english))
    for name, (korean, english) in CONCEPTS.items()
]


def concept_terms(text: str) -> list[str]:
    """Return the concept tokens (``c:refund``) a message mentions, in either language."""
    norm = normalize(text)
    found = []
    for name, korean, english in _COMPILED:
        if any(cue in norm for cue in korean) or english.search(norm):
            found.append(f"c:{name}")
    return found
