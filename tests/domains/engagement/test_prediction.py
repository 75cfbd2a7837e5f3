"""Contact reasons predicted from behaviour: training on a known history, prediction, the
time-split evaluation command on the demo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from omnidesk.app.cli import app
from omnidesk.app.subscribers import build_registry
from omnidesk.config import Settings
from omnidesk.domains.commerce.models import BehaviourEvent
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.engagement.actions import do_train_contact_reason_model
from omnidesk.domains.engagement.models import ContactReasonModelRow
from omnidesk.domains.engagement.prediction import PredictionError
from omnidesk.domains.engagement.service import predict_contact_reason
from omnidesk.domains.engagement.tasks import CONTACT_REASON_SCHEDULE, do_retrain_contact_reasons
from tests.cli_run import cli_database, run_cli
from tests.conftest import Persona
from tests.demo_cache import loaded_demo

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
# What each kind of shopper did before writing, and why they wrote.
TRAILS = {
    "delivery_delay": [("delivery_delayed", None, {"days": 2})],
    "payment_error": [("checkout", "https://shop.example/checkout/payment",
                       {"step": "payment", "status": "declined"})],
    "return": [("page", "https://shop.example/returns", {}),
               ("page", "https://shop.example/returns", {})],
}


async def customer_with(session: AsyncSession, ws: int, name: str, trail: str,
                        at: dt.datetime, intent: str | None) -> Customer:
    """A customer who did the trail's events in the hour before `at` (and wrote, if intent)."""
    customer = Customer(workspace_id=ws, name=name)
    session.add(customer)
    await session.flush()
    for n, (kind, url, data) in enumerate(TRAILS[trail]):
        session.add(BehaviourEvent(workspace_id=ws, customer_id=customer.id, kind=kind, url=url,
                                   data=data, occurred_at=at - dt.timedelta(minutes=50 - n)))
        session.add(BehaviourEvent(workspace_id=ws, customer_id=customer.id, kind="page",
                                   url="https://shop.example/", data={},
                                   occurred_at=at - dt.timedelta(days=3, minutes=n)))
    if intent:
        session.add(Conversation(workspace_id=ws, customer_id=customer.id, channel="web",
                                 status="resolved", intent=intent, created_at=at, updated_at=at))
    return customer


async def hand_built_history(session: AsyncSession, ws: int) -> None:
    for day in range(12):
        for trail in TRAILS:
            at = NOW - dt.timedelta(days=30 - day, hours=len(trail))
            await customer_with(session, ws, f"{trail}-{day}", trail, at, trail)
    await session.commit()


async def test_a_model_trained_on_a_known_history_predicts_the_reason_before_they_write(
        session: AsyncSession, owner: Persona) -> None:
    with pytest.raises(PredictionError):  # nothing to learn from yet
        await do_train_contact_reason_model(session, workspace_id=owner.workspace_id)
    await hand_built_history(session, owner.workspace_id)
    row = await do_train_contact_reason_model(session, workspace_id=owner.workspace_id)
    await session.commit()
    assert (row.version, row.is_active, sorted(row.labels)) == (
        1, True, ["delivery_delay", "payment_error", "return"])

    for trail in TRAILS:
        shopper = await customer_with(session, owner.workspace_id, f"new {trail}", trail,
                                      NOW, None)
        await session.commit()
        guess = await predict_contact_reason(session, workspace_id=owner.workspace_id,
                                             customer_id=shopper.id, at=NOW)
        assert guess is not None and guess.intent == trail and guess.confident, guess
        assert guess.version == 1 and guess.top[0][0] == trail
    # A second training is the next version; only it is active.
    again = await do_train_contact_reason_model(session, workspace_id=owner.workspace_id)
    await session.commit()
    active = (await session.scalars(select(ContactReasonModelRow.version).where(
        ContactReasonModelRow.is_active.is_(True)))).all()
    assert again.version == 2 and active == [2]


async def test_a_workspace_without_a_model_predicts_nothing(
        session: AsyncSession, owner: Persona, outsider: Persona) -> None:
    await hand_built_history(session, owner.workspace_id)
    await do_train_contact_reason_model(session, workspace_id=owner.workspace_id)
    await session.commit()
    shopper = await customer_with(session, outsider.workspace_id, "x", "return", NOW, None)
    await session.commit()
    assert await predict_contact_reason(session, workspace_id=outsider.workspace_id,
                                        customer_id=shopper.id, at=NOW) is None


PERCENT = r"(\d+\.\d)%"


async def test_the_eval_command_prints_accuracy_on_the_demo_history_above_the_baseline(
        session: AsyncSession, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = (await loaded_demo(session)).report
    assert report.behaviour_events > 1000
    with cli_database(monkeypatch, db_url):
        result = await run_cli(["engagement", "eval", "--workspace", "hanbit"],
                               terminal_width=160)
    assert result.exit_code == 0, result.output
    model = re.search(rf"model\s+│\s+{PERCENT}\s+│\s+{PERCENT}", result.output)
    baseline = re.search(rf"baseline \(most frequent: \w+\)\s+│\s+{PERCENT}\s+│\s+{PERCENT}",
                         result.output)
    assert model and baseline, result.output
    assert "time split" in result.output and "test contacts" in result.output
    top1, top3 = float(model[1]), float(model[2])
    assert top1 > float(baseline[1]) and top3 > float(baseline[2]) and top3 >= top1


def test_eval_of_an_unknown_workspace_is_a_clear_error(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with cli_database(monkeypatch, f"sqlite+aiosqlite:///{tmp_path / 'e.db'}"):
        runner = CliRunner()
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        result = runner.invoke(app, ["engagement", "eval", "--workspace", "nope"])
    assert result.exit_code == 1 and "no workspace 'nope'" in result.output


async def test_the_daily_schedule_retrains_only_when_the_history_grew(
        session: AsyncSession, owner: Persona) -> None:
    assert CONTACT_REASON_SCHEDULE in build_registry(Settings(database_url="sqlite://")).schedules
    assert await do_retrain_contact_reasons(session) == 0  # no history yet
    await hand_built_history(session, owner.workspace_id)
    assert await do_retrain_contact_reasons(session) == 1
    await session.commit()
    assert await do_retrain_contact_reasons(session) == 0  # nothing new since v1
    await customer_with(session, owner.workspace_id, "late", "return",
                        dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1), "return")
    await session.commit()
    assert await do_retrain_contact_reasons(session) == 1
    await session.commit()
    versions = (await session.scalars(select(ContactReasonModelRow.version).where(
        ContactReasonModelRow.workspace_id == owner.workspace_id,
        ContactReasonModelRow.is_active.is_(True)))).all()
    assert versions == [2]


async def test_a_database_wiped_and_retrained_is_not_answered_by_the_old_models_memory(
        session: AsyncSession, owner: Persona) -> None:
    """The loaded-model memory outlives a database (a reset, `demo load` on a wiped one, the next
    test): the same version number must not bring back the model trained on the old history."""
    ws = owner.workspace_id
    await hand_built_history(session, ws)
    await do_train_contact_reason_model(session, workspace_id=ws)
    await session.commit()
    first = await customer_with(session, ws, "before", "delivery_delay", NOW, None)
    await session.commit()
    guess = await predict_contact_reason(session, workspace_id=ws, customer_id=first.id, at=NOW)
    assert guess is not None and guess.intent == "delivery_delay"

    await session.execute(delete(ContactReasonModelRow))
    await session.execute(delete(Conversation))
    for day in range(12):  # the new history says a delayed delivery is a return
        for trail, intent in (("delivery_delay", "return"), ("payment_error", "payment_error"),
                              ("return", "payment_error")):
            await customer_with(session, ws, f"{trail}-{day}'", trail,
                                NOW - dt.timedelta(days=30 - day), intent)
    row = await do_train_contact_reason_model(session, workspace_id=ws)
    await session.commit()
    assert row.version == 1
    again = await predict_contact_reason(session, workspace_id=ws, customer_id=first.id, at=NOW)
    assert again is not None and again.intent == "return"
