"""DDL of the database full-text index over kb_passages' pre-tokenized terms.

SQLite gets an FTS5 external-content table kept in step by triggers; PostgreSQL a generated,
weighted tsvector column with a GIN index. Both follow the rows of ``kb_passages`` by themselves.
``ensure_search_index`` runs after ``create_all`` creates the table (see models.py) and is what
an Alembic migration calls: ``op.get_bind()`` is the connection.
"""

from __future__ import annotations

from sqlalchemy import Connection

from omnidesk.core.db import run_ddl

SQLITE_DDL = (
    (
        "CREATE VIRTUAL TABLE IF NOT EXISTS kb_passages_fts USING fts5(title_terms, body_terms, "
        "content='kb_passages', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS kb_passages_fts_insert AFTER INSERT ON kb_passages BEGIN "
        "INSERT INTO kb_passages_fts(rowid, title_terms, body_terms) "
        "VALUES (new.id, new.title_terms, new.body_terms); END"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS kb_passages_fts_delete AFTER DELETE ON kb_passages BEGIN "
        "INSERT INTO kb_passages_fts(kb_passages_fts, rowid, title_terms, body_terms) "
        "VALUES ('delete', old.id, old.title_terms, old.body_terms); END"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS kb_passages_fts_update AFTER UPDATE ON kb_passages BEGIN "
        "INSERT INTO kb_passages_fts(kb_passages_fts, rowid, title_terms, body_terms) "
        "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
        "INSERT INTO kb_passages_fts(rowid, title_terms, body_terms) "
        "VALUES (new.id, new.title_terms, new.body_terms); END"
    ),
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS kb_passages_fts_insert",
    "DROP TRIGGER IF EXISTS kb_passages_fts_delete",
    "DROP TRIGGER IF EXISTS kb_passages_fts_update",
    "DROP TABLE IF EXISTS kb_passages_fts",
)
POSTGRES_DDL = (
    (
        "ALTER TABLE kb_passages ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS "
        "(setweight(to_tsvector('simple', title_terms), 'A') || "
        "setweight(to_tsvector('simple', body_terms), 'B')) STORED"
    ),
    (
        "CREATE INDEX IF NOT EXISTS ix_kb_passages_search_vector ON kb_passages "
        "USING gin (search_vector)"
    ),
)


def ensure_search_index(connection: Connection) -> None:
    """Create the full-text index for kb_passages on this connection's database (idempotent)."""
    run_ddl(connection, {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL})


def drop_search_index(connection: Connection) -> None:
    """Drop the full-text index objects (the column goes with its table on PostgreSQL)."""
    run_ddl(connection, {"sqlite": SQLITE_DROP})
