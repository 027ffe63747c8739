"""Opening an account: online login (token, or Basic), vault unlock or creation, cache opening; or
offline, when the server cannot be reached and this machine already knows the account.

A refused secure connection (a certificate expired, untrusted or for another host; a TLS version
refused) is not "the server cannot be reached": the login fails with that reason, because a
man-in-the-middle must not be taken for a network cut and hidden behind an offline session. The
user may still choose to open the account from this computer's cache (`offline=True`): nothing is
sent anywhere then, verification stays on for the reconnection attempts that follow, and the
status bar keeps saying why the server is refused.

Each account lives in its own folder (`app.paths.account_dir`) with its own vault and cache, so a
secretary working for several doctors never mixes their data. "Remember me" keeps the refresh token
in the OS keyring (never the password): `resume_account` then gets an access token without sending
the password, which still unlocks the vault locally.

An online login also reads the JMAP Session and checks every origin it names (app.remote.origins):
a login fails with a clear sentence rather than a sync that breaks later. At the first login of an
account, origins other than the login's raise OriginApprovalNeeded before anything is sent to them;
the caller shows them and tries again with `approve`; what was approved is recorded with the
account (app.account.approvals), and later logins refuse any other origin without asking. A new
account's vault is created only once its Session is accepted: declining leaves nothing behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app import logs, messages, paths
from app.account import approvals, psc, rebuild
from app.account.keychain import NO_KEYRING_FR, TokenStore
from app.account.lock import AccountInUse, AccountLock
from app.account.vault import Vault, WrongPassword
from app.errors import CoreError
from app.events import CacheRebuilt, ConnectionChanged, EventBus, ReauthNeeded
from app.messages import Message
from app.remote.auth import (
    ReauthRequired,
    ServerAuth,
    Tokens,
    basic_check,
    password_grant,
    refresh_grant,
)
from app.remote.http import ServerUnreachable, TlsFailure, make_http_client
from app.remote.jmap import SESSION_PATH, JmapClient, Session
from app.remote.origins import (
    ForeignOrigin,
    Origin,
    OriginPolicy,
    OriginRefused,
    check_server_url,
    origin_of,
)
from app.store.db import Cache
from app.store.key import CacheKey

__all__ = [
    "AccountInUse",
    "AccountRef",
    "NoLocalAccount",
    "OpenAccount",
    "VaultPasswordMismatch",
    "change_password",
    "open_account",
    "open_account_with_tokens",
    "resume_account",
]

log = logs.get("account")

CACHE_FILE_NAME = "cache.sqlite3"

HttpFactory = Callable[[], httpx.AsyncClient]


class NoLocalAccount(ServerUnreachable):
    message = messages.NO_LOCAL_ACCOUNT


class VaultPasswordMismatch(CoreError):
    message = messages.VAULT_PASSWORD_MISMATCH


@dataclass(frozen=True)
class AccountRef:
    server_url: str
    login: str
    dir: Path

    @classmethod
    def make(cls, root: Path, server_url: str, login: str) -> AccountRef:
        """InvalidServerUrl (CleartextServerUrl for http:// to another computer) before anything
        is sent or created."""
        server_url = check_server_url(server_url)
        return cls(server_url, login, paths.account_dir(root, server_url, login))

    @property
    def cache_path(self) -> Path:
        return self.dir / CACHE_FILE_NAME


@dataclass
class OpenAccount:
    ref: AccountRef
    cache: Cache
    key: CacheKey = field(repr=False)  # owned: wiped by close() (a lock closes the account)
    auth: ServerAuth | None
    http: httpx.AsyncClient | None
    online: bool
    policy: OriginPolicy  # where its credentials may go (the login origin and approved ones)
    session: Session | None = None  # the Session read at login (None offline)
    notice_fr: str | None = None  # e.g. "no keyring here": shown once after login
    events: EventBus | None = field(default=None, repr=False)
    http_factory: HttpFactory = field(default=make_http_client, repr=False)
    token_store: TokenStore | None = field(default=None, repr=False)
    remember: bool = False
    # Kept in memory only while offline, so that the connection comes back by itself.
    _password: str | None = field(default=None, repr=False)
    _offline_reason: Message | None = field(default=None, repr=False)
    # Held while open: no other process (a second app, monsisra-cli) opens this account meanwhile.
    lock: AccountLock | None = field(default=None, repr=False)

    def jmap_client(self) -> JmapClient:
        """A JMAP client on this account's connection, within its origins, starting from the
        Session read at login."""
        if self.http is None:
            raise ServerUnreachable("offline")
        return JmapClient(
            self.http, self.ref.server_url + SESSION_PATH, self.policy, session=self.session
        )

    async def reauthenticate(self, password: str) -> None:
        """After ReauthRequired: logs in again; the work waiting on the session goes on."""
        if self.auth is None or self.http is None:
            raise ServerUnreachable("offline")
        await self.auth.reauthenticate(password, http=self.http)

    async def reconnect(self) -> bool:
        """Offline → online when the server answers again. True when online afterwards."""
        if self.online:
            return True
        try:
            http = self.http_factory()
        except CoreError as e:  # the settings' CA bundle went missing meanwhile
            self._say_offline(e.message, tls_refused=True)
            return False
        try:
            refresh = self.token_store.load() if self.token_store and self.remember else None
            auth = await _authenticate(http, self.ref, self._password, refresh, self.policy)
        except ReauthRequired:  # a PSC account without a usable refresh: PSC, not a password
            await http.aclose()
            if self.events is not None:
                self.events.publish(ReauthNeeded())
            return False
        except TlsFailure as e:
            await http.aclose()
            self._say_offline(e.message, tls_refused=True)
            return False
        except ServerUnreachable:
            await http.aclose()
            return False
        except OriginRefused as e:  # nobody to ask in the background: said, tried again later
            await http.aclose()
            log.warning("reconnection refused: %s", e)
            if self.events is not None:
                self.events.publish(ConnectionChanged(online=False, reason=e.message))
            return False
        except BaseException:
            await http.aclose()
            raise
        _wire(self, http, auth)
        self._password = None
        self._offline_reason = None
        log.info("account back online")
        if self.events is not None:
            self.events.publish(ConnectionChanged(online=True))
        return True

    def _say_offline(self, reason: Message, tls_refused: bool = False) -> None:
        """Tells the UI why the account is offline, once per reason."""
        if reason == self._offline_reason:
            return
        self._offline_reason = reason
        if self.events is not None:
            self.events.publish(ConnectionChanged(False, reason, tls_refused=tls_refused))

    async def rebuild_cache(self) -> None:
        """After a read or a write raised CacheCorrupt: closes the cache, deletes and recreates the
        cache file (the next sync is an initial one), keeps the unsent file (set aside when it is
        the damaged one) and publishes CacheRebuilt."""
        await asyncio.to_thread(self.cache.close)
        opened = await asyncio.to_thread(rebuild.rebuild, self.ref.cache_path, self.key)
        self.cache = opened.cache
        _announce(opened, self.events)

    async def reconnect_until_online(
        self, stop: asyncio.Event, wait: Callable[[asyncio.Event], Awaitable[None]]
    ) -> bool:
        """Opened offline: tries again and again, `wait(stop)` between two tries (the session's
        reconnection schedule, app/sync/reconnect.py), until the server answers — the connection
        comes back by itself. False if `stop` is set first."""
        while not stop.is_set():
            if await self.reconnect():
                return True
            await wait(stop)
        return False

    async def close(self) -> None:
        """Closes the connection and the cache, then zeroes the cache key and lets another
        process open the account."""
        try:
            if self.http is not None:
                await self.http.aclose()
            await asyncio.to_thread(self.cache.close)
        finally:
            self.key.wipe()
            if self.lock is not None:
                self.lock.release()


async def open_account(
    root: Path,
    server_url: str,
    login: str,
    password: str,
    *,
    remember: bool = False,
    http_factory: HttpFactory = make_http_client,
    events: EventBus | None = None,
    token_store: TokenStore | None = None,
    previous_password: str | None = None,
    approve: Iterable[Origin] = (),
    offline: bool = False,
    lock_wait: float = 0.0,
) -> OpenAccount:
    """Online when the server answers (LoginRejected for a wrong password); offline when it does
    not and the account is known here (WrongPassword for a wrong password); NoLocalAccount when
    it does not and the account is new. A TlsFailure (refused certificate…) is raised, never
    turned into offline. `offline` opens a known account from the cache without contacting the
    server (the user's choice, e.g. after a TlsFailure). `previous_password` re-wraps a vault
    whose password was changed on the server. `approve`: the origins the user accepted after
    OriginApprovalNeeded (heeded at the first login of the account only). AccountInUse when
    another process has the account open and has not closed it within `lock_wait` seconds."""
    return await _open(
        AccountRef.make(root, server_url, login),
        password,
        remember=remember,
        http_factory=http_factory,
        events=events,
        token_store=token_store,
        previous_password=previous_password,
        resume=False,
        approve=approve,
        offline=offline,
        lock_wait=lock_wait,
    )


async def resume_account(
    root: Path,
    server_url: str,
    login: str,
    password: str,
    *,
    http_factory: HttpFactory = make_http_client,
    events: EventBus | None = None,
    token_store: TokenStore | None = None,
    approve: Iterable[Origin] = (),
    offline: bool = False,
    lock_wait: float = 0.0,
) -> OpenAccount:
    """A remembered account: the password unlocks the vault here, the keyring's refresh token
    gets the access token (the password is sent only when the server refuses that token)."""
    ref = AccountRef.make(root, server_url, login)
    if not Vault.exists(ref.dir):
        return await open_account(
            root,
            server_url,
            login,
            password,
            remember=True,
            http_factory=http_factory,
            events=events,
            token_store=token_store,
            approve=approve,
            offline=offline,
            lock_wait=lock_wait,
        )
    return await _open(
        ref,
        password,
        remember=True,
        http_factory=http_factory,
        events=events,
        token_store=token_store,
        previous_password=None,
        resume=True,
        approve=approve,
        offline=offline,
        lock_wait=lock_wait,
    )


async def open_account_with_tokens(
    root: Path,
    server_url: str,
    grant: psc.PscGrant,
    passphrase: str,
    *,
    remember: bool = False,
    http_factory: HttpFactory = make_http_client,
    events: EventBus | None = None,
    token_store: TokenStore | None = None,
    approve: Iterable[Origin] = (),
    lock_wait: float = 0.0,
) -> OpenAccount:
    """After a Pro Santé Connect login: the server's tokens are already here, and the local
    passphrase (never sent anywhere) unlocks the vault, or creates it at the first PSC login
    here (PassphraseWeak for a weak one, before anything is created). The account is marked PSC
    so that its offline login and the login window ask for the passphrase."""
    ref = AccountRef.make(root, server_url, grant.login)
    if not Vault.exists(ref.dir):
        problem = psc.passphrase_problem(passphrase)
        if problem is not None:
            raise PassphraseWeak("weak passphrase", problem)
    account = await _open(
        ref,
        passphrase,
        remember=remember,
        http_factory=http_factory,
        events=events,
        token_store=token_store,
        previous_password=None,
        resume=True,  # the passphrase unlocks locally first: a wrong one sends nothing
        approve=approve,
        offline=False,
        tokens=grant.tokens,
        lock_wait=lock_wait,
    )
    if not psc.is_psc(ref.dir):
        psc.mark_psc(ref.dir)
    return account


class PassphraseWeak(CoreError):
    message = messages.PASSPHRASE_WEAK


async def _open(
    ref: AccountRef,
    password: str,
    *,
    tokens: Tokens | None = None,
    remember: bool,
    http_factory: HttpFactory,
    events: EventBus | None,
    token_store: TokenStore | None,
    previous_password: str | None,
    resume: bool,
    approve: Iterable[Origin],
    offline: bool,
    lock_wait: float = 0.0,
) -> OpenAccount:
    store = token_store or TokenStore.for_account(ref.dir)
    keyring_ok = store.available()
    known = Vault.exists(ref.dir)
    if offline and not known:
        raise NoLocalAccount("offline asked, no local vault")
    # A known account is locked before anything (its remembered refresh token is spent once, its
    # vault re-wrapped, its cache written); a new one only once its vault is about to be created,
    # so that a declined first login still leaves no folder behind.
    lock = await AccountLock.wait_for(ref.dir, lock_wait) if ref.dir.exists() else None
    key: CacheKey | None = None
    http: httpx.AsyncClient | None = None
    auth: ServerAuth | None = None
    session: Session | None = None
    try:
        if (resume or offline) and known:  # checked locally first: nothing leaves the machine
            key = await asyncio.to_thread(Vault(ref.dir).unlock, password)
        policy = await _policy(ref, key, approve)
        if not offline:
            http = http_factory()
            try:
                refresh = store.load() if resume and keyring_ok else None
                try:
                    if tokens is not None:  # obtained already (Pro Santé Connect)
                        auth = ServerAuth(
                            ref.server_url, tokens=tokens, login=ref.login, policy=policy
                        )
                    else:
                        auth = await _authenticate(http, ref, password, refresh, policy)
                except ForeignOrigin:
                    if key is not None or not approvals.recorded(ref.dir):
                        raise
                    # Basic, and the Session lies on another origin: whether it was approved is
                    # kept under the vault's key, so the vault opens first (the same unlock,
                    # earlier).
                    key = await asyncio.to_thread(Vault(ref.dir).unlock, password)
                    policy = await _policy(ref, key, approve)
                    auth = await _authenticate(http, ref, password, refresh, policy)
                # The refresh token just presented is spent (the server rotates them): its
                # successor is kept now, before the cache opens, so that no failure there leaves
                # a spent one behind.
                _keep_refresh(store, remember and keyring_ok, auth.tokens)
            except TlsFailure:
                raise  # never "offline" on a refused secure connection: the user must see it
            except ServerUnreachable:
                await http.aclose()
                http = None
                if not known:
                    raise NoLocalAccount("server unreachable, no local vault") from None
                log.info("server unreachable: opening the account offline")
        online = http is not None
        if key is None and known:  # its recorded approvals open with its key
            key = await _unlock_or_create(ref, password, previous_password, online=online)
            policy = await _policy(ref, key, approve)
        if http is not None:
            assert auth is not None
            session = await _discover(http, auth, policy)
        if key is None:  # a new account: its vault once its Session is accepted
            if lock is None:
                lock = await AccountLock.wait_for(ref.dir, lock_wait)
            key = await _unlock_or_create(ref, password, previous_password, online=online)
        if online and policy.asking:
            await asyncio.to_thread(approvals.save, ref.dir, key, policy.approved)
            log.info("first login: %d other origin(s) approved", len(policy.approved))
        policy = policy.settled()
        if auth is not None:
            auth.policy = policy
        if lock is None:  # the folder appeared after the first look (another opener made it)
            lock = await AccountLock.wait_for(ref.dir, lock_wait)
        cache = await asyncio.to_thread(_open_cache, ref.cache_path, key, events)
    except BaseException:
        if http is not None:
            await http.aclose()
        if key is not None:
            key.wipe()
        if lock is not None:
            lock.release()
        raise

    account = OpenAccount(
        ref=ref,
        cache=cache,
        key=key,
        auth=None,
        http=None,
        online=False,
        policy=policy,
        session=session,
        events=events,
        http_factory=http_factory,
        token_store=store,
        remember=remember and keyring_ok,
        # Never for a PSC account: its passphrase is no server password.
        _password=None if online or psc.is_psc(ref.dir) else password,
        lock=lock,
    )
    if remember and not keyring_ok:
        account.notice_fr = NO_KEYRING_FR
    if not remember and keyring_ok:
        store.delete()  # "remember me" unticked: forget the previous session too
    if http is not None and auth is not None:
        _wire(account, http, auth)
    else:
        account._say_offline(messages.OPENED_OFFLINE if offline else ServerUnreachable.message)
    log.info("account opened (%s)", "online" if online else "offline")
    return account


async def _authenticate(
    http: httpx.AsyncClient,
    ref: AccountRef,
    password: str | None,
    refresh: str | None,
    policy: OriginPolicy,
) -> ServerAuth:
    """A ServerAuth from the remembered refresh token, else the password (token or Basic)."""
    if refresh is not None:
        try:
            tokens = await refresh_grant(http, ref.server_url, refresh)
        except ReauthRequired:
            log.info("remembered session refused: logging in with the password")
        else:
            return ServerAuth(ref.server_url, tokens=tokens, login=ref.login, policy=policy)
    if password is None:
        raise ReauthRequired("no password and no usable refresh token")
    tokens_or_none = await password_grant(http, ref.server_url, ref.login, password)
    if tokens_or_none is None:
        await basic_check(http, ref.server_url, ref.login, password, policy)
        return ServerAuth(ref.server_url, basic=(ref.login, password), policy=policy)
    return ServerAuth(ref.server_url, tokens=tokens_or_none, login=ref.login, policy=policy)


async def _policy(ref: AccountRef, key: CacheKey | None, approve: Iterable[Origin]) -> OriginPolicy:
    """Where this account's credentials may go. Until its first login has passed here (no record
    of approvals, or one that does not open), the login origin and `approve`, and the user is
    asked about any other; afterwards what was recorded then, and nothing more (`approve` is not
    heeded) — the login origin only while the record is still sealed (`key` None)."""
    login = origin_of(ref.server_url)
    recorded = await asyncio.to_thread(approvals.load, ref.dir, key) if key is not None else None
    if recorded is not None:
        return OriginPolicy(login, recorded)
    if key is None and approvals.recorded(ref.dir):
        return OriginPolicy(login)
    return OriginPolicy(login, frozenset(approve), asking=True)


async def _discover(http: httpx.AsyncClient, auth: ServerAuth, policy: OriginPolicy) -> Session:
    """The Session, read and checked at login (a refusal fails the login, in French)."""
    auth.policy = policy
    http.auth = auth
    return await JmapClient(http, auth.server_url + SESSION_PATH, policy).session()


def _wire(account: OpenAccount, http: httpx.AsyncClient, auth: ServerAuth) -> None:
    """Attaches the session: callbacks for new tokens and for a refused session."""
    store = account.token_store

    def on_tokens(tokens: Tokens) -> None:
        _keep_refresh(store, account.remember, tokens)

    def on_reauth() -> None:
        if account.events is not None:
            account.events.publish(ReauthNeeded())

    auth.on_tokens = on_tokens
    auth.on_reauth = on_reauth
    http.auth = auth
    account.http, account.auth, account.online = http, auth, True
    if auth.tokens is not None:
        on_tokens(auth.tokens)


def _keep_refresh(store: TokenStore | None, remember: bool, tokens: Tokens | None) -> None:
    """ "Se souvenir de moi": the newest refresh token in the keyring (each one works once)."""
    if remember and store is not None and tokens is not None and tokens.refresh_token is not None:
        store.save(tokens.refresh_token)


async def _unlock_or_create(
    ref: AccountRef, password: str, previous_password: str | None, *, online: bool
) -> CacheKey:
    paths.private_dir(ref.dir)
    if not Vault.exists(ref.dir):
        _, key = await asyncio.to_thread(Vault.create, ref.dir, password)
        return key
    vault = Vault(ref.dir)
    try:
        return await asyncio.to_thread(vault.unlock, password)
    except WrongPassword:
        if not online:
            raise
    # The server accepted this password but the vault did not: it was changed on the server.
    if previous_password is None:
        raise VaultPasswordMismatch("vault wrapped under another password")
    await asyncio.to_thread(vault.change_password, previous_password, password)
    log.info("vault re-wrapped after a password change on the server")
    return await asyncio.to_thread(vault.unlock, password)


def _open_cache(path: Path, key: CacheKey, events: EventBus | None) -> Cache:
    """Cache.open; a cache unreadable with the vault's own key is rebuilt, unsent work kept."""
    opened = rebuild.open_or_rebuild(path, key)
    _announce(opened, events)
    return opened.cache


def _announce(opened: rebuild.Opened, events: EventBus | None) -> None:
    for notice in opened.notices:
        if events is not None:
            events.publish(CacheRebuilt(notice))


async def change_password(account: OpenAccount, old: str, new: str) -> None:
    """Re-wraps the vault (the cache is not re-encrypted). The server's password is changed
    through the server's own page; this keeps the local side in step."""
    await asyncio.to_thread(Vault(account.ref.dir).change_password, old, new)
