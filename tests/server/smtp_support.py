"""A real SMTP server on loopback for the relay tests: just enough of RFC 5321 to receive each
message with its envelope (MAIL FROM, RCPT TO) and data, kept in `received`."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Received:
    sender: str  # the envelope's MAIL FROM ("" for the null sender <>)
    recipients: list[str]
    data: bytes


def _path(line: bytes) -> str:
    """The address between < and > of a MAIL or RCPT command."""
    return line.split(b"<", 1)[1].split(b">", 1)[0].decode()


class _Smtp(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: SmtpServer = self.server  # type: ignore[assignment]
        self.wfile.write(b"220 test ESMTP\r\n")
        sender, recipients = "", []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"HELO", b"EHLO"):
                self.wfile.write(b"250 test\r\n")
            elif verb == b"MAIL":
                sender, recipients = _path(line), []
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"RCPT":
                recipients.append(_path(line))
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                server.received.append(Received(sender, recipients, data))
                sender, recipients = "", []
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Smtp)
        self.received: list[Received] = []

    @property
    def relay(self) -> str:
        """As `--smtp-relay` takes it."""
        return f"127.0.0.1:{self.server_address[1]}"


@pytest.fixture(name="smtp")
def smtp_fixture() -> Iterator[SmtpServer]:
    """A test imports `smtp_fixture` and asks for `smtp`."""
    server = SmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()
