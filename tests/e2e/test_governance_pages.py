"""In Chromium: an admin sets up two-factor from the QR page, signs in again with a code, and
reads the audit log with a filter (desktop 1440×900 and phone 390×844 screenshots)."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp

from tests.e2e.conftest import ARTIFACTS, PASSWORD, LiveServer

ADMIN = "admin@hanbit.example"
SIZES = (("desktop", (1440, 900)), ("phone", (390, 844)))


def _sign_in(page: Any, base: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", ADMIN)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_two_factor_set_up_sign_in_with_a_code_and_the_audit_page(
    live_server: LiveServer, browser: Any
) -> None:
    base = live_server.url
    context = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    _sign_in(page, base)
    page.wait_for_url(base + "/inbox")
    page.goto(base + "/settings/security")
    page.click("form[action='/settings/security/two-factor/start'] button")
    page.wait_for_selector(".gov-qr svg")
    assert page.locator(".gov-qr svg").bounding_box()["width"] >= 150
    secret = page.locator("code[data-secret]").inner_text().strip()
    totp = pyotp.TOTP(secret)
    shots = {}
    for name, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        shots[name] = ARTIFACTS / f"two-factor-setup-{name}.png"
        page.screenshot(path=str(shots[name]), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.fill("input[name=code]", totp.now())
    page.click("form[action='/settings/security/two-factor/confirm'] button")
    page.wait_for_selector("[data-recovery-codes] li")
    assert page.locator("[data-recovery-codes] li").count() == 10
    context.close()

    # a fresh browser signs in with the password, then a code from the app
    used = {totp.now()}
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, base)
    page.wait_for_selector("form[action='/login/code']")
    page.screenshot(path=str(ARTIFACTS / "two-factor-code-phone.png"), full_page=True)
    code = totp.now()
    if code in used:  # enrolment spent this time step's code; the next step's is accepted
        code = totp.at(time.time() + 30)
    page.fill("input[name=code]", code)
    page.click("form[action='/login/code'] button")
    page.wait_for_url(base + "/inbox")

    # the audit page shows the change, filtered by action, on both sizes
    for name, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(base + "/settings/audit?action=user.two_factor_enabled")
        page.wait_for_selector(".gov-entry")
        assert page.locator(".gov-action").all_inner_texts() == ["user.two_factor_enabled"]
        page.screenshot(path=str(ARTIFACTS / f"audit-{name}.png"), full_page=True)
    page.goto(base + "/settings/audit")
    page.select_option("select[name=action]", "user.two_factor_enabled")
    page.click(".gov-filters button[type=submit]")
    page.wait_for_url(re.compile(r".*action=user\.two_factor_enabled.*"))
    context.close()
