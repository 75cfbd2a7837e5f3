"""Write the ko and en gettext catalogs of the agent workspace and widget (run after editing).

`python -m omnidesk.web.locale.make_catalogs` rewrites both messages.po files from KO below;
English msgids translate to themselves except the `channel:`/`identity:` keys and codes.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

HERE = Path(__file__).parent
CHANNEL_NAMES = {
    "web": ("웹 채팅", "Web chat"), "api": ("API", "API"), "email": ("이메일", "Email"),
    "sms": ("문자", "SMS"), "voice": ("전화", "Voice"), "whatsapp": ("WhatsApp", "WhatsApp"),
    "telegram": ("텔레그램", "Telegram"), "line": ("LINE", "LINE"),
    "kakao": ("카카오톡", "KakaoTalk"), "naver": ("네이버 톡톡", "Naver TalkTalk"),
    "messenger": ("메신저", "Messenger"), "instagram": ("인스타그램", "Instagram"),
}
IDENTITY_NAMES = {
    "email": ("이메일", "Email"), "phone": ("전화번호", "Phone"),
    "web_visitor": ("웹 방문자", "Web visitor"), "user_id": ("회원 ID", "User ID"),
    "kakao": ("카카오", "Kakao"), "line": ("LINE", "LINE"), "whatsapp": ("WhatsApp", "WhatsApp"),
    "telegram": ("텔레그램", "Telegram"), "naver": ("네이버", "Naver"),
    "messenger": ("메신저", "Messenger"), "instagram": ("인스타그램", "Instagram"),
    "api": ("API", "API"),
}
CODES = {  # statuses, priorities, roles, author kinds, delivery states
    "open": ("진행 중", "Open"), "pending": ("대기", "Pending"), "snoozed": ("보류", "Snoozed"),
    "resolved": ("해결됨", "Resolved"), "low": ("낮음", "Low"), "normal": ("보통", "Normal"),
    "high": ("높음", "High"), "urgent": ("긴급", "Urgent"), "admin": ("관리자", "Admin"),
    "supervisor": ("매니저", "Supervisor"), "agent": ("상담원", "Agent"), "bot": ("봇", "Bot"),
    "system": ("시스템", "System"), "customer": ("고객", "Customer"), "sent": ("전송됨", "Sent"),
    "delivered": ("전달됨", "Delivered"), "failed": ("실패", "Failed"),
    "online": ("상담 가능", "Online"), "busy": ("바쁨", "Busy"), "away": ("자리 비움", "Away"),
    "offline": ("오프라인", "Offline"), "entry:waiting": ("대기 중", "Waiting"),
    "entry:offered": ("제안됨", "Offered"), "entry:assigned": ("배정됨", "Assigned"),
    "owner:bot": ("챗봇 응대", "Bot answering"), "owner:queued": ("상담 대기", "Waiting for agent"),
    "owner:agent": ("상담원 응대", "With agent"), "owner:resolved": ("종료", "Closed"),
    "sla:ok": ("정상", "OK"), "sla:warning": ("임박", "At risk"), "sla:breached": ("위반", "Breached"),
}
KO = {
    "1 hour": "1시간", "3 days": "3일", "4 hours": "4시간", "Agent": "상담원", "All": "전체",
    "All channels": "모든 채널", "Any priority": "모든 우선순위", "Any status": "모든 상태",
    "Apply": "적용", "Assignee": "담당자", "Attach a file": "파일 첨부", "Away": "상담 시간 외",
    "Back to the inbox": "받은 대화함으로", "Before we start, please tell us who you are.":
    "상담을 시작하기 전에 성함과 연락처를 알려 주세요.", "Channel": "채널", "Close": "닫기",
    "Connecting…": "연결 중…", "Customer": "고객", "Customer is typing…": "고객이 입력 중…",
    "Email": "이메일", "Identities": "연결된 계정", "Inbox": "받은 대화함", "Label": "라벨",
    "Labels": "라벨", "Live": "실시간", "Log in": "로그인", "Log out": "로그아웃",
    "Message": "메시지", "Mine": "내 대화", "My team": "우리 팀", "Name": "이름",
    "No conversations here.": "대화가 없습니다.", "Not found": "찾을 수 없음",
    "Not sent yet — will retry": "아직 전송되지 않음 — 다시 시도합니다", "Online": "상담 가능",
    "Pick a conversation from the list.": "목록에서 대화를 선택하세요.", "Priority": "우선순위",
    "Private note": "내부 메모", "Read": "읽음", "Recent conversations": "최근 대화",
    "Reconnecting…": "다시 연결 중…", "Reopen": "다시 열기", "Reply": "답장",
    "Resolve": "해결", "Return to bot": "챗봇에게 돌려주기",
    "Greeting and closing lines": "알아주기 문구", "Greetings": "첫인사", "Closings": "끝인사",
    "Agents and the bot are offered the first line whose conditions all hold for the customer. "
    "One line each: locale | conditions | text.":
    "고객에게 조건이 모두 맞는 첫 줄이 상담원과 챗봇에게 제안됩니다. 한 줄에 하나씩: 언어 | 조건 | 문구.",
    "Saved.": "저장했습니다.", "Save": "저장", "Variables": "변수", "Conditions": "조건", "Maybe the same person": "같은 고객일 수 있어요",
    "Merge": "합치기", "Merge this customer and their history into the current one?":
    "이 고객과 상담 이력을 현재 고객으로 합칠까요?",
    "Insert link": "링크 넣기", "Insert passage": "문단 넣기", "Knowledge base": "지식 베이스",
    "Language": "언어", "No matching articles yet.": "아직 관련 문서가 없습니다.",
    "Open the help center": "고객센터 열기", "Restore": "되돌리기", "Save and publish": "저장 후 게시",
    "Save draft": "임시 저장", "State": "상태", "Suggested articles": "추천 문서", "Summary": "요약",
    "Title": "제목", "Unpublish": "게시 중단", "Version": "버전", "Version history": "버전 기록",
    "View": "보기", "Visibility": "공개 범위", "What changed": "변경 내용", "When": "일시",
    "Who": "작성자", "internal": "내부용", "Chatbot": "챗봇 (자동 응답)", "Who answers now": "지금 응대 주체",
    "What the bot understood": "챗봇이 이해한 내용", "Intent": "의도", "Source": "출처",
 "Send": "보내기", "Send via": "보낼 채널", "Sending…": "보내는 중…",
    "Sent": "전송됨", "Snooze": "보류", "Start chat": "상담 시작", "Status": "상태",
    "Tags": "태그", "Team": "팀", "The file is too large.": "파일이 너무 큽니다.",
    "This conversation does not exist or belongs to another workspace.":
    "대화가 없거나 다른 워크스페이스의 대화입니다.",
    "This file type is not allowed.": "허용되지 않는 파일 형식입니다.", "Tomorrow": "내일",
    "Type a reply — Enter sends, Shift+Enter for a new line":
    "답장을 입력하세요 — Enter 보내기, Shift+Enter 줄바꿈", "Unassigned": "미배정",
    "Verified": "인증됨", "Visitor": "방문자", "Write a message…": "메시지를 입력하세요…",
    "Supervisor": "모니터링", "Presence": "상태", "Queues": "대기열", "waiting": "대기",
    "Longest wait": "최장 대기", "Assigned": "배정", "SLA at risk": "SLA 임박",
    "SLA breached": "SLA 위반", "Active conversations": "진행 중인 대화", "Queue": "대기열",
    "Waiting": "대기 시간", "Move to queue": "대기열 이동", "Assign to agent": "상담원 배정",
    "Nobody is waiting.": "대기 중인 대화가 없습니다.", "Agents": "상담원", "Chat": "채팅",
    "No queues yet: create them in the routing settings.":
    "대기열이 없습니다. 라우팅 설정에서 만들어 주세요.",
    "Downloading file…": "파일을 받는 중…", "File not available": "파일을 받을 수 없습니다",
    "File not downloaded": "받지 않은 파일",
    "comma, separated": "쉼표로 구분", "e.g. delivery": "예: 배송", "until": "까지",
}


ROUTING_KO = {  # the routing settings page; English is the msgid
    "Routing": "라우팅",
    "Routing rules": "라우팅 규칙",
    "SLA policies": "SLA 정책",
    "Default": "기본",
    "Cancel": "취소",
    "Delete": "삭제",
    "Edit": "수정",
    "On": "사용",
    "Off": "사용 안 함",
    "seconds": "초",
    "Turn on": "켜기",
    "Turn off": "끄기",
    "Move up": "위로",
    "Move down": "아래로",
    "Add queue": "대기열 추가",
    "Add rule": "규칙 추가",
    "Add SLA policy": "SLA 정책 추가",
    "New queue": "새 대기열",
    "Edit queue": "대기열 수정",
    "New rule": "새 규칙",
    "Edit rule": "규칙 수정",
    "New SLA policy": "새 SLA 정책",
    "Edit SLA policy": "SLA 정책 수정",
    "Delete this queue?": "이 대기열을 삭제할까요?",
    "Delete this rule?": "이 규칙을 삭제할까요?",
    "Delete this SLA policy?": "이 SLA 정책을 삭제할까요?",
    "Any team": "모든 팀",
    "No overflow": "넘김 없음",
    "Unchanged": "그대로",
    "Every conversation": "모든 대화",
    "No queues yet.": "대기열이 없습니다.",
    "No SLA policies yet.": "SLA 정책이 없습니다.",
    "No rules yet: every conversation goes to the default queue.":
        "규칙이 없습니다. 모든 대화가 기본 대기열로 갑니다.",
    "Only admins can change routing; you see it read-only.":
        "라우팅은 관리자만 바꿀 수 있습니다. 읽기 전용으로 보고 있습니다.",
    ("Conversations the bot hands over go to the queue of the first active rule that "
     "matches, else to the default queue. Agents of the queue's team who have its "
     "skills get them."):
        ("챗봇이 넘긴 대화는 조건이 맞는 첫 번째 사용 중인 규칙의 대기열로, 맞는 규칙이 없으면 기본 대기열로 갑니다. 대기열 팀의 상담원 중 "
         "필요한 스킬을 가진 상담원이 받습니다."),
    ("Checked from the top; the first active rule whose conditions all hold wins. "
     "Within a condition any listed value may match."):
        "위에서부터 확인하며, 조건이 모두 맞는 첫 번째 사용 중인 규칙이 적용됩니다. 한 조건 안에서는 나열한 값 중 하나만 맞으면 됩니다.",
    "Conditions (comma separated; leave blank to match anything)":
        "조건 (쉼표로 구분, 비워 두면 모두 해당)",
    ("Targets are in business seconds of the workspace's business hours; the default "
     "policy is the one in force."):
        "목표 시간은 워크스페이스 영업시간 기준 초 단위이며, 기본 정책이 적용됩니다.",
    "Offer a returning customer to their last agent within this time (0 = off).":
        "이 시간 안에 다시 문의한 고객은 지난번 상담원에게 먼저 연결합니다 (0 = 사용 안 함).",
    "name:level, comma separated (levels 1–5). Known skills: %(skills)s":
        "스킬:레벨, 쉼표로 구분 (레벨 1–5). 등록된 스킬: %(skills)s",
    "Words in the subject or first message, e.g. 환불, refund":
        "제목이나 첫 메시지에 든 단어, 예: 환불, refund",
    "after %(seconds)s s": "%(seconds)s초 후",
    "e.g. ko, en": "예: ko, en",
    "e.g. b2b": "예: b2b",
    "e.g. refund, delivery_status": "예: refund, delivery_status",
    "e.g. vip, gold": "예: vip, gold",
    "Enter a number.": "숫자를 입력하세요.",
    "Choose a queue.": "대기열을 고르세요.",
    "Choose one of the listed values.": "목록에서 고르세요.",
    "Write skills as name:level, e.g. installation:3.":
        "스킬은 이름:레벨로 적으세요. 예: installation:3",
    "This would duplicate existing settings.": "이미 있는 설정과 겹칩니다.",
}
ROUTING_CODES = {  # field labels, strategies and SLA metrics of that page: (ko, en)
    "field:name": ("이름", "Name"),
    "field:team_id": ("팀", "Team"),
    "field:required_skills": ("필요 스킬", "Required skills"),
    "field:strategy": ("배정 방식", "Strategy"),
    "field:sticky_window_seconds": ("같은 상담원 연결 (초)", "Sticky window (seconds)"),
    "field:overflow_queue_id": ("넘김 대기열", "Overflow queue"),
    "field:overflow_after_seconds": ("넘기기까지 (초)", "Overflow after (seconds)"),
    "field:offer_timeout_seconds": ("배정 제안 시간 (초)", "Offer timeout (seconds)"),
    "field:is_default": ("기본값", "Default"),
    "field:is_active": ("사용", "Active"),
    "field:queue_id": ("보낼 대기열", "Target queue"),
    "field:priority": ("우선순위", "Priority"),
    "field:conditions": ("조건", "Conditions"),
    "field:channel": ("채널", "Channels"),
    "field:language": ("언어", "Languages"),
    "field:intent": ("의도", "Intents"),
    "field:tier": ("고객 등급", "Customer tiers"),
    "field:segment": ("고객 세그먼트", "Segments"),
    "field:keywords": ("키워드", "Keywords"),
    "field:targets": ("목표 시간", "Targets"),
    "field:warn_before_seconds": ("미리 경고 (초)", "Warn before (seconds)"),
    "strategy:longest_idle": ("가장 오래 쉰 상담원", "Longest idle"),
    "strategy:least_busy": ("업무가 가장 적은 상담원", "Least busy"),
    "strategy:round_robin": ("순서대로", "Round robin"),
    "strategy:best_skill": ("스킬이 가장 높은 상담원", "Best skill"),
    "metric:first_response": ("첫 응답", "First response"),
    "metric:resolution": ("해결", "Resolution"),
}


def entries(language: str) -> dict[str, str]:
    """Return msgid -> translation for a language."""
    pick = 0 if language == "ko" else 1
    table = {k: (v if language == "ko" else k) for k, v in {**KO, **ROUTING_KO}.items()}
    table.update({f"channel:{k}": v[pick] for k, v in CHANNEL_NAMES.items()})
    table.update({f"identity:{k}": v[pick] for k, v in IDENTITY_NAMES.items()})
    table.update({k: v[pick] for k, v in CODES.items()})
    table.update({k: v[pick] for k, v in ROUTING_CODES.items()})
    return table


def write(language: str) -> Path:
    """Write one language's messages.po."""
    catalog = Catalog(locale=language, project="omnidesk", fuzzy=False)
    for msgid, text in sorted(entries(language).items()):
        catalog.add(msgid, text)
    path = HERE / language / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, width=100)
    return path


if __name__ == "__main__":
    for lang in ("ko", "en"):
        print(write(lang))
