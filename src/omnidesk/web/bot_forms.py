"""The bot settings form: posted text in, the API's `BotSettingsUpdate` out.

Channels and intents are one checkbox each (`channels.web`, `intents.cancel_order`) so that the
form stays a plain text mapping; the whole form is posted, so an unticked box means "off".
Numbers keep the ranges `BotSettings` declares, shown on the form from the same declaration.
"""

from __future__ import annotations

from typing import Any, get_args

from annotated_types import Ge, Le

from omnidesk.domains.bot.policy import FLOW_INTENTS, BotSettings
from omnidesk.domains.bot.schemas import BotSettingsUpdate
from omnidesk.domains.conversations.models import CHANNELS
from omnidesk.web.settings_forms import (
    Form,
    FormError,
    is_checked,
    items,
    number,
    number_text,
    validate,
)

LANGUAGES = ("ko", "en")
TONES: tuple[str, ...] = get_args(BotSettings.model_fields["tone"].annotation)
NUMBERS = ("min_confidence", "max_misses", "frustration_threshold",
           "negative_sentiment_threshold", "max_verification_attempts", "answer_min_score")
WHOLE_NUMBERS = ("max_misses", "max_verification_attempts")
HINTS = {  # msgids of what each number does; its range is added from BotSettings
    "min_confidence": "The bot acts on an intent only when it is at least this sure.",
    "max_misses": "Messages in a row the bot does not understand before it hands off.",
    "frustration_threshold": "Hand off when the customer's frustration reaches this.",
    "negative_sentiment_threshold": "Hand off when the customer's sentiment falls to this.",
    "max_verification_attempts": "Tries at the order number and phone or email before a handoff.",
    "answer_min_score": "The lowest knowledge-base match the bot answers with.",
}


def bounds(name: str) -> tuple[float | None, float | None]:
    """Return the lowest and highest value BotSettings allows for a number field."""
    low = high = None
    for rule in BotSettings.model_fields[name].metadata:
        if isinstance(rule, Ge) and isinstance(rule.ge, int | float):
            low = float(rule.ge)
        elif isinstance(rule, Le) and isinstance(rule.le, int | float):
            high = float(rule.le)
    return low, high


def range_text(name: str) -> str:
    """Write a number field's allowed range, e.g. `0–1` or `≥ 0`."""
    low, high = bounds(name)
    if low is not None and high is not None:
        return f"{number_text(low)} – {number_text(high)}"
    return f"≥ {number_text(low)}" if low is not None else f"≤ {number_text(high)}"


def range_attrs(name: str) -> str:
    """Return the number input's attributes: required, with BotSettings' min and max."""
    low, high = bounds(name)
    attrs = ["required"]
    attrs += [f'min="{number_text(low)}"'] if low is not None else []
    attrs += [f'max="{number_text(high)}"'] if high is not None else []
    return " ".join(attrs)


def settings_in(form: Form) -> dict[str, Any]:
    """Read the whole form into the changes the API's PATCH would take."""
    data: dict[str, Any] = {
        "enabled": is_checked(form, "enabled"),
        "channels": _ticked(form, "channels"),
        # the PATCH merges greetings per language, so an emptied field sends null (removes it)
        "greeting": {lang: form.get(f"greeting_{lang}", "").strip() or None
                     for lang in LANGUAGES},
        "tone": form.get("tone", ""),
        "intents": _ticked(form, "intents"),
        "handoff_vip": is_checked(form, "handoff_vip"),
        "vip_tiers": items(form.get("vip_tiers", "")),
        "support_email": form.get("support_email", "").strip() or None,
    }
    for name in NUMBERS:
        value = number(form, name)
        if value is None:
            raise FormError(name, "Enter a number.")
        data[name] = int(value) if name in WHOLE_NUMBERS and value.is_integer() else value
    return validate(BotSettingsUpdate, data).model_dump(exclude_unset=True)


def settings_values(settings: BotSettings) -> dict[str, str]:
    """Fill the form from the stored settings."""
    values = {
        "enabled": _on(settings.enabled), "tone": settings.tone,
        "handoff_vip": _on(settings.handoff_vip), "vip_tiers": ", ".join(settings.vip_tiers),
        "support_email": settings.support_email or "",
    }  # fmt: skip
    values |= {f"greeting_{lang}": settings.greeting.get(lang, "") for lang in LANGUAGES}
    values |= {f"channels.{c}": "on" for c in settings.channels}
    values |= {f"intents.{i}": "on" for i in settings.intents}
    values |= {name: number_text(getattr(settings, name)) for name in NUMBERS}
    return values


def _ticked(form: Form, group: str) -> list[str]:
    """Return the ticked boxes of a group, stored order kept (channels, then flows)."""
    known = CHANNELS if group == "channels" else FLOW_INTENTS
    prefix = f"{group}."
    ticked = [key.removeprefix(prefix) for key in form if key.startswith(prefix)
              and is_checked(form, key)]
    return sorted(ticked, key=lambda v: known.index(v) if v in known else len(known))


def _on(flag: bool) -> str:
    return "on" if flag else ""
