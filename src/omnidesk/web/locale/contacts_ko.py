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
}
