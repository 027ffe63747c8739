"""What a login screen gets from the core (app/account/sign_in.py), against the real sandbox on
loopback, plain and over TLS: a probe's state and sentence for a server that answers, one that does
not, one whose certificate is refused and an address that is none; the account known here once it
was opened; a first login that names other addresses asking and trying again, or stopping when
the user declines; and the two failures a login window reacts to (a throttle, a refused secure
connection) told apart from the rest."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from app.account.probe import ServerState
from app.account.sign_in import SignIn
from app.account.vault import VaultThrottled
from app.errors import CoreError
from app.remote.auth import LoginRejected, LoginThrottled
from app.remote.http import CertificateNotTrusted, ServerUnreachable, TlsVersionRefused
from app.remote.origins import InvalidServerUrl, OriginApprovalNeeded, origin_of
from app.remote.tls import CaBundleError
from server.testing import ServerThread
from tests.app.memory_keyring import memory_keyring  # noqa: F401
from tests.server.conftest import ALICE, ServerFactory
from tests.tls_pki import Pki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.asyncio
async def test_a_server_that_answers_names_its_registration_page(server: ServerThread) -> None:
    probe = await SignIn.probe(server.base_url, None)
    assert probe.state is ServerState.ANSWERS
    assert probe.registration_url == server.base_url + "/portal/inscription"
    assert probe.message_fr == ""


@pytest.mark.asyncio
async def test_a_server_that_does_not_answer_is_unreachable_with_the_cores_sentence() -> None:
    probe = await SignIn.probe(f"http://127.0.0.1:{closed_port()}", None)
    assert probe.state is ServerState.UNREACHABLE
    assert probe.message_fr.startswith("Le serveur est injoignable.")
    assert probe.registration_url is None


@pytest.mark.asyncio
async def test_a_refused_certificate_is_not_offline_and_the_settings_authorities_fix_it(
    pki: Pki, server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(tls=pki.good)
    refused = await SignIn.probe(server.base_url, None)
    assert refused.state is ServerState.REFUSED
    assert refused.message_fr == CertificateNotTrusted.message_fr
    trusted = await SignIn.probe(server.base_url, pki.ca_cert)
    assert trusted.state is ServerState.ANSWERS
    gone = await SignIn.probe(server.base_url, tmp_path / "igc-sante.pem")
    assert gone.state is ServerState.REFUSED
    assert "« igc-sante.pem » est introuvable" in gone.message_fr


@pytest.mark.asyncio
@pytest.mark.parametrize("typed", ["https://", "https://:443"])
async def test_an_address_that_is_no_server_is_unknown_and_says_why(typed: str) -> None:
    probe = await SignIn.probe(typed, None)
    assert probe.state is ServerState.UNKNOWN
    assert probe.message_fr == InvalidServerUrl.message_fr


@pytest.mark.asyncio
@pytest.mark.usefixtures("memory_keyring")
async def test_an_account_is_known_here_once_opened_and_a_wrong_password_is_the_cores_error(
    server: ServerThread, tmp_path: Path
) -> None:
    sign_in = SignIn(tmp_path)
    assert not sign_in.known_here(server.base_url, ALICE.login)

    async def never(names: tuple[str, ...]) -> None:
        raise AssertionError(f"nothing to approve on the sandbox itself: {names}")

    with pytest.raises(LoginRejected):
        await sign_in.open(
            server.base_url,
            ALICE.login,
            "not-her-password",
            remember=False,
            ca_bundle=None,
            offline=False,
            approve=never,
        )
    assert not sign_in.known_here(server.base_url, ALICE.login)
    session = await sign_in.open(
        server.base_url,
        ALICE.login,
        ALICE.password,
        remember=False,
        ca_bundle=None,
        offline=False,
        approve=never,
    )
    try:
        assert session.account.online
    finally:
        await session.close()
    assert sign_in.known_here(server.base_url, ALICE.login)
    assert not sign_in.known_here(server.base_url, "bob")
    assert not sign_in.known_here("", ALICE.login)


class FirstLogin:
    """An opener whose first call names another address (as the core does at a first login),
    and which opens once that address is approved."""

    OTHER = origin_of("https://api.xn--pple-43d.com")

    def __init__(self) -> None:
        self.approved: list[tuple[Any, ...]] = []

    async def __call__(self, *args: object, approve: tuple[Any, ...], **kwargs: object) -> str:
        self.approved.append(approve)
        if self.OTHER not in approve:
            raise OriginApprovalNeeded([self.OTHER])
        return "opened"


@pytest.mark.asyncio
async def test_a_first_login_shows_the_other_addresses_and_tries_again_with_them_approved(
    tmp_path: Path,
) -> None:
    opener = FirstLogin()
    asked: list[tuple[str, ...]] = []

    async def approve(names: tuple[str, ...]) -> None:
        asked.append(names)

    opened = await SignIn(tmp_path, opener).open(
        "https://mss.example.fr",
        "alice",
        "secret",
        remember=False,
        ca_bundle=None,
        offline=False,
        approve=approve,
    )
    assert opened == "opened"
    assert asked == [("https://api.xn--pple-43d.com",)]  # text, in its ASCII form
    assert opener.approved == [(), (FirstLogin.OTHER,)]


@pytest.mark.asyncio
async def test_a_first_login_declined_stops_with_the_screens_sentence(tmp_path: Path) -> None:
    opener = FirstLogin()

    async def decline(names: tuple[str, ...]) -> None:
        raise CoreError("declined", "Connexion annulée.")

    with pytest.raises(CoreError) as caught:
        await SignIn(tmp_path, opener).open(
            "https://mss.example.fr",
            "alice",
            "secret",
            remember=False,
            ca_bundle=None,
            offline=False,
            approve=decline,
        )
    assert caught.value.message_fr == "Connexion annulée."
    assert opener.approved == [()]  # not tried again


def test_the_failures_a_login_window_reacts_to_are_told_apart() -> None:
    assert SignIn.retry_after(LoginThrottled(30)) == 30
    assert SignIn.retry_after(VaultThrottled(4.5)) == 4.5
    assert SignIn.retry_after(LoginRejected()) is None
    assert SignIn.tls_refused(CertificateNotTrusted())
    assert SignIn.tls_refused(TlsVersionRefused())
    assert SignIn.tls_refused(CaBundleError.missing(Path("igc-sante.pem")))
    assert not SignIn.tls_refused(ServerUnreachable())
    assert not SignIn.tls_refused(LoginThrottled(30))
