from omnidesk.domains.nlu.sentiment import score_sentiment
from omnidesk.domains.nlu.service import analyze_message


def test_a_shouted_agent_request_is_frustrated_and_wants_a_human() -> None:
    analysis = analyze_message("상담원!!")
    assert analysis.wants_human
    assert {"wants_human", "shouting"} <= set(analysis.signals)
    assert analysis.frustration >= 0.5


def test_english_human_requests_are_detected() -> None:
    assert analyze_message("Can I talk to a real person please").wants_human
    assert analyze_message("representative").wants_human
    assert not analyze_message("where is my order").wants_human


def test_korean_profanity_is_detected_also_spaced_or_masked() -> None:
    for text in ("ㅅㅂ 왜 안 와", "ㅅ ㅂ 진짜", "씨X 뭐야", "씨 발", "병 신 같네"):
        assert "profanity" in analyze_message(text).signals, text


def test_english_profanity_is_detected_also_masked() -> None:
    for text in ("this is bullshit", "what the f*ck", "f u c k this"):
        assert "profanity" in analyze_message(text).signals, text


def test_a_repeated_message_is_a_frustration_signal() -> None:
    history = ["배송 언제 와요?", "주문번호 알려드렸잖아요"]
    analysis = analyze_message("배송 언제 와요??", history)
    assert "repeated_message" in analysis.signals
    assert "repeated_message" not in analyze_message("환불 문의요", history).signals


def test_all_caps_counts_as_shouting() -> None:
    assert "all_caps" in analyze_message("WHERE IS MY ORDER").signals
    assert "all_caps" not in analyze_message("I ordered a TV from LG").signals


def test_sentiment_labels_in_korean_and_english() -> None:
    assert score_sentiment("정말 감사합니다, 너무 친절하세요").label == "positive"
    assert score_sentiment("배송이 너무 늦어서 짜증나요").label == "negative"
    assert score_sentiment("배송 조회 부탁드립니다").label == "neutral"
    assert score_sentiment("Thanks, great service!").label == "positive"
    assert score_sentiment("This is the worst, totally unacceptable").label == "negative"


def test_negation_flips_positive_words() -> None:
    assert score_sentiment("좋지 않아요").label == "negative"
    assert score_sentiment("this is not good").label == "negative"


def test_scores_are_bounded_and_a_calm_message_is_not_frustrated() -> None:
    calm = analyze_message("안녕하세요, 영수증 발급 가능할까요?")
    assert calm.frustration == 0.0
    assert calm.sentiment == "neutral"
    angry = analyze_message("씨X 최악이네 진짜 짜증나!! 상담원 연결해")
    assert -1 <= angry.sentiment_score < 0
    assert angry.frustration == 1.0
    assert angry.language == "ko"
