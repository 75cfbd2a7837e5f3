"""Signed, expiring survey links: who may answer a survey without logging in.

A token names the survey and its expiry and carries an HMAC of both under the workspace's
secret, so a link cannot be made up, moved to another survey, or stretched past its expiry.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re

LINK_PATH = "/s/"
TOKEN = re.compile(r"^[0-9a-z]{1,12}\.[0-9a-z]{1,12}\.[A-Za-z0-9_-]{16}$")


class LinkRefused(Exception):
    """A survey link that is malformed, tampered with or expired (`reason` says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # invalid | expired


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _signature(secret: str, body: str) -> str:
    mac = hmac.new(secret.encode(), f"survey-link:{body}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:12]).decode()  # 96 bits, 16 characters


def survey_token(secret: str, survey_id: int, expires_at: dt.datetime) -> str:
    """Return the short token of a survey link valid until `expires_at`."""
    body = f"{_b36(survey_id)}.{_b36(int(expires_at.timestamp()))}"
    return f"{body}.{_signature(secret, body)}"


def token_survey_id(token: str) -> int:
    """Return the survey id a token names, before its signature is checked (LinkRefused)."""
    if not TOKEN.fullmatch(token):
        raise LinkRefused("invalid")
    return int(token.split(".")[0], 36)


def check_token(secret: str, token: str, *, now: dt.datetime) -> int:
    """Return the survey id of a genuine, unexpired token; raise LinkRefused otherwise."""
    survey_id = token_survey_id(token)
    head, expires, signature = token.split(".")
    if not hmac.compare_digest(signature, _signature(secret, f"{head}.{expires}")):
        raise LinkRefused("invalid")
    if int(expires, 36) <= now.timestamp():
        raise LinkRefused("expired")
    return survey_id


def survey_url(public_url: str, token: str) -> str:
    """Return the link sent to the customer."""
    return public_url.rstrip("/") + LINK_PATH + token
