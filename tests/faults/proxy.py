"""A loopback TCP proxy that breaks chosen connections at a chosen byte or time (issue 17 §1).

Placed between the client core and the sandbox (plain HTTP), it forwards bytes both ways and, on
the connections a `Rule` picks (the Nth connection, or the one carrying a request whose line names a
path such as `/jmap/download`), injects one `Fault`: cut (FIN), reset (RST), stall (nothing
forwarded either way, the socket kept open), drip (a few bytes every few ms), truncate (the answer
closed after N bytes) or silence (the server's bytes no longer forwarded, the socket kept open, as a
push stream that dies without closing). Real sockets: the client sees what a bad network does.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import struct
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["cut", "reset", "stall", "drip", "truncate", "silence"]
Direction = Literal["up", "down"]  # up: client → server; down: server → client

REQUEST_LINE = re.compile(rb"(?:GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) (\S+) HTTP/1\.[01]\r\n")
CHUNK = 65536


@dataclass(frozen=True)
class Fault:
    """What happens, in which direction, once `after_bytes` have passed that way since the rule
    matched (or `after_s` seconds later, whichever comes first). `truncate` and `silence` act on
    the answer (down); drip sends `drip_bytes` every `drip_every_s`, for `drip_limit` bytes
    (then normal flow again; None: until the end)."""

    kind: Kind
    direction: Direction = "down"
    after_bytes: int = 0
    after_s: float | None = None
    drip_bytes: int = 512
    drip_every_s: float = 0.02
    drip_limit: int | None = None

    def __post_init__(self) -> None:
        if self.kind in ("truncate", "silence") and self.direction != "down":
            raise ValueError(f"{self.kind} acts on the answer (down)")


@dataclass
class Rule:
    """Which connections get `fault`: the `nth` accepted (1-based), or those carrying a request
    whose path starts with `path` (and, with `contains`, whose bytes carry it: one JMAP method
    among the /jmap/api calls); the first `skip` matches are let through, then `times` are hit
    (None: all)."""

    fault: Fault
    path: str | None = None
    nth: int | None = None
    contains: bytes | None = None  # with `path`: only a request whose bytes carry this
    skip: int = 0
    times: int | None = 1
    matched: int = 0
    hits: int = 0

    def take(self) -> bool:
        """Counts one match; True when this one is to be hit."""
        self.matched += 1
        if self.matched <= self.skip:
            return False
        if self.times is not None and self.hits >= self.times:
            return False
        self.hits += 1
        return True


@dataclass(eq=False)
class _Connection:
    number: int
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    fault: Fault | None = None
    counted: dict[str, int] = field(default_factory=lambda: {"up": 0, "down": 0})
    triggered: bool = False
    dripped: int = 0
    held: asyncio.Event = field(default_factory=asyncio.Event)  # closed by the proxy
    timer: asyncio.TimerHandle | None = None
    path: str = ""  # of the last request seen


class FaultProxy:
    """`await start()` gives the URL to give the client; `add(rule)` / `clear()` while it runs."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.rules: list[Rule] = []
        self.connections = 0
        self.requests: list[str] = []  # the paths seen, in order
        self.faults_done = 0
        self._server: asyncio.Server | None = None
        self.url = ""
        self._tasks: set[asyncio.Task[None]] = set()
        self._open: set[_Connection] = set()

    async def start(self) -> str:
        """Listening; the URL to give the client (`url` after)."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def add(self, rule: Rule) -> Rule:
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """The fault lifted for new connections and requests (a stalled one stays stalled: the
        client's own deadline must end it)."""
        self.rules.clear()

    def count(self, path: str) -> int:
        return sum(p.startswith(path) for p in self.requests)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for conn in list(self._open):
            _abort(conn.client)
            _abort(conn.server)
            conn.held.set()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            _abort(writer)
            self._tasks.discard(task)
            return
        conn = _Connection(self.connections, writer, up_writer)
        self._open.add(conn)
        for rule in self.rules:
            if rule.nth == conn.number and rule.take():
                self._arm(conn, rule.fault)
        try:
            await asyncio.gather(
                self._pipe(conn, reader, "up"), self._pipe(conn, up_reader, "down")
            )
        except (asyncio.CancelledError, OSError):
            pass
        finally:
            _abort(writer)
            _abort(up_writer)
            self._open.discard(conn)
            if conn.timer is not None:
                conn.timer.cancel()
            self._tasks.discard(task)

    def _arm(self, conn: _Connection, fault: Fault) -> None:
        if conn.fault is not None:
            return
        conn.fault = fault
        conn.counted = {"up": 0, "down": 0}
        if fault.after_s is not None:
            loop = asyncio.get_running_loop()
            conn.timer = loop.call_later(fault.after_s, self._trigger, conn)

    def _trigger(self, conn: _Connection) -> None:
        if conn.triggered or conn.fault is None:
            return
        conn.triggered = True
        self.faults_done += 1
        kind = conn.fault.kind
        if kind in ("cut", "truncate"):
            _close(conn.client)
            _close(conn.server)
            conn.held.set()
        elif kind == "reset":
            _reset(conn.client)
            _abort(conn.server)
            conn.held.set()

    def _watch_requests(self, conn: _Connection, data: bytes) -> None:
        for match in REQUEST_LINE.finditer(data):
            conn.path = match.group(1).decode("ascii", "replace")
            self.requests.append(conn.path)
            for rule in self.rules:
                if rule.path is not None and rule.contains is None and self._on(rule, conn):
                    self._arm(conn, rule.fault)
        for rule in self.rules:
            if rule.contains is not None and rule.contains in data and self._on(rule, conn):
                self._arm(conn, rule.fault)

    @staticmethod
    def _on(rule: Rule, conn: _Connection) -> bool:
        return conn.path.startswith(rule.path or "") and rule.take()

    async def _pipe(self, conn: _Connection, src: asyncio.StreamReader, way: Direction) -> None:
        dst = conn.server if way == "up" else conn.client
        while True:
            data = await src.read(CHUNK)
            if not data:
                break
            if way == "up" and not conn.triggered:
                self._watch_requests(conn, data)
            fault = conn.fault
            if fault is None or (
                fault.direction != way and fault.kind not in ("stall", "cut", "reset")
            ):
                await _send(dst, data)
                continue
            if not await self._faulty(conn, fault, dst, data, way):
                break
        # This side ended (or its fault is done): the whole connection goes.
        _close(dst)
        conn.held.set()

    async def _faulty(
        self, conn: _Connection, fault: Fault, dst: asyncio.StreamWriter, data: bytes, way: str
    ) -> bool:
        """Forwards `data` under `fault`; False when this direction is finished."""
        if not conn.triggered and fault.direction == way:
            left = fault.after_bytes - conn.counted[way]
            if left > len(data) or (fault.after_bytes == 0 and fault.after_s is not None):
                conn.counted[way] += len(data)
                await _send(dst, data)
                return True
            if left > 0:
                await _send(dst, data[:left])
            conn.counted[way] += len(data)
            data = data[max(left, 0) :]
            self._trigger(conn)
        if not conn.triggered:
            await _send(dst, data)  # the other direction, before the fault
            return True
        if fault.kind in ("cut", "truncate", "reset"):
            return False
        if fault.kind == "stall" or (fault.kind == "silence" and way == "down"):
            await conn.held.wait()  # nothing more this way, the socket kept open
            return False
        if fault.kind == "drip" and way == fault.direction:
            for i in range(0, len(data), fault.drip_bytes):
                if fault.drip_limit is not None and conn.dripped >= fault.drip_limit:
                    await _send(dst, data[i:])
                    return True
                await _send(dst, data[i : i + fault.drip_bytes])
                conn.dripped += fault.drip_bytes
                await asyncio.sleep(fault.drip_every_s)
            return True
        await _send(dst, data)
        return True


async def _send(writer: asyncio.StreamWriter, data: bytes) -> None:
    if writer.is_closing():
        raise ConnectionResetError
    writer.write(data)
    await writer.drain()


def _close(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, RuntimeError):
        writer.close()


def _abort(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, RuntimeError):
        writer.transport.abort()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Closed with SO_LINGER 0: the peer gets an RST, not a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    _abort(writer)
