"""The contract every registered adapter keeps (run over the whole registry)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from omnidesk.channels.base import ChannelAdapter, ParsedWebhook, SignatureError
from omnidesk.channels.registry import (
    RegistryError,
    adapter_classes,
    build_registry,
    validate_adapter,
)
from omnidesk.domains.conversations.models import CHANNELS
from tests.channels.conftest import raw_request

REGISTRY = build_registry()
CHANNELS_DIR = Path(__file__).resolve().parents[2] / "src" / "omnidesk" / "channels"
PACKAGE_OF = {"instagram": "messenger"}
KINDS = sorted(REGISTRY)


def test_every_adapter_kind_is_a_conversation_channel() -> None:
    assert set(REGISTRY) <= set(CHANNELS)
    assert len(REGISTRY) == len(adapter_classes())


@pytest.mark.parametrize("kind", KINDS)
def test_the_adapter_satisfies_the_protocol(kind: str) -> None:
    adapter = REGISTRY[kind]
    assert isinstance(adapter, ChannelAdapter) and adapter.kind == kind
    validate_adapter(adapter)
    for name in ("verify_request", "parse_inbound", "send_outbound"):
        assert inspect.getdoc(getattr(adapter, name)), f"{kind}.{name} has no docstring"


@pytest.mark.parametrize("kind", KINDS)
def test_the_package_has_adapter_config_readme_and_fixtures(kind: str) -> None:
    package = CHANNELS_DIR / PACKAGE_OF.get(kind, kind)
    for name in ("adapter.py", "config.py", "README.md"):
        assert (package / name).is_file(), f"{package.name}/{name} missing"
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert f"/channels/{kind}/" in readme and "## Settings" in readme
    fixtures = Path(__file__).parent / PACKAGE_OF.get(kind, kind) / "fixtures"
    assert any(fixtures.iterdir()), f"no recorded payloads for {kind}"


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "email"])
def test_config_secrets_never_show_in_repr_or_logs(kind: str) -> None:
    config = _any_config(kind)
    text = repr(config) + str(config)
    assert "**********" in text
    for name in ("auth_token", "app_secret", "access_token", "bot_token", "secret_token",
                 "channel_secret", "authorization_key", "path_token", "signing_secret"):
        assert f"{name}='" not in text and f'{name}="' not in text


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "email"])
def test_an_unsigned_request_is_refused_before_parsing(kind: str) -> None:
    adapter = REGISTRY[kind]
    config = _any_config(kind)
    request = raw_request(f"https://example.com/channels/{kind}/acme/webhook",
                          b'{"object":"page","entry":[]}')
    with pytest.raises(SignatureError):
        adapter.verify_request(request, config)


def test_a_broken_adapter_stops_start_up() -> None:
    class Broken:
        kind = "broken"
        capabilities = frozenset({"telepathy"})

    with pytest.raises(RegistryError):
        validate_adapter(Broken())
    with pytest.raises(RegistryError, match="twice"):
        build_registry((type(REGISTRY["sms"]), type(REGISTRY["sms"])))


def test_parse_results_are_parsed_webhooks() -> None:
    assert ParsedWebhook().response.status == 200


def _any_config(kind: str) -> object:
    from tests.channels.contract_configs import CONFIGS

    return REGISTRY[kind].config_model.model_validate(CONFIGS[kind])
