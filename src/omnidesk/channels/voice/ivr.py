"""The IVR's decision: what a caller's key press or words mean in a workspace's menu."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from omnidesk.channels.voice.config import IvrMenu, IvrOption, Language


@dataclass(frozen=True)
class IvrInput:
    """What the caller did at a menu: digits, or speech with the recogniser's confidence."""

    digits: str = ""
    speech: str = ""
    confidence: float = 0.0

    @property
    def empty(self) -> bool:
        """Tell whether the caller gave no usable input."""
        return not self.digits and not self.speech


def _normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def choose(menu: IvrMenu, caller: IvrInput, language: Language) -> IvrOption | None:
    """Pick the option for a key press, else for spoken keywords above the confidence floor."""
    if caller.digits:
        return next((o for o in menu.options if o.digit == caller.digits[:1]), None)
    if not caller.speech or caller.confidence < menu.speech_confidence_floor:
        return None
    spoken = _normalise(caller.speech)
    for option in menu.options:
        for lang in (language, *[k for k in option.keywords if k != language]):
            words = option.keywords.get(lang, [])
            if any(_normalise(w) in spoken for w in words):
                return option
    return None
