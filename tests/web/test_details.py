"""Details that make the workspace feel finished: readable links on the bot's purple bubble
(WCAG AA), a favicon, links that point where the server is served, ₩ in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from omnidesk.app.cli import served_url
from omnidesk.domains.assist.tiers import format_money

CSS = (Path(__file__).resolve().parents[2] / "src/omnidesk/web/static/app.css").read_text()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rule(selector: str, prop: str) -> str:
    """Return the last colour the stylesheet gives `prop` in a rule naming `selector`."""
    css = re.sub(r"/\*.*?\*/", "", CSS, flags=re.DOTALL)
    values = [value for selectors, block in re.findall(r"([^{}]+)\{([^}]*)\}", css)
              if selector in [s.strip() for s in selectors.split(",")]
              for value in re.findall(rf"(?:^|;)\s*{prop}:\s*(#[0-9a-fA-F]{{3,6}})\b", block)]
    assert values, (selector, prop)
    value = values[-1]
    return "#ffffff" if value.lower() == "#fff" else value


def test_links_on_the_bot_and_agent_bubbles_meet_wcag_aa_contrast() -> None:
    for bubble in (".msg.bot .bubble", ".msg.agent .bubble"):
        background = _rule(bubble, "background") if bubble.endswith("bot .bubble") else "#3b5bdb"
        link = _rule(f"{bubble} a", "color")
        assert _contrast(link, background) >= 4.5, (bubble, link, background)


def test_the_served_address_is_the_default_public_url() -> None:
    assert served_url("127.0.0.1", 8765) == "http://127.0.0.1:8765"
    assert served_url("0.0.0.0", 9000) == "http://127.0.0.1:9000"
    assert served_url("::1", 8000) == "http://[::1]:8000"


def test_won_amounts_read_with_the_won_sign_in_both_languages() -> None:
    assert format_money(300000) == "₩300,000"
