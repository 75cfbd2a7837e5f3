"""Fold look-alike characters to ASCII one character at a time, so offsets never move."""

from __future__ import annotations

import unicodedata

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc"


def _fold(char: str) -> str:
    if char in DASHES:
        return "-"
    if char in "\u00a0\u3000\u2009\u202f":
        return " "
    if ord(char) < 128:
        return char
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and ord(folded) < 128 else char


def fold(text: str) -> str:
    """Return the text with full-width letters/digits, odd dashes and spaces made ASCII (same length)."""
    return "".join(_fold(char) for char in text)


def digits(text: str) -> str:
    """Keep only the ASCII digits of an already folded text."""
    return "".join(char for char in text if "0" <= char <= "9")
