"""The Session's public part, read before login: the registration link of the login window and
the "does the server answer?" probe; fuzzed answers never escape as KeyError/TypeError."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.remote.http import ServerUnreachable
from app.remote.jmap import (
    REGIONAL,
    InvalidResponse,
    NetworkError,
    RegionalUrls,
    fetch_public_regional_urls,
    public_regional_urls,
)
from app.remote.origins import InvalidServerUrl
from server.testing import ServerThread


@pytest.mark.asyncio
async def test_sandbox_gives_its_registration_url_without_credentials(
    server: ServerThread,
) -> None:
    urls = await fetch_public_regional_urls(server.base_url + "/")
    assert urls is not None
    assert urls.registration_url == server.base_url + "/portal/inscription"
    assert urls.directory_url.startswith(server.base_url)


@pytest.mark.asyncio
async def test_a_closed_port_is_unreachable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ServerUnreachable):
        await fetch_public_regional_urls(f"http://127.0.0.1:{port}")


@pytest.mark.asyncio
@pytest.mark.parametrize("typed", ["", "sante ara.fr", "ftp://example.org", "https://"])
async def test_a_server_address_that_is_not_an_url_is_refused_in_french(typed: str) -> None:
    with pytest.raises(InvalidServerUrl) as caught:
        await fetch_public_regional_urls(typed)
    assert "adresse du serveur" in caught.value.message_fr


async def _answer(status: int, body: bytes) -> RegionalUrls | None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        return await public_regional_urls(http, "https://mss.example/.well-known/jmap")


@pytest.mark.asyncio
async def test_a_server_that_wants_credentials_first_has_no_public_links() -> None:
    assert await _answer(401, b'{"type": "about:blank"}') is None


@pytest.mark.asyncio
async def test_relative_links_are_made_absolute_and_a_partial_capability_is_ignored() -> None:
    names = [
        "directoryUrl",
        "regionalApiUrl",
        "portalUrl",
        "patientFileUrlTemplate",
        "teleconsultationPortalUrl",
        "registrationUrl",
        "expertPreferencesUrl",
    ]
    full = {n: f"/x/{n}" for n in names}
    urls = await _answer(200, json.dumps({"capabilities": {REGIONAL: full}}).encode())
    assert urls is not None
    assert urls.registration_url == "https://mss.example/x/registrationUrl"
    partial = {k: v for k, v in full.items() if k != "registrationUrl"}
    assert await _answer(200, json.dumps({"capabilities": {REGIONAL: partial}}).encode()) is None


@pytest.mark.asyncio
async def test_a_network_failure_is_a_network_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(NetworkError):
            await public_regional_urls(http, "https://mss.example/.well-known/jmap")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=64),
        JSON.map(lambda v: json.dumps(v).encode()),
        JSON.map(lambda v: json.dumps({"capabilities": {REGIONAL: v}}).encode()),
    )
)
def test_whatever_the_server_sends_is_links_none_or_invalid_response(body: bytes) -> None:
    try:
        result = asyncio.run(_answer(200, body))
    except InvalidResponse:
        return
    assert result is None or isinstance(result, RegionalUrls)
