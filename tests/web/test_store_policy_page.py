"""The store policy page: an admin changes windows, fees, refund times and who may act; the change
is audited and is the policy every order action then follows; typos come back as the form with a
message and nothing stored changes; supervisors look, agents are refused."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import AuditEntry
from omnidesk.domains.agents.actions import do_create_user
from omnidesk.domains.agents.schemas import UserCreate
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.commerce.policy import StorePolicy, check_order_action
from omnidesk.domains.commerce.policy_actions import get_store_policy
from omnidesk.web.store_policy_settings import policy_values
from tests.conftest import Persona
from tests.web.test_supervisor import log_in

PAGE = "/settings/store-policy"
ADMIN = "admin@acme.example"
TODAY = dt.date(2026, 12, 7)


async def stored(session: AsyncSession, workspace_id: int) -> StorePolicy:
    """Read the workspace's store policy afresh."""
    session.expire_all()
    return await get_store_policy(session, workspace_id=workspace_id)


def delivered(days_ago: int) -> Order:
    """An order delivered this many days before TODAY."""
    when = (TODAY - dt.timedelta(days=days_ago)).isoformat()
    return Order(external_id="HB7", status="delivered", items=[],
                 fulfillments=[{"delivered_at": when}])


async def test_an_admin_changes_the_policy_and_the_order_actions_follow_it(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
) -> None:
    ws = owner.workspace_id
    csrf = await log_in(client, ADMIN, owner.password)
    page = await client.get(PAGE)
    assert page.status_code == 200 and "매장 정책" in page.text and 'id="policy-form"' in page.text
    assert 'name="windows.change_of_mind.days" type="number"' in page.text
    assert 'value="7"' in page.text and "챗봇 (상담원 없이)" in page.text
    assert "기본 정책을 따르고 있습니다" in page.text  # nothing changed yet
    assert check_order_action(await stored(session, ws), delivered(10), "return",
                              today=TODAY).allowed is False  # 7 days of change of mind

    form = policy_values(await stored(session, ws))
    form.update({"windows.change_of_mind.days": "14", "windows.change_of_mind.fee": "5000",
                 "refund.0.method": "gift_card", "refund.0.days": "1"})
    form.pop("allowed.exchange.bot")  # the bot no longer opens exchanges on its own
    kakaopay = next(k for k, v in form.items() if v == "kakaopay")
    form[kakaopay], form[kakaopay.replace("method", "days")] = "", ""  # removed
    saved = await client.post(PAGE, data={"csrf": csrf, **form})
    assert saved.status_code == 303 and saved.headers["location"] == f"{PAGE}?saved=1"

    policy = await stored(session, ws)
    assert policy.windows["change_of_mind"].days == 14
    assert policy.windows["change_of_mind"].fee == Decimal(5000)
    assert policy.allowed["exchange"] == ["agent"] and "kakaopay" not in policy.refund_days
    assert policy.refund_days["gift_card"] == "1"
    verdict = check_order_action(policy, delivered(10), "return", today=TODAY)
    assert verdict.allowed and verdict.fee == Decimal(5000)
    refused = check_order_action(policy, delivered(10), "exchange", today=TODAY)
    assert (refused.allowed, refused.rule, refused.alternative) == (False, "actor", "agent")
    assert check_order_action(policy, delivered(10), "exchange", today=TODAY,
                              actor="agent").allowed

    audited = (await session.scalars(select(AuditEntry).where(
        AuditEntry.action == "commerce.policy_updated", AuditEntry.workspace_id == ws))).all()
    assert [a.actor_id for a in audited] == [owner.admin.user_id]
    assert audited[0].data["before"]["windows"]["change_of_mind"]["days"] == 7
    assert audited[0].data["after"]["windows"]["change_of_mind"]["days"] == 14
    shown = await client.get(f"{PAGE}?saved=1")
    assert "저장했습니다" in shown.text and 'value="14"' in shown.text
    assert "반품·교환 기간" in shown.text  # the latest change names what changed


async def test_typos_come_back_with_a_message_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
) -> None:
    ws = owner.workspace_id
    csrf = await log_in(client, ADMIN, owner.password)
    before = (await stored(session, ws)).model_dump()
    base = policy_values(await stored(session, ws))
    typos = {
        "windows.defect.days": ("-3", "0부터 3650까지의 정수로 일수를 입력하세요."),
        "windows.change_of_mind.fee": ("만원", "0 이상의 금액을 입력하세요."),
        "refund.1.days": ("5-7", "영업일은 3 또는 5~7처럼 적어 주세요."),
        "refund.2.method": ("", "결제 수단 이름을 적어 주세요."),
        "articles.refund": ("no-such-article", "지식 베이스의 문서를 골라 주세요."),
    }
    for field, (typed, message) in typos.items():
        response = await client.post(PAGE, data={"csrf": csrf, **base, field: typed})
        assert response.status_code == 422, field
        assert message in response.text, field
        assert re.search(rf'name="{re.escape(field)}"[^>]*aria-invalid="true"', response.text) \
            or 'aria-invalid="true"' in response.text, field
        if typed:
            assert f'value="{typed}"' in response.text or "no-such-article" in response.text
    twice = {**base, "refund.1.method": base["refund.0.method"]}
    response = await client.post(PAGE, data={"csrf": csrf, **twice})
    assert response.status_code == 422 and "같은 결제 수단이 두 번" in response.text
    assert (await stored(session, ws)).model_dump() == before
    assert not (await session.scalars(select(AuditEntry).where(
        AuditEntry.action == "commerce.policy_updated"))).all()


async def test_supervisors_only_look_and_agents_are_refused(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
) -> None:
    await do_create_user(session, actor=owner.admin, user_in=UserCreate(
        email="lead@acme.example", name="Lead", role="supervisor", password=owner.password))
    await session.commit()
    csrf = await log_in(client, "lead@acme.example", owner.password)
    page = await client.get(PAGE)
    assert page.status_code == 200 and "읽기 전용" in page.text and "<form" not in page.text.split(
        'id="store-policy"')[1].split("</main>")[0]
    form = policy_values(await stored(session, owner.workspace_id))
    refused = await client.post(PAGE, data={"csrf": csrf, **form,
                                            "windows.defect.days": "90"})
    assert refused.status_code == 403
    assert (await stored(session, owner.workspace_id)).windows["defect"].days == 30

    agent = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    async with agent:
        await log_in(agent, owner.agent_email, owner.password)
        assert (await agent.get(PAGE)).status_code == 403
