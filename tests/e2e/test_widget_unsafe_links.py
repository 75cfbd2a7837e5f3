"""An agent- or API-supplied javascript:/data: attachment URL never becomes a link, in Chromium."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in, visitor_says

UNSAFE = ["javascript:alert(document.domain)", " JaVaScRiPt:alert(1)",
          "data:text/html,<script>alert(1)</script>", "java\tscript:alert(1)"]
GUIDE = "https://cdn.example.com/install-guide.pdf"


def test_the_widget_shows_unsafe_attachment_urls_as_text_and_safe_ones_as_links(
        live_server: LiveServer, browser: Any) -> None:
    base = live_server.url
    visitor = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844}
                                  ).new_page()
    dialogs: list[str] = []
    visitor.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    chat = visitor_says(visitor, base, "설치 안내서 받을 수 있나요?")

    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}
                                ).new_page()
    log_in(agent, base, "agent@hanbit.example")
    agent.click("#views a[data-view=unassigned]")  # agents land on "Mine"; a new chat is unassigned
    agent.wait_for_selector("#live-status.on")
    item = agent.locator("#conv-list .conv-item").filter(has_text="설치 안내서")
    item.wait_for(timeout=30000)
    item.locator("a").click()
    agent.wait_for_url(re.compile(r".*/conversations/\d+"))
    conversation_id = re.search(r"/conversations/(\d+)", agent.url).group(1)
    files = [{"name": f"unsafe-{n}.pdf", "content_type": kind, "url": url}
             for n, url in enumerate(UNSAFE) for kind in ("application/pdf", "image/png")]
    files.append({"name": "install-guide.pdf", "content_type": "application/pdf", "url": GUIDE})
    sent = agent.request.post(f"{base}/api/v1/conversations/{conversation_id}/messages",
                              data={"text": "안내서를 보내드립니다.", "attachments": files})
    assert sent.status == 201, sent.text()

    reply = chat.locator(".msg.agent[data-id]").filter(has_text="안내서를 보내드립니다")
    reply.wait_for(timeout=20000)
    reply.locator("a").filter(has_text="install-guide.pdf").wait_for()
    hrefs = reply.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs == [GUIDE]
    assert reply.locator("img").count() == 0
    assert reply.locator(".file-unavailable").count() == len(files) - 1
    reply.locator(".file-unavailable").first.click()  # plain text: clicking runs nothing
    visitor.screenshot(path=str(ARTIFACTS / "widget-unsafe-links-phone.png"))
    assert dialogs == []

    agent.locator("#messages .msg.agent").filter(has_text="안내서를 보내드립니다").wait_for()
    agent_hrefs = agent.locator("#messages a, #messages img").evaluate_all(
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))")
    unsafe = re.compile(r"\s*(javascript|data):", re.IGNORECASE)
    assert not [h for h in agent_hrefs if unsafe.match(h or "")]
    agent.screenshot(path=str(ARTIFACTS / "widget-unsafe-links-agent.png"))
