"""Write the ko and en gettext catalogs of the agent workspace and widget (run after editing).

`python -m omnidesk.web.locale.make_catalogs` rewrites both messages.po files from KO below;
English msgids translate to themselves except the `channel:`/`identity:` keys and codes.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from omnidesk.channels.manifests import MANIFESTS, identity_names
from omnidesk.web.locale.admin_ko import ADMIN_CODES, ADMIN_KO
from omnidesk.web.locale.agent_ko import AGENT_KO, CANNED_CODES
from omnidesk.web.locale.automation_ko import AUTOMATION_CODES, AUTOMATION_KO
from omnidesk.web.locale.console_ko import CONSOLE_CODES, CONSOLE_KO
from omnidesk.web.locale.contacts_ko import CONTACTS_KO
from omnidesk.web.locale.engagement_ko import ENGAGEMENT_CODES, ENGAGEMENT_KO
from omnidesk.web.locale.governance_ko import GOVERNANCE_CODES, GOVERNANCE_KO
from omnidesk.web.locale.kb_admin_ko import KB_ADMIN_CODES, KB_ADMIN_KO
from omnidesk.web.locale.policy_ko import POLICY_CODES, POLICY_KO
from omnidesk.web.locale.privacy_ko import PRIVACY_CODES, PRIVACY_KO
from omnidesk.web.locale.reports_ko import REPORTS_CODES, REPORTS_KO
from omnidesk.web.locale.setup_ko import SETUP_CODES, SETUP_KO
from omnidesk.web.locale.survey_ko import SURVEY_CODES, SURVEY_KO

HERE = Path(__file__).parent
CHANNEL_NAMES = {m.kind: (m.name_ko, m.name_en) for m in MANIFESTS}  # from the manifests
IDENTITY_NAMES = {**identity_names(), "user_id": ("회원 ID", "User ID")}
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
    "Support hours": "상담 시간", "Next opening: %(when)s": "다음 상담 시작: %(when)s",
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
    "Who": "작성자", "internal": "내부용", "Chatbot": "챗봇 (자동 응답)", "Read the article": "도움말 보기", "Who answers now": "지금 응대 주체",
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
    "field:inbox": ("인박스 ID", "Inbox ids"),
    "Channel account": ("연결된 채널 계정", "Channel account"),
    "field:language": ("언어", "Languages"),
    "field:intent": ("의도", "Intents"),
    "field:tier": ("고객 등급", "Customer tiers"),
    "field:segment": ("고객 세그먼트", "Segments"),
    "field:sentiment": ("고객 감정", "Customer sentiment"),
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


BOT_KO = {  # the bot settings page; English is the msgid
    "Bot": "챗봇",
    "Bot settings": "챗봇 설정",
    "Handoff": "상담원 연결",
    "Intent model": "의도 인식 모델",
    "Train now": "지금 학습",
    "Created": "만든 때",
    "Accuracy (cross-validated)": "정확도 (교차 검증)",
    "Examples": "학습 예문",
    "Training time": "학습 시간",
    "Active": "사용 중",
    ("The bot answers first on the channels ticked below, runs the task flows you allow and "
     "hands the conversation to a person by these rules."):
        "챗봇은 아래에서 고른 채널에서 먼저 응답하고, 허용한 업무만 처리하며, 아래 규칙에 따라 상담원에게 대화를 넘깁니다.",
    "Only admins can change the bot; you see it read-only.":
        "챗봇 설정은 관리자만 바꿀 수 있습니다. 읽기 전용으로 보고 있습니다.",
    "On other channels, and while the bot is off, conversations go straight to the queues.":
        "다른 채널의 대화와 챗봇이 꺼져 있을 때의 대화는 바로 대기열로 갑니다.",
    ("Said once, on the bot's first reply. Leave blank for the standard greeting shown in "
     "grey, which says it is a bot."):
        "챗봇의 첫 답변에 한 번 붙습니다. 비워 두면 회색으로 보이는 기본 인사말(챗봇임을 알리는 문장)을 씁니다.",
    ("When a customer asks for a task that is not ticked, the bot hands the conversation to "
     "a person."):
        "고르지 않은 업무를 고객이 요청하면 챗봇이 상담원에게 대화를 넘깁니다.",
    "Customer tiers, comma separated, e.g. vip, gold": "고객 등급, 쉼표로 구분. 예: vip, gold",
    "Given to customers with the handoff notice outside business hours.":
        "영업시간 외에 상담원 연결을 안내할 때 고객에게 알려 줍니다.",
    "The bot acts on an intent only when it is at least this sure.":
        "챗봇은 이 정도 이상 확신할 때만 요청을 처리합니다.",
    "Messages in a row the bot does not understand before it hands off.":
        "챗봇이 연달아 이해하지 못하면 상담원에게 넘기는 횟수입니다.",
    "Hand off when the customer's frustration reaches this.":
        "고객의 불만 정도가 이 값에 이르면 상담원에게 넘깁니다.",
    "Hand off when the customer's sentiment falls to this.":
        "고객의 감정 점수가 이 값 이하로 떨어지면 상담원에게 넘깁니다.",
    "Tries at the order number and phone or email before a handoff.":
        "주문번호와 전화번호 또는 이메일로 본인 확인을 시도할 수 있는 횟수입니다. 넘으면 상담원에게 넘깁니다.",
    "The lowest knowledge-base match the bot answers with.":
        "챗봇이 도움말 문서로 답할 때 필요한 최소 일치 점수입니다.",
    ("The bot recognises what customers ask with this workspace's active model (without "
     "one, with the model of the shipped example utterances)."):
        "챗봇은 이 워크스페이스에서 사용 중인 모델로 고객의 요청을 알아듣습니다 (없으면 기본 예문으로 만든 모델을 씁니다).",
    "Training… this takes a few seconds.": "학습하는 중… 몇 초 걸립니다.",
    "Trains a new version from the shipped Korean and English utterances and makes it active.":
        "기본 한국어·영어 예문으로 새 버전을 학습해 바로 사용합니다.",
    "No trained versions yet: the bot uses the model of the shipped utterances.":
        "학습한 버전이 없습니다. 챗봇은 기본 예문으로 만든 모델을 씁니다.",
    "Trained and activated version %(version)s.": "버전 %(version)s을(를) 학습해 사용하기 시작했습니다.",
    "Training failed; try again later.": "학습하지 못했습니다. 잠시 후 다시 시도하세요.",
    "The active model did not change.": "사용 중인 모델은 그대로입니다.",
}
BOT_CODES = {  # field labels, tones, task flows and training sources of that page: (ko, en)
    "field:enabled": ("챗봇 사용", "Bot on"),
    "field:channels": ("챗봇이 응답할 채널", "Channels the bot answers on"),
    "field:greeting": ("인사말", "Greeting"),
    "field:greeting_ko": ("한국어 인사말", "Korean greeting"),
    "field:greeting_en": ("영어 인사말", "English greeting"),
    "field:tone": ("말투", "Tone"),
    "field:intents": ("챗봇이 처리할 업무", "Tasks the bot may carry out"),
    "field:min_confidence": ("최소 확신도", "Minimum confidence"),
    "field:max_misses": ("이해 못 한 메시지 한도", "Misunderstood messages before handoff"),
    "field:frustration_threshold": ("불만 기준", "Frustration threshold"),
    "field:negative_sentiment_threshold": ("부정 감정 기준", "Negative sentiment threshold"),
    "field:handoff_vip": ("VIP 고객은 바로 상담원에게", "Hand VIP customers to a person at once"),
    "field:vip_tiers": ("VIP 등급", "VIP tiers"),
    "field:max_verification_attempts": ("본인 확인 시도 횟수", "Verification attempts"),
    "field:support_email": ("고객 지원 이메일", "Support email"),
    "field:answer_min_score": ("도움말 답변 최소 점수", "Minimum answer score"),
    "tone:friendly": ("친근하게 (해요체)", "Friendly"),
    "tone:formal": ("격식 있게 (합쇼체)", "Formal"),
    "intent:order_status": ("주문·배송 조회", "Order status"),
    "intent:cancel_order": ("주문 취소", "Cancel an order"),
    "intent:change_address": ("배송지 변경", "Change the delivery address"),
    "intent:return_request": ("반품 접수", "Return an item"),
    "intent:exchange_request": ("교환 접수", "Exchange an item"),
    "intent:refund_status": ("환불 조회", "Refund status"),
    "intent:membership_tier": ("회원 등급 안내", "Membership tier"),
    "source:shipped": ("기본 예문", "Shipped utterances"),
    "source:api": ("API로 보낸 예문", "Rows sent to the API"),
    "source:demo": ("데모 데이터", "Demo data"),
}


def entries(language: str) -> dict[str, str]:
    """Return msgid -> translation for a language."""
    pick = 0 if language == "ko" else 1
    table = {k: (v if language == "ko" else k) for k, v in {**KO, **ROUTING_KO, **BOT_KO, **AGENT_KO,
                                                                **CONTACTS_KO, **AUTOMATION_KO, **SURVEY_KO,
                                                                **GOVERNANCE_KO, **PRIVACY_KO,
                                                                **REPORTS_KO, **SETUP_KO,
                                                                **ENGAGEMENT_KO, **ADMIN_KO, **POLICY_KO,
                                                                **KB_ADMIN_KO, **CONSOLE_KO}.items()}
    table.update({f"channel:{k}": v[pick] for k, v in CHANNEL_NAMES.items()})
    table.update({f"identity:{k}": v[pick] for k, v in IDENTITY_NAMES.items()})
    table.update({k: v[pick] for k, v in CODES.items()})
    table.update({k: v[pick] for k, v in ROUTING_CODES.items()})
    table.update({k: v[pick] for k, v in BOT_CODES.items()})
    table.update({k: v[pick] for k, v in AUTOMATION_CODES.items()})
    table.update({k: v[pick] for k, v in SURVEY_CODES.items()})
    table.update({k: v[pick] for k, v in PRIVACY_CODES.items()})
    table.update({k: v[pick] for k, v in REPORTS_CODES.items()})
    table.update({k: v[pick] for k, v in GOVERNANCE_CODES.items()})
    table.update({k: v[pick] for k, v in SETUP_CODES.items()})
    table.update({k: v[pick] for k, v in CANNED_CODES.items()})
    table.update({k: v[pick] for k, v in ENGAGEMENT_CODES.items()})
    table.update({k: v[pick] for k, v in ADMIN_CODES.items()})
    table.update({k: v[pick] for k, v in KB_ADMIN_CODES.items()})
    table.update({k: v[pick] for k, v in POLICY_CODES.items()})
    table.update({k: v[pick] for k, v in CONSOLE_CODES.items()})
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
