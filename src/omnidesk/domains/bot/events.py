"""The bot domain's events."""

from __future__ import annotations

BOT_ACTION_TAKEN = "bot.action_taken"
BOT_SETTINGS_UPDATED = "bot.settings_updated"
