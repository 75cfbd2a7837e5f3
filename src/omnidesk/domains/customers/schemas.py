"""Customer and identity schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import phonenumbers
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from omnidesk.core.schemas import Id, Patch
from omnidesk.domains.customers.models import IDENTITY_KINDS


def to_e164(raw: str, region: str = "KR") -> str:
    """Normalize a phone number to E.164 (Korean numbers without +82 are accepted)."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"not a possible phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class IdentityIn(BaseModel):
    kind: str
    value: str = Field(min_length=1, max_length=254)
    verified: bool = False

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in IDENTITY_KINDS:
            raise ValueError(f"kind must be one of {', '.join(IDENTITY_KINDS)}")
        return value


class IdentityRead(BaseModel):
    """A channel identity; its value is masked as staff see it (`customers/contact.py`)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    value: str
    verified: bool


class CustomerCreate(BaseModel):
    name: str | None = Field(None, max_length=200)
    email: EmailStr | None = None
    phone: str | None = None
    locale: str | None = Field(None, pattern=r"^(ko|en)$")
    external_id: str | None = Field(None, max_length=120)
    attributes: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    identities: list[IdentityIn] = Field(default_factory=list)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return to_e164(value) if value else None


class CustomerUpdate(Patch):
    """Change some profile fields; name, email, phone and locale may be cleared with null."""

    nullable = frozenset({"name", "email", "phone", "locale"})

    name: str | None = Field(None, max_length=200)
    email: EmailStr | None = None
    phone: str | None = None
    locale: str | None = Field(None, pattern=r"^(ko|en)$")
    attributes: dict[str, Any] | None = None
    tags: list[str] | None = None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return to_e164(value) if value else None


class CustomerRead(BaseModel):
    """A customer as the API shows it: email, phone, identity values and text attributes masked
    (`pii_masked`), the address and payment attributes left out; POST
    /api/v1/customers/{id}/reveal returns them in clear with a reason, and logs the read."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str | None
    email: str | None
    phone: str | None
    locale: str | None
    external_id: str | None
    attributes: dict[str, Any]
    tags: list[Any]
    identities: list[IdentityRead]
    created_at: dt.datetime
    last_seen_at: dt.datetime | None
    pii_masked: bool = True


class CustomerMerge(BaseModel):
    """Merge another customer into this one; the other's history moves here."""

    other_customer_id: Id


class CustomerSplit(BaseModel):
    """Move identities (and chosen conversations) of a customer to a new customer."""

    identity_ids: list[Id] = Field(min_length=1)
    conversation_ids: list[Id] = Field(default_factory=list)
    name: str | None = Field(None, max_length=200)


class MergeSuggestion(BaseModel):
    """Another customer who may be the same person, and why we think so."""

    customer_id: int
    name: str | None
    reasons: list[str]
