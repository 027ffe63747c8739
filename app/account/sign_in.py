"""What a login screen needs from the core before an account is open, in the screen's terms.

A login window asks three things: does this server answer (and where does it register new
users), is this account already kept on this computer, and open it — asking the user about the
other addresses a first login may name. The core's answers are exceptions from several layers (HTTP,
TLS, origins, vault, OAuth); this module turns them into what a screen reacts to — a `ServerProbe`
(app/account/probe.py) with its state and sentence (a catalogue `Message`), the seconds a throttled
login must wait, whether a secure connection was refused — so that the UI neither reaches into
`app.remote` nor keeps its own `except` ladder. Every other failure stays a CoreError whose sentence
the screen shows (`ui.tasks.message_of`).

Importing this module loads the whole core (HTTP, crypto, cache): the login window does it in a
worker thread (ui/login/core.py `load_core`) so that it paints first, then `prepare_network`
there too: the first connection would otherwise import httpx's transport and read the trust store
on the UI thread (0.1-0.3 s), at the login window's first probe or at the login itself.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.account import psc
from app.account.probe import ServerProbe, ServerState
from app.account.vault import Vault, VaultThrottled
from app.errors import CoreError
from app.messages import Message
from app.remote.auth import LoginThrottled
from app.remote.http import ServerUnreachable, TlsFailure, make_http_client
from app.remote.jmap import fetch_public_regional_urls
from app.remote.origins import Origin, OriginApprovalNeeded
from app.remote.tls import CaBundleError, trust_context
from app.session import AccountSession

# What httpx imports at its first client and its first request (the asyncio backend of anyio).
_TRANSPORT_MODULES = ("httpcore", "anyio._backends._asyncio")

__all__ = [
    "Approver",
    "Opener",
    "SignIn",
]

Opener = Callable[..., Awaitable[AccountSession]]
"""Opens an account: `AccountSession.open`'s signature (tests give their own)."""

Approver = Callable[[tuple[str, ...]], Awaitable[None]]
"""Shows the other addresses a first login names (as text, in their ASCII form: an
internationalised look-alike shows as xn--…); returns once the user approved them, raises a
CoreError (saying so, in the user's language) when they were not."""


@dataclass(frozen=True)
class SignIn:
    """The accounts of one data root, as a login screen opens them."""

    root: Path
    opener: Opener | None = None  # None: AccountSession.open

    @staticmethod
    def prepare_network(ca_bundle: Path | None) -> None:
        """Does now, on this thread (a worker's), what the first connection would do on the UI
        thread: import httpx's transport and build the trust context (the OS store, plus
        `ca_bundle`'s authorities). An unusable bundle is said by the probe, not here."""
        for name in _TRANSPORT_MODULES:
            importlib.import_module(name)
        with contextlib.suppress(CaBundleError):
            trust_context(ca_bundle)

    @staticmethod
    async def probe(server_url: str, ca_bundle: Path | None) -> ServerProbe:
        """Asks `server_url` for its public Session over a verified connection (`ca_bundle`: the
        settings' extra authorities). Never raises a CoreError: its state says what happened."""
        try:
            urls = await fetch_public_regional_urls(server_url, ca_bundle=ca_bundle)
        except (TlsFailure, CaBundleError) as e:  # before ServerUnreachable: TlsFailure is one
            return ServerProbe(ServerState.REFUSED, e.message)
        except ServerUnreachable as e:
            return ServerProbe(ServerState.UNREACHABLE, e.message)
        except CoreError as e:
            return ServerProbe(ServerState.UNKNOWN, e.message)
        return ServerProbe(
            ServerState.ANSWERS,
            registration_url=urls.registration_url if urls is not None else None,
        )

    @staticmethod
    def retry_after(error: BaseException) -> float | None:
        """The seconds to wait before another attempt when `error` is a throttled login (by the
        server, or by this computer's vault after wrong passwords); None otherwise."""
        if isinstance(error, (LoginThrottled, VaultThrottled)):
            return error.retry_after
        return None

    @staticmethod
    def tls_refused(error: BaseException) -> bool:
        """True when `error` is a refused secure connection (certificate, TLS version, or the extra
        authorities' file): not "hors connexion", and the user may still open the cache."""
        return isinstance(error, (TlsFailure, CaBundleError))

    def known_here(self, server_url: str, login: str) -> bool:
        """Whether this computer keeps that account (it may then open offline)."""
        if not (server_url and login):
            return False
        return Vault.exists(paths.account_dir(self.root, server_url, login))

    async def open(
        self,
        server_url: str,
        login: str,
        password: str,
        *,
        remember: bool,
        ca_bundle: Path | None,
        offline: bool,
        approve: Approver,
    ) -> AccountSession:
        """Opens the account (online, or offline on this computer's cache); at a first login
        that names other addresses, `approve` is asked and the login is tried again with them."""
        opener = self.opener or AccountSession.open
        approved: tuple[Origin, ...] = ()
        while True:
            try:
                return await opener(
                    self.root,
                    server_url,
                    login,
                    password,
                    remember=remember,
                    approve=approved,
                    ca_bundle=ca_bundle,
                    offline=offline,
                )
            except OriginApprovalNeeded as e:
                await approve(tuple(str(origin) for origin in e.origins))
                approved += e.origins

    # Pro Santé Connect (issue 15) -------------------------------------------------------------

    @staticmethod
    async def psc_server(server_url: str, ca_bundle: Path | None) -> psc.PscServer | None:
        """The server's PSC endpoints when it offers PSC; None otherwise, or when it cannot be
        asked (the password form stays: the window never waits on this)."""
        try:
            async with make_http_client(ca_bundle=ca_bundle) as http:
                return await psc.discover(http, server_url)
        except (CoreError, CaBundleError):
            return None

    @staticmethod
    async def psc_browser(
        server: psc.PscServer,
        open_browser: Callable[[str], bool],
        ca_bundle: Path | None,
    ) -> psc.PscGrant:
        """The browser flow to its end (cancel the task to stop waiting)."""
        async with make_http_client(ca_bundle=ca_bundle) as http:
            return await psc.browser_login(http, server, open_browser)

    @staticmethod
    async def psc_push(server: psc.PscServer, rpps: str, ca_bundle: Path | None) -> psc.CibaRequest:
        async with make_http_client(ca_bundle=ca_bundle) as http:
            return await psc.ciba_start(http, server, rpps)

    @staticmethod
    async def psc_push_wait(
        server: psc.PscServer, request: psc.CibaRequest, ca_bundle: Path | None
    ) -> psc.PscGrant:
        async with make_http_client(ca_bundle=ca_bundle) as http:
            return await psc.ciba_wait(http, server, request)

    @staticmethod
    def rpps_problem(rpps: str) -> Message | None:
        return psc.rpps_problem(rpps)

    @staticmethod
    def passphrase_problem(passphrase: str) -> Message | None:
        return psc.passphrase_problem(passphrase)

    def psc_account(self, server_url: str, login: str) -> bool:
        """Whether this computer keeps that account as a PSC one (its vault opens with the
        passphrase; the window then says so instead of asking a password)."""
        if not (server_url and login):
            return False
        return psc.is_psc(paths.account_dir(self.root, server_url, login))

    def psc_practice(
        self, server_url: str, grant: psc.PscGrant, chosen: psc.Practice | None = None
    ) -> psc.Practice | None:
        """The practice to send from: `chosen` (then remembered), else the one remembered, else
        None when the user must pick among several."""
        folder = paths.account_dir(self.root, server_url, grant.login)
        if chosen is not None:
            psc.mark_psc(folder, chosen)
            return chosen
        return psc.chosen_practice(folder, grant.practices)

    async def open_psc(
        self,
        server_url: str,
        grant: psc.PscGrant,
        passphrase: str,
        *,
        remember: bool,
        ca_bundle: Path | None,
        approve: Approver,
    ) -> AccountSession:
        """The account of a PSC login, its vault opened (or created) with the passphrase."""
        approved: tuple[Origin, ...] = ()
        while True:
            try:
                return await AccountSession.open_psc(
                    self.root,
                    server_url,
                    grant,
                    passphrase,
                    remember=remember,
                    approve=approved,
                    ca_bundle=ca_bundle,
                )
            except OriginApprovalNeeded as e:
                await approve(tuple(str(origin) for origin in e.origins))
                approved += e.origins
