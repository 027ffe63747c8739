"""Where the account's HTTP client may send, checked at the root (ServerAuth's request flow) and on
every hop of a redirect, without a server: whatever a caller asks, a request to an origin the
policy refuses never leaves, and an answer that came through an unchecked redirect is not taken."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from app.remote.auth import LoginRejected, ServerAuth, Tokens, basic_check
from app.remote.http import TooManyRedirects, get_following
from app.remote.jmap import (
    CORE,
    MAIL,
    REGIONAL,
    InvalidResponse,
    JmapClient,
    parse_session,
    public_regional_urls,
)
from app.remote.origins import (
    ForeignOrigin,
    InsecureOrigin,
    OriginPolicy,
    OriginRefused,
    origin_of,
)
from app.remote.regional import RegionalClient

LOGIN = "https://mss.sante-ara.fr"
TOKENS = Tokens("jeton", "renouvellement", 4_000_000_000.0)


def recording(
    sent: list[httpx.Request], answer: httpx.Response | None = None
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == "/loin":
            return httpx.Response(302, headers={"Location": "https://ailleurs.example/x"})
        return answer if answer is not None else httpx.Response(200, json={})

    return httpx.MockTransport(handler)


def auths() -> list[ServerAuth]:
    return [
        ServerAuth(LOGIN, tokens=TOKENS, login="alice"),
        ServerAuth(LOGIN, basic=("alice", "secret")),
    ]


@pytest.mark.asyncio
@pytest.mark.parametrize("auth", auths(), ids=["bearer", "basic"])
async def test_the_account_client_sends_nothing_to_another_origin(auth: ServerAuth) -> None:
    sent: list[httpx.Request] = []
    async with httpx.AsyncClient(auth=auth, transport=recording(sent)) as http:
        assert (await http.get(LOGIN + "/jmap/api")).status_code == 200
        assert sent[-1].headers["Authorization"]
        for url in (
            "https://ailleurs.example/jmap/api",
            "https://mss.sante-ara.fr:8443/jmap/api",
            "http://mss.sante-ara.fr/jmap/api",
        ):
            with pytest.raises(OriginRefused):
                await http.get(url)
            with pytest.raises(OriginRefused):  # without credentials neither: it is the account's
                await http.post(url, content=b"{}", headers={"Authorization": ""})
    assert [str(r.url) for r in sent] == [LOGIN + "/jmap/api"]


@pytest.mark.asyncio
async def test_an_approved_origin_gets_the_credentials() -> None:
    sent: list[httpx.Request] = []
    policy = OriginPolicy(origin_of(LOGIN), frozenset({origin_of("https://jmap.sante-ara.fr")}))
    auth = ServerAuth(LOGIN, tokens=TOKENS, login="alice", policy=policy)
    async with httpx.AsyncClient(auth=auth, transport=recording(sent)) as http:
        await http.get("https://jmap.sante-ara.fr/api")
    assert sent[0].headers["Authorization"] == "Bearer jeton"


@pytest.mark.asyncio
@pytest.mark.parametrize("auth", auths(), ids=["bearer", "basic"])
async def test_an_answer_that_came_through_a_redirect_httpx_followed_is_refused(
    auth: ServerAuth,
) -> None:
    sent: list[httpx.Request] = []
    async with httpx.AsyncClient(auth=auth, transport=recording(sent)) as http:
        with pytest.raises(OriginRefused):
            await http.get(LOGIN + "/loin", follow_redirects=True)
        not_followed = await http.get(LOGIN + "/loin")
    assert not_followed.status_code == 302
    assert "Authorization" not in sent[1].headers  # httpx's own hop: stripped, and refused


@pytest.mark.asyncio
async def test_basic_check_follows_its_own_origin_and_stops_before_another() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == "/.well-known/jmap":
            return httpx.Response(301, headers={"Location": "/jmap/session"})
        if request.url.path == "/jmap/session":
            return httpx.Response(302, headers={"Location": "https://ailleurs.example/s"})
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(ForeignOrigin) as refused:
            await basic_check(http, LOGIN, "alice", "secret")
    assert refused.value.origins == (origin_of("https://ailleurs.example"),)
    assert [r.url.path for r in sent] == ["/.well-known/jmap", "/jmap/session"]
    assert all(r.url.host == "mss.sante-ara.fr" for r in sent)


@pytest.mark.asyncio
async def test_basic_check_refuses_a_downgrade_on_the_same_host() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(301, headers={"Location": "http://mss.sante-ara.fr/jmap"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(InsecureOrigin):
            await basic_check(http, LOGIN, "alice", "secret")
    assert [r.url.scheme for r in sent] == ["https"]


@pytest.mark.asyncio
async def test_basic_check_says_a_refused_password_after_a_redirect() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/jmap":
            return httpx.Response(301, headers={"Location": "/jmap/session"})
        return httpx.Response(401)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(LoginRejected):
            await basic_check(http, LOGIN, "alice", "faux")


@pytest.mark.asyncio
async def test_endless_redirects_end_with_a_french_sentence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": f"/{len(request.url.path)}"})

    policy = OriginPolicy.for_url(LOGIN)
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(TooManyRedirects) as caught:
            await get_following(http, LOGIN + "/", policy.check)
    assert "support" in caught.value.message_fr


REGIONAL_URLS = {
    "directoryUrl": "/fhir",
    "regionalApiUrl": "/regional/v1",
    "portalUrl": "/portal",
    "patientFileUrlTemplate": "/portal/patients/{ins}",
    "teleconsultationPortalUrl": "/portal/tc",
    "registrationUrl": "/portal/inscription",
    "expertPreferencesUrl": "/portal/expert",
}


def _session(**urls: str) -> dict[str, object]:
    regional = dict(REGIONAL_URLS)
    document: dict[str, object] = {
        "capabilities": {CORE: {}, MAIL: {}, REGIONAL: regional},
        "accounts": {"a1": {"name": "a", "isPersonal": True, "accountCapabilities": {}}},
        "primaryAccounts": {MAIL: "a1"},
        "username": "a",
        "apiUrl": "/jmap/api",
        "uploadUrl": "/jmap/upload/{accountId}/",
        "downloadUrl": "/jmap/download/{accountId}/{blobId}/{name}?type={type}",
        "eventSourceUrl": "/jmap/eventsource?types={types}",
        "state": "1",
    }
    for key, url in urls.items():
        (regional if key in regional else document)[key] = url
    return document


@pytest.mark.parametrize(
    "template", ["https://{host}/jmap/download/{blobId}", "https://mss.sante-ara.fr:{port}/dl"]
)
def test_a_session_template_must_not_choose_where_it_goes(template: str) -> None:
    with pytest.raises(InvalidResponse):
        parse_session(_session(downloadUrl=template), LOGIN + "/.well-known/jmap")
    regional = parse_session(_session(patientFileUrlTemplate=template), LOGIN + "/s").regional
    assert regional is None  # a regional capability that does not hold is treated as absent


def test_a_session_lists_every_url_it_names() -> None:
    session = parse_session(_session(), LOGIN + "/.well-known/jmap")
    assert len(session.urls()) == 5 + 7
    assert all(url.startswith(LOGIN + "/") for url in session.urls())


@pytest.mark.asyncio
async def test_a_portal_code_goes_only_where_the_credentials_may() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            201, json={"code": "c0d3", "expiresIn": 60, "url": "https://ailleurs.example/?code=c"}
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = RegionalClient(http, LOGIN + "/regional/v1")
        with pytest.raises(ForeignOrigin):
            await client.portal_code()
        approved = OriginPolicy(
            origin_of(LOGIN), frozenset({origin_of("https://ailleurs.example")})
        )
        code = await RegionalClient(http, LOGIN + "/regional/v1", approved).portal_code()
    assert code.url == "https://ailleurs.example/?code=c"


@pytest.mark.asyncio
async def test_the_public_session_follows_redirects_but_never_to_cleartext() -> None:
    public = json.dumps({"capabilities": {REGIONAL: REGIONAL_URLS}})

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "mss.sante-ara.fr":
            target = "https://jmap.sante-ara.fr/s" if request.url.path == "/a" else "http://x.fr/s"
            return httpx.Response(301, headers={"Location": target})
        return httpx.Response(200, content=public.encode())

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        urls = await public_regional_urls(http, LOGIN + "/a")
        assert urls is not None
        assert urls.registration_url == "https://jmap.sante-ara.fr/portal/inscription"
        with pytest.raises(InsecureOrigin):
            await public_regional_urls(http, LOGIN + "/b")


@pytest.mark.asyncio
async def test_a_redirected_download_is_followed_within_the_origins_only() -> None:
    """A blob may be served from another path (followed, each hop checked), never from another
    origin; and a redirect is never saved as the document."""
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        path = request.url.path
        if path == "/.well-known/jmap":
            return httpx.Response(200, json=_session(downloadUrl="/dl/{blobId}"))
        if path == "/dl/G1":
            return httpx.Response(302, headers={"Location": "/blobs/G1"}, content=b"moved")
        if path == "/blobs/G1":
            return httpx.Response(200, content=b"%PDF-1.4")
        if path == "/dl/G2":
            return httpx.Response(302, headers={"Location": "https://cdn.example/G2"})
        return httpx.Response(404)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = JmapClient(http, LOGIN + "/.well-known/jmap")
        assert await client.download_bytes("G1", "cr.pdf", "application/pdf", 100) == b"%PDF-1.4"
        with pytest.raises(ForeignOrigin):
            await client.download_bytes("G2", "cr.pdf", "application/pdf", 100)
    assert sent[-1] == LOGIN + "/dl/G2"
    assert not any("cdn.example" in url for url in sent)


@pytest.mark.asyncio
async def test_a_redirected_push_stream_is_followed_within_the_origins_only() -> None:
    sent: list[str] = []
    event = b'event: state\ndata: {"@type":"StateChange","changed":{"a1":{"Email":"s2"}}}\n\n'

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        path = request.url.path
        if path == "/.well-known/jmap":
            return httpx.Response(200, json=_session(eventSourceUrl=f"/{target}/es"))
        if path == "/ici/es":
            return httpx.Response(307, headers={"Location": "/push"})
        if path == "/push":
            headers = {"Content-Type": "text/event-stream"}
            return httpx.Response(200, headers=headers, content=event)
        return httpx.Response(307, headers={"Location": "https://push.example/es"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        target = "ici"
        stream = JmapClient(http, LOGIN + "/.well-known/jmap").push(ping=0)
        try:
            change = await asyncio.wait_for(anext(stream), 10)
        finally:
            await stream.aclose()
        assert change.changed == {"a1": {"Email": "s2"}}
        target = "ailleurs"
        with pytest.raises(ForeignOrigin):
            await asyncio.wait_for(anext(JmapClient(http, LOGIN + "/.well-known/jmap").push()), 10)
    assert not any("push.example" in url for url in sent)
