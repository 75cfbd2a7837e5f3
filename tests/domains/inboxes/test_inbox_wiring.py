"""An inbox's own default queue, hours and greeting are what routing, bot and widget use."""

from __future__ import annotations

from sqlalchemy import select

from omnidesk.domains.routing.models import QueueEntry
from tests.domains.inboxes.test_inboxes import ALICE, BOB, Desk, desk, twilio  # noqa: F401
from tests.domains.routing.routing_setup import make_queue


async def test_unmatched_conversations_go_to_their_inbox_default_queue(
        desk: Desk) -> None:  # noqa: F811 (the fixture imported above)
    ws = desk.owner.workspace_id
    headquarters = await make_queue(desk.session, ws, "본사", is_default=True)
    busan_queue = await make_queue(desk.session, ws, "부산")
    await desk.session.commit()
    busan = desk.inboxes["부산 매장"]["id"]
    missing = await desk.client.patch(f"/api/v1/inboxes/{busan}", headers=desk.owner.headers,
                                      json={"default_queue_id": busan_queue + 1000})
    assert missing.status_code == 422 and "no such routing queue" in missing.text
    answer = await desk.client.patch(f"/api/v1/inboxes/{busan}", headers=desk.owner.headers,
                                     json={"default_queue_id": busan_queue})
    assert answer.status_code == 200, answer.text

    await desk.text("서울 매장", ALICE, "문의드려요", "SM" + "7" * 32)
    await desk.text("부산 매장", BOB, "문의드려요", "SM" + "8" * 32)
    await desk.dispatcher.drain()
    entries = {e.conversation_id: e.queue_id for e in
               (await desk.session.scalars(select(QueueEntry))).all()}
    assert entries[(await desk.conversation_of("부산 매장")).id] == busan_queue
    assert entries[(await desk.conversation_of("서울 매장")).id] == headquarters
