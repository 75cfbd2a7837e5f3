"""The rules API: admins write, bad rules are 422 with a message, "test this rule" acts on nothing."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.actions import do_add_message
from omnidesk.domains.conversations.models import Conversation
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_conversation

RULE = {"name": "배송 문의", "events": ["message.created"],
        "conditions": [{"field": "text", "op": "contains", "value": ["배송"]}],
        "actions": [{"type": "add_label", "label": "delivery"}]}


async def test_rules_are_validated_and_a_dry_run_says_what_would_have_happened(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, outsider: Persona,
) -> None:
    bad = [
        {**RULE, "events": ["kb_article.voted"]},
        {**RULE, "conditions": [{"field": "channel", "op": "gte", "value": 3}]},
        {**RULE, "actions": [{"type": "assign_agent"}]},
        {**RULE, "actions": []},
    ]
    for body in bad:
        answer = await client.post("/api/v1/automation/rules", json=body, headers=owner.headers)
        assert answer.status_code == 422, body
    created = await client.post("/api/v1/automation/rules", json=RULE, headers=owner.headers)
    assert created.status_code == 201
    rule_id = created.json()["id"]

    conv_id, _ = await make_conversation(session, owner.admin)
    conv = await session.get_one(Conversation, conv_id)
    await do_add_message(session, conv=conv, text="배송은 언제 오나요?", author_kind="customer")
    await do_add_message(session, conv=conv, text="환불해 주세요", author_kind="customer")
    await session.commit()

    answer = await client.post(f"/api/v1/automation/rules/{rule_id}/test", headers=owner.headers)
    assert answer.status_code == 200
    result = answer.json()
    assert (result["events_checked"], result["would_run"]) == (2, 1)
    assert [(i["matched"], i["actions"]) for i in result["items"]] == [
        (False, []), (True, ["add_label label=delivery"])]
    assert result["items"][0]["failed"] == ["text contains 배송"]
    await session.refresh(conv)
    assert conv.labels == []  # a dry run changes nothing

    other = await client.post(f"/api/v1/automation/rules/{rule_id}/test",
                              headers=outsider.headers)
    assert other.status_code == 404
