"""Korean for the audit log, security (two-factor, sessions) and privacy pages.

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

GOVERNANCE_KO = {
    "Audit log": "감사 로그",
    ("Every administrative change, with the values before and after. Secrets are never shown. "
     "Records cannot be changed or deleted."):
        "모든 관리 변경을 변경 전·후 값과 함께 기록합니다. 비밀 값은 보이지 않으며, 기록은 수정하거나 지울 수 없습니다.",
    "Filters": "필터", "Who": "누가", "Anyone": "누구나", "Action": "작업", "Any": "전체",
    "Object": "대상", "Object id": "대상 ID", "From": "시작일", "To": "종료일", "Filter": "조회",
    "No records match.": "조건에 맞는 기록이 없습니다.", "System": "시스템", "Unknown": "알 수 없음",
    "Field": "항목", "Before": "변경 전", "After": "변경 후", "Older records": "이전 기록",
    "Sign-in security": "로그인 보안", "Saved.": "저장했습니다.",
    "The session has ended.": "세션을 종료했습니다.",
    "Two-factor sign-in is off.": "2단계 인증을 껐습니다.",
    "That code does not match; check the time on your phone and retry.":
        "코드가 맞지 않습니다. 휴대폰 시각을 확인하고 다시 입력하세요.",
    "The set-up expired; start again.": "설정 시간이 지났습니다. 처음부터 다시 하세요.",
    "This workspace requires two-factor sign-in for admins.":
        "이 워크스페이스는 관리자에게 2단계 인증을 요구합니다.",
    "Check the numbers: idle timeout 0–10080 minutes, password length 8–128.":
        "숫자를 확인하세요: 유휴 시간 0–10080분, 비밀번호 길이 8–128자.",
    "Turn on your own two-factor sign-in first, so you are not locked out.":
        "잠기지 않도록 먼저 본인의 2단계 인증을 켜세요.",
    "Two-factor sign-in": "2단계 인증", "Two-factor sign-in is on.": "2단계 인증을 켰습니다.",
    "Keep these recovery codes somewhere safe: each works once, and they are not shown again.":
        "복구 코드를 안전한 곳에 보관하세요. 각 코드는 한 번만 쓸 수 있고 다시 보여 드리지 않습니다.",
    ("Scan the QR code with an authenticator app (Google Authenticator, 1Password, …), then "
     "enter the 6-digit code it shows."):
        "인증 앱(Google Authenticator, 1Password 등)으로 QR 코드를 찍은 뒤 앱에 보이는 6자리 코드를 입력하세요.",
    "Can't scan? Enter this key:": "QR을 찍을 수 없다면 이 키를 입력하세요:",
    "6-digit code": "6자리 코드", "Turn on": "켜기", "Turn off": "끄기",
    "On since %(when)s.": "%(when)s부터 사용 중입니다.",
    "Recovery codes left: %(n)s": "남은 복구 코드: %(n)s개",
    "A current code, to turn it off": "끄려면 현재 코드를 입력하세요",
    "Off. With it on, signing in also asks for a code from an app on your phone.":
        "꺼져 있습니다. 켜면 로그인할 때 휴대폰 앱의 코드도 묻습니다.",
    "Set up two-factor sign-in": "2단계 인증 설정", "Your sessions": "내 로그인 세션",
    "Browser": "브라우저", "Signed in": "로그인 시각", "Last seen": "마지막 사용",
    "this browser": "지금 이 브라우저", "Sign out": "로그아웃",
    "Sign-in rules for this workspace": "이 워크스페이스의 로그인 규칙",
    "Admins must use two-factor sign-in": "관리자는 2단계 인증 필수",
    "Sign out after this many idle minutes (0: never)": "이 시간(분) 동안 사용하지 않으면 로그아웃 (0: 안 함)",
    "Minimum password length": "최소 비밀번호 길이", "Save": "저장",
    "Retention and erasure": "보관 기간과 삭제",
    "Type ERASE and a customer number to erase.": "삭제하려면 고객 번호와 ERASE를 입력하세요.",
    "Days are whole numbers from 0 to 36500.": "일수는 0에서 36500 사이의 정수입니다.",
    "Call recordings the provider was asked to delete": "제공자(Twilio 등)에 삭제를 요청한 통화 녹음",
    "The law keeps the access log at least 730 days (2 years); 0 keeps it always.":
        "개인정보 접속 기록은 법에 따라 최소 730일(2년) 보관합니다. 0은 계속 보관입니다.",
    "Unknown action.": "알 수 없는 작업입니다.",
    "Keep data for (days, 0: always)": "데이터 보관 기간 (일, 0: 계속 보관)",
    "The purge runs every hour; run it now to see what it removes.":
        "정리는 매시간 실행됩니다. 지금 실행해 무엇이 지워지는지 확인할 수 있습니다.",
    "Purge now": "지금 정리", "Data": "데이터", "Removed": "삭제됨", "Files": "파일",
    "Erase a customer": "고객 정보 삭제",
    ("Removes the person's profile data, messages, files and every copy; conversations and "
     "their numbers stay for reports. This cannot be undone."):
        "고객의 프로필, 메시지, 파일과 모든 사본을 지웁니다. 통계를 위해 대화와 수치는 남습니다. 되돌릴 수 없습니다.",
    "Customer number": "고객 번호", "Type ERASE to confirm": "확인하려면 ERASE를 입력하세요",
    "Erase": "삭제", "Erasure certificate #%(n)s": "삭제 증명서 #%(n)s", "copies": "사본",
    "Export a customer's data": "고객 데이터 내보내기 (열람 요청)",
    "Download JSON and files": "JSON과 파일 내려받기",
}
GOVERNANCE_CODES = {  # the retention page's data kinds: (ko, en)
    "retention:messages": ("메시지", "Messages"),
    "retention:attachments": ("첨부 파일", "Attachments"),
    "retention:recordings": ("통화 녹음", "Call recordings"),
    "retention:raw_events": ("수신 원본 이벤트", "Raw inbound events"),
    "retention:logs": ("이벤트 로그", "Event logs"),
    "retention:access_log": ("개인정보 접속 기록", "Personal-data access log"),
}
