"""CLI command groups, wired into `omnidesk` by omnidesk.app.cli."""
