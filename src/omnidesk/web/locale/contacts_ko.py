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
}
