"""Korean for the admin console's forms in words: greeting rules, routing lists, SLA units,
people's skills and capacity, channel checks and test messages.

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

CONSOLE_KO = {  # greeting and closing rules
    "Tier": "등급", "Remove": "삭제", "Text": "문구", "Preview": "미리보기",
    "When (all ticked must hold; none = everyone)": "조건 (선택한 조건을 모두 만족할 때, 없으면 모든 고객)",
    "Insert a variable": "변수 넣기", "Preview on customer": "미리보기 고객",
    "No customers yet": "아직 고객이 없습니다", "Add a line": "문구 추가",
    "This customer gets this line.": "이 고객에게는 이 문구가 제안됩니다.",
    "Choose a customer.": "고객을 고르세요.",
    "Not offered: this customer does not match %(conditions)s.":
        "제안 안 됨: 이 고객은 조건에 맞지 않습니다 (%(conditions)s).",
    "Not offered: this customer has no value for %(variables)s.":
        "제안 안 됨: 이 고객에게는 %(variables)s 값이 없습니다.",
    "Agents and the bot are offered the first line, from the top, in the customer's language "
    "whose conditions all hold and whose variables all have a value.":
        "상담원과 챗봇에게는 고객의 언어로 된 문구 중 위에서부터 조건을 모두 만족하고 변수 값이 "
        "모두 있는 첫 문구가 제안됩니다.",
}
CONSOLE_KO.update({  # SLA targets in words
    "Unit": "단위", "Choose minutes or hours.": "분 또는 시간을 고르세요.",
    "Targets count business minutes or hours: only the time the workspace is open. The default "
    "policy is the one in force.":
        "목표는 운영 시간 기준 분·시간으로 셉니다 (영업하지 않는 시간은 세지 않음). 기본 정책이 적용됩니다.",
})
CONSOLE_CODES: dict[str, tuple[str, str]] = {
    "unit:minutes": ("분", "minutes"), "unit:hours": ("시간", "hours"),
}
