"""Supervisors edit greeting and closing rules as forms, try them on a real customer, and typos
are refused in words; agents cannot open the editor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.commerce.models import Order
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.workspaces.service import get_workspace
from tests.conftest import Persona
from tests.domains.assist.conftest import seed_returning
from tests.web.test_supervisor import log_in

PAGE = "/settings/recognition"


def _rule(kind: str, n: int, locale: str, text: str, *when: str) -> dict[str, object]:
    return {f"{kind}-{n}-locale": locale, f"{kind}-{n}-text": text, f"{kind}-{n}-when": list(when)}


async def _first_buyer(session: AsyncSession, owner: Persona) -> int:
    """Seed a customer with one order whose birthday is this month in the workspace."""
    month = dt.datetime.now(ZoneInfo("Asia/Seoul")).month
    buyer = Customer(workspace_id=owner.workspace_id, name="이서준", locale="ko",
                     attributes={"birth_month": month})
    session.add(buyer)
    await session.flush()
    session.add(Order(workspace_id=owner.workspace_id, external_id="N1", customer_id=buyer.id,
                      status="delivered", total=Decimal(50000), items=[]))
    await session.commit()
    return buyer.id


async def test_a_supervisor_builds_rules_from_lists_and_they_are_stored(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    await seed_returning(session, owner)
    csrf = await log_in(client, "admin@acme.example", owner.password)
    form = await client.get(PAGE)
    assert form.status_code == 200
    assert 'value="birthday_month"' in form.text and "이번 달이 생일인 고객" in form.text
    assert 'value="tier:vip"' in form.text and "등급: VIP" in form.text
    assert 'data-var="last_product"' in form.text and "지난 문의 상품" in form.text
    assert "김민지 · #" in form.text  # the preview names the customers as every staff page does

    saved = await client.post(PAGE, data={
        "csrf": csrf, **_rule("greeting", 0, "ko", "생일 축하드려요, {workspace}입니다!",
                              "birthday_month"),
        **_rule("greeting", 1, "en", "Welcome back to {workspace}!", "returning"),
        **_rule("greeting", 2, "ko", "지워질 줄"), "greeting-2-remove": "on",
        **_rule("closing", 0, "ko", "{next_tier}까지 {remaining} 남으셨어요.", "has_next_tier",
                "tier:gold")})
    assert saved.status_code == 200 and "저장했" in saved.text, saved.text
    workspace = await get_workspace(session, workspace_id=owner.workspace_id)
    await session.refresh(workspace)
    stored = workspace.settings["recognition"]
    assert [(t["locale"], t["when"]) for t in stored["greeting"]] == [
        ("ko", ["birthday_month"]), ("en", ["returning"])]
    assert stored["closing"] == [{"locale": "ko", "when": ["has_next_tier", "tier:gold"],
                                  "text": "{next_tier}까지 {remaining} 남으셨어요."}]
    again = await client.get(PAGE)
    assert 'name="closing-0-when" value="tier:gold" checked' in again.text


async def test_the_preview_fills_a_rule_on_a_real_customer_and_says_why_not(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    seeded = await seed_returning(session, owner)
    buyer = await _first_buyer(session, owner)
    csrf = await log_in(client, "admin@acme.example", owner.password)
    rules = {
        "csrf": csrf, **_rule("greeting", 0, "ko", "생일 축하드려요, {workspace}입니다!",
                              "birthday_month"),
        **_rule("greeting", 3, "ko", "지난번 {last_product} 문제는 해결되셨나요?", "recent_issue"),
        **_rule("greeting", 5, "ko", "첫 구매 감사합니다!", "first_purchase"),
        **_rule("closing", 0, "ko", "{next_tier}까지 {remaining} 남으셨어요.", "has_next_tier")}

    returning = await client.post(f"{PAGE}/preview", data={**rules,
                                                            "customer_id": str(seeded.customer_id)})
    assert returning.status_code == 200, returning.text
    lines = returning.json()["lines"]
    assert lines["greeting-3"] == {"text": "지난번 무선 청소기 문제는 해결되셨나요?", "applies": True,
                                   "why": "", "chosen": True}
    assert not lines["greeting-0"]["applies"] and "이번 달이 생일인 고객" in lines["greeting-0"]["why"]
    assert "첫 구매 고객" in lines["greeting-5"]["why"]  # three orders, not one
    assert lines["closing-0"]["text"] == "VIP까지 ₩120,000 남으셨어요."

    first = (await client.post(f"{PAGE}/preview", data={**rules, "customer_id": str(buyer)})).json()
    greet = first["lines"]
    assert greet["greeting-0"]["chosen"] and greet["greeting-0"]["text"] == "생일 축하드려요, 한빛리빙입니다!"
    assert greet["greeting-5"]["applies"] and not greet["greeting-5"]["chosen"]  # not the first
    assert not greet["greeting-3"]["applies"] and "{last_product}" in greet["greeting-3"]["why"] \
        or "최근 문의" in greet["greeting-3"]["why"]

    missing = await client.post(f"{PAGE}/preview", data={**rules, "customer_id": "999999"})
    assert missing.status_code == 404


async def test_typos_and_strangers_tiers_come_back_in_words_and_nothing_is_saved(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    csrf = await log_in(client, "admin@acme.example", owner.password)
    bad = await client.post(PAGE, data={"csrf": csrf, **_rule(
        "greeting", 0, "ko", "지난번 {last_prodcut} 잘 쓰세요?", "recent_issue")})
    assert bad.status_code == 422 and "unknown variable {last_prodcut}" in bad.text
    assert "지난번 {last_prodcut} 잘 쓰세요?" in bad.text  # what was typed stays
    tier = await client.post(PAGE, data={"csrf": csrf, **_rule(
        "closing", 0, "ko", "감사합니다", "tier:platinum")})
    assert tier.status_code == 422 and "unknown tier &#39;platinum&#39;" in tier.text
    long = await client.post(PAGE, data={"csrf": csrf, **_rule("closing", 0, "ko", "가" * 501)})
    assert long.status_code == 422 and "closing 1 text" in long.text
    workspace = await get_workspace(session, workspace_id=owner.workspace_id)
    await session.refresh(workspace)
    assert "recognition" not in (workspace.settings or {})
    assert (await client.post(PAGE, data=_rule("greeting", 0, "ko", "x"))).status_code == 403


async def test_an_agent_cannot_open_or_preview_the_editor(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    csrf = await log_in(client, owner.agent_email, owner.password)
    assert (await client.get(PAGE)).status_code == 403
    assert (await client.post(f"{PAGE}/preview", data={"csrf": csrf, "customer_id": "1"})
            ).status_code == 403
