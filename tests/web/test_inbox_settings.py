"""The inboxes page: admins connect, check, edit and disconnect channels from generated forms
(secrets never shown back); the hours page edits weekly hours, holidays and overrides."""

from __future__ import annotations

import html
import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import system_actor
from omnidesk.domains.agents.actions import do_create_user
from omnidesk.domains.agents.schemas import UserCreate
from omnidesk.domains.inboxes.service import list_inboxes
from omnidesk.domains.workspaces.service import get_workspace
from tests.channels.conftest import provider, provider_server  # noqa: F401 (fixtures)
from tests.channels.email.test_dovecot_imap import PASSWORD as IMAP_PASSWORD
from tests.channels.email.test_dovecot_imap import USER as IMAP_USER
from tests.channels.email.test_dovecot_imap import Dovecot, dovecot  # noqa: F401 (fixture)
from tests.channels.email.test_email_smtp_end_to_end import Mailbox, smtp_server  # noqa: F401
from tests.channels.fake_provider import GRAPH_TOKEN, TELEGRAM_TOKEN, FakeProvider, free_port
from tests.conftest import Persona
from tests.web.test_supervisor import log_in

ADMIN = "admin@acme.example"


async def _inbox_id(session: AsyncSession, ws: int, name: str) -> int:
    session.expire_all()
    return next(i.id for i in await list_inboxes(session, workspace_id=ws) if i.name == name)


async def test_an_admin_connects_checks_edits_and_disconnects_a_telegram_bot(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        provider: FakeProvider) -> None:  # noqa: F811
    csrf = await log_in(client, ADMIN, owner.password)
    form = await client.get("/settings/inboxes/new/telegram")
    assert form.status_code == 200
    assert 'name="bot_token" type="password"' in form.text  # generated from TelegramConfig
    bad = await client.post("/settings/inboxes/new/telegram", data={
        "csrf": csrf, "name": "샵봇", "bot_token": TELEGRAM_TOKEN, "secret_token": "no spaces!",
        "api_base_url": provider.base_url})
    assert bad.status_code == 422 and "secret_token must be" in bad.text
    assert TELEGRAM_TOKEN not in bad.text and 'value="샵봇"' in bad.text  # typed text kept
    created = await client.post("/settings/inboxes/new/telegram", data={
        "csrf": csrf, "name": "샵봇", "bot_token": TELEGRAM_TOKEN, "secret_token": "hook_secret",
        "api_base_url": provider.base_url})
    assert created.status_code == 303
    inbox_id = await _inbox_id(session, owner.workspace_id, "샵봇")
    page = await client.get(f"/settings/inboxes/{inbox_id}")
    assert "/webhooks/telegram/" in page.text
    assert TELEGRAM_TOKEN not in page.text and "hook_secret" not in page.text

    checked = await client.post(f"/settings/inboxes/{inbox_id}/check", data={"csrf": csrf})
    assert "@shop_bot (Shop bot)" in checked.text
    assert [r.path for r in provider.received] == [f"/bot{TELEGRAM_TOKEN}/getMe"]

    # Saving with the secrets left blank keeps them; a wrong token is reported in words.
    saved = await client.post(f"/settings/inboxes/{inbox_id}", data={
        "csrf": csrf, "name": "샵봇 2", "is_active": "on", "bot_token": "",
        "secret_token": "", "api_base_url": provider.base_url})
    assert saved.status_code == 303
    again = await client.post(f"/settings/inboxes/{inbox_id}/check", data={"csrf": csrf})
    assert "@shop_bot" in again.text and "샵봇 2" in again.text
    await client.post(f"/settings/inboxes/{inbox_id}", data={
        "csrf": csrf, "name": "샵봇 2", "is_active": "on", "bot_token": "999:wrong",
        "secret_token": "", "api_base_url": provider.base_url})
    wrong = await client.post(f"/settings/inboxes/{inbox_id}/check", data={"csrf": csrf})
    assert "Telegram refused the bot token (401 Unauthorized)" in wrong.text
    assert "999:wrong" not in wrong.text

    gone = await client.post(f"/settings/inboxes/{inbox_id}/delete", data={"csrf": csrf})
    assert gone.status_code == 303
    assert "샵봇" not in (await client.get("/settings/inboxes")).text


async def test_the_email_check_logs_in_to_smtp_and_imap_and_names_the_failure(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        smtp_server: tuple[Mailbox, int], dovecot: Dovecot) -> None:  # noqa: F811
    mailbox, smtp_port = smtp_server
    csrf = await log_in(client, ADMIN, owner.password)
    fields = {"csrf": csrf, "name": "Support mail", "address": "support@example.com",
              "display_name": "Support", "message_id_domain": "mail.example.com",
              "outbound_charset": "utf-8", "use:smtp": "on", "smtp.host": "127.0.0.1",
              "smtp.port": str(smtp_port), "smtp.security": "none",
              "smtp.timeout_seconds": "5", "use:imap": "on", "imap.host": "127.0.0.1",
              "imap.port": str(dovecot.port), "imap.username": IMAP_USER,
              "imap.password": IMAP_PASSWORD, "imap.mailbox": "INBOX",
              "imap.poll_seconds": "60"}
    assert (await client.post("/settings/inboxes/new/email", data=fields)).status_code == 303
    inbox_id = await _inbox_id(session, owner.workspace_id, "Support mail")
    page = await client.get(f"/settings/inboxes/{inbox_id}")
    assert IMAP_PASSWORD not in page.text
    ok = await client.post(f"/settings/inboxes/{inbox_id}/check", data={"csrf": csrf})
    assert f"SMTP 127.0.0.1:{smtp_port}, IMAP 127.0.0.1:{dovecot.port} INBOX" in ok.text
    assert mailbox.mails == []  # the check logs in; it sends nothing

    await client.post(f"/settings/inboxes/{inbox_id}", data={
        **fields, "is_active": "on", "imap.password": "not-the-password"})
    refused = await client.post(f"/settings/inboxes/{inbox_id}/check", data={"csrf": csrf})
    assert f"IMAP 127.0.0.1:{dovecot.port} refused" in refused.text
    closed = free_port()
    await client.post(f"/settings/inboxes/{inbox_id}", data={
        **fields, "is_active": "on", "smtp.port": str(closed)})
    unreachable = await client.post(f"/settings/inboxes/{inbox_id}/check", data={"csrf": csrf})
    assert f"cannot reach SMTP 127.0.0.1:{closed}" in unreachable.text


async def test_the_web_inbox_styles_the_widget_the_frame_then_shows(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    csrf = await log_in(client, ADMIN, owner.password)
    await client.post("/settings/inboxes/new/web", data={"csrf": csrf, "name": "Website"})
    inbox_id = await _inbox_id(session, owner.workspace_id, "Website")
    page = await client.get(f"/settings/inboxes/{inbox_id}")
    assert f'widget.js" data-workspace="{owner.slug}"' in html.unescape(page.text)  # snippet
    workspace = await get_workspace(session, workspace_id=owner.workspace_id)
    assert workspace.secret in page.text  # the identity secret, for admins
    saved = await client.post(f"/settings/inboxes/{inbox_id}/widget", data={
        "csrf": csrf, "color": "#e8590c", "position": "left", "launcher_text_ko": "상담하기",
        "launcher_text_en": "Chat", "title_ko": "한빛 상담", "title_en": "Hanbit", "greeting_ko":
        "반가워요", "greeting_en": "Hi", "offline_ko": "지금은 쉬어요", "offline_en": "Away",
        "prechat_name": "on", "allowed_sites": "https://shop.example.com"})
    assert saved.status_code == 303
    frame = await client.get(f"/widget/frame?workspace={owner.slug}",
                             headers={"Accept-Language": "ko"})
    assert 'data-color="#e8590c"' in frame.text and 'data-position="left"' in frame.text
    assert 'data-launcher="상담하기"' in frame.text and "한빛 상담" in frame.text
    assert 'name="name"' in frame.text and 'name="email"' not in frame.text
    assert "frame-ancestors 'self' https://shop.example.com" in \
        frame.headers["content-security-policy"]
    bad = await client.post(f"/settings/inboxes/{inbox_id}/widget", data={
        "csrf": csrf, "color": "orange", "position": "left"})
    assert bad.status_code == 422 and "color" in bad.text


async def test_hours_take_an_overnight_window_holidays_and_korean_public_holidays(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    csrf = await log_in(client, ADMIN, owner.password)
    week = {f"{d}.0.start": "09:00" for d in ("mon", "tue", "wed", "thu", "fri")}
    week.update({f"{d}.0.end": "18:00" for d in ("mon", "tue", "wed", "thu", "fri")})
    saved = await client.post("/settings/hours", data={
        "csrf": csrf, **week, "fri.1.start": "22:00", "fri.1.end": "06:00",
        "holiday.0.date": "2027-03-02", "holiday.0.name": "창립기념일"})
    assert saved.status_code == 303
    page = await client.get("/settings/hours")
    assert 'value="22:00"' in page.text and 'value="06:00"' in page.text
    assert "창립기념일" in page.text
    assert 'id="next-open"' in page.text or 'id="next-close"' in page.text  # the calendar's
    half = await client.post("/settings/hours", data={"csrf": csrf, "mon.0.start": "09:00"})
    assert half.status_code == 422 and "mon" in half.text
    imported = await client.post("/settings/hours", data={
        "csrf": csrf, **week, "holiday.0.date": "2027-03-02", "holiday.0.name": "창립기념일",
        "import_year": "2027"})
    assert imported.status_code == 303
    workspace = await get_workspace(session, workspace_id=owner.workspace_id)
    await session.refresh(workspace)
    stored = {h["date"] if isinstance(h, dict) else h: h
              for h in workspace.business_hours["holidays"]}
    assert stored["2027-02-07"]["name"] == "설날" and stored["2027-10-09"]["name"] == "한글날"
    assert stored["2027-03-02"]["name"] == "창립기념일"


async def test_an_inbox_overrides_the_workspace_hours_and_returns_to_them(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    csrf = await log_in(client, ADMIN, owner.password)
    await client.post("/settings/inboxes/new/web", data={"csrf": csrf, "name": "Website"})
    inbox_id = await _inbox_id(session, owner.workspace_id, "Website")
    own = await client.post(f"/settings/hours?inbox={inbox_id}", data={
        "csrf": csrf, "own": "on", "sat.0.start": "10:00", "sat.0.end": "14:00"})
    assert own.status_code == 303
    session.expire_all()
    inbox = next(i for i in await list_inboxes(session, workspace_id=owner.workspace_id)
                 if i.id == inbox_id)
    assert inbox.hours["weekly"] == {"sat": [{"start": "10:00", "end": "14:00"}]}
    page = await client.get(f"/settings/hours?inbox={inbox_id}")
    assert 'id="own" checked' in page.text
    await client.post(f"/settings/hours?inbox={inbox_id}", data={"csrf": csrf})
    session.expire_all()
    inbox = next(i for i in await list_inboxes(session, workspace_id=owner.workspace_id)
                 if i.id == inbox_id)
    assert not inbox.hours


async def test_agents_are_refused_and_supervisors_read_inboxes_and_hours(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    await do_create_user(session, actor=system_actor(owner.workspace_id), user_in=UserCreate(
        email="lead@acme.example", name="Lead", password=owner.password, role="supervisor"))
    await session.commit()
    agent_csrf = await log_in(client, owner.agent_email, owner.password)
    for path in ("/settings/inboxes", "/settings/hours", "/settings/inboxes/new/telegram"):
        assert (await client.get(path)).status_code == 403
    assert (await client.post("/settings/inboxes/new/web", data={"csrf": agent_csrf})
            ).status_code == 403
    assert (await client.post("/settings/hours", data={"csrf": agent_csrf})).status_code == 403
    client.cookies.clear()
    lead_csrf = await log_in(client, "lead@acme.example", owner.password)
    listed = await client.get("/settings/inboxes")
    assert listed.status_code == 200 and "/settings/inboxes/new/" not in listed.text
    hours = await client.get("/settings/hours")
    assert hours.status_code == 200 and 'id="save-hours"' not in hours.text
    assert (await client.get("/settings/inboxes/new/telegram")).status_code == 403
    assert (await client.post("/settings/hours", data={"csrf": lead_csrf})).status_code == 403
    assert re.search(r'href="/settings/hours"', listed.text)  # in the settings list


async def test_an_admin_checks_a_whatsapp_number_and_reads_metas_refusal(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        provider: FakeProvider) -> None:  # noqa: F811
    csrf = await log_in(client, ADMIN, owner.password)
    created = await client.post("/settings/inboxes/new/whatsapp", data={
        "csrf": csrf, "name": "왓츠앱", "phone_number_id": "106540352242922",
        "app_secret": "app_secret_x", "verify_token": "verify_x", "access_token": GRAPH_TOKEN,
        "graph_base_url": provider.base_url, "api_version": "v21.0"})
    assert created.status_code == 303
    inbox_id = await _inbox_id(session, owner.workspace_id, "왓츠앱")
    checked = await client.post(f"/settings/inboxes/{inbox_id}/check", data={"csrf": csrf})
    assert "WhatsApp +82 10-5555-0100 (Acme)" in checked.text
    await client.post(f"/settings/inboxes/{inbox_id}", data={
        "csrf": csrf, "name": "왓츠앱", "is_active": "on", "phone_number_id": "106540352242922",
        "app_secret": "", "verify_token": "", "access_token": "EAAwrong",
        "graph_base_url": provider.base_url, "api_version": "v21.0"})
    wrong = await client.post(f"/settings/inboxes/{inbox_id}/check", data={"csrf": csrf})
    assert "WhatsApp refused the access token (Graph error 190: Invalid OAuth access token" \
        in html.unescape(wrong.text)
    assert "EAAwrong" not in wrong.text and GRAPH_TOKEN not in wrong.text
    assert all(r.method == "GET" for r in provider.received)  # nobody was messaged
