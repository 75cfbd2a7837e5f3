"""The bot's opening question: before the visitor writes, ask about the reason their behaviour
predicts ("배송 지연 문의이신가요?"), with a choice to confirm it and one to say something else.

The widget asks for it when the chat window opens with no history; only a confident prediction
of engagement's contact-reason model is asked about, and only on a channel that draws choices
as buttons or quick replies. The answer comes back as an ordinary customer message, which
`read_opening_answer` recognises (both tones, both languages) on the bot's first turn.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from omnidesk.channels.manifests import BY_KIND
from omnidesk.domains.assist.service import intent_label, intent_named
from omnidesk.domains.bot.texts import TABLES, say
from omnidesk.domains.engagement.service import Prediction

OTHER = ""  # read_opening_answer's answer for "something else"
INQUIRY = " 문의"  # ends some reasons' Korean names ("환불 문의") and the questions about them
LANGS = ("ko", "en")


@dataclass(frozen=True)
class Opening:
    """What the bot says first: the question, its two choices, and the guess behind them."""

    text: str
    choices: list[str]
    intent: str
    confidence: float
    version: int

    def as_json(self) -> dict[str, Any]:
        """Return the opening as the widget reads it."""
        return asdict(self)


def opening_for(guess: Prediction, *, lang: str, tone: str, channel: str) -> Opening | None:
    """Phrase the question about a confident guess; None where choices would be plain text."""
    found = BY_KIND.get(channel)
    if not guess.confident or found is None or \
            found.capabilities.choice_style(2) == "text":
        return None
    topic = intent_label(guess.intent, lang)
    if lang == "ko":  # the sentences say "문의" themselves: "환불 문의이신가요?"
        topic = topic.removesuffix(INQUIRY)
    return Opening(say("opening_guess", lang, tone=tone, topic=topic),
                   [say("choice_opening_yes", lang, tone=tone, topic=topic),
                    say("choice_opening_other", lang, tone=tone)],
                   guess.intent, round(guess.confidence, 4), guess.version)


def read_opening_answer(text: str) -> str | None:
    """Return the intent a customer confirmed, OTHER for "something else", else None."""
    said = text.strip()
    for table in TABLES.values():
        for index, lang in enumerate(LANGS):
            if said == table["choice_opening_other"][index]:
                return OTHER
            prefix, _, suffix = table["choice_opening_yes"][index].partition("{topic}")
            if said.startswith(prefix) and said.endswith(suffix) and len(said) > len(prefix):
                topic = said[len(prefix):len(said) - len(suffix)]
                intent = intent_named(topic, lang) or intent_named(topic + INQUIRY, lang)
                if intent is not None:
                    return intent
    return None
