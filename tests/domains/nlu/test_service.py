import datetime as dt

from omnidesk.domains.nlu import service
from omnidesk.domains.nlu.schemas import IntentModel
from tests.sql_log import recorded_statements


def test_load_intent_model_reuses_a_model_for_the_same_bytes(small_model: IntentModel) -> None:
    data = small_model.to_bytes()
    first = service.load_intent_model(data)
    assert service.load_intent_model(data) is first
    assert service.predict_intent(first, "refund status please").intent == "refund_status"


def test_understand_message_combines_analysis_intent_and_entities(
    small_model: IntentModel,
) -> None:
    result = service.understand_message(
        "주문번호 2024112312345 환불 언제 돼요?? 상담원 연결해줘",
        model=small_model,
        history=["환불 언제 돼요"],
        today=dt.date(2024, 11, 25),
    )
    assert result.analysis.wants_human
    assert result.needs_human
    assert result.intent is not None
    assert [entity.kind for entity in result.entities] == ["order_number"]


async def test_understand_message_async_runs_off_the_event_loop() -> None:
    result = await service.understand_message_async("Thanks, that was great!")
    assert result.intent is None
    assert result.analysis.sentiment == "positive"
    assert not result.needs_human
    assert service.detect_language("Thanks") == "en"


async def test_the_active_model_is_read_once_per_stored_version(
        session, owner, small_model: IntentModel) -> None:  # type: ignore[no-untyped-def]
    """The bot asks for the active model on every turn: its bytes are read and loaded once per
    stored version, and a newly activated version is picked up."""
    from omnidesk.domains.nlu.actions import do_store_model

    ws = owner.workspace_id
    await do_store_model(session, workspace_id=ws, model=small_model)
    await session.commit()
    with recorded_statements(session.bind) as statements:
        first = await service.get_active_intent_model(session, workspace_id=ws)
        read_bytes = [s for s in statements if "model_bytes" in s]
        statements.clear()
        again = await service.get_active_intent_model(session, workspace_id=ws)
        assert again is first and read_bytes
        assert not [s for s in statements if "model_bytes" in s]
        await do_store_model(session, workspace_id=ws, model=small_model)  # version 2, active
        await session.commit()
        statements.clear()
        newer = await service.get_active_intent_model(session, workspace_id=ws)
        assert newer is not None and [s for s in statements if "model_bytes" in s]
        assert newer.predict("refund status please") == first.predict("refund status please")
