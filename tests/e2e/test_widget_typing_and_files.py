"""Typing indicators, read receipts and attachments between the widget and the agent, in Chromium."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.e2e.conftest import LiveServer, log_in, visitor_says

# A real 1×1 PNG: the server checks the leading bytes against the declared type.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_typing_receipts_and_files_travel_both_ways(live_server: LiveServer, browser: Any) -> None:
    base = live_server.url
    visitor = browser.new_context(locale="ko-KR").new_page()
    chat = visitor_says(visitor, base, "사진 보내드릴게요")

    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 860}).new_page()
    log_in(agent, base, "agent@hanbit.example")
    agent.click("#views a[data-view=unassigned]")  # agents land on "Mine"; a new chat is unassigned
    agent.wait_for_selector("#live-status.on")
    item = agent.locator("#conv-list .conv-item").filter(has_text="사진 보내드릴게요")
    item.wait_for(timeout=30000)
    item.locator("a").click()
    agent.locator("#messages .msg.customer").filter(has_text="사진 보내드릴게요").wait_for()
    agent.wait_for_selector("#live-status.on")  # the conversation page's own socket is up

    # The agent has the conversation open: the visitor sees their message marked read.
    chat.locator(".msg.me[data-id] .meta .read").first.wait_for(timeout=30000)

    # Typing shows on the other side while someone writes.
    assert agent.locator("#typing").is_hidden()
    chat.locator("#text").press_sequentially("잠시만", delay=30)
    agent.locator("#typing").wait_for(state="visible", timeout=30000)
    assert chat.locator("#typing").is_hidden()
    # Writing a private note is not shown to the customer as typing…
    agent.locator("#composer label.tab.note").click()
    agent.locator("#reply-text").press_sequentially("고객 사진 확인 필요", delay=30)
    agent.wait_for_timeout(3000)
    assert chat.locator("#typing").is_hidden()
    agent.fill("#reply-text", "")
    # …writing a reply is.
    agent.locator("#composer input[name=mode][value=reply]").check()
    agent.wait_for_timeout(2100)  # past the 2 s throttle of typing signals
    agent.locator("#reply-text").press_sequentially("네", delay=30)
    chat.locator("#typing").wait_for(state="visible", timeout=30000)
    agent.fill("#reply-text", "")
    chat.locator("#text").fill("")

    # The visitor sends a picture: both sides show the image, served back byte for byte.
    chat.locator("#file").set_input_files(
        {"name": "설치사진.png", "mimeType": "image/png", "buffer": PNG})
    chat.locator(".msg.me[data-id] img").wait_for(timeout=30000)
    image = agent.locator("#messages .msg.customer img.attachment-image")
    image.wait_for(timeout=30000)
    source = image.get_attribute("src") or ""
    cookies = {c["name"]: c["value"] for c in agent.context.cookies()}
    served = httpx.get(base + source, cookies=cookies)
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"].startswith("image/png")

    # A file type the workspace does not accept is refused with a message, nothing is sent.
    chat.locator("#file").set_input_files(
        {"name": "setup.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ\x90\x00"})
    chat.locator("#error").wait_for(state="visible", timeout=30000)
    assert chat.locator(".msg.me", has_text="setup.exe").count() == 0

    # The agent answers with a PDF: the visitor gets a link to it.
    agent.locator("#composer input[type=file]").set_input_files(
        {"name": "install-guide.pdf", "mimeType": "application/pdf", "buffer": PDF})
    agent.fill("#reply-text", "설치 안내서를 보내드립니다.")
    agent.press("#reply-text", "Enter")
    agent.locator("#messages .msg.agent a.attachment-file").filter(
        has_text="install-guide.pdf").wait_for(timeout=30000)
    link = chat.locator(".msg.agent[data-id] a").filter(has_text="install-guide.pdf")
    link.wait_for(timeout=30000)
    assert chat.locator(".msg.agent[data-id]").filter(has_text="설치 안내서").count() == 1
    href = link.get_attribute("href") or ""
    pdf = httpx.get(href if href.startswith("http") else base + href)  # as the visitor: no cookies
    assert pdf.status_code == 200 and pdf.content == PDF
