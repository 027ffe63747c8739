"""What the HTTP client's wrapper does on each socket (app/remote/http_closing.py): it says a
pooled connection is dead once the server closed it, from the socket it keeps, and it asks the
system to acknowledge at once what arrives after each request (TCP_QUICKACK, Linux)."""

from __future__ import annotations

import socket

import pytest

from app.remote.http import make_http_client
from app.remote.http_closing import _TrackedStream
from server.testing import ServerThread


def test_an_idle_socket_is_not_readable_until_its_peer_closes() -> None:
    from app.remote.http_closing import _readable

    ours, theirs = socket.socketpair()
    try:
        assert not _readable(ours)
        theirs.close()
        assert _readable(ours)  # the close is there to read: the connection is dead
    finally:
        ours.close()
    assert _readable(ours)  # closed on our side too


@pytest.mark.asyncio
async def test_a_connection_the_server_closed_is_left_and_the_next_request_succeeds(
    server: ServerThread,
) -> None:
    async with make_http_client() as client:
        first = await client.get(server.base_url + "/", headers={"Connection": "close"})
        second = await client.get(server.base_url + "/")
        third = await client.get(server.base_url + "/")
    assert first.status_code == second.status_code == third.status_code
    assert first.extensions["network_stream"] is not second.extensions["network_stream"]
    assert second.extensions["network_stream"] is third.extensions["network_stream"]  # kept


@pytest.mark.skipif(not hasattr(socket, "TCP_QUICKACK"), reason="a Linux socket option")
@pytest.mark.asyncio
async def test_each_request_leaves_its_socket_acknowledging_at_once(server: ServerThread) -> None:
    async with make_http_client() as client:
        for _ in range(3):  # on the same kept-alive connection, where Linux delays its ACKs
            async with client.stream("GET", server.base_url + "/") as response:
                stream = response.extensions["network_stream"]
                assert isinstance(stream, _TrackedStream)
                raw = stream.get_extra_info("socket")
                # Set after the request was written, before the answer is read.
                assert raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK) == 1
                await response.aread()
