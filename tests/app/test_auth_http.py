"""The HTTP client factory, Retry-After backoff, unreachable servers, token parsing."""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.remote.auth import AuthProtocolError, Tokens, parse_token_response
from app.remote.http import (
    USER_AGENT,
    ServerUnreachable,
    make_http_client,
    parse_retry_after,
    send_with_backoff,
)
from app.remote.tls import CaBundleError


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.asyncio
async def test_client_verifies_tls_and_names_itself() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    async with make_http_client(transport=httpx.MockTransport(handler)) as client:
        await client.get("http://127.0.0.1/x")
        assert client.timeout.connect == 10.0
    assert seen[0].headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("MonSisra-bureau/")


@pytest.mark.asyncio
async def test_custom_ca_bundle_is_used_and_bad_bundle_fails(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate")
    with pytest.raises(CaBundleError):  # in French: tests/app/test_tls.py
        make_http_client(ca_bundle=bundle)


@pytest.mark.asyncio
async def test_backoff_honours_retry_after_then_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []

    async def fake_sleep(delay: float) -> None:
        sleeps.append(delay)

    monkeypatch.setattr("app.remote.http.asyncio.sleep", fake_sleep)
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(503),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    async with make_http_client(transport=httpx.MockTransport(lambda r: next(answers))) as client:
        response = await send_with_backoff(client, client.build_request("GET", "http://h/"))
    assert response.status_code == 200
    assert len(sleeps) == 2
    assert 3.0 <= sleeps[0] <= 3.6  # Retry-After plus at most 20 % jitter
    assert 0.5 <= sleeps[1] <= 1.2  # no header: exponential base


@pytest.mark.asyncio
async def test_backoff_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0

    async def fake_sleep(delay: float) -> None:
        return None

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503)

    monkeypatch.setattr("app.remote.http.asyncio.sleep", fake_sleep)
    async with make_http_client(transport=httpx.MockTransport(handler)) as client:
        response = await send_with_backoff(client, client.build_request("GET", "http://h/"))
        assert response.status_code == 503
        assert calls == 4
    long_wait = httpx.MockTransport(lambda r: httpx.Response(429, headers={"Retry-After": "3600"}))
    async with make_http_client(transport=long_wait) as client:
        response = await send_with_backoff(client, client.build_request("GET", "http://h/"))
    assert response.status_code == 429  # an hour is the caller's decision, not a sleep


@pytest.mark.asyncio
async def test_closed_port_is_server_unreachable_in_french() -> None:
    async with make_http_client() as client:
        request = client.build_request("GET", f"http://127.0.0.1:{closed_port()}/")
        with pytest.raises(ServerUnreachable) as info:
            await send_with_backoff(client, request)
    assert info.value.message_fr.startswith("Le serveur est injoignable. Vérifiez votre connexion")


@pytest.mark.asyncio
async def test_connection_reset_mid_response_is_server_unreachable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset by peer")

    async with make_http_client(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ServerUnreachable):
            await send_with_backoff(client, client.build_request("GET", "http://h/"))


def test_retry_after_forms() -> None:
    now = time.time()
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (parse_retry_after(later, now) or 0) <= 31
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(past, now) == 0.0


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_retry_after_parser_never_crashes(value: str) -> None:
    result = parse_retry_after(value, 1_700_000_000.0)
    assert result is None or result >= 0


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=100),
        st.dictionaries(
            st.sampled_from(["access_token", "token_type", "expires_in", "refresh_token", "x"]),
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        ).map(lambda d: json.dumps(d).encode()),
    )
)
def test_token_response_parser_only_raises_protocol_errors(body: bytes) -> None:
    try:
        tokens = parse_token_response(body, 1000.0)
    except AuthProtocolError:
        return
    assert isinstance(tokens, Tokens)
    assert tokens.access_token
    assert tokens.expires_at > 1000.0


def test_tokens_repr_hides_the_tokens() -> None:
    tokens = Tokens("at_secret-access-value", "rt_secret-refresh-value", 5.0)
    assert "secret" not in repr(tokens)
