"""Split one customer message into the requests it makes, in the order they were made.

"취소하고 환불은 언제 돼요? 그리고 배송지도 바꾸고 싶어요" asks three things; "취소 말고 배송지만
바꿔주세요" asks one (the part before 말고 is what the customer does *not* want). The engine
classifies each piece and works through them one after another, so nothing said is dropped.
"""

from __future__ import annotations

import re

# Sentence ends and joining words between requests.
SENTENCES = re.compile(r"(?<=[.?!？。])\s+|\n+|\s*(?:그리고|그리구|그리고요|또한|아 그리고|"
                       r"and also|and then|also|plus|another thing)\s+", re.IGNORECASE)
# A verb joined to the next request with -고 ("취소하고 환불은…"), but not "하고 싶어요" and the like.
JOINED = re.compile(r"(?<=[가-힣])(?:하고|되고|했고|시키고)\s+(?!싶|있|계|나서|말|난|나면)")
# "A 말고 B" / "A 아니고 B" / "not A but B": only B is asked for.
NEGATED = re.compile(r"^.*?(?:말고|말구|아니고|빼고|대신에?|instead of [^,]+,?|not [^,]+, but)\s+",
                     re.IGNORECASE)
MIN_CHARS = 2


def split_requests(text: str) -> list[str]:
    """Return the message's requests (one piece when it makes a single request)."""
    pieces: list[str] = []
    for sentence in SENTENCES.split(text):
        cut = [m.end() for m in JOINED.finditer(sentence)]
        starts = [0, *cut]
        for start, end in zip(starts, [*cut, len(sentence)], strict=True):
            piece = NEGATED.sub("", sentence[start:end].strip()).strip(" ,.")
            if len(piece) >= MIN_CHARS:
                pieces.append(piece)
    return pieces or [text.strip()]
