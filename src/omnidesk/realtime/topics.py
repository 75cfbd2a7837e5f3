"""Topic names: who receives what."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def agents_topic(workspace_id: int) -> str:
    """Every agent screen of a workspace (the unassigned pool everyone may pick from)."""
    return f"ws:{workspace_id}:agents"


def user_topic(workspace_id: int, user_id: int) -> str:
    """Every screen of one agent (their assignments, their presence)."""
    return f"ws:{workspace_id}:user:{user_id}"


def team_topic(workspace_id: int, team_id: int) -> str:
    """Every screen of a team's members (the team's queue)."""
    return f"ws:{workspace_id}:team:{team_id}"


def conversation_topic(workspace_id: int, conversation_id: int) -> str:
    """Every agent screen showing one conversation."""
    return f"ws:{workspace_id}:conversation:{conversation_id}"


def concerned_topics(workspace_id: int, conversation_id: int, *, assignee_ids: Iterable[int | None],
                     team_ids: Iterable[int | None]) -> list[str]:
    """Name the screens a conversation's change concerns: its viewers, supervisors, its
    (previous and new) assignees and teams, and every agent while nobody owns it."""
    users = {u for u in assignee_ids if u is not None}
    teams = {t for t in team_ids if t is not None}
    topics = [conversation_topic(workspace_id, conversation_id), supervisors_topic(workspace_id)]
    topics += [user_topic(workspace_id, u) for u in sorted(users)]
    topics += [team_topic(workspace_id, t) for t in sorted(teams)]
    return topics if users or teams else [*topics, agents_topic(workspace_id)]


def supervisors_topic(workspace_id: int) -> str:
    """Every supervisor and admin screen of a workspace (routing and presence changes)."""
    return f"ws:{workspace_id}:supervisors"


def visitor_topic(workspace_id: int, identity_kind: str, identity_value: str) -> str:
    """Every widget open for one visitor identity (hashed: values may hold any character)."""
    digest = hashlib.sha256(f"{identity_kind}\x00{identity_value}".encode()).hexdigest()[:32]
    return f"ws:{workspace_id}:visitor:{digest}"


VISITOR_IDENTITY_KINDS = ("web_visitor", "user_id")
