"""The browser tests' servers: ready when /healthz answers, and never left running."""

from __future__ import annotations

import contextlib
import os
import select
import socket
from pathlib import Path

import httpx
import pytest

from tests.e2e import conftest
from tests.e2e.conftest import LiveServer, free_port, prepared_database, server_env


def test_a_server_that_misses_its_deadline_is_stopped_with_its_process_group(
    tmp_path: Path,
) -> None:
    server = LiveServer(free_port(), server_env(tmp_path, prepared_database(tmp_path / "a.db")),
                        tmp_path / "server.log")
    before = set(conftest._SPAWNED)
    with pytest.raises(RuntimeError, match="did not answer /healthz"):
        server.start(timeout=0.01)  # no server imports and binds that fast
    assert set(conftest._SPAWNED) == before and server.pid is None
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/healthz", timeout=2)


def test_a_started_server_answers_and_is_gone_after_stop(live_server: LiveServer) -> None:
    assert httpx.get(live_server.url + "/healthz").json()["status"] == "ok"
    pid = live_server.pid
    assert pid is not None and os.getpgid(pid) == pid  # its own process group
    live_server.stop()
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
    with pytest.raises(httpx.ConnectError):
        httpx.get(live_server.url + "/healthz", timeout=2)


def test_a_100_mb_chunked_anonymous_body_is_refused_early_by_a_real_server(
    live_server: LiveServer,
) -> None:
    limit = 1024 * 1024  # OMNIDESK_MAX_BODY_BYTES' default
    chunk, total, sent = b"a" * 65536, 100 * 1024 * 1024, 0
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as conn:
        conn.sendall(b"POST /widget/api/messages HTTP/1.1\r\nHost: test\r\n"
                     b"Content-Type: application/json\r\nX-Widget-Workspace: hanbit\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        answer = b""
        while sent < total:
            if select.select([conn], [], [], 0)[0]:  # the server answered before the end
                break
            try:
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                break  # it stopped reading (or closed): its answer is waiting
            sent += len(chunk)
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            while part := conn.recv(65536):  # the refusal closes the connection
                answer += part
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"limit_bytes":%d' % limit in answer.replace(b" ", b"")
    print(f"server answered after {sent} bytes were sent")
    # the server read about a megabyte; what else left the client sits in the loopback's socket
    # buffers (a few MB), far from the 100 MB a server reading it all would have taken
    assert sent < total // 4
    assert httpx.get(live_server.url + "/healthz").status_code == 200
