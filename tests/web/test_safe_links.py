"""Only http(s) URLs and paths on this site ever become links or images in the agent UI."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.web.rendering import safe_url
from tests.conftest import Persona
from tests.domains.assist.conftest import log_in

UNSAFE = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
          "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
          "vbscript:msgbox(1)", "//evil.example/x.pdf", "/\\evil.example/x.pdf",
          "https:evil.example", "\x00javascript:alert(1)", ""]
SAFE = ["https://cdn.example.com/guide.pdf", "HTTP://cdn.example.com/a.png",
        "/attachments/1/AbCdEfGhIjKlMnOpQrStUvWxYz012345.pdf"]


@pytest.mark.parametrize("url", UNSAFE)
def test_a_url_that_is_not_http_or_a_local_path_is_never_a_link(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize("url", SAFE)
def test_http_urls_and_local_paths_stay_links(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_conversation_page_shows_an_unsafe_attachment_url_as_plain_text(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    inbound = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=(
        InboundMessage(channel="web", identity_kind="web_visitor", identity_value="v-9",
                       text="파일 주세요")))
    await session.commit()
    files = [{"name": f"file-{n}", "content_type": kind, "url": url}
             for n, url in enumerate(UNSAFE[:-1]) for kind in ("application/pdf", "image/png")]
    files.append({"name": "guide", "content_type": "application/pdf", "url": SAFE[0]})
    sent = await client.post(f"/api/v1/conversations/{inbound.conversation_id}/messages",
                             headers=owner.headers,
                             json={"text": "자료입니다", "attachments": files})
    assert sent.status_code == 201, sent.text
    await log_in(client, owner.agent_email, owner.password)
    page = (await client.get(f"/conversations/{inbound.conversation_id}")).text
    links = re.findall(r'(?:href|src)="([^"]*)"', page)
    unsafe = re.compile(r"\s*(javascript|data|vbscript):|//|/\\", re.IGNORECASE)
    assert not [u for u in links if unsafe.match(u)]
    assert f'href="{SAFE[0]}"' in page
    assert page.count('data-attachment-state="missing"') == len(files) - 1
