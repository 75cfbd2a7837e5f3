"""Routing database fixtures: the shared per-backend fixtures of tests/conftest.py apply.

Importing the routing models here keeps the routing tables in the metadata even when this
folder runs alone.
"""

from __future__ import annotations

import omnidesk.domains.routing.models  # noqa: F401  (register the routing tables)
