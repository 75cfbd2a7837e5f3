"""Ninety days of contact-center history for the demo store, so /reports looks like a real one.

Weekly rhythm (busy Mondays, quiet weekends), a daily curve (morning and afternoon peaks, an
evening tail), a year-end sale spike, a bot that settles about a third of the chats alone
(some thanked, some assumed), handoffs, agents who answer in business hours, reopens, SLA
clocks, CSAT/NPS/CES answers with Korean comments, a few low scores with follow-ups, and goals.
Rows are written straight into the tables (like the rest of the demo: no events), then the
analytics facts and rollups are rebuilt from them, and agent occupancy is folded from presence
shifts (the store's hours, lunch away) and the assignments, built as events but not stored.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.agents.models import TeamMember, User
from omnidesk.domains.analytics.actions import do_rebuild
from omnidesk.domains.analytics.models import Goal
from omnidesk.domains.analytics.occupancy import do_fold_history
from omnidesk.domains.conversations.models import Conversation, ConversationEvent, Message
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.feedback.models import FollowUp, Survey, SurveyAnswer
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.knowledge.models import KbArticle
from omnidesk.domains.routing.models import SlaClockRow
from omnidesk.domains.workspaces.service import Calendar, get_workspace, workspace_calendar

DAYS = 90
INACTIVE_CLOSE = dt.timedelta(minutes=30)
SLA_TARGET = 1800.0  # business seconds: the demo SLA policy's first response for "normal"
EXTRA_CUSTOMERS = 700  # one-off shoppers beside the demo's regulars
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ("민준", "서연", "도윤", "지우", "하준", "서윤", "지호", "하은", "준서", "민서", "예준", "지민",
         "수아", "현우", "채원", "지훈", "유진", "승민", "다은", "태윤")
PER_DAY = 16  # mean conversations on an ordinary Wednesday
WEEKDAY = (1.35, 1.15, 1.0, 1.0, 1.1, 0.55, 0.45)  # Monday first
HOURS = (0.1, 0.05, 0.03, 0.03, 0.05, 0.1, 0.25, 0.5, 0.9, 1.4, 1.7, 1.6, 1.2, 1.3, 1.6,
         1.6, 1.5, 1.3, 1.0, 0.9, 1.0, 1.1, 0.8, 0.4)
SALE = (31, 28)  # days ago: the year-end sale, about 2.6 times the usual volume
INTENTS = (("shipping_status", 26), ("order_cancel", 10), ("refund", 12), ("exchange", 8),
           ("installation_booking", 9), ("repair", 6), ("payment", 7), ("coupon", 9),
           ("product_question", 13))
COMMENTS_GOOD = ("배송이 빨라서 좋았어요", "상담원분이 친절하게 안내해 주셨어요", "챗봇이 바로 알려줘서 편했어요",
                 "설치 기사님 일정 잡기가 쉬웠어요", "Quick and helpful, thanks!", "환불 처리가 깔끔했습니다")
COMMENTS_BAD = ("답변 받기까지 너무 오래 걸렸어요", "같은 내용을 여러 번 설명해야 했어요",
                "설치 일정이 또 바뀌어서 불편했습니다", "챗봇이 질문을 이해하지 못했어요")
THANKS_TEXT = "도움이 되었다니 다행이에요. 더 필요하신 게 있으면 말씀해 주세요."
GOALS = (("1차 해결률 80%", "fcr_rate", 0.8, "month"),
         ("첫 응답 중앙값 3분 이내", "first_response_business_seconds_median", 180.0, "week"),
         ("CSAT 평균 4.3 이상", "csat_average", 4.3, "month"))


async def load_history_demo(session: AsyncSession, workspace_id: int, *, seed: int = 15,
                            now: dt.datetime | None = None) -> str:
    """Write ninety days of history and goals, rebuild the KPIs; return a summary."""
    rng, now = random.Random(seed), now or utcnow()
    workspace = await get_workspace(session, workspace_id=workspace_id)
    people = await _people(session, workspace_id)
    if not people["agents"] or not people["customers"]:
        return ""
    calendar = workspace_calendar(workspace)
    people["customers"] += await _shoppers(session, workspace_id, rng)
    plan = [_story(rng, at, calendar, people) for at in _arrivals(rng, now, calendar)]
    plan = [story for story in plan if story["end"] < now]
    convs = await _write(session, workspace_id, plan, people, calendar)
    admin = people["admin"]
    session.add_all([Goal(workspace_id=workspace_id, name=name, metric=metric, target=target,
                          period=period, owner_id=admin) for name, metric, target, period in GOALS])
    await session.flush()
    count = await do_rebuild(session, workspace_id=workspace_id, now=now)
    await do_fold_history(session, _occupancy_events(rng, workspace_id, convs, people, calendar,
                                                     now), until=now)
    return f", {len(plan)} conversations of history over {DAYS} days ({count} in the reports)"


def _occupancy_events(rng: random.Random, ws: int, convs: list[Conversation],
                      people: dict[str, Any], calendar: Calendar,
                      now: dt.datetime) -> list[OutboxEvent]:
    """Build (not store) the presence and assignment events of the history, for occupancy:
    every agent online through the store's hours (a few minutes early, sometimes late, an hour
    away at lunch on long days); each conversation held from the first agent reply to its
    resolution."""
    events: list[OutboxEvent] = []

    def add(name: str, when: dt.datetime, **payload: Any) -> None:
        if when < now:
            events.append(OutboxEvent(workspace_id=ws, name=name, created_at=when,
                                      payload=payload))

    def presence(agent: int, state: str, at: dt.datetime) -> None:
        add("agent.presence_changed", at, user_id=agent, presence=state, at=at.isoformat())

    first = (now - dt.timedelta(days=DAYS + 1)).astimezone(calendar.tz).date()
    for offset in range(DAYS + 2):
        for opens, closes in calendar.windows_on(first + dt.timedelta(days=offset)):
            for agent in people["agents"]:
                presence(agent, "online", opens - dt.timedelta(minutes=rng.randint(0, 10)))
                if closes - opens >= dt.timedelta(hours=8):
                    lunch = opens + dt.timedelta(hours=3, minutes=rng.randint(0, 60))
                    presence(agent, "away", lunch)
                    presence(agent, "online", lunch + dt.timedelta(hours=1))
                presence(agent, "offline", closes + dt.timedelta(minutes=rng.randint(0, 20)))
    for conv in convs:
        if conv.assignee_id is None or conv.assigned_at is None:
            continue
        facts = {"conversation_id": conv.id, "channel": conv.channel, "status": "open"}
        add("conversation.assigned", conv.assigned_at, **facts, to_assignee_id=conv.assignee_id)
        if conv.resolved_at is not None:
            add("conversation.resolved", conv.resolved_at, **facts,
                assignee_id=conv.assignee_id)
    return events


async def _people(session: AsyncSession, workspace_id: int) -> dict[str, Any]:
    workspace = await get_workspace(session, workspace_id=workspace_id)
    users = (await session.execute(select(User.id, User.role).where(
        User.workspace_id == workspace_id))).all()
    teams = dict((await session.execute(select(TeamMember.user_id, TeamMember.team_id).where(
        TeamMember.workspace_id == workspace_id))).all())
    inboxes = (await session.execute(select(Inbox.id, Inbox.kind).where(
        Inbox.workspace_id == workspace_id).order_by(Inbox.id))).all()
    slugs = (await session.scalars(select(KbArticle.slug).where(
        KbArticle.workspace_id == workspace_id, KbArticle.locale == "ko").order_by(KbArticle.id))).all()
    customers = (await session.scalars(select(Customer.id).where(
        Customer.workspace_id == workspace_id).order_by(Customer.id))).all()
    return {"agents": [u.id for u in users if u.role == "agent"], "teams": teams,
            "admin": next((u.id for u in users if u.role == "admin"), None),
            "inboxes": [(i.id, i.kind) for i in inboxes], "customers": list(customers),
            "articles": [f"/help/{workspace.slug}/ko/articles/{slug}" for slug in slugs]}


async def _shoppers(session: AsyncSession, ws: int, rng: random.Random) -> list[int]:
    """Add customers who contact the store once or twice (most shoppers do)."""
    rows = [{"workspace_id": ws, "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
             "locale": "ko", "attributes": {}, "tags": [], "created_at": utcnow(),
             "updated_at": utcnow()} for _ in range(EXTRA_CUSTOMERS)]
    result = await session.execute(insert(Customer).returning(Customer.id), rows)
    return list(result.scalars().all())


def _arrivals(rng: random.Random, now: dt.datetime, calendar: Calendar) -> list[dt.datetime]:
    """Return conversation start times with the weekly rhythm, daily curve and sale spike."""
    found = []
    today = now.astimezone(calendar.tz).date()
    for back in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=back)
        sale = 2.6 if SALE[1] <= back <= SALE[0] else 1.0
        mean = PER_DAY * WEEKDAY[day.weekday()] * sale
        for _ in range(_poisson(rng, mean)):
            hour = rng.choices(range(24), weights=HOURS)[0]
            local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)),
                                        calendar.tz)
            found.append(local.astimezone(dt.UTC))
    return sorted(found)


def _poisson(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, mean ** 0.5)))


def _story(rng: random.Random, start: dt.datetime, calendar: Calendar,
           people: dict[str, Any]) -> dict[str, Any]:
    """Decide one conversation: who answered, when, how it ended and what the customer said."""
    inbox_id, channel = rng.choices(people["inboxes"], weights=[
        5 if i == 0 else 2 for i in range(len(people["inboxes"]))])[0]
    kind = rng.choices(("bot", "handoff", "agent"), weights=(36, 14, 50))[0]
    story: dict[str, Any] = {
        "start": start, "customer": rng.choice(people["customers"]), "inbox": inbox_id,

        "channel": channel, "intent": rng.choices([i for i, _ in INTENTS],
                                                  weights=[w for _, w in INTENTS])[0],
        "language": "en" if rng.random() < 0.12 else "ko", "kind": kind, "messages": [],
        "agent": None, "resolved": None, "reopened": 0, "score": None, "handoff": None,
        "article": None}
    at = start
    story["messages"].append(("customer", at, None))
    if kind in ("bot", "handoff"):
        at += dt.timedelta(seconds=rng.randint(2, 6))
        story["messages"].append(("bot", at, story["intent"]))
        if people["articles"]:
            story["article"] = rng.choice(people["articles"][:12])
        if kind == "bot":
            if rng.random() < 0.45:
                at += dt.timedelta(seconds=rng.randint(20, 120))
                story["messages"] += [("customer", at, None),
                                      ("bot", at + dt.timedelta(seconds=3), "greeting_thanks")]
                at += dt.timedelta(seconds=3)
                story["score"] = ("csat", rng.choice((4, 5, 5))) if rng.random() < 0.3 else None
            story["resolved"] = at + INACTIVE_CLOSE  # closed after a quiet half hour
            story["end"] = at
            return story
        story["handoff"] = rng.choice(("customer_request", "not_understood", "no_answer",
                                       "customer_request"))
        at += dt.timedelta(seconds=rng.randint(20, 90))
        story["messages"].append(("customer", at, None))
    return _agent_part(rng, story, at, calendar, people)


def _agent_part(rng: random.Random, story: dict[str, Any], at: dt.datetime, calendar: Calendar,
                people: dict[str, Any]) -> dict[str, Any]:
    """An agent answers in business hours, replies a few times and resolves (or not yet)."""
    story["agent"] = rng.choice(people["agents"])
    opens = calendar.next_open(at) or at
    wait = rng.lognormvariate(4.6 if story["start"].month == 12 and rng.random() < 0.5 else 4.9,
                              0.8)
    if rng.random() < 0.08:  # a busy moment: past the first-response target
        wait = rng.uniform(1900, 5400)
    at = max(opens, at) + dt.timedelta(seconds=min(wait, 5400))
    for index in range(rng.choice((1, 2, 2, 3))):
        if index:
            at += dt.timedelta(minutes=rng.randint(2, 25))
            story["messages"].append(("customer", at - dt.timedelta(minutes=1), None))
        story["messages"].append(("agent", at, None))
    recent = story["start"] > utcnow() - dt.timedelta(days=2)
    if not recent or rng.random() < 0.7:
        story["resolved"] = at + dt.timedelta(minutes=rng.randint(3, 60))
        story["reopened"] = 1 if rng.random() < 0.05 else 0
        if rng.random() < 0.4:
            kind = rng.choices(("csat", "nps", "ces"), weights=(6, 2, 2))[0]
            low = rng.random() < 0.12
            story["score"] = (kind, _score(rng, kind, low))
    story["end"] = story["resolved"] or at
    return story


def _score(rng: random.Random, kind: str, low: bool) -> int:
    if kind == "csat":
        return rng.choice((1, 2)) if low else rng.choices((3, 4, 5), weights=(1, 3, 6))[0]
    if kind == "nps":
        return rng.randint(2, 6) if low else rng.choices((7, 8, 9, 10), weights=(1, 2, 3, 4))[0]
    return rng.choice((1, 2, 3)) if low else rng.choices((5, 6, 7), weights=(1, 3, 3))[0]


async def _write(session: AsyncSession, ws: int, plan: list[dict[str, Any]],
                 people: dict[str, Any], calendar: Calendar) -> list[Conversation]:
    """Insert the conversations, then their messages, events, SLA clocks and answers."""
    convs = [_conversation(ws, s, people) for s in plan]
    session.add_all(convs)
    await session.flush()
    messages, events, clocks = [], [], []
    for conv, story in zip(convs, plan, strict=True):
        for author, at, intent in story["messages"]:
            messages.append({
                "workspace_id": ws, "conversation_id": conv.id, "channel": conv.channel,
                "inbox_id": conv.inbox_id, "author_kind": author, "created_at": at,
                "direction": "inbound" if author == "customer" else "outbound",
                "text": THANKS_TEXT if intent == "greeting_thanks" else "…",
                "author_id": story["agent"] if author == "agent" else None,
                "meta": _bot_meta(intent, story["article"]) if intent else {},
                "attachments": [], "content_type": "text", "is_private": False})
        events.append({"workspace_id": ws, "conversation_id": conv.id, "kind": "created",
                       "actor_kind": "customer", "created_at": story["start"], "data": {}})
        if story["handoff"]:
            events.append({"workspace_id": ws, "conversation_id": conv.id, "kind": "bot_handoff",
                           "actor_kind": "bot", "created_at": story["messages"][1][1],
                           "data": {"reason": story["handoff"], "intent": story["intent"]}})
        if conv.first_response_at is not None:
            met = calendar.working_seconds(story["start"], conv.first_response_at) <= SLA_TARGET
            clocks.append({"workspace_id": ws, "conversation_id": conv.id,
                           "metric": "first_response", "state": "met" if met else "missed",
                           "evaluated_at": conv.first_response_at})
    await session.execute(insert(Message), messages)
    await session.execute(insert(ConversationEvent), events)
    if clocks:
        await session.execute(insert(SlaClockRow), clocks)
    await _answers(session, ws, convs, plan, people)
    return convs


def _bot_meta(intent: str, article: str | None) -> dict[str, Any]:
    """Describe a bot reply like the bot does: a quoted article, or a template."""
    if article is None or intent == "greeting_thanks":
        return {"bot": {"intent": intent, "source": "template"}}
    return {"bot": {"intent": intent, "source": "kb_extractive", "citations": [article]}}


def _conversation(ws: int, story: dict[str, Any], people: dict[str, Any]) -> Conversation:
    customer_times = [at for author, at, _ in story["messages"] if author == "customer"]
    agent_times = [at for author, at, _ in story["messages"] if author == "agent"]
    bot_only = story["kind"] == "bot"
    return Conversation(
        workspace_id=ws, customer_id=story["customer"], channel=story["channel"],
        inbox_id=story["inbox"], status="resolved" if story["resolved"] else "open",
        owner="resolved" if story["resolved"] else ("bot" if bot_only else "agent"),
        snoozed_until=None,
        assignee_id=story["agent"], team_id=people["teams"].get(story["agent"]),
        intent=story["intent"], language=story["language"], created_at=story["start"],
        updated_at=story["end"], first_customer_message_at=customer_times[0],
        last_customer_message_at=customer_times[-1], last_message_at=story["end"],
        first_response_at=agent_times[0] if agent_times else None,
        last_agent_message_at=agent_times[-1] if agent_times else None,
        assigned_at=agent_times[0] if agent_times else None, resolved_at=story["resolved"],
        reopened_count=story["reopened"], message_count=len(story["messages"]),
        attributes={"demo_history": True}, label_rows=[])


async def _answers(session: AsyncSession, ws: int, convs: list[Conversation],
                   plan: list[dict[str, Any]], people: dict[str, Any]) -> None:
    """Store the survey answers; a low one gets a Korean complaint and a follow-up."""
    rng = random.Random(len(plan))
    answered = [(c, s) for c, s in zip(convs, plan, strict=True) if s["score"] is not None]
    surveys, answers, followups = [], [], []
    for conv, story in answered:
        surveys.append(Survey(
            workspace_id=ws, conversation_id=conv.id, customer_id=conv.customer_id,
            kind=story["score"][0], status="answered", channel=conv.channel,
            inbox_id=conv.inbox_id, agent_id=conv.assignee_id, team_id=conv.team_id,
            intent=conv.intent, handled_by="bot" if story["kind"] == "bot" else "human",
            due_at=story["end"], sent_at=story["end"], created_at=story["end"],
            answered_at=story["end"] + dt.timedelta(minutes=rng.randint(1, 120)),
            language=conv.language or "ko"))
    session.add_all(surveys)
    await session.flush()
    for survey, (conv, story) in zip(surveys, answered, strict=True):
        kind, score = story["score"]
        low = {"csat": score <= 2, "nps": score <= 6, "ces": score <= 3}[kind]
        comment = rng.choice(COMMENTS_BAD) if low else (
            rng.choice(COMMENTS_GOOD) if rng.random() < 0.35 else None)
        answers.append(SurveyAnswer(
            workspace_id=ws, survey_id=survey.id, conversation_id=conv.id,
            customer_id=conv.customer_id, kind=kind, score=score, comment=comment,
            channel=conv.channel, inbox_id=conv.inbox_id, agent_id=conv.assignee_id,
            team_id=conv.team_id, intent=conv.intent, handled_by=survey.handled_by,
            is_low=low, via="widget", created_at=survey.answered_at, language=survey.language))
    session.add_all(answers)
    await session.flush()
    recent = utcnow() - dt.timedelta(days=10)
    for answer in answers:
        if answer.is_low:
            followups.append(FollowUp(
                workspace_id=ws, answer_id=answer.id, conversation_id=answer.conversation_id,
                team_id=answer.team_id, owner_id=people["admin"], agent_id=answer.agent_id,
                created_at=answer.created_at,
                status="open" if answer.created_at > recent else "done"))
    session.add_all(followups)
    await session.flush()
