"""The bot's text table: every key in both tones and both languages, and the tones keep style."""

from __future__ import annotations

import re
import string
from typing import get_args

from omnidesk.domains.bot.policy import BotSettings
from omnidesk.domains.bot.texts import FORMAL_TEXTS, TABLES, TEXTS, TONES, say

QUOTED = re.compile(r"'[^']*'")
HAEYO_ENDING = re.compile(r"[가-힣]요(?:[.?!,]|\s|$)")
CONTRACTION = re.compile(r"[A-Za-z]'(?:s|t|ll|re|ve|m|d)\b")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_tones_are_the_ones_the_settings_accept() -> None:
    assert set(TONES) == set(get_args(BotSettings.model_fields["tone"].annotation))


def test_every_key_has_both_tones_in_both_languages_with_the_same_placeholders() -> None:
    for tone, table in TABLES.items():
        assert set(table) == set(TEXTS), f"{tone} differs: {set(table) ^ set(TEXTS)}"
        for key, pair in table.items():
            assert len(pair) == 2 and all(text.strip() for text in pair), f"{tone}/{key}"
    for key in TEXTS:
        placeholders = {lang_tone: _fields(table[key][n]) for tone, table in TABLES.items()
                        for n, lang_tone in enumerate((f"ko/{tone}", f"en/{tone}"))}
        assert len({frozenset(p) for p in placeholders.values()}) == 1, (key, placeholders)


def test_formal_korean_ends_sentences_in_hasipsio_style() -> None:
    for key, (ko, _en) in FORMAL_TEXTS.items():
        if key.startswith("choice_"):
            continue  # a button is the customer's answer ('아니요'), not the bot's voice
        unquoted = QUOTED.sub("", ko)  # quoted answers such as '아니요' are not the bot's voice
        assert not HAEYO_ENDING.search(unquoted), f"{key}: {ko}"


def test_formal_english_has_no_contractions() -> None:
    for key, (_ko, en) in FORMAL_TEXTS.items():
        if key.startswith("choice_"):
            continue  # a button is the customer's answer, in the customer's words
        assert not CONTRACTION.search(en), f"{key}: {en}"


def test_say_picks_the_tone_and_friendly_is_the_default() -> None:
    assert "챗봇이에요" in say("greeting", "ko", workspace="Acme")
    assert "챗봇입니다" in say("greeting", "ko", tone="formal", workspace="Acme")
    assert "I'm the Acme bot" in say("greeting", "en", workspace="Acme")
    assert "this is the Acme bot" in say("greeting", "en", tone="formal", workspace="Acme")
