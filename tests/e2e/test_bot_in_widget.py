"""In the demo store's widget the bot cancels a pending order, and hands off to a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.demo.loader import DEMO_PASSWORD
from omnidesk.domains.commerce.models import Order, OrderItem
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.workspaces.models import Workspace
from tests.demo_cache import demo_database_file
from tests.e2e.conftest import ARTIFACTS, LiveServer, free_port, log_in, run_async, server_env


async def _load_demo(path: Path) -> tuple[str, str, str, str, str, str]:
    """Load the demo workspace; return a pending order number and its customer's phone, and a
    delivered one-line order of a sofa that comes in other colours with its customer's phone."""
    report = (await demo_database_file(path, "extras")).report  # no reports here
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with create_session_factory(engine)() as session:
        # Here the store lets the bot serve VIPs too (by default a VIP who verifies is handed
        # to a person; tests/domains/bot covers that), so the scripted shoppers run the flows.
        workspace = await session.get(Workspace, report.workspace_id)
        assert workspace is not None
        workspace.settings = {**workspace.settings,
                              "bot": {**workspace.settings.get("bot", {}), "handoff_vip": False}}
        await session.commit()
        (order, phone), (order2, phone2) = (await session.execute(
            select(Order.external_id, Customer.phone)
            .join(Customer, Customer.id == Order.customer_id)
            .where(Order.status == "pending", Customer.phone.like("+8210%"))
            .order_by(Order.id).limit(2))).all()
        one_line = (select(OrderItem.order_id).group_by(OrderItem.order_id)
                    .having(func.count() == 1))
        sofa, sofa_phone = (await session.execute(
            select(Order.external_id, Customer.phone)
            .join(Customer, Customer.id == Order.customer_id)
            .join(OrderItem, OrderItem.order_id == Order.id)
            .where(Order.status == "delivered", OrderItem.item_external_id == "HB-SOF-3F-1",
                   Order.id.in_(one_line), Customer.phone.like("+8210%"))
            .order_by(Order.id).limit(1))).one()
        # The store reports the sofa delivered two days ago: inside the 7-day exchange window.
        sofa_row = await session.scalar(select(Order).where(Order.external_id == sofa))
        assert sofa_row is not None
        recent = (dt.date.today() - dt.timedelta(days=2)).isoformat()
        sofa_row.fulfillments = [*(sofa_row.fulfillments or []), {"delivered_at": recent}]
        await session.commit()
    await engine.dispose()
    return order, _local(phone), sofa, _local(sofa_phone), order2, _local(phone2)


def _local(phone: str) -> str:
    return "0" + phone.removeprefix("+82")


@dataclass(frozen=True)
class DemoServer:
    """The served demo and the orders the scripted customers ask about."""

    server: LiveServer
    pending_order: str
    pending_phone: str
    sofa_order: str
    sofa_phone: str
    other_order: str  # a second pending order (the first is cancelled by a test)
    other_phone: str


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """Serve the full demo workspace (bot on, knowledge base, routing) on a free port."""
    tmp: Path = tmp_path_factory.mktemp("demo")
    url = f"sqlite+aiosqlite:///{tmp / 'demo.db'}"
    order, phone, sofa, sofa_phone, order2, phone2 = run_async(_load_demo(tmp / "demo.db"))
    env = server_env(tmp, url)
    server = LiveServer(free_port(), env, tmp / "server.log")
    server.start()
    yield DemoServer(server, order, phone, sofa, sofa_phone, order2, phone2)
    server.stop()


def _open_chat(browser: Any, base: str, viewport: tuple[int, int] = (1280, 860)
               ) -> tuple[Any, Any]:
    page = browser.new_context(locale="ko-KR", viewport={"width": viewport[0],
                                                         "height": viewport[1]}).new_page()
    page.goto(base + "/demo/store")
    page.click("#omnidesk-widget >> .launcher")
    return page, page.frame_locator("#omnidesk-frame")


def _say(chat: Any, text: str, expect: str) -> None:
    before = chat.locator(".msg.bot[data-id]").count()
    chat.locator("#text").fill(text)
    chat.locator("#text").press("Enter")
    chat.locator(".msg.bot[data-id]").nth(before).wait_for(timeout=20000)
    try:
        chat.locator(".msg.bot[data-id]").filter(has_text=expect).last.wait_for(timeout=20000)
    except Exception as exc:  # say what the bot answered instead
        said = chat.locator(".msg.bot[data-id]").all_inner_texts()[before:]
        raise AssertionError(f"after {text!r} the bot said {said}, not {expect!r}") from exc


def test_a_customer_verifies_and_cancels_a_pending_order_with_the_bot(
    demo_server: DemoServer, browser: Any
) -> None:
    server, order, phone = demo_server.server, demo_server.pending_order, demo_server.pending_phone
    page, chat = _open_chat(browser, server.url)
    _say(chat, "주문 취소하고 싶어요", "본인 확인")
    _say(chat, f"{order} {phone}", "이유")
    _say(chat, "실수로 주문했어요", "취소할까요")
    _say(chat, "네", "취소했어요")
    assert "환불" in chat.locator(".msg.bot[data-id]").last.inner_text()
    page.screenshot(path=str(ARTIFACTS / "bot-cancel-flow.png"))


def test_asking_for_a_person_lands_with_an_agent_who_sees_the_summary(
    demo_server: DemoServer, browser: Any
) -> None:
    server = demo_server.server
    _, chat = _open_chat(browser, server.url)
    _say(chat, "세탁기 설치 일정 때문에 문의드려요. 상담원 연결해주세요", "상담원")

    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(agent, server.url, "supervisor@hanbit.example", DEMO_PASSWORD)
    agent.goto(server.url + "/inbox?view=all&status=open")
    item = agent.locator("#conv-list .conv-item").filter(has_text="상담원")
    item.first.wait_for(timeout=30000)
    item.first.locator("a").click()
    agent.locator("#messages .msg.customer").filter(has_text="세탁기 설치").wait_for(timeout=30000)
    note = agent.locator("#messages .msg.note").filter(has_text="챗봇 인계")
    note.wait_for(timeout=30000)
    assert "상담원 연결" in note.inner_text()

    # Beside it: help-center articles for the customer's question, one click into the reply.
    agent.locator(".kb-suggestions [data-kb-insert]").first.wait_for(timeout=30000)
    links = [v for v in agent.locator(".kb-suggestions [data-kb-insert]").evaluate_all(
        "els => els.map(e => e.dataset.kbInsert)") if "/help/hanbit/" in v]
    assert links, "a public help-center article is suggested with its link"
    agent.locator(f'.kb-suggestions [data-kb-insert="{links[0]}"]').click()
    assert agent.input_value("#reply-text") == links[0]
    agent.screenshot(path=str(ARTIFACTS / "bot-handoff-agent.png"))


def test_a_customer_exchanges_a_delivered_sofa_for_another_colour(
    demo_server: DemoServer, browser: Any
) -> None:
    page, chat = _open_chat(browser, demo_server.server.url)
    _say(chat, "소파 색상을 교환하고 싶어요", "본인 확인")
    _say(chat, f"{demo_server.sofa_order} {demo_server.sofa_phone}", "어떤 옵션")
    choices = chat.locator(".msg.bot[data-id]").last.inner_text()
    assert "아이보리" in choices and "차콜" in choices
    assert "네이비" not in choices  # out of stock
    _say(chat, "아이보리로 바꿔주세요", "교환 접수할까요")
    confirm = chat.locator(".msg.bot[data-id]").last.inner_text()
    assert "웜그레이" in confirm and "아이보리" in confirm and "추가 결제나 환불은 없어요" in confirm
    _say(chat, "네", "교환을 접수했어요")
    page.screenshot(path=str(ARTIFACTS / "bot-exchange-flow.png"))


@pytest.mark.parametrize("viewport", [(390, 844), (1440, 900)])  # the phone declines first
def test_the_customer_taps_the_bots_choices_and_sees_article_cards(
    demo_server: DemoServer, browser: Any, viewport: tuple[int, int]
) -> None:
    server, order, phone = demo_server.server, demo_server.other_order, demo_server.other_phone
    page, chat = _open_chat(browser, server.url, viewport)
    greeting = chat.locator(".msg.greeting").inner_text()
    assert "챗봇" in greeting  # one greeting: the window's, the bot's own words
    _say(chat, "주문 취소하고 싶어요", "본인 확인")
    assert "안녕하세요" not in chat.locator(".msg.bot[data-id]").last.inner_text()
    _say(chat, f"{order} {phone}", "이유")
    _say(chat, "?", "이유")
    _say(chat, "음...", "골라 주시거나")
    buttons = chat.locator(".msg.bot[data-id]").last.locator(".choices .choice")
    assert buttons.all_inner_texts() == ["더 이상 필요 없음", "실수로 주문", "상담원 연결"]
    page.screenshot(path=str(ARTIFACTS / f"bot-choices-{viewport[0]}.png"))
    before = chat.locator(".msg.bot[data-id]").count()
    buttons.filter(has_text="실수로 주문").click()
    chat.locator(".msg.bot[data-id]").nth(before).wait_for(timeout=20000)
    assert chat.locator(".msg.me").last.inner_text().startswith("실수로 주문")
    assert chat.locator(".choices.used .choice.on").last.inner_text() == "실수로 주문"
    confirm = chat.locator(".msg.bot[data-id]").last
    confirm.filter(has_text="취소할까요").wait_for(timeout=20000)
    assert confirm.locator(".choice").all_inner_texts() == ["네", "아니요"]
    answer, said = ("네", "취소했어요") if viewport[0] > 800 else ("아니요", "진행하지 않았어요")
    confirm.locator(".choice").filter(has_text=answer).click()
    chat.locator(".msg.bot[data-id]").filter(has_text=said).last.wait_for(timeout=20000)
    _say(chat, "배송비는 얼마예요?", "배송")
    card = chat.locator(".msg.bot[data-id]").last.locator(".cards .card").first
    card.wait_for(timeout=20000)
    assert "/help/hanbit/" in (card.get_attribute("href") or "")
    assert "http" not in chat.locator(".msg.bot[data-id]").last.locator(".bubble").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"bot-choices-done-{viewport[0]}.png"))


def test_a_korean_article_written_in_the_admin_is_what_the_bot_answers_with(
    demo_server: DemoServer, browser: Any
) -> None:
    base = demo_server.server.url
    editor = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}
                                 ).new_page()
    log_in(editor, base, "supervisor@hanbit.example", DEMO_PASSWORD)
    editor.goto(base + "/kb-admin/new")
    editor.fill("input[name=title]", "반려견과 함께 쇼룸에 들어갈 수 있나요?")
    editor.fill("input[name=slug]", "showroom-dogs")
    editor.fill("textarea[name=body]", "네, **목줄을 한 반려견**은 쇼룸에 함께 들어오실 수 있어요. "
                                       "소형견은 안고 입장해 주세요.")
    editor.locator("#preview strong").filter(has_text="목줄을 한 반려견").wait_for()
    for name, size in (("desktop", (1440, 900)), ("phone", (390, 844))):
        editor.set_viewport_size({"width": size[0], "height": size[1]})
        editor.screenshot(path=str(ARTIFACTS / f"kb-admin-new-{name}.png"), full_page=True)
    editor.click("form.kb-admin-new button")
    editor.wait_for_url(base + "/kb-admin/articles/*")
    editor.set_input_files("#kb-upload", files=[{
        "name": "dog.png", "mimeType": "image/png",
        "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32}])
    editor.locator("#preview img[alt='dog.png']").wait_for()
    assert "![dog.png](/help/hanbit/attachments/" in editor.input_value("textarea[name=body]")
    editor.click("button[name=action][value=publish]")
    editor.locator(".kb-badge").filter(has_text="게시됨").first.wait_for()
    editor.goto(base + "/kb-admin?q=showroom")
    editor.click(".kb-admin-io summary")
    assert editor.locator(".kb-admin-table tbody tr").count() == 1
    for name, size in (("desktop", (1440, 900)), ("phone", (390, 844))):
        editor.set_viewport_size({"width": size[0], "height": size[1]})
        editor.screenshot(path=str(ARTIFACTS / f"kb-admin-list-{name}.png"), full_page=True)

    page, chat = _open_chat(browser, base)
    _say(chat, "반려견 데리고 쇼룸 가도 되나요?", "목줄")
    page.screenshot(path=str(ARTIFACTS / "bot-answers-from-new-article.png"))


@pytest.mark.parametrize("viewport", [(1440, 900), (390, 844)])
def test_a_help_center_reader_contacts_us_from_an_article(
    demo_server: DemoServer, browser: Any, viewport: tuple[int, int]
) -> None:
    base = demo_server.server.url
    page = browser.new_context(locale="ko-KR", viewport={"width": viewport[0],
                                                         "height": viewport[1]}).new_page()
    page.goto(base + "/help/hanbit/ko/articles/warranty-periods")
    title = page.locator("h1").inner_text()
    page.locator(".help-contact-button").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"help-contact-{viewport[0]}.png"))
    page.click(".help-contact-button")
    chat = page.frame_locator("#omnidesk-frame")
    box = chat.locator("#text")
    expect_text = f"이 글에 대해 문의드려요: {title}"
    page.wait_for_function(
        "t => document.querySelector('#omnidesk-widget').shadowRoot"
        ".querySelector('#omnidesk-frame').classList.contains('open')", arg=None)
    chat.locator("#text").wait_for()
    for _ in range(50):
        if box.input_value().startswith(expect_text):
            break
        page.wait_for_timeout(100)
    assert box.input_value() == (f"{expect_text} ({base}/help/hanbit/ko/articles/"
                                 "warranty-periods)")
    page.screenshot(path=str(ARTIFACTS / f"help-contact-chat-{viewport[0]}.png"))
    box.press("Enter")
    chat.locator(".msg.me[data-id]").filter(has_text=title).wait_for(timeout=30000)
