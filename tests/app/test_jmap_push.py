"""Push over EventSource: a StateChange after another client's change, reconnection after the
server restarts and after a cut stream, no push (204/404), pings and malformed events; fuzzed
event data."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.remote.jmap import JmapClient, JmapError, RequestError
from app.remote.push import Backoff, StateChange, parse_state_change
from server.testing import ServerThread
from tests.app.jmap_helpers import create_drafts, jmap_client
from tests.app.netrelay import Relay
from tests.server.conftest import ALICE

SESSION = {
    "capabilities": {"urn:ietf:params:jmap:core": {}},
    "accounts": {"a": {}},
    "primaryAccounts": {"urn:ietf:params:jmap:mail": "a"},
    "apiUrl": "/api",
    "uploadUrl": "/u",
    "downloadUrl": "/d",
    "eventSourceUrl": "/es?types={types}&closeafter={closeafter}&ping={ping}",
    "state": "1",
}


async def _next(stream: AsyncGenerator[StateChange, None], timeout: float = 15) -> StateChange:
    return await asyncio.wait_for(anext(stream), timeout)


@pytest.mark.asyncio
async def test_a_state_change_arrives_after_another_clients_change(server: ServerThread) -> None:
    async with jmap_client(server) as listener, jmap_client(server) as other:
        account = (await listener.session()).account_id
        stream = listener.push(ping=1)
        try:
            initial = await _next(stream)
            await create_drafts(other, ["nouveau"])
            change = await _next(stream)
        finally:
            await stream.aclose()
    assert set(initial.changed) == {account}
    assert "Email" in change.changed[account]
    assert change.changed[account]["Email"] != initial.changed[account]["Email"]


@pytest.mark.asyncio
async def test_push_reconnects_after_the_server_restarts(
    server_factory: Any, tmp_path: Path
) -> None:
    """A real restart: the sandbox is stopped and a new one started on the same data behind a
    relay, so the Session's URLs stay valid. Basic auth, since it needs no token state."""
    data = tmp_path / "restart-data"
    first_server: ServerThread = server_factory(data_dir=data)
    proxy = Relay(int(first_server.base_url.rsplit(":", 1)[1]))
    base = await proxy.start()
    try:
        async with httpx.AsyncClient(auth=(ALICE.login, ALICE.password), timeout=30) as http:
            client = JmapClient(http, base + "/.well-known/jmap")
            stream = client.push(ping=1, backoff_initial=0.05, backoff_max=0.5)
            try:
                before = await _next(stream)
                proxy.target_port = None
                await asyncio.to_thread(first_server.stop)
                second_server: ServerThread = await asyncio.to_thread(server_factory, data_dir=data)
                proxy.target_port = int(second_server.base_url.rsplit(":", 1)[1])
                after = await _next(stream, 30)
                connections = proxy.connections
                await create_drafts(client, ["après redémarrage"])
                change = await _next(stream)
            finally:
                await stream.aclose()
    finally:
        await proxy.close()
    account = await _session_account(before)
    assert after.changed == before.changed  # nothing changed while it was down
    assert connections >= 2  # the first stream, then a new one to the new server
    assert change.changed[account]["Email"] != before.changed[account]["Email"]


async def _session_account(change: StateChange) -> str:
    [account] = change.changed
    return account


class _Events(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes], fail: bool) -> None:
        self.chunks = chunks
        self.fail = fail

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.fail:
            raise httpx.ReadError("connection reset")


def _state(n: int) -> bytes:
    return b'event: state\ndata: {"@type":"StateChange","changed":{"a":{"Email":"s%d"}}}\n\n' % n


@pytest.mark.asyncio
async def test_a_cut_stream_reconnects_and_pings_and_malformed_events_are_skipped() -> None:
    connections: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/jmap":
            return httpx.Response(200, json=SESSION)
        connections.append(str(request.url))
        headers = {"Content-Type": "text/event-stream"}
        if len(connections) == 1:
            body = [
                b'event: ping\ndata: {"interval":1}\n\n',
                _state(1),
                b"event: state\ndata: {not json\n\n",
                b'event: state\ndata: {"changed":{"a":{"Email":3}}}\n\n',
                b'event: other\ndata: {"x":1}\n\n',
            ]
            return httpx.Response(200, headers=headers, stream=_Events(body, fail=True))
        if len(connections) == 2:
            return httpx.Response(503)
        return httpx.Response(200, headers=headers, stream=_Events([_state(2)], fail=False))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = JmapClient(http, "https://s.example/jmap")
        stream = client.push(["Email", "Mailbox"], ping=5, backoff_initial=0.01, backoff_max=0.05)
        try:
            got = [await _next(stream), await _next(stream)]
        finally:
            await stream.aclose()
    assert [c.changed for c in got] == [{"a": {"Email": "s1"}}, {"a": {"Email": "s2"}}]
    assert len(connections) == 3
    assert connections[0].endswith("/es?types=Email%2CMailbox&closeafter=no&ping=5")


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [204, 404, 405])
async def test_a_server_without_push_ends_the_iterator(status: int) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        if request.url.path == "/jmap":
            return httpx.Response(200, json=SESSION)
        calls += 1
        return httpx.Response(status)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        changes = [c async for c in JmapClient(http, "https://s.example/jmap").push()]
    assert changes == []
    assert calls == 1


@pytest.mark.asyncio
async def test_a_refused_authentication_ends_push_with_an_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/jmap":
            return httpx.Response(200, json=SESSION)
        return httpx.Response(401, json={"type": "about:blank", "status": 401})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(RequestError) as refused:
            async for _ in JmapClient(http, "https://s.example/jmap").push():
                pass
    assert refused.value.status == 401


def test_backoff_grows_to_its_bound_with_jitter_and_resets() -> None:
    backoff = Backoff(1.0, 60.0)
    delays = [backoff.next_delay() for _ in range(10)]
    assert 0.5 <= delays[0] <= 1.0
    assert 16 <= delays[5] <= 32
    assert all(30 <= d <= 60 for d in delays[7:])
    backoff.reset()
    assert backoff.next_delay() <= 1.0


json_text = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=12,
).map(lambda v: __import__("json").dumps(v))


@settings(max_examples=300, deadline=None)
@given(
    data=st.one_of(
        st.text(max_size=40),
        json_text,
        json_text.map(lambda v: '{"@type":"StateChange","changed":{"a":' + v + "}}"),
        json_text.map(lambda v: '{"changed":' + v + "}"),
    )
)
def test_fuzzed_event_data_gives_a_state_change_or_a_jmap_error(data: str) -> None:
    try:
        change = parse_state_change(data)
    except JmapError:
        return
    assert all(isinstance(s, str) for states in change.changed.values() for s in states.values())
