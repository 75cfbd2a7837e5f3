"""The scenario template type used by the Korean and English dialogue libraries."""

from __future__ import annotations

from dataclasses import dataclass

# Order requirements a scenario can ask for (see generator._order_matches).
NEEDS = (
    "none", "any", "pending", "delivered", "cancelled",
    "install_scheduled", "install_missed", "install_done",
)

CHAT_KO = (
    ("web", 46), ("kakao", 26), ("email", 13), ("voice", 5), ("sms", 6), ("api", 1), ("naver", 4),
    ("instagram", 2), ("messenger", 1), ("line", 1), ("telegram", 1), ("whatsapp", 1),
)
CHAT_EN = (
    ("web", 44), ("email", 20), ("whatsapp", 10), ("line", 7), ("telegram", 6), ("voice", 6),
    ("kakao", 4), ("sms", 3), ("messenger", 5), ("instagram", 2),
)


@dataclass(frozen=True)
class Scenario:
    """A dialogue template; lines are "C|…" customer, "A|…" agent, "B|…" bot, "N|…" note."""

    key: str
    intent: str
    team: str
    needs: str
    lines: tuple[str, ...]
    labels: tuple[str, ...] = ()
    subject: str | None = None
    priority: str = "normal"
    summary: str = ""
    note: str | None = None
    channels: tuple[tuple[str, int], ...] = ()
    categories: tuple[str, ...] = ()
    follow_up: str | None = None
    follow_only: bool = False
    offset_days: tuple[int, int] | None = None
    mood: int = 0
    weight: int = 10
