"""Alembic migrations and a programmatic runner (`omnidesk db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).parent


# Full-text search objects made by DDL (not by the models): SQLite FTS5 tables, PostgreSQL
# generated tsvector columns. Autogenerate and the schema comparison must leave them alone.
SEARCH_INDEX_TABLE_PREFIXES = ("kb_passages_fts", "search_messages_fts")
SEARCH_INDEX_COLUMNS = {("kb_passages", "search_vector"), ("search_messages", "search_vector")}
SEARCH_INDEX_INDEXES = {"ix_kb_passages_search_vector", "ix_search_messages_search_vector"}


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   _compare_to: object) -> bool:
    """Tell autogenerate whether to compare an object (skip DDL-made search indexes)."""
    if type_ == "table" and name and name.startswith(SEARCH_INDEX_TABLE_PREFIXES):
        return False
    if type_ == "column" and reflected:
        table = getattr(getattr(obj, "table", None), "name", None)
        if (table, name) in SEARCH_INDEX_COLUMNS:
            return False
    return not (type_ == "index" and name in SEARCH_INDEX_INDEXES)


def alembic_config(database_url: str) -> Config:
    """Build an Alembic config pointing at this package's scripts and the given database."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply migrations up to a revision."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Revert migrations down to a revision."""
    command.downgrade(alembic_config(database_url), revision)
