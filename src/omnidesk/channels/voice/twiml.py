"""TwiML documents built from an allow-list of verbs; every text is XML-escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from omnidesk.channels.voice.config import SPEECH_LOCALES, IvrMenu, Language

ALLOWED_VERBS = frozenset({"Response", "Gather", "Say", "Redirect", "Enqueue", "Dial",
                           "Hangup"})


class Twiml:
    """A TwiML <Response> being built."""

    def __init__(self) -> None:
        self.root = ET.Element("Response")

    def add(self, verb: str, text: str | None = None, parent: ET.Element | None = None,
            **attrs: str) -> ET.Element:
        """Append an allow-listed verb with attributes and optional text."""
        if verb not in ALLOWED_VERBS:
            raise ValueError(f"TwiML verb {verb!r} is not allowed")
        node = ET.SubElement(self.root if parent is None else parent, verb, attrs)
        if text is not None:
            node.text = text
        return node

    def render(self) -> bytes:
        """Serialise with an XML declaration in UTF-8."""
        return ET.tostring(self.root, encoding="utf-8", xml_declaration=True)


def step_url(path: str, **params: str | int) -> str:
    """Build the URL Twilio posts the next step to."""
    return f"{path}?{urlencode(params)}"


def menu(menu: IvrMenu, *, path: str, language: Language, retry: int) -> bytes:
    """Render the menu: a DTMF+speech Gather around the prompt, then a retry redirect."""
    doc = Twiml()
    locale = SPEECH_LOCALES[language]
    hints = ",".join(w for o in menu.options for w in o.keywords.get(language, []))
    gather = doc.add("Gather", input="dtmf speech", numDigits="1",
                     timeout=str(menu.timeout_seconds), language=locale,
                     speechModel=menu.speech_model,
                     action=step_url(path, step="menu", lang=language, retry=retry),
                     method="POST")
    if hints:
        gather.set("hints", hints)
    doc.add("Say", menu.prompts[language], parent=gather, language=locale)
    doc.add("Redirect", step_url(path, step="menu", lang=language, retry=retry + 1),
            method="POST")
    return doc.render()


def enqueue(text: str, queue: str, language: Language) -> bytes:
    """Say a line, then put the caller in a named queue."""
    doc = Twiml()
    doc.add("Say", text, language=SPEECH_LOCALES[language])
    doc.add("Enqueue", queue)
    return doc.render()


def dial(text: str, number: str, language: Language) -> bytes:
    """Say a line, then forward the call to a number."""
    doc = Twiml()
    doc.add("Say", text, language=SPEECH_LOCALES[language])
    doc.add("Dial", number)
    return doc.render()


def goodbye(text: str, language: Language) -> bytes:
    """Say a line and hang up."""
    doc = Twiml()
    doc.add("Say", text, language=SPEECH_LOCALES[language])
    doc.add("Hangup")
    return doc.render()
