"""An agent's day on the demo workspace, in Chromium, as one walk: 김민지 logs in and lands on
Mine; a shopper on a phone asks the bot for a person in the store's widget and the supervisor
gives her the chat, which she hears and sees as a desktop notification with a count in the tab
title; she answers (a double-click and a send while offline each arrive once), inserts a canned
reply with `/` and a filled variable, answers a 300-message conversation with the composer in
view, finds a customer by a Korean word and by phone and merges their duplicate, mentions a
colleague who sees it, transfers the conversation to him with a note, is whispered to by the
supervisor, resolves the shopper's chat with the closing message the shopper receives, and the
supervisor takes the long conversation over (screenshots `agent-day-*.png`: 1440×900, and
390×844 for the shopper's phone)."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import exists, func, or_, select

from omnidesk.core.events import PENDING, EventDelivery, OutboxEvent
from omnidesk.demo.loader import DEMO_PASSWORD
from omnidesk.domains.agents.service import get_user_by_email
from omnidesk.domains.conversations.actions import do_assign, do_receive_inbound
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.conversations.service import find_conversation
from omnidesk.domains.search.actions import do_index_all_messages
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in
from tests.e2e.test_agent_workspace import (
    GEOMETRY,
    LONG,
    RECORD_ALERTS,
    add_conversation,
    send_twice_and_offline,
)
from tests.e2e.test_bot_in_widget import DemoServer, demo_server  # noqa: F401 (fixture)
from tests.e2e.test_supervisor_live import in_database

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
AGENT, SUPERVISOR, COLLEAGUE = ("agent@hanbit.example", "supervisor@hanbit.example",
                                "dohyun.lee@hanbit.example")
ASK = "소파 배송 날짜를 바꾸고 싶어요. 상담원 연결해주세요"
PHONE_NUMBER = "+821055502468"
ALL_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


async def _the_day_before(session: Any) -> dict[str, int]:
    """What the day starts with besides the demo: a 300-message conversation of 김민지's, and a
    customer who wrote by SMS about a rocking chair and again by email under the same name."""
    before = await session.scalar(select(func.max(OutboxEvent.id))) or 0
    ws = await get_workspace_by_slug(session, slug="hanbit")
    ws.business_hours = {**ws.business_hours, "weekly": ALL_DAY, "holidays": []}  # a work day
    people = {email: (await get_user_by_email(session, workspace_id=ws.id, email=email)).id
              for email in (AGENT, SUPERVISOR, COLLEAGUE)}
    long_id = await add_conversation(session, workspace_id=ws.id, agent_id=people[AGENT],
                                     name="day-long", count=LONG)
    sms = await do_receive_inbound(session, workspace_id=ws.id, inbound=InboundMessage(
        channel="sms", identity_kind="phone", identity_value=PHONE_NUMBER,
        customer_name="최유리", text="흔들의자 다리가 삐걱거려요. 교환되나요?"))
    await do_receive_inbound(session, workspace_id=ws.id, inbound=InboundMessage(
        channel="email", identity_kind="email", identity_value="yuri@example.org",
        customer_name="최유리", text="메일로도 흔들의자 문의드려요"))
    conversation = await find_conversation(session, workspace_id=ws.id,
                                           conversation_id=sms.conversation_id)
    assert conversation is not None
    await do_assign(session, conv=conversation, assignee_id=people[AGENT])
    await session.flush()
    await do_index_all_messages(session)
    return {"long": long_id, "chair": sms.conversation_id, "events_before": before, **people}


def _wait_until_delivered(server: LiveServer, after: int) -> None:
    """Wait until the dispatcher has delivered every event after ``after``: the day before's
    assignments must not reach 김민지's page as news once she has logged in."""
    async def outstanding(session: Any) -> int:
        return int(await session.scalar(select(func.count()).select_from(OutboxEvent).where(
            OutboxEvent.id > after, or_(OutboxEvent.fanned_out.is_(False), exists().where(
                EventDelivery.event_id == OutboxEvent.id, EventDelivery.status == PENDING)))))
    deadline = time.monotonic() + 30
    while in_database(server.env["OMNIDESK_DATABASE_URL"], outstanding):
        assert time.monotonic() < deadline, "the dispatcher left events undelivered for 30 s"
        time.sleep(0.1)


def _conversation_of(text: str) -> Any:
    async def find(session: Any) -> int:
        return int(await session.scalar(select(Message.conversation_id)
                                        .where(Message.text == text)))
    return find


def _count(title: str) -> int:
    """The count of unseen alerts the tab title shows ("(2) 받은 대화함 · 한빛리빙")."""
    found = re.match(r"^\((\d+)\) ", title)
    return int(found.group(1)) if found else 0


def _shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"agent-day-{name}.png"))


def _staff(browser: Any, base: str, email: str) -> Any:
    page = browser.new_context(locale="ko-KR", viewport=DESKTOP).new_page()
    log_in(page, base, email, DEMO_PASSWORD)
    return page


def test_an_agent_s_day_on_the_demo(demo_server: DemoServer, browser: Any) -> None:  # noqa: F811
    # One function, not split: it is one continuous day, each step starting from the pages,
    # chats and alerts the steps before it left (the point of the walk).
    server = demo_server.server
    base = server.url
    ids = in_database(server.env["OMNIDESK_DATABASE_URL"], _the_day_before)
    _wait_until_delivered(server, ids["events_before"])

    # 김민지 logs in (her browser may show notifications) and lands on her own chats.
    desk_context = browser.new_context(locale="ko-KR", viewport=DESKTOP,
                                       permissions=["notifications"])
    desk_context.add_init_script(RECORD_ALERTS)
    desk = desk_context.new_page()
    log_in(desk, base, AGENT, DEMO_PASSWORD)
    expect(desk.locator("#views a.active")).to_have_attribute("data-view", "mine")
    mine = desk.locator("#conv-list .conv-item")
    mine.filter(has_text="메시지 298").wait_for()  # the long conversation's last line
    _shoot(desk, "01-mine")
    desk.click("#notify-menu summary")
    assert desk.is_checked("[data-notify=sound]") and desk.is_checked("[data-notify=title]")
    with desk.expect_response(lambda r: r.url.endswith("/profile/notifications")) as saved:
        desk.check("[data-notify=desktop]")
    assert saved.value.status == 204
    desk.click("#notify-menu summary")

    # A shopper on a phone asks the store's bot for a person.
    shopper_context = browser.new_context(locale="ko-KR", viewport=PHONE, has_touch=True,
                                          is_mobile=True)
    shop = shopper_context.new_page()
    shop.goto(base + "/demo/store")
    shop.locator("#omnidesk-widget >> .launcher").tap()
    chat = shop.frame_locator("#omnidesk-frame")
    chat.locator("#text").fill(ASK)
    chat.locator("#send").tap()
    chat.locator(".msg.me[data-id]").filter(has_text=ASK).wait_for()
    chat.locator(".msg.bot[data-id]").filter(has_text="연결해 드릴게요").wait_for(timeout=20000)
    _shoot(shop, "02-widget-phone")

    # The supervisor gives the chat to 김민지, who hears it, gets a desktop notification and a
    # count in the tab title, and sees it at the top of Mine without reloading.
    boss = _staff(browser, base, SUPERVISOR)
    shopper_chat = in_database(server.env["OMNIDESK_DATABASE_URL"], _conversation_of(ASK))
    boss.goto(f"{base}/conversations/{shopper_chat}")
    boss.wait_for_selector("#live-status.on")
    # (the demo's SLA clocks may alert her too, at any moment: only this alert is counted)
    before = desk.evaluate("() => ({...window.__alerts, title: document.title})")
    boss.select_option("#assignee-select", str(ids[AGENT]))
    tag = f"assigned-{shopper_chat}"
    desk.wait_for_function("tag => window.__alerts.tags.includes(tag)", arg=tag, timeout=20000)
    alerts = desk.evaluate("window.__alerts")
    assert alerts["tags"].count(tag) == 1, alerts
    assert alerts["notes"][alerts["tags"].index(tag)] == "새 대화가 배정되었습니다", alerts
    assert alerts["plays"] - before["plays"] >= 1, (before, alerts)  # the sound, once each
    assert alerts["plays"] - before["plays"] == len(alerts["tags"]) - len(before["tags"])
    expect(desk).to_have_title(re.compile(r"^\(\d+\) 받은 대화함"))
    assert _count(desk.title()) > _count(before["title"]), (before["title"], desk.title())
    new_chat = mine.filter(has=desk.locator(f"a[href^='/conversations/{shopper_chat}']"))
    new_chat.wait_for(timeout=30000)
    assert new_chat.locator(".wait-mark").count() == 1  # the bot's notice was no answer
    _shoot(desk, "03-assigned-notification")

    # She answers it: a double-click sends once, a reply written offline is sent once back online.
    new_chat.locator("a").click()
    desk.wait_for_url(f"{base}/conversations/{shopper_chat}*")
    desk.wait_for_selector("#live-status.on")
    agent_lines = desk.locator("#messages .msg.agent")
    send_twice_and_offline(desk, desk_context, agent_lines,
                           "안녕하세요, 김민지입니다. 배송 날짜 변경 도와드릴게요.",
                           "원하시는 날짜를 알려 주세요.",
                           lambda: _shoot(desk, "04-offline-retrying"))
    chat.locator(".msg.agent[data-id]").filter(has_text="원하시는 날짜를").wait_for(timeout=30000)

    # A canned reply with "/": its {workspace} is filled in before she sends it.
    box = desk.locator("#reply-text")
    box.press_sequentially("/마무", delay=40)
    picker = desk.locator("#canned-picker")
    picker.locator(".choice", has_text="/마무리").first.wait_for(timeout=30000)
    _shoot(desk, "05-canned-picker")
    box.press("Enter")
    canned = box.input_value()
    assert "한빛리빙 고객센터를 이용해" in canned and "{" not in canned, canned  # 리빙를: wrong
    desk.click("#send-button")
    chat.locator(".msg.agent[data-id]").filter(has_text="한빛리빙 고객센터").wait_for(timeout=30000)

    # The 300-message conversation: the newest line and the composer both in view.
    desk.goto(f"{base}/conversations/{ids['long']}")
    desk.locator("#messages .msg").nth(LONG - 1).wait_for()
    geometry = desk.evaluate(GEOMETRY)
    assert geometry["pageHeight"] <= DESKTOP["height"], geometry
    assert 0 <= geometry["composer"]["top"] < geometry["composer"]["bottom"] <= 900, geometry
    assert geometry["threadScrolls"] and geometry["threadAtBottom"], geometry
    desk.fill("#reply-text", "오래 기다리셨습니다. 확인 결과 내일 출고됩니다.")
    desk.press("#reply-text", "Enter")
    agent_lines.filter(has_text="내일 출고됩니다").wait_for()
    _shoot(desk, "06-long-conversation")

    # Finding a customer by a Korean word, then by phone, and merging the duplicate.
    desk.keyboard.press("Control+k")
    desk.keyboard.type("흔들의자")
    desk.wait_for_selector(f"#search-popover.open a[href^='/conversations/{ids['chair']}']")
    _shoot(desk, "07-search-korean")
    desk.fill("#search-input", "010-5550-2468")
    desk.wait_for_selector("#search-popover.open .customers-hits a.hit").click()
    desk.wait_for_selector("#merge li button")
    _shoot(desk, "08-customer-duplicate")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.click("#merge li button")
    desk.wait_for_selector("#merge li.muted")
    assert desk.locator("#conversations a").count() == 2  # the SMS and the email

    # A note naming a colleague, who sees it; then the conversation goes to him with a note.
    desk.goto(f"{base}/conversations/{ids['chair']}")
    desk.wait_for_selector("#live-status.on")
    desk.check("input[name=mode][value=note]")
    desk.fill("#reply-text", "@이도현님 흔들의자 교환 가능한지 봐 주실 수 있을까요?")
    desk.click("#send-button")
    desk.locator("#messages .msg.note").filter(has_text="교환 가능한지").wait_for()
    mate = _staff(browser, base, COLLEAGUE)
    mate.wait_for_selector("#mentions-badge:has-text('1')")
    mate.goto(f"{base}/mentions")
    assert "교환 가능한지" in mate.inner_text("main")
    _shoot(mate, "09-mention-seen")
    desk.check("input[name=mode][value=reply]")
    desk.fill(".transfer-note-input", "교환 접수 전입니다. 사진 받아 두었어요")
    desk.press(".transfer-note-input", "Enter")  # on to choosing who takes over, note kept
    assert desk.evaluate("document.activeElement.id") == "assignee-select"
    assert desk.url == f"{base}/conversations/{ids['chair']}"
    desk.select_option("#assignee-select", str(ids[COLLEAGUE]))
    moved = desk.locator("#messages .activity-transferred")
    moved.locator(".transfer-note").filter(has_text="사진 받아 두었어요").wait_for(timeout=30000)
    assert moved.count() == 1
    _shoot(desk, "10-transferred-with-note")
    mate.goto(f"{base}/conversations/{ids['chair']}")
    mate.locator(".activity-transferred .transfer-note").filter(has_text="사진 받아").wait_for()

    # The shopper writes again; the supervisor whispers to 김민지 (the shopper never sees it).
    desk.goto(f"{base}/conversations/{shopper_chat}")
    desk.wait_for_selector("#live-status.on")
    chat.locator("#text").fill("다음 주 화요일로 부탁드려요")
    chat.locator("#send").tap()
    desk.locator("#messages .msg.customer").filter(has_text="화요일").wait_for(timeout=30000)
    boss.wait_for_selector("#live-status.on")
    line = boss.locator("#supervise input[name=text]").bounding_box()
    pane = boss.locator("#conversation").bounding_box()
    assert line and pane and line["width"] > pane["width"] / 2, (line, pane)  # room to write
    boss.fill("#supervise input[name=text]", "변경 접수하고 마무리 인사로 해결하세요")
    boss.click("#supervise button[type=submit]")
    desk.locator("#messages .msg.whisper").filter(has_text="마무리 인사로").wait_for()
    _shoot(boss, "11-whisper-supervisor")
    _shoot(desk, "11-whisper-agent")

    # Resolving while the shopper's last message is unanswered: warned, the closing message
    # ready in the box; "send and resolve" delivers it to the shopper's phone.
    desk.click("#resolve-button")
    desk.locator("#resolve-menu .resolve-warning").wait_for()
    closing = desk.input_value("#resolve-menu textarea[name=closing]").strip()
    assert closing, "no closing message offered"
    _shoot(desk, "12-resolve-warning")
    desk.click("#resolve-with-closing")
    expect(desk.locator("#conv-status")).to_have_class(re.compile("st-resolved"))
    chat.locator(".msg.agent[data-id]").filter(has_text=closing).wait_for(timeout=30000)
    assert chat.locator(".msg").filter(has_text="마무리 인사로").count() == 0  # the whisper
    _shoot(shop, "13-closing-on-phone")

    # Nothing arrived twice, after a reload on both sides.
    desk.reload()
    desk.locator("#messages .msg").last.wait_for()
    shop.reload()
    shop.locator("#omnidesk-widget >> .launcher").tap()
    chat.locator(".msg.agent[data-id]").filter(has_text=closing).wait_for()
    for text in ("배송 날짜 변경 도와드릴게요", "원하시는 날짜를", "한빛리빙", closing):
        assert agent_lines.filter(has_text=text).count() == 1, text
        assert chat.locator(".msg.agent[data-id]").filter(has_text=text).count() == 1, text
    for text in (ASK, "다음 주 화요일로"):
        assert chat.locator(".msg.me[data-id]").filter(has_text=text).count() == 1, text
    _shoot(shop, "14-widget-after-reload-phone")

    # The supervisor takes the long conversation over from her.
    boss.goto(f"{base}/conversations/{ids['long']}")
    boss.wait_for_selector("#live-status.on")
    desk.goto(f"{base}/conversations/{ids['long']}")
    desk.wait_for_selector("#live-status.on")
    boss.once("dialog", lambda dialog: dialog.accept())
    boss.click("#supervise button.secondary")
    boss.wait_for_selector("#supervise button.secondary", state="detached")
    expect(desk.locator("#assignee-select")).to_have_value(str(ids[SUPERVISOR]), timeout=30000)
    _shoot(boss, "15-taken-over")
    _shoot(desk, "16-agent-after-take-over")
