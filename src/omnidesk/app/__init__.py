"""Entry points: the app factory, the worker process, the `omnidesk` CLI and its commands, process bootstrap and subscriber wiring."""
