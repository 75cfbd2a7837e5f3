"""Which domain validates which section of a workspace's settings document.

`PATCH /api/v1/workspace` merges `settings` (JSON Merge Patch) and runs the check of every
section the patch touched, so a section is stored only in a shape its reader accepts: a bad
widget colour or a bot threshold of "high" is a 422 at save time instead of a 500 on every page
that reads it later. The app factory wires this table in (the workspaces domain sits below the
domains that own the sections, so it cannot import them).
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, confloat

from omnidesk.domains.agents.schemas import SecuritySettings
from omnidesk.domains.assist.recognition_actions import check_recognition_settings
from omnidesk.domains.assist.schemas import RecognitionSettings
from omnidesk.domains.assist.segments import segments_from_settings
from omnidesk.domains.assist.tiers import tiers_from_settings
from omnidesk.domains.bot.policy import BotSettings
from omnidesk.domains.commerce.schemas import CommerceSettings
from omnidesk.domains.engagement.schemas import EngagementSettings, WidgetSettings
from omnidesk.domains.retention.schemas import RetentionSettings
from omnidesk.domains.workspaces.actions import SectionCheck

# confloat, not Annotated[float, Field(...)]: the same schema, and typed as type[float], which
# mypy 1.20 checks reliably (its incremental cache mishandles TypeAdapter's PEP 747 TypeForm).
_HOURS = TypeAdapter(confloat(gt=0, le=24 * 366, allow_inf_nan=False))


def _list_of_objects(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError("must be a list of objects")
    return value


def _tiers(value: Any) -> object:
    try:
        return tiers_from_settings({"tiers": _list_of_objects(value)})
    except ArithmeticError as exc:  # decimal.InvalidOperation for 'abc' or NaN
        raise ValueError("each tier needs a numeric threshold") from exc


def build_settings_checks() -> dict[str, SectionCheck]:
    """Return the check of every settings section a domain reads."""
    return {
        "bot": BotSettings.model_validate,
        "widget": WidgetSettings.model_validate,
        "engagement": EngagementSettings.model_validate,
        "commerce": CommerceSettings.model_validate,
        "recognition": lambda v: check_recognition_settings(RecognitionSettings.model_validate(v)),
        "tiers": _tiers,
        "segments": lambda v: segments_from_settings({"segments": _list_of_objects(v)}),
        "reopen_window_hours": _HOURS.validate_python,
        "security": SecuritySettings.model_validate,
        "retention": RetentionSettings.model_validate,
    }
