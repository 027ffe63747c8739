"""Every connection an HTTP client opened is closed when the client is closed, whatever the server
did and wherever a task was cancelled.

httpcore's pool closes the connections it lets go of (expired, surplus idle, the server gone) under
anyio's shield, which does not hold against asyncio's own `Task.cancel()`: a request cancelled while
its pool closes several connections (a sign-out while the push stream reconnects to a server that
just went away) stops after the first, and the others, already out of the pool, stay open until the
garbage collector finds them. The same for a connection whose TLS handshake is cancelled (the login
window's probe, replaced or closed during the handshake): httpcore closes a stream whose handshake
failed, not one whose handshake was cancelled. So each client's network backend keeps the streams it
opened until they are closed, and closing the client (`aclose`, or the end of `async with`, which
does not call it) closes those still open (at sign-out, lock and quit). One let go of that way
during a session, which is rare, waits until then; its server has usually closed its end already.

The same wrapper does two things on each socket that httpcore would do at a higher price, or not:
- It acknowledges what it receives at once (TCP_QUICKACK, Linux). A server that writes its
  headers and its body in two small writes without TCP_NODELAY (Cyrus does) holds the body back
  until the headers are acknowledged (Nagle), and Linux delays that acknowledgement by up to 40 ms
  on a kept-alive connection: every JMAP call and download paid it (a median of 46 ms per request
  to Cyrus on loopback in a first sync, 5 ms with it: bench/interop.py --whole). The flag does not
  stay set, so it is set again around each read and write.
- It answers "is the connection still readable" (asked for every pooled connection on every
  request, to drop those the server closed) from the socket it keeps, where anyio rebuilt its
  table of attributes each time. With both, and blobs asked for as stored (app/remote/blobs.py),
  downloading Cyrus's 1,126 XDM packages costs the client 0.9 ms each, down from 2.1 ms.
"""

from __future__ import annotations

import contextlib
import select
import socket
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import httpcore
import httpx


class _TrackedStream(httpcore.AsyncNetworkStream):
    """A stream that stays in `opened` until its own close went through."""

    def __init__(self, stream: httpcore.AsyncNetworkStream, opened: set[_TrackedStream]) -> None:
        self._stream = stream
        self._opened = opened
        # The same socket under TLS (start_tls wraps it): kept for the checks below.
        self._socket: socket.socket | None = stream.get_extra_info("socket")
        opened.add(self)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        _quick_ack(self._socket)
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)
        _quick_ack(self._socket)  # the answer's first segments are acknowledged at once

    async def aclose(self) -> None:
        await self._stream.aclose()
        self._opened.discard(self)  # not before: a close cancelled half-way is done again later

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # The TLS stream wraps the same socket: closing it closes both.
        self._stream = await self._stream.start_tls(ssl_context, server_hostname, timeout)
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return _readable(self._socket)
        if info == "socket":
            return self._socket
        return self._stream.get_extra_info(info)


def _quick_ack(sock: socket.socket | None) -> None:
    if _QUICKACK is not None and sock is not None and sock.fileno() != -1:
        # A Unix socket (a proxy's) has nothing to acknowledge early: it refuses the option.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)


_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)


def _readable(sock: socket.socket) -> bool:
    """True when an idle connection has something to read (the server's close, mostly) or is
    closed: httpcore then drops it instead of sending on it."""
    if sock.fileno() == -1:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])


class _TrackingBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend
        self.opened: set[_TrackedStream] = set()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )
        return _TrackedStream(stream, self.opened)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_unix_socket(
            path, timeout=timeout, socket_options=socket_options
        )
        return _TrackedStream(stream, self.opened)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)

    async def aclose(self) -> None:
        for stream in list(self.opened):
            await stream.aclose()


class ClosingTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (its pool, or a proxy's), whose `aclose` also closes the connections
    its pool let go of without closing them."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._tracking = _TrackingBackend(self._pool._network_backend)
        self._pool._network_backend = self._tracking  # before any connection is made

    async def aclose(self) -> None:
        try:
            await super().aclose()
        finally:
            await self._tracking.aclose()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        # A client closed by `async with` closes its transport here, not through `aclose`.
        try:
            await super().__aexit__(exc_type, exc_value, traceback)
        finally:
            await self._tracking.aclose()


class ClosingClient(httpx.AsyncClient):
    """An AsyncClient whose transports, direct and through the environment's proxies, are
    ClosingTransports (a transport given by a test is used as it is)."""

    def _init_transport(  # type: ignore[override]
        self, transport: httpx.AsyncBaseTransport | None = None, **options: Any
    ) -> httpx.AsyncBaseTransport:
        return transport if transport is not None else ClosingTransport(**options)

    def _init_proxy_transport(  # type: ignore[override]
        self, proxy: httpx.Proxy, **options: Any
    ) -> httpx.AsyncBaseTransport:
        return ClosingTransport(proxy=proxy, **options)
