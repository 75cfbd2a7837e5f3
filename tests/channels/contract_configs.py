"""One valid configuration per channel kind, for the contract test."""

from __future__ import annotations

from typing import Any

SID = "AC" + "0" * 31 + "1"
MENU = {"prompts": {"ko": "1번을 누르세요", "en": "Press 1"},
        "options": [{"digit": "1", "action": "queue", "target": "support"}]}

CONFIGS: dict[str, dict[str, Any]] = {
    "sms": {"account_sid": SID, "auth_token": "t", "from_number": "+15005550006"},
    "voice": {"account_sid": SID, "auth_token": "t", "from_number": "+15005550006",
              "webhook_path": "/channels/voice/acme/webhook",
              "deflection_link": "https://acme.example/chat", "menu": MENU},
    "whatsapp": {"phone_number_id": "106540352242922", "app_secret": "s", "verify_token": "v",
                 "access_token": "a"},
    "messenger": {"page_id": "1234567890", "app_secret": "s", "verify_token": "v",
                  "page_access_token": "p"},
    "instagram": {"page_id": "1234567890", "app_secret": "s", "verify_token": "v",
                  "page_access_token": "p"},
    "telegram": {"bot_token": "1:x", "secret_token": "tg_secret"},
    "line": {"channel_secret": "s", "channel_access_token": "a"},
    "kakao": {"skill": {"bot_id": "bot001", "path_token": "p"},
              "counsel": {"base_url": "https://dealer.example", "client_id": "i",
                          "client_secret": "s", "sender_key": "k", "webhook_token": "w"}},
    "naver": {"authorization_key": "k", "path_token": "p"},
    "api": {"inbound_token_sha256": "0" * 64, "webhook_url": "https://hooks.example.com/x",
            "signing_secret": "s"},
    "email": {"address": "support@example.com", "message_id_domain": "mail.example.com"},
}
