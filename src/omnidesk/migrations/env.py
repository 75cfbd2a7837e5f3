"""Alembic environment: runs migrations on the async engine for SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine
from omnidesk.migrations import include_object

config = context.config


def _include(obj: object, name: str | None, type_: str, reflected: bool, cmp: object) -> bool:
    """Skip DDL-made search objects; limit to some tables ('only_tables') when asked."""
    if not include_object(obj, name, type_, reflected, cmp):
        return False
    only = config.attributes.get("only_tables")
    if not only or type_ != "table":
        return True
    return name in only


def _run(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # Batch mode rebuilds a table (copy, DROP, rename); with foreign keys on, the DROP
        # would cascade-delete the rows of every child table (messages of conversations).
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("alembic config has no sqlalchemy.url; run migrations through omnidesk")
    engine = create_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    existing = config.attributes.get("connection")
    if existing is not None:
        _run(existing)
    else:
        asyncio.run(_run_async())
