"""Request shapes every API shares: ids, partial updates (PATCH bodies) and JSON merge patches.

A PATCH body is a `Patch`: a field left out keeps its value, and null is accepted only for the
fields the model declares `nullable` (where removing the value means something, e.g. a
customer's phone). Every other null is a 422, and the OpenAPI document shows those fields as
non-nullable, so clients and the fuzzing test see the same contract the server enforces.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic.json_schema import GetJsonSchemaHandler, JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A row id as clients send it (path, query, body or form): 1 .. 2**63-1, the range both
databases store, so an id out of range is a 422 instead of an overflow in the driver."""

AfterId = Annotated[int, Field(ge=0, le=MAX_ID)]
"""The last id a client has seen (0 = none yet), for "what is new since" reads."""

NULL_NOT_ALLOWED = "may not be null; leave the field out to keep its value"


class Patch(BaseModel):
    """Base of partial updates: omitted fields stay, null only where `nullable` allows it."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise PydanticCustomError("null_not_allowed", NULL_NOT_ALLOWED)
        return value

    def changes(self) -> dict[str, Any]:
        """Return the fields the client sent, with their values."""
        return self.model_dump(exclude_unset=True)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        target = handler.resolve_ref_schema(json_schema)
        for name, prop in target.get("properties", {}).items():
            if name not in cls.nullable:
                _drop_null(prop)
        return json_schema


def _drop_null(prop: dict[str, Any]) -> None:
    """Remove the null branch (and a null default) from one property's JSON schema."""
    branches = prop.get("anyOf")
    if not branches or {"type": "null"} not in branches:
        return
    rest = [b for b in branches if b != {"type": "null"}]
    del prop["anyOf"]
    if len(rest) == 1:
        prop.update(rest[0])
    else:
        prop["anyOf"] = rest
    if "default" in prop and prop["default"] is None:
        del prop["default"]


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7386): objects merge recursively, null removes a key."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
