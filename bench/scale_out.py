"""One process against several: widget messages through the real endpoint on PostgreSQL + Redis.

Set-ups, each on the same freshly loaded demo database (bot on):
- ``1 web``: one `omnidesk serve` with its own dispatcher (no Redis), as `make run`;
- ``2 web + 2 workers``: two `omnidesk serve` (dispatcher off) behind Debian's nginx and two
  `omnidesk worker`, sharing Redis, as docs/deploy.md describes.
For each it posts ``--messages`` widget messages from ``--visitors`` visitors at once (503
answers are retried after their Retry-After) and prints accepted msg/s, HTTP p50/p99, the
seconds until every event was processed (the bot answered, routing ran), and each process's RSS.
Run: .venv/bin/python bench/scale_out.py [--messages 300] [--visitors 20]
Needs PostgreSQL on 127.0.0.1:5432 (user postgres), Redis on 6379 and nginx; figures vary with
the machine's load, run it a few times and report the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
from startup import CLI, free_port, rss_mb  # bench/ is on the path when run as a script

from omnidesk.demo.dataset.generator import WORKSPACE_SLUG

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "omnidesk_bench_scale"
NGINX_CONF = """
{user} worker_processes 1; daemon off; pid {tmp}/nginx.pid; error_log {tmp}/nginx.log warn;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {tmp}/b; proxy_temp_path {tmp}/p;
  fastcgi_temp_path {tmp}/f; uwsgi_temp_path {tmp}/u; scgi_temp_path {tmp}/s;
  upstream omnidesk {{ {servers} keepalive 32; }}
  server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://omnidesk;
    proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $http_host;
    proxy_next_upstream error timeout; }} }} }}
"""


async def fresh_database() -> str:
    """Drop and create the bench database; return its SQLAlchemy URL."""
    conn = await asyncpg.connect(ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await conn.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DATABASE}"


async def unprocessed(url: str) -> int:
    """Count deliveries still pending or running."""
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return int(await conn.fetchval(
            "SELECT count(*) FROM event_deliveries WHERE status IN ('pending', 'running')"))
    finally:
        await conn.close()


async def post_messages(base: str, messages: int, visitors: int) -> list[float]:
    """Post the messages; return each one's HTTP latency in seconds (retries included)."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        tokens = []
        for _ in range(visitors):
            session = await client.post("/widget/api/sessions", json={"workspace": WORKSPACE_SLUG})
            session.raise_for_status()
            tokens.append(session.json()["token"])
        latencies: list[float] = []

        async def visitor(n: int, token: str) -> None:
            headers = {"X-Widget-Workspace": WORKSPACE_SLUG, "X-Widget-Token": token}
            for i in range(n, messages, visitors):
                started = time.perf_counter()
                while True:
                    sent = await client.post("/widget/api/messages", headers=headers, json={
                        "text": f"주문한 소파 배송이 언제 오나요? ({i})",
                        "client_message_id": f"scale{i:06d}"})
                    if sent.status_code != 503:
                        sent.raise_for_status()
                        break
                    await asyncio.sleep(float(sent.headers.get("Retry-After", "1")))
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(visitor(n, t) for n, t in enumerate(tokens)))
        return latencies


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start one omnidesk command."""
    with log.open("ab") as out:
        return subprocess.Popen([*CLI, *args], env=env, stdout=out, stderr=out,
                                start_new_session=True)


def wait_ready(port: int) -> None:
    """Wait until a web process has loaded the app."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"port {port} did not get ready")


def run_setup(name: str, webs: int, workers: int, env: dict[str, str], tmp: Path,
              args: argparse.Namespace) -> dict[str, object]:
    """Start the set-up, load it, wait for the dispatchers, measure, stop it."""
    url = asyncio.run(fresh_database())
    env = {**env, "OMNIDESK_DATABASE_URL": url}
    for step in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*CLI, *step], env=env, check=True, capture_output=True)
    if workers:
        env |= {"OMNIDESK_REDIS_URL": "redis://127.0.0.1:6379/0",
                "OMNIDESK_RUN_DISPATCHER": "false"}
    ports = [free_port() for _ in range(webs)]
    procs = [start(["serve", "--port", str(p)], env, tmp / f"{name}-web{p}.log") for p in ports]
    procs += [start(["worker"], env, tmp / f"{name}-worker{n}.log") for n in range(workers)]
    proxy = None
    try:
        for port in ports:
            wait_ready(port)
        base = f"http://127.0.0.1:{ports[0]}"
        if webs > 1:
            port = free_port()
            user = "user root;" if os.geteuid() == 0 else ""
            servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
            (tmp / "nginx.conf").write_text(NGINX_CONF.format(
                user=user, tmp=tmp, servers=servers, port=port))
            proxy = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c",
                                      str(tmp / "nginx.conf"), "-p", str(tmp)])
            base = f"http://127.0.0.1:{port}"
            time.sleep(1)
        time.sleep(args.settle)  # models load in the background
        idle = [round(rss_mb(p.pid)) for p in procs]
        started = time.perf_counter()
        latencies = asyncio.run(post_messages(base, args.messages, args.visitors))
        accepted = time.perf_counter() - started
        while asyncio.run(unprocessed(url)) and time.perf_counter() - started < args.drain:
            time.sleep(0.5)
        processed = time.perf_counter() - started
        latencies.sort()
        return {"setup": name, "accepted_per_s": args.messages / accepted,
                "p50_ms": 1000 * statistics.median(latencies),
                "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
                "processed_s": processed, "left": asyncio.run(unprocessed(url)),
                "rss_idle_mb": idle, "rss_after_mb": [round(rss_mb(p.pid)) for p in procs]}
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def main() -> None:
    """Parse options, run both set-ups, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--drain", type=float, default=180.0)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="omnidesk-scale-"))
    env = {**os.environ, "OMNIDESK_SECRET_KEY": "bench-secret",
           "OMNIDESK_UPLOAD_DIR": str(tmp / "uploads"), "OMNIDESK_LOG_LEVEL": "WARNING",
           "OMNIDESK_WIDGET_RATE_LIMIT": "1000000"}
    env.pop("OMNIDESK_REDIS_URL", None)
    rows = [run_setup("1 web", 1, 0, env, tmp, args),
            run_setup("2 web + 2 workers", 2, 2, env, tmp, args)]
    print(f"{args.messages} widget messages from {args.visitors} visitors, bot on, PostgreSQL")
    print(f"{'set-up':<18} {'msg/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'processed s':>11} "
          f"{'left':>5}  RSS idle / after load MB per process")
    for row in rows:
        print(f"{row['setup']:<18} {row['accepted_per_s']:>6.1f} {row['p50_ms']:>7.0f} "
              f"{row['p99_ms']:>7.0f} {row['processed_s']:>11.1f} {row['left']:>5}  "
              f"{row['rss_idle_mb']} / {row['rss_after_mb']}".replace("'", ""))


if __name__ == "__main__":
    main()
