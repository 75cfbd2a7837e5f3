"""Korean for search, contacts (customers list and page), mentions and supervision.

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

CONTACTS_KO = {
    "Search": "검색", "Search conversations, customers, orders": "대화·고객·주문 검색",
    "Customers": "고객", "Conversations": "대화", "order": "주문",
    "Nothing found for “%(q)s”.": "“%(q)s”에 대한 검색 결과가 없어요.",
    "Status": "상태", "Any inbox": "모든 채널 계정", "Any channel": "모든 채널",
    "Anyone": "모든 담당자", "Unassigned": "미배정", "From": "부터", "To": "까지",
    "Add a note about this customer": "이 고객에 대한 메모", "Add note": "메모 추가",
    "Clear": "지우기", "Contact": "연락처", "Conversations on every channel": "모든 채널의 대화",
    "Customer # to merge in": "합칠 고객 번호", "Customer number to merge in": "합칠 고객 번호",
    "Edit profile": "프로필 수정", "First page": "첫 페이지", "Last seen": "최근 접속",
    "Leave a field blank to keep it.": "비워 둔 항목은 그대로 둡니다.",
    "Name, email, phone or any channel handle": "이름, 이메일, 전화번호 또는 채널 계정",
    "New customer's name": "새 고객 이름", "New note": "새 메모", "Next page": "다음 페이지",
    "No customers match.": "조건에 맞는 고객이 없어요.",
    "No likely duplicates.": "같은 사람으로 보이는 고객이 없어요.", "Note added.": "메모를 추가했어요.",
    "Notes": "메모", "Open the customer page": "고객 페이지 열기", "Orders": "주문",
    "Phone": "전화번호", "Search customers": "고객 검색", "Segments": "세그먼트",
    "Split": "분리", "Split into a new customer": "새 고객으로 분리",
    "Split into this new customer.": "이 새 고객으로 분리했어요.",
    "Two people behind one record? Move their identities and conversations to a new customer.":
    "한 기록에 두 사람이 섞였나요? 계정과 대화를 새 고객으로 옮기세요.",
    "Saved.": "저장했어요.", "Language": "언어", "Save": "저장",
    "Mentions": "멘션", "new": "새 멘션", "System": "시스템",
    "Nobody has mentioned you yet. Colleagues mention you with @your name in a private note.":
    "아직 멘션이 없어요. 동료가 내부 메모에 @이름을 쓰면 여기에 모여요.",
    "%(names)s viewing": "%(names)s 님이 보고 있어요", "%(names)s typing…": "%(names)s 님이 입력 중…",
    "Whisper to the agent": "상담원에게 귓속말",
    "Whisper to the agent (the customer never sees it)": "상담원에게 귓속말 (고객에게는 보이지 않아요)",
    "Whisper": "귓속말", "Take over": "직접 응대", "Take this conversation over from the agent?":
    "이 대화를 상담원에게서 넘겨받을까요?", "Needs attention": "확인 필요", "offline": "오프라인",
    "over capacity": "용량 초과", "holds %(n)s open conversations": "진행 중 대화 %(n)s건 보유",
    "reopened": "재문의", "Watch": "지켜보기", "Nothing needs attention.": "확인할 대화가 없어요.",
    "Activity on the site and orders": "사이트 활동과 주문",
}
