"""Contacts: the customers list and a customer's page (profile, identities on every channel,
orders, conversations, notes, segments) with edit, merge and split.

Thin routes: who may see a customer is asked of `conversations.service.access_customer` /
`visible_customer_ids` (the visibility rule), personal data is masked by the assist contact
rule (`customers.service.masked_contact` and the 360 profile), writes go through the customers and
assist actions. The merge route itself is `web/conversation_actions.merge_customer`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from omnidesk.channels.manifests import identity_names
from omnidesk.core.errors import DomainError, NotFound
from omnidesk.core.http import SessionDep
from omnidesk.core.pagination import page_of
from omnidesk.core.schemas import Id
from omnidesk.domains.assist.contact_actions import do_add_note
from omnidesk.domains.assist.labels import labeller
from omnidesk.domains.assist.service import build_profile
from omnidesk.domains.commerce.service import list_behaviour_events
from omnidesk.domains.conversations.service import access_customer, visible_customer_ids
from omnidesk.domains.customers.actions import do_update_customer
from omnidesk.domains.customers.merge_actions import check_split_customer
from omnidesk.domains.customers.schemas import CustomerSplit, CustomerUpdate
from omnidesk.domains.customers.service import (
    list_customers,
    list_merge_suggestions,
    masked_contact,
)
from omnidesk.domains.privacy.actions import do_record_access
from omnidesk.domains.privacy.models import CUSTOMER_PAGE
from omnidesk.web.deps import AgentPage, agent_page, csrf_failed, login_redirect, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
IDENTITY_KINDS = tuple(identity_names())


@router.get("/customers", response_class=HTMLResponse)
async def customers_list(
    request: Request, session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(max_length=24)] = "",
    cursor: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> Response:
    """List the customers the agent may see, newest first, searchable and filterable."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    chosen = kind if kind in IDENTITY_KINDS else None
    try:
        rows = await list_customers(session, workspace_id=page.actor.workspace_id, q=q or None,
                                    cursor=cursor, limit=PAGE_SIZE,
                                    visible=visible_customer_ids(page.actor),
                                    identity_kind=chosen)
    except DomainError as exc:
        return render(request, page, "not_found.html", status_code=exc.status)
    items, next_cursor = page_of(rows, PAGE_SIZE)
    return render(request, page, "contacts/list.html", customers=items, q=q, kind=chosen,
                  cards={c.id: masked_contact(c) for c in items}, next_cursor=next_cursor,
                  identity_kinds=IDENTITY_KINDS, first_page=cursor is None, search_q="")


async def _page_context(session: SessionDep, page: AgentPage, customer_id: int) -> dict:
    customer = await access_customer(session, actor=page.actor, customer_id=customer_id)
    profile = await build_profile(session, actor=page.actor, customer_id=customer.id,
                                  locale=page.locale)
    suggestions = await list_merge_suggestions(
        session, workspace_id=page.actor.workspace_id, customer_id=customer.id,
        visible=visible_customer_ids(page.actor))
    masked = masked_contact(customer).identities
    activity = await list_behaviour_events(session, workspace_id=page.actor.workspace_id,
                                           customer_id=customer.id, limit=30)
    return {"activity": activity, "label": labeller(page.locale), "customer": customer, "p": profile, "ko": page.locale == "ko",
            "identities": list(zip(customer.identities, masked, strict=True)),
            "merge_suggestions": suggestions, "search_q": ""}


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
async def customer_page(request: Request, session: SessionDep, customer_id: Id,
                        done: Annotated[str, Query(max_length=16)] = "") -> Response:
    """Show one customer: profile, identities, orders, conversations, notes and segments."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    try:
        context = await _page_context(session, page, customer_id)
    except NotFound:
        return render(request, page, "not_found.html", status_code=404)
    customer = context["customer"]
    if customer.merged_into_id:
        return RedirectResponse(f"/customers/{customer.merged_into_id}", status_code=303)
    if customer.name:  # shown in clear (contact fields stay masked): logged like an API read
        await do_record_access(session, actor=page.actor, action=CUSTOMER_PAGE, fields=["name"],
                               reason="customer page", customer_id=customer.id,
                               ip=request.client.host if request.client else None)
        await session.commit()
    return render(request, page, "contacts/page.html", done=done, error=None, **context)


async def _fail(request: Request, session: SessionDep, page: AgentPage, customer_id: int,
                message: str, status: int) -> Response:
    await session.rollback()  # nothing of the refused change is kept; reload what we show
    page = await agent_page(request, session) or page
    context = await _page_context(session, page, customer_id)
    return render(request, page, "contacts/page.html", done="", error=message,
                  status_code=status, **context)


async def _refused(request: Request, session: SessionDep, page: AgentPage, customer_id: int,
                   exc: ValidationError | DomainError) -> Response:
    """Answer a refused edit, split or note: 404 when unseen, else the page with the reason."""
    if isinstance(exc, NotFound):
        return render(request, page, "not_found.html", status_code=404)
    if isinstance(exc, ValidationError):
        message = "; ".join(str(e["msg"]) for e in exc.errors())
        return await _fail(request, session, page, customer_id, message, 422)
    return await _fail(request, session, page, customer_id, exc.message, exc.status)



@router.post("/customers/{customer_id}/profile", response_class=HTMLResponse)
async def edit_customer(request: Request, session: SessionDep, customer_id: Id,
                        name: Annotated[str, Form(max_length=200)] = "",
                        email: Annotated[str, Form(max_length=254)] = "",
                        phone: Annotated[str, Form(max_length=40)] = "",
                        locale: Annotated[str, Form(max_length=2)] = "",
                        csrf: Annotated[str | None, Form()] = None) -> Response:
    """Change the customer's name, email, phone and language (a blank field is kept; email and
    phone are never pre-filled, so editing reveals no personal data)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    try:
        await access_customer(session, actor=page.actor, customer_id=customer_id)
        fields = {"name": name.strip(), "email": email.strip(), "phone": phone.strip(),
                  "locale": locale}
        change = CustomerUpdate.model_validate({k: v for k, v in fields.items() if v})
        await do_update_customer(session, actor=page.actor, customer_id=customer_id,
                                 customer_in=change)
    except (ValidationError, DomainError) as exc:
        return await _refused(request, session, page, customer_id, exc)
    await session.commit()
    return RedirectResponse(f"/customers/{customer_id}?done=saved", status_code=303)


@router.post("/customers/{customer_id}/split", response_class=HTMLResponse)
async def split_customer(request: Request, session: SessionDep, customer_id: Id) -> Response:
    """Move the ticked identities and conversations to a new customer, then show it."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    form = await request.form()
    if (denied := csrf_failed(request, str(form.get("csrf") or ""))) is not None:
        return denied
    try:
        await access_customer(session, actor=page.actor, customer_id=customer_id)
        split_in = CustomerSplit.model_validate({
            "identity_ids": [v for v in form.getlist("identity_ids") if str(v).isdigit()],
            "conversation_ids": [v for v in form.getlist("conversation_ids")
                                 if str(v).isdigit()],
            "name": str(form.get("name") or "").strip() or None})
        new = await check_split_customer(session, actor=page.actor, customer_id=customer_id,
                                         split_in=split_in)
    except (ValidationError, DomainError) as exc:
        return await _refused(request, session, page, customer_id, exc)
    await session.commit()
    return RedirectResponse(f"/customers/{new.id}?done=split", status_code=303)


@router.post("/customers/{customer_id}/notes", response_class=HTMLResponse)
async def add_note(request: Request, session: SessionDep, customer_id: Id,
                   body: Annotated[str, Form(max_length=4000)] = "",
                   csrf: Annotated[str | None, Form()] = None) -> Response:
    """Add a private note about the customer."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    try:
        await access_customer(session, actor=page.actor, customer_id=customer_id)
        await do_add_note(session, actor=page.actor, customer_id=customer_id, body=body)
    except DomainError as exc:
        return await _refused(request, session, page, customer_id, exc)
    await session.commit()
    return RedirectResponse(f"/customers/{customer_id}?done=note", status_code=303)
