"""Cursor pagination over descending integer ids."""

from __future__ import annotations

import base64
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select

from omnidesk.core.errors import InvalidInput
from omnidesk.core.schemas import MAX_ID

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of items and the cursor for the next one (null at the end)."""

    items: list[T]
    next_cursor: str | None = None


def encode_cursor(last_id: int) -> str:
    """Encode the last id seen as an opaque cursor."""
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Decode a cursor back to the last id seen; a bad cursor is a 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, value = base64.urlsafe_b64decode(padded).decode().split(":", 1)
        last_id = int(value)
        if kind != "id" or not 1 <= last_id <= MAX_ID:
            raise ValueError(cursor)
        return last_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("invalid cursor: pass next_cursor from the previous page unchanged",
                           field="cursor") from exc


def paginate(query: Select[Any], id_column: Any, *, cursor: str | None, limit: int) -> Select[Any]:
    """Apply keyset pagination (newest first) to a select; fetch one extra row to detect more."""
    if cursor:
        query = query.where(id_column < decode_cursor(cursor))
    return query.order_by(id_column.desc()).limit(limit + 1)


def page_of(rows: list[Any], limit: int) -> tuple[list[Any], str | None]:
    """Split the extra row off and build the next cursor."""
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(rows[-1].id)
    return rows, None
