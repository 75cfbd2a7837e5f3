"""The team page: admins invite people by a signed, expiring link, set their role and teams,
deactivate them (routing re-queues their open work) and give them a password-reset link;
`/settings/team/<id>` sets what routing matches a person on (teams, languages, skills with
levels, conversations at once per capacity class); `/join/<token>` and `/reset/<token>` let the
person set their password and sign in.

Links are mailed through the workspace's email inbox (`channels.email.staff_mail`) and shown to copy
as well; without an email inbox, or when its relay refuses (said in words), they are only
shown. A link works once: it is bound to the password the account has when it is made
(`agents.service.user_for_link`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from omnidesk.channels.base import ChannelError
from omnidesk.channels.email.staff_mail import send_staff_mail
from omnidesk.core.channel_manifest import CAPACITY_CLASSES
from omnidesk.core.context import BUILTIN_ROLES
from omnidesk.core.errors import DomainError, InvalidInput
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.actions import do_create_user, do_update_user
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.schemas import MAX_CAPACITY, SkillLevel, UserCreate, UserUpdate
from omnidesk.domains.agents.service import (
    actor_for_user,
    get_user,
    list_skills,
    list_teams,
    list_users,
    password_link_token,
    user_for_link,
)
from omnidesk.web.auth import csrf_ok, csrf_token, start_login
from omnidesk.web.deps import AgentPage, agent_page, forbidden, login_redirect, render
from omnidesk.web.i18n import LANGUAGE_NAMES, LANGUAGES
from omnidesk.web.settings_forms import admin_post, reset

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Whom:
    """The person a link names, kept apart from the ORM row (a rollback expires it)."""

    name: str
    email: str

PATH = "/settings/team"
LINK_PATHS = {"invite": "/join", "reset": "/reset"}


MAIL = {
    "invite": ("{workspace}: 초대 / You are invited",
               ("{name}님, {workspace}에 초대되었습니다. 7일 안에 아래 링크에서 비밀번호를 "
               "정하세요 (한 번만 쓸 수 있습니다).\n\n"
               "{name}, you are invited to {workspace}. Set your password within 7 days at "
               "this link (it works once):\n\n{link}\n")),
    "reset": ("{workspace}: 비밀번호 재설정 / Reset your password",
              ("{name}님, 아래 링크에서 1시간 안에 새 비밀번호를 정하세요 (한 번만 쓸 수 있습니다)."
              "\n\n{name}, set a new password within 1 hour at this link (it works once):"
              "\n\n{link}\n")),
}


def _link(request: Request, token: str, purpose: str) -> str:
    base = str(request.app.state.settings.public_url).rstrip("/")
    return f"{base}{LINK_PATHS[purpose]}/{token}"


async def _show_link(request: Request, session: AsyncSession, page: AgentPage, person: User,
                     purpose: str) -> HTMLResponse:
    """Mail the person their link through the workspace's email inbox, and show it to copy."""
    token = password_link_token(request.app.state.settings.effective_secret_key, person, purpose)
    link = _link(request, token, purpose)
    subject, text = MAIL[purpose]
    words = {"workspace": page.workspace.name, "name": person.name, "link": link}
    sent_from: str | None = None
    mail_error: str | None = None
    try:
        sent_from = await send_staff_mail(
            session, request.app.state.inbox_port, workspace_id=page.workspace.id,
            to=person.email, subject=subject.format(**words), text=text.format(**words))
    except ChannelError as exc:
        mail_error = str(exc)
    return await _show(request, session, page, link=link, link_for=person, link_kind=purpose,
                       sent_from=sent_from, mail_error=mail_error)


async def _show(request: Request, session: AsyncSession, page: AgentPage, *,
                status: int = 200, **values: object) -> HTMLResponse:
    ws = page.actor.workspace_id
    teams = await list_teams(session, workspace_id=ws)
    team_names = {t.id: t.name for t in teams}
    return render(request, page, "settings/team.html", status_code=status, nav_active="team",
                  people=await list_users(session, workspace_id=ws), teams=teams,
                  team_names=team_names, roles=BUILTIN_ROLES, **values)


@router.get(PATH, response_class=HTMLResponse)
async def team(request: Request, session: SessionDep) -> Response:
    """List the people of the workspace with the invite form (admins)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if page.user.role != "admin":
        return forbidden(request, page, "Only admins can do this.")
    return await _show(request, session, page)


@router.post(PATH + "/invite", response_class=HTMLResponse)
async def invite(request: Request, session: SessionDep) -> Response:
    """Add a person without a password and show the invitation link to send them."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    raw = await request.form()
    team_ids = [int(v) for v in raw.getlist("team_ids") if isinstance(v, str) and v.isdigit()]
    try:
        person = await do_create_user(session, actor=page.actor, user_in=UserCreate(
            email=form.get("invite_email", "").strip(), name=form.get("name", "").strip(),
            role=form.get("role", "agent"), team_ids=team_ids,
            locale=page.locale, languages=[page.locale]))
    except ValidationError as exc:
        await session.rollback()
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        return await _show(request, session, page, status=422, values=form,
                           error=f"{where}: {exc.errors()[0]['msg']}")
    except DomainError as exc:
        await session.rollback()
        return await _show(request, session, page, status=exc.status, values=form,
                           error=exc.message)
    await session.commit()
    return await _show_link(request, session, page, person, "invite")


@router.post(PATH + "/{user_id}/{change}", response_class=HTMLResponse)
async def change_person(user_id: Id, change: str, request: Request,
                        session: SessionDep) -> Response:
    """Deactivate, reactivate, change the role of, or make a reset link for a person."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    if change not in ("deactivate", "activate", "role", "reset"):
        return HTMLResponse("unknown change", status_code=404)
    try:
        person = await get_user(session, workspace_id=page.actor.workspace_id, user_id=user_id)
        if change == "reset":  # someone who never joined gets a fresh invitation instead
            purpose = "reset" if person.password_hash else "invite"
            return await _show_link(request, session, page, person, purpose)
        if person.id == page.user.id and change != "activate":
            return await _show(request, session, page, status=409,
                               error="You cannot remove your own admin access here.")
        update = (UserUpdate(role=form.get("role", "agent")) if change == "role"
                  else UserUpdate(is_active=change == "activate"))
        await do_update_user(session, actor=page.actor, user_id=user_id, user_in=update)
    except (DomainError, ValidationError) as exc:
        await session.rollback()
        message = exc.message if isinstance(exc, DomainError) else str(exc.errors()[0]["msg"])
        return await _show(request, session, page, status=422, error=message)
    await session.commit()
    return RedirectResponse(PATH, status_code=303)


def _routing_update(raw: FormData, person: User, skill_names: dict[int, str]) -> UserUpdate:
    """Read the person's routing form: teams, languages, capacity per class and skill levels
    (a level of "" takes the skill away; a new skill name adds one)."""
    def text(key: str) -> str:
        value = raw.get(key)
        return value.strip() if isinstance(value, str) else ""

    languages = [v for v in raw.getlist("languages") if v in LANGUAGES]
    if not languages:
        raise InvalidInput("Choose at least one language.", field="languages")
    capacity = dict(person.capacity or {})  # per-channel limits set by the API are kept
    for kind in CAPACITY_CLASSES:
        value = text(f"capacity_{kind}")
        if not value.isdigit() or int(value) > MAX_CAPACITY:
            raise InvalidInput("Conversations at once must be a whole number from 0 to 50.",
                               field="capacity")
        capacity[kind] = int(value)
    levels: dict[str, int] = {}
    for skill_id, name in skill_names.items():
        if (level := text(f"skill_{skill_id}")).isdigit():
            levels[name] = int(level)
    if new_name := text("new_skill"):
        level = text("new_skill_level")
        levels[new_name] = int(level) if level.isdigit() else 3
    team_ids = [int(v) for v in raw.getlist("team_ids") if isinstance(v, str) and v.isdigit()]
    return UserUpdate(languages=languages, capacity=capacity, team_ids=team_ids,
                      skills=[SkillLevel(name=n, level=lv) for n, lv in levels.items()])


async def _show_person(request: Request, session: AsyncSession, page: AgentPage, person: User,
                       *, status: int = 200, **values: object) -> HTMLResponse:
    ws = page.actor.workspace_id
    return render(request, page, "settings/team_person.html", status_code=status,
                  nav_active="team", person=person, teams=await list_teams(session,
                                                                          workspace_id=ws),
                  skills=await list_skills(session, workspace_id=ws), languages=LANGUAGE_NAMES,
                  classes=CAPACITY_CLASSES, max_capacity=MAX_CAPACITY, **values)


@router.get(PATH + "/{user_id}", response_class=HTMLResponse)
async def person_page(user_id: Id, request: Request, session: SessionDep) -> Response:
    """Show what routing matches a person on, for an admin to change."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if page.user.role != "admin":
        return forbidden(request, page, "Only admins can do this.")
    try:
        person = await get_user(session, workspace_id=page.actor.workspace_id, user_id=user_id)
    except DomainError as exc:
        return await _show(request, session, page, status=exc.status, error=exc.message)
    return await _show_person(request, session, page, person)


@router.post(PATH + "/{user_id}", response_class=HTMLResponse)
async def save_person(user_id: Id, request: Request, session: SessionDep) -> Response:
    """Save a person's teams, languages, skills and capacity; routing applies them at once."""
    page, _form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    try:
        person = await get_user(session, workspace_id=page.actor.workspace_id, user_id=user_id)
    except DomainError as exc:
        return await _show(request, session, page, status=exc.status, error=exc.message)
    skills = {s.id: s.name for s in await list_skills(session,
                                                      workspace_id=page.actor.workspace_id)}
    try:
        update = _routing_update(await request.form(), person, skills)
        await do_update_user(session, actor=page.actor, user_id=user_id, user_in=update)
    except (DomainError, ValidationError) as exc:
        await reset(session, page)
        person = await get_user(session, workspace_id=page.actor.workspace_id, user_id=user_id)
        message, status = ((exc.message, exc.status) if isinstance(exc, DomainError)
                           else (str(exc.errors()[0]["msg"]), 422))
        return await _show_person(request, session, page, person, status=status, error=message)
    await session.commit()
    return RedirectResponse(f"{PATH}/{user_id}?saved=1", status_code=303)


def _password_page(request: Request, purpose: str, token: str, *, user: User | Whom | None,
                   error: str | None = None, status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, "set_password.html",
        {"purpose": purpose, "token": token, "person": user, "error": error,
         "csrf_token": csrf_token(request), "action": f"{LINK_PATHS[purpose]}/{token}"},
        status_code=status)


async def _link_user(request: Request, session: AsyncSession, token: str,
                     purpose: str) -> User | None:
    return await user_for_link(session, secret=request.app.state.settings.effective_secret_key,
                               token=token, purpose=purpose)


def _routes(purpose: str) -> None:
    path = LINK_PATHS[purpose] + "/{token}"

    @router.get(path, response_class=HTMLResponse, name=f"{purpose}_form")
    async def show(token: str, request: Request, session: SessionDep) -> Response:
        """Show the set-your-password form of a valid link, else say it expired."""
        user = await _link_user(request, session, token, purpose)
        return _password_page(request, purpose, token, user=user,
                              status=200 if user else 410)

    @router.post(path, response_class=HTMLResponse, name=f"{purpose}_save")
    async def save(token: str, request: Request, session: SessionDep,
                   password: Annotated[str, Form()] = "",
                   password_confirm: Annotated[str, Form()] = "",
                   csrf: Annotated[str | None, Form()] = None) -> Response:
        """Set the person's password from the link and sign them in."""
        user = await _link_user(request, session, token, purpose)
        if user is None:
            return _password_page(request, purpose, token, user=None, status=410)
        whom = Whom(user.name, user.email)
        if not csrf_ok(request, csrf):
            return _password_page(request, purpose, token, user=whom, status=400,
                                  error="Your session expired; send the form again.")
        if password != password_confirm:
            return _password_page(request, purpose, token, user=whom, status=422,
                                  error="The two passwords differ.")
        try:
            actor = await actor_for_user(session, user=user)
            await do_update_user(session, actor=actor, user_id=user.id,
                                 user_in=UserUpdate(password=password))
        except (DomainError, ValidationError) as exc:
            await session.rollback()
            message = exc.message if isinstance(exc, DomainError) else str(
                exc.errors()[0]["msg"])
            return _password_page(request, purpose, token, user=whom, status=422, error=message)
        return await start_login(request, session, user)


for _purpose in LINK_PATHS:
    _routes(_purpose)
