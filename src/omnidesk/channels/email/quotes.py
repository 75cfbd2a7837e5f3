"""Split a reply into what the customer wrote and the quoted history their client appended."""

from __future__ import annotations

import re

QUOTE_HEADERS = [
    re.compile(r"^\s*On\s.+\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Original Message|원본 메시지|Forwarded message)\s*-{2,}\s*$",
               re.IGNORECASE),
    re.compile(r"^\s*>?\s*\d{4}[년.\-/]\s*\d{1,2}[월.\-/]\s*\d{1,2}일?.*작성:\s*$"),
    re.compile(r"^\s*(From|보낸 사람)\s*:\s*.+$"),
    re.compile(r"^_{20,}\s*$"),
]
OUTLOOK_FOLLOWERS = re.compile(r"^\s*(Sent|Date|보낸 날짜|날짜)\s*:", re.IGNORECASE)
WRAPPED_GMAIL = re.compile(r"^\s*On\s.+$", re.IGNORECASE)


def split_reply(text: str) -> tuple[str, str]:
    """Return (new text, quoted text); the quote starts at the first reply header or '>' run."""
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if _starts_quote(lines, index):
            return _join(lines[:index]), _join(lines[index:])
    end = len(lines)
    while end > 0 and (lines[end - 1].startswith(">") or not lines[end - 1].strip()):
        end -= 1
    if end < len(lines) and any(line.startswith(">") for line in lines[end:]):
        return _join(lines[:end]), _join(lines[end:])
    return text.strip(), ""


def _starts_quote(lines: list[str], index: int) -> bool:
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if QUOTE_HEADERS[3].match(line):
        return bool(OUTLOOK_FOLLOWERS.match(following)) or bool(
            index + 2 < len(lines) and OUTLOOK_FOLLOWERS.match(lines[index + 2]))
    if any(pattern.match(line) for i, pattern in enumerate(QUOTE_HEADERS) if i != 3):
        return True
    # Gmail wraps long headers: "On Mon, 23 Nov 2026 at 09:00, Kim Minji <...>" / "wrote:".
    return bool(WRAPPED_GMAIL.match(line) and following.strip().endswith("wrote:"))


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip()
