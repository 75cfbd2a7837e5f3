"""Mask personal data in what the bot writes for agents or sends to an LLM."""

from __future__ import annotations

from omnidesk.core.pii import mask_text


def mask(text: str) -> str:
    """Mask word by word, then the whole text (a long order number must not hide a phone)."""
    return mask_text(" ".join(mask_text(word) for word in text.split()))
