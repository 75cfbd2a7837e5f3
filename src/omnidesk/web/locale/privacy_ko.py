"""Korean for the personal-data access log page (English is the msgid)."""

from __future__ import annotations

PRIVACY_KO = {
    "Access log": "개인정보 열람 기록",
    ("Every read of unmasked personal data: who, when, what and why. Records cannot be changed "
     "or deleted."):
        "마스킹되지 않은 개인정보를 본 모든 기록입니다: 누가, 언제, 무엇을, 왜. 기록은 수정하거나 지울 수 없습니다.",
    "Customer id": "고객 ID", "Kind": "종류", "Reason": "사유", "Data": "항목",
    "Conversation": "대화", "Message": "메시지", "Export this customer's access report (CSV)":
        "이 고객의 열람 내역 내보내기 (CSV)",
    "Personal data masked · reveal": "개인정보 가려짐 · 보기",
    "Reason (logged)": "열람 사유 (기록됨)", "Show in clear": "보기",
    "Shown in clear; this view was logged.": "원문을 표시했습니다. 열람 기록이 남았습니다.",
}
PRIVACY_CODES = {
    "access:reveal": ("열람", "Reveal"), "access:export": ("내보내기", "Export"),
    "access:customer_page": ("고객 화면", "Customer page"), "access:api": ("API 조회", "API read"),
    "pii:name": ("이름", "Name"), "pii:email": ("이메일", "Email"), "pii:phone": ("전화", "Phone"),
    "pii:address": ("주소", "Address"), "pii:identities": ("연결 계정", "Identities"),
    "pii:rrn": ("주민등록번호", "Registration no."), "pii:card": ("카드번호", "Card"),
    "pii:cvv": ("CVC", "CVV"), "pii:account": ("계좌번호", "Bank account"),
    "pii:passport": ("여권번호", "Passport"), "pii:driver_license": ("운전면허번호", "Driver's licence"),
}
