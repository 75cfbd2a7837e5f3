"""Provider delivery status words mapped to ours (the furthest-status rule is
`conversations.delivery_actions.furthest_delivery_status`)."""

from __future__ import annotations

from collections.abc import Mapping


def map_status(provider_status: str, table: Mapping[str, str | None]) -> str | None:
    """Map a provider's status word to ours; None for states we do not track."""
    return table.get(provider_status.lower())
