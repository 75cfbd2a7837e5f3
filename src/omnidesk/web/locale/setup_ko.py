"""Korean for the staff layout, the first-run page, the team, profile and API token pages.

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

SETUP_KO = {  # the staff layout and its navigation
    "omnidesk": "omnidesk", "Sections": "메뉴", "Settings": "설정", "My profile": "내 프로필", "Not allowed": "권한 없음",
    "Getting started": "시작하기", "Inboxes": "채널 연결", "Business hours": "운영 시간",
    "Automation and webhooks": "자동화와 웹훅", "API tokens": "API 토큰", "Team": "팀",
    "Only admins can do this.": "관리자만 할 수 있습니다.",
    "Only supervisors and admins can open this page.": "매니저와 관리자만 볼 수 있는 페이지입니다.",
    "The access log needs the pii.access_log permission.":
        "개인정보 열람 기록은 pii.access_log 권한이 있어야 볼 수 있습니다.",
    "The audit log needs the audit.read permission.":
        "감사 로그는 audit.read 권한이 있어야 볼 수 있습니다.",
    "This page needs a privacy permission.": "이 페이지는 개인정보 관리 권한이 있어야 볼 수 있습니다.",
}
SETUP_CODES: dict[str, tuple[str, str]] = {}  # codes shown on these pages: (ko, en)
