"""Word lists for sentiment and frustration, Korean and English.

Korean entries are matched as substrings of the normalized message (so 짜증 also hits 짜증나요),
English entries as whole words. Weights run from -3 (very negative) to +3 (very positive).
"""

from __future__ import annotations

NEGATIVE_KO = {
    "최악": -3, "엉망": -2.5, "짜증": -2.5, "화나": -2.5, "화가": -2.5, "열받": -3, "빡치": -3,
    "어이없": -2.5, "어이가 없": -2.5, "황당": -2, "실망": -2, "불만": -2, "불친절": -2.5,
    "답답": -2, "억울": -2, "불편": -1.5, "문제": -1, "고장": -1.5, "불량": -2, "파손": -2,
    "깨져": -2, "망가": -2, "안 돼": -1, "안돼": -1, "안 되": -1, "안되": -1, "못 받": -1.5,
    "아직도": -1.5, "언제까지": -1.5, "환불해": -1, "사기": -3, "속았": -2.5, "거짓말": -2.5,
    "무책임": -2.5, "기다렸": -1, "지연": -1.5, "늦": -1, "싫": -2, "별로": -1.5, "후회": -2,
    "걱정": -1, "힘들": -1.5, "곤란": -1.5, "귀찮": -1.5, "너무하": -2.5, "장난하": -3,
    "ㅠ": -1, "ㅜ": -1, "ㅡㅡ": -2, "-_-": -2, "신고": -2, "소비자원": -2.5, "고소": -3,
}  # fmt: skip
POSITIVE_KO = {
    "감사": 2, "고마": 2, "고맙": 2, "좋": 1.5, "만족": 2.5,
    "최고": 3, "친절": 2.5, "빠르": 1.5, "빨리 와": 1.5, "훌륭": 2.5, "멋지": 2, "완벽": 2.5,
    "해결됐": 2, "해결되었": 2, "다행": 1.5, "기쁘": 2, "행복": 2.5, "추천": 1.5, "맘에 들": 2,
    "마음에 들": 2, "수고": 1.5, "ㅎㅎ": 1, "ㅋㅋ": 0.5, "^^": 1.5, "잘 받았": 2,
}  # fmt: skip
NEGATIVE_EN = {
    "worst": -3, "terrible": -3, "awful": -3, "horrible": -3, "useless": -2.5, "angry": -2.5,
    "furious": -3, "annoyed": -2, "annoying": -2, "frustrated": -2.5, "frustrating": -2.5,
    "disappointed": -2, "disappointing": -2, "unacceptable": -3, "ridiculous": -2.5, "bad": -1.5,
    "poor": -1.5, "broken": -2, "damaged": -2, "defective": -2, "late": -1, "delayed": -1.5,
    "never": -1, "still": -0.5, "wrong": -1.5, "problem": -1, "issue": -0.5, "scam": -3,
    "fraud": -3, "lied": -2.5, "rude": -2.5, "hate": -2.5, "waste": -2, "sucks": -2.5,
    "complaint": -1.5, "unhappy": -2, "upset": -2, "stuck": -1.5, "fail": -1.5, "failed": -1.5,
    "cannot": -0.5, "can't": -0.5, "lawyer": -2.5, "sue": -3, "refund": -0.5,
}  # fmt: skip
POSITIVE_EN = {
    "thanks": 2, "thank": 2, "great": 2.5, "good": 1.5, "excellent": 3, "amazing": 3,
    "awesome": 3, "love": 2.5, "perfect": 3, "happy": 2, "glad": 2, "helpful": 2.5, "nice": 1.5,
    "appreciate": 2.5, "wonderful": 3, "fast": 1, "quick": 1, "resolved": 2, "satisfied": 2.5,
    "fine": 0.5, "best": 2, "pleased": 2, "kind": 1.5,
}  # fmt: skip
NEGATORS_EN = frozenset({"not", "no", "never", "don't", "didn't", "isn't", "wasn't", "hardly"})
# A Korean negation right after a positive word flips it: 좋지 않아요, 친절하지 않았다, 안 좋아.
NEGATION_SUFFIXES_KO = ("지 않", "지않", "지 못", "지못", "지도 않")
NEGATION_PREFIX_KO = ("안 ", "안", "못 ")
INTENSIFIERS_EN = {"very": 1.5, "so": 1.3, "really": 1.4, "extremely": 1.8, "totally": 1.4}
INTENSIFIERS_KO = {"너무": 1.4, "진짜": 1.4, "정말": 1.4, "완전": 1.5, "엄청": 1.5, "매우": 1.4,
                   "개": 1.3, "존나": 1.8, "졸라": 1.6}  # fmt: skip

HUMAN_REQUESTS_KO = (
    "상담원", "상담사", "사람이랑", "사람하고", "사람 바꿔", "사람 연결", "사람과", "직원 연결",
    "직원이랑", "담당자", "매니저", "상담 연결", "전화 상담", "통화하고", "사람한테",
    "진짜 사람", "실제 사람", "봇 말고", "로봇 말고", "기계 말고", "책임자",
)  # fmt: skip
HUMAN_REQUESTS_EN = (
    "agent", "human", "representative", "real person", "live person", "someone real",
    "speak to someone", "talk to someone", "operator", "supervisor", "manager", "customer service rep",
    "not a bot", "stop the bot",
)  # fmt: skip

# Profanity: checked on the message with spaces, dots and symbols removed, so ㅅ.ㅂ and f u c k hit.
PROFANITY_KO = (
    "씨발", "시발", "씨바", "시바", "씨팔", "ㅅㅂ", "ㅆㅂ", "ㅅ발", "씨x", "씨X", "시x", "씹",
    "병신", "븅신", "ㅂㅅ", "ㅄ", "좆", "ㅈ같", "존나", "졸라", "ㅈㄴ", "개새", "개색", "ㄱㅅㄲ",
    "새끼", "ㅅㄲ", "미친놈", "미친년", "미친", "ㅁㅊ", "지랄", "ㅈㄹ", "닥쳐", "꺼져", "엿먹",
    "염병", "썅", "니미", "느금",
)  # fmt: skip
PROFANITY_EN = (
    "fuck", "fck", "fuk", "f*ck", "f**k", "fxck", "shit", "sh*t", "bullshit", "bitch", "b*tch",
    "asshole", "a**hole", "bastard", "damn", "dammit", "crap", "wtf", "stfu", "dick", "moron",
    "idiot", "stupid",
)  # fmt: skip

# Chat spellings -> standard spelling, applied before intent features (regex, replacement). Only
# spellings that mean one thing: 초성 greetings and thanks, 됬/되요, 할려면, 결재 for 결제.
CHAT_SPELLINGS = (
    (r"ㄳ|ㄱㅅ|ㄱㅅㄱㅅ", " 감사 "), (r"ㅎㅇ", " 안녕 "), (r"ㅂㅇ|ㅂㅂ", " 안녕히 "),
    (r"ㅇㅋ|ㅇㅋㅇㅋ", " 오케이 "), (r"ㅈㅅ", " 죄송 "), (r"ㅅㄱ", " 수고 "), (r"ㄴㄴ", " 말고 "),
    (r"ㄱㄱ|ㄱ$", " 해 주세요 "), (r"ㅇㅇ", " 네 "), (r"짭|짝퉁", " 가품 "),
    (r"됬", "됐"), (r"되요", "돼요"), (r"되여", "돼요"), (r"안되", "안 되"), (r"여$|여\?", "요"),
    (r"할려", "하려"), (r"볼려", "보려"), (r"쓸려", "쓰려"),
    (r"결재", "결제"), (r"몇일", "며칠"), (r"어케|어캐", "어떻게"), (r"넘\s", "너무 "),
    (r"새요", "세요"), (r"영수징", "영수증"), (r"\bthx\b|\bthanx\b|\bty\b", " thanks "),
    (r"\bpls\b|\bplz\b", " please "), (r"\bu\b", " you "),
)  # fmt: skip
# Other companies' services a store's support cannot act on: shops, delivery apps, payment and
# banking apps, couriers' own accounts, public services, streaming. A message naming one is out of
# scope unless the rest of it is about this store (the model weighs both).
OTHER_COMPANIES = (
    "쿠팡", "11번가", "g마켓", "지마켓", "옥션", "위메프", "티몬", "ssg", "이마트", "홈플러스",
    "롯데마트", "마켓컬리", "컬리", "무신사", "오늘의집", "알리", "테무", "당근", "중고나라",
    "번개장터", "배민", "배달의민족", "요기요", "쿠팡이츠", "카카오톡 선물하기", "카카오뱅크",
    "카카오택시", "토스뱅크", "국민은행",
    "신한은행", "우리은행", "하나은행", "농협", "삼성카드", "현대카드", "신한카드", "국민카드",
    "홈택스", "정부24", "건강보험", "국민연금", "우체국", "cj대한통운", "한진택배", "롯데택배",
    "넷플릭스", "유튜브", "디즈니", "티빙", "웨이브", "멜론", "통신사", "skt", "kt ", "lg유플러스",
    "amazon", "netflix", "ebay", "aliexpress", "temu", "spotify", "uber", "paypal", "venmo",
)  # fmt: skip
