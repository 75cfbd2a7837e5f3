"""Text utilities: what may be stored, and Korean/English language guess and tokenization.

Korean is split into morphemes with kiwipiepy (nouns, verb/adjective stems, roots; compounds come
out as their parts); English is case-folded and lightly stemmed. The Kiwi model ships inside the
`kiwipiepy_model` package, so nothing is downloaded at run time.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import threading
import unicodedata
import warnings
from collections.abc import Container, Sequence
from functools import lru_cache
from typing import Any

HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
LATIN = re.compile(r"[A-Za-z]")
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[\uac00-\ud7a3]+")
# A term must carry a letter, digit or Hangul syllable (drops bare jamo such as "ㅠㅠ").
TERM_CHARS = re.compile(r"[0-9a-z\uac00-\ud7a3]")
# Kiwi tags kept as content: nouns, verb/adjective stems, roots, foreign words, numbers.
CONTENT_TAGS = ("NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "XR", "SL", "SN", "MAG", "SH")
EN_STOPWORDS = frozenset((
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "of",
    "to", "in", "on", "at", "for", "and", "or", "my", "i", "me", "you", "your", "it", "this",
    "that", "with", "can", "could", "would", "should", "will", "please", "hi", "hello", "there",
    "how", "what", "when",
))
# Ordered (suffix, replacement, shortest stem kept): longest, most specific first.
EN_SUFFIXES = (
    ("ational", "ate", 3),
    ("ations", "", 4),
    ("ation", "", 4),
    ("ments", "", 4),
    ("ment", "", 4),
    ("ness", "", 4),
    ("ies", "y", 3),
    ("ied", "y", 3),
    ("ers", "", 4),
    ("ing", "", 3),
    ("ed", "", 3),
    ("er", "", 4),
    ("es", "", 3),
    ("s", "", 3),
)
DOUBLE_END = re.compile(r"([bdfglmnprtz])\1$")


class FairLock:
    """A lock that serves waiters in the order they came (a ticket lock).

    The analyser is one object shared by every thread of the process. With a plain lock, a
    thread analysing a batch (the message indexer, a model fit) releases it and takes it again
    before the thread that waited wakes up: the event loop, asking for one analysis of a
    customer's message, waited for up to 23 of the batch's texts (49 ms) in 20 tries here, and
    a bot turn asks several times. Here a waiter is served after the analysis in progress."""

    def __init__(self) -> None:
        self._turns = threading.Condition(threading.Lock())
        self._next = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._turns:
            ticket = self._next
            self._next += 1
            while self._serving != ticket:
                self._turns.wait()

    def __exit__(self, *exc: object) -> None:
        with self._turns:
            self._serving += 1
            self._turns.notify_all()


_kiwi_lock = FairLock()

# Neither database stores these: PostgreSQL refuses NUL in text and \u0000 in JSONB, and no
# driver can encode a lone surrogate. Other C0 controls (bar tab, newline, return) break XML,
# terminals and mail headers, so they go too.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|[\ud800-\udfff]")
# JSON text that may hide one of them (json.dumps escapes all of them, some as \b or \f).
UNSTORABLE_ESCAPE = re.compile(r"\\(?:u00[01]|u[dD][89a-fA-F]|[bf])")


def _storable_char(match: re.Match[str]) -> str:
    return "\ufffd" if match.group() >= "\ud800" else ""


def storable(text: str) -> str:
    """Drop NUL and C0 controls (but tab, newline, return); mark lone surrogates with U+FFFD."""
    return UNSTORABLE.sub(_storable_char, text) if UNSTORABLE.search(text) else text


def storable_json(value: Any) -> Any:
    """Return a JSON-like value with every string (keys too) storable; the same object if clean."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        pairs = [(storable_json(k), storable_json(v)) for k, v in value.items()]
        if all(k2 is k and v2 is v for (k2, v2), (k, v) in zip(pairs, value.items(),
                                                                strict=True)):
            return value
        return dict(pairs)
    if isinstance(value, list | tuple):
        items = [storable_json(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def dumps_storable(value: Any) -> str:
    """Serialise a value for a JSON column, storable on both databases."""
    text = json.dumps(value)
    return json.dumps(storable_json(value)) if UNSTORABLE_ESCAPE.search(text) else text


def normalize(text: str) -> str:
    """Return NFKC-normalized, case-folded text (full-width forms and Hangul jamo composed)."""
    return unicodedata.normalize("NFKC", text).casefold()


HANGUL_BASE = 0xAC00
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def jamo(word: str) -> str:
    """Decompose Hangul syllables into compatibility jamo (환불 -> ㅎㅘㄴㅂㅜㄹ)."""
    out: list[str] = []
    for ch in word:
        code = ord(ch) - HANGUL_BASE
        if 0 <= code < 11172:
            out.append(CHOSEONG[code // 588])
            out.append(JUNGSEONG[(code % 588) // 28])
            if code % 28:
                out.append(JONGSEONG[code % 28])
        else:
            out.append(ch)
    return "".join(out)


def detect_language(text: str) -> str:
    """Guess 'ko' or 'en' from the script mix; Korean wins when Hangul is a real share."""
    hangul = len(HANGUL.findall(text))
    latin = len(LATIN.findall(text))
    if hangul == 0 and latin == 0:
        return "ko"
    return "ko" if hangul * 2 >= latin * 0.5 and hangul > 0 else "en"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# A batch of this many distinct Korean lines or more (a reindex, an import, the message
# indexer's backlog) is analysed by Kiwi's worker threads, one per core (at most 4), without the
# GIL; fewer (a customer's message, a published article) one at a time on the caller's thread.
BULK_MIN_LINES = 200
BULK_WORKERS = min(_cores(), 4)


class _Analyser:
    """The process's Kiwi, and the process that built it with worker threads (None: without)."""

    kiwi: Any = None
    pool_pid: int | None = None


_analyser = _Analyser()
_build_lock = threading.Lock()


def _build(workers: int) -> Any:
    from kiwipiepy import Kiwi

    # Without the multi-word proper-noun dictionary: it cost 1.1 s of every start (building
    # and the first analysis, 2.3 s -> 0.9 s) and changed none of the intent (kointent
    # hold-outs) or knowledge-base search (the labelled query set) figures, measured 2026-12-06.
    with warnings.catch_warnings():  # it warns that 0 no longer means "every core"
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=workers, load_multi_dict=False)


def _kiwi() -> Any:
    """The process's analyser, built on first use: without worker threads (tokenize on a string
    never uses them) unless a server's start (``warm_analyser``) or a bulk batch built it first
    (``_pooled_kiwi``). One without them may be inherited by servers forked from a preloading
    parent (the tests' zygotes, ``gunicorn --preload``)."""
    kiwi = _analyser.kiwi
    if kiwi is None:
        with _build_lock:
            if _analyser.kiwi is None:
                _analyser.kiwi = _build(0)
            kiwi = _analyser.kiwi
    return kiwi


def _pooled_kiwi() -> Any | None:
    """The process's analyser if it has worker threads of this process (building it with them,
    one per core, when nothing is built yet), else None: a batch is then analysed one text at
    a time. It is never rebuilt: a second analyser costs 250 MB while both exist and about a
    second of GIL-held loading, and an inherited one shares its parent's pages."""
    if BULK_WORKERS < 2:
        return None
    pid = os.getpid()
    if _analyser.pool_pid != pid:
        with _build_lock:
            if _analyser.kiwi is None:
                _analyser.kiwi, _analyser.pool_pid = _build(BULK_WORKERS), pid
    return _analyser.kiwi if _analyser.pool_pid == pid else None


def _after_fork_in_child() -> None:
    # A forked child has none of its parent's threads: an inherited analyser with worker
    # threads still analyses single texts, but destroying it would wait forever for its
    # threads at the child's exit. It is kept alive for good (one reference never released),
    # and the child analyses its batches one text at a time.
    if _analyser.pool_pid is not None and _analyser.pool_pid != os.getpid():
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(_analyser.kiwi))


os.register_at_fork(after_in_child=_after_fork_in_child)


def stem_english(word: str) -> str:
    """Strip common English inflections and derivations (a light Porter-style step)."""
    if word.endswith("ss") or not word.isalpha():
        return word
    stem = word
    for suffix, keep, min_stem in EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            stem = word[: -len(suffix)] + keep
            break
    # Fold the ends that inflection changes, so install/installer/installation, cancel/cancelled
    # and arrive/arrived meet on one form.
    if len(stem) > 4 and stem.endswith("e"):
        stem = stem[:-1]
    if len(stem) > 3 and DOUBLE_END.search(stem):
        stem = stem[:-1]
    return stem


def warm_analyser() -> None:
    """Build the Korean analyser and run a first analysis (which loads the rest of its model).
    About a second of native code: `omnidesk serve` and `omnidesk worker` run it in a thread
    beside the application's import (see app/asgi.py). Built here first, it has worker threads
    for bulk batches (``korean_morphemes_many``); one inherited from a preloading parent is kept."""
    _pooled_kiwi()
    korean_morphemes("주문 취소하고 싶어요")


def korean_morphemes(text: str) -> list[tuple[str, str]]:
    """Return (form, tag) pairs for Korean text, compounds split where Kiwi knows them."""
    with _kiwi_lock:
        tokens = _kiwi().tokenize(text, split_complex=True)
    return [(tok.form, tok.tag.split("-")[0]) for tok in tokens]


def korean_morphemes_many(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """Return ``korean_morphemes`` of each text; a batch of ``BULK_MIN_LINES`` or more is
    analysed on Kiwi's worker threads.

    That batch does not take the analyser's lock: Kiwi analyses on its threads and a caller's
    at the same time (its worker threads do so with each other), so a customer's message is
    analysed beside the batch rather than after it. What it waits for is the GIL, which the
    batch's thread gives up after each text's result (every 5 ms when asked)."""
    kiwi = _pooled_kiwi() if len(texts) >= BULK_MIN_LINES else None
    if kiwi is None:
        return [korean_morphemes(text) for text in texts]
    out: list[list[tuple[str, str]]] = []
    for tokens in kiwi.tokenize(texts, split_complex=True):
        out.append([(tok.form, tok.tag.split("-")[0]) for tok in tokens])
    return out


def _content_terms(morphemes: list[tuple[str, str]], keep_stopwords: bool) -> list[str]:
    terms: list[str] = []
    for form, tag in morphemes:
        if tag not in CONTENT_TAGS:
            continue
        if tag == "SL":
            if not keep_stopwords and form in EN_STOPWORDS:
                continue
            form = stem_english(form.lower())
        if TERM_CHARS.search(form):
            terms.append(form)
    return terms


def _korean_terms(norm: str, keep_stopwords: bool) -> list[str]:
    return _content_terms(korean_morphemes(norm), keep_stopwords)


def _latin_terms(norm: str, keep_stopwords: bool) -> list[str]:
    terms: list[str] = []
    for word in WORD.findall(norm):
        if not keep_stopwords and word in EN_STOPWORDS:
            continue
        terms.append(stem_english(word) if word.isalpha() else word)
    return terms


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Split text into search/NLU terms: Korean content morphemes, English stems, numbers."""
    norm = normalize(text)
    if HANGUL.search(norm):
        return _korean_terms(norm, keep_stopwords)
    return _latin_terms(norm, keep_stopwords)


def tokenize_many(texts: Sequence[str], *, keep_stopwords: bool = False) -> list[list[str]]:
    """Return ``tokenize`` of each text; a big batch's Korean texts are analysed together on
    Kiwi's worker threads (``korean_morphemes_many``), with the same terms."""
    norms = [normalize(text) for text in texts]
    korean = [norm for norm in norms if HANGUL.search(norm)]
    if len(korean) < BULK_MIN_LINES:
        return [tokenize(text, keep_stopwords=keep_stopwords) for text in texts]
    analysed = iter(korean_morphemes_many(korean))
    return [_content_terms(next(analysed), keep_stopwords) if HANGUL.search(norm)
            else _latin_terms(norm, keep_stopwords) for norm in norms]


# Content morphemes worth looking up in the language model's embedding space (nouns, stems, roots).
RELATED_TAGS = ("NNG", "NNP", "VV", "VA", "XR")
NEIGHBOURS_LOOKED_UP = 50
RELATED_MIN_LENGTH = 2


@lru_cache(maxsize=4096)
def _neighbours(form: str, tag: str) -> tuple[tuple[str, float], ...]:
    try:
        with _kiwi_lock:
            found = _kiwi().most_similar_morphemes((form, tag), top_n=NEIGHBOURS_LOOKED_UP)
    except (ValueError, KeyError, RuntimeError, AttributeError):
        return ()  # a morpheme the model lacks, or a Kiwi model without embeddings
    return tuple((m.form, float(m.score)) for m in found)


def related_morphemes(text: str, *, skip: Container[str], keep: Container[str],
                      min_similarity: float, per_morpheme: int) -> list[tuple[str, str, float]]:
    """Return (morpheme, related morpheme, cosine similarity) for Korean text's content
    morphemes not in `skip`: up to `per_morpheme` neighbours in `keep` that Kiwi's bundled CoNg
    language model places at `min_similarity` or nearer (색깔 -> 색상 0.76), nearest first.
    The model ships in kiwipiepy_model; nothing is downloaded."""
    norm = normalize(text)
    if not HANGUL.search(norm):
        return []
    with _kiwi_lock:
        tokens = _kiwi().tokenize(norm, split_complex=True)
    related: list[tuple[str, str, float]] = []
    for tok in tokens:
        # One-syllable morphemes are too ambiguous (걸 = 것을, girl, hang) for their neighbours
        # to mean anything; so are one-syllable neighbours.
        if (tok.tag.split("-")[0] not in RELATED_TAGS or tok.form in skip
                or len(tok.form) < RELATED_MIN_LENGTH):
            continue
        near = [(tok.form, form, score) for form, score in _neighbours(tok.form, tok.tag)
                if score >= min_similarity and len(form) >= RELATED_MIN_LENGTH
                and form != tok.form and form in keep]
        related += near[:per_morpheme]
    return related
