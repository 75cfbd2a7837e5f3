"""Korean of the proactive engagement page and the customer activity timeline."""

from __future__ import annotations

ENGAGEMENT_KO = {  # English is the msgid
    "Proactive engagement": "선제 응대",
    "Reach customers before they ask: when a trigger holds for a customer in the audience, the "
    "action runs once for that occasion.":
        "고객이 묻기 전에 먼저 다가갑니다. 대상 고객에게 조건이 맞으면 그 상황마다 한 번 실행합니다.",
    "Marketing messages go only to customers who consented on the channel, never 21:00–08:00 "
    "(workspace time) without night consent, at most %(cap)s per customer in %(days)s days, "
    "marked (광고) with how to opt out. 수신거부 or STOP on any channel opts out there.":
        "광고성 메시지는 해당 채널에 수신 동의한 고객에게만, 야간 동의 없이는 21:00–08:00(워크스페이스 시간)에 "
        "보내지 않으며, 고객당 %(days)s일에 %(cap)s건까지, (광고) 표시와 수신거부 방법을 붙여 보냅니다. "
        "어느 채널에서든 수신거부나 STOP이라고 답하면 그 채널의 광고 수신이 중단됩니다.",
    "Predicted from what the customer did before writing, e.g. delivery_delay":
        "문의 전 고객 행동으로 예측한 문의 유형, 예: delivery_delay",
    "Campaigns": "캠페인", "Then": "실행", "Opened": "열람", "Replied": "답장",
    "Converted": "전환", "Opted out": "수신거부", "Held back": "보류", "errors only": "오류만",
    "No campaigns yet.": "아직 캠페인이 없습니다.", "New campaign": "새 캠페인", "Purpose": "목적",
    "Trigger": "트리거", "Idle minutes": "방치 시간(분)", "Cart worth at least": "장바구니 금액 최소",
    "Event": "이벤트", "Page address contains": "페이지 주소 포함", "Visits in a day": "하루 방문 횟수",
    "Tiers (comma-separated, empty: everyone)": "등급(쉼표로 구분, 비우면 전체)",
    "Segments (comma-separated)": "세그먼트(쉼표로 구분)", "Action": "동작", "From": "보내는 사람",
    "The bot": "챗봇", "알림톡 template": "알림톡 템플릿",
    "Template values (one name=value per line)": "템플릿 값(한 줄에 이름=값)",
    "Add campaign": "캠페인 추가",
    "Activity on the site and orders": "사이트 활동과 주문 소식",
    "The customer opted out of marketing on %(channel)s": "고객이 %(channel)s 광고 수신을 거부했습니다",
}
ENGAGEMENT_CODES = {  # purposes, triggers, actions, reasons held back, event sources: (ko, en)
    "purpose:service": ("정보성", "service"), "purpose:marketing": ("광고성", "marketing"),
    "trigger:cart_idle": ("장바구니 방치", "cart idle"), "trigger:event": ("이벤트", "event"),
    "trigger:repeat_visit": ("반복 방문", "repeat visit"),
    "action:widget": ("위젯 메시지", "widget message"),
    "action:alimtalk": ("알림톡(문자 대체)", "알림톡 (SMS fallback)"),
    "action:email": ("이메일", "e-mail"), "action:task": ("상담원 할 일", "task for an agent"),
    "held:quiet_hours": ("야간", "night"), "held:no_consent": ("미동의", "no consent"),
    "held:opted_out": ("수신거부", "opted out"), "held:capped": ("횟수 제한", "capped"),
    "held:no_widget_visitor": ("위젯 방문 없음", "no widget visitor"),
    "held:no_email": ("이메일 없음", "no email"), "held:no_email_inbox": ("메일함 없음", "no mailbox"),
    "source:widget": ("위젯", "widget"), "source:server": ("서버 API", "server API"),
    "source:store": ("스토어", "store"),
    "field:predicted_intent": ("예측 문의 유형", "Predicted intent"),
}
