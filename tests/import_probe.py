"""What a fresh interpreter imports running some code (start-up tests: every server and CLI
start pays for what it imports)."""

from __future__ import annotations

import os
import subprocess
import sys


def imports_of(code: str, **env: str) -> tuple[str, set[str]]:
    """Run ``code`` in a new interpreter; return what it printed and the modules it imported."""
    probe = f"{code}\nimport sys\nprint('\\n' + ' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=120, env={**os.environ, **env})
    printed, _, modules = done.stdout.rstrip("\n").rpartition("\n")
    return printed, set(modules.split())


def packages(modules: set[str]) -> set[str]:
    """The top-level packages of ``modules``."""
    return {m.split(".")[0] for m in modules}
