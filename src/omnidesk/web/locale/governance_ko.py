"""Korean for the audit log, security (two-factor, sessions) and privacy pages.

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

GOVERNANCE_KO = {
    "Audit log": "감사 로그",
    ("Every administrative change, with the values before and after. Secrets are never shown. "
     "Records cannot be changed or deleted."):
        "모든 관리 변경을 변경 전·후 값과 함께 기록합니다. 비밀 값은 보이지 않으며, 기록은 수정하거나 지울 수 없습니다.",
    "Filters": "필터", "Who": "누가", "Anyone": "누구나", "Action": "작업", "Any": "전체",
    "Object": "대상", "Object id": "대상 ID", "From": "시작일", "To": "종료일", "Filter": "조회",
    "No records match.": "조건에 맞는 기록이 없습니다.", "System": "시스템", "Unknown": "알 수 없음",
    "Field": "항목", "Before": "변경 전", "After": "변경 후", "Older records": "이전 기록",
}
