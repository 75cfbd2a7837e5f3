"""Two-factor helpers shared by sign-in and the security page: seal, QR code, check a code."""

from __future__ import annotations

import segno
from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.agents.mfa_actions import do_pass_second_factor, provisioning_uri
from omnidesk.domains.agents.models import User


def seal_secret(request: Request, secret: str) -> str:
    """Encrypt a TOTP secret for storage with the app's key."""
    return str(request.app.state.channel_cipher.seal({"totp": secret}))


def open_secret(request: Request, user: User) -> str:
    """Decrypt a user's stored TOTP secret ('' when they have none)."""
    if not user.totp_sealed:
        return ""
    return str(request.app.state.channel_cipher.open(user.totp_sealed)["totp"])


def qr_svg(uri: str) -> str:
    """Render an otpauth URI as an inline SVG QR code (server-side, no script, no network)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, border=2, omitsize=True))


async def pass_second_factor(request: Request, session: AsyncSession, user: User,
                             code: str) -> bool:
    """Check a TOTP or recovery code for a user who has two-factor on."""
    secret = open_secret(request, user)
    return bool(secret) and await do_pass_second_factor(session, user=user, secret=secret,
                                                        code=code)


def provisioning_qr(secret: str, user: User, workspace_slug: str) -> str:
    """Return the QR code (inline SVG) an authenticator app scans to add this account."""
    return qr_svg(provisioning_uri(secret, email=user.email, workspace=workspace_slug))
