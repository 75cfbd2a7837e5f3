"""A routing rule on the contact reason predicted from behaviour: a customer whose delivery was
delayed reaches the delivery queue before anyone reads their words."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.engagement.actions import do_train_contact_reason_model
from omnidesk.domains.routing.actions import do_enqueue
from omnidesk.domains.routing.service import get_queue
from tests.conftest import Persona
from tests.domains.engagement.test_prediction import customer_with, hand_built_history

from .routing_setup import make_conversation, make_queue, make_rule


async def test_a_predicted_intent_rule_routes_a_delayed_delivery_to_the_delivery_queue(
        session: AsyncSession, owner: Persona) -> None:
    ws = owner.workspace_id
    await hand_built_history(session, ws)
    await do_train_contact_reason_model(session, workspace_id=ws)
    await make_queue(session, ws, "general", is_default=True)
    delivery = await make_queue(session, ws, "delivery")
    await make_rule(session, ws, delivery, {"predicted_intent": ["delivery_delay"]},
                    name="배송 지연 예측")
    await session.commit()
    routed = {}
    for trail in ("delivery_delay", "payment_error"):
        customer = await customer_with(session, ws, trail, trail, utcnow(), None)
        conv_id, _ = await make_conversation(session, owner.admin, customer_id=customer.id)
        entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv_id,
                                 text="안녕하세요")
        assert entry is not None
        routed[trail] = ((await get_queue(session, workspace_id=ws, queue_id=entry.queue_id)).name,
                         entry.rule_name)
    await session.commit()
    assert routed == {"delivery_delay": ("delivery", "배송 지연 예측"),
                      "payment_error": ("general", None)}


async def test_the_rules_api_takes_a_predicted_intent_condition(
        client, owner: Persona) -> None:  # type: ignore[no-untyped-def]
    queue = await client.post("/api/v1/routing/queues", headers=owner.headers,
                              json={"name": "delivery"})
    assert queue.status_code == 201, queue.text
    rule = await client.post("/api/v1/routing/rules", headers=owner.headers, json={
        "name": "배송 지연 예측", "queue_id": queue.json()["id"],
        "conditions": {"predicted_intent": ["delivery_delay"]}})
    assert rule.status_code == 201, rule.text
    assert rule.json()["conditions"] == {"predicted_intent": ["delivery_delay"]}
    bad = await client.post("/api/v1/routing/rules", headers=owner.headers, json={
        "name": "x", "queue_id": queue.json()["id"], "conditions": {"predicted_intent": [" "]}})
    assert bad.status_code == 422
