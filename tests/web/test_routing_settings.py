"""The routing settings page: admins edit queues, rules and SLA policies; others cannot; typos
come back as the form with a message, and what was stored stays."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import AuditEntry
from omnidesk.core.context import system_actor
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.agents.actions import do_create_team, do_create_user
from omnidesk.domains.agents.schemas import TeamCreate, UserCreate
from omnidesk.domains.routing import config_actions as config
from omnidesk.domains.routing.actions import do_enqueue
from omnidesk.domains.routing.assignment.engine import PRIORITY_LEVELS
from omnidesk.domains.routing.overview import list_rule_rows, list_sla_policies
from omnidesk.domains.routing.schemas import QueueCreate, RuleCreate, SlaPolicyCreate
from omnidesk.domains.routing.service import list_queues
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_agent, make_conversation, make_queue
from tests.web.test_supervisor import log_in

PAGE = "/settings/routing"
ADMIN = "admin@acme.example"
HX = {"HX-Request": "true"}


async def admin_csrf(client: httpx.AsyncClient, owner: Persona) -> str:
    """Log in as the owner's admin and return the CSRF token for posts."""
    return await log_in(client, ADMIN, owner.password)


async def queues_by_name(session: AsyncSession, workspace_id: int) -> dict[str, object]:
    """Read the workspace's queues afresh, by name."""
    session.expire_all()
    return {q.name: q for q in await list_queues(session, workspace_id=workspace_id)}


async def route(session: AsyncSession, owner: Persona, **conversation: object) -> tuple[int, str]:
    """Open a conversation, enqueue it with the real routing service; return its queue and rule."""
    ws = owner.workspace_id
    conv_id, _ = await make_conversation(session, system_actor(ws), **conversation)  # type: ignore[arg-type]
    entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv_id)
    await session.commit()
    assert entry is not None
    return entry.queue_id, entry.rule_name or ""


async def test_an_admin_creates_edits_and_deletes_a_queue(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    await make_agent(session, system_actor(ws), "kim", skills={"installation": 4})
    team_id = (await do_create_team(session, actor=owner.admin,
                                    team_in=TeamCreate(name="설치팀"))).id
    general = await make_queue(session, ws, "전체", is_default=True)
    await session.commit()
    csrf = await admin_csrf(client, owner)
    page = await client.get(PAGE)
    assert page.status_code == 200 and "라우팅" in page.text and "전체" in page.text
    assert 'id="queue-form"' in page.text and 'class="active">라우팅<' in page.text

    created = await client.post(f"{PAGE}/queues", headers=HX, data={
        "csrf": csrf, "name": "설치", "team_id": str(team_id), "required_skills": "installation:3",
        "strategy": "best_skill", "sticky_window_seconds": "600", "offer_timeout_seconds": "30",
        "overflow_queue_id": str(general), "overflow_after_seconds": "900"})
    assert created.status_code == 200, created.text
    assert "저장했습니다" in created.text and "installation ≥ 3" in created.text
    assert "900초 후" in created.text and "스킬이 가장 높은 상담원" in created.text
    install = (await queues_by_name(session, ws))["설치"]
    assert (install.team_id, install.required_skills, install.strategy) == (  # type: ignore[attr-defined]
        team_id, {"installation": 3}, "best_skill")
    assert (install.sticky_window_seconds, install.offer_timeout_seconds,  # type: ignore[attr-defined]
            install.overflow_queue_id, install.overflow_after_seconds) == (  # type: ignore[attr-defined]
        600, 30, general, 900)

    qid = install.id  # type: ignore[attr-defined]
    form = await client.get(f"{PAGE}?edit_queue={qid}")
    assert f'action="{PAGE}/queues/{qid}"' in form.text and 'value="installation:3"' in form.text
    edited = await client.post(f"{PAGE}/queues/{qid}", headers=HX, data={
        "csrf": csrf, "name": "설치·A/S", "team_id": "", "required_skills": "",
        "strategy": "least_busy", "sticky_window_seconds": "0", "offer_timeout_seconds": "20",
        "is_default": "on"})
    assert edited.status_code == 200, edited.text
    queues = await queues_by_name(session, ws)
    renamed = queues["설치·A/S"]
    assert renamed.team_id is None and renamed.required_skills == {}  # type: ignore[attr-defined]
    assert renamed.overflow_queue_id is None and renamed.is_default  # type: ignore[attr-defined]
    assert not queues["전체"].is_default  # type: ignore[attr-defined]  # one default at a time

    deleted = await client.post(f"{PAGE}/queues/{qid}/delete", data={"csrf": csrf})
    assert deleted.status_code == 303 and deleted.headers["location"] == PAGE  # no JS: PRG
    assert set(await queues_by_name(session, ws)) == {"전체"}


async def test_a_rule_made_on_the_page_routes_new_conversations_to_its_queue(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    general = await make_queue(session, ws, "전체", is_default=True)
    await session.commit()
    csrf = await admin_csrf(client, owner)
    await client.post(f"{PAGE}/queues", headers=HX, data={"csrf": csrf, "name": "환불"})
    refund = (await queues_by_name(session, ws))["환불"].id  # type: ignore[attr-defined]
    made = await client.post(f"{PAGE}/rules", headers=HX, data={
        "csrf": csrf, "name": "VIP 환불", "queue_id": str(refund), "priority": "high",
        "is_active": "on", "channel": "Web, kakao", "language": "ko", "intent": "",
        "tier": "vip", "segment": "", "keywords": "환불, refund"})
    assert made.status_code == 200, made.text
    assert "VIP 환불" in made.text and "키워드: 환불, refund" in made.text
    session.expire_all()
    [rule] = await list_rule_rows(session, workspace_id=ws)
    assert rule.conditions == {"channel": ["web", "kakao"], "language": ["ko"], "tier": ["vip"],
                               "keywords": ["환불", "refund"]}

    queue_id, rule_name = await route(session, owner, subject="환불이 필요해요",
                                      attributes={"tier": "VIP", "total_spent": 1_500_000})
    assert (queue_id, rule_name) == (refund, "VIP 환불")
    assert (await route(session, owner, subject="배송 문의", attributes={"tier": "vip"}))[0] == general
    assert (await route(session, owner, subject="환불", attributes={"tier": "gold"}))[0] == general

    conv_id, _ = await make_conversation(session, system_actor(ws), subject="refund",
                                         attributes={"tier": "vip", "total_spent": 1_500_000})
    entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv_id)
    assert entry is not None and entry.priority == PRIORITY_LEVELS["high"]


async def test_rules_are_reordered_and_switched_off_from_the_page(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    await make_queue(session, ws, "전체", is_default=True)
    first_q = await make_queue(session, ws, "배송")
    second_q = await make_queue(session, ws, "VIP")
    await session.commit()
    csrf = await admin_csrf(client, owner)
    for name, queue in (("배송 규칙", first_q), ("VIP 규칙", second_q)):
        response = await client.post(f"{PAGE}/rules", headers=HX, data={
            "csrf": csrf, "name": name, "queue_id": str(queue), "is_active": "on",
            "keywords": "배송"})
        assert response.status_code == 200, response.text
    session.expire_all()
    rules = await list_rule_rows(session, workspace_id=ws)
    assert [r.name for r in rules] == ["배송 규칙", "VIP 규칙"]  # new rules go last
    assert (await route(session, owner, subject="배송 언제 와요"))[0] == first_q

    vip_rule = rules[1].id
    moved = await client.post(f"{PAGE}/rules/{vip_rule}/move", headers=HX,
                              data={"csrf": csrf, "direction": "up"})
    assert moved.status_code == 200, moved.text
    assert moved.text.index("VIP 규칙") < moved.text.index("배송 규칙")
    session.expire_all()
    rules = await list_rule_rows(session, workspace_id=ws)
    assert [(r.name, r.position) for r in rules] == [("VIP 규칙", 0), ("배송 규칙", 1)]
    audited = await session.scalars(select(AuditEntry.actor_id).where(
        AuditEntry.action == "routing.rule_moved", AuditEntry.object_id == str(vip_rule)))
    assert audited.all() == [owner.admin.user_id]
    events = await session.scalars(select(OutboxEvent.payload).where(
        OutboxEvent.name == "routing.config_changed", OutboxEvent.workspace_id == ws))
    assert [e for e in events.all() if e["action"] == "routing.rule_moved"] == [
        {"action": "routing.rule_moved", "object_type": "routing_rule", "object_id": vip_rule}]
    assert (await route(session, owner, subject="배송 언제 와요"))[0] == second_q

    off = await client.post(f"{PAGE}/rules/{vip_rule}/active", headers=HX, data={"csrf": csrf})
    assert off.status_code == 200 and "켜기" in off.text
    assert (await route(session, owner, subject="배송 언제 와요"))[0] == first_q
    on = await client.post(f"{PAGE}/rules/{vip_rule}/active", headers=HX,
                           data={"csrf": csrf, "is_active": "on"})
    assert on.status_code == 200
    bad = await client.post(f"{PAGE}/rules/{vip_rule}/move", headers=HX,
                            data={"csrf": csrf, "direction": "sideways"})
    assert bad.status_code == 422 and "direction must be up or down" in bad.text
    session.expire_all()
    assert [r.is_active for r in await list_rule_rows(session, workspace_id=ws)] == [True, True]


async def test_an_admin_creates_edits_and_deletes_an_sla_policy(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    csrf = await admin_csrf(client, owner)
    made = await client.post(f"{PAGE}/sla-policies", headers=HX, data={
        "csrf": csrf, "name": "기본", "warn_before_seconds": "120", "is_default": "on",
        "target_high_first_response": "15", "target_high_resolution": "4",
        "target_high_resolution_unit": "hours", "target_normal_first_response": "60",
        "target_normal_first_response_unit": "minutes"})
    assert "첫 응답 15 분" in made.text or "15 분" in made.text
    assert made.status_code == 200, made.text
    session.expire_all()
    [policy] = await list_sla_policies(session, workspace_id=ws)
    assert policy.targets == {"high": {"first_response": 900, "resolution": 14400},
                              "normal": {"first_response": 3600}}
    assert (policy.warn_before_seconds, policy.is_default) == (120, True)
    form = await client.get(f"{PAGE}?edit_sla={policy.id}")
    assert 'name="target_high_resolution" type="number" step="any" min="0" value="4"' in form.text
    assert re.search(r'name="target_high_resolution_unit"[^>]*><option value="minutes">[^<]*'
                     r'</option><option value="hours" selected>', form.text)
    assert 'name="target_normal_first_response" type="number" step="any" min="0" value="1"' \
        in form.text  # 60 minutes read back as 1 hour
    edited = await client.post(f"{PAGE}/sla-policies/{policy.id}", headers=HX, data={
        "csrf": csrf, "name": "기본 (개정)", "warn_before_seconds": "60", "is_default": "on",
        "target_urgent_first_response": "5"})
    assert edited.status_code == 200, edited.text
    session.expire_all()
    [policy] = await list_sla_policies(session, workspace_id=ws)
    assert (policy.name, policy.targets) == ("기본 (개정)", {"urgent": {"first_response": 300}})
    gone = await client.post(f"{PAGE}/sla-policies/{policy.id}/delete", headers=HX,
                             data={"csrf": csrf})
    assert gone.status_code == 200 and "SLA 정책이 없습니다" in gone.text


async def test_agents_are_refused_and_supervisors_see_routing_read_only(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "전체", is_default=True)
    await do_create_user(session, actor=system_actor(ws), user_in=UserCreate(
        email="lead@acme.example", name="Lead", password=owner.password, role="supervisor"))
    await session.commit()
    agent_csrf = await log_in(client, owner.agent_email, owner.password)
    assert 'href="/settings/routing"' not in (await client.get("/settings/security")).text
    assert (await client.get(PAGE)).status_code == 403
    assert (await client.post(f"{PAGE}/queues", data={"csrf": agent_csrf, "name": "x"})
            ).status_code == 403
    client.cookies.clear()

    lead_csrf = await log_in(client, "lead@acme.example", owner.password)
    assert 'href="/settings/routing"' in (await client.get("/settings/security")).text
    page = await client.get(PAGE)
    assert page.status_code == 200 and "전체" in page.text and "읽기 전용" in page.text
    assert 'id="queue-form"' not in page.text and "/delete" not in page.text
    refused = await client.post(f"{PAGE}/queues/{queue}/delete", data={"csrf": lead_csrf})
    assert refused.status_code == 403
    client.cookies.clear()

    assert (await client.get(PAGE)).status_code == 303  # logged out: to the login page
    admin = await admin_csrf(client, owner)
    assert 'href="/settings/routing"' in (await client.get("/settings/security")).text
    assert admin and set(await queues_by_name(session, ws)) == {"전체"}


async def test_posts_without_a_valid_csrf_token_are_refused(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    queue = await make_queue(session, owner.workspace_id, "전체", is_default=True)
    await session.commit()
    await admin_csrf(client, owner)
    assert (await client.post(f"{PAGE}/queues", data={"name": "새 대기열"})).status_code == 403
    assert (await client.post(f"{PAGE}/queues", data={"name": "새 대기열", "csrf": "forged"})
            ).status_code == 403
    assert (await client.post(f"{PAGE}/queues/{queue}/delete")).status_code == 403
    assert set(await queues_by_name(session, owner.workspace_id)) == {"전체"}


async def test_another_workspaces_queues_rules_and_policies_are_not_found(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, outsider: Persona
) -> None:
    await make_queue(session, owner.workspace_id, "전체", is_default=True)
    theirs = await config.check_create_queue(session, actor=outsider.admin,
                                             queue_in=QueueCreate(name="globex"))
    their_rule = await config.check_create_rule(session, actor=outsider.admin, rule_in=RuleCreate(
        name="globex rule", queue_id=theirs.id))
    their_policy = await config.check_save_sla_policy(session, actor=outsider.admin,
                                                      policy_in=SlaPolicyCreate(name="g", targets={}))
    await session.commit()
    ids = theirs.id, their_rule.id, their_policy.id
    csrf = await admin_csrf(client, owner)
    for query in (f"edit_queue={ids[0]}", f"edit_rule={ids[1]}", f"edit_sla={ids[2]}"):
        assert (await client.get(f"{PAGE}?{query}")).status_code == 404
    posts = [
        (f"/queues/{ids[0]}", {"name": "stolen"}), (f"/queues/{ids[0]}/delete", {}),
        (f"/rules/{ids[1]}", {"name": "stolen", "queue_id": str(ids[0])}),
        (f"/rules/{ids[1]}/move", {"direction": "up"}), (f"/rules/{ids[1]}/active", {}),
        (f"/rules/{ids[1]}/delete", {}), (f"/sla-policies/{ids[2]}", {"name": "stolen"}),
        (f"/sla-policies/{ids[2]}/delete", {}),
    ]
    for suffix, data in posts:
        response = await client.post(PAGE + suffix, headers=HX, data={"csrf": csrf, **data})
        assert response.status_code == 404, (suffix, response.text)
        assert "not found" in response.text
    pointing = await client.post(f"{PAGE}/rules", headers=HX, data={
        "csrf": csrf, "name": "남의 대기열로", "queue_id": str(ids[0]), "is_active": "on"})
    assert pointing.status_code == 422 and "routing queue not found" in pointing.text
    assert 'value="남의 대기열로"' in pointing.text  # the form keeps what was typed
    assert await list_rule_rows(session, workspace_id=owner.workspace_id) == []
    session.expire_all()
    [rule] = await list_rule_rows(session, workspace_id=outsider.workspace_id)
    assert (rule.name, rule.is_active) == ("globex rule", True)
    assert set(await queues_by_name(session, outsider.workspace_id)) == {"globex"}


async def test_bad_input_comes_back_as_the_form_with_a_message_and_nothing_is_lost(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    general = await make_queue(session, ws, "전체", is_default=True, sticky_window_seconds=60)
    await session.commit()
    csrf = await admin_csrf(client, owner)
    await client.post(f"{PAGE}/rules", headers=HX, data={
        "csrf": csrf, "name": "기존 규칙", "queue_id": str(general), "is_active": "on"})

    async def refused(path: str, data: dict[str, str], status: int, *words: str) -> str:
        response = await client.post(PAGE + path, headers=HX, data={"csrf": csrf, **data})
        assert response.status_code == status, (path, data, response.text)
        for word in words:
            assert word in response.text, (word, response.text)
        assert 'role="alert"' in response.text
        return response.text

    text = await refused("/queues", {"name": "  ", "strategy": "longest_idle"}, 422, "이름:")
    assert 'id="queue-form"' in text and 'aria-invalid="true"' in text
    await refused("/queues", {"name": "전체"}, 409, "already exists")
    text = await refused("/queues", {"name": "새 대기열", "sticky_window_seconds": "-5"}, 422,
                         "같은 상담원 연결 (초):", "greater than or equal to 0")
    assert 'value="새 대기열"' in text and 'value="-5"' in text
    await refused("/queues", {"name": "새 대기열", "offer_timeout_seconds": "abc"}, 422,
                  "숫자를 입력하세요")
    await refused("/queues", {"name": "새 대기열", "required_skills": "flying:3"}, 422,
                  "unknown skills")
    await refused("/queues", {"name": "새 대기열", "overflow_queue_id": str(general)}, 422,
                  "go together")
    await refused(f"/queues/{general}", {"name": "전체", "overflow_queue_id": str(general),
                                         "overflow_after_seconds": "30"}, 422, "cycle")
    await refused(f"/queues/{general}", {"name": ""}, 422, "이름:")
    await refused(f"/queues/{general}/delete", {}, 409, "move them first")
    await refused("/rules", {"name": "x", "queue_id": "999999"}, 422, "routing queue not found")
    await refused("/rules", {"name": "x", "queue_id": str(general), "channel": "fax"}, 422,
                  "unknown channels")
    await refused("/rules", {"name": "", "queue_id": str(general)}, 422, "이름:")
    await refused("/rules", {"name": "x"}, 422, "대기열을 고르세요")
    await refused("/sla-policies", {"name": "x", "target_high_first_response": "-60"}, 422,
                  "must be more than 0 seconds")
    await refused("/sla-policies", {"name": "x", "target_high_resolution": "2",
                                    "target_high_resolution_unit": "fortnights"}, 422,
                  "분 또는 시간을 고르세요")
    await refused("/sla-policies", {"name": "x", "warn_before_seconds": "-1"}, 422,
                  "미리 경고 (초):")

    queues = await queues_by_name(session, ws)
    assert set(queues) == {"전체"}
    kept = queues["전체"]
    assert (kept.is_default, kept.sticky_window_seconds, kept.overflow_queue_id) == (  # type: ignore[attr-defined]
        True, 60, None)
    assert [r.name for r in await list_rule_rows(session, workspace_id=ws)] == ["기존 규칙"]
    assert await list_sla_policies(session, workspace_id=ws) == []
    english = await client.post("/profile/locale", data={"csrf": csrf, "locale": "en",
                                                         "back": PAGE})
    assert english.status_code == 303
    page = await client.post(f"{PAGE}/queues", headers=HX, data={
        "csrf": csrf, "name": "x", "sticky_window_seconds": "-1"})
    assert page.status_code == 422 and "Sticky window (seconds):" in page.text
    assert re.search(r">\s*Routing rules", page.text)


async def test_a_sentiment_rule_is_made_on_the_page_and_an_unknown_mood_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    await make_queue(session, ws, "전체", is_default=True)
    care = await make_queue(session, ws, "케어")
    await session.commit()
    csrf = await admin_csrf(client, owner)
    page = await client.get(PAGE)
    assert 'name="sentiment"' in page.text and "negative, neutral, positive" in page.text
    made = await client.post(f"{PAGE}/rules", headers=HX, data={
        "csrf": csrf, "name": "화난 고객", "queue_id": str(care), "is_active": "on",
        "sentiment": "negative"})
    assert made.status_code == 200, made.text
    assert "고객 감정: negative" in made.text
    refused = await client.post(f"{PAGE}/rules", headers=HX, data={
        "csrf": csrf, "name": "이상한 규칙", "queue_id": str(care), "sentiment": "furious"})
    assert refused.status_code == 422 and "furious" in refused.text
    session.expire_all()
    assert [r.conditions for r in await list_rule_rows(session, workspace_id=ws)] == [
        {"sentiment": ["negative"]}]
