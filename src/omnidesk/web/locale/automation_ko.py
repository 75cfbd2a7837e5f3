"""Korean for the automation page (rules, runs, outgoing webhooks) and the macro palette.

English is the msgid; `make_catalogs` merges these tables into both catalogues.
"""

from __future__ import annotations

AUTOMATION_KO = {
    "Automation": "자동화", "Rules": "규칙", "When": "언제", "If": "조건", "Then": "실행",
    "Off": "꺼짐", "Stops further rules": "이후 규칙 중단", "always": "항상",
    "Test this rule": "이 규칙 시험", "Turn off": "끄기", "Turn on": "켜기", "Delete": "삭제",
    "No rules yet.": "아직 규칙이 없습니다.",
    "When an event happens and every condition holds, the actions run in order. Rules run top "
    "to bottom; every action shows in the conversation's timeline.":
        "이벤트가 일어나고 조건이 모두 맞으면 실행 항목이 순서대로 실행됩니다. 규칙은 위에서부터 "
        "차례로 적용되며, 실행된 항목은 모두 대화 타임라인에 남습니다.",
    "Signing secret of %(name)s (shown once):": "%(name)s 서명 비밀키 (한 번만 표시):",
    "Test of %(name)s: would run on %(n)s of the last %(m)s events":
        "%(name)s 시험: 최근 이벤트 %(m)s건 중 %(n)s건에서 실행됩니다",
    "Nothing was changed. Conditions are checked against the conversations as they are now.":
        "아무것도 바꾸지 않았습니다. 조건은 대화의 현재 상태로 확인합니다.",
    "conversation": "대화", "would run": "실행 예정", "skipped": "건너뜀",
    "New rule": "새 규칙", "If (one condition per line; all must hold)":
        "조건 (한 줄에 하나, 모두 맞아야 함)",
    "Then (one action per line, in order)": "실행 (한 줄에 하나, 순서대로)",
    "Stop further rules after this one runs": "이 규칙이 실행되면 이후 규칙은 적용하지 않기",
    "Actions": "실행 항목", "Add rule": "규칙 추가", "Recent runs": "최근 실행",
    "No rule has run yet.": "아직 실행된 규칙이 없습니다.",
    "Outgoing webhooks": "발신 웹훅",
    "Events are POSTed signed (X-Omnidesk-Signature: HMAC-SHA256 of timestamp.body), retried "
    "with backoff, then kept as dead letters you can replay.":
        "이벤트는 서명과 함께 POST로 보냅니다 (X-Omnidesk-Signature: timestamp.body의 "
        "HMAC-SHA256). 실패하면 간격을 늘려 다시 보내고, 끝내 실패한 건은 다시 보낼 수 있게 보관합니다.",
    "attempts": "시도", "Replay": "다시 보내기", "Nothing sent yet.": "아직 보낸 이벤트가 없습니다.",
    "New endpoint": "새 엔드포인트", "Events (comma separated)": "이벤트 (쉼표로 구분)",
    "Add endpoint": "엔드포인트 추가", "Allowed private hosts": "허용한 내부 호스트",
    "Allow host": "호스트 허용", "Macros": "매크로",
}
AUTOMATION_CODES = {  # run and delivery states: (ko, en)
    "run:done": ("실행됨", "Ran"), "run:stopped": ("중단됨", "Stopped"),
    "run:failed": ("실패", "Failed"),
    "delivery:pending": ("대기", "Pending"), "delivery:delivered": ("전달됨", "Delivered"),
    "delivery:failing": ("재시도 중", "Retrying"), "delivery:dead": ("실패 보관", "Dead letter"),
}
