"""UI strings through gettext catalogs (ko, en), compiled from the .po files at start-up.

Templates call `_("...")`; the language comes from the template's `locale`, else the
session's, else Korean. No build step: the .po is compiled in memory once per process.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("ko", "en")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}  # each in its own language
DEFAULT_LANGUAGE = "ko"


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> gettext.NullTranslations:
    """Return the compiled catalog of a language (a null catalog for unknown ones)."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language not in LANGUAGES or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translate(language: str, message: str) -> str:
    """Translate one UI string."""
    return translations(language).gettext(message)


def pick_language(accept_language: str | None) -> str:
    """Choose ko or en from an Accept-Language header, by the first supported tag."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en" if accept_language else DEFAULT_LANGUAGE


def context_language(ctx: Context | dict[str, Any]) -> str:
    """Return the language of a template context."""
    language = ctx.get("locale")
    if language in LANGUAGES:
        return str(language)
    request = ctx.get("request")
    session_language = request.scope.get("session", {}).get("locale") if request else None
    return session_language if session_language in LANGUAGES else DEFAULT_LANGUAGE


@pass_context
def _gettext(ctx: Context, message: str) -> str:
    return translate(context_language(ctx), message)


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return translations(context_language(ctx)).ngettext(singular, plural, n)


def install_i18n(templates: Jinja2Templates) -> None:
    """Give the templates `_`, `gettext`, `ngettext` and {% trans %} bound to the page language."""
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    # jinja2.ext.i18n adds this method to the Environment at runtime; its stubs cannot know.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True)
    from omnidesk.web.rendering import install_filters

    install_filters(env)
