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
SETUP_KO.update({  # the first-run page and the checklist
    "Set up omnidesk": "omnidesk 시작하기",
    "Set up your workspace and its first admin. This page closes once it is done.":
        "워크스페이스와 첫 관리자를 만드세요. 만들고 나면 이 페이지는 닫힙니다.",
    "Workspace": "워크스페이스", "Business name": "회사·상점 이름", "e.g. Hanbit Living": "예: 한빛리빙",
    "Address name": "주소 이름",
    "Lower-case letters, digits and dashes; your help center lives at /help/<name>.":
        "영문 소문자, 숫자, 대시만 쓸 수 있습니다. 고객센터 주소는 /help/<이름> 입니다.",
    "Time zone": "시간대", "Languages customers write in": "고객이 쓰는 언어",
    "Main language": "기본 언어", "First admin": "첫 관리자", "Your name": "이름",
    "Password": "비밀번호", "Password again": "비밀번호 확인",
    "Create the workspace": "워크스페이스 만들기",
    ("Want to look around first? Stop the server and run `make run` on an empty database to "
     "load the demo store instead."):
        "먼저 둘러보고 싶다면 서버를 멈추고 빈 데이터베이스에서 `make run`을 실행해 데모 상점을 불러오세요.",
    "Your session expired; send the form again.": "세션이 만료되었습니다. 다시 보내 주세요.",
    "The two passwords differ.": "두 비밀번호가 다릅니다.",
    "this server is already set up: log in instead": "이미 설정된 서버입니다. 로그인하세요.",
    "%(name)s is ready. These steps make it answer your customers.":
        "%(name)s 워크스페이스가 준비되었습니다. 아래 단계를 마치면 고객 응대를 시작할 수 있습니다.",
    "%(done)s of %(total)s done": "%(total)s단계 중 %(done)s단계 완료", "Done": "완료", "To do": "할 일",
    "Until the team page is here: `omnidesk admin create-user` or POST /api/v1/users.":
        "팀 페이지가 생기기 전에는 `omnidesk admin create-user` 또는 POST /api/v1/users 로 추가하세요.",
    "Until the inboxes page is here: `omnidesk channels` or PUT /api/v1/channels/{kind}.":
        "채널 연결 페이지가 생기기 전에는 `omnidesk channels` 또는 PUT /api/v1/channels/{kind} 를 쓰세요.",
    "The demo store page shows the widget's embed code at work.":
        "데모 상점 페이지에서 위젯 삽입 코드가 동작하는 모습을 볼 수 있습니다.",
    "Until the hours page is here: PATCH /api/v1/workspace with business_hours.":
        "운영 시간 페이지가 생기기 전에는 PATCH /api/v1/workspace 의 business_hours 로 정하세요.",
})
SETUP_KO.update({  # the API tokens page
    ("Programs call the HTTP API with a token in the Authorization header (Bearer). A token acts "
     "with its scope, never more than the admin who made it."):
        "프로그램은 Authorization 헤더(Bearer)에 토큰을 넣어 HTTP API를 호출합니다. 토큰은 정한 범위로만 동작하며, 만든 관리자의 권한을 넘지 않습니다.",
    "API reference": "API 문서", "Copy your new token now": "새 토큰을 지금 복사하세요",
    "It is shown only this once; omnidesk keeps only a fingerprint of it.":
        "이번 한 번만 보여 줍니다. omnidesk는 토큰의 지문(해시)만 보관합니다.",
    "New token": "새 토큰", "e.g. order system": "예: 주문 시스템", "Scope": "범위",
    "Create token": "토큰 만들기", "Tokens": "토큰 목록", "Token": "토큰", "Created by": "만든 사람",
    "Created": "만든 때", "Last used": "마지막 사용", "Never": "사용 안 함", "Revoked": "폐기됨",
    "Revoke": "폐기", "Revoke this token? Programs using it stop working.":
        "이 토큰을 폐기할까요? 이 토큰을 쓰는 프로그램은 더 이상 동작하지 않습니다.",
    "No tokens yet.": "아직 토큰이 없습니다.",
})
SETUP_KO.update({  # the team page and the set-your-password links
    "Send this invitation link to %(name)s": "%(name)s 님에게 이 초대 링크를 보내세요",
    "Send this password-reset link to %(name)s": "%(name)s 님에게 이 비밀번호 재설정 링크를 보내세요",
    "It works once, for 7 days.": "7일 동안 한 번 쓸 수 있습니다.",
    "It works once, for 1 hour.": "1시간 동안 한 번 쓸 수 있습니다.",
    "Emailed to %(email)s from %(sender)s. You can also copy it:":
        "%(sender)s 에서 %(email)s 로 메일을 보냈습니다. 링크를 복사해 전해도 됩니다:",
    "The email could not be sent (%(reason)s): copy the link and send it yourself.":
        "메일을 보내지 못했습니다 (%(reason)s). 링크를 복사해 직접 보내 주세요.",
    "No email inbox is connected, so nothing was emailed: copy the link and send it yourself.":
        "연결된 이메일 인박스가 없어 메일을 보내지 않았습니다. 링크를 복사해 직접 보내 주세요.",
    "Invite someone": "팀원 초대", "Role": "역할", "Teams": "팀", "Invite": "초대하기",
    "People": "구성원", "Deactivated": "비활성", "Invited": "초대됨", "Reset link": "비밀번호 재설정 링크",
    "New invitation link": "새 초대 링크", "Deactivate": "비활성화", "Reactivate": "다시 활성화",
    "Deactivated people cannot sign in; their open conversations go back to the queues.":
        "비활성화된 사람은 로그인할 수 없고, 맡고 있던 진행 중인 대화는 대기열로 돌아갑니다.",
    "You cannot remove your own admin access here.": "여기서 자신의 관리자 권한을 없앨 수는 없습니다.",
    "Set your password": "비밀번호 설정",
    "Welcome, %(name)s. Choose a password to join.": "%(name)s 님, 환영합니다. 비밀번호를 정하고 참여하세요.",
    "Choose a new password, %(name)s.": "%(name)s 님, 새 비밀번호를 정하세요.",
    "Save and sign in": "저장하고 로그인",
    "This link has expired or was already used. Ask your admin for a new one.":
        "만료되었거나 이미 사용한 링크입니다. 관리자에게 새 링크를 요청하세요.",
})
SETUP_KO.update({  # the profile page
    "Change password": "비밀번호 바꾸기",
    "Current password": "현재 비밀번호", "New password": "새 비밀번호",
    "Your current password is not right.": "현재 비밀번호가 맞지 않습니다.",
})
SETUP_KO.update({  # a person's routing page (teams, languages, skills, capacity)
    ("Routing offers this person conversations in their languages that need their skills, up "
     "to the number at once set for each kind of work."):
        "라우팅은 이 사람이 쓰는 언어와 가진 스킬에 맞는 대화를, 업무 종류마다 정한 동시 처리 수까지 배정합니다.",
    "No teams yet.": "아직 팀이 없습니다.", "Languages they answer in": "응대 언어",
    "Conversations at once": "동시 처리 대화 수", "Skills": "스킬", "Level": "수준",
    "0 means they are not offered this kind of work.": "0이면 이 종류의 업무는 배정하지 않습니다.",
    "Level 1 is learning, 5 is expert. Queues can ask for a skill at a minimum level.":
        "수준 1은 배우는 중, 5는 전문가입니다. 대기열은 스킬의 최소 수준을 요구할 수 있습니다.",
    "New skill": "새 스킬", "e.g. installation": "예: 설치",
    "Languages, skills, capacity": "언어·스킬·동시 처리",
    "Teams, languages, skills and capacity": "팀, 언어, 스킬, 동시 처리 수",
    "Choose at least one language.": "언어를 하나 이상 고르세요.",
    "Conversations at once must be a whole number from 0 to 50.":
        "동시 처리 대화 수는 0에서 50 사이의 정수여야 합니다.",
})
SETUP_CODES: dict[str, tuple[str, str]] = {  # codes shown on these pages: (ko, en)
    "scope:admin": ("관리자 (모든 API)", "Admin (every API)"),
    "scope:supervisor": ("매니저 (운영·보고서)", "Supervisor (operations, reports)"),
    "scope:agent": ("상담원 (대화·고객)", "Agent (conversations, customers)"),
    "step:team": ("팀원 초대", "Invite your team"),
    "step:inbox": ("첫 채널 연결", "Connect a first inbox"),
    "step:widget": ("웹사이트에 채팅 위젯 넣기", "Embed the chat widget on your website"),
    "step:articles": ("도움말 문서 쓰기·가져오기", "Write or import help articles"),
    "step:hours": ("운영 시간 정하기", "Set your business hours"),
    "step-help:team": ("상담원과 매니저를 이메일로 초대하고 역할과 팀을 정합니다.",
                       "Invite agents and supervisors by email and give them roles and teams."),
    "step-help:inbox": ("이메일, 카카오톡, 텔레그램 등 고객이 연락하는 채널을 연결합니다.",
                        "Connect email, KakaoTalk, Telegram or another channel customers use."),
    "step-help:widget": ("위젯의 색과 인사말을 정하고 삽입 코드를 웹사이트에 붙여 넣습니다.",
                         "Style the widget, then paste its embed code into your website."),
    "step-help:articles": ("챗봇이 답할 수 있도록 자주 묻는 질문을 문서로 씁니다.",
                           "Write your frequent answers so the bot can answer from them."),
    "step-help:hours": ("상담 시간과 휴일을 정하면 시간 외 안내와 SLA가 맞춰집니다.",
                        "Opening hours and holidays drive after-hours replies and SLA clocks."),
}
