"""Recognise automated mail (auto-replies, bulk, bounces) so we never answer or reopen on it."""

from __future__ import annotations

from email.message import Message

BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOREPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Reply")
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post")


def automated_reason(message: Message) -> str | None:
    """Return why a mail is automated (RFC 3834, RFC 3464, list headers), or None."""
    auto = (message.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"auto-submitted:{auto.split(';')[0]}"
    precedence = (message.get("Precedence") or "").strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"precedence:{precedence}"
    if any(message.get(h) for h in AUTOREPLY_HEADERS):
        return "x-autoreply"
    if any(message.get(h) for h in LIST_HEADERS):
        return "mailing-list"
    if (message.get("Return-Path") or "").strip() == "<>":
        return "null-return-path"
    if message.get_content_type() == "multipart/report":
        return f"report:{message.get_param('report-type') or 'unknown'}"
    return None
