"""Korean of the workspace set-up screens: inboxes, the widget panel, hours and holidays."""

from __future__ import annotations

ADMIN_KO = {
    "Hours": "운영 시간", "Hours and holidays": "운영 시간과 휴일",
    ("Each inbox is one connected account of a channel: a website chat, a mailbox, a Telegram "
     "bot, a phone number. Conversations arrive in it and replies leave through it."):
        ("채널마다 연결한 계정 하나가 받은 메시지 채널입니다: 웹사이트 채팅, 메일함, 텔레그램 봇, 전화번호. "
         "대화가 이곳으로 들어오고 답장이 이곳으로 나갑니다."),
    "Only admins can connect and change inboxes; you see them read-only.":
        "채널 연결과 변경은 관리자만 할 수 있습니다. 읽기 전용으로 보고 있습니다.",
    "Connected inboxes": "연결된 채널", "Webhook URL": "웹훅 URL", "Active": "사용 중",
    "Paused": "일시 중지", "not needed": "필요 없음", "No inbox is connected yet.": "아직 연결된 채널이 없습니다.",
    "Connect a channel": "채널 연결하기", "through the provider's API": "제공사 API로 연결",
    "served by omnidesk": "omnidesk가 직접 제공", "Connect %(channel)s": "%(channel)s 연결",
    "Connect": "연결", "Connection": "연결 상태", "Give the provider this webhook URL:":
        "제공사 설정에 이 웹훅 URL을 입력하세요:", "Copy": "복사", "Copied": "복사됨",
    "Open now": "지금 운영 중", "Closed now": "지금 운영 시간 아님", "closes %(when)s": "%(when)s 종료",
    "Closes %(when)s": "%(when)s에 종료", "Opens %(when)s": "%(when)s에 시작",
    "Hours of this inbox": "이 채널의 운영 시간", "Connected:": "연결됨:", "Not checked:": "확인 불가:",
    "The provider refused:": "제공사가 거절했습니다:", "Check connection": "연결 확인",
    "This channel has no connection check.": "이 채널은 연결 확인을 지원하지 않습니다.",
    "Settings": "설정", "Active (receives and sends)": "사용 (받고 보내기)",
    "Default queue": "기본 대기열", "— routing rules decide —": "— 배분 규칙에 따름 —",
    "Greeting (Korean)": "첫인사 (한국어)", "Greeting (English)": "첫인사 (영어)",
    "the workspace greeting": "워크스페이스 기본 인사", "Provider settings": "제공사 설정",
    "Disconnect": "연결 해제", "Disconnect this inbox?": "이 채널의 연결을 해제할까요?",
    "Conversations of this inbox keep their history; no new messages arrive through it.":
        "이 채널의 대화 기록은 남고, 새 메시지는 더 이상 들어오지 않습니다.",
    "Write-only: a stored secret is never shown.": "쓰기 전용: 저장된 비밀 값은 다시 보여 주지 않습니다.",
    "set — leave blank to keep": "설정됨 — 비워 두면 유지", "The inbox was disconnected.":
        "채널 연결을 해제했습니다.", "The inbox is connected.": "채널을 연결했습니다.",
    "Website widget": "웹사이트 위젯", "Appearance": "모양", "Colour": "색상", "Position": "위치",
    "Bottom right": "오른쪽 아래", "Bottom left": "왼쪽 아래",
    "Launcher text (Korean)": "버튼 문구 (한국어)", "Launcher text (English)": "버튼 문구 (영어)",
    "icon only": "아이콘만", "Title (Korean)": "제목 (한국어)", "Title (English)": "제목 (영어)",
    "Away message (Korean)": "부재 안내 (한국어)", "Away message (English)": "부재 안내 (영어)",
    "Before the first message, ask for": "첫 메시지 전에 물어볼 항목", "Allowed sites": "허용 사이트",
    "One site per line, e.g. https://shop.example.com (empty: any site may embed the widget)":
        "한 줄에 사이트 하나, 예: https://shop.example.com (비워 두면 어느 사이트든 위젯을 넣을 수 있음)",
    "Save widget": "위젯 저장", "Live preview": "미리 보기", "Embed on your site": "사이트에 넣기",
    "Paste this tag before </body> on every page that should show the chat:":
        "채팅을 보여 줄 모든 페이지의 </body> 앞에 이 태그를 붙여 넣으세요:",
    "Signed identity": "서명된 고객 식별",
    ("To let logged-in customers skip the pre-chat form and see their history, your server signs "
     "their user id with this secret (HMAC-SHA256, hex) and adds data-user-id and data-signature "
     "to the tag. Keep it on your server."):
        ("로그인한 고객이 사전 질문 없이 이전 대화를 보려면, 서버에서 고객의 회원 ID를 이 비밀 키로 서명(HMAC-SHA256, "
         "16진수)해 태그에 data-user-id와 data-signature로 넣으세요. 비밀 키는 서버에만 두세요."),
    "Show the identity secret": "식별 비밀 키 보기", "Whose hours": "누구의 운영 시간",
    "Workspace": "워크스페이스", "Queue": "대기열", "Next holidays:": "다가오는 휴일:",
    "Only admins can change hours; you see them read-only.":
        "운영 시간은 관리자만 바꿀 수 있습니다. 읽기 전용으로 보고 있습니다.",
    "This %(what)s has its own hours (otherwise the workspace's apply)":
        "이 %(what)s만의 운영 시간 사용 (아니면 워크스페이스 운영 시간 적용)",
    "inbox": "채널", "queue": "대기열", "Weekly hours": "요일별 운영 시간",
    ("Leave a day empty to close it. An end at or before the start runs past midnight "
     "(22:00–06:00 is an overnight window). No hours at all means open around the clock."):
        ("비워 둔 요일은 휴무입니다. 종료가 시작보다 이르거나 같으면 자정을 넘깁니다 (22:00–06:00은 야간 운영). "
         "시간을 하나도 넣지 않으면 24시간 운영입니다."),
    "from": "시작", "until": "종료", "range": "시간대", "Time zone": "시간대(표준시)",
    "Holidays": "휴일", "A holiday closes its whole day, unless you give it special hours (e.g. "
    "10:00-14:00).": "휴일은 하루 종일 휴무입니다. 특별 운영 시간(예: 10:00-14:00)을 주면 그 시간만 운영합니다.",
    "Date": "날짜", "Special hours": "특별 운영 시간", "closed": "휴무",
    "New holiday date": "새 휴일 날짜", "New holiday name": "새 휴일 이름",
    "New holiday special hours": "새 휴일 특별 운영 시간", "Korean public holidays of": "한국 공휴일 가져오기:",
    "Import and save": "가져와서 저장",
}
ADMIN_CODES = {
    "day:mon": ("월", "Mon"), "day:tue": ("화", "Tue"), "day:wed": ("수", "Wed"),
    "day:thu": ("목", "Thu"), "day:fri": ("금", "Fri"), "day:sat": ("토", "Sat"),
    "day:sun": ("일", "Sun"),
}
