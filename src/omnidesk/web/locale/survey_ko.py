"""Korean of the survey screens (survey page, widget rating, settings, board, conversation)."""

from __future__ import annotations

SURVEY_KO = {  # surveys: the survey page, the widget's rating, settings, board, conversation
    "Survey": "설문", "This survey has closed": "설문이 마감되었습니다",
    "The link has expired. Thank you all the same.": "링크의 유효 기간이 지났습니다. 그래도 감사합니다.",
    "This survey link is not valid": "올바르지 않은 설문 링크입니다",
    "Please open the link exactly as you received it.": "받으신 링크를 그대로 열어 주세요.",
    "Thank you for your feedback": "소중한 의견 감사합니다",
    "Your answer: %(score)s of %(high)s": "응답: %(high)s점 중 %(score)s점",
    "Please pick a score.": "점수를 골라 주세요.",
    "Anything you would like to tell us? (optional)": "더 하고 싶은 말씀이 있으신가요? (선택)",
    "Don't send me surveys again": "앞으로 설문을 받지 않겠습니다", "Send rating": "평가 보내기",
    "This conversation has ended. Write to us again any time.":
        "상담이 종료되었어요. 궁금한 점이 생기면 언제든 다시 메시지를 보내 주세요.",
    "Surveys": "설문", "Customer surveys": "만족도 조사", "Survey settings": "설문 설정",
    ("After a conversation is resolved, the customer is asked one question on the channel they "
     "used: buttons in the web chat, quick replies where the channel has them, elsewhere a short "
     "link to a survey page. A reply of just the number counts too."):
        ("대화가 해결되면 고객이 이용한 채널로 질문 하나를 보냅니다. 웹 채팅에서는 버튼으로, 빠른 답장을 지원하는 "
         "채널에서는 빠른 답장 버튼으로, 그 밖의 채널에서는 설문 페이지로 가는 짧은 링크로 보냅니다. 숫자만 답장해도 "
         "응답으로 인정됩니다."),
    "Only admins can change surveys; you see them read-only.":
        "설문은 관리자만 바꿀 수 있습니다. 읽기 전용으로 보고 있습니다.",
    "Tick no inbox to survey every inbox.": "받은 대화함을 하나도 고르지 않으면 모든 받은 대화함에서 설문합니다.",
    ("At most one survey per customer in this many days (0: no limit). Customers can opt out "
     "on the survey page."):
        "고객 한 명에게 이 기간(일) 동안 설문은 한 번만 보냅니다 (0 = 제한 없음). 고객은 설문 페이지에서 수신을 거부할 수 있습니다.",
    "A score at or under these opens a follow-up for the team lead on the supervisor board.":
        "이 점수 이하이면 매니저 화면에 팀장의 후속 조치가 열립니다.",
    "Latest answers": "최근 응답", "Score": "점수", "Comment": "의견", "No answers yet.":
    "아직 응답이 없습니다.", "Follow-ups after low scores": "낮은 점수 후속 조치", "Lead": "담당 팀장",
    "Any supervisor": "매니저 누구나", "What was done": "조치 내용", "Done": "완료",
    "No open follow-ups.": "열린 후속 조치가 없습니다.", "Customer feedback": "고객 평가",
    "Follow-up": "후속 조치",
}
SURVEY_CODES = {  # field labels and choices of the survey settings: (ko, en)
    "survey:question": ("질문", "Question"), "survey:enabled": ("만족도 조사 사용", "Surveys on"),
    "survey:kind:csat": ("고객 만족도 (CSAT 1–5)", "Satisfaction (CSAT 1–5)"),
    "survey:kind:nps": ("추천 의향 (NPS 0–10)", "Would recommend (NPS 0–10)"),
    "survey:kind:ces": ("해결 편의성 (CES 1–7)", "Ease (CES 1–7)"),
    "survey:comment": ("의견도 받기 (선택 입력)", "Ask for an optional comment"),
    "survey:when": ("보내는 때", "When"),
    "survey:timing:on_resolve": ("해결 즉시", "When resolved"),
    "survey:timing:after_hours": ("해결하고 몇 시간 뒤", "Some hours after resolving"),
    "survey:delay_hours": ("몇 시간 뒤", "Hours after resolving"),
    "survey:who": ("대상", "Who is asked"),
    "survey:audience:human": ("상담원이 응대한 대화", "Conversations people handled"),
    "survey:audience:bot": ("챗봇이 해결한 대화", "Conversations the bot resolved"),
    "survey:audience:both": ("모두", "Both"),
    "survey:cap_days": ("설문 간격 (일)", "Days between surveys"),
    "survey:link_ttl_hours": ("링크 유효 시간 (시간)", "Link valid for (hours)"),
    "survey:low": ("낮은 점수", "Low scores"), "survey:low_csat": ("CSAT 이하", "CSAT at or under"),
    "survey:low_nps": ("NPS 이하", "NPS at or under"), "survey:low_ces": ("CES 이하", "CES at or under"),
    "survey:reopen_on_low": ("낮은 점수면 대화를 다시 열기", "Reopen the conversation on a low score"),
    "field:delay_hours": ("몇 시간 뒤", "Hours after resolving"),
    "field:cap_days": ("설문 간격 (일)", "Days between surveys"),
    "field:link_ttl_hours": ("링크 유효 시간", "Link valid for"),
    "field:low_csat": ("CSAT 이하", "CSAT at or under"), "field:low_nps": ("NPS 이하", "NPS at or under"),
    "field:low_ces": ("CES 이하", "CES at or under"), "field:inbox_ids": ("받은 대화함", "Inboxes"),
    "followup:open": ("진행 중", "Open"), "followup:done": ("완료", "Done"),
}

