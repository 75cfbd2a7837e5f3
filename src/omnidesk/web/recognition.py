"""The supervisor's editor of recognition (알아주기) lines: greeting and closing rules as forms.

Each rule is a row: the language, conditions ticked from the assist domain's list (with the
workspace's tiers), and the text with variable chips. Saving goes through the same validated
action as the API; the preview tries the unsaved rows on a real customer of the workspace
(personal data masked) through the assist service and says which line that customer would get.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.domains.assist.recognition import CONDITION_NAMES, VARIABLE_NAMES, TemplatePreview
from omnidesk.domains.assist.recognition_actions import (
    KINDS,
    do_update_recognition_settings,
    read_recognition_settings,
)
from omnidesk.domains.assist.schemas import RecognitionSettings, RecognitionTemplate
from omnidesk.domains.assist.service import preview_recognition
from omnidesk.domains.assist.tiers import tiers_from_settings
from omnidesk.domains.conversations.service import visible_customer_ids
from omnidesk.domains.customers.service import list_customers
from omnidesk.web.deps import AgentPage, csrf_failed, render
from omnidesk.web.i18n import translate
from omnidesk.web.settings_forms import reset
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)
PATH = "/settings/recognition"
ROW = re.compile(r"^(greeting|closing)-(\d+)-text$")
PREVIEW_CUSTOMERS = 30


def rows_of(templates: list[RecognitionTemplate]) -> list[dict[str, Any]]:
    """Turn templates into the form's rows."""
    return [{"locale": t.locale, "when": list(t.when), "text": t.text, "n": n}
            for n, t in enumerate(templates)]


def read_rows(form: FormData) -> dict[str, list[dict[str, Any]]]:
    """Read the posted rows in their order (`n` is the row's number on the page); a row without
    text or ticked 'remove' is dropped."""
    found: dict[str, list[tuple[int, dict[str, Any]]]] = {kind: [] for kind in KINDS}
    for key in form:
        match = ROW.match(key)
        if not match:
            continue
        kind, index = match.group(1), int(match.group(2))
        prefix = f"{kind}-{index}-"
        text = str(form.get(key) or "").strip()
        if not text or form.get(prefix + "remove"):
            continue
        when = [str(v) for v in form.getlist(prefix + "when") if str(v).strip()]
        found[kind].append((index, {"locale": str(form.get(prefix + "locale") or "ko"),
                                    "when": when, "text": text, "n": index}))
    return {kind: [row for _, row in sorted(rows, key=lambda r: r[0])]
            for kind, rows in found.items()}


def templates_of(rows: dict[str, list[dict[str, Any]]]) -> RecognitionSettings:
    """Validate the rows with the domain's schema (a problem names its line and field)."""
    data = {kind: [{k: row[k] for k in ("locale", "when", "text")} for row in rows[kind]]
            for kind in KINDS}
    try:
        return RecognitionSettings.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = [str(p + 1) if isinstance(p, int) else str(p) for p in error["loc"]]
        raise ValueError(f"{' '.join(where)}: {error['msg']}") from exc


def _conditions(page: AgentPage) -> list[tuple[str, str]]:
    """Return the conditions to pick from, the workspace's tiers last, with display names."""
    pick = 0 if page.locale == "ko" else 1
    tier_word = translate(page.locale, "Tier")
    return [(key, names[pick]) for key, names in CONDITION_NAMES.items()] + [
        (f"tier:{t.key}", f"{tier_word}: {t.name(page.locale)}")
        for t in tiers_from_settings(page.workspace.settings)]


async def _customers(session: SessionDep, page: AgentPage) -> list[tuple[int, str]]:
    """Return the newest customers the supervisor may see, for the preview (names in clear, as
    on every staff page: `customers.contact`)."""
    rows = await list_customers(session, workspace_id=page.actor.workspace_id, q=None,
                                cursor=None, limit=PREVIEW_CUSTOMERS,
                                visible=visible_customer_ids(page.actor))
    return [(c.id, f"{c.name or '—'} · #{c.id}") for c in rows[:PREVIEW_CUSTOMERS]]


async def _page(request: Request, session: SessionDep, page: AgentPage,
                rows: dict[str, list[dict[str, Any]]], error: str | None = None,
                saved: bool = False, status: int = 200) -> Response:
    pick = 0 if page.locale == "ko" else 1
    return render(request, page, "settings/recognition.html", status_code=status, rows=rows,
                  error=error, saved=saved, kinds=KINDS, conditions=_conditions(page),
                  variables=[(k, v[pick]) for k, v in VARIABLE_NAMES.items()],
                  customers=await _customers(session, page), path=PATH)


@router.get(PATH, response_class=HTMLResponse)
async def recognition_form(request: Request, session: SessionDep) -> Response:
    """Show the workspace's greeting and closing rules as forms."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    current = read_recognition_settings(page.workspace.settings)
    return await _page(request, session, page, {"greeting": rows_of(current.greeting or []),
                                                "closing": rows_of(current.closing or [])})


async def _posted(request: Request, session: SessionDep) -> tuple[AgentPage | Response,
                                                                 FormData]:
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page, FormData()
    form = await request.form()
    csrf = form.get("csrf")
    if (denied := csrf_failed(request, csrf if isinstance(csrf, str) else None)) is not None:
        return denied, form
    return page, form


@router.post(PATH, response_class=HTMLResponse)
async def save_recognition(request: Request, session: SessionDep) -> Response:
    """Validate and save the rules; the form comes back with the problem in words if one is wrong."""
    page, form = await _posted(request, session)
    if not isinstance(page, AgentPage):
        return page
    rows = read_rows(form)
    try:
        await do_update_recognition_settings(session, actor=page.actor,
                                             settings_in=templates_of(rows))
    except ValueError as exc:
        return await _page(request, session, page, rows, error=str(exc), status=422)
    except DomainError as exc:
        await reset(session, page)
        return await _page(request, session, page, rows, error=exc.message, status=exc.status)
    await session.commit()
    return await _page(request, session, page, rows, saved=True)


def _explain(locale: str, tried: TemplatePreview) -> str:
    """Say in words why a line would not be offered to this customer."""
    pick = 0 if locale == "ko" else 1
    if tried.failing:
        names = ", ".join(CONDITION_NAMES.get(c, (c, c))[pick] for c in tried.failing)
        return translate(locale, "Not offered: this customer does not match %(conditions)s.") % {
            "conditions": names}
    if tried.missing:
        names = ", ".join("{" + v + "}" for v in tried.missing)
        return translate(locale, "Not offered: this customer has no value for %(variables)s.") % {
            "variables": names}
    return ""


@router.post(f"{PATH}/preview")
async def preview(request: Request, session: SessionDep) -> Response:
    """Try the unsaved rows on one customer: each line (or why not) and the one they would get."""
    page, form = await _posted(request, session)
    if not isinstance(page, AgentPage):
        return page
    raw_id = str(form.get("customer_id") or "")
    if not raw_id.isdigit():
        return JSONResponse({"detail": translate(page.locale, "Choose a customer.")}, 422)
    rows = read_rows(form)
    try:
        settings_in = templates_of(rows)
        result = await preview_recognition(
            session, actor=page.actor, customer_id=int(raw_id),
            templates={kind: getattr(settings_in, kind) or [] for kind in KINDS})
    except ValueError as exc:
        return JSONResponse({"detail": str(exc)}, 422)
    except DomainError as exc:
        return JSONResponse({"detail": exc.message}, exc.status)
    return JSONResponse({"locale": result.locale, "lines": {
        f"{kind}-{rows[kind][i]['n']}": {
            "text": t.text, "applies": t.applies, "why": _explain(page.locale, t),
            "chosen": result.chosen[kind] == i}
        for kind in KINDS for i, t in enumerate(result.tried.get(kind, []))}})
