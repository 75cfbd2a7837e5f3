"""What a process start imports: only what serving needs (every server and CLI start pays it)."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import omnidesk
from omnidesk.app.catalogue import event_modules


def test_building_the_app_imports_no_migrations_demo_data_holidays_redis_or_scikit_learn() -> None:
    probe = ("import sys\nfrom omnidesk.app.main import create_app\n"
             "from omnidesk.config import Settings\n"
             "create_app(Settings(database_url='sqlite+aiosqlite://', secret_key='x'))\n"
             "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=120, env={**os.environ, "OMNIDESK_LOG_LEVEL": "WARNING"})
    loaded = set(done.stdout.strip().rpartition("\n")[2].split())
    assert "omnidesk.domains.bot.engine" in loaded  # the probe did build the app
    for heavy in ("alembic", "omnidesk.migrations", "omnidesk.demo.dataset.generator", "holidays",
                  "redis", "sklearn", "scipy"):
        assert heavy not in loaded, heavy


def test_the_catalogue_finds_every_events_module_without_importing_packages() -> None:
    found = event_modules(list(omnidesk.__path__), "omnidesk.")
    walked = [info.name for info in pkgutil.walk_packages(omnidesk.__path__, "omnidesk.")
              if info.name.rsplit(".", 1)[-1] == "events"]
    assert found == walked and "omnidesk.domains.conversations.events" in found
