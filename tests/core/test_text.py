"""Tokenization and language detection shared by search and NLU."""

from __future__ import annotations

import threading

import pytest

from omnidesk.core.text import (
    detect_language,
    korean_morphemes,
    related_morphemes,
    stem_english,
    tokenize,
)


def test_korean_is_split_into_content_morphemes_with_or_without_spaces() -> None:
    assert tokenize("설치 기사님이 안왔어요") == ["설치", "기사", "안", "오"]
    assert tokenize("설치기사님이안왔어요") == tokenize("설치 기사님이 안왔어요")


def test_known_compounds_come_out_as_their_parts() -> None:
    assert tokenize("무상보증기간") == ["무상", "보증", "기간"]


def test_bare_jamo_and_emoticons_are_not_terms() -> None:
    assert tokenize("기사님 안오심 ㅠㅠ") == ["기사", "안", "오"]


def test_english_inside_korean_is_stemmed() -> None:
    assert tokenize("VIP혜택 refunds") == ["vip", "혜택", "refund"]


@pytest.mark.parametrize("words", [
    ("install", "installer", "installation", "installed"),
    ("cancel", "cancelled", "cancellation"),
    ("arrive", "arrived", "arriving"),
    ("refund", "refunds", "refunded", "refunding"),
])
def test_english_word_families_share_one_stem(words: tuple[str, ...]) -> None:
    assert len({stem_english(w) for w in words}) == 1


def test_english_stopwords_are_dropped() -> None:
    assert tokenize("When will my order arrive?") == ["order", "arriv"]


@pytest.mark.parametrize(("text", "language"), [
    ("환불 언제 되나요", "ko"), ("when is my refund", "en"), ("VIP 혜택", "ko"), ("1234", "ko"),
])
def test_language_is_guessed_from_the_script(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_related_morphemes_come_from_the_bundled_language_model() -> None:
    # 색깔 and 색상 (colour) are neighbours in Kiwi's CoNg embeddings; nothing is downloaded.
    [(word, near, similarity)] = related_morphemes(
        "색깔", skip=set(), keep={"색상"}, min_similarity=0.6, per_morpheme=3)
    assert (word, near) == ("색깔", "색상") and 0.6 <= similarity <= 1.0
    assert related_morphemes("색깔", skip={"색깔"}, keep={"색상"}, min_similarity=0.6,
                             per_morpheme=3) == []
    assert related_morphemes("colour", skip=set(), keep={"색상"}, min_similarity=0.6,
                             per_morpheme=3) == []


def _wait_behind_a_batch() -> int:
    """Analyse one message while a thread analyses a batch; return how many of the batch's
    texts were analysed meanwhile."""
    done = 0
    started = threading.Event()
    stop = threading.Event()

    def batch() -> None:
        nonlocal done
        while not stop.is_set() and done < 5000:
            korean_morphemes("배송이 너무 늦어서 환불을 받고 싶은데 어떻게 해야 하나요")
            done += 1
            started.set()

    worker = threading.Thread(target=batch)
    worker.start()
    try:
        started.wait(10)
        stop.wait(0.01)
        before = done
        korean_morphemes("설치 기사님은 언제 오시나요?")
        return done - before
    finally:
        stop.set()
        worker.join()


def test_a_batch_of_analyses_does_not_keep_the_analyser_from_a_single_message() -> None:
    """The message indexer analyses thousands of texts in a worker thread while the event loop
    analyses one customer message for the bot: the loop gets the analyser after the text in
    progress, not after more of the batch (a plain lock let the batch take it back first: up to
    23 texts, 49 ms, in 20 tries here)."""
    korean_morphemes("주문 취소하고 싶어요")  # the analyser is built
    waits = [_wait_behind_a_batch() for _ in range(20)]
    assert max(waits) <= 2, f"the single message waited for {waits} analyses of the batch"
