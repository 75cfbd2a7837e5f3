"""Bot API: read and change the workspace's bot settings, train its intent model."""

from __future__ import annotations

from fastapi import APIRouter

from omnidesk.core.api import ApiRoute
from omnidesk.core.errors import InvalidInput
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.domains.bot import actions, service
from omnidesk.domains.bot.schemas import (
    BotSettingsRead,
    BotSettingsUpdate,
    NluModelRead,
    TrainIn,
)
from omnidesk.domains.nlu.schemas import TrainingError
from omnidesk.domains.nlu.service import list_model_versions

router = APIRouter(prefix="/api/v1/bot", tags=["bot"], route_class=ApiRoute)


@router.get("/settings", response_model=BotSettingsRead)
async def read_settings(actor: ActorDep, session: SessionDep) -> BotSettingsRead:
    """Return the workspace's bot settings."""
    settings = await service.get_bot_settings(session, workspace_id=actor.workspace_id)
    return BotSettingsRead.model_validate(settings.model_dump())


@router.patch("/settings", response_model=BotSettingsRead)
async def update_settings(update: BotSettingsUpdate, actor: ActorDep,
                          session: SessionDep) -> BotSettingsRead:
    """Change the bot settings (admins): on/off per channel, greeting, tone, intents, policy."""
    settings = await actions.check_update_bot_settings(
        session, actor=actor, changes=update.model_dump(exclude_unset=True))
    await session.commit()
    return BotSettingsRead.model_validate(settings.model_dump())


@router.post("/train", response_model=NluModelRead, status_code=201)
async def train(body: TrainIn, actor: ActorDep, session: SessionDep) -> NluModelRead:
    """Train and activate a new intent model version for the workspace (admins)."""
    actor.require("admin")
    try:
        row = await actions.do_train_workspace_model(
            session, workspace_id=actor.workspace_id, rows=body.rows or None,
            source="api" if body.rows else "shipped")
    except TrainingError as exc:
        raise InvalidInput(str(exc), field="rows") from exc
    await session.commit()
    return NluModelRead.model_validate(row)


@router.get("/models", response_model=list[NluModelRead])
async def list_models(actor: ActorDep, session: SessionDep) -> list[NluModelRead]:
    """List the workspace's stored intent model versions, newest first."""
    rows = await list_model_versions(session, workspace_id=actor.workspace_id)
    return [NluModelRead.model_validate(r) for r in rows]
