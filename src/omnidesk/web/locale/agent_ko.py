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
AGENT_KO.update({  # the timeline and the resolve menu
    "someone": "누군가", "The bot": "챗봇", "The customer": "고객",
    "%(who)s assigned it to %(to)s": "%(who)s 님이 %(to)s 님에게 배정했습니다",
    "%(who)s transferred it from %(source)s to %(to)s":
        "%(who)s 님이 %(source)s 님에게서 %(to)s 님에게 넘겼습니다",
    "%(who)s moved it to the team %(team)s": "%(who)s 님이 %(team)s 팀으로 옮겼습니다",
    "%(who)s left a note for %(to)s": "%(who)s 님이 %(to)s 님에게 메모를 남겼습니다",
    "%(who)s unassigned it": "%(who)s 님이 배정을 해제했습니다",
    "%(who)s resolved the conversation": "%(who)s 님이 대화를 해결했습니다",
    "Reopened: the customer wrote again": "고객이 다시 문의해 대화가 다시 열렸습니다",
    "%(who)s reopened the conversation": "%(who)s 님이 대화를 다시 열었습니다",
    "%(who)s snoozed it": "%(who)s 님이 보류했습니다", "until": "까지",
    "The snooze ended: open again": "보류 시간이 끝나 다시 열렸습니다",
    "The customer wrote: open again": "고객이 메시지를 보내 다시 열렸습니다",
    "%(who)s set the status to %(status)s": "%(who)s 님이 상태를 %(status)s(으)로 바꿨습니다",
    "%(who)s set the priority to %(priority)s": "%(who)s 님이 우선순위를 %(priority)s(으)로 바꿨습니다",
    "%(who)s set the labels: %(labels)s": "%(who)s 님이 라벨을 지정했습니다: %(labels)s",
    "The bot handed the conversation to a person": "챗봇이 상담원에게 대화를 넘겼습니다",
    "%(who)s gave the conversation back to the bot": "%(who)s 님이 대화를 챗봇에게 돌려주었습니다",
    "The bot: %(action)s": "챗봇 처리: %(action)s",
    "Automation %(name)s: %(action)s": "자동화 %(name)s: %(action)s", "Note": "메모",
    "Note for whoever takes over (optional)": "넘겨받는 분께 남길 메모 (선택)",
    "Transfer note": "인계 메모", "Resolve with a closing message": "마무리 인사와 함께 해결",
    "The customer's last message has no answer yet.": "고객의 마지막 메시지에 아직 답하지 않았습니다.",
    "Closing message": "마무리 인사", "Send and resolve": "보내고 해결",
    "Resolve without a reply": "답하지 않고 해결", "Resolve only": "해결만 하기",
})
AGENT_KO.update({  # keyboard shortcuts
    "Keyboard shortcuts": "단축키", "Next / previous conversation": "다음 / 이전 대화",
    "Snooze": "보류", "Labels": "라벨", "Search": "검색", "Send": "보내기", "New line": "줄바꿈",
    "Leave the reply box / close": "입력창에서 나가기 / 닫기", "This list": "이 목록",
    "Private note": "내부 메모", "Reply": "답장", "Resolve": "해결", "Close": "닫기",
})
AGENT_KO.update({  # notifications
    "Notifications": "알림", "New conversation assigned to you": "새 대화가 배정되었습니다",
    "New message in your conversation": "내 대화에 새 메시지가 왔습니다",
    "How to tell me": "알리는 방법", "Tell me when": "이럴 때 알림",
    "A conversation is assigned to me": "나에게 대화가 배정될 때",
    "A customer writes in one of mine": "내 대화에 고객이 메시지를 보낼 때",
    "A colleague mentions me": "동료가 나를 언급할 때",
    "An SLA of mine is about to breach": "내 대화의 SLA가 곧 초과될 때",
    "A colleague mentioned you": "동료가 회원님을 언급했습니다",
    "An SLA is about to breach": "SLA가 곧 초과됩니다",
    "Play a sound": "소리 내기", "Desktop notification": "데스크톱 알림",
    "Count in the tab title": "탭 제목에 개수 표시",
    "The browser blocks notifications for this site: allow them in its settings.":
        "브라우저가 이 사이트의 알림을 막고 있습니다. 브라우저 설정에서 허용해 주세요.",
})
AGENT_KO.update({  # canned replies: the composer's / picker and /settings/canned
    "Canned replies": "자주 쓰는 답변",
    "Type / in the reply box to pick one: its {variables} are filled from the conversation, and a reply whose variables the conversation cannot fill is not inserted. Order decides what the picker shows first.":
        "답장 입력창에 /를 입력해 고르세요. {변수}는 대화의 정보로 채워지며, 대화에서 채울 수 없는 변수가 있는 답변은 넣지 않습니다. 순서대로 목록 위에 보입니다.",
    "Deleted.": "삭제했습니다.", "Both": "두 언어 모두", "Add": "추가",
    "No canned replies yet.": "아직 자주 쓰는 답변이 없습니다.",
    "Edit canned reply": "답변 수정", "New canned reply": "새 답변", "Shared with": "공유 범위",
    "Search replies and macros": "답변과 매크로 검색",
    "No matching reply.": "맞는 답변이 없습니다.",
    "This conversation cannot fill %(names)s: edit the reply or fill it in by hand.":
        "이 대화에서 %(names)s 값을 채울 수 없습니다. 답변을 고치거나 직접 써 주세요.",
    "needs": "채울 값 없음",
})
CANNED_CODES = {  # (ko, en)
    "canned:scope:personal": ("나만", "Only me"),
    "canned:scope:team": ("팀", "Team"),
    "canned:scope:workspace": ("워크스페이스 전체", "Whole workspace"),
    "field:shortcut": ("단축어", "Shortcut"),
    "field:title": ("제목", "Title"),
    "field:body": ("내용", "Text"),
    "field:locale": ("언어", "Language"),
}
