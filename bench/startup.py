"""Start-up and memory of one omnidesk process: `omnidesk --help`, `omnidesk serve` until
/healthz answers, the server's RSS idle and after a load of widget messages (bot on).

It creates a temp SQLite database, migrates it and loads the demo workspace (bot, knowledge base),
then for each of ``--runs`` starts `omnidesk serve` and measures:
- help: wall time of `omnidesk --help` (the command groups are imported lazily);
- healthz: seconds from the process start until /healthz answers 200 (the port listens at once;
  the application loads behind it, see omnidesk.app.asgi);
- ready: seconds until /readyz answers 200 (the application imported and started, and the bot's
  models warm: the process answers as the bot; pages and the API answer before that);
- 1st reply: right after /readyz, one widget message until the bot's answer is stored (the
  shipped intent model comes from the model cache, `OMNIDESK_CACHE_DIR`, after the first start
  on the machine); start→reply adds the two;
- RSS idle: the server's resident memory ``--settle`` seconds after /healthz (models loading
  in the background by then);
- RSS after load: after ``--messages`` widget messages from ``--visitors`` visitors, with the
  dispatcher (bot, NLU, routing) working them off;
- CPU: the server process's CPU seconds (all its threads, from /proc) at /readyz and when the
  first answer is stored. On a machine shared with other work the wall figures stretch with its
  load; the CPU figures much less.
The Korean analyser (kiwipiepy) is built once per process (``omnidesk.core.text._kiwi``).
``--baseline DIR`` runs other code beside this one, interleaved run by run: DIR holds its ``src``
(e.g. ``git archive <commit> src | tar -x -C DIR``), put first on the servers' PYTHONPATH, with
its own model cache (``DIR/cache``: its first start trains the shipped intent model, so read the
later runs). Each version loads the demo database with its own code (the models it stores
are in its own format).
Run: .venv/bin/python bench/startup.py [--runs 3] [--messages 300] [--visitors 20] [--baseline DIR]
Figures vary with the machine's load; run it a few times and report the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from omnidesk.demo.dataset.generator import WORKSPACE_SLUG

CLI = [sys.executable, "-m", "omnidesk.app.cli"]


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Return a process's resident set size in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """Return a process's CPU seconds so far, user and system, all threads (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def help_seconds(env: dict[str, str]) -> tuple[float, float]:
    """Time one `omnidesk --help`: wall and CPU seconds."""
    before = os.times()
    started = time.perf_counter()
    subprocess.run([*CLI, "--help"], check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = os.times()
    return wall, (after.children_user - before.children_user
                  + after.children_system - before.children_system)


async def load(base: str, messages: int, visitors: int) -> float:
    """Post ``messages`` widget messages from ``visitors`` visitors; return the seconds it took."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        tokens = []
        for _ in range(visitors):
            session = await client.post("/widget/api/sessions", json={"workspace": WORKSPACE_SLUG})
            session.raise_for_status()
            tokens.append(session.json()["token"])

        async def visitor(n: int, token: str) -> None:
            headers = {"X-Widget-Workspace": WORKSPACE_SLUG, "X-Widget-Token": token}
            for i in range(n, messages, visitors):
                sent = await client.post("/widget/api/messages", headers=headers, json={
                    "text": f"주문한 소파 배송이 언제 오나요? ({i})", "client_message_id": f"bench{i:06d}"})
                if sent.status_code == 503:  # back-pressure: come back as told
                    await asyncio.sleep(float(sent.headers.get("Retry-After", "1")))
                    continue
                sent.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(visitor(n, t) for n, t in enumerate(tokens)))
        return time.perf_counter() - started


async def first_reply(base: str) -> float:
    """Send one widget message and return the seconds until the bot's answer is stored."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        session = await client.post("/widget/api/sessions", json={"workspace": WORKSPACE_SLUG})
        session.raise_for_status()
        headers = {"X-Widget-Workspace": WORKSPACE_SLUG, "X-Widget-Token": session.json()["token"]}
        started = time.perf_counter()
        sent = await client.post("/widget/api/messages", headers=headers, json={
            "text": "환불 규정이 어떻게 되나요?", "client_message_id": "bench-first"})
        sent.raise_for_status()
        mine = sent.json()["id"]
        while time.perf_counter() - started < 60:
            listed = (await client.get("/widget/api/messages", headers=headers)).json()
            if any(m["author_kind"] == "bot" and m["id"] > mine for m in listed["messages"]):
                return time.perf_counter() - started
            await asyncio.sleep(0.05)
        raise RuntimeError("the bot did not answer within 60 s")


def run_server(env: dict[str, str], args: argparse.Namespace, log: Path) -> dict[str, float]:
    """Start `omnidesk serve`, measure it, stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with log.open("ab") as out:
        server = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env,
                                  stdout=out, stderr=out, start_new_session=True)
    try:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"server exited; see {log}")
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.02)
        healthz = time.perf_counter() - started
        while (ready_answer := httpx.get(base + "/readyz", timeout=30)).status_code != 200:
            if ready_answer.json().get("status") == "failed":
                raise RuntimeError(f"the app failed to start; see {log}")
            time.sleep(0.02)
        ready = time.perf_counter() - started
        ready_cpu = cpu_seconds(server.pid)
        reply = asyncio.run(first_reply(base))  # the first customer right after start-up
        reply_cpu = cpu_seconds(server.pid)
        time.sleep(args.settle)
        idle = rss_mb(server.pid)
        took = asyncio.run(load(base, args.messages, args.visitors))
        time.sleep(args.settle)  # the dispatcher works off the bot's turns
        return {"healthz_s": healthz, "ready_s": ready, "reply_s": reply, "ready_cpu": ready_cpu,
                "reply_cpu": reply_cpu, "rss_idle_mb": idle, "rss_after_mb": rss_mb(server.pid),
                "load_s": took}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


def main() -> None:
    """Parse options, prepare the demo database, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a folder with other code's src/, run interleaved with this code")
    args = parser.parse_args()

    variants: dict[str, dict[str, str]] = {"this": {}}
    if args.baseline is not None:
        # its own model cache: the two versions' intent models have different keys, and each
        # start would delete the other's and train its own again
        variants["baseline"] = {"PYTHONPATH": str((args.baseline / "src").resolve()),
                                "XDG_CACHE_HOME": str((args.baseline / "cache").resolve())}
    for name, extra in variants.items():
        helps = [help_seconds({**os.environ, **extra}) for _ in range(5)]
        walls, cpus = [h[0] for h in helps], [h[1] for h in helps]
        print(f"{name}: omnidesk --help: median {statistics.median(walls):.2f} s, "
              f"max {max(walls):.2f} s, CPU median {statistics.median(cpus):.2f} s (5 runs)")

    tmp = Path(tempfile.mkdtemp(prefix="omnidesk-bench-"))
    env = {**os.environ, "OMNIDESK_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
           "OMNIDESK_SECRET_KEY": "bench-secret", "OMNIDESK_UPLOAD_DIR": str(tmp / "uploads"),
           "OMNIDESK_WIDGET_RATE_LIMIT": "1000000", "OMNIDESK_LOG_LEVEL": "WARNING"}
    env.pop("OMNIDESK_REDIS_URL", None)
    loaded: dict[str, bytes] = {}
    for name, extra in variants.items():  # each version loads its own demo (its stored models)
        for step in (["db", "upgrade"], ["demo", "load"]):
            done = subprocess.run([*CLI, *step], env={**env, **extra}, capture_output=True,
                                  text=True, check=False)
            if done.returncode:
                sys.exit(f"{name}: omnidesk {' '.join(step)} failed:\n{done.stderr[-3000:]}")
        loaded[name] = (tmp / "bench.db").read_bytes()
        for leftover in ("bench.db", "bench.db-wal", "bench.db-shm"):
            (tmp / leftover).unlink(missing_ok=True)
    rows = []
    for n in range(args.runs):  # each run starts from the loaded demo, not the last run's backlog
        for name, extra in variants.items():
            for leftover in ("bench.db-wal", "bench.db-shm"):
                (tmp / leftover).unlink(missing_ok=True)
            (tmp / "bench.db").write_bytes(loaded[name])
            rows.append((n + 1, name, run_server({**env, **extra}, args, tmp / "server.log")))
    print(f"{'run':>3} {'code':>8} {'healthz s':>10} {'ready s':>8} {'1st reply s':>11} "
          f"{'start→reply s':>13} {'CPU ready s':>11} {'CPU reply s':>11} {'RSS idle MB':>12} "
          f"{'RSS after MB':>13} {'load s':>7}   ({args.messages} widget messages, "
          f"{args.visitors} visitors, bot on)")
    for n, name, row in rows:
        print(f"{n:>3} {name:>8} {row['healthz_s']:>10.2f} {row['ready_s']:>8.2f} "
              f"{row['reply_s']:>11.2f} {row['ready_s'] + row['reply_s']:>13.2f} "
              f"{row['ready_cpu']:>11.2f} {row['reply_cpu']:>11.2f} {row['rss_idle_mb']:>12.0f} "
              f"{row['rss_after_mb']:>13.0f} {row['load_s']:>7.1f}")


if __name__ == "__main__":
    main()
