"""The bot's memory of one conversation, kept in ``Conversation.attributes["bot"]``.

Only what a flow needs survives between turns: the active flow and step, slots such as the order
number, and which store customer was verified. Phone numbers and emails used to verify are
checked in the turn they arrive and never stored here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from omnidesk.domains.conversations.models import Conversation

STATE_KEY = "bot"


@dataclass
class DialogueState:
    """Flow, step, slots, verification and counters of one conversation."""

    flow: str | None = None
    step: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    verified_customer_id: int | None = None
    verified_by: str | None = None
    verify_failures: int = 0
    misses: int = 0
    language: str | None = None
    vip_checked: bool = False
    greeted: bool = False
    turns: int = 0
    tries: int = 0  # failed answers to the current question (step)
    tries_step: str | None = None
    queue: list[str] = field(default_factory=list)  # the customer's further requests, in order
    waiting_acked: bool = False  # told "a person will answer" once while waiting
    code: dict[str, Any] | None = None  # a one-time code sent: digest, expiry, customer, tries

    def missed(self) -> int:
        """Count one more failed answer to the current step; return how many so far."""
        if self.tries_step != self.step:
            self.tries_step, self.tries = self.step, 0
        self.tries += 1
        return self.tries

    def start(self, flow: str) -> None:
        """Begin a flow, keeping the verified identity and the order in discussion."""
        keep = {k: v for k, v in self.slots.items() if k == "order_number"}
        self.flow, self.step, self.slots = flow, None, keep
        self.tries, self.tries_step = 0, None

    def finish(self) -> None:
        """End the active flow (verification and the order in discussion stay)."""
        self.start("")
        self.flow = None

    def public_slots(self) -> dict[str, Any]:
        """Return the collected slots safe to show agents (no addresses)."""
        return {k: v for k, v in self.slots.items() if k != "address"}


def load_state(conv: Conversation) -> DialogueState:
    """Read the conversation's bot state (a fresh one when absent or unreadable)."""
    raw = (conv.attributes or {}).get(STATE_KEY) or {}
    known = DialogueState.__dataclass_fields__
    try:
        return DialogueState(**{k: v for k, v in raw.items() if k in known})
    except TypeError:
        return DialogueState()


def save_state(conv: Conversation, state: DialogueState) -> None:
    """Write the bot state back (a new dict, so the JSON column is marked changed)."""
    conv.attributes = {**(conv.attributes or {}), STATE_KEY: asdict(state)}
