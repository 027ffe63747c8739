"""Closing an HTTP client closes every connection it opened: also those its pool let go of while
a request was being cancelled (asyncio's cancel goes through anyio's shield, so httpcore stops
closing them after the first), as when the user signs out while the push stream reconnects to a
server that just went away; or cancelled in its TLS handshake. And the connection that reads a
refused certificate, to describe it, is closed when it is read."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.remote.http import make_http_client
from app.remote.tls import peer_certificate
from server.testing import ServerThread
from tests.server.conftest import ServerFactory
from tests.sockets import no_socket_left_open, silent_tls_server
from tests.tls_pki import make_pki

CONNECTIONS = 4


async def _wait_until_closed_by_server(server: ServerThread) -> None:
    await asyncio.to_thread(server.stop)
    await asyncio.sleep(0.2)  # the resets arrive on the client's sockets


@pytest.mark.asyncio
async def test_a_request_cancelled_while_its_pool_closes_dead_connections_leaves_none_open(
    server_factory: ServerFactory,
) -> None:
    server = server_factory()
    with no_socket_left_open(server.port):
        client = make_http_client()
        # Requests at the same time: one connection each, then all idle in the pool.
        await asyncio.gather(*(client.get(server.base_url + "/") for _ in range(CONNECTIONS)))
        await _wait_until_closed_by_server(server)
        # The next request finds them all dead and closes them one by one: cancelled during the
        # first close (its first pause), as a sign-out cancels the push stream's reconnection.
        request = asyncio.ensure_future(client.get(server.base_url + "/"))
        await asyncio.sleep(0)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        await client.aclose()


@pytest.mark.asyncio
async def test_closing_the_client_closes_its_idle_connections(server: ServerThread) -> None:
    with no_socket_left_open(server.port):
        async with make_http_client() as client:
            await asyncio.gather(*(client.get(server.base_url + "/") for _ in range(CONNECTIONS)))


@pytest.mark.asyncio
async def test_a_request_cancelled_in_its_tls_handshake_leaves_no_connection_open() -> None:
    # httpcore closes a stream whose handshake failed, not one whose handshake was cancelled (a
    # login window's probe replaced or closed): the client's close must, also when it is closed
    # by `async with` (httpx's __aexit__, not aclose).
    handshake_begun = asyncio.Event()
    server = await silent_tls_server(handshake_begun)
    port = server.sockets[0].getsockname()[1]
    try:
        with no_socket_left_open(port):
            async with make_http_client() as client:
                request = asyncio.ensure_future(client.get(f"https://127.0.0.1:{port}/"))
                await handshake_begun.wait()
                request.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await request
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
def mute_after_handshake(tmp_path: Path) -> Iterator[int]:
    """The port of a TLS server (an expired certificate) that completes each handshake, then
    reads nothing more: it never answers the client's TLS goodbye."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    expired = make_pki(tmp_path).expired
    context.load_cert_chain(expired.cert, expired.key)
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                held.append(context.wrap_socket(listener.accept()[0], server_side=True))
            except OSError:
                return  # the listener closed

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.shutdown(socket.SHUT_RDWR)
    listener.close()
    thread.join()
    for connection in held:
        connection.close()


@pytest.mark.asyncio
async def test_reading_a_refused_certificate_closes_its_connection_even_from_a_mute_server(
    mute_after_handshake: int,
) -> None:
    # What describes a refused certificate (its expiry date) connects again, unverified, to
    # read it: that connection is closed when the facts are returned, not left open waiting for
    # a goodbye the server never sends.
    with no_socket_left_open(mute_after_handshake):
        facts = await peer_certificate("127.0.0.1", mute_after_handshake)
        assert facts is not None
        assert facts.matches("127.0.0.1")
