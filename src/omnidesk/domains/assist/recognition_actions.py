"""Validate and store the workspace's recognition (알아주기) templates: `settings["recognition"]`.

A template may only use the variables and conditions `recognition.py` knows, so a typo such as
`{last_prodcut}` is refused when saved instead of silently never matching.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.core.schemas import merge_patch
from omnidesk.domains.assist.events import RecognitionUpdated
from omnidesk.domains.assist.recognition import (
    CONDITIONS,
    DEFAULT_TEMPLATES,
    VARIABLE,
    VARIABLES,
)
from omnidesk.domains.assist.schemas import RecognitionSettings, RecognitionTemplate
from omnidesk.domains.assist.tiers import tiers_from_settings
from omnidesk.domains.workspaces.service import get_workspace

KINDS = ("greeting", "closing")


def _check_template(kind: str, index: int, template: RecognitionTemplate,
                    tier_keys: set[str] | None = None) -> None:
    where = f"{kind}[{index}]"
    unknown = sorted({v for v in VARIABLE.findall(template.text) if v not in VARIABLES})
    if unknown:
        raise InvalidInput(f"{where}: unknown variable {{{unknown[0]}}}; use one of "
                           f"{', '.join('{' + v + '}' for v in VARIABLES)}", field=where)
    for condition in template.when:
        if condition not in CONDITIONS and not condition.startswith("tier:"):
            raise InvalidInput(f"{where}: unknown condition {condition!r}; use one of "
                               f"{', '.join(CONDITIONS)} or tier:<key>", field=where)
        unknown_tiers = set(condition.removeprefix("tier:").split(",")) - (tier_keys or set())
        if condition.startswith("tier:") and tier_keys is not None and unknown_tiers:
            raise InvalidInput(f"{where}: unknown tier {min(unknown_tiers)!r}; the "
                               f"workspace's tiers are {', '.join(sorted(tier_keys))}", field=where)


def check_recognition_settings(settings_in: RecognitionSettings,
                               tier_keys: set[str] | None = None) -> dict[str, Any]:
    """Validate templates (known variables, conditions and tiers) and return the stored shape."""
    for kind in KINDS:
        for index, template in enumerate(getattr(settings_in, kind) or []):
            _check_template(kind, index, template, tier_keys)
    return settings_in.model_dump(exclude_none=True)


def read_recognition_settings(settings: dict[str, Any] | None) -> RecognitionSettings:
    """Return the effective templates: the workspace's own, else the built-in defaults."""
    stored = (settings or {}).get("recognition") or {}
    return RecognitionSettings(
        greeting=stored.get("greeting") or DEFAULT_TEMPLATES["greeting"],
        closing=stored.get("closing") or DEFAULT_TEMPLATES["closing"],
        workspace_name=stored.get("workspace_name") or {})


async def do_update_recognition_settings(
    session: AsyncSession, *, actor: Actor, settings_in: RecognitionSettings
) -> RecognitionSettings:
    """Replace the given parts of the recognition settings (supervisors), audited."""
    actor.require("supervisor")
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    tier_keys = {t.key for t in tiers_from_settings(workspace.settings)}
    changes = check_recognition_settings(settings_in, tier_keys)
    before = dict((workspace.settings or {}).get("recognition") or {})
    workspace.settings = merge_patch(workspace.settings, {"recognition": changes})
    audit(session, workspace_id=actor.workspace_id, action="recognition.updated",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="workspace",
          object_id=actor.workspace_id, data={"fields": sorted(changes)},
          before=before, after=dict(workspace.settings.get("recognition") or {}))
    emit(session, RecognitionUpdated(fields=sorted(changes)), workspace_id=actor.workspace_id)
    return read_recognition_settings(workspace.settings)
