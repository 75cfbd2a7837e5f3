"""Bulk analysis on Kiwi's worker threads: the same terms as one text at a time, a customer's
message not held behind the batch, and forked servers that still analyse and exit."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from omnidesk.core import text

LINES = [f"{i}번 주문의 배송이 늦어져서 환불을 받고 싶은데 어떻게 해야 하나요" for i in range(40)] + [
    "설치기사님이안왔어요", "현금영수증 발급은 결제할 때 휴대폰 번호로 해요", "Request it with your points",
    "ㅠㅠ 너무 늦어요", "TV 리모컨이 안 돼요 2번째 문의", "", "   ", "SALE 50% 쿠폰은 12월에만 씁니다.",
]


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process whose analyser is built for batches (as `omnidesk serve` builds it), with a
    small bulk threshold; the process's own analyser comes back afterwards."""
    monkeypatch.setattr(text, "_analyser", text._Analyser())
    monkeypatch.setattr(text, "BULK_MIN_LINES", 8)
    monkeypatch.setattr(text, "BULK_WORKERS", 2)
    text.warm_analyser()
    assert text._pooled_kiwi() is not None


def test_a_bulk_batch_gives_the_terms_of_one_text_at_a_time(
        request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [text.tokenize(line) for line in LINES]
    expected_nlu = [text.tokenize(line, keep_stopwords=True) for line in LINES]
    request.getfixturevalue("pooled")
    one_at_a_time: list[str] = []
    real = text.korean_morphemes
    monkeypatch.setattr(text, "korean_morphemes",
                        lambda norm: one_at_a_time.append(norm) or real(norm))
    assert text.tokenize_many(LINES) == expected
    assert text.tokenize_many(LINES, keep_stopwords=True) == expected_nlu
    assert one_at_a_time == [], "the batch went to the worker threads"
    assert text.tokenize_many(LINES[:3]) == expected[:3]  # a small batch: one at a time
    assert len(one_at_a_time) == 3


class _Watched(list[str]):
    """A batch that tells when the analyser starts reading it."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(items)
        self.started = threading.Event()

    def __iter__(self) -> Iterator[str]:
        for item in super().__iter__():
            self.started.set()
            yield item


@pytest.mark.usefixtures("pooled")
def test_a_customer_message_is_analysed_beside_a_bulk_batch_not_after_it() -> None:
    """The message indexer's backlog or a reindex analyses thousands of lines in a worker
    thread; the event loop's analysis of a customer's message must not wait for all of them."""
    batch = _Watched([f"{line} {n}" for n in range(40) for line in LINES[:40]])
    worker = threading.Thread(target=text.korean_morphemes_many, args=(batch,))
    worker.start()
    try:
        assert batch.started.wait(30)
        assert text.korean_morphemes("설치 기사님은 언제 오시나요?")
        assert worker.is_alive(), "the message waited for the whole batch"
    finally:
        worker.join()


FORKED = """
import os, sys, time
from omnidesk.core import text
text.warm_analyser()  # with worker threads, as a server builds it
assert text._pooled_kiwi() is not None
pid = os.fork()
if pid == 0:
    print(text.tokenize("배송 언제 와요"), text._pooled_kiwi(), flush=True)
    sys.exit(0)  # a normal exit: the interpreter tears the analyser down
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    if os.waitpid(pid, os.WNOHANG)[0]:
        print("exited")
        break
    time.sleep(0.05)
else:
    os.kill(pid, 9)
    print("hung")
"""


def test_a_child_forked_from_a_server_with_analyser_threads_analyses_and_exits() -> None:
    if text.BULK_WORKERS < 2:
        pytest.skip("one core: the analyser has no worker threads")
    run = subprocess.run([sys.executable, "-c", FORKED], check=False, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["['배송', '언제', '오'] None", "exited"]
