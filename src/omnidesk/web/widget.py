"""The website chat widget: the embeddable script, its frame, visitor API and WebSocket."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.voice.deflection import do_start_deflected_session
from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.api import RATE_LIMITED, ApiRoute
from omnidesk.core.body_limit import body_limit
from omnidesk.core.db import utcnow
from omnidesk.core.errors import NotAuthenticated, NotFound
from omnidesk.core.http import AfterIdQuery, IntakeAdmission, SessionDep
from omnidesk.core.limits import take_or_refuse
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.bot.service import build_opening, chat_window_greeting
from omnidesk.domains.conversations.schemas import RawInbound
from omnidesk.domains.engagement.actions import (
    do_receive_visitor_message,
    do_start_widget_session,
)
from omnidesk.domains.engagement.behaviour_actions import do_track_visitor
from omnidesk.domains.engagement.models import WidgetSession
from omnidesk.domains.engagement.schemas import (
    TrackCreate,
    VisitorMessageCreate,
    WidgetSessionCreate,
    WidgetSessionRead,
)
from omnidesk.domains.engagement.service import (
    get_read_mark,
    get_visitor_customer,
    get_widget_session,
    list_visitor_messages,
    visitor_chat_ended,
    visitor_message,
    widget_settings,
)
from omnidesk.domains.feedback.actions import check_answer_in_widget
from omnidesk.domains.feedback.schemas import AnswerCreate
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.service import inbox_calendar, inbox_greeting, website_inbox
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.schemas import CalendarStateRead
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from omnidesk.web.attachments import store_upload
from omnidesk.web.i18n import pick_language
from omnidesk.web.security import widget_csp

router = APIRouter(tags=["widget"], route_class=ApiRoute, responses=RATE_LIMITED)
LOADER = Path(__file__).parent / "static" / "widget" / "loader.js"
SlugHeader = Annotated[str, Header(alias="X-Widget-Workspace", max_length=64)]
TokenHeader = Annotated[str, Header(alias="X-Widget-Token", max_length=200)]


async def _workspace(session: AsyncSession, slug: str) -> Workspace:
    workspace = await get_workspace_by_slug(session, slug=slug)
    if workspace is None or workspace.archived_at is not None:
        raise NotFound("unknown workspace")
    return workspace


async def _visitor(session: AsyncSession, slug: str, token: str) -> WidgetSession:
    workspace = await _workspace(session, slug)
    visitor = await get_widget_session(session, workspace_id=workspace.id, token=token)
    if visitor is None:
        raise NotAuthenticated("unknown or expired visitor token")
    return visitor


@router.get("/widget.js", include_in_schema=False)
async def loader() -> Response:
    """Serve the one-tag embeddable loader script."""
    return FileResponse(LOADER, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/widget/frame", response_class=HTMLResponse, include_in_schema=False)
async def frame(request: Request, session: SessionDep,
                workspace: Annotated[str, Query(max_length=64)]) -> Response:
    """Render the chat window, in the browser's language, embeddable by allowed sites."""
    ws = await _workspace(session, workspace)
    settings = widget_settings(ws)
    locale = pick_language(request.headers.get("accept-language"))
    inbox = await _inbox(session, ws)
    hours = _hours(ws, inbox, locale)
    context = {"workspace": ws, "widget": settings, "locale": locale,
               "online": hours.open, "hours": hours,
               "title": settings.title_ko if locale == "ko" else settings.title_en,
               "greeting": chat_window_greeting(ws, inbox, locale) or inbox_greeting(inbox, locale)
               or (settings.greeting_ko if locale == "ko" else settings.greeting_en),
               "offline": settings.offline_ko if locale == "ko" else settings.offline_en,
               "launcher_text": settings.launcher_text_ko if locale == "ko"
               else settings.launcher_text_en}
    response = request.app.state.templates.TemplateResponse(request, "widget/frame.html",
                                                            context)
    response.headers["Content-Security-Policy"] = widget_csp(settings.frame_ancestors)
    return response


async def _inbox(session: AsyncSession, workspace: Workspace) -> Inbox | None:
    """Return the widget's inbox (the workspace's web inbox its conversations arrive in)."""
    return await website_inbox(session, workspace_id=workspace.id)


def _hours(workspace: Workspace, inbox: Inbox | None, locale: str) -> CalendarStateRead:
    """Return the away state by the widget inbox's calendar (the one bot and routing use)."""
    calendar = inbox_calendar(workspace, inbox)
    return CalendarStateRead.model_validate(calendar.state(utcnow(), locale))


@router.get("/widget/api/state", response_model=CalendarStateRead)
async def away_state(session: SessionDep, workspace: Annotated[str, Query(max_length=64)],
                     locale: Annotated[Literal["ko", "en"], Query()] = "ko") -> Any:
    """Say whether a person answers now (online/away), when that changes, and the hours."""
    ws = await _workspace(session, workspace)
    return _hours(ws, await _inbox(session, ws), locale)


async def limit_widget_posts(request: Request) -> None:
    """Refuse a visitor's posts past the per-IP rate (bots hammering a public endpoint)."""
    key = (request.client.host if request.client else "?", "widget")
    await take_or_refuse(request.app.state.widget_limiter, key, "too many messages")


RateLimit = Depends(limit_widget_posts)


@router.post("/widget/api/sessions", response_model=WidgetSessionRead, dependencies=[RateLimit])
async def start_session(session: SessionDep, session_in: WidgetSessionCreate) -> Any:
    """Start or restore a visitor session; identified visitors prove user_id with an HMAC."""
    workspace = await _workspace(session, session_in.workspace)
    row, token = await do_start_widget_session(session, workspace=workspace,
                                               session_in=session_in)
    await session.commit()
    return WidgetSessionRead(token=token, verified=row.verified, name=row.name, email=row.email)


@router.get("/widget/continue", include_in_schema=False)
async def continue_from_call(session: SessionDep, workspace: Annotated[str, Query(max_length=64)],
                             d: Annotated[str, Query(max_length=300)]) -> Response:
    """Open web chat from the IVR's SMS link, as the caller, in the caller's conversation."""
    ws = await _workspace(session, workspace)
    started = await do_start_deflected_session(session, workspace=ws, token=d)
    if started is None:
        raise NotAuthenticated("this chat link is invalid or has expired")
    await session.commit()
    return RedirectResponse(f"/widget/frame?workspace={ws.slug}#token={started[1]}",
                            status_code=303)


async def _author_names(session: AsyncSession, workspace_id: int) -> dict[int, str]:
    return {u.id: u.display_name or u.name
            for u in await list_users(session, workspace_id=workspace_id)}


@router.get("/widget/api/messages")
async def visitor_messages(session: SessionDep, slug: SlugHeader, token: TokenHeader,
                           after_id: AfterIdQuery = 0) -> JSONResponse:
    """Return the visitor's chat messages after an id, how far agents have read, and whether
    the chat has ended (resolved)."""
    visitor = await _visitor(session, slug, token)
    rows = await list_visitor_messages(session, widget_session=visitor, after_id=after_id)
    names = await _author_names(session, visitor.workspace_id)
    read = 0
    if rows:
        read = await get_read_mark(session, workspace_id=visitor.workspace_id,
                                   conversation_id=rows[-1].conversation_id, reader="agent")
    messages = [visitor_message(m, names.get(m.author_id or 0)).model_dump(mode="json")
                for m in rows]
    ended = await visitor_chat_ended(session, widget_session=visitor)
    return JSONResponse({"messages": messages, "agent_read_up_to": read, "ended": ended})


@router.post("/widget/api/messages", dependencies=[IntakeAdmission, RateLimit])
async def post_visitor_message(request: Request, session: SessionDep, slug: SlugHeader,
                               token: TokenHeader,
                               message_in: VisitorMessageCreate) -> JSONResponse:
    """Store a visitor's message (idempotent on client_message_id)."""
    visitor = await _visitor(session, slug, token)
    raw = RawInbound(body=await request.body(), headers=dict(request.headers),
                     received_at=utcnow())
    msg = await do_receive_visitor_message(session, widget_session=visitor, text=message_in.text,
                                           client_message_id=message_in.client_message_id,
                                           raw=raw)
    await session.commit()
    return JSONResponse(visitor_message(msg, None).model_dump(mode="json"), status_code=201)


@router.get("/widget/api/opening")
async def opening_question(session: SessionDep, slug: SlugHeader, token: TokenHeader,
                           locale: Annotated[str | None, Query(pattern="^(ko|en)$")] = None,
                           ) -> JSONResponse:
    """Return the bot's opening question about why the visitor is likely here (`{}` when there
    is none: no history to predict from, no confident guess, a chat already under way)."""
    visitor = await _visitor(session, slug, token)
    customer = await get_visitor_customer(session, widget_session=visitor)
    if customer is None or await list_visitor_messages(session, widget_session=visitor):
        return JSONResponse({})
    workspace = await _workspace(session, slug)
    lang = visitor.locale or locale or customer.locale or workspace.default_locale or "ko"
    found = await build_opening(session, workspace=workspace, customer_id=customer.id,
                                channel=WEB.kind, lang="ko" if lang.startswith("ko") else "en")
    return JSONResponse(found.as_json() if found else {})


@router.post("/widget/api/track", status_code=202)
async def track(request: Request, session: SessionDep, slug: SlugHeader, token: TokenHeader,
                track_in: TrackCreate) -> dict[str, int]:
    """Store what the visitor did (`omnidesk.track(name, properties)`), rate-limited per visitor."""
    visitor = await _visitor(session, slug, token)
    await take_or_refuse(request.app.state.track_limiter, (str(visitor.id), "track"),
                         "too many events from this visitor")
    row = await do_track_visitor(session, widget_session=visitor, track_in=track_in)
    await session.commit()
    return {"id": row.id}


@router.post("/widget/api/surveys/{survey_id}/answer", dependencies=[RateLimit])
async def answer_survey(survey_id: Id, session: SessionDep, slug: SlugHeader, token: TokenHeader,
                        answer_in: AnswerCreate) -> JSONResponse:
    """Store the visitor's answer to a survey shown in the chat (a repeat changes nothing)."""
    visitor = await _visitor(session, slug, token)
    customer = await get_visitor_customer(session, widget_session=visitor)
    if customer is None:
        raise NotFound("survey not found")
    answer, created = await check_answer_in_widget(
        session, workspace_id=visitor.workspace_id, customer_id=customer.id,
        survey_id=survey_id, answer_in=answer_in)
    await session.commit()
    return JSONResponse({"score": answer.score, "comment": answer.comment, "created": created},
                        status_code=201 if created else 200)


@router.post("/widget/api/attachments", dependencies=[IntakeAdmission, RateLimit])
@body_limit("upload")
async def post_visitor_attachment(
    request: Request, session: SessionDep, slug: SlugHeader, token: TokenHeader,
    file: Annotated[UploadFile, File()],
    client_message_id: Annotated[str, Form(min_length=8, max_length=64,
                                           pattern=r"^[A-Za-z0-9_-]+$")],
) -> JSONResponse:
    """Store a visitor's image or file (size-limited, type-checked) as a message."""
    visitor = await _visitor(session, slug, token)
    workspace = await _workspace(session, slug)
    limit = min(widget_settings(workspace).max_attachment_bytes,
                request.app.state.settings.max_upload_bytes)
    attachment = await store_upload(request.app.state.settings.upload_dir, visitor.workspace_id,
                                    file, limit)
    # The raw event describes the upload; the file itself is stored once, by store_upload.
    raw = RawInbound.of_json({"client_message_id": client_message_id,
                              "attachment": attachment.model_dump(mode="json")},
                             received_at=utcnow())
    msg = await do_receive_visitor_message(session, widget_session=visitor, text="",
                                           client_message_id=client_message_id,
                                           attachments=[attachment], raw=raw)
    await session.commit()
    return JSONResponse(visitor_message(msg, None).model_dump(mode="json"), status_code=201)
