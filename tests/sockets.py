"""Where each socket of the test run was made, said by its repr, and `no_socket_left_open`.

A socket that is garbage-collected open is reported by Python as "unclosed <socket.socket …>",
at whatever moment the collector runs — often in a later test, far from the code that leaked it.
Its repr here names the code that made it, so the report points at the leak. A test that must
leave no connection open says so directly with `no_socket_left_open` (the collector run at its
end, not at random later). `silent_tls_server` holds a client in its TLS handshake, to cancel it
there.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import socket
import traceback
import warnings
import weakref
from collections.abc import Iterator
from typing import Any

# By id, not by weak reference: the collector clears weak references before it finalizes, and the
# warning is written by the finalizer. A new socket at a reused id replaces the entry.
_made_at: dict[int, str] = {}
_alive: weakref.WeakSet[socket.socket] = weakref.WeakSet()
_init = socket.socket.__init__
_repr = socket.socket.__repr__


def _where() -> str:
    frames = traceback.extract_stack(limit=30)[:-2]
    kept = [f for f in frames if "pluggy" not in f.filename and "_pytest" not in f.filename]
    return "".join(f"\n    {f.filename}:{f.lineno} {f.name}" for f in kept[-14:])


def _recording_init(self: socket.socket, *args: Any, **kwargs: Any) -> None:
    _init(self, *args, **kwargs)
    _made_at[id(self)] = _where()
    _alive.add(self)


def _telling_repr(self: socket.socket) -> str:
    made = _made_at.get(id(self))
    return _repr(self) + (f" made at:{made}" if made else "")


def install() -> None:
    socket.socket.__init__ = _recording_init  # type: ignore[method-assign]
    socket.socket.__repr__ = _telling_repr  # type: ignore[method-assign]


def _peer_port(sock: socket.socket) -> int | None:
    try:
        return int(sock.getpeername()[1])
    except (OSError, IndexError):
        return None


@contextlib.contextmanager
def no_socket_left_open(port: int) -> Iterator[None]:
    """Fails unless every connection to `port` made inside was closed by its owner: one still
    open at the end, or one found open by the collector (inside, or run at the end)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        gc.collect()
    to_port = f"raddr=('127.0.0.1', {port})"
    collected = [str(w.message) for w in caught if to_port in str(w.message)]
    still_open = open_to(port)
    assert not collected + still_open, "\n".join(collected + still_open)


def open_to(port: int) -> list[str]:
    """The connections to `port` still open, each said with where it was made."""
    return [repr(s) for s in list(_alive) if s.fileno() != -1 and _peer_port(s) == port]


async def silent_tls_server(handshake_begun: asyncio.Event) -> asyncio.Server:
    """A loopback server that takes each connection and the client's first TLS message, sets
    `handshake_begun`, and never answers: the client waits in its handshake until it gives up."""

    async def take(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1)
        handshake_begun.set()
        await reader.read()  # until the client closes its end
        writer.close()

    return await asyncio.start_server(take, "127.0.0.1", 0)
