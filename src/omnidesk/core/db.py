"""Database kernel: declarative base, column types, engine and session factories."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar, Protocol, TypeVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    event,
    select,
    text,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, CursorResult, Result
from sqlalchemy.exc import DisconnectionError, IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    InstrumentedAttribute,
    Mapped,
    Session,
    make_transient_to_detached,
    mapped_column,
)
from sqlalchemy.orm.attributes import instance_dict
from sqlalchemy.types import TypeDecorator

from omnidesk.core.errors import NotFound
from omnidesk.core.text import UNSTORABLE, dumps_storable, storable, storable_json

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite so ids autoincrement on both.
IdType = BigInteger().with_variant(Integer(), "sqlite")
JsonType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    """Return the current time as an aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Store aware datetimes as UTC and always hand back aware UTC values (SQLite drops tzinfo)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use omnidesk.core.db.utcnow()")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base for every omnidesk table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: UTCDateTime, dict[str, Any]: JsonType, list[Any]: JsonType}


STATISTICS: dict[str, Any] = {"info": {"erasure": "keep"}}
"""Last ``__table_args__`` entry of a table whose rows feed reports (a survey answer, a
conversation's facts): erasing a customer keeps its rows, linked to the anonymised customer
row, and blanks their free-text columns, so past figures do not change."""


def kept_on_erasure(table: Table) -> bool:
    """Say whether erasing a customer keeps this table's rows (declared with STATISTICS)."""
    return bool(table.info.get("erasure") == "keep")


class IdMixin:
    """Integer surrogate primary key."""

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)


class TimestampMixin:
    """Creation and update times."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WorkspaceScoped:
    """Tenant column: every domain table belongs to exactly one workspace."""

    workspace_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True, nullable=False
    )


class WorkspaceRow(Protocol):
    """A table with an integer id that belongs to a workspace (IdMixin + WorkspaceScoped)."""

    id: ClassVar[InstrumentedAttribute[int]]
    workspace_id: ClassVar[InstrumentedAttribute[int]]


ModelT = TypeVar("ModelT", bound=WorkspaceRow)
T = TypeVar("T")


async def get_in_workspace(session: AsyncSession, model: type[ModelT], *, workspace_id: int,
                           object_id: int, what: str) -> ModelT:
    """Fetch a row of a workspace-scoped table by id, or raise NotFound ("<what> not found")."""
    row = await session.scalar(
        select(model).where(model.id == object_id, model.workspace_id == workspace_id)
    )
    if row is None:
        raise NotFound(f"{what} not found")
    return row


async def flush_pending(session: AsyncSession) -> None:
    """Flush the session's unsaved changes before a Core read or write (which, unlike an ORM
    query, does not autoflush): the statement sees them, and the events already emitted keep
    their place before the ones it writes. Nothing to flush costs nothing."""
    sync = session.sync_session
    if sync.new or sync.dirty or sync.deleted:
        await session.flush()


def add_as_loaded(session: AsyncSession, model: type[T], values: dict[str, Any]) -> T:
    """Make a row a Core statement wrote or read a persistent object of the session, as if a
    query had loaded it: the given columns set without history (a later ORM change to it is
    written as an UPDATE; the others load when first read). Costs a fraction of an ORM load or
    flush of the same row (their compile state and row processors are built on every run)."""
    row = sa_inspect(model).class_manager.new_instance()
    instance_dict(row).update(values)
    make_transient_to_detached(row)  # as loaded: no history
    session.sync_session.add(row)
    return cast(T, row)


def run_ddl(connection: Connection, statements: Mapping[str, Sequence[str]]) -> None:
    """Run the DDL statements written for this connection's dialect (none for the others):
    the full-text indexes' and the outbox trigger's, in migrations and ``create_all``."""
    for statement in statements.get(connection.dialect.name, ()):
        connection.execute(text(statement))


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """Return how many rows an executed UPDATE or DELETE matched (checks a conditional claim)."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"rowcount needs the result of an UPDATE or DELETE, "
                        f"not {type(result).__name__}")
    return result.rowcount


async def commit_once(session: AsyncSession, attempt: Callable[[], Awaitable[T]],
                      repeat: Callable[[], Awaitable[T | None]]) -> T:
    """Run a write and commit it; when a unique key says a concurrent copy won, return that.

    Two copies of one idempotent request (a double-click, a retry racing the original) both
    find nothing stored and both insert; the loser's flush or commit hits the unique constraint,
    is rolled back, and answers with what the winner stored (`repeat`).
    """
    try:
        result = await attempt()
        await session.commit()
        return result
    except IntegrityError:
        await session.rollback()
        found = await repeat()
        if found is None:
            raise
        return found


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10, max_overflow: int = 20,
                  pool_timeout: float = 30) -> AsyncEngine:
    """Create the async engine, with WAL and foreign keys turned on for SQLite.

    Every value bound to the database passes through ``core.text.storable`` (strings) or
    ``dumps_storable`` (JSON), so text from any way in — webhooks, mail, the widget, the API,
    imports — is stored the same on both databases instead of failing on one of them.
    """
    kwargs: dict[str, Any] = {"echo": echo, "json_serializer": dumps_storable}
    if ":memory:" not in url and not url.endswith("://"):  # an in-memory SQLite has one connection
        kwargs.update(pool_size=pool_size, max_overflow=max_overflow, pool_timeout=pool_timeout)
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "before_cursor_execute", _storable_parameters, retval=True)
    if url.startswith("sqlite"):
        _tune_sqlite(engine)
    else:
        _ping_when_idle(engine)
    return engine


IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection before use only when it sat idle for a while (a restarted or
    failed-over database, a proxy's idle timeout): a connection returned a moment ago is used
    as it is. SQLAlchemy's pool_pre_ping pinged on every checkout, one round trip for every
    session (each message, each delivery). A dead connection is replaced before anyone uses it
    (the pool retries the checkout on a DisconnectionError)."""
    sync = engine.sync_engine

    def checked_in(_dbapi: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()

    def checked_out(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("checked_in", None)
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            sync.dialect.do_ping(dbapi)
        except Exception as exc:  # any failure: this connection is not usable
            raise DisconnectionError(f"idle connection failed its ping: {exc}") from exc

    event.listen(sync.pool, "checkin", checked_in)
    event.listen(sync.pool, "checkout", checked_out)


def _storable_parameters(_conn: Any, _cursor: Any, statement: str, parameters: Any,
                         _context: Any, executemany: bool) -> tuple[str, Any]:
    if executemany:
        return statement, [_storable_row(row) for row in parameters]
    return statement, _storable_row(parameters)


def _storable_row(row: Any) -> Any:
    """Return the row's parameters with unstorable strings cleaned (the same object if none)."""
    if isinstance(row, dict):
        if any(isinstance(v, str) and UNSTORABLE.search(v) for v in row.values()):
            return {k: storable(v) if isinstance(v, str) else v for k, v in row.items()}
        return row
    if isinstance(row, list | tuple) and any(isinstance(v, str) and UNSTORABLE.search(v)
                                             for v in row):
        return type(row)(storable(v) if isinstance(v, str) else v for v in row)
    return row


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


class StorableSession(Session):
    """A session whose flushed objects hold storable text, so what a route answers is stored."""


@event.listens_for(StorableSession, "before_flush")
def _storable_objects(session: Session, _context: Any, _instances: Any) -> None:
    new = session.new
    for obj in (*new, *session.dirty):
        state = sa_inspect(obj)
        keys = ([p.key for p in state.mapper.column_attrs] if obj in new
                else list(state.committed_state))
        for key in keys:
            value = state.dict.get(key)
            if isinstance(value, str | dict | list):
                cleaned = storable_json(value)
                if cleaned is not value:
                    setattr(obj, key, cleaned)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Create the session factory; objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True,
                              sync_session_class=StorableSession)
