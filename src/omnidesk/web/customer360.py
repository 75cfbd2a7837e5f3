"""Customer 360 and assist side-panel fragments (HTMX partials the agent workspace loads by URL)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from omnidesk.core.context import Actor
from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.assist.actions import do_reveal_pii
from omnidesk.domains.assist.labels import intent_label, labeller
from omnidesk.domains.assist.service import build_assist, build_profile
from omnidesk.domains.conversations.service import access_conversation
from omnidesk.domains.engagement.service import Prediction, predict_contact_reason
from omnidesk.web.auth import csrf_ok, csrf_token, resolve_actor

router = APIRouter(include_in_schema=False)


def _fragment(request: Request, name: str, context: dict, status: int = 200) -> Response:
    lang = "ko" if context.get("ko", True) else "en"
    return request.app.state.templates.TemplateResponse(
        request, f"customer360/{name}",
        {"csrf_token": csrf_token(request), "label": labeller(lang), **context},
        status_code=status)


def _locale(request: Request, locale: str | None) -> str:
    """Return the agent's language: the query's, else the signed-in user's, else Korean."""
    chosen = locale or request.session.get("locale") or "ko"
    return "ko" if chosen.startswith("ko") else "en"


async def _actor(request: Request, session: SessionDep) -> Actor | None:
    return await resolve_actor(request, session)


def _error(request: Request, exc: DomainError) -> Response:
    return _fragment(request, "error.html", {"message": exc.message}, status=exc.status)


@router.get("/conversations/{conversation_id}/panel/customer360", response_class=HTMLResponse)
async def customer360_panel(conversation_id: Id, request: Request, session: SessionDep,
                            locale: Annotated[str | None, Query(pattern="^(ko|en)$")] = None
                            ) -> Response:
    """Render the customer 360 panel of a conversation."""
    actor = await _actor(request, session)
    if actor is None:
        return HTMLResponse("", status_code=401)
    try:
        conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
        profile = await build_profile(session, actor=actor, customer_id=conv.customer_id,
                                      conversation_id=conv.id, locale=_locale(request, locale))
        guess = await predict_contact_reason(session, workspace_id=conv.workspace_id,
                                             customer_id=conv.customer_id, at=conv.created_at)
    except DomainError as exc:
        return _error(request, exc)
    return _fragment(request, "panel.html", {"p": profile, "ko": profile.locale == "ko",
                                             "conversation_id": conv.id,
                                             "guess": _guess_view(guess, profile.locale)})


def _guess_view(guess: Prediction | None, locale: str) -> dict[str, Any] | None:
    """Name the predicted contact reason and its runners-up with their confidence (percent)."""
    if guess is None:
        return None
    return {"label": intent_label(guess.intent, locale), "intent": guess.intent,
            "percent": round(guess.confidence * 100), "confident": guess.confident,
            "version": guess.version,
            "others": [(intent_label(i, locale), round(p * 100)) for i, p in guess.top[1:]]}


@router.post("/customers/{customer_id}/reveal", response_class=HTMLResponse)
async def reveal_contact(customer_id: Id, request: Request, session: SessionDep,
                         csrf: Annotated[str | None, Form()] = None,
                         reason: Annotated[str | None, Form(max_length=200)] = None) -> Response:
    """Reveal the customer's contact details (logged) and render the contact block."""
    actor = await _actor(request, session)
    if actor is None:
        return HTMLResponse("", status_code=401)
    if not csrf_ok(request, csrf):
        return HTMLResponse("invalid CSRF token", status_code=400)
    try:
        contact = await do_reveal_pii(session, actor=actor, customer_id=customer_id,
                                      reason=reason,
                                      ip=request.client.host if request.client else None)
    except DomainError as exc:
        return _error(request, exc)
    await session.commit()
    return _fragment(request, "contact.html", {"contact": contact, "customer_id": customer_id,
                                               "ko": _locale(request, None) == "ko"})


@router.get("/conversations/{conversation_id}/panel/assist", response_class=HTMLResponse)
async def assist_panel(conversation_id: Id, request: Request, session: SessionDep,
                       draft: Annotated[str | None, Query(max_length=4000)] = None,
                       text: Annotated[str | None, Query(max_length=4000)] = None,
                       locale: Annotated[str | None, Query(pattern="^(ko|en)$")] = None
                       ) -> Response:
    """Render suggestions, greeting/closing, next best actions, summary and draft warnings.

    The workspace reloads it when a customer message (or call transcript) arrives and while the
    agent types, sending the reply box as `text`, so warnings follow the draft.
    """
    draft = draft or text
    actor = await _actor(request, session)
    if actor is None:
        return HTMLResponse("", status_code=401)
    try:
        assist, _ = await build_assist(session, actor=actor, conversation_id=conversation_id,
                                       draft=draft, locale=_locale(request, locale),
                                       llm=getattr(request.app.state, "llm_client", None))
    except DomainError as exc:
        return _error(request, exc)
    return _fragment(request, "assist.html", {"a": assist, "ko": assist.locale == "ko",
                                              "conversation_id": conversation_id})
