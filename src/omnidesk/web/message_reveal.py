"""Reveal one message of the agent's thread: masked by default, shown in clear with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.conversations.secret_actions import do_reveal_message
from omnidesk.web.deps import agent_post, render

router = APIRouter(include_in_schema=False)


@router.post("/conversations/{conversation_id}/messages/{message_id}/reveal",
             response_class=HTMLResponse)
async def reveal_message_body(
    request: Request, session: SessionDep, conversation_id: Id, message_id: Id,
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Render the message body in clear and write the access-log row (reason required)."""
    page = await agent_post(request, session)
    if isinstance(page, Response):
        return page
    try:
        revealed = await do_reveal_message(
            session, actor=page.actor, message_id=message_id, reason=reason,
            conversation_id=conversation_id, ip=request.client.host if request.client else None)
    except DomainError as exc:  # shown beside the reveal form (agent/timeline.js)
        return Response(exc.message, status_code=exc.status,
                        media_type="text/plain; charset=utf-8")
    await session.commit()
    return render(request, page, "conversation/_revealed.html", message_id=message_id,
                  conversation_id=conversation_id, revealed=revealed)
