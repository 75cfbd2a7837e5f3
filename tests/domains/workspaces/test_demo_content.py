"""Tests for the deterministic 한빛리빙 demo content generator."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from omnidesk.demo.dataset import DemoDataset, generate_demo_dataset

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
EXAMPLE_DOMAINS = ("example.com", "example.kr", "example.net", "example.org", "hanbit.example")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def data() -> DemoDataset:
    """One dataset shared by the read-only checks."""
    return generate_demo_dataset(seed=7, now=NOW)


def test_deterministic_for_a_seed(data: DemoDataset) -> None:
    """Same seed and clock give an equal dataset; another seed differs."""
    assert generate_demo_dataset(seed=7, now=NOW) == data
    assert generate_demo_dataset(seed=8, now=NOW) != data


def test_minimum_counts(data: DemoDataset) -> None:
    """The demo is big enough to look real."""
    assert data.workspace_slug == "hanbit"
    assert len(data.teams) == 3
    assert len(data.agents) >= 10
    assert len(data.products) >= 40
    assert len(data.customers) >= 220
    assert len(data.conversations) >= 320
    assert len({(c.language, c.intent) for c in data.conversations}) >= 30
    with_orders = {o.customer_key for o in data.orders}
    assert len(with_orders) >= 0.8 * len(data.customers)


def test_agents_and_teams(data: DemoDataset) -> None:
    """Fixed logins exist, roles are valid and teams/skills are known."""
    emails = {a.email: a for a in data.agents}
    assert emails["admin@hanbit.example"].role == "admin"
    assert emails["supervisor@hanbit.example"].role == "supervisor"
    assert emails["agent@hanbit.example"].role == "agent"
    teams = {t.name for t in data.teams}
    skills = {s.name for s in data.skills}
    for agent in data.agents:
        assert agent.role in {"admin", "supervisor", "agent"}
        assert agent.team is None or agent.team in teams
        assert set(agent.skills) <= skills
        assert all(1 <= level <= 5 for level in agent.skills.values())
        assert agent.email.endswith("@hanbit.example")
    assert 2 <= sum("en" in a.languages for a in data.agents if a.role == "agent") <= 4
    assert len({a.email for a in data.agents}) == len(data.agents)


def test_products_and_orders(data: DemoDataset) -> None:
    """Orders reference real SKUs, numbers are unique and installations are well formed."""
    products = {p.sku: p for p in data.products}
    assert len(products) == len(data.products)
    assert all(10_000 <= p.price <= 10_000_000 for p in data.products)
    customers = {c.key for c in data.customers}
    numbers = [o.number for o in data.orders]
    assert len(set(numbers)) == len(numbers)
    statuses = Counter(o.status for o in data.orders)
    assert set(statuses) == {"pending", "processed", "delivered", "cancelled"}
    installs = Counter((o.installation or {}).get("status") for o in data.orders)
    assert installs["scheduled"] and installs["done"] and installs["missed"]
    for order in data.orders:
        assert re.fullmatch(r"HB\d{8}\d{5}", order.number)
        assert order.customer_key in customers
        assert order.placed_at.tzinfo is not None and order.placed_at <= NOW
        for item in order.items:
            assert item.sku in products and item.name == products[item.sku].name
        if order.installation:
            assert any(i.needs_installation for i in order.items)
            dt.date.fromisoformat(order.installation["date"])


def test_customers_contacts(data: DemoDataset) -> None:
    """Phones are E.164, emails use example domains, identities are varied."""
    keys = [c.key for c in data.customers]
    assert len(set(keys)) == len(keys)
    locales = Counter(c.locale for c in data.customers)
    assert 0.08 <= locales["en"] / len(data.customers) <= 0.25
    start = NOW - dt.timedelta(days=181)
    for customer in data.customers:
        assert customer.attributes["tier"] in {"basic", "silver", "gold", "vip"}
        assert {"total_spent", "points", "birth_month"} <= set(customer.attributes)
        assert start <= customer.created_at <= NOW
        if customer.phone:
            assert E164.match(customer.phone)
        if customer.email:
            assert customer.email.split("@")[1] in EXAMPLE_DOMAINS
        for identity in customer.identities:
            if identity.kind in ("phone", "whatsapp"):
                assert E164.match(identity.value)
            if identity.kind == "email":
                assert identity.value.split("@")[1] in EXAMPLE_DOMAINS
    multi = sum(len(c.identities) >= 3 for c in data.customers)
    assert multi >= len(data.customers) // 2
    assert len({c.name[0] for c in data.customers if c.locale == "ko"}) >= 20


def test_conversations_reference_existing_records(data: DemoDataset) -> None:
    """Every conversation points at a real customer, order and assignee."""
    customers = {c.key: c for c in data.customers}
    orders = {o.number: o for o in data.orders}
    agents = {a.email for a in data.agents}
    teams = {t.name for t in data.teams}
    for convo in data.conversations:
        assert convo.customer_key in customers
        assert convo.assignee_email is None or convo.assignee_email in agents
        assert convo.team is None or convo.team in teams
        if convo.order_number is not None:
            assert orders[convo.order_number].customer_key == convo.customer_key
            assert convo.started_at >= orders[convo.order_number].placed_at
        assert convo.status in {"open", "pending", "snoozed", "resolved"}
        assert convo.priority in {"low", "normal", "high", "urgent"}
        assert convo.csat is None or (1 <= convo.csat <= 5 and convo.status == "resolved")
        assert convo.language == customers[convo.customer_key].locale
        assert NOW - dt.timedelta(days=181) <= convo.started_at <= NOW


def test_channel_identities_match(data: DemoDataset) -> None:
    """A customer talking on a channel has the identity that channel needs."""
    needs = {"web": "web_visitor", "kakao": "kakao", "email": "email", "sms": "phone",
             "voice": "phone", "line": "line", "whatsapp": "whatsapp", "telegram": "telegram",
             "api": "user_id", "naver": "naver", "messenger": "messenger",
             "instagram": "instagram"}
    customers = {c.key: c for c in data.customers}
    for convo in data.conversations:
        kinds = {i.kind for i in customers[convo.customer_key].identities}
        assert needs[convo.channel] in kinds


def test_messages_are_realistic(data: DemoDataset) -> None:
    """Dialogues are multi-turn, ordered, fully rendered and mostly Korean."""
    channels = Counter(c.channel for c in data.conversations)
    assert channels.most_common(1)[0][0] == "web"
    assert channels["kakao"] > channels["sms"] and channels["email"] > 0 and channels["voice"] > 0
    every = {"web", "kakao", "email", "sms", "voice", "line", "whatsapp", "telegram", "api",
             "naver", "messenger", "instagram"}
    assert every <= set(channels), f"the demo inbox lacks {every - set(channels)}"
    for convo in data.conversations:
        assert 2 <= len(convo.messages) <= 8
        minutes = [m.minutes_after_start for m in convo.messages]
        assert minutes == sorted(minutes) and minutes[0] == 0
        for message in convo.messages:
            assert message.author_kind in {"customer", "agent", "bot", "system"}
            assert "{" not in message.text and "}" not in message.text
            assert not message.is_private or message.author_kind == "agent"
        if convo.language == "ko":
            assert any(HANGUL.search(m.text) for m in convo.messages)
        if convo.channel == "email":
            assert convo.subject
    assert any(m.is_private for c in data.conversations for m in c.messages)
    assert any(c.messages[0].author_kind == "bot" for c in data.conversations)
    voice = [c for c in data.conversations if c.channel == "voice"]
    assert all(c.messages[-1].author_kind == "system" for c in voice)


def test_returning_customers_refer_to_history(data: DemoDataset) -> None:
    """Repeat contacts come after the conversation they mention."""
    per_customer = Counter(c.customer_key for c in data.conversations)
    assert sum(n >= 2 for n in per_customer.values()) >= 60
    repeats = [c for c in data.conversations if "repeat-contact" in c.labels]
    assert len(repeats) >= 10
    for convo in repeats:
        earlier = [
            c for c in data.conversations
            if c.customer_key == convo.customer_key and c.started_at < convo.started_at
        ]
        assert earlier


def test_default_now_is_recent() -> None:
    """Without `now`, everything happens in the last ~180 days."""
    before = dt.datetime.now(dt.UTC)
    data = generate_demo_dataset()
    oldest = min(c.started_at for c in data.conversations)
    assert before - dt.timedelta(days=181) <= oldest <= before
