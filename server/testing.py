"""Runs a sandbox in a background thread on a free loopback port, for tests and benchmarks (and,
for tests that need other servers beside it, any ASGI application the same way)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Self

import uvicorn

from server.app import create_app
from server.config import ServerConfig
from server.context import Sandbox
from server.portal.room import MAX_MESSAGE_BYTES
from server.psc_simule import with_psc_simule


def bind_loopback(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: no 40 ms Nagle/delayed-ACK wait on responses whose body
    # is written after their headers.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class TlsFiles(NamedTuple):
    """A server certificate (PEM, chain first) and its private key (PEM)."""

    cert: Path
    key: Path


def uvicorn_config(app: Any, *, behind_proxy: bool = False, **uvicorn_args: Any) -> uvicorn.Config:
    """uvicorn's settings for the sandbox (or any ASGI app). uvicorn believes X-Forwarded-For and
    X-Forwarded-Proto from 127.0.0.1 by default: only `behind_proxy`, since the login throttle
    counts by the socket's peer and the Session names the origin the request came to. The
    WebSocket of the teleconsultation room takes no frame larger than its messages may be."""
    args: dict[str, Any] = {
        "lifespan": "off",
        "proxy_headers": behind_proxy,
        "ws_max_size": MAX_MESSAGE_BYTES,
        **uvicorn_args,
    }
    return uvicorn.Config(app, **args)


class AppThread:
    """`with AppThread(app) as server:` → the ASGI `app` answers at server.base_url until the
    block ends."""

    def __init__(
        self,
        app: Any,
        port: int = 0,
        tls: TlsFiles | None = None,
        name: str = "asgi-server",
        sock: socket.socket | None = None,
        **uvicorn_args: Any,
    ):
        """`port` 0 picks a free one; a test restarting "the same server" passes the old one.
        `tls` serves HTTPS with that certificate (base_url is then https://127.0.0.1:port).
        `sock`: a socket already bound (then `port` is ignored)."""
        self._sock = sock or bind_loopback(port=port)
        host, port = self._sock.getsockname()[:2]
        self.port: int = port
        self.base_url = f"{'https' if tls else 'http'}://{host}:{port}"
        if tls is not None:
            uvicorn_args.update(ssl_certfile=str(tls.cert), ssl_keyfile=str(tls.key))
        self._server = uvicorn.Server(
            uvicorn_config(
                app,
                **{"log_level": "warning", "timeout_graceful_shutdown": 2, **uvicorn_args},
            )
        )
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self._server.serve(sockets=[self._sock])

    def _drop_connections(self) -> None:
        """Like a server that dies: every open connection is reset at once (clients notice now,
        not after their read timeout; push streams do not hold the shutdown)."""
        for connection in list(self._server.server_state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()

    def start(self) -> Self:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{self._thread.name} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(self._drop_connections)
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class ServerThread(AppThread):
    """`with ServerThread(config) as server:` → the sandbox answers at server.base_url until the
    block ends."""

    def __init__(
        self,
        config: ServerConfig,
        sandbox: Sandbox | None = None,
        port: int = 0,
        tls: TlsFiles | None = None,
        **uvicorn_args: Any,
    ):
        sock = bind_loopback(port=port)
        if sandbox is None:  # the PSC simulé's URLs need the port (issue 15)
            host, bound = sock.getsockname()[:2]
            config = with_psc_simule(config, f"{'https' if tls else 'http'}://{host}:{bound}")
        self.config = config
        self.sandbox = sandbox or Sandbox(config)
        super().__init__(
            create_app(self.sandbox),
            port,
            tls,
            "sandbox-server",
            sock=sock,
            behind_proxy=config.behind_proxy,
            **uvicorn_args,
        )

    def stop(self) -> None:
        super().stop()
        self.sandbox.close()


def quick_config(data_dir: Path, **overrides: Any) -> ServerConfig:
    """Short lifetimes and a cheap password hash, so tests are quick."""
    defaults: dict[str, Any] = {"password_hash_log_n": 10, "access_token_lifetime": 600}
    defaults.update(overrides)
    return ServerConfig(data_dir=data_dir, **defaults)
