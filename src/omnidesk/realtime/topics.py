"""Topic names: who receives what."""

from __future__ import annotations

import hashlib


def agents_topic(workspace_id: int) -> str:
    """Every agent screen of a workspace."""
    return f"ws:{workspace_id}:agents"


def supervisors_topic(workspace_id: int) -> str:
    """Every supervisor and admin screen of a workspace (routing and presence changes)."""
    return f"ws:{workspace_id}:supervisors"


def visitor_topic(workspace_id: int, identity_kind: str, identity_value: str) -> str:
    """Every widget open for one visitor identity (hashed: values may hold any character)."""
    digest = hashlib.sha256(f"{identity_kind}\x00{identity_value}".encode()).hexdigest()[:32]
    return f"ws:{workspace_id}:visitor:{digest}"


VISITOR_IDENTITY_KINDS = ("web_visitor", "user_id")
