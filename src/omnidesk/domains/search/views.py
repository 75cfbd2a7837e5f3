"""Search API: one box over conversations, messages and customers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.search import service
from omnidesk.domains.search.schemas import SearchFilter, SearchResults

router = APIRouter(prefix="/api/v1/search", tags=["search"], route_class=ApiRoute)


@router.get("", response_model=SearchResults)
async def search(
    actor: ActorDep,
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=200,
                            description="Words, a name, email, phone, order or #conversation")],
    status: Annotated[str | None, Query(pattern="^(open|pending|snoozed|resolved)$")] = None,
    inbox_id: Id | None = None,
    channel: Annotated[str | None, Query(max_length=16)] = None,
    assignee: Annotated[str | None, Query(pattern=r"^(me|none|\d{1,18})$")] = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> SearchResults:
    """Find conversations by their messages' words (Korean-aware) and customers by handle."""
    flt = SearchFilter(status=status, inbox_id=inbox_id, channel=channel, assignee=assignee,
                       date_from=date_from, date_to=date_to)
    return await service.search(session, actor=actor, q=q, flt=flt, limit=limit)
