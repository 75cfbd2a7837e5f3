"""Staff sign-in hardening: TOTP two-factor (enrol, pass, reset), recovery codes, sessions.

The TOTP secret reaches these actions in clear from the web edge, which seals it (Fernet, keyed
from the app secret) before it is stored and opens it to check a code; recovery codes are kept
only as SHA-256 hashes and each works once; a TOTP code works once too (the last accepted time
step is stored), so a code seen over a shoulder cannot be replayed.
"""

from __future__ import annotations

import secrets
import time

import pyotp
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput, NotFound, PermissionDenied
from omnidesk.core.events import emit
from omnidesk.core.security import constant_time_equals, hash_token
from omnidesk.domains.agents import events as ev
from omnidesk.domains.agents.models import User, UserSession
from omnidesk.domains.agents.service import get_user

RECOVERY_CODES = 10
ISSUER = "omnidesk"
STEP_SECONDS = 30


def new_totp_secret() -> str:
    """Return a fresh base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, *, email: str, workspace: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=f"{ISSUER} ({workspace})")


def _new_recovery_codes() -> list[str]:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2))
            for _ in range(RECOVERY_CODES)]


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """Return the time step a code belongs to (±1 step of drift), if not used before."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != 6:
        return None
    now = int(time.time()) // STEP_SECONDS
    totp = pyotp.TOTP(secret)
    for step in (now, now - 1, now + 1):
        if (last_step is None or step > last_step) and constant_time_equals(
                totp.at(step * STEP_SECONDS), digits):
            return step
    return None


def _record(session: AsyncSession, actor: Actor, user: User, action: str) -> None:
    audit(session, workspace_id=user.workspace_id, action=action, actor_kind=actor.audit_kind,
          actor_id=actor.user_id, object_type="user", object_id=user.id)
    emit(session, ev.UserUpdated(user_id=user.id, fields=["two_factor"]),
         workspace_id=user.workspace_id)


async def check_enable_totp(session: AsyncSession, *, actor: Actor, user: User, secret: str,
                            sealed: str, code: str) -> list[str]:
    """Turn on two-factor once a code from the app proves the secret; return recovery codes."""
    if actor.user_id != user.id:
        raise PermissionDenied("people set up their own two-factor sign-in")
    step = _matching_step(secret, code, None)
    if step is None:
        raise InvalidInput("that code does not match; check the time on your phone and retry",
                           field="code")
    codes = _new_recovery_codes()
    user.totp_sealed, user.totp_enabled_at, user.totp_last_step = sealed, utcnow(), step
    user.recovery_codes = [hash_token(c) for c in codes]
    _record(session, actor, user, "user.two_factor_enabled")
    return codes


async def do_pass_second_factor(session: AsyncSession, *, user: User, secret: str,
                                code: str) -> bool:
    """Accept a TOTP code (once) or an unused recovery code (used up); say whether it passed."""
    step = _matching_step(secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    wanted = hash_token(code.strip().lower())
    left = [h for h in user.recovery_codes or [] if not constant_time_equals(h, wanted)]
    if len(left) == len(user.recovery_codes or []):
        return False
    user.recovery_codes = left
    audit(session, workspace_id=user.workspace_id, action="user.recovery_code_used",
          actor_id=user.id, object_type="user", object_id=user.id,
          data={"left": len(left)})
    return True


async def do_disable_totp(session: AsyncSession, *, actor: Actor, user_id: int) -> User:
    """Turn two-factor off: one's own, or anyone's by an admin (a lost phone); the person's
    other sessions end."""
    user = await get_user(session, workspace_id=actor.workspace_id, user_id=user_id)
    if actor.user_id != user.id:
        actor.require("admin")
    user.totp_sealed = user.totp_enabled_at = user.totp_last_step = None
    user.recovery_codes = []
    keep = actor.session_id if actor.user_id == user.id else None
    query = update(UserSession).where(UserSession.user_id == user.id,
                                      UserSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    await session.execute(query.values(revoked_at=utcnow()))
    _record(session, actor, user, "user.two_factor_disabled")
    return user


async def do_revoke_user_session(session: AsyncSession, *, actor: Actor,
                                 session_id: int) -> UserSession:
    """End one sign-in session: one's own, or anyone's with the sessions.manage permission."""
    row = await session.scalar(select(UserSession).where(
        UserSession.id == session_id, UserSession.workspace_id == actor.workspace_id))
    if row is None or (row.user_id != actor.user_id and not actor.can("sessions.manage")):
        raise NotFound("session not found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit(session, workspace_id=actor.workspace_id, action="session.revoked",
              actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="user_session",
              object_id=row.id, data={"user_id": row.user_id})
    return row
