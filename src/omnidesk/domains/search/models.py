"""The message search index: one row of analysed terms per message, and the indexer's mark."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdType, WorkspaceScoped
from omnidesk.domains.search.ddl import drop_search_index, ensure_search_index


class SearchMessage(Base, WorkspaceScoped):
    """A message's morphemes (the knowledge base's analyser), keyed by the message id.

    Every message gets a row, even one without words, so the indexer can find the messages it
    has not seen yet with an anti-join. The full-text index (``ddl.py``) follows this table.
    """

    __tablename__ = "search_messages"
    __table_args__ = (Index("ix_search_messages_ws_id", "workspace_id", "id"),)

    id: Mapped[int] = mapped_column(
        IdType, ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime]
    terms: Mapped[str] = mapped_column(Text, default="")


class SearchIndexState(Base):
    """How far the indexer got: the highest message id it indexed (one row per index name)."""

    __tablename__ = "search_index_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_id: Mapped[int] = mapped_column(IdType, default=0)


event.listen(SearchMessage.__table__, "after_create",
             lambda _t, conn, **_: ensure_search_index(conn))
event.listen(SearchMessage.__table__, "before_drop",
             lambda _t, conn, **_: drop_search_index(conn))
