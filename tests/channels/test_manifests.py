"""Every list of channels is derived from the manifests, and a broken manifest stops start-up."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from omnidesk.channels.manifests import BY_KIND, IDENTITY_KINDS, KINDS, MANIFESTS, manifest
from omnidesk.channels.registry import RegistryError, build_registry, validate_manifest
from omnidesk.domains.assist.labels import labeller
from omnidesk.domains.bot.policy import BotSettings
from omnidesk.domains.conversations.models import CHANNELS
from omnidesk.domains.customers.models import IDENTITY_KINDS as CUSTOMER_IDENTITY_KINDS
from omnidesk.domains.routing.rules.matching import channel_class
from omnidesk.domains.routing.schemas import RuleConditions
from omnidesk.web.conversation import IDENTITY_CHANNELS

CHANNELS_DIR = Path(__file__).resolve().parents[2] / "src" / "omnidesk" / "channels"
LOCALE = CHANNELS_DIR.parent / "web" / "locale"


def test_each_kind_declares_itself_once_in_its_own_package() -> None:
    packages = {p.parent.name for p in CHANNELS_DIR.glob("*/manifest.py")}
    assert packages == set(KINDS)
    assert len(KINDS) == len(MANIFESTS) == 12
    for m in MANIFESTS:
        assert m.name_ko and m.name_en and m.identity_kind


def test_the_adapter_registry_is_the_manifests_with_a_provider() -> None:
    registry = build_registry()
    assert set(registry) == {m.kind for m in MANIFESTS if m.adapter}
    for kind, adapter in registry.items():
        assert adapter.capabilities == BY_KIND[kind].capabilities.names


def test_domain_and_ui_lists_are_derived_from_the_registry() -> None:
    assert CHANNELS == KINDS
    assert set(CUSTOMER_IDENTITY_KINDS) == set(IDENTITY_KINDS) >= {m.identity_kind
                                                                   for m in MANIFESTS}
    assert BotSettings().channels == [m.kind for m in MANIFESTS if m.bot_by_default]
    ko, en = labeller("ko"), labeller("en")
    for m in MANIFESTS:
        assert ko("channel", m.kind) == m.name_ko and en("channel", m.kind) == m.name_en
        assert IDENTITY_CHANNELS[m.identity_kind] in KINDS
        assert channel_class(m.kind) == m.capacity_class
    assert RuleConditions(channel=list(KINDS)).channel == list(KINDS)
    with pytest.raises(ValueError, match="unknown channels"):
        RuleConditions(channel=["pigeon"])


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_locale_catalogues_name_every_channel_as_its_manifest_does(language: str) -> None:
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    for m in MANIFESTS:
        assert catalog[f"channel:{m.kind}"].string == m.name(language), \
            f"run python -m omnidesk.web.locale.make_catalogs ({m.kind})"
        assert catalog[f"identity:{m.identity_kind}"].string


def test_capabilities_answer_what_generic_code_asks() -> None:
    assert manifest("telegram").capabilities.text_limit == 4096
    assert manifest("kakao").capabilities.quick_replies
    assert manifest("web").capabilities.realtime and not manifest("sms").capabilities.realtime
    assert manifest("email").capabilities.threading
    with pytest.raises(KeyError, match="known: web"):
        manifest("pigeon")


def test_a_manifest_that_disagrees_with_its_adapter_stops_start_up() -> None:
    sms = BY_KIND["sms"]
    wrong_kind = dataclasses.replace(sms, kind="mms")
    with pytest.raises(RegistryError, match="not the adapter"):
        validate_manifest(wrong_kind)
    missing = dataclasses.replace(sms, adapter="omnidesk.channels.sms.adapter:Nope")
    with pytest.raises(RegistryError, match="does not resolve"):
        validate_manifest(missing)
    bigger = dataclasses.replace(sms, capabilities=dataclasses.replace(
        sms.capabilities, templates=True))
    with pytest.raises(RegistryError, match="capabilities differ"):
        validate_manifest(bigger)
    with pytest.raises(RegistryError, match="capacity class"):
        validate_manifest(dataclasses.replace(sms, capacity_class="fax"))
