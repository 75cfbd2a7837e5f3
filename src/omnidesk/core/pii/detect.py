"""Find personal data in Korean and English text: one owner for every kind.

Text is folded first (full-width digits, odd dashes and spaces made ASCII, one character for one,
so offsets stay those of the original string). Each finder proposes spans; the strongest kind wins
where two overlap. Callers log counts, never values.
"""

from __future__ import annotations

from omnidesk.core.pii.normalize import fold
from omnidesk.core.pii.numbers import (
    find_accounts,
    find_cards,
    find_cvvs,
    find_licenses,
    find_passports,
    find_rrns,
)
from omnidesk.core.pii.phones import find_phones
from omnidesk.core.pii.places import find_addresses, find_emails
from omnidesk.core.pii.span import PiiSpan

PRIORITY = ("rrn", "card", "driver_license", "passport", "email", "phone", "address", "account",
            "cvv")


def _resolve(candidates: list[PiiSpan]) -> list[PiiSpan]:
    ranked = sorted(candidates, key=lambda s: (PRIORITY.index(s.kind), s.start - s.end, s.start))
    taken: list[PiiSpan] = []
    for cand in ranked:
        if cand.end > cand.start and all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    return sorted(taken, key=lambda s: s.start)


def detect_pii(text: str) -> list[PiiSpan]:
    """Find personal data in a text, strongest kinds first, without overlapping spans."""
    if not text:
        return []
    folded = fold(text)
    cards = find_cards(folded)
    candidates = (find_rrns(folded) + cards + find_licenses(folded) + find_passports(folded)
                  + find_emails(folded) + find_phones(folded) + find_addresses(folded)
                  + find_accounts(folded))
    chosen = _resolve(candidates)
    chosen_cards = [s for s in chosen if s.kind == "card"]
    spans = _resolve(chosen + find_cvvs(folded, chosen_cards))
    return [PiiSpan(s.kind, s.start, s.end, text[s.start: s.end]) for s in spans]


def pii_counts(text: str) -> dict[str, int]:
    """Count detected personal data by kind (safe to log)."""
    counts: dict[str, int] = {}
    for found in detect_pii(text):
        counts[found.kind] = counts.get(found.kind, 0) + 1
    return counts
