"""First run: on a server with no workspace, set one up and its first admin from the browser.

`/setup` answers only while the database holds no workspace (then every visitor of `/` or
`/login` is sent there); once one exists it is gone (GET sends to the login, POST is 404), so nobody can take a running server
over. After it, the admin lands on `/settings/getting-started`: the checklist of what a new
workspace needs, each step linking to its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.domains.agents.actions import do_first_run
from omnidesk.domains.agents.schemas import UserCreate
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.inboxes.service import list_inboxes, website_inbox
from omnidesk.domains.knowledge.service import list_articles
from omnidesk.domains.workspaces.models import DEFAULT_BUSINESS_HOURS
from omnidesk.domains.workspaces.schemas import WorkspaceCreate
from omnidesk.web.auth import csrf_ok, csrf_token, needs_setup, start_login
from omnidesk.web.deps import (
    AgentPage,
    agent_page,
    forbidden,
    login_redirect,
    render,
    staff_paths,
)
from omnidesk.web.i18n import pick_language
from omnidesk.web.settings_forms import text_form

router = APIRouter(include_in_schema=False)
SETUP = "/setup"
CHECKLIST = "/settings/getting-started"
TIMEZONES = sorted(available_timezones())


def _setup_page(request: Request, values: dict[str, str], *, error: str | None = None,
                status: int = 200) -> HTMLResponse:
    language = values.get("default_locale") or pick_language(
        request.headers.get("accept-language"))
    language = language if language in ("ko", "en") else "ko"
    return request.app.state.templates.TemplateResponse(
        request, "setup.html",
        {"values": values, "error": error, "csrf_token": csrf_token(request),
         "locale": language, "timezones": TIMEZONES}, status_code=status)


@router.get(SETUP, response_class=HTMLResponse)
async def setup_form(request: Request, session: SessionDep) -> Response:
    """Show the first-run form (only while the server has no workspace; else the login)."""
    if not await needs_setup(session):
        return RedirectResponse("/login", status_code=303)
    return _setup_page(request, {"timezone": "Asia/Seoul", "languages": "ko"})


@router.post(SETUP, response_class=HTMLResponse)
async def setup(request: Request, session: SessionDep) -> Response:
    """Create the workspace and its first admin, sign them in, open the checklist."""
    if not await needs_setup(session):
        return HTMLResponse("this server is already set up", status_code=404)
    raw = await request.form()
    form = text_form(raw)
    form["languages"] = ",".join(v for v in raw.getlist("languages") if isinstance(v, str))
    if not csrf_ok(request, str(raw.get("csrf") or "")):
        return _setup_page(request, form, error="Your session expired; send the form again.",
                           status=400)
    if form.get("password", "") != form.get("password_confirm", ""):
        return _setup_page(request, form, error="The two passwords differ.", status=422)
    try:
        workspace_in = WorkspaceCreate(
            name=form.get("name", "").strip(), slug=form.get("slug", "").strip().lower(),
            timezone=form.get("timezone", "").strip(),
            default_locale=form.get("default_locale", "ko"),
            languages=[lang for lang in form["languages"].split(",") if lang])
        admin_in = UserCreate(name=form.get("admin_name", "").strip(),
                              email=form.get("admin_email", "").strip(),
                              password=form.get("password", ""), role="admin",
                              locale=workspace_in.default_locale)
        admin = await do_first_run(session, workspace_in=workspace_in, admin_in=admin_in)
    except ValidationError as exc:
        await session.rollback()
        return _setup_page(request, form, error=_problem(exc), status=422)
    except DomainError as exc:
        await session.rollback()
        return _setup_page(request, form, error=exc.message, status=exc.status)
    return await start_login(request, session, admin, then=CHECKLIST)


def _problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


@dataclass(frozen=True)
class Step:
    """One checklist step: its key, whether it is done, where to do it, and a note."""

    key: str
    done: bool
    href: str
    note: str | None = None


@router.get(CHECKLIST, response_class=HTMLResponse)
async def getting_started(request: Request, session: SessionDep) -> Response:
    """Show the new workspace's checklist (admins)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if page.user.role != "admin":
        return forbidden(request, page, "Only admins can do this.")
    return render(request, page, "settings/getting_started.html", nav_active="getting_started",
                  steps=await _steps(request, session, page))


async def _steps(request: Request, session: AsyncSession, page: AgentPage) -> list[Step]:
    ws = page.workspace
    served = staff_paths(request)
    users = await list_users(session, workspace_id=ws.id)
    inboxes = await list_inboxes(session, workspace_id=ws.id)
    web = await website_inbox(session, workspace_id=ws.id)
    articles = await list_articles(session, workspace_id=ws.id)
    connected = [i for i in inboxes if web is None or i.id != web.id]

    def page_or(href: str, fallback: str, note: str) -> tuple[str, str | None]:
        return (href, None) if href in served else (fallback, note)

    team = page_or("/settings/team", "/api/docs", "Until the team page is here: "
                   "`omnidesk admin create-user` or POST /api/v1/users.")
    inbox = page_or("/settings/inboxes", "/api/docs", "Until the inboxes page is here: "
                    "`omnidesk channels` or PUT /api/v1/channels/{kind}.")
    widget_href = f"/settings/inboxes/{web.id}" if web is not None else "/settings/inboxes"
    widget = ((widget_href, None) if "/settings/inboxes" in served else
              ("/demo/store", "The demo store page shows the widget's embed code at work."))
    hours = page_or("/settings/hours", "/api/docs", "Until the hours page is here: "
                    "PATCH /api/v1/workspace with business_hours.")
    return [
        Step("team", len(users) > 1, *team),
        Step("inbox", bool(connected), *inbox),
        Step("widget", bool((ws.settings or {}).get("widget")), *widget),
        Step("articles", bool(articles), "/kb-admin"),
        Step("hours", ws.business_hours != DEFAULT_BUSINESS_HOURS, *hours),
    ]
