"""Public NLU types for other domains (bot, routing, assist) to import.

The types live next to the code that builds them; this module is the one place other domains
import them from, as the layer contract in ``tests/test_architecture.py`` requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from omnidesk.domains.nlu.analysis import MessageAnalysis
from omnidesk.domains.nlu.classifier import OOS_LABEL, IntentModel, IntentPrediction, TrainingError
from omnidesk.domains.nlu.entities import Entity
from omnidesk.domains.nlu.sentiment import SENTIMENT_LABELS, Sentiment

__all__ = [
    "OOS_LABEL",
    "SENTIMENT_LABELS",
    "Entity",
    "IntentModel",
    "IntentPrediction",
    "MessageAnalysis",
    "MessageUnderstanding",
    "Sentiment",
    "TrainingError",
]


@dataclass(frozen=True)
class MessageUnderstanding:
    """Everything NLU knows about one message: analysis, intent (if a model is given), entities."""

    analysis: MessageAnalysis
    intent: IntentPrediction | None
    entities: list[Entity] = field(default_factory=list)

    @property
    def needs_human(self) -> bool:
        """Tell whether the bot should hand off: asked for a person, very frustrated, or OOS."""
        out_of_scope = self.intent is not None and self.intent.is_oos
        return self.analysis.wants_human or self.analysis.frustration >= 0.7 or out_of_scope
