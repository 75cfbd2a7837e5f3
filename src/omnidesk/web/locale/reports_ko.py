"""Korean for the /reports pages; English is the msgid, and coded keys carry both languages.

`make_catalogs` merges these tables into both catalogues.
"""

from __future__ import annotations

REPORTS_KO = {
    "Reports": "리포트", "your conversations": "내 대화", "From": "시작일", "To": "종료일",
    "Break down by": "분류 기준", "Overview": "요약", "previous": "이전 기간",
    "median age": "중간 경과", "Conversations per day": "일별 대화 수",
    "First response and FCR per day": "일별 첫 응답 시간과 1차 해결률", "By": "기준:",
    "Conversations by hour of the week": "요일·시간대별 대화 수",
    "What customers said": "고객의 목소리", "No comments in this period.": "이 기간에 남긴 의견이 없습니다.",
    "Bot containment": "챗봇 자체 해결", "Intents the bot hands off": "챗봇이 넘긴 의도",
    "Handoff reasons": "넘긴 이유", "None": "없음", "Articles that did not help": "도움이 안 된 문서",
    "Goals": "목표", "On track": "달성 중", "Off track": "미달", "No data yet": "아직 데이터 없음",
    "Last periods": "최근 기간", "No goals yet.": "아직 목표가 없습니다.", "Staffing": "인력 계획",
    "Online now: %(online)s · recommended now: %(recommended)s (80%% answered within 60 s, "
    "%(concurrency)s chats per agent)": "지금 상담 가능: %(online)s명 · 지금 권장: %(recommended)s명 "
    "(60초 안에 80%% 응답, 상담원당 채팅 %(concurrency)s건 동시 처리)",
    "Opened": "시작", "No conversations.": "대화가 없습니다.", "Conversations": "대화",
    "Resolved": "해결", "First response, business minutes (average)": "첫 응답(영업시간 기준 분, 평균)",
    "FCR %": "1차 해결률 %", "Recommended agents": "권장 상담원 수",
    "Conversations needing a person per hour": "시간당 상담원이 필요한 대화",
    "Confirmed by the customer": "고객이 해결 확인", "Assumed (no recontact in 72 h)": "72시간 재문의 없음(추정)",
    "Handed to people": "상담원 연결", "Other": "기타", "Answers": "응답 수",
}

REPORTS_CODES = {  # coded keys: (ko, en)
    "kpi:conversations": ("대화 수", "Conversations"),
    "kpi:first_response_business_seconds_median": ("첫 응답 시간(영업시간, 중앙값)",
                                                   "First response (business hours, median)"),
    "kpi:first_response_seconds_median": ("첫 응답 시간", "First response"),
    "kpi:resolution_business_seconds_median": ("해결 시간(영업시간, 중앙값)",
                                               "Resolution (business hours, median)"),
    "kpi:resolution_seconds_median": ("해결 시간", "Resolution time"),
    "kpi:fcr_rate": ("1차 해결률(7일 재문의 없음)", "FCR (no recontact in 7 days)"),
    "kpi:reopen_rate": ("재오픈율", "Reopen rate"),
    "kpi:sla_attainment": ("SLA 준수율", "SLA attainment"),
    "kpi:csat_average": ("CSAT 평균", "CSAT average"), "kpi:nps": ("NPS", "NPS"),
    "kpi:ces_average": ("CES 평균", "CES average"),
    "kpi:handoff_rate": ("챗봇 상담원 연결률", "Bot handoff rate"),
    "kpi:self_service_confirmed_rate": ("챗봇 해결(확인됨)", "Bot resolved (confirmed)"),
    "kpi:self_service_assumed_rate": ("챗봇 해결(추정)", "Bot resolved (assumed)"),
    "kpi:backlog_open": ("미해결 대화", "Open backlog"),
    "kpi:first_response_within_target_rate": ("목표 내 첫 응답 비율", "First responses within target"),
    "kpi:csat_satisfied_rate": ("CSAT 만족 비율", "CSAT satisfied"),
    "kpi:replies_per_resolution": ("해결당 답변 수", "Replies per resolution"),
    "kpi:resolved": ("해결된 대화", "Resolved conversations"),
    "by:channel": ("채널", "Channel"), "by:inbox": ("채널 계정", "Inbox"), "by:team": ("팀", "Team"),
    "by:agent": ("상담원", "Agent"), "by:intent": ("의도", "Intent"), "by:language": ("언어", "Language"),
    "kind:csat": ("CSAT (1–5)", "CSAT (1–5)"), "kind:nps": ("NPS (0–10)", "NPS (0–10)"),
    "kind:ces": ("CES (1–7)", "CES (1–7)"),
    "period:week": ("주간", "weekly"), "period:month": ("월간", "monthly"),
    "period:quarter": ("분기", "quarterly"), "scope:workspace": ("전체", "workspace"),
    "scope:team": ("팀", "team"), "scope:inbox": ("채널 계정", "inbox"), "scope:agent": ("상담원", "agent"),
    "reason:customer_request": ("고객 요청", "Customer asked"),
    "reason:not_understood": ("이해 못 함", "Not understood"), "reason:no_answer": ("답변 없음", "No answer"),
    "reason:vip_customer": ("VIP 고객", "VIP customer"),
    "reason:intent_not_enabled": ("꺼진 의도", "Intent turned off"),
    "reason:flow_failed": ("처리 실패", "Flow failed"), "reason:bot_disabled": ("챗봇 꺼짐", "Bot off"),
    "reason:verification_failed": ("본인 확인 실패", "Verification failed"),
    "drill:all": ("모든 대화", "All conversations"), "drill:resolved": ("해결된 대화", "Resolved"),
    "drill:open": ("미해결 대화", "Open"), "drill:reopened": ("재오픈된 대화", "Reopened"),
    "drill:not_fcr": ("1차 해결 실패(7일 내 재문의·재오픈)", "Not resolved at first contact"),
    "drill:fcr": ("1차 해결", "First-contact resolved"),
    "drill:first_response_late": ("첫 응답 목표 초과", "First response late"),
    "drill:sla_missed": ("SLA 미준수", "SLA missed"), "drill:bot": ("챗봇 대화", "Bot conversations"),
    "drill:handoff": ("상담원 연결", "Handed off"),
    "drill:self_service_confirmed": ("챗봇 해결(확인됨)", "Bot resolved (confirmed)"),
    "drill:self_service_assumed": ("챗봇 해결(추정)", "Bot resolved (assumed)"),
    "drill:csat_low": ("낮은 CSAT", "Low CSAT"), "drill:nps_detractor": ("NPS 비추천", "NPS detractors"),
}
