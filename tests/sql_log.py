"""Record the SQL statements an engine runs inside a block (tests of reads and budgets)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event


@contextmanager
def recorded_statements(engine: Any) -> Iterator[list[str]]:
    """Yield the list the statements of `engine` (sync or async) are appended to meanwhile."""
    sync = getattr(engine, "sync_engine", engine)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(sync, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(sync, "before_cursor_execute", record)
