"""Surveys end to end on a Twilio SMS inbox: settings, the cap and opt-out, the signed link,
a bare digit as the answer, one answer per survey, and a low score closing the loop."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select, update

from omnidesk.core.db import utcnow
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import OutboxEvent
from omnidesk.core.scheduler import ScheduleState
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.feedback.links import survey_token
from omnidesk.domains.feedback.models import FollowUp, Survey, SurveyAnswer
from omnidesk.domains.workspaces.models import Workspace
from tests.channels.fake_provider import FakeProvider
from tests.domains.inboxes.test_inboxes import ALICE, Desk
from tests.web.test_supervisor import log_in

SEOUL_INBOX = "서울 매장"
SIDS = iter(f"SM{n:032d}" for n in range(1, 10_000))


async def _settings(desk: Desk, **changes: object) -> httpx.Response:
    return await desk.client.put("/api/v1/feedback/settings", headers=desk.owner.headers,
                                 json=changes)


async def _resolved_sms_conversation(desk: Desk, text: str = "환불 문의드려요") -> Conversation:
    """ALICE texts the Seoul number; the agent takes and resolves the conversation."""
    await desk.text(SEOUL_INBOX, ALICE, text, next(SIDS))
    await desk.dispatcher.drain()
    conv = await desk.conversation_of(SEOUL_INBOX)
    answer = await desk.client.patch(
        f"/api/v1/conversations/{conv.id}", headers=desk.owner.headers,
        json={"assignee_id": desk.owner.agent.user_id, "status": "resolved"})
    assert answer.status_code == 200, answer.text
    await desk.dispatcher.drain()
    await desk.session.refresh(conv)
    return conv


def _sms_bodies(twilio: FakeProvider) -> list[str]:
    return [dict(r.form()).get("Body", "") for r in twilio.received
            if r.path.endswith("/Messages.json")]


async def _surveys(desk: Desk) -> list[Survey]:
    desk.session.expire_all()
    return list((await desk.session.scalars(select(Survey).order_by(Survey.id))).all())


async def test_an_sms_survey_is_a_signed_link_and_a_bare_digit_answers_it(
        desk: Desk, twilio: FakeProvider) -> None:
    assert (await _settings(desk, enabled=True)).status_code == 200
    conv = await _resolved_sms_conversation(desk)
    [survey] = await _surveys(desk)
    assert (survey.status, survey.delivery, survey.handled_by) == ("sent", "link", "human")
    question = _sms_bodies(twilio)[-1]
    assert "1(매우 불만족)부터 5(매우 만족)" in question and "/s/" in question
    link = next(w for w in question.split() if "/s/" in w)
    page = await desk.client.get(urlsplit(link).path)
    assert page.status_code == 200 and "상담 만족도" in page.text

    await desk.text(SEOUL_INBOX, ALICE, "4", next(SIDS))
    await desk.dispatcher.drain()
    await desk.session.refresh(conv)
    assert conv.status == "resolved" and conv.reopened_count == 0  # the digit did not reopen
    answer = await desk.session.scalar(select(SurveyAnswer))
    assert answer is not None and (answer.score, answer.via, answer.channel) == (4, "digit", "sms")
    assert (answer.agent_id, answer.inbox_id) == (desk.owner.agent.user_id,
                                                  desk.inboxes[SEOUL_INBOX]["id"])
    assert _sms_bodies(twilio)[-1] == "소중한 의견 감사합니다."
    bot_turns = await desk.session.scalar(select(func.count()).select_from(Message).where(
        Message.conversation_id == conv.id, Message.author_kind == "bot"))
    assert bot_turns == 2  # the question and the thanks: the digit started no bot flow

    await desk.text(SEOUL_INBOX, ALICE, "5", next(SIDS))  # a second number is a new message
    await desk.dispatcher.drain()
    assert await desk.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 1


async def test_settings_the_cap_and_the_opt_out_decide_who_is_asked(desk: Desk) -> None:
    read = await desk.client.get("/api/v1/feedback/settings", headers=desk.owner.headers)
    assert read.json()["enabled"] is False and read.json()["cap_days"] == 14
    csrf = await log_in(desk.client, f"admin@{desk.owner.slug}.example", desk.owner.password)
    form = {"csrf": csrf, "enabled": "on", "kind": "ces", "timing": "on_resolve",
            "audience": "both", "delay_hours": "0", "cap_days": "abc", "low_csat": "2",
            "low_nps": "6", "low_ces": "3", "link_ttl_hours": "168"}
    typo = await desk.client.post("/settings/surveys", data=form)
    assert typo.status_code == 422 and "설문 간격" in typo.text and 'value="abc"' in typo.text
    saved = await desk.client.post("/settings/surveys", data={**form, "cap_days": "30"})
    assert saved.status_code == 303
    page = await desk.client.get("/settings/surveys")
    assert page.status_code == 200 and 'value="ces" checked' in page.text
    assert (await _settings(desk, inbox_ids=[999_999])).status_code == 422
    assert (await _settings(desk, kind="stars")).status_code == 422
    assert (await _settings(desk, timing="after_hours", delay_hours=0)).status_code == 422
    busan = desk.inboxes["부산 매장"]["id"]
    assert (await _settings(desk, enabled=True, inbox_ids=[busan])).status_code == 200
    await _resolved_sms_conversation(desk)  # on the Seoul number: not a surveyed inbox
    assert await _surveys(desk) == []
    saved = await _settings(desk, inbox_ids=[], cap_days=14)
    assert saved.status_code == 200 and saved.json()["inbox_ids"] == []
    conv = await _resolved_sms_conversation(desk)
    conv_id, customer_id = conv.id, conv.customer_id
    await desk.text(SEOUL_INBOX, ALICE, "하나 더 물어볼게요", next(SIDS))  # reopens
    await desk.dispatcher.drain()
    await desk.client.patch(f"/api/v1/conversations/{conv_id}", headers=desk.owner.headers,
                            json={"status": "resolved"})
    await desk.dispatcher.drain()
    assert [s.status for s in await _surveys(desk)] == ["sent"]  # capped: 14 days

    await _settings(desk, cap_days=0)
    opted = await desk.client.post("/api/v1/feedback/opt-outs", headers=desk.owner.headers,
                                   json={"customer_id": customer_id})
    assert opted.status_code == 201
    await desk.text(SEOUL_INBOX, ALICE, "또 문의요", next(SIDS))
    await desk.dispatcher.drain()
    await desk.client.patch(f"/api/v1/conversations/{conv_id}", headers=desk.owner.headers,
                            json={"status": "resolved"})
    await desk.dispatcher.drain()
    assert len(await _surveys(desk)) == 1  # opted out: never asked again


async def test_a_signed_link_answers_once_and_refuses_tampering_and_expiry(
        desk: Desk) -> None:
    await _settings(desk, enabled=True, kind="nps")
    await _resolved_sms_conversation(desk)
    [survey] = await _surveys(desk)
    secret = await desk.session.scalar(select(Workspace.secret).where(
        Workspace.id == desk.owner.workspace_id))
    assert secret is not None and survey.expires_at is not None
    token = survey_token(secret, survey.id, survey.expires_at)
    url = f"/api/v1/feedback/links/{token}/answer"
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert (await desk.client.post(f"/api/v1/feedback/links/{tampered}/answer",
                                   json={"score": 9})).status_code == 404
    other = survey_token(secret, survey.id + 1, survey.expires_at)
    assert (await desk.client.post(f"/api/v1/feedback/links/{other}/answer",
                                   json={"score": 9})).status_code == 404
    old = survey_token(secret, survey.id, utcnow() - dt.timedelta(minutes=1))
    expired = await desk.client.post(f"/api/v1/feedback/links/{old}/answer", json={"score": 9})
    assert expired.status_code == 410 and "expired" in expired.text
    assert (await desk.client.post(url, json={"score": 11})).status_code == 422

    first = await desk.client.post(url, json={"score": 9, "comment": "친절했어요"})
    again = await desk.client.post(url, json={"score": 2})
    assert first.json() == {"score": 9, "comment": "친절했어요", "created": True}
    assert again.json() == {"score": 9, "comment": "친절했어요", "created": False}
    answered = await desk.session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.name == "survey.answered"))
    assert answered == 1


async def test_a_low_score_opens_a_follow_up_and_can_reopen_the_conversation(
        desk: Desk) -> None:
    await _settings(desk, enabled=True, reopen_on_low=True, timing="after_hours",
                    delay_hours=2)
    conv = await _resolved_sms_conversation(desk)
    [survey] = await _surveys(desk)
    assert survey.status == "scheduled"  # two hours after resolving, by the outbox schedule
    await desk.session.execute(update(Survey).values(due_at=utcnow()))  # two hours later …
    await desk.session.execute(update(ScheduleState).where(
        ScheduleState.name == "feedback_due_surveys").values(next_run_at=utcnow()))
    await desk.session.commit()
    later = Dispatcher(desk.session_factory, desk.dispatcher.registry)  # a fresh process
    await later.drain()  # the schedule fires through the outbox and the survey goes out
    [survey] = await _surveys(desk)
    assert survey.status == "sent"

    await desk.text(SEOUL_INBOX, ALICE, "1", next(SIDS))
    await desk.dispatcher.drain()
    followup = await desk.session.scalar(select(FollowUp))
    assert followup is not None and followup.status == "open"
    assert followup.agent_id == desk.owner.agent.user_id
    await desk.session.refresh(conv)
    assert conv.status == "open" and conv.reopened_count == 1
    note = await desk.session.scalar(select(Message).where(
        Message.conversation_id == conv.id, Message.is_private.is_(True)))
    assert note is not None and "1/5" in note.text
    listed = await desk.client.get("/api/v1/feedback/followups", headers=desk.owner.headers)
    assert [item["answer"]["score"] for item in listed.json()] == [1]
    await log_in(desk.client, f"admin@{desk.owner.slug}.example", desk.owner.password)
    board = await desk.client.get("/supervisor/board")
    assert f'data-followup-id="{followup.id}"' in board.text and "CSAT" in board.text
    page = await desk.client.get(f"/conversations/{conv.id}")
    assert 'id="feedback-panel"' in page.text
    closed = await desk.client.post(f"/api/v1/feedback/followups/{followup.id}/close",
                                    headers=desk.owner.headers, json={"note": "전화 드림"})
    assert closed.json()["status"] == "done"
    assert (await desk.client.get("/api/v1/feedback/followups",
                                  headers=desk.owner.headers)).json() == []
