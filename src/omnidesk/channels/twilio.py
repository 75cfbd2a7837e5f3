"""Twilio's request signature (X-Twilio-Signature), REST error handling and recording deletion,
for SMS and voice."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from omnidesk.channels.base import ChannelError, RawRequest, SignatureError
from omnidesk.channels.retry import error_from_response, json_object, request
from omnidesk.channels.signing import hmac_sha1_b64, same

DEFAULT_PORTS = {"https": 443, "http": 80}
# Twilio REST error codes that a retry cannot fix even though HTTP says 4xx/5xx.
TRANSIENT_CODES = frozenset({20429, 20500, 20503})


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Compute X-Twilio-Signature: URL then each sorted name followed by its sorted values."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, value in params:
        grouped[name].append(value)
    signed = url + "".join(name + value for name in sorted(grouped)
                           for value in sorted(grouped[name]))
    return hmac_sha1_b64(auth_token, signed.encode("utf-8"))


def url_variants(url: str) -> list[str]:
    """Return the URL as given, with and without the default port (proxies rewrite it)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = DEFAULT_PORTS.get(parts.scheme)
    with_port = urlunsplit(parts._replace(netloc=f"{host}:{port}")) if port else url
    without_port = urlunsplit(parts._replace(netloc=host))
    return list(dict.fromkeys([url, without_port, with_port]))


def verify(request: RawRequest, auth_token: str, public_url: str | None) -> None:
    """Check X-Twilio-Signature over the public URL and the form parameters (or body hash)."""
    given = request.header("X-Twilio-Signature")
    if not given:
        raise SignatureError("missing X-Twilio-Signature")
    url = public_url_for(request, public_url)
    body_hash = dict(parse_qsl(urlsplit(url).query)).get("bodySHA256")
    if body_hash is not None:
        if not same(body_hash, hashlib.sha256(request.body).hexdigest()):
            raise SignatureError("body does not match bodySHA256")
        params: list[tuple[str, str]] = []
    else:
        params = request.form_pairs() if request.method.upper() == "POST" else []
    for candidate in url_variants(url):
        if same(given, signature(auth_token, candidate, params)):
            return
    raise SignatureError("bad X-Twilio-Signature")


def public_url_for(request: RawRequest, public_url: str | None) -> str:
    """Return the URL Twilio called: the configured public base plus the received path+query."""
    if not public_url:
        return request.url
    received = urlsplit(request.url)
    base = urlsplit(public_url)
    return urlunsplit((base.scheme, base.netloc, received.path, received.query, ""))


async def post_form(client: httpx.AsyncClient, url: str, *, account_sid: str, auth_token: str,
                    data: list[tuple[str, str]], what: str) -> dict[str, object]:
    """POST a form to Twilio's REST API and return the JSON resource, classifying failures."""
    response = await request(client, "POST", url, what=what, content=urlencode(data).encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"},
                             auth=(account_sid, auth_token))
    if response.is_success:
        return response.json()
    error = error_from_response(response, what)
    code = _error_code(response)
    if code is not None:
        error = ChannelError(f"{what}: Twilio error {code}", status_code=response.status_code,
                             permanent=error.permanent and code not in TRANSIENT_CODES,
                             retry_after=error.retry_after)
    raise error


def _error_code(response: httpx.Response) -> int | None:
    try:
        code = response.json().get("code")
    except ValueError:
        return None
    return int(code) if isinstance(code, int) else None


async def check_account(http: httpx.AsyncClient, *, api_base_url: str, account_sid: str,
                        auth_token: str) -> str:
    """GET the account resource: Twilio names the account when the SID and token match."""
    url = f"{api_base_url}/2010-04-01/Accounts/{account_sid}.json"
    response = await request(http, "GET", url, what="twilio account",
                             auth=(account_sid, auth_token))
    answer = json_object(response)
    if response.is_success:
        return f"Twilio {answer.get('friendly_name') or account_sid} ({answer.get('status', '?')})"
    said = answer.get("message") or response.reason_phrase
    raise ChannelError(f"Twilio answered {response.status_code}: {said}"
                       + (" (check the Account SID and Auth Token)"
                          if response.status_code == 401 else ""),
                       permanent=response.status_code < 500, status_code=response.status_code)


RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{32}")


async def delete_recording(http: httpx.AsyncClient, *, api_base_url: str, account_sid: str,
                           auth_token: str, recording_sid: str) -> bool:
    """DELETE a call recording (Twilio answers 204); False when it is already gone (404)."""
    if not RECORDING_SID.fullmatch(recording_sid):
        raise ChannelError(f"not a Twilio recording SID: {recording_sid[:40]!r}", permanent=True)
    url = f"{api_base_url}/2010-04-01/Accounts/{account_sid}/Recordings/{recording_sid}.json"
    response = await request(http, "DELETE", url, what="twilio recording",
                             auth=(account_sid, auth_token))
    if response.status_code == 404:
        return False
    if not response.is_success:
        raise error_from_response(response, "twilio recording")
    return True
