"""Settings from OMNIDESK_* environment variables, built once and passed in."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting omnidesk reads; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="OMNIDESK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        "sqlite+aiosqlite:///./omnidesk.db",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://…",
    )
    secret_key: str = Field(
        "dev-insecure-change-me",
        description="Signs session cookies and CSRF tokens; set a long random value in production.",
    )
    secret_key_file: Path | None = Field(None, description="Read the secret key from this file.")
    pii_key_file: Path | None = Field(
        None, description="Fernet keys (one a line, the first encrypts) for personal data kept "
        "encrypted; without it the key is derived from the secret key. `omnidesk pii rotate-key`.")
    log_level: str = Field("INFO", description="Python logging level.")
    host: str = Field("127.0.0.1", description="Address `omnidesk serve` binds to.")
    port: int = Field(8000, description="Port `omnidesk serve` binds to.")
    public_url: str = Field("http://127.0.0.1:8000", description="Base URL used in links we send out.")
    run_dispatcher: bool = Field(True, description="Run the outbox dispatcher inside the web server.")
    dispatcher_poll_seconds: float = Field(1.0, description="Idle poll interval of the dispatcher.")
    dispatcher_concurrency: int | None = Field(
        None, ge=1, le=64, description="Deliveries each lane of a running dispatcher runs at "
        "once, each of another conversation (one conversation's stay in order); unset = 4 on "
        "PostgreSQL, 1 on SQLite (one writer at a time).")
    outbox_max_attempts: int = Field(6, description="Attempts before a delivery is dead-lettered.")
    outbox_lease_seconds: float = Field(
        120.0, gt=0, description="How long a claimed delivery stays with its process; one whose "
        "process died is run again after this. Keep it above the slowest handler's timeout (60 s).")
    redis_url: str | None = Field(None, description="Redis URL for cross-process realtime fan-out.")
    redis_channel_prefix: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_.:/-]+$", description="Prefix of this deployment's Redis "
        "realtime channels; unset = `omnidesk:<database name>:rt:`, so deployments sharing "
        "one Redis never see each other's events.")
    upload_dir: Path = Field(Path("./var/uploads"), description="Where attachments are stored.")
    cache_dir: Path | None = Field(
        None, description="Where models trained at start-up are kept between processes "
        "(unset = `$XDG_CACHE_HOME/omnidesk`, else `~/.cache/omnidesk`).")
    max_upload_bytes: int = Field(10 * 1024 * 1024, description="Largest attachment accepted.")
    max_body_bytes: int = Field(
        1024 * 1024, gt=0, description="Largest request body of a route without its own limit; "
        "counted while it streams in, whatever Content-Length says (413 beyond).")
    max_webhook_body_bytes: int = Field(
        5 * 1024 * 1024, gt=0, description="Largest provider webhook request body.")
    max_inflight_requests: int = Field(
        64, gt=0, description="HTTP requests one process works on at once; beyond it a request is "
        "answered 503 with Retry-After at once instead of queueing (health checks and static "
        "files are not counted).")
    max_inflight_intake: int = Field(
        32, gt=0, description="Most inbound messages (widget, webhooks, API channel) one process "
        "works on at once; the limit in use shrinks below it while answers take longer than "
        "the intake latency target, and beyond it a message is answered 503 with Retry-After.")
    intake_latency_target_seconds: float = Field(
        0.5, gt=0, description="How long an inbound message may take to be stored before the "
        "process admits fewer at once (refusing the rest with 503 + Retry-After).")
    intake_max_outbox_lag_seconds: float = Field(
        60.0, gt=0, description="Refuse inbound messages (503, Retry-After 5 s) while the oldest "
        "due outbox work has waited longer than this: the bot, routing and agent screens are "
        "that far behind.")
    intake_max_live_backlog: int = Field(
        50, gt=0, description="Refuse inbound messages (503, Retry-After 1 s) while more than "
        "this many events, intake jobs and screen updates wait for the dispatcher's live lane: "
        "the requests are taking the process from the work that shows their messages. Applies "
        "in a process that runs the dispatcher (OMNIDESK_RUN_DISPATCHER, the default).")
    db_pool_size: int = Field(10, gt=0, description="Database connections kept open per process "
                              "for requests (a running dispatcher has its own on PostgreSQL).")
    db_max_overflow: int = Field(
        20, ge=0, description="Extra database connections a process may open under load.")
    db_pool_timeout: float = Field(
        3.0, gt=0, description="Seconds a request waits for a free database connection before "
        "it is answered 503 with Retry-After.")
    session_cookie_secure: bool = Field(False, description="Mark the session cookie Secure (HTTPS).")
    login_rate_limit: int = Field(10, description="Failed logins allowed per IP and email in 5 min.")
    widget_rate_limit: int = Field(
        60, gt=0, description="Widget posts (sessions, messages, files) allowed per IP a minute.")
    track_rate_limit: int = Field(
        120, gt=0, description="Behaviour events (widget track) allowed per visitor a minute.")
    events_api_rate_limit: int = Field(
        1200, gt=0, description="Business events (engagement API) allowed per workspace a minute.")
    realtime_heartbeat_seconds: float = Field(
        25.0, gt=0, description="Mean interval of WebSocket heartbeats (jittered down by 20%).")
    imap_poll_seconds: float = Field(
        60.0, ge=5, description="How often connected IMAP mailboxes are polled for new mail.")
    smtp_receiver_port: int | None = Field(
        None, ge=1, le=65535, description="Port of the built-in SMTP receiver; unset = off.")
    smtp_receiver_host: str = Field("127.0.0.1", description="Address the SMTP receiver binds.")
    inbound_mail_domains: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated domains the SMTP receiver accepts "
        "mail for; empty = the domains of the connected email channels.")
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint (…/v1) for generated, cited bot answers; "
        "unset = extractive answers only.")
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the LLM endpoint.")
    llm_api_key: str | None = Field(None, description="Bearer key for the LLM endpoint.")
    llm_api_key_file: Path | None = Field(None, description="Read the LLM API key from this file.")
    llm_timeout_seconds: float = Field(
        20.0, gt=0, description="Timeout of one LLM call; on timeout the bot answers extractively.")

    @field_validator("log_level")
    @classmethod
    def _upper_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}")
        return level

    @field_validator("inbound_mail_domains", mode="before")
    @classmethod
    def _split_domains(cls, value: object) -> object:
        if isinstance(value, str):
            return [d.strip().lower() for d in value.split(",") if d.strip()]
        return value

    @property
    def effective_secret_key(self) -> str:
        """Return the secret key, preferring the *_FILE variant when set."""
        if self.secret_key_file:
            return self.secret_key_file.read_text().strip()
        return self.secret_key

    @property
    def effective_llm_api_key(self) -> str | None:
        """Return the LLM API key, preferring the *_FILE variant when set."""
        if self.llm_api_key_file:
            return self.llm_api_key_file.read_text().strip()
        return self.llm_api_key

    @property
    def body_limits(self) -> dict[str, int]:
        """Return the request body limit per kind of route (uploads leave room for the form)."""
        return {"default": self.max_body_bytes, "webhook": self.max_webhook_body_bytes,
                "upload": self.max_upload_bytes + 64 * 1024}

    @property
    def realtime_channel_prefix(self) -> str:
        """Return the Redis channel prefix: the setting, else derived from the database name."""
        if self.redis_channel_prefix:
            return self.redis_channel_prefix
        from sqlalchemy.engine import make_url  # SQLAlchemy is not for `omnidesk --help`

        name = make_url(self.database_url).database or "omnidesk"
        return "omnidesk:" + re.sub(r"[^A-Za-z0-9_.:/-]", "_", name) + ":rt:"

    @property
    def redis_key_prefix(self) -> str:
        """Return the prefix of this deployment's Redis keys (rate limits, presence): the
        realtime channel prefix without its ``rt:``."""
        return self.realtime_channel_prefix.removesuffix("rt:")

    @property
    def is_sqlite(self) -> bool:
        """Tell whether the database is SQLite."""
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """Build the settings once per process."""
    return Settings()
