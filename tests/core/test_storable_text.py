"""Unstorable characters are cleaned in one place, for ORM writes, Core statements and lookups."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.text import dumps_storable, storable, storable_json
from omnidesk.domains.customers.models import Customer
from tests.conftest import Persona


def test_storable_drops_controls_keeps_whitespace_and_marks_lone_surrogates() -> None:
    assert storable("a\x00b\x07c\x1bd\x0c\ud800e\t\n\r\x7f한") == "abcd\ufffde\t\n\r\x7f한"
    clean = "깨끗한 text\n"
    assert storable(clean) is clean


def test_storable_json_cleans_keys_and_values_and_keeps_clean_values_as_they_are() -> None:
    dirty = {"k\x00": ["v\x00", 1, None, {"n": "\udc80"}], "ok": "fine"}
    assert storable_json(dirty) == {"k": ["v", 1, None, {"n": "\ufffd"}], "ok": "fine"}
    clean = {"a": ["b", {"c": 1.5}]}
    assert storable_json(clean) is clean
    assert dumps_storable({"a": "\x00\x08\x0c"}) == '{"a": ""}'
    assert dumps_storable({"path": "C:\\bin\\f"}) == '{"path": "C:\\\\bin\\\\f"}'


async def test_core_statements_and_lookups_with_unstorable_text_work_on_both_databases(
        session: AsyncSession, owner: Persona) -> None:
    await session.execute(insert(Customer).values(
        workspace_id=owner.workspace_id, name="김\x00민지", attributes={"memo\x00": "\ud800"},
        tags=["vip\x00"]))
    await session.commit()
    found = await session.scalar(select(Customer).where(Customer.name == "김\x00민지"))
    assert found is not None and found.name == "김민지"
    assert found.attributes == {"memo": "\ufffd"} and found.tags == ["vip"]


async def test_an_object_flushed_with_unstorable_text_holds_what_was_stored(
        session: AsyncSession, owner: Persona) -> None:
    customer = Customer(workspace_id=owner.workspace_id, name="a\x00b",
                        attributes={"k": ["\x00x"]})
    session.add(customer)
    await session.commit()
    assert customer.name == "ab" and customer.attributes == {"k": ["x"]}
    customer.name = "c\x01d"
    await session.commit()
    assert customer.name == "cd"
    session.expire_all()
    assert (await session.scalar(select(Customer.name))) == "cd"
