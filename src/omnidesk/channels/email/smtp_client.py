"""Send a composed mail through the workspace's SMTP relay, off the event loop."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage

from omnidesk.channels.base import ChannelError
from omnidesk.channels.email.config import SmtpSettings


def _connect(settings: SmtpSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(settings.host, settings.port,
                                timeout=settings.timeout_seconds, context=context)
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)


def _send_blocking(mail: EmailMessage, settings: SmtpSettings) -> None:
    context = ssl.create_default_context()
    with _connect(settings, context) as smtp:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.username and settings.password:
            smtp.login(settings.username, settings.password.get_secret_value())
        smtp.send_message(mail)


async def send(mail: EmailMessage, settings: SmtpSettings) -> None:
    """Deliver to the relay; 5xx replies are permanent, 4xx and network errors transient."""
    try:
        await asyncio.to_thread(_send_blocking, mail, settings)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise ChannelError(f"smtp refused recipients with {codes}",
                           permanent=all(c >= 500 for c in codes)) from exc
    except smtplib.SMTPResponseException as exc:
        raise ChannelError(f"smtp answered {exc.smtp_code}", permanent=exc.smtp_code >= 500,
                           status_code=exc.smtp_code) from exc
    except (smtplib.SMTPException, OSError) as exc:  # connect errors, timeouts, drops
        raise ChannelError(f"smtp network error {type(exc).__name__}", permanent=False) from exc


def _check_blocking(settings: SmtpSettings) -> str:
    context = ssl.create_default_context()
    with _connect(settings, context) as smtp:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.username and settings.password:
            smtp.login(settings.username, settings.password.get_secret_value())
        smtp.noop()
    return f"SMTP {settings.host}:{settings.port}"


async def check(settings: SmtpSettings) -> str:
    """Connect and log in to the relay without sending; say in words what went wrong."""
    where = f"{settings.host}:{settings.port}"
    try:
        return await asyncio.to_thread(_check_blocking, settings)
    except smtplib.SMTPAuthenticationError as exc:
        raise ChannelError(f"SMTP {where} refused the login ({exc.smtp_code} "
                           f"{_said(exc.smtp_error)})", permanent=True) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise ChannelError(f"SMTP {where} does not offer STARTTLS; choose another security",
                           permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        raise ChannelError(f"SMTP {where} answered {exc.smtp_code} {_said(exc.smtp_error)}",
                           permanent=exc.smtp_code >= 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise ChannelError(f"cannot reach SMTP {where}: {exc.strerror or exc}"
                           if isinstance(exc, OSError) else f"SMTP {where}: {exc}",
                           permanent=False) from exc


def _said(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())[:200]
