"""Mask personal data for display and for every copy that leaves the vault."""

from __future__ import annotations

import re

from omnidesk.core.pii.detect import detect_pii


def mask_digits(value: str, *, keep_start: int = 0, keep_end: int = 0) -> str:
    """Replace digits with '*' except the first keep_start and last keep_end digits."""
    count = sum(char.isdigit() for char in value)
    out, seen = [], 0
    for char in value:
        if char.isdigit():
            seen += 1
            keep = seen <= keep_start or seen > count - keep_end
            out.append(char if keep else "*")
        else:
            out.append(char)
    return "".join(out)


def _mask_alnum(value: str, *, keep_start: int, keep_end: int) -> str:
    positions = [i for i, char in enumerate(value) if char.isalnum()]
    hidden = set(positions[keep_start: len(positions) - keep_end])
    return "".join("*" if i in hidden else char for i, char in enumerate(value))


def mask_email(value: str) -> str:
    """Keep the first character of the local part and the domain: k***@example.com."""
    local, _, domain = value.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 2)}@{domain}" if domain else _mask_alnum(
        value, keep_start=1, keep_end=0)


def mask_phone(value: str) -> str:
    """Hide the middle digits of a phone number: 010-****-5678."""
    if sum(char.isdigit() for char in value) < 7:  # spoken digits: hide every word
        return re.sub(r"[^\s,\-.]", "*", value)
    return mask_digits(value, keep_start=3, keep_end=4)


def _mask_address(value: str) -> str:
    kept = []
    for token in value.split():
        if re.fullmatch(r"[가-힣]+(?:특별시|광역시|특별자치시|특별자치도|도|시|군|구)|[가-힣]{2}", token):
            kept.append(token)
        else:
            break
    return " ".join([*kept, "***"])


def mask_value(kind: str, value: str) -> str:
    """Mask one detected value according to its kind."""
    if kind == "rrn":
        return mask_digits(value, keep_start=7)  # keep birth date and the gender digit
    if kind == "card":
        return mask_digits(value, keep_start=6, keep_end=4)
    if kind == "cvv":
        return "*" * len(value)
    if kind == "email":
        return mask_email(value)
    if kind == "phone":
        return mask_phone(value)
    if kind == "address":
        return _mask_address(value)
    if kind == "passport":
        return _mask_alnum(value, keep_start=1, keep_end=2)
    if kind == "driver_license":
        return _mask_alnum(value, keep_start=2, keep_end=2)
    return _mask_alnum(value, keep_start=0, keep_end=4)


def mask_text(text: str, kinds: frozenset[str] | None = None) -> str:
    """Return the text with every detected piece of personal data (of the given kinds) masked."""
    out, cursor = [], 0
    for found in detect_pii(text):
        if kinds is not None and found.kind not in kinds:
            continue
        out.append(text[cursor: found.start])
        out.append(mask_value(found.kind, found.value))
        cursor = found.end
    out.append(text[cursor:])
    return "".join(out)
