"""A small IMAP4rev1 server (LOGIN, EXAMINE, UID SEARCH, UID FETCH) for poller tests."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class FakeMailbox:
    """Messages by UID, the mailbox's UIDVALIDITY, and the commands seen."""

    uidvalidity: int = 7
    messages: dict[int, bytes] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)
    password: str = "imap-pass"


def _handler(box: FakeMailbox) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def send(self, text: str | bytes) -> None:
            self.wfile.write(text.encode() if isinstance(text, str) else text)

        def handle(self) -> None:
            self.send("* OK IMAP4rev1 fake ready\r\n")
            while line := self.rfile.readline():
                tag, _, rest = line.decode().strip().partition(" ")
                command = rest.upper()
                box.commands.append(rest)
                if command.startswith("CAPABILITY"):
                    self.send(f"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n")
                elif command.startswith("LOGIN"):
                    ok = rest.split(" ", 2)[2].strip('"') == box.password
                    self.send(f"{tag} {'OK' if ok else 'NO'} login\r\n")
                elif command.startswith(("EXAMINE", "SELECT")):
                    self.send(f"* {len(box.messages)} EXISTS\r\n* OK [UIDVALIDITY "
                              f"{box.uidvalidity}] ok\r\n{tag} OK [READ-ONLY] done\r\n")
                elif command.startswith("UID SEARCH"):
                    low = int(rest.split()[-1].split(":")[0])
                    uids = [u for u in sorted(box.messages) if u >= low] or \
                        sorted(box.messages)[-1:]
                    self.send(f"* SEARCH {' '.join(map(str, uids))}\r\n{tag} OK done\r\n")
                elif command.startswith("UID FETCH"):
                    uid = int(rest.split()[2])
                    raw = box.messages[uid]
                    self.send(f"* {uid} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode()
                              + raw + f")\r\n{tag} OK done\r\n".encode())
                elif command.startswith("LOGOUT"):
                    self.send(f"* BYE\r\n{tag} OK bye\r\n")
                    return
                else:
                    self.send(f"{tag} BAD unknown\r\n")

    return Handler


@contextmanager
def serve_imap(box: FakeMailbox) -> Iterator[int]:
    """Run the fake IMAP server on 127.0.0.1 and yield its port."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(box))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
