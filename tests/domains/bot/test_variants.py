"""Reading a customer's variant choice: by number, or by option words in Korean or English."""

from __future__ import annotations

from decimal import Decimal

from omnidesk.domains.bot.flows.variants import pick_variant
from omnidesk.domains.commerce.service import Variant


def _v(item_id: str, **options: str) -> Variant:
    return Variant(item_id, options, Decimal(10), True)


TEES = [_v("a", color="white", size="M"), _v("b", color="navy", size="L"),
        _v("c", color="navy", size="XL"), _v("d", color="화이트", size="S")]


def test_a_number_picks_from_the_list_when_the_list_was_shown() -> None:
    assert pick_variant("2번이요", TEES, by_number=True)[0] == TEES[1]
    assert pick_variant("option 3", TEES, by_number=True)[0] == TEES[2]
    assert pick_variant("2", TEES, by_number=False)[0] is None


def test_option_words_match_across_korean_and_english() -> None:
    assert pick_variant("네이비 L 사이즈로 주세요", TEES, by_number=True)[0] == TEES[1]
    assert pick_variant("the white one in medium", TEES, by_number=False)[0] == TEES[0]
    assert pick_variant("S 사이즈 흰색으로요", TEES, by_number=False)[0] == TEES[3]


def test_an_unclear_answer_narrows_the_list_without_picking() -> None:
    picked, shortlist = pick_variant("navy please", TEES, by_number=True)
    assert picked is None and shortlist == TEES[1:3]
    picked, shortlist = pick_variant("something nicer", TEES, by_number=True)
    assert picked is None and shortlist == TEES


def test_short_words_need_word_edges() -> None:
    assert pick_variant("I'm after the navy one", TEES, by_number=False)[0] is None  # not M
    assert pick_variant("navy in extra large", TEES, by_number=False)[0] == TEES[2]  # not L
    assert pick_variant("navy XL", TEES, by_number=False)[0] == TEES[2]
    assert pick_variant("2XL", TEES, by_number=True)[0] is None  # a size, not item 2
