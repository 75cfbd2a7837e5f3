"""Delivery status ranking: keep the furthest status because provider callbacks race."""

from __future__ import annotations

from collections.abc import Mapping

from omnidesk.domains.conversations.actions import furthest_delivery_status


def furthest_status(current: str | None, incoming: str) -> str:
    """Return the status to keep when ``incoming`` arrives while ``current`` is stored.

    The rule lives with intake (`conversations.actions.furthest_delivery_status`) so provider
    callbacks and our own send results agree.
    """
    return furthest_delivery_status(current, incoming)


def map_status(provider_status: str, table: Mapping[str, str | None]) -> str | None:
    """Map a provider's status word to ours; None for states we do not track."""
    return table.get(provider_status.lower())
