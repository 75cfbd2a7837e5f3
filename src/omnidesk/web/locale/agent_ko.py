"""Korean for the agent workspace's list, composer, timeline, shortcuts and notifications.

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

AGENT_KO = {
    "Back to the list": "목록으로", "Customer": "고객",
}
