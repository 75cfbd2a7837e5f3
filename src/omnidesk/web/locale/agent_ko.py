"""Korean for the agent workspace's list, composer, timeline, shortcuts and notifications.

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

AGENT_KO = {
    "Back to the list": "목록으로", "Customer": "고객",
    "Not sent — retrying": "전송 안 됨 — 다시 시도 중",
    "You were signed out: sign in again, then send.": "로그아웃되었습니다. 다시 로그인한 뒤 보내세요.",
}
AGENT_KO.update({
    "Yesterday": "어제", "Select": "선택", "Select all shown": "보이는 대화 모두 선택",
    "Unread messages": "읽지 않은 메시지", "Waiting for a reply since": "답을 기다린 시각",
    "Waiting %(time)s": "대기 %(time)s", "min": "분", "h": "시간", "d": "일", "SLA target": "SLA 목표",
    "SLA breached": "SLA 초과", "SLA in %(minutes)s min": "SLA %(minutes)s분 남음",
    "More conversations…": "대화 더 보기…", "Latest activity": "최근 활동순",
    "Waiting longest": "오래 기다린 순", "%(n)s selected": "%(n)s개 선택",
    "Assign to me": "나에게 배정", "Add label": "라벨 추가",
})
