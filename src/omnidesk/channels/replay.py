"""Replay keys for providers that send no event id (Kakao skill, Naver TalkTalk).

Such a request is identified by its own content: who sent it and everything it carries (text,
block, params, a one-time callback URL...). The same content again within the replay window
is a replay (a retry, or someone re-sending a captured request) and is stored once; later, it
is a new message (a customer may well type "네" twice in a day). The window is bucketed so the
key is stable: an event is stored under its bucket's key and counts as seen when the key of
the bucket before exists, so a replay is caught up to one to two windows after the original.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

REPLAY_WINDOW_SECONDS = 120


def content_digest(body: Any) -> str:
    """Hash a decoded payload canonically (key order and spacing do not matter)."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def replay_keys(base: str, received_at: dt.datetime,
                window_seconds: int = REPLAY_WINDOW_SECONDS) -> tuple[str, tuple[str, ...]]:
    """Return the dedupe key of an id-less event and the earlier key that makes it a replay."""
    bucket = int(received_at.timestamp()) // window_seconds
    return f"{base}@{bucket}", (f"{base}@{bucket - 1}",)
