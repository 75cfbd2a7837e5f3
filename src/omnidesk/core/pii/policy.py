"""What happens to each kind of personal data when it arrives: a workspace's privacy policy.

- ``mask``: replaced by its masked form everywhere; the clear value is never stored.
- ``encrypt``: the stored text holds the masked form; the clear value is kept field-level
  encrypted next to the message, readable only through a logged reveal.
- ``keep``: stored as written (shown masked where the screen masks it).

Cards and CVVs are always ``mask`` (PCI DSS forbids keeping a CVV at all and a clear PAN).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from omnidesk.core.pii.span import KINDS

ACTIONS = ("mask", "encrypt", "keep")
FORCED = {"card": "mask", "cvv": "mask"}
DEFAULTS = {"rrn": "encrypt", "account": "encrypt", "passport": "encrypt",
            "driver_license": "encrypt", "phone": "keep", "email": "keep", "address": "keep",
            **FORCED}


@dataclass(frozen=True)
class PiiPolicy:
    """The action for each kind (see the module docstring)."""

    actions: Mapping[str, str]

    def action(self, kind: str) -> str:
        """Return mask, encrypt or keep for a kind."""
        return self.actions.get(kind, "mask")

    @property
    def protected(self) -> frozenset[str]:
        """Kinds that never stay in clear text."""
        return frozenset(k for k in KINDS if self.action(k) != "keep")


def policy_from(settings: Mapping[str, Any] | None) -> PiiPolicy:
    """Read a workspace's policy from its settings (`pii_policy`), falling back to the defaults."""
    chosen = dict(DEFAULTS)
    raw = (settings or {}).get("pii_policy") or {}
    if isinstance(raw, Mapping):
        for kind, action in raw.items():
            if kind in chosen and action in ACTIONS:
                chosen[kind] = action
    chosen.update(FORCED)
    return PiiPolicy(chosen)


DEFAULT_POLICY = policy_from(None)
MASK_ALL = PiiPolicy({kind: "mask" for kind in KINDS})
"""For text that leaves the product (outgoing webhooks): every kind masked."""
