"""Korean for the agent workspace's list, composer, timeline, shortcuts and notifications.

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

AGENT_KO = {
    "Back to the list": "목록으로", "Customer": "고객",
    "Not sent — retrying": "전송 안 됨 — 다시 시도 중",
    "You were signed out: sign in again, then send.": "로그아웃되었습니다. 다시 로그인한 뒤 보내세요.",
}
