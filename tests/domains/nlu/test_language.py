from omnidesk.domains.nlu.language import detect_message_language, message_language


def test_it_detects_korean() -> None:
    assert message_language("배송이 아직 안 왔어요") == "ko"


def test_it_detects_english() -> None:
    assert message_language("My package has not arrived yet") == "en"


def test_korean_wins_in_a_mixed_message_with_hangul() -> None:
    assert message_language("Galaxy S24 언제 재입고 되나요?") == "ko"


def test_it_falls_back_to_the_default_without_letters() -> None:
    guess = detect_message_language("010-1234-5678 !!", default="en")
    assert guess.language == "en"
    assert guess.script_share == 0.0


def test_it_reports_the_script_share() -> None:
    assert detect_message_language("hello there").script_share == 1.0
