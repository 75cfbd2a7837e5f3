"""What surveys say to customers, in Korean and English (one place for every survey string)."""

from __future__ import annotations

QUESTIONS: dict[str, dict[str, str]] = {
    "csat": {"ko": "상담은 만족스러우셨나요? 1(매우 불만족)부터 5(매우 만족)까지 골라 주세요.",
             "en": "How satisfied were you with our help? Pick 1 (very unsatisfied) "
                   "to 5 (very satisfied)."},
    "nps": {"ko": "저희를 친구나 동료에게 추천하실 가능성은 얼마나 되나요? "
                  "0(전혀 없음)부터 10(매우 높음)까지 골라 주세요.",
            "en": "How likely are you to recommend us to a friend or colleague? "
                  "Pick 0 (not at all) to 10 (extremely likely)."},
    "ces": {"ko": "문제를 해결하기가 얼마나 쉬우셨나요? 1(매우 어려움)부터 7(매우 쉬움)까지 "
                  "골라 주세요.",
            "en": "How easy was it to get your issue sorted? Pick 1 (very hard) "
                  "to 7 (very easy)."},
}
TITLES: dict[str, dict[str, str]] = {
    "csat": {"ko": "상담 만족도", "en": "Satisfaction"},
    "nps": {"ko": "추천 의향", "en": "Would you recommend us?"},
    "ces": {"ko": "해결 편의성", "en": "Ease of getting help"},
}
ENDS: dict[str, dict[str, tuple[str, str]]] = {  # the scale's two ends, as the page labels them
    "csat": {"ko": ("매우 불만족", "매우 만족"), "en": ("Very unsatisfied", "Very satisfied")},
    "nps": {"ko": ("전혀 없음", "매우 높음"), "en": ("Not at all", "Extremely likely")},
    "ces": {"ko": ("매우 어려움", "매우 쉬움"), "en": ("Very hard", "Very easy")},
}
REPLY_WITH_NUMBER = {"ko": "숫자만 답장해 주셔도 됩니다.", "en": "You can just reply with the number."}
ANSWER_HERE = {"ko": "여기에서 답해 주세요: {url}", "en": "Answer here: {url}"}
THANKS = {"ko": "소중한 의견 감사합니다.", "en": "Thank you for your feedback."}


def say(table: dict[str, str], language: str, **values: str) -> str:
    """Return a string in the survey's language (Korean unless English), filled in."""
    return table["en" if language == "en" else "ko"].format(**values)
