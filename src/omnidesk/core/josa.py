"""Korean particles chosen by the word before them, so nobody reads "주문을(를)".

Templates write the particle in its two-form notation ("{number}을(를)", "{name}이(가)",
"{x}은(는)", "{x}와(과)", "{x}(으)로", "{x}아(야)"); `with_particles` replaces each with the form
the preceding word takes: after a final consonant 을/이/은/과/으로/아, else 를/가/는/와/로/야
(ㄹ takes 로, like a vowel). Digits and Latin letters are read as a Korean speaker reads them
(3 "삼", 6 "육", L "엘", M "엠"), and closing quotes or brackets are looked through.
"""

from __future__ import annotations

import re

HANGUL_BASE, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL = 8  # the index of ㄹ among the final consonants
# The final consonant (0 = none, RIEUL for ㄹ, any other number otherwise) of how a digit or
# Latin letter is read aloud in Korean: 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구.
DIGIT_FINALS = {"0": 21, "1": RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": RIEUL,
                "8": RIEUL, "9": 0}
LATIN_FINALS = {"l": RIEUL, "m": 16, "n": 4, "r": RIEUL}  # 엘, 엠, 엔, 알; the rest end in a vowel
SEE_THROUGH = "'\"’”)]}>」』》 "
# The two-form notations, longest first so "(으)로" is not read as "로".
PAIRS = (("(으)로", "으로", "로"), ("을(를)", "을", "를"), ("를(을)", "을", "를"),
         ("이(가)", "이", "가"), ("가(이)", "이", "가"), ("은(는)", "은", "는"),
         ("는(은)", "은", "는"), ("과(와)", "과", "와"), ("와(과)", "과", "와"),
         ("아(야)", "아", "야"), ("이나(나)", "이나", "나"), ("이에요(예요)", "이에요", "예요"))
PATTERN = re.compile("|".join(re.escape(notation) for notation, _, _ in PAIRS))
FORMS = {notation: (consonant, vowel) for notation, consonant, vowel in PAIRS}


def final_consonant(word: str) -> int | None:
    """Return the final consonant index of the word's last readable character (None: unknown)."""
    for char in reversed(word):
        if char in SEE_THROUGH:
            continue
        code = ord(char)
        if HANGUL_BASE <= code <= HANGUL_LAST:
            return (code - HANGUL_BASE) % 28
        if char in DIGIT_FINALS:
            return DIGIT_FINALS[char]
        if char.isascii() and char.isalpha():
            return LATIN_FINALS.get(char.lower(), 0)
        return None
    return None


def particle(word: str, notation: str) -> str:
    """Return the particle form (from its two-form notation) that follows a word."""
    consonant, vowel = FORMS[notation]
    final = final_consonant(word)
    if final is None:
        return notation  # unreadable (a symbol): keep the notation rather than guess
    if notation == "(으)로":
        return vowel if final in (0, RIEUL) else consonant
    return consonant if final else vowel


def with_particles(text: str) -> str:
    """Replace every two-form particle notation in a text by the form its word takes."""
    out: list[str] = []
    last = 0
    for match in PATTERN.finditer(text):
        out.append(text[last:match.start()])
        out.append(particle("".join(out), match.group(0)))
        last = match.end()
    out.append(text[last:])
    return "".join(out)
