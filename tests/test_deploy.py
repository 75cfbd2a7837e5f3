"""deploy/ stays true: its commands are omnidesk commands, its settings are real settings, and
its nginx configuration is accepted by nginx."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from omnidesk.app.cli import app
from omnidesk.config import Settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
SETTINGS = {f"OMNIDESK_{name.upper()}" for name in Settings.model_fields}


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def _commands() -> list[list[str]]:
    compose = [s["command"] for s in _compose()["services"].values()
               if s.get("command") and s["command"][0] == "omnidesk"]
    units = [shlex.split(line.split("=", 1)[1].replace("%i", "8001"))
             for unit in (DEPLOY / "systemd").glob("*.service")
             for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
    return [*compose, *([Path(c[0]).name, *c[1:]] for c in units)]


def test_compose_runs_postgres_redis_web_workers_and_nginx() -> None:
    services = _compose()["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "nginx"} <= set(services)
    env = services["web"]["environment"]
    assert env["OMNIDESK_RUN_DISPATCHER"] == "false" and env["OMNIDESK_REDIS_URL"]
    assert services["web"]["deploy"]["replicas"] >= 2 and services["worker"]["deploy"]["replicas"]


def test_every_deploy_command_is_an_omnidesk_command_with_its_options() -> None:
    commands = _commands()
    assert {tuple(c[1:2]) for c in commands} >= {("serve",), ("worker",), ("db",)}
    for command in commands:
        words = [w for w in command[1:] if not w.startswith("-") and not w[0].isdigit()
                 and w != "0.0.0.0" and w != "127.0.0.1"]
        result = CliRunner().invoke(app, [*words, "--help"])
        assert result.exit_code == 0, command
        for option in (w for w in command if w.startswith("--")):
            assert option in result.output, (command, option)


def test_every_setting_named_in_deploy_is_a_real_setting() -> None:
    texts = [(DEPLOY / "docker-compose.yml").read_text(),
             (DEPLOY / "systemd" / "omnidesk.env").read_text()]
    named = {m for text in texts for m in re.findall(r"\bOMNIDESK_[A-Z_]+(?==|:)", text)}
    assert named and named <= SETTINGS, named - SETTINGS


def test_nginx_accepts_the_proxy_configuration(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (make system-deps)")
    site = (DEPLOY / "nginx.conf").read_text().replace("web:8000", "127.0.0.1:8000")
    site = site.replace("listen 80;", "listen 127.0.0.1:1;")
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user} pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ client_body_temp_path {tmp_path}/b; proxy_temp_path {tmp_path}/p;\n"
        f"fastcgi_temp_path {tmp_path}/f; uwsgi_temp_path {tmp_path}/u;\n"
        f"scgi_temp_path {tmp_path}/s; access_log off;\n{site}\n}}\n")
    done = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                          check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_log_lines_age_out_of_the_journal_and_docker() -> None:
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert units and all("\nLogNamespace=omnidesk\n" in u.read_text() for u in units)
    journal = (DEPLOY / "systemd" / "journald@omnidesk.conf").read_text()
    kept = re.search(r"^MaxRetentionSec=(\d+)day$", journal, re.MULTILINE)
    assert "[Journal]" in journal and kept and 0 < int(kept.group(1)) <= 90
    logging = _compose()["x-omnidesk"]["logging"]
    assert logging["driver"] == "local" and logging["options"]["max-file"] == "5"
