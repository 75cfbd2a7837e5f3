"""Every UI string the staff pages say is translated in both catalogues (ko and en).

The templates' literal `_("…")` calls, the navigation labels and the written .po files are read
as they are on disk: a new string without its Korean (or a stale .po) fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from omnidesk.web import navigation
from omnidesk.web.locale import make_catalogs

WEB = Path(navigation.__file__).parent
TEMPLATES = WEB / "templates"
# customer-facing pages keep their own strings (help center UI table, widget, survey, store)
CUSTOMER_FACING = ("help/", "widget/", "survey/", "demo_store.html", "customer360/")
LITERAL = re.compile(r"""\b_\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*[,)]""")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _catalogue(language: str) -> dict[str, str]:
    path = WEB / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def _staff_template_strings() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith(CUSTOMER_FACING):
            continue
        for match in LITERAL.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1)[1:-1], name)
    return found


# the pages' Python says: translate(language, "…") and forbidden(request, page, "…")
SAID_IN_PYTHON = re.compile(
    r"""\b(?:translate\(\s*[\w.]+|forbidden\(\s*\w+,\s*\w+),\s*"((?:[^"\\]|\\.)+)"\s*[,)]""")


def _ui_strings() -> dict[str, str]:
    strings = _staff_template_strings()
    for path in sorted(WEB.glob("*.py")):
        for match in SAID_IN_PYTHON.finditer(path.read_text(encoding="utf-8")):
            strings.setdefault(match.group(1), f"web/{path.name}")
    for link in (*navigation.SECTIONS, *navigation.SETTINGS):
        strings.setdefault(link.label, "web/navigation.py")
    return strings


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_written_catalogues_match_the_tables(language: str) -> None:
    assert _catalogue(language) == make_catalogs.entries(language), (
        "run `python -m omnidesk.web.locale.make_catalogs` after editing the tables")


def test_every_staff_string_has_korean() -> None:
    ko = _catalogue("ko")
    missing = {text: where for text, where in _ui_strings().items()
               if not HANGUL.search(ko.get(text, "")) and not _language_neutral(text)}
    assert not missing, f"strings without Korean: {missing}"


def test_every_staff_string_has_english() -> None:
    en = _catalogue("en")
    missing = {text: where for text, where in _ui_strings().items() if not en.get(text)}
    assert not missing, f"strings missing from the English catalogue: {missing}"


def test_codes_read_as_words_in_english() -> None:
    en = _catalogue("en")
    raw = sorted(key for key, text in en.items()
                 if re.fullmatch(r"[a-z_]+:[a-z_0-9.]+", key) and text == key)
    assert not raw, f"codes shown raw in English: {raw}"


def _language_neutral(text: str) -> bool:
    """Return True for strings that read the same in Korean (brands, keys, numbers)."""
    return not re.search(r"[A-Za-z]{2,}", re.sub(r"%\(\w+\)s|Ctrl|CSV|SLA|ID|API|omnidesk", "", text))
