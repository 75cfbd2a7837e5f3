"""DDL of the full-text index over ``search_messages``' pre-analysed terms.

SQLite gets an FTS5 external-content table kept in step by triggers; PostgreSQL a generated
tsvector column with a GIN index. Both follow the rows by themselves, like the knowledge base's
index (``domains/knowledge/ddl.py``). The terms come from the knowledge base's analyser.
"""

from __future__ import annotations

from sqlalchemy import Connection

from omnidesk.core.db import run_ddl

SQLITE_DDL = (
    ("CREATE VIRTUAL TABLE IF NOT EXISTS search_messages_fts USING fts5(terms, "
    "content='search_messages', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"),
    ("CREATE TRIGGER IF NOT EXISTS search_messages_fts_insert AFTER INSERT ON search_messages "
    "BEGIN INSERT INTO search_messages_fts(rowid, terms) VALUES (new.id, new.terms); END"),
    ("CREATE TRIGGER IF NOT EXISTS search_messages_fts_delete AFTER DELETE ON search_messages "
    "BEGIN INSERT INTO search_messages_fts(search_messages_fts, rowid, terms) "
    "VALUES ('delete', old.id, old.terms); END"),
    ("CREATE TRIGGER IF NOT EXISTS search_messages_fts_update AFTER UPDATE ON search_messages "
    "BEGIN INSERT INTO search_messages_fts(search_messages_fts, rowid, terms) "
    "VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_messages_fts(rowid, terms) VALUES (new.id, new.terms); END"),
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS search_messages_fts_insert",
    "DROP TRIGGER IF EXISTS search_messages_fts_delete",
    "DROP TRIGGER IF EXISTS search_messages_fts_update",
    "DROP TABLE IF EXISTS search_messages_fts",
)
POSTGRES_DDL = (
    ("ALTER TABLE search_messages ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED"),
    ("CREATE INDEX IF NOT EXISTS ix_search_messages_search_vector ON search_messages "
    "USING gin (search_vector)"),
)


def ensure_search_index(connection: Connection) -> None:
    """Create the message full-text index on this connection's database (idempotent)."""
    run_ddl(connection, {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL})


def drop_search_index(connection: Connection) -> None:
    """Drop the index objects (the PostgreSQL column goes with its table)."""
    run_ddl(connection, {"sqlite": SQLITE_DROP})
