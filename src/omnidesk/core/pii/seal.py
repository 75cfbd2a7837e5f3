"""Apply a privacy policy to text before it is stored: mask, or seal for the vault.

Sealing happens where a message first touches the database (the raw webhook store, or intake for
the widget and the API): values the policy encrypts become inline tokens
``⟦pii|kind|ciphertext|masked⟧``, so even the raw event holds no clear value. Intake then opens
the tokens: the message keeps the masked form and the vault keeps (kind, position, ciphertext).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from omnidesk.core.pii.crypto import PiiCipher
from omnidesk.core.pii.detect import detect_pii
from omnidesk.core.pii.mask import mask_value
from omnidesk.core.pii.policy import PiiPolicy

TOKEN = re.compile(r"\u27e6pii\|([a-z_]+)\|([A-Za-z0-9_=-]+)\|([^\u27e7]*)\u27e7")


@dataclass(frozen=True)
class Sealed:
    """An encrypted value and where its masked form sits in the stored text."""

    kind: str
    start: int
    end: int
    masked: str
    ciphertext: str


def needs_protection(value: Any) -> bool:
    """Tell whether a string or JSON-like value holds a sealed token or any personal data."""
    if isinstance(value, str):
        return bool(value) and (TOKEN.search(value) is not None or bool(detect_pii(value)))
    if isinstance(value, dict):
        return any(needs_protection(v) for v in value.values())
    if isinstance(value, list):
        return any(needs_protection(v) for v in value)
    return False


def seal_text(text: str, policy: PiiPolicy, cipher: PiiCipher) -> str:
    """Mask what the policy masks and turn what it encrypts into inline tokens."""
    if not text:
        return text
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    out, cursor = [], 0
    for found in detect_pii(text):
        action = policy.action(found.kind)
        if action == "keep" or any(found.start < e and s < found.end for s, e in tokens):
            continue
        masked = mask_value(found.kind, found.value)
        out.append(text[cursor: found.start])
        if action == "encrypt":
            out.append(f"\u27e6pii|{found.kind}|{cipher.encrypt(found.value)}|{masked}\u27e7")
        else:
            out.append(masked)
        cursor = found.end
    out.append(text[cursor:])
    return "".join(out)


def open_tokens(text: str) -> tuple[str, list[Sealed]]:
    """Replace inline tokens by their masked form; return the text and the sealed values."""
    out, sealed, cursor, length = [], [], 0, 0
    for match in TOKEN.finditer(text):
        before = text[cursor: match.start()]
        out.append(before)
        length += len(before)
        masked = match.group(3)
        sealed.append(Sealed(match.group(1), length, length + len(masked), masked, match.group(2)))
        out.append(masked)
        length += len(masked)
        cursor = match.end()
    out.append(text[cursor:])
    return "".join(out), sealed


def protect_text(text: str, policy: PiiPolicy, cipher: PiiCipher) -> tuple[str, list[Sealed]]:
    """Return the text as it may be stored, and the values to keep encrypted."""
    return open_tokens(seal_text(text, policy, cipher))


def seal_value(value: Any, policy: PiiPolicy, cipher: PiiCipher) -> Any:
    """Seal every string inside a JSON-like value (dicts, lists)."""
    if isinstance(value, str):
        return seal_text(value, policy, cipher)
    if isinstance(value, dict):
        return {k: seal_value(v, policy, cipher) for k, v in value.items()}
    if isinstance(value, list):
        return [seal_value(v, policy, cipher) for v in value]
    return value


def scrub_text(text: str, policy: PiiPolicy) -> str:
    """Return text with tokens and every value the policy protects in masked form."""
    opened, _ = open_tokens(text)
    out, cursor = [], 0
    for found in detect_pii(opened):
        if policy.action(found.kind) == "keep":
            continue
        out.append(opened[cursor: found.start])
        out.append(mask_value(found.kind, found.value))
        cursor = found.end
    out.append(opened[cursor:])
    return "".join(out)


def scrub_value(value: Any, policy: PiiPolicy) -> Any:
    """Scrub every string inside a JSON-like value (dicts, lists)."""
    if isinstance(value, str):
        return scrub_text(value, policy)
    if isinstance(value, dict):
        return {k: scrub_value(v, policy) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_value(v, policy) for v in value]
    return value


def reveal_text(text: str, sealed: list[Sealed], cipher: PiiCipher) -> str:
    """Put the decrypted values back in place of their masked forms (for a logged reveal)."""
    out, cursor = [], 0
    for item in sorted(sealed, key=lambda s: s.start):
        if text[item.start: item.end] != item.masked:
            continue  # the text changed since (edited or erased): reveal nothing there
        out.append(text[cursor: item.start])
        out.append(cipher.decrypt(item.ciphertext))
        cursor = item.end
    out.append(text[cursor:])
    return "".join(out)
