"""NLU entry points for other domains: CPU computations, plus reads of stored models.

Everything here blocks on CPU (morphology, model inference): from async code call the ``*_async``
variants, which run in a worker thread, or call from a job. Models are plain bytes (one per
workspace, stored by the caller); ``load_intent_model`` keeps recently used ones in memory.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from threading import Lock

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from omnidesk.domains.nlu.analysis import analyze_message as _analyze_message
from omnidesk.domains.nlu.classifier import ProgressCallback
from omnidesk.domains.nlu.entities import extract_entities as _extract_entities
from omnidesk.domains.nlu.language import message_language
from omnidesk.domains.nlu.model_cache import load_or_train
from omnidesk.domains.nlu.models import NluModel
from omnidesk.domains.nlu.schemas import (
    Entity,
    IntentModel,
    IntentPrediction,
    MessageAnalysis,
    MessageUnderstanding,
)
from omnidesk.domains.nlu.sentiment import Sentiment
from omnidesk.domains.nlu.sentiment import score_sentiment as _score_sentiment
from omnidesk.domains.nlu.training import Row, train_from_rows

LOADED_MODELS_KEPT = 32
_loaded: OrderedDict[str, IntentModel] = OrderedDict()
_loaded_lock = Lock()


def detect_language(text: str) -> str:
    """Return the language of a message: 'ko' or 'en'."""
    return message_language(text)


def analyze_message(text: str, history: Sequence[str] = ()) -> MessageAnalysis:
    """Return language, sentiment and frustration of a message given the customer's history."""
    return _analyze_message(text, history)


def score_sentiment(text: str) -> Sentiment:
    """Return the sentiment label and score in [-1, 1] of one message (lexicon, fast)."""
    return _score_sentiment(text)


def extract_entities(
    text: str, *, products: Sequence[str] = (), today: dt.date | None = None
) -> list[Entity]:
    """Return order numbers, phones, emails, dates, amounts and catalogue products in a message."""
    return _extract_entities(text, products=products, today=today)


def train_intent_model_from_rows(
    rows: Iterable[Row], *, progress: ProgressCallback | None = None
) -> IntentModel:
    """Train an intent model from {'text', 'intent'} rows or (text, intent) pairs."""
    return train_from_rows(rows, progress=progress)


def cached_intent_model(name: str, data: bytes, rows: Callable[[], Iterable[Row]], *,
                        cache_dir: Path | None = None) -> IntentModel:
    """Return the model trained from ``rows`` (whose source is ``data``), trained once per
    machine and kept in the model cache (`nlu.model_cache`)."""
    return load_or_train(name, [data], lambda: train_from_rows(rows()), cache_dir=cache_dir)


def load_intent_model(data: bytes) -> IntentModel:
    """Load model bytes, reusing the already loaded model when the same bytes come again."""
    key = hashlib.sha256(data).hexdigest()
    with _loaded_lock:
        if key in _loaded:
            _loaded.move_to_end(key)
            return _loaded[key]
    model = IntentModel.from_bytes(data)
    with _loaded_lock:
        _remember(key, model)
    return model


def _remember(key: str, model: IntentModel) -> None:
    _loaded[key] = model  # the caller holds _loaded_lock
    while len(_loaded) > LOADED_MODELS_KEPT:
        _loaded.popitem(last=False)


def predict_intent(model: IntentModel, text: str) -> IntentPrediction:
    """Classify a message with a workspace's intent model."""
    return model.predict(text)


def understand_message(
    text: str,
    *,
    model: IntentModel | None = None,
    history: Sequence[str] = (),
    products: Sequence[str] = (),
    today: dt.date | None = None,
) -> MessageUnderstanding:
    """Run the whole NLU pass on one message (intent only when a model is given)."""
    return MessageUnderstanding(
        analysis=_analyze_message(text, history),
        intent=model.predict(text) if model is not None else None,
        entities=_extract_entities(text, products=products, today=today),
    )


async def understand_message_async(
    text: str,
    *,
    model: IntentModel | None = None,
    history: Sequence[str] = (),
    products: Sequence[str] = (),
    today: dt.date | None = None,
) -> MessageUnderstanding:
    """Run ``understand_message`` in a worker thread so the event loop stays free."""
    return await asyncio.to_thread(
        understand_message, text, model=model, history=history, products=products, today=today
    )


async def get_active_model_row(session: AsyncSession, *, workspace_id: int) -> NluModel | None:
    """Return the workspace's active stored intent model row, or None."""
    return await session.scalar(select(NluModel).where(NluModel.workspace_id == workspace_id,
                                                       NluModel.is_active.is_(True)))


async def get_active_intent_model(session: AsyncSession, *, workspace_id: int
                                  ) -> IntentModel | None:
    """Return the workspace's active intent model, or None: its bytes are read and loaded once
    per stored version (a stored model never changes), not on every message."""
    found = (await session.execute(
        select(NluModel.id, NluModel.version, NluModel.created_at)
        .where(NluModel.workspace_id == workspace_id, NluModel.is_active.is_(True)))).first()
    if found is None:
        return None
    key = f"row:{workspace_id}:{found.id}:{found.version}:{found.created_at}"
    with _loaded_lock:
        if key in _loaded:
            _loaded.move_to_end(key)
            return _loaded[key]
    data = await session.scalar(select(NluModel.model_bytes).where(NluModel.id == found.id))
    model = await asyncio.to_thread(load_intent_model, data or b"")
    with _loaded_lock:
        _remember(key, model)
    return model


async def active_model_workspaces(session: AsyncSession) -> list[int]:
    """Return the ids of the workspaces that have an active intent model (at most as many as
    are kept loaded), most recently trained first."""
    rows = await session.scalars(select(NluModel.workspace_id).where(NluModel.is_active.is_(True))
                                 .order_by(NluModel.created_at.desc()).limit(LOADED_MODELS_KEPT))
    return list(rows.all())


async def list_model_versions(session: AsyncSession, *, workspace_id: int) -> list[NluModel]:
    """List the workspace's stored model versions, newest first, without their model bytes."""
    rows = await session.scalars(select(NluModel).where(NluModel.workspace_id == workspace_id)
                                 .options(defer(NluModel.model_bytes, raiseload=True))
                                 .order_by(NluModel.version.desc()))
    return list(rows.all())
