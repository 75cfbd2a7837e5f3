"""Per-workspace settings of the email channel: SMTP out, SMTP or IMAP in."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class SmtpSettings(BaseModel):
    """The relay replies are sent through."""

    model_config = ConfigDict(extra="forbid")

    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    timeout_seconds: float = Field(30, gt=0)


class ImapSettings(BaseModel):
    """A mailbox polled for new mail (UIDs above the last seen one)."""

    model_config = ConfigDict(extra="forbid")

    host: str
    port: int = Field(993, ge=1, le=65535)
    use_ssl: bool = True
    username: str
    password: SecretStr
    mailbox: str = "INBOX"
    poll_seconds: float = Field(60, ge=5)


class EmailConfig(BaseModel):
    """One support address of a workspace."""

    model_config = ConfigDict(extra="forbid")

    address: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="support@example.com")
    display_name: str = "Support"
    message_id_domain: str = Field(description="Right-hand side of our Message-IDs.")
    outbound_charset: Literal["utf-8", "euc-kr"] = "utf-8"
    smtp: SmtpSettings | None = None
    imap: ImapSettings | None = None
    inbound_token: SecretStr | None = Field(
        None, description="`token` query of an inbound-parse relay posting raw MIME over HTTP.")
