"""What the admins' settings forms share: posted text in, a clear message on a typo.

Every field arrives as text so that a letter in a number or a blank name becomes a message on
the re-rendered form (with what the admin typed kept) instead of FastAPI's JSON 422. The domain's
own schemas validate the values, so the page and the JSON API accept exactly the same settings.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import DomainError
from omnidesk.web.deps import AgentPage, csrf_failed, forbidden
from omnidesk.web.i18n import translate
from omnidesk.web.supervisor import supervisor_page

Form = Mapping[str, str]


@dataclasses.dataclass
class Editor:
    """One form of the page: new (no id) or editing a stored object, with its problem if any."""

    object_id: int | None = None
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    error: str | None = None
    error_field: str | None = None


class FormError(ValueError):
    """A posted value that cannot be read; ``message`` is a msgid or a validator's text."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def text_form(raw: Mapping[str, Any]) -> dict[str, str]:
    """Keep the posted text fields (uploads have no place here), without the CSRF token."""
    return {k: v for k, v in raw.items() if isinstance(v, str) and k != "csrf"}


def is_partial(request: Request) -> bool:
    """Tell whether HTMX asked for the page body alone (not when it restores history)."""
    return bool(request.headers.get("hx-request")
                and not request.headers.get("hx-history-restore-request"))


async def admin_post(request: Request, session: AsyncSession) -> tuple[AgentPage | Response,
                                                                       dict[str, str]]:
    """Return the posting admin and the form, or the answer for a non-admin or a bad token."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page, {}
    if page.user.role != "admin":
        return forbidden(request, page, "Only admins can do this."), {}
    raw = await request.form()
    csrf = raw.get("csrf")
    if (denied := csrf_failed(request, csrf if isinstance(csrf, str) else None)) is not None:
        return denied, {}
    return page, text_form(raw)


async def reset(session: AsyncSession, page: AgentPage) -> None:
    """Undo a refused change and reload the page's user and workspace for the re-rendered form."""
    await session.rollback()
    await session.refresh(page.user)
    await session.refresh(page.workspace)


def describe_problem(page: AgentPage, exc: Exception) -> tuple[str, int, str | None]:
    """Describe an error for the form: its message (field label first), status and field."""
    if isinstance(exc, IntegrityError):
        return translate(page.locale, "This would duplicate existing settings."), 409, None
    if isinstance(exc, FormError):
        message, status, bad_field = translate(page.locale, exc.message), 422, exc.field
    else:
        assert isinstance(exc, DomainError)
        message, status, bad_field = exc.message, exc.status, exc.field
    if bad_field:
        label = translate(page.locale, f"field:{bad_field}")
        message = f"{label}: {message}" if label != f"field:{bad_field}" else message
    return message, status, bad_field


ModelT = TypeVar("ModelT", bound=BaseModel)


def validate(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    """Validate with the domain's schema; the first problem becomes a FormError on its field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        names = [part for part in error["loc"] if isinstance(part, str)]
        message = str(error["msg"]).removeprefix("Value error, ")
        raise FormError(names[-1] if names else None, message) from exc


def number(form: Form, field: str) -> float | None:
    """Read a number field; blank is None, anything else not a finite number a FormError."""
    raw = form.get(field, "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise FormError(field, "Enter a number.") from None
    if not math.isfinite(value):
        raise FormError(field, "Enter a number.")
    return value


def integer(form: Form, field: str) -> int | None:
    """Read the id or whole number of a select or field; blank is None."""
    raw = form.get(field, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise FormError(field, "Choose one of the listed values.")
    return int(raw)


def items(raw: str) -> list[str]:
    """Split a comma- or line-separated list, blanks dropped."""
    return [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]


def is_checked(form: Form, field: str) -> bool:
    """Tell whether a checkbox was ticked."""
    return form.get(field, "") not in ("", "0", "off", "false")


def number_text(value: float | None) -> str:
    """Write a stored number for a form or a table: 300.0 as 300, none as blank."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
