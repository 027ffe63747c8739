"""TLS over real connections on loopback (the sandbox serving the test PKI's certificates): the
OS store plus the settings' CA bundle is what the core trusts, TLS 1.2 at least; each refusal is
reported as what it is (expired, not trusted, wrong host, TLS version), in French, and a refused
certificate never turns a login into an offline opening."""

from __future__ import annotations

import datetime as dt
import functools
import socketserver
import ssl
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import messages
from app.account.login import NoLocalAccount, OpenAccount, open_account
from app.dates import long_date
from app.events import ConnectionChanged, EventBus
from app.regional.errors import RegionalUnreachable
from app.remote.directory import DirectoryClient, DirectoryQuery, DirectoryUnreachable
from app.remote.http import (
    CertificateExpired,
    CertificateNotTrusted,
    CertificateRefused,
    CertificateRevocationUnknown,
    CertificateRevoked,
    CertificateWrongHost,
    ServerUnreachable,
    TlsFailure,
    TlsVersionRefused,
    make_http_client,
    unreachable_from,
)
from app.remote.jmap import fetch_public_regional_urls
from app.remote.regional import RegionalClient
from app.remote.tls import CaBundleError, CertificateFacts, read_ca_bundle, trust_context
from app.session import AccountSession
from server.testing import ServerThread, TlsFiles, quick_config
from tests.app.cli_helpers import cli, ok
from tests.app.waiting import until
from tests.server.conftest import ALICE, BOB, ServerFactory
from tests.tls_pki import Pki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


async def log_in(
    server: ServerThread, data: Path, ca_bundle: Path | None, **kwargs: Any
) -> OpenAccount:
    """alice's login, with `ca_bundle` as the settings' extra authorities."""
    return await open_account(
        data,
        server.base_url,
        ALICE.login,
        ALICE.password,
        http_factory=functools.partial(make_http_client, ca_bundle=ca_bundle),
        **kwargs,
    )


# --- the context ---------------------------------------------------------------------------


def test_the_context_checks_host_names_refuses_below_tls_1_2_and_is_built_once(pki: Pki) -> None:
    context = trust_context()
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert context.check_hostname
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert trust_context() is context  # built once, shared by every client
    with_ca = trust_context(pki.ca_cert)
    assert with_ca is not context
    assert trust_context(pki.ca_cert) is with_ca
    assert with_ca.minimum_version == ssl.TLSVersion.TLSv1_2


def test_the_os_store_is_loaded_and_the_bundle_is_added_to_it(pki: Pki) -> None:
    system = trust_context().cert_store_stats()["x509_ca"]
    assert system > 10  # the distribution's roots (ca-certificates)
    assert trust_context(pki.ca_cert).cert_store_stats()["x509_ca"] == system + 1


def test_a_ca_bundle_is_read_for_its_authorities_only(pki: Pki, tmp_path: Path) -> None:
    bundle = read_ca_bundle(pki.ca_cert)
    assert bundle.subjects == ("MonSisra test CA",)
    mixed = tmp_path / "mixed.pem"
    mixed.write_text(pki.good.cert.read_text() + "\n" + pki.ca_cert.read_text())
    assert read_ca_bundle(mixed).subjects == ("MonSisra test CA",)  # the server's one left out


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "est introuvable"),
        ("pas un certificat", "ne contient aucun certificat d'autorité"),
        ("server", "ne contient aucun certificat d'autorité"),  # a server's, not an authority
    ],
)
def test_an_unusable_ca_bundle_is_a_french_error(
    pki: Pki, tmp_path: Path, content: str | None, says: str
) -> None:
    path = tmp_path / "igc-sante.pem"
    if content == "server":
        path.write_text(pki.good.cert.read_text())
    elif content is not None:
        path.write_text(content)
    with pytest.raises(CaBundleError) as caught:
        make_http_client(ca_bundle=path)
    assert says in caught.value.message_fr
    assert "« igc-sante.pem »" in caught.value.message_fr


def test_an_unreadable_ca_bundle_says_so(tmp_path: Path) -> None:
    path = tmp_path / "ac.pem"  # opens, then fails to read (EIO), even for root
    path.symlink_to("/proc/self/mem")
    with pytest.raises(CaBundleError) as caught:
        read_ca_bundle(path)
    assert "ne peut pas être lu" in caught.value.message_fr


# --- logging in over TLS -------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_good_certificate_from_the_settings_ca_logs_in_and_syncs_over_tls(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.good)
    assert server.base_url.startswith("https://127.0.0.1:")
    account = await log_in(server, tmp_path, pki.ca_cert)
    try:
        assert account.online
        assert account.http is not None
        response = await account.http.get(server.base_url + "/.well-known/jmap")
        assert response.json()["username"] == ALICE.login
    finally:
        await account.close()


@pytest.mark.asyncio
async def test_without_the_ca_the_same_server_is_not_trusted_and_a_known_account_stays_closed(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.good)
    account = await log_in(server, tmp_path, pki.ca_cert)  # known here from now on
    await account.close()
    events = EventBus()
    said: list[ConnectionChanged] = []
    events.subscribe(ConnectionChanged, said.append)
    with pytest.raises(CertificateNotTrusted) as caught:
        await log_in(server, tmp_path, None, events=events)
    assert "Certificats d'autorité supplémentaires" in caught.value.message_fr
    assert "injoignable" not in caught.value.message_fr
    assert said == []  # not opened offline behind the user's back


@pytest.mark.parametrize(
    ("which", "error"),
    [
        ("self_signed", CertificateNotTrusted),
        ("wrong_host", CertificateWrongHost),
        ("expired", CertificateExpired),
    ],
)
@pytest.mark.asyncio
async def test_each_bad_certificate_is_refused_for_its_own_reason(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path, which: str, error: type[Exception]
) -> None:
    server = server_factory(tls=getattr(pki, which))
    with pytest.raises(error) as caught:
        await log_in(server, tmp_path, pki.ca_cert)
    assert isinstance(caught.value, TlsFailure)
    assert "a été refusée pour protéger vos données" in caught.value.message_fr
    assert not (tmp_path / "accounts").exists() or not any((tmp_path / "accounts").iterdir())


@pytest.mark.asyncio
async def test_an_expired_certificate_says_when_it_expired(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.expired)
    with pytest.raises(CertificateExpired) as caught:
        await log_in(server, tmp_path, pki.ca_cert)
    expired_on = long_date((dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).date())
    assert f"a expiré le {expired_on}" in caught.value.message_fr


@pytest.mark.asyncio
async def test_a_certificate_for_another_host_names_both(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.wrong_host)
    with pytest.raises(CertificateWrongHost) as caught:
        await log_in(server, tmp_path, pki.ca_cert)
    assert "celui de « autre-serveur.example », pas de « 127.0.0.1 »" in caught.value.message_fr


class _Tls11Handler(socketserver.BaseRequestHandler):
    """Answers any request with an empty JSON object, over TLS 1.1 only."""

    server: _Tls11Server

    def handle(self) -> None:
        try:
            with self.server.context.wrap_socket(self.request, server_side=True) as conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        except (ssl.SSLError, OSError):
            return  # the handshake was refused: OpenSSL has sent its alert


class _Tls11Server(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self, tls_files: TlsFiles) -> None:
        super().__init__(("127.0.0.1", 0), _Tls11Handler)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.1, on purpose
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.minimum_version = ssl.TLSVersion.TLSv1_1
            self.context.maximum_version = ssl.TLSVersion.TLSv1_1
        self.context.set_ciphers("DEFAULT:@SECLEVEL=0")  # OpenSSL 3 allows TLS 1.1 only there
        self.context.load_cert_chain(tls_files.cert, tls_files.key)
        self.base_url = f"https://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def tls_1_1_server(pki: Pki) -> Iterator[_Tls11Server]:
    """A server that speaks TLS 1.1 only. Not the sandbox: asyncio's TLS closes a refused
    handshake without sending OpenSSL's alert, which real servers send (and clients read)."""
    server = _Tls11Server(pki.good)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_tls_1_1_server_does_answer_a_client_that_accepts_tls_1_1(
    pki: Pki, tls_1_1_server: _Tls11Server
) -> None:
    """The control of the next test: the refusal is ours, not a server that cannot speak."""
    old = ssl.create_default_context(cafile=str(pki.ca_cert))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old.minimum_version = ssl.TLSVersion.TLSv1_1
    old.set_ciphers("DEFAULT:@SECLEVEL=0")
    response = httpx.get(tls_1_1_server.base_url + "/.well-known/jmap", verify=old)
    assert response.status_code == 200


@pytest.mark.asyncio
async def test_a_tls_1_1_server_is_refused(
    pki: Pki, tls_1_1_server: _Tls11Server, tmp_path: Path
) -> None:
    with pytest.raises(TlsVersionRefused) as caught:
        await open_account(
            tmp_path,
            tls_1_1_server.base_url,
            ALICE.login,
            ALICE.password,
            http_factory=functools.partial(make_http_client, ca_bundle=pki.ca_cert),
        )
    assert "TLS 1.2 au minimum" in caught.value.message_fr


# --- offline: only on a network cut, or when the user asks --------------------------------


@pytest.mark.asyncio
async def test_after_a_refusal_the_user_may_open_offline_and_the_reason_stays_said(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.good)
    account = await log_in(server, tmp_path, pki.ca_cert)
    await account.close()
    events = EventBus()
    said: list[ConnectionChanged] = []
    events.subscribe(ConnectionChanged, said.append)
    offline = await log_in(server, tmp_path, None, events=events, offline=True)
    try:
        assert not offline.online
        assert said == [ConnectionChanged(False, messages.OPENED_OFFLINE)]
        # Trying again (what the session does in the background) is refused for the certificate
        # and says so, once: never "serveur injoignable".
        assert not await offline.reconnect()
        assert not await offline.reconnect()
        assert len(said) == 2
        assert said[1].tls_refused
        assert said[1].reason_fr == CertificateNotTrusted.message_fr
    finally:
        await offline.close()


@pytest.mark.asyncio
async def test_offline_by_choice_needs_an_account_known_here(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.self_signed)
    with pytest.raises(NoLocalAccount):
        await log_in(server, tmp_path, pki.ca_cert, offline=True)


@pytest.mark.asyncio
async def test_a_server_really_down_still_opens_a_known_account_offline(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.good)
    account = await log_in(server, tmp_path, pki.ca_cert)
    await account.close()
    server.stop()
    offline = await log_in(server, tmp_path, pki.ca_cert)
    try:
        assert not offline.online
    finally:
        await offline.close()


def _deliver_a_document_to_alice(server: ServerThread) -> None:
    account = server.sandbox.accounts.by_login(ALICE.login)
    assert account is not None
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = BOB.email, ALICE.email, "Compte rendu"
    msg["Message-ID"] = "<cr-tls@sisra-demo.mssante.fr>"
    msg.set_content("Ci-joint le compte rendu.")
    msg.add_attachment(b"%PDF-1.4\n%%EOF", maintype="application", subtype="pdf", filename="cr.pdf")
    with server.sandbox.db.write():
        server.sandbox.mail.import_message(
            account.id, msg.as_bytes(), received_at=dt.datetime.now(dt.UTC)
        )


@pytest.mark.asyncio
async def test_a_certificate_changed_during_the_session_is_said_by_the_sync_and_the_documents(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    """The server's certificate turns into one this computer does not trust (a man-in-the-middle
    on the way): the background sync says so, and a document not yet cached says so too, instead
    of "not available offline"."""
    data = tmp_path / "server"
    server = server_factory(data_dir=data, tls=pki.good)
    _deliver_a_document_to_alice(server)
    session = await AccountSession.open(
        tmp_path / "client", server.base_url, ALICE.login, ALICE.password, ca_bundle=pki.ca_cert
    )
    said: list[ConnectionChanged] = []
    session.bus.subscribe(ConnectionChanged, said.append)
    # Nothing downloaded ahead (no day kept): the document stays one not yet cached.
    await session.set_documents_budget(session.attachments.budget_bytes, offline_days=0)
    try:
        session.start()
        await until(lambda: session.unread_total() > 0)
        summary = session.summaries(session.list_ids(None))[0]
        document = session.thread(summary.thread_id)[0].attachments[0]
        assert not session.documents_offline([document.blob_id])
        server.stop()
        port = int(server.base_url.rsplit(":", 1)[1])
        forged = ServerThread(quick_config(data), port=port, tls=pki.self_signed).start()
        try:
            session.sync_now()
            await until(lambda: any(event.tls_refused for event in said))
            refused = [event for event in said if event.tls_refused][-1]
            assert not refused.online
            assert refused.reason_fr == CertificateNotTrusted.message_fr
            with pytest.raises(CertificateNotTrusted):
                await session.open_document(
                    document.blob_id, document.name or "cr.pdf", document.type, document.size
                )
        finally:
            forged.stop()
    finally:
        await session.close()


# --- the probe before login ----------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_login_windows_probe_reports_the_certificate_problem(
    pki: Pki, server_factory: ServerFactory
) -> None:
    good = server_factory(tls=pki.good)
    urls = await fetch_public_regional_urls(good.base_url, ca_bundle=pki.ca_cert)
    assert urls is not None
    assert urls.registration_url.startswith(good.base_url)
    with pytest.raises(CertificateNotTrusted):
        await fetch_public_regional_urls(good.base_url)
    expired = server_factory(tls=pki.expired)
    with pytest.raises(CertificateExpired):
        await fetch_public_regional_urls(expired.base_url, ca_bundle=pki.ca_cert)


# --- the command line ----------------------------------------------------------------------


def test_the_cli_takes_a_ca_bundle_and_says_a_refusal_in_french(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.good)
    refused = cli(server.base_url, ALICE.login, ALICE.password, tmp_path / "a", "sync")
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"monsisra-cli: {CertificateNotTrusted.message_fr}"
    synced = ok(
        cli(
            server.base_url,
            ALICE.login,
            ALICE.password,
            tmp_path / "a",
            "--ca-bundle",
            str(pki.ca_cert),
            "sync",
        )
    )
    assert "mailboxes" in synced


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_a_root_installed_in_the_os_store_is_trusted_without_the_setting(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path, variable: str
) -> None:
    """What hospital IT does: the root goes into the system's store. OpenSSL's store on Linux is
    what SSL_CERT_FILE / SSL_CERT_DIR point at: a store holding only the test CA."""
    if sys.platform != "linux":
        pytest.skip("the OpenSSL store's variables are Linux's")
    store = tmp_path / "store"
    store.mkdir()
    if variable == "SSL_CERT_FILE":
        location = store / "roots.pem"
        location.write_bytes(pki.ca_cert.read_bytes())
    else:
        location = store
        (store / f"{subject_hash(pki.ca_cert)}.0").write_bytes(pki.ca_cert.read_bytes())
    server = server_factory(tls=pki.good)
    data = tmp_path / "data"
    env = {variable: str(location)}
    synced = ok(cli(server.base_url, ALICE.login, ALICE.password, data, "sync", env=env))
    assert "mailboxes" in synced
    for root in store.iterdir():  # the same store without the root: refused
        root.unlink()
    refused = cli(server.base_url, ALICE.login, ALICE.password, data, "sync", env=env)
    assert refused.returncode == 1
    assert "n'est pas reconnu" in refused.stderr


def subject_hash(cert: Path) -> str:
    """OpenSSL's c_rehash name of a certificate (what `openssl x509 -hash` prints)."""
    out = subprocess.run(
        ["openssl", "x509", "-hash", "-noout", "-in", str(cert)],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


# --- the words, for the codes of other systems -----------------------------------------------


def _verify_error(code: int) -> httpx.ConnectError:
    cause = ssl.SSLCertVerificationError("refused")
    cause.verify_code = code
    error = httpx.ConnectError("refused", request=httpx.Request("GET", "https://mss.example/x"))
    error.__cause__ = cause
    return error


def _facts(valid: bool = True, names: tuple[str, ...] = ("mss.example",)) -> CertificateFacts:
    now = dt.datetime.now(dt.UTC)
    return CertificateFacts(
        not_before=now - dt.timedelta(days=10),
        not_after=now + (dt.timedelta(days=10) if valid else -dt.timedelta(days=2)),
        names=names,
        subject="mss.example",
        issuer="AC",
        self_signed=False,
    )


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (10, CertificateExpired),  # OpenSSL
        (0x800B0101, CertificateExpired),  # Windows CERT_E_EXPIRED
        (-67818, CertificateExpired),  # macOS errSecCertificateExpired
        (18, CertificateNotTrusted),
        (0x800B0109, CertificateNotTrusted),  # CERT_E_UNTRUSTEDROOT
        (-67843, CertificateNotTrusted),  # errSecNotTrusted
        (62, CertificateWrongHost),
        (0x800B010F, CertificateWrongHost),  # CERT_E_CN_NO_MATCH
        (-67602, CertificateWrongHost),  # errSecHostNameMismatch
        (23, CertificateRevoked),  # OpenSSL X509_V_ERR_CERT_REVOKED (issue 14 §3)
        (0x80092010, CertificateRevoked),  # Windows CRYPT_E_REVOKED
        (-67820, CertificateRevoked),  # macOS errSecCertificateRevoked
        (3, CertificateRevocationUnknown),  # OpenSSL: the CRL could not be had
        (0x80092013, CertificateRevocationUnknown),  # Windows CRYPT_E_REVOCATION_OFFLINE
        (12345, CertificateRefused),  # unknown, and nothing known of the certificate
    ],
)
def test_each_systems_verification_codes_have_their_words(
    code: int, error: type[CertificateRefused]
) -> None:
    assert type(unreachable_from(_verify_error(code))) is error


def test_a_revoked_certificate_is_said_revoked_even_within_its_dates() -> None:
    error = unreachable_from(_verify_error(23), _facts(valid=True))
    assert type(error) is CertificateRevoked
    assert "révoqué" in error.message_fr
    assert "Ne vous connectez pas" in error.message_fr
    unknown = unreachable_from(_verify_error(0x80092013), _facts(valid=True))
    assert "n'a pas pu être vérifiée" in unknown.message_fr


def test_an_unknown_code_is_explained_by_the_certificate_itself() -> None:
    error = _verify_error(12345)
    assert type(unreachable_from(error, _facts(valid=False))) is CertificateExpired
    assert type(unreachable_from(error, _facts(names=("other.example",)))) is CertificateWrongHost
    assert type(unreachable_from(error, _facts())) is CertificateNotTrusted


def test_a_network_failure_is_not_a_certificate_problem() -> None:
    error = httpx.ConnectError("refused", request=httpx.Request("GET", "https://mss.example/"))
    assert type(unreachable_from(error)) is ServerUnreachable
    eof = httpx.ConnectError("eof", request=httpx.Request("GET", "https://mss.example/"))
    eof.__cause__ = ssl.SSLEOFError(8, "EOF occurred in violation of protocol")
    assert type(unreachable_from(eof)) is ServerUnreachable


def test_certificate_names_match_like_rfc_6125() -> None:
    facts = _facts(names=("*.sante-ara.fr", "127.0.0.1"))
    assert facts.matches("mss.sante-ara.fr")
    assert not facts.matches("a.b.sante-ara.fr")
    assert not facts.matches("sante-ara.fr")
    assert facts.matches("127.0.0.1")
    assert not facts.matches("127.0.0.2")


@pytest.mark.asyncio
async def test_the_directory_and_the_regional_services_say_a_refused_certificate_as_such(
    pki: Pki, server_factory: ServerFactory
) -> None:
    server = server_factory(tls=pki.expired)
    async with make_http_client(ca_bundle=pki.ca_cert) as http:
        with pytest.raises(DirectoryUnreachable) as directory:
            await DirectoryClient(http, server.base_url + "/fhir").search(DirectoryQuery(text="x"))
        with pytest.raises(RegionalUnreachable) as regional:
            await RegionalClient(http, server.base_url + "/regional/v1").portal_code()
    for caught in (directory, regional):
        assert "a expiré le" in caught.value.message_fr
        assert "injoignable" not in caught.value.message_fr


@pytest.mark.asyncio
async def test_a_closed_port_is_still_said_unreachable_by_the_directory() -> None:
    async with make_http_client() as http:
        with pytest.raises(DirectoryUnreachable) as caught:
            await DirectoryClient(http, "http://127.0.0.1:9/fhir").search(DirectoryQuery(text="x"))
    assert caught.value.message_fr == messages.DIRECTORY_UNREACHABLE.text()
