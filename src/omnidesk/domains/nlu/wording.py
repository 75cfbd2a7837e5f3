"""Customer wording the intent model should see through: slang, 초성, common misspellings,
negated requests ("취소 말고 배송지만") and other companies' services (쿠팡, 홈택스).

``canonical`` rewrites a message into the standard spelling before features are taken (the
typos are the ones Korean speakers make in chat, not a model of any data set). ``negated_words``
finds the words a customer says they do *not* want (the eojeol before 말고 / 아니고 / 대신, the
words after "not" / "instead of"), so features can mark them instead of counting them as the
request. ``other_company`` tells whether a message names another company's service.
"""

from __future__ import annotations

import re

from omnidesk.core.text import normalize
from omnidesk.domains.nlu.lexicon import CHAT_SPELLINGS, OTHER_COMPANIES

_SPELLING = [(re.compile(pattern), replacement) for pattern, replacement in CHAT_SPELLINGS]
# A negation cue after a Korean eojeol: "취소 말고", "환불은 아니고", "반품은 안 하고", "환불 ㄴㄴ".
_KO_NEGATION = re.compile(
    r"(\S+?)(?:은|는|을|를|이|가)?\s*(?:말고|말구|아니고|아니라|대신|ㄴㄴ|노노|"
    r"안\s?하고|안\s?할\s?거|하지\s?말고|하려는\s?(?:거|건|게)\s?아니|할\s?(?:거|건|게)\s?아니)"
)
# The eojeol before a dependent noun is the negated one: "취소하려는 거 아니고" -> 취소하려는.
_KO_BOUND_NOUN = re.compile(r"(\S+)\s+(?:거|건|게|것은|것)\s*$")
_EN_NEGATION = re.compile(
    r"\b(?:not|don't|dont|do not|no|instead of|rather than|without)\s+"
    r"((?:(?!just|but|only|i|please)[a-z']+\s*){1,3})"
)
_OTHER = re.compile("|".join(re.escape(normalize(name)) for name in OTHER_COMPANIES))


def canonical(text: str) -> str:
    """Return the message normalized (NFKC, case-folded) with chat spellings standardised."""
    # Before NFKC, which turns compatibility jamo (ㄳ) into conjoining ones the table lacks.
    folded = text.casefold()
    for pattern, replacement in _SPELLING:
        folded = pattern.sub(replacement, folded)
    return normalize(folded)


def negated_words(text: str) -> list[str]:
    """Return the words a customer says they do not want, from canonical text."""
    words: list[str] = []
    for match in _KO_NEGATION.finditer(text):
        head = match.group(1)
        if head in ("거", "건", "게", "것"):
            before = _KO_BOUND_NOUN.search(text[: match.start(1)] + head)
            head = before.group(1) if before else head
        words.append(head)
    for match in _EN_NEGATION.finditer(text):
        words.extend(match.group(1).split())
    return words


def without_negated(text: str) -> str:
    """Return canonical text with the negated words replaced by a marker per word."""
    out = text
    for word in negated_words(text):
        out = re.sub(rf"(?<!\S){re.escape(word)}", " ¬ ", out, count=1)
    return " ".join(out.split())


def other_company(text: str) -> bool:
    """Tell whether a canonical message names another company's service (쿠팡, 홈택스)."""
    return bool(_OTHER.search(text))
