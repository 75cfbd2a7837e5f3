"""The agent workspace at real screen sizes: a 300-message conversation keeps its reply box in view,
each pane scrolls on its own, and a send is delivered once whatever the network does."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.domains.agents.service import get_user_by_email
from omnidesk.domains.conversations.actions import do_assign, do_receive_inbound
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.conversations.service import find_conversation
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from tests.e2e.conftest import (
    ARTIFACTS,
    LiveServer,
    _prepare,
    free_port,
    log_in,
    run_async,
    server_env,
)
from tests.e2e.test_supervisor_live import in_database

SIZES = [(1280, 720), (1440, 900), (1920, 1080)]
LONG = 300


async def add_conversation(session: Any, *, workspace_id: int, agent_id: int, name: str,
                           count: int) -> int:
    """Give the agent a web conversation of ``count`` messages (the customer's first one came
    in; the rest are stored as rows: the thread's rendering is under test, not the message
    path); return its id."""
    first = await do_receive_inbound(session, workspace_id=workspace_id, inbound=InboundMessage(
        channel=WEB.kind, identity_kind=WEB.identity_kind, identity_value=f"visitor-{name}",
        text=f"{name} 대화의 첫 메시지", provider_message_id=f"seed-{name}"))
    conversation = await find_conversation(session, workspace_id=workspace_id,
                                           conversation_id=first.conversation_id)
    assert conversation is not None
    await do_assign(session, conv=conversation, assignee_id=agent_id)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=count)
    session.add_all(Message(
        workspace_id=workspace_id, conversation_id=conversation.id, channel=WEB.kind,
        direction="outbound" if i % 2 else "inbound",
        author_kind="agent" if i % 2 else "customer", author_id=agent_id if i % 2 else None,
        text=f"메시지 {i} " + "긴 내용 " * (i % 15), created_at=start + dt.timedelta(minutes=i))
        for i in range(count - 1))
    conversation.message_count = count
    return conversation.id


async def _seed(url: str) -> dict[str, int]:
    """Give the agent a conversation of 300 messages and a short one."""
    await _prepare(url)
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        ws = await get_workspace_by_slug(session, slug="hanbit")
        agent = await get_user_by_email(session, workspace_id=ws.id, email="agent@hanbit.example")
        ids = {name: await add_conversation(session, workspace_id=ws.id, agent_id=agent.id,
                                            name=name, count=count)
               for name, count in (("long", LONG), ("short", 1))}
        await session.commit()
    await engine.dispose()
    return ids


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, int]]]:
    """One server for the module, with the seeded conversations."""
    tmp = tmp_path_factory.mktemp("workspace")
    url = f"sqlite+aiosqlite:///{tmp / 'e2e.db'}"
    ids = run_async(_seed(url))
    env = server_env(tmp, url)
    live = LiveServer(free_port(), env, tmp / "server.log")
    live.start()
    yield live, ids
    live.stop()


@pytest.fixture
def chromium(browser: Any) -> Any:
    """The module's headless Chromium (see tests/e2e/conftest.py)."""
    return browser


GEOMETRY = """() => {
  const box = (id) => document.getElementById(id).getBoundingClientRect();
  const list = document.querySelector('.list-pane'), thread = document.getElementById('messages');
  return {vw: innerWidth, vh: innerHeight, pageHeight: document.documentElement.scrollHeight,
          pageWidth: document.documentElement.scrollWidth,
          composer: box('composer').toJSON(), send: box('send-button').toJSON(),
          threadScrolls: thread.scrollHeight > thread.clientHeight + 100,
          threadAtBottom: thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40,
          listScrolls: list ? getComputedStyle(list).overflowY : null,
          side: getComputedStyle(document.querySelector('.side-pane')).overflowY};
}"""


def test_a_300_message_conversation_keeps_the_composer_in_view_at_each_size(
    server: tuple[LiveServer, dict[str, int]], chromium: Any
) -> None:
    live, ids = server
    context = chromium.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in(page, live.url, "agent@hanbit.example")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live.url}/conversations/{ids['long']}")
        page.locator("#messages .msg").nth(LONG - 1).wait_for()
        g = page.evaluate(GEOMETRY)
        assert g["pageHeight"] <= height, (width, g)  # the page itself never scrolls
        assert 0 <= g["composer"]["top"] and g["composer"]["bottom"] <= height, (width, g)
        assert g["threadScrolls"] and g["threadAtBottom"], (width, g)
        assert g["listScrolls"] == "auto" and g["side"] == "auto", (width, g)
        page.screenshot(path=str(ARTIFACTS / f"workspace-300-messages-{width}x{height}.png"))
    page.fill("#reply-text", "끝까지 보이는 답장")
    page.click("#send-button")
    page.locator("#messages .msg.agent").filter(has_text="끝까지 보이는 답장").wait_for()
    context.close()


def test_on_a_phone_the_workspace_shows_one_pane_with_the_composer_in_view(
    server: tuple[LiveServer, dict[str, int]], chromium: Any
) -> None:
    live, ids = server
    context = chromium.new_context(locale="ko-KR", viewport={"width": 390, "height": 844},
                                   has_touch=True, is_mobile=True)
    page = context.new_page()
    log_in(page, live.url, "agent@hanbit.example")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "workspace-phone-list.png"))
    page.goto(f"{live.url}/conversations/{ids['long']}")
    page.locator("#messages .msg").nth(LONG - 1).wait_for()
    g = page.evaluate(GEOMETRY)
    assert g["pageWidth"] <= 390 and g["pageHeight"] <= 844, g
    assert g["send"]["right"] <= 390 and g["composer"]["bottom"] <= 844, g
    page.screenshot(path=str(ARTIFACTS / "workspace-phone-conversation.png"))
    page.tap("[data-toggle-side]")
    page.locator(".side-pane").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "workspace-phone-customer.png"))
    context.close()


def test_the_widget_on_a_phone_sends_when_send_is_tapped(
    server: tuple[LiveServer, dict[str, int]], chromium: Any
) -> None:
    live, _ = server
    context = chromium.new_context(locale="ko-KR", viewport={"width": 390, "height": 844},
                                   has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(live.url + "/demo/store")
    page.locator("#omnidesk-widget >> .launcher").tap()
    chat = page.frame_locator("#omnidesk-frame")
    chat.locator("#text").fill("휴대폰에서 보냅니다")
    for width in (360, 430, 390):  # the narrowest and widest common phones, then the tested one
        page.set_viewport_size({"width": width, "height": 844})
        send = chat.locator("#send").bounding_box()
        assert send is not None and send["x"] + send["width"] <= width
        # Nothing of the page lies over the send button: the top element there is the chat.
        top = page.evaluate("""([x, y]) => {
            const root = document.getElementById('omnidesk-widget').shadowRoot;
            const el = root.elementFromPoint(x, y); return el ? el.id || el.className : null;
        }""", [send["x"] + send["width"] / 2, send["y"] + send["height"] / 2])
        assert top == "omnidesk-frame", (width, top)
    chat.locator("#send").tap()
    chat.locator(".msg.me[data-id]").filter(has_text="휴대폰에서 보냅니다").wait_for()
    assert page.locator("#omnidesk-frame").is_visible()
    page.screenshot(path=str(ARTIFACTS / "widget-phone-390x844.png"))
    context.close()


def send_twice_and_offline(page: Any, context: Any, thread: Any, twice: str, offline: str,
                           while_offline: Callable[[], None]) -> None:
    """Double-click Send on one reply, then send another offline: the composer says it is
    retrying ("다시 시도") and the reply arrives once the connection is back."""
    page.fill("#reply-text", twice)
    page.dblclick("#send-button")
    thread.filter(has_text=twice).wait_for()
    context.set_offline(True)
    page.fill("#reply-text", offline)
    page.press("#reply-text", "Enter")
    page.locator("#composer.not-sent #composer-error").filter(has_text="다시 시도").wait_for()
    while_offline()
    context.set_offline(False)
    thread.filter(has_text=offline).wait_for(timeout=20000)


def test_a_double_click_and_a_send_while_offline_each_deliver_once(
    server: tuple[LiveServer, dict[str, int]], chromium: Any
) -> None:
    live, ids = server
    context = chromium.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900},
                                   permissions=["notifications"])
    context.add_init_script(RECORD_ALERTS)
    page = context.new_page()
    log_in(page, live.url, "agent@hanbit.example")
    page.goto(f"{live.url}/conversations/{ids['short']}")
    page.wait_for_selector("#live-status.on")
    thread = page.locator("#messages .msg.agent")

    # Without a mouse: "?" lists the shortcuts, Esc closes it, "r" puts the cursor in the reply.
    page.keyboard.press("?")
    page.locator("#shortcut-sheet[open]").wait_for()
    page.screenshot(path=str(ARTIFACTS / "workspace-shortcuts.png"))
    page.keyboard.press("Escape")
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "reply-text"

    send_twice_and_offline(page, context, thread, "두 번 눌러도 한 번", "연결이 끊긴 동안 쓴 답장",
                           lambda: page.screenshot(
                               path=str(ARTIFACTS / "workspace-send-offline-retrying.png")))
    assert page.locator("#composer.not-sent").count() == 0
    assert page.input_value("#reply-text") == ""

    page.reload()
    page.locator("#messages .msg").last.wait_for()
    for text in ("두 번 눌러도 한 번", "연결이 끊긴 동안"):
        assert thread.filter(has_text=text).count() == 1, text

    # A new conversation assigned to the agent: a desktop notification (turned on in the bell
    # menu, which asks the browser's permission and saves it on the agent), the sound, and a
    # count in the tab title.
    page.wait_for_selector("#live-status.on")
    page.click("#notify-menu summary")
    assert page.is_checked("[data-notify=title]") and page.is_checked("[data-notify=sound]")
    assert not page.is_checked("[data-notify=desktop]")
    with page.expect_response(lambda r: r.url.endswith("/profile/notifications")) as saved:
        page.check("[data-notify=desktop]")
    assert saved.value.status == 204
    page.reload()  # kept on the agent, not in this page
    page.wait_for_selector("#live-status.on")
    assert page.is_checked("[data-notify=desktop]")
    in_database(live.env["OMNIDESK_DATABASE_URL"], _assign_new_chat)
    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile(r"^\(1\) "), timeout=20000)
    alerts = page.evaluate("window.__alerts")
    assert alerts["notes"] == ["새 대화가 배정되었습니다"] and alerts["plays"] == 1, alerts
    page.click("#notify-menu summary")
    page.screenshot(path=str(ARTIFACTS / "workspace-notifications.png"))
    context.close()


# Records what the page shows the agent: desktop notifications made and sounds played.
RECORD_ALERTS = """
window.__alerts = {notes: [], tags: [], plays: 0};
const RealNotification = window.Notification;
window.Notification = new Proxy(RealNotification, {
  construct(target, args) {
    window.__alerts.notes.push(args[1] && args[1].body);
    window.__alerts.tags.push(args[1] && args[1].tag);
    return new target(...args);
  },
  get(target, name) { const v = target[name]; return typeof v === "function" ? v.bind(target) : v; },
});
const realPlay = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  window.__alerts.plays += 1;
  return realPlay.call(this).catch(() => undefined);
};
"""


async def _assign_new_chat(session: Any) -> None:
    ws = await get_workspace_by_slug(session, slug="hanbit")
    agent = await get_user_by_email(session, workspace_id=ws.id, email="agent@hanbit.example")
    msg = await do_receive_inbound(session, workspace_id=ws.id, inbound=InboundMessage(
        channel=WEB.kind, identity_kind=WEB.identity_kind, identity_value="visitor-new",
        text="방금 들어온 문의예요"))
    conversation = await find_conversation(session, workspace_id=ws.id,
                                           conversation_id=msg.conversation_id)
    assert conversation is not None
    await do_assign(session, conv=conversation, assignee_id=agent.id)


def test_the_api_reference_renders_with_no_internet(
        server: tuple[LiveServer, dict[str, int]], chromium: Any) -> None:
    """/api/docs (Swagger UI) and /api/redoc draw the OpenAPI document from assets the app
    serves itself: every request that would leave 127.0.0.1 is refused."""
    live, _ids = server
    page = chromium.new_context(viewport={"width": 1440, "height": 900}).new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def offline(route: Any) -> None:
        if route.request.url.startswith(live.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(f"{live.url}/api/docs")
    page.locator(".swagger-ui .info .title").filter(has_text="omnidesk").wait_for(timeout=20000)
    assert page.locator(".opblock").count() > 50  # every operation of the document is listed
    page.screenshot(path=str(ARTIFACTS / "api-docs-desktop.png"))
    page.goto(f"{live.url}/api/redoc")
    page.locator("h1").filter(has_text="omnidesk").wait_for(timeout=20000)
    page.screenshot(path=str(ARTIFACTS / "api-redoc-desktop.png"))
    assert outside == []
    # ReDoc's own "powered by" logo points at its CDN: refused (an image), nothing else is
    blocked = [e for e in errors if "Content Security Policy" in e and "Loading the image" not in e]
    assert blocked == [], blocked
