"""Find and scrub a person's values anywhere in the database, table by table from the metadata.

Erasure first removes what it knows belongs to the person (their profile, identities, messages,
files); this sweep then looks in every text, JSON and binary column of every workspace table for
what is left — the outbox payloads, raw webhook bodies, search terms, notes, order addresses — and
replaces each value with ``[erased]`` (a raw body, which cannot be edited meaningfully, is
emptied). JSON is searched both as stored text and with non-ASCII escaped (``\\uXXXX``), since
SQLite keeps JSON as escaped text.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, LargeBinary, String, Table, Text, cast, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import Base

ERASED = "[erased]"


def _forms(needle: str) -> set[str]:
    """Return the ways a value may be stored: as is, and JSON-escaped."""
    return {needle, json.dumps(needle)[1:-1]}


def textual_columns(table: Table) -> list[Any]:
    """Return the columns of a table that can hold text (strings, JSON, bytes)."""
    return [c for c in table.columns if isinstance(c.type, String | Text | JSON | LargeBinary)
            and not c.primary_key]


def _scrub(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        for needle in needles:
            if needle.lower() in value.lower():
                value = _replace(value, needle)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, needles) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, needles) for v in value]
    if isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
        return b"" if any(n.lower() in text.lower() or json.dumps(n)[1:-1] in text
                          for n in needles) else value
    return value


def _replace(text: str, needle: str) -> str:
    lowered, out, start = text.lower(), [], 0
    while (found := lowered.find(needle.lower(), start)) >= 0:
        out += [text[start:found], ERASED]
        start = found + len(needle)
    return "".join([*out, text[start:]])


async def sweep(session: AsyncSession, *, workspace_id: int, needles: list[str],
                skip: frozenset[str] = frozenset()) -> dict[str, int]:
    """Scrub every trace of the needles in the workspace's rows; return rows changed per table."""
    wanted = sorted({n.strip() for n in needles if n and len(n.strip()) >= 3}, key=len,
                    reverse=True)
    changed: dict[str, int] = {}
    if not wanted:
        return changed
    for table in Base.metadata.sorted_tables:
        columns = textual_columns(table)
        if table.name in skip or not columns or "workspace_id" not in table.c:
            continue
        keys = list(table.primary_key.columns)
        tests = [cast(c, Text).contains(form, autoescape=True) for c in columns
                 if not isinstance(c.type, LargeBinary) for n in wanted for form in _forms(n)]
        binary = [c for c in columns if isinstance(c.type, LargeBinary)]
        query = select(*keys, *columns).where(table.c.workspace_id == workspace_id)
        if not binary:
            query = query.where(or_(*tests))
        rows = (await session.execute(query)).all()
        count = 0
        for row in rows:
            values = row._mapping
            new = {c.name: _scrub(values[c.name], wanted) for c in columns}
            if all(new[c.name] == values[c.name] for c in columns):
                continue
            where = [k == values[k.name] for k in keys]
            await session.execute(update(table).where(*where).values(
                {c.name: new[c.name] for c in columns if new[c.name] != values[c.name]}))
            count += 1
        if count:
            changed[table.name] = count
    return changed
