"""What a process start imports: only what serving needs (every server and CLI start pays it)."""

from __future__ import annotations

import pkgutil

import omnidesk
from omnidesk.app.catalogue import event_modules
from tests.import_probe import imports_of


def test_building_the_app_imports_no_migrations_demo_data_holidays_redis_or_scikit_learn() -> None:
    _, loaded = imports_of("from omnidesk.app.main import create_app\n"
                           "from omnidesk.config import Settings\n"
                           "create_app(Settings(database_url='sqlite+aiosqlite://', secret_key='x'))",
                           OMNIDESK_LOG_LEVEL="WARNING")
    assert "omnidesk.domains.bot.engine" in loaded  # the probe did build the app
    for heavy in ("alembic", "omnidesk.migrations", "omnidesk.demo.dataset.generator", "holidays",
                  "redis", "sklearn", "scipy"):
        assert heavy not in loaded, heavy


def test_the_catalogue_finds_every_events_module_without_importing_packages() -> None:
    found = event_modules(list(omnidesk.__path__), "omnidesk.")
    walked = [info.name for info in pkgutil.walk_packages(omnidesk.__path__, "omnidesk.")
              if info.name.rsplit(".", 1)[-1] == "events"]
    assert found == walked and "omnidesk.domains.conversations.events" in found
