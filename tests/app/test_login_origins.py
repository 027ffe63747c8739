"""Credentials go only to the origin the user logged in to, or to one approved at the first login
(issue 9), against real servers on loopback: the sandbox behind a `Front` (the login origin, which
can redirect its Session elsewhere or edit it) and a `Recorder` (the other origin), for token and
HTTP Basic logins alike. The other origin must see nothing; a first login asks; an approval is
kept with the account and a later one is refused without asking."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import httpx
import pytest

from app.account import approvals
from app.account.login import OpenAccount, open_account, resume_account
from app.events import ConnectionChanged, EventBus
from app.remote.http import make_http_client
from app.remote.jmap import SESSION_PATH, JmapClient, fetch_public_regional_urls
from app.remote.origins import (
    CleartextServerUrl,
    ForeignOrigin,
    InsecureOrigin,
    Origin,
    OriginApprovalNeeded,
    origin_of,
)
from app.remote.regional import RegionalClient
from app.sync.engine import SyncEngine
from server.testing import AppThread, ServerThread
from tests.app.cli_helpers import cli
from tests.app.jmap_helpers import create_drafts
from tests.app.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401
from tests.origin_peers import Front, Recorder, naming, rewrite, start
from tests.server.conftest import ALICE, start_sandbox
from tests.tls_pki import Pki, make_pki

MODES = ["token", "basic"]
SESSION_KEYS = [
    "apiUrl",
    "uploadUrl",
    "downloadUrl",
    "eventSourceUrl",
    "directoryUrl",
    "regionalApiUrl",
    "portalUrl",
    "patientFileUrlTemplate",
    "teleconsultationPortalUrl",
    "registrationUrl",
    "expertPreferencesUrl",
]

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    server = start_sandbox(tmp_path_factory.mktemp("sandbox"), behind_proxy=True)  # the Front
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def servers() -> Iterator[list[AppThread]]:
    started: list[AppThread] = []
    yield started
    for server in reversed(started):
        server.stop()


@pytest.fixture
def recorder(servers: list[AppThread]) -> tuple[Recorder, str]:
    """The other origin, and its base URL."""
    app = Recorder()
    servers.append(start(app))
    return app, servers[-1].base_url


def front_of(
    servers: list[AppThread], sandbox: ServerThread, mode: str, **options: object
) -> tuple[Front, str]:
    """The login origin in front of the sandbox (no token endpoint in "basic" mode)."""
    tls = options.pop("tls", None)
    app = Front(sandbox.base_url, token_endpoint=mode == "token", **options)
    servers.append(start(app, tls=tls))
    return app, servers[-1].base_url


async def login_and_sync(
    root: Path,
    url: str,
    approve: Iterable[Origin] = (),
    factory: Callable[[], httpx.AsyncClient] = make_http_client,
) -> OpenAccount:
    """What the app does: log in, then sync once (the Session's URLs are used)."""
    account = await open_account(
        root, url, ALICE.login, ALICE.password, approve=approve, http_factory=factory
    )
    try:
        await SyncEngine(account.cache, account.jmap_client()).sync_once()
    except BaseException:
        await account.close()
        raise
    return account


def nothing_kept(root: Path) -> bool:
    """No account folder at all: no vault, no cache, no record of approvals."""
    return not (root / "accounts").exists() or not any((root / "accounts").iterdir())


# --- A first login: asked before anything is sent ----------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_a_well_known_redirected_elsewhere_is_asked_about_before_anything_goes_there(
    sandbox: ServerThread,
    servers: list[AppThread],
    recorder: tuple[Recorder, str],
    tmp_path: Path,
    mode: str,
) -> None:
    other, other_url = recorder
    _, url = front_of(servers, sandbox, mode, session_location=other_url + "/jmap/session")
    with pytest.raises(OriginApprovalNeeded) as asked:
        await login_and_sync(tmp_path, url)
    assert asked.value.origins == (origin_of(other_url),)
    assert other.seen == []
    assert nothing_kept(tmp_path)


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("key", SESSION_KEYS)
async def test_a_session_naming_another_origin_is_asked_about_and_declining_sends_nothing(
    sandbox: ServerThread,
    servers: list[AppThread],
    recorder: tuple[Recorder, str],
    tmp_path: Path,
    mode: str,
    key: str,
) -> None:
    other, other_url = recorder
    _, url = front_of(servers, sandbox, mode, edit_session=naming(key, other_url + "/x/{ins}"))
    with pytest.raises(OriginApprovalNeeded) as asked:
        await login_and_sync(tmp_path, url)
    assert asked.value.origins == (origin_of(other_url),)
    assert str(origin_of(other_url)) in asked.value.message_fr
    # Declined: the user does not try again. Nothing went there, nothing was kept here.
    assert other.seen == []
    assert nothing_kept(tmp_path)


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_a_same_origin_redirect_and_relative_urls_need_no_approval(
    sandbox: ServerThread, servers: list[AppThread], tmp_path: Path, mode: str
) -> None:
    """What Cyrus does: /.well-known/jmap answers 301 to /jmap/session, whose URLs are relative."""
    front, url = front_of(servers, sandbox, mode, session_location="/jmap/session")
    front.edit_session = rewrite(url, "")
    account = await login_and_sync(tmp_path, url)
    try:
        session = await account.jmap_client().session()
        assert session.url == url + "/jmap/session"
        assert session.api_url == url + "/jmap/api"
        assert account.policy.approved == frozenset()
    finally:
        await account.close()


# --- https: never to http ----------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("how", ["session", "redirect"])
async def test_an_https_login_never_sends_to_http_not_even_approved(
    sandbox: ServerThread,
    servers: list[AppThread],
    recorder: tuple[Recorder, str],
    pki: Pki,
    tmp_path: Path,
    mode: str,
    how: str,
) -> None:
    other, other_url = recorder  # http://127.0.0.1:…
    front, url = front_of(servers, sandbox, mode, tls=pki.good)
    assert url.startswith("https://")
    if how == "session":
        front.edit_session = rewrite(url, other_url)
    else:
        front.session_location = other_url + "/jmap/session"
    factory = functools.partial(make_http_client, ca_bundle=pki.ca_cert)
    with pytest.raises(InsecureOrigin) as refused:
        await login_and_sync(tmp_path, url, approve=[origin_of(other_url)], factory=factory)
    assert refused.value.origins == (origin_of(other_url),)
    assert other.seen == []
    assert nothing_kept(tmp_path)


# --- Approved at the first login, kept, and nothing more -----------------------------------------


def localhost_front(
    servers: list[AppThread], sandbox: ServerThread, mode: str
) -> tuple[Front, str, Origin]:
    """A login at http://127.0.0.1:P whose Session names http://localhost:P (the same server:
    another origin)."""
    front, url = front_of(servers, sandbox, mode)
    elsewhere = url.replace("127.0.0.1", "localhost")
    front.edit_session = rewrite(url, elsewhere)
    return front, url, origin_of(elsewhere)


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_approved_origins_carry_mail_documents_push_and_portal(
    sandbox: ServerThread, servers: list[AppThread], tmp_path: Path, mode: str
) -> None:
    front, url, elsewhere = localhost_front(servers, sandbox, mode)
    with pytest.raises(OriginApprovalNeeded) as asked:
        await login_and_sync(tmp_path, url)
    assert asked.value.origins == (elsewhere,)
    assert not any(s.host.startswith("localhost") for s in front.seen)

    account = await login_and_sync(tmp_path, url, approve=asked.value.origins)
    try:
        assert account.policy.approved == {elsewhere}
        assert approvals.load(account.ref.dir, account.cache.key) == {elsewhere}
        jmap = account.jmap_client()
        session = await jmap.session()
        assert session.api_url.startswith(str(elsewhere))
        with account.cache.read() as conn:  # mail synced through the approved origin
            assert conn.execute("SELECT count(*) FROM mailboxes").fetchone()[0] > 0
        blob = await jmap.upload(b"%PDF-1.4 compte rendu", "application/pdf")
        got = await jmap.download_bytes(blob.blob_id, "cr.pdf", "application/pdf", 1000)
        assert got == b"%PDF-1.4 compte rendu"
        stream = jmap.push(["Email"], ping=1)
        try:
            first = await asyncio.wait_for(anext(stream), 10)
            await create_drafts(jmap, ["poussé"])
            second = await asyncio.wait_for(anext(stream), 10)
        finally:
            await stream.aclose()
        assert first.changed != second.changed
        assert session.regional is not None
        assert account.http is not None
        regional = RegionalClient(account.http, session.regional.regional_api_url, account.policy)
        portal = await regional.portal_code()
        assert portal.url.startswith(str(elsewhere))
    finally:
        await account.close()
    used = {(s.host.split(":")[0], s.path.split("/")[2]) for s in front.seen if s.credential}
    assert {("localhost", p) for p in ("api", "upload", "download", "eventsource")} <= used


async def _first_login_approving(url: str, root: Path, elsewhere: Origin) -> None:
    account = await login_and_sync(root, url, approve=[elsewhere])
    await account.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_a_session_redirected_to_an_approved_origin_is_followed_at_later_logins(
    sandbox: ServerThread, servers: list[AppThread], tmp_path: Path, mode: str
) -> None:
    """In Basic, the redirect is followed with the password before the vault opens: the approval
    is read from the record first (under the vault's key)."""
    front, url = front_of(servers, sandbox, mode)
    elsewhere = url.replace("127.0.0.1", "localhost")
    front.session_location = elsewhere + "/jmap/session"
    with pytest.raises(OriginApprovalNeeded) as asked:
        await login_and_sync(tmp_path, url)
    assert asked.value.origins == (origin_of(elsewhere),)
    for approve in (asked.value.origins, ()):
        account = await login_and_sync(tmp_path, url, approve=approve)
        try:
            assert (await account.jmap_client().session()).url == elsewhere + "/jmap/session"
        finally:
            await account.close()
    redirected = [s for s in front.seen if s.path == "/jmap/session"]
    assert {s.host for s in redirected} == {elsewhere.removeprefix("http://")}


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_after_the_first_login_a_new_origin_is_refused_without_asking(
    sandbox: ServerThread,
    servers: list[AppThread],
    recorder: tuple[Recorder, str],
    tmp_path: Path,
    mode: str,
) -> None:
    other, other_url = recorder
    front, url, elsewhere = localhost_front(servers, sandbox, mode)
    await _first_login_approving(url, tmp_path, elsewhere)
    again = await login_and_sync(tmp_path, url)  # approved once: not asked again
    await again.close()

    moved = rewrite(url, url.replace("127.0.0.1", "localhost"))
    front.edit_session = lambda s: naming("directoryUrl", other_url + "/fhir")(moved(s))
    for opener in (open_account, resume_account):
        with pytest.raises(ForeignOrigin) as refused:
            await opener(tmp_path, url, ALICE.login, ALICE.password, approve=[origin_of(other_url)])
        assert refused.value.origins == (origin_of(other_url),)
        assert "n'avez pas autorisée" in refused.value.message_fr
    front.edit_session = None
    front.session_location = other_url + SESSION_PATH  # a redirect elsewhere, later on
    with pytest.raises(ForeignOrigin):
        await login_and_sync(tmp_path, url)
    assert other.seen == []


@pytest.mark.asyncio
async def test_a_local_edit_of_the_account_files_cannot_add_an_origin(
    sandbox: ServerThread,
    servers: list[AppThread],
    recorder: tuple[Recorder, str],
    tmp_path: Path,
) -> None:
    other, other_url = recorder
    front, url, elsewhere = localhost_front(servers, sandbox, "token")
    await _first_login_approving(url, tmp_path, elsewhere)
    other_account = tmp_path / "other"  # a record that opens, but under another account's key
    await _first_login_approving(url, other_account, elsewhere)
    [account_dir] = (tmp_path / "accounts").iterdir()
    [other_dir] = (other_account / "accounts").iterdir()
    record = approvals.path(account_dir)
    kept = record.read_bytes()
    forged = [
        f'["{elsewhere}", "{origin_of(other_url)}"]'.encode(),  # written in clear
        kept[:-1] + bytes([kept[-1] ^ 1]),  # one bit changed
        approvals.path(other_dir).read_bytes(),
    ]
    front.edit_session = naming("apiUrl", other_url + "/jmap/api")
    for content in forged:
        record.write_bytes(content)
        with pytest.raises(OriginApprovalNeeded):  # asked again (shown), never taken as approved
            await login_and_sync(tmp_path, url)
    assert other.seen == []


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_a_session_that_turns_elsewhere_later_stops_the_sync_and_says_why(
    sandbox: ServerThread,
    servers: list[AppThread],
    recorder: tuple[Recorder, str],
    tmp_path: Path,
    mode: str,
) -> None:
    other, other_url = recorder
    front, url = front_of(servers, sandbox, mode)
    account = await login_and_sync(tmp_path, url)
    try:
        front.edit_session = naming("apiUrl", other_url + "/jmap/api")
        bus = EventBus()
        said: list[ConnectionChanged] = []
        bus.subscribe(ConnectionChanged, said.append)
        assert account.http is not None
        fresh = JmapClient(account.http, url + SESSION_PATH, account.policy)  # fetches it again
        engine = SyncEngine(account.cache, fresh, bus)
        stop = asyncio.Event()
        running = asyncio.ensure_future(engine.run(stop))
        for _ in range(200):
            if said:
                break
            await asyncio.sleep(0.05)
        stop.set()
        await running
    finally:
        await account.close()
    assert said
    assert not said[0].online
    assert str(origin_of(other_url)) in (said[0].reason_fr or "")
    assert other.seen == []


# --- http:// to another computer: refused before any request -------------------------------------


def recording_factory(sent: list[httpx.Request]) -> Callable[[], httpx.AsyncClient]:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503)

    return lambda: make_http_client(transport=httpx.MockTransport(handler))


@pytest.mark.asyncio
async def test_cleartext_http_to_another_computer_is_refused_before_any_request(
    tmp_path: Path,
) -> None:
    sent: list[httpx.Request] = []
    for opener in (open_account, resume_account):
        with pytest.raises(CleartextServerUrl) as refused:
            await opener(
                tmp_path,
                "http://serveur.invalid",
                ALICE.login,
                ALICE.password,
                http_factory=recording_factory(sent),
            )
        assert "https://" in refused.value.message_fr
    with pytest.raises(CleartextServerUrl):
        await fetch_public_regional_urls("http://serveur.invalid")
    assert sent == []
    assert not (tmp_path / "accounts").exists()


def test_the_cli_refuses_cleartext_http_to_another_computer(tmp_path: Path) -> None:
    done = cli("http://serveur.invalid", ALICE.login, ALICE.password, tmp_path, "sync")
    assert done.returncode == 1
    assert "https://" in done.stderr
    assert "en clair" in done.stderr
    assert "injoignable" not in done.stderr  # refused before trying the network
    assert not (tmp_path / "accounts").exists()


def test_the_cli_names_other_origins_and_takes_them_with_approve_origin(
    sandbox: ServerThread, servers: list[AppThread], tmp_path: Path
) -> None:
    _, url, elsewhere = localhost_front(servers, sandbox, "token")
    asked = cli(url, ALICE.login, ALICE.password, tmp_path, "sync")
    assert asked.returncode == 1
    assert f"--approve-origin {elsewhere}" in asked.stderr
    assert asked.stdout == ""
    synced = cli(
        url, ALICE.login, ALICE.password, tmp_path, "--approve-origin", str(elsewhere), "sync"
    )
    assert synced.returncode == 0, synced.stderr
    assert '"messages"' in synced.stdout
