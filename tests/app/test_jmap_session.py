"""JMAP Session discovery: the sandbox's absolute URLs, Cyrus's redirect and relative URLs,
limits and their defaults, the regional capability, URI templates; fuzzed Sessions."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.remote.jmap import (
    CORE,
    MAIL,
    REGIONAL,
    InvalidResponse,
    JmapClient,
    JmapError,
    Limits,
    NetworkError,
    NoMailAccount,
    RequestError,
    expand,
    parse_session,
)
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client

# The Session object the Cyrus IMAP of Debian 12 (scripts/interop/cyrus) returned, saved as
# it came: relative URLs, no push, its own limits. Kept in the repository so that a clone anywhere
# runs this test without a Cyrus.
CYRUS_SESSION = Path(__file__).parent / "data" / "cyrus-session.json"


@pytest.mark.asyncio
async def test_sandbox_session_gives_absolute_urls_limits_and_regional_services(
    server_factory: Any,
) -> None:
    server: ServerThread = server_factory(max_objects_in_get=7, max_calls_in_request=5)
    async with jmap_client(server) as client:
        session = await client.session()
    base = server.base_url
    assert session.api_url == base + "/jmap/api"
    assert session.upload_url_for() == f"{base}/jmap/upload/{session.account_id}/"
    assert session.username == "alice"
    assert session.account_id
    assert session.limits.max_objects_in_get == 7
    assert session.limits.max_calls_in_request == 5
    assert session.limits.max_concurrent_upload == 4
    assert session.regional is not None
    assert session.regional.directory_url == base + "/fhir"
    assert session.regional.patient_file_url_template.endswith("/patients/{ins}")
    assert session.regional.expert_preferences_url == base + "/portal/telemedecine/expert"
    assert MAIL in session.capabilities


@pytest.mark.asyncio
async def test_session_is_cached_until_refresh_is_asked(server: ServerThread) -> None:
    fetched = 0

    async def count(request: httpx.Request) -> None:
        nonlocal fetched
        fetched += request.url.path == "/.well-known/jmap"

    async with jmap_client(server, event_hooks={"request": [count]}) as client:
        first = await client.session()
        assert await client.session() is first
        again = await client.session(refresh=True)
    assert fetched == 2
    assert again == first


def _cyrus_transport(session: dict[str, Any], seen: list[str]) -> httpx.MockTransport:
    """Cyrus's behaviour: /.well-known/jmap answers 301 to /jmap, which gives the Session."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/.well-known/jmap":
            return httpx.Response(301, headers={"Location": "/jmap"})
        if request.url.path == "/jmap":
            return httpx.Response(200, json=session)
        return httpx.Response(404)

    return httpx.MockTransport(handler)


@pytest.mark.asyncio
async def test_cyrus_session_redirect_and_relative_urls_are_resolved() -> None:
    document = json.loads(CYRUS_SESSION.read_text())
    seen: list[str] = []
    async with httpx.AsyncClient(transport=_cyrus_transport(document, seen)) as http:
        session = await JmapClient(http, "http://127.0.0.1:18080/.well-known/jmap").session()
    assert seen == ["/.well-known/jmap", "/jmap"]
    assert session.url == "http://127.0.0.1:18080/jmap"
    assert session.api_url == "http://127.0.0.1:18080/jmap/"
    assert session.account_id == "alice@example.com"
    assert session.regional is None
    assert session.limits.max_calls_in_request == 50
    assert session.limits.max_objects_in_get == 4096
    assert (
        session.download_url_for("G12", "compte rendu é.pdf", "application/pdf")
        == "http://127.0.0.1:18080/jmap/download/alice%40example.com/G12/"
        "compte%20rendu%20%C3%A9.pdf?accept=application%2Fpdf"
    )
    assert session.upload_url_for() == "http://127.0.0.1:18080/jmap/upload/alice%40example.com/"
    assert (
        session.event_source_url_for("*", "no", 30)
        == "http://127.0.0.1:18080/jmap/eventsource/?types=%2A&closeafter=no&ping=30"
    )


def _minimal_session(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "capabilities": {CORE: {}, MAIL: {}},
        "accounts": {"a1": {"name": "x", "isPersonal": True, "accountCapabilities": {}}},
        "primaryAccounts": {MAIL: "a1"},
        "username": "u",
        "apiUrl": "api",
        "downloadUrl": "dl/{accountId}/{blobId}/{name}?type={type}",
        "uploadUrl": "up/{accountId}/",
        "eventSourceUrl": "https://push.example/es?types={types}&closeafter={closeafter}&ping={ping}",
        "state": "s1",
    }
    document.update(changes)
    return document


def test_missing_limits_take_defaults_and_relative_urls_follow_the_session_folder() -> None:
    session = parse_session(_minimal_session(), "https://mail.example/jmap/session")
    assert session.limits == Limits()
    assert session.api_url == "https://mail.example/jmap/api"
    assert session.event_source_url.startswith("https://push.example/es")


def test_regional_capability_is_parsed_and_a_partial_one_ignored() -> None:
    regional = {
        "directoryUrl": "/fhir",
        "regionalApiUrl": "https://r.example/v1",
        "portalUrl": "/portal",
        "patientFileUrlTemplate": "/portal/p/{ins}",
        "teleconsultationPortalUrl": "/tc",
        "registrationUrl": "/register",
        "expertPreferencesUrl": "/expert",
    }
    document = _minimal_session()
    document["capabilities"][REGIONAL] = regional
    session = parse_session(document, "https://mail.example/.well-known/jmap")
    assert session.regional is not None
    assert session.regional.directory_url == "https://mail.example/fhir"
    assert session.regional.regional_api_url == "https://r.example/v1"
    assert session.regional.patient_file_url_template == "https://mail.example/portal/p/{ins}"
    partial = copy.deepcopy(document)
    del partial["capabilities"][REGIONAL]["registrationUrl"]
    assert parse_session(partial, "https://mail.example/").regional is None


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"primaryAccounts": {}}, NoMailAccount),
        ({"primaryAccounts": {MAIL: "nope"}}, InvalidResponse),
        ({"capabilities": {MAIL: {}}}, InvalidResponse),
        ({"capabilities": {CORE: {"maxObjectsInGet": 0}}}, InvalidResponse),
        ({"capabilities": {CORE: {"maxCallsInRequest": True}}}, InvalidResponse),
        ({"apiUrl": 3}, InvalidResponse),
        ({"state": None}, InvalidResponse),
    ],
)
def test_malformed_sessions_raise_typed_errors(
    changes: dict[str, Any], error: type[JmapError]
) -> None:
    with pytest.raises(error):
        parse_session(_minimal_session(**changes), "https://mail.example/")


def test_templates_are_percent_encoded() -> None:
    assert expand("/d/{blobId}/{name}?t={type}", blobId="b 1", name="a/b?c", type="x/y") == (
        "/d/b%201/a%2Fb%3Fc?t=x%2Fy"
    )


@pytest.mark.asyncio
async def test_session_errors_are_typed() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"type": "about:blank", "status": 401})

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        with pytest.raises(RequestError) as refused:
            await JmapClient(http, "https://s.example/.well-known/jmap").session()
    assert refused.value.status == 401

    def not_json(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>portail captif</html>")

    async with httpx.AsyncClient(transport=httpx.MockTransport(not_json)) as http:
        with pytest.raises(InvalidResponse):
            await JmapClient(http, "https://s.example/.well-known/jmap").session()

    # Nothing listens on port 9 of loopback (discard) in the test machine: refused at once.
    async with httpx.AsyncClient() as http:
        with pytest.raises(NetworkError) as unreachable:
            await JmapClient(http, "http://127.0.0.1:9/.well-known/jmap").session()
    assert "injoignable" in unreachable.value.message_fr


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
session_keys = st.sampled_from(
    [
        "capabilities",
        "accounts",
        "primaryAccounts",
        "username",
        "apiUrl",
        "downloadUrl",
        "uploadUrl",
        "eventSourceUrl",
        "state",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.one_of(
        json_values,
        st.builds(
            lambda base, key, value: {**base, key: value},
            st.just(_minimal_session()),
            session_keys,
            json_values,
        ),
        st.builds(
            lambda core: _minimal_session(capabilities={CORE: core, MAIL: {}, REGIONAL: core}),
            st.dictionaries(
                st.sampled_from(["maxSizeUpload", "maxObjectsInGet", "directoryUrl"]), json_values
            ),
        ),
    )
)
def test_fuzzed_sessions_give_a_session_or_a_jmap_error(document: Any) -> None:
    try:
        session = parse_session(document, "https://mail.example/")
    except JmapError:
        return
    assert session.api_url.startswith("https://")
    assert session.limits.max_objects_in_get > 0
