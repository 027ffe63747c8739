"""Closing an HTTP client closes every connection it opened: also those its pool let go of while
a request was being cancelled (asyncio's cancel goes through anyio's shield, so httpcore stops
closing them after the first), as when the user signs out while the push stream reconnects to a
server that just went away."""

from __future__ import annotations

import asyncio

import pytest

from app.remote.http import make_http_client
from server.testing import ServerThread
from tests.server.conftest import ServerFactory
from tests.sockets import no_socket_left_open, silent_tls_server

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
