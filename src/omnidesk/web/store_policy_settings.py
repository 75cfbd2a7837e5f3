"""The admins' store policy page `/settings/store-policy`: the rules every order action follows.

Which order statuses may be cancelled, have their address changed or be returned; the return
and exchange window and fee per reason (counted from delivery); refund times per payment method;
who may act (the bot on its own, agents; admins always may) and the help-center article that
states each rule. Saving goes through `check_update_store_policy`, the same as
`PATCH /api/v1/commerce/policy` (validated by the policy's own schema, audited, with an event);
supervisors see the page read-only. The page never decides an action itself: the bot and the
order actions ask `commerce.policy.check_order_action`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import AuditFilter, list_audit
from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.commerce.events import StorePolicyUpdated
from omnidesk.domains.commerce.models import ORDER_STATUSES
from omnidesk.domains.commerce.policy import (
    ACTIONS,
    ACTORS,
    REASONS,
    REFUND_DAYS,
    StorePolicy,
)
from omnidesk.domains.commerce.policy_actions import check_update_store_policy, get_store_policy
from omnidesk.domains.knowledge.service import list_articles
from omnidesk.web.deps import AgentPage, render
from omnidesk.web.settings_forms import (
    Editor,
    FormError,
    admin_post,
    describe_problem,
    is_checked,
    number,
    number_text,
    reset,
)
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)
PATH = "/settings/store-policy"
STATUS_LISTS = ("cancellable_statuses", "address_change_statuses", "returnable_statuses")
REFUND_ROWS = 12  # rows the form offers for payment methods (the stored ones and blanks)
MAX_WINDOW_DAYS = 3650


def policy_values(policy: StorePolicy) -> dict[str, str]:
    """Write the stored policy as the form's text values."""
    values = {f"{name}.{status}": "1" for name in STATUS_LISTS
              for status in getattr(policy, name)}
    for reason, window in policy.windows.items():
        values[f"windows.{reason}.days"] = str(window.days)
        values[f"windows.{reason}.fee"] = number_text(float(window.fee))
    values.update({f"allowed.{action}.{actor}": "1" for action, actors in policy.allowed.items()
                   for actor in actors})
    for index, (method, days) in enumerate(policy.refund_days.items()):
        values[f"refund.{index}.method"], values[f"refund.{index}.days"] = method, days
    values.update({f"articles.{key}": slug for key, slug in policy.articles.items()})
    return values


def _window(form: dict[str, str], reason: str) -> dict[str, Any]:
    days_field, fee_field = f"windows.{reason}.days", f"windows.{reason}.fee"
    days = form.get(days_field, "").strip()
    if not days.isdigit() or int(days) > MAX_WINDOW_DAYS:
        raise FormError(days_field, "Enter a whole number of days from 0 to 3650.")
    try:
        fee = number(form, fee_field)
    except FormError:
        fee = None
    if fee is None or fee < 0:
        raise FormError(fee_field, "Enter an amount of 0 or more.")
    return {"days": int(days), "fee": number_text(fee)}


def _refund_days(form: dict[str, str], stored: StorePolicy) -> dict[str, str | None]:
    rows: dict[str, str | None] = {}
    for index in range(REFUND_ROWS):
        method = form.get(f"refund.{index}.method", "").strip()
        days = form.get(f"refund.{index}.days", "").strip()
        if not (method or days):
            continue
        if not method:
            raise FormError(f"refund.{index}.method", "Name the payment method.")
        if not REFUND_DAYS.fullmatch(days):
            raise FormError(f"refund.{index}.days", "Write business days as 3 or 5~7.")
        if method in rows:
            raise FormError(f"refund.{index}.method", "This payment method is listed twice.")
        rows[method] = days
    # a merge patch: a method the admin emptied is removed (null), the rest replaced
    return {**{method: None for method in stored.refund_days if method not in rows}, **rows}


def _articles(form: dict[str, str], stored: StorePolicy, known: set[str]) -> dict[str, str]:
    chosen = {}
    for key, slug in stored.articles.items():
        value = form.get(f"articles.{key}", "").strip()
        if value != slug and value not in known:
            raise FormError(f"articles.{key}", "Choose an article of the knowledge base.")
        chosen[key] = value
    return chosen


def policy_changes(form: dict[str, str], stored: StorePolicy, known: set[str]) -> dict[str, Any]:
    """Read the posted form into a merge patch that replaces every field of the policy."""
    changes: dict[str, Any] = {
        name: [s for s in ORDER_STATUSES if is_checked(form, f"{name}.{s}")]
        for name in STATUS_LISTS}
    changes["windows"] = {reason: _window(form, reason) for reason in REASONS}
    changes["allowed"] = {action: [actor for actor in ACTORS
                                   if is_checked(form, f"allowed.{action}.{actor}")]
                          for action in ACTIONS}
    changes["refund_days"] = _refund_days(form, stored)
    changes["articles"] = _articles(form, stored, known)
    return changes


async def _known_articles(session: AsyncSession, workspace_id: int) -> dict[str, str]:
    """Return slug -> title of the workspace's articles (one title per slug, Korean first)."""
    titles: dict[str, str] = {}
    for article in await list_articles(session, workspace_id=workspace_id):
        titles.setdefault(article.slug, article.title)
    return titles


async def _changes(session: AsyncSession, workspace_id: int) -> list[dict[str, Any]]:
    """Return the latest policy changes from the audit log, with who made them."""
    rows = await list_audit(session, workspace_id=workspace_id, cursor=None, limit=5,
                            flt=AuditFilter(action=StorePolicyUpdated.name))
    names = {user.id: user.name for user in await list_users(session, workspace_id=workspace_id)}
    return [{"at": row.created_at, "who": names.get(row.actor_id or 0, "—"),
             "fields": (row.data or {}).get("fields", [])} for row in rows[:5]]


async def show(request: Request, session: AsyncSession, page: AgentPage, *,
               editor: Editor | None = None, status: int = 200) -> Response:
    """Render the form (as stored, or as typed with its problem) and the latest changes."""
    ws = page.actor.workspace_id
    policy = await get_store_policy(session, workspace_id=ws)
    articles = await _known_articles(session, ws)
    return render(request, page, "settings/store_policy.html", status_code=status,
                  ed=editor or Editor(values=policy_values(policy)), policy=policy,
                  statuses=ORDER_STATUSES, status_lists=STATUS_LISTS, reasons=REASONS,
                  actions=ACTIONS, actors=ACTORS, refund_rows=REFUND_ROWS, articles=articles,
                  changes=await _changes(session, ws), can_edit=page.user.role == "admin",
                  path=PATH)


@router.get(PATH, response_class=HTMLResponse)
async def store_policy_page(request: Request, session: SessionDep) -> Response:
    """Show the store policy the bot and every order action follow."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    return await show(request, session, page)


@router.post(PATH, response_class=HTMLResponse)
async def save_store_policy(request: Request, session: SessionDep) -> Response:
    """Check and store the whole form; on a problem show it on the form, nothing stored."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    ws = page.actor.workspace_id
    try:
        stored = await get_store_policy(session, workspace_id=ws)
        known = set(await _known_articles(session, ws))
        await check_update_store_policy(session, actor=page.actor,
                                        changes=policy_changes(form, stored, known))
    except (FormError, DomainError) as exc:
        await reset(session, page)
        message, status, field = describe_problem(page, exc)
        return await show(request, session, page, editor=Editor(None, form, message, field),
                          status=status)
    await session.commit()
    return RedirectResponse(f"{PATH}?saved=1", status_code=303)
