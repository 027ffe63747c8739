"""This server as the authorization server of the desktop app (issue 15 §2, contract A), with
Pro Santé Connect behind it.

The app (a public native client, RFC 8252) comes to /auth/authorize with PKCE S256, a loopback
redirect, its state and nonce; we start our own leg with PSC (our own state, nonce and PKCE), and
when PSC comes back we check who it is (ID token, acr, userinfo, the account by SubjectNameID),
keep PSC's tokens here and give the app a one-time code (60 s, bound to its client_id,
redirect_uri and code_challenge). Exchanged at the token endpoint, the code gives our usual
tokens plus an ID token of ours. Pending logins and codes live in memory: they last minutes, and a
restart only makes the user start again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from server.accounts import Account
from server.auth.jwks import SigningKey
from server.auth.psc_client import PscClient, PscError, PscRefused, PscTokens, acr_level
from server.auth.psc_sessions import PscSessions
from server.auth.tokens import IssuedTokens
from server.urls import AUTH_PSC_CALLBACK_PATH

if TYPE_CHECKING:
    from server.context import Sandbox

log = logging.getLogger("server.auth.psc")

CLIENT_ID = "monsisra-bureau"
CODE_LIFETIME = 60.0
PENDING_LIFETIME = 600.0
ID_TOKEN_LIFETIME = 300
# PSC's access tokens last about 120 s: older than this, ours refreshes them before use.
PSC_REFRESH_AFTER = 100.0

TOO_WEAK = "Authentification trop faible : Pro Santé Connect exige une carte CPS ou l'e-CPS."
REFUSED = "Connexion refusée par Pro Santé Connect."
EXPIRED_CARD = "Votre carte CPS a expiré."
UNREACHABLE = "Pro Santé Connect est injoignable pour le moment : réessayez dans quelques minutes."
NOT_CONFIGURED = "La connexion par Pro Santé Connect n'est pas proposée par ce serveur."
SESSION_ENDED = "Votre session Pro Santé Connect a pris fin : reconnectez-vous."


def no_account_for(rpps: str) -> str:
    return (
        f"Aucun compte MonSisra n'est rattaché à votre carte (RPPS {rpps}). Créez votre "
        "compte ou contactez le support."
    )


class LoginRefused(Exception):
    """The login cannot go on; `message` is French, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GrantError(Exception):
    """An OAuth error of the token endpoint (400), its description in French."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(error)
        self.error = error
        self.description = description


def redirect_uri_allowed(uri: str) -> bool:
    """RFC 8252 §7.3: a loopback IP literal over http, any port, any path; never `localhost`,
    another host, https, userinfo or a fragment."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme != "http" or parts.fragment or "#" in uri or parts.username or port is None:
        return False
    host = parts.hostname or ""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip in (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, challenge_of(verifier)


@dataclass
class Pending:
    """An app's authorize request while the user is at PSC."""

    redirect_uri: str
    app_state: str
    app_nonce: str
    app_challenge: str
    psc_nonce: str
    psc_verifier: str
    expires_at: float


@dataclass
class Identity:
    """Who PSC vouched for, and PSC's tokens (kept server-side)."""

    account: Account
    acr: str
    auth_time: int
    practices: list[dict[str, str]]
    psc: PscTokens


@dataclass
class Code:
    identity: Identity
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    expires_at: float
    used: bool = False
    family: str | None = None  # the session issued from it (revoked on a replay)
    lock: threading.Lock = field(default_factory=threading.Lock)


class AuthorizationServer:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self.psc = PscClient(sandbox.config)
        self.keys = SigningKey(sandbox.config.data_dir)
        self.sessions = PscSessions(sandbox.db)
        self._pending: dict[str, Pending] = {}
        self._codes: dict[str, Code] = {}
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        return self._sandbox.config.psc_configured

    # -- /auth/authorize ---------------------------------------------------------------------

    async def start(
        self, base_url: str, redirect_uri: str, app_state: str, app_nonce: str, challenge: str
    ) -> str:
        """The URL of PSC's authorize endpoint for this app request (LoginRefused otherwise)."""
        if not self.configured:
            raise LoginRefused(NOT_CONFIGURED)
        psc_state = secrets.token_urlsafe(24)
        psc_nonce = secrets.token_urlsafe(24)
        verifier, psc_challenge = _pkce_pair()
        try:
            url = await self.psc.authorize_url(
                base_url, _callback(base_url), psc_state, psc_nonce, psc_challenge
            )
        except PscError as e:
            log.warning("PSC unreachable at authorize: %s", e)
            raise LoginRefused(UNREACHABLE) from None
        now = time.time()
        with self._lock:
            self._pending = {k: p for k, p in self._pending.items() if p.expires_at > now}
            self._pending[psc_state] = Pending(
                redirect_uri,
                app_state,
                app_nonce,
                challenge,
                psc_nonce,
                verifier,
                now + PENDING_LIFETIME,
            )
        return url

    def take_pending(self, psc_state: str) -> Pending | None:
        """The pending request PSC's state names, once (None: unknown, used or expired)."""
        with self._lock:
            pending = self._pending.pop(psc_state, None)
        if pending is None or pending.expires_at < time.time():
            return None
        return pending

    # -- /auth/psc/callback ------------------------------------------------------------------

    async def finish(self, base_url: str, pending: Pending, psc_code: str) -> str:
        """PSC's code → our one-time code for the app (LoginRefused with a French reason)."""
        try:
            tokens = await self.psc.exchange_code(
                base_url, psc_code, pending.psc_verifier, _callback(base_url)
            )
        except PscRefused as e:
            log.info("PSC refused the code exchange: %s", e.error)
            raise LoginRefused(REFUSED) from None
        except PscError as e:
            log.warning("PSC unreachable at the code exchange: %s", e)
            raise LoginRefused(UNREACHABLE) from None
        identity = await self.identify(base_url, tokens, pending.psc_nonce, expected_rpps=None)
        code = "ac_" + secrets.token_urlsafe(32)
        with self._lock:
            now = time.time()
            self._codes = {
                k: c for k, c in self._codes.items() if c.expires_at > now - PENDING_LIFETIME
            }
            self._codes[_digest(code)] = Code(
                identity,
                CLIENT_ID,
                pending.redirect_uri,
                pending.app_challenge,
                pending.app_nonce,
                now + CODE_LIFETIME,
            )
        return code

    async def identify(
        self, base_url: str, tokens: PscTokens, nonce: str | None, expected_rpps: str | None
    ) -> Identity:
        """PSC's ID token and userinfo checked; the sandbox account of that SubjectNameID
        (never `sub`). LoginRefused otherwise."""
        if tokens.id_token is None:
            log.warning("PSC answered without an ID token")
            raise LoginRefused(REFUSED)
        try:
            claims = await self.psc.verify_id_token(base_url, tokens.id_token, nonce)
            if acr_level(claims.get("acr")) < 1:
                log.info("PSC login refused: acr too low")
                raise LoginRefused(TOO_WEAK)
            info = await self.psc.userinfo(base_url, tokens.access_token)
        except PscRefused as e:
            log.warning("PSC's answer did not verify: %s (%s)", e.error, e.description)
            raise LoginRefused(REFUSED) from None
        except PscError as e:
            log.warning("PSC unreachable while identifying: %s", e)
            raise LoginRefused(UNREACHABLE) from None
        if info.get("sub") != claims.get("sub"):
            log.warning("PSC userinfo's sub differs from its ID token's")
            raise LoginRefused(REFUSED)
        national_id = str(info.get("SubjectNameID") or claims.get("SubjectNameID") or "")
        rpps = national_id[1:] if national_id.startswith("8") else ""
        if not rpps or (expected_rpps is not None and rpps != expected_rpps):
            log.warning("PSC login without a usable SubjectNameID")
            raise LoginRefused(REFUSED)
        account = self._sandbox.accounts.by_rpps(rpps)
        if account is None or not account.active:
            log.info("PSC login for an RPPS without an account")
            raise LoginRefused(no_account_for(rpps))
        auth_time = claims.get("auth_time")
        return Identity(
            account,
            str(claims["acr"]),
            auth_time if isinstance(auth_time, int) else int(time.time()),
            practices(info.get("SubjectRefPro"), account),
            tokens,
        )

    # -- the token endpoint ------------------------------------------------------------------

    def redeem(
        self, base_url: str, code: str, redirect_uri: str, client_id: str, verifier: str | None
    ) -> dict[str, Any]:
        """grant_type=authorization_code. A replayed code revokes what it gave (RFC 6749
        §4.1.2). GrantError otherwise."""
        if not verifier:
            raise GrantError("invalid_request", "code_verifier est requis (PKCE).")
        with self._lock:
            entry = self._codes.get(_digest(code))
        if entry is None:
            raise GrantError("invalid_grant", "Code inconnu ou expiré.")
        with entry.lock:
            if entry.used:
                if entry.family is not None:
                    self.end_session(entry.family)
                    log.warning(
                        "authorization code replayed for account %s: its session revoked",
                        entry.identity.account.id,
                    )
                raise GrantError("invalid_grant", "Ce code a déjà été utilisé.")
            entry.used = True
            if entry.expires_at < time.time():
                raise GrantError("invalid_grant", "Code expiré : recommencez la connexion.")
            if client_id != entry.client_id or redirect_uri != entry.redirect_uri:
                raise GrantError("invalid_grant", "Ce code a été émis pour un autre client.")
            if not hmac.compare_digest(challenge_of(verifier), entry.challenge):
                raise GrantError("invalid_grant", "Vérificateur PKCE incorrect.")
            identity = entry.identity
            issued = self._sandbox.tokens.issue(identity.account.id)
            entry.family = issued.family
        self.sessions.save(
            issued.family,
            identity.account.id,
            identity.psc.access_token,
            identity.psc.refresh_token,
            identity.acr,
        )
        log.info("PSC login of account %s", identity.account.id)
        return self.answer(base_url, issued, identity, entry.nonce)

    def answer(
        self, base_url: str, issued: IssuedTokens, identity: Identity, nonce: str | None
    ) -> dict[str, Any]:
        """The token endpoint's answer after a PSC login: our tokens, our ID token, the login
        and the practices. Nothing of PSC's."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer(base_url),
            "aud": CLIENT_ID,
            "sub": identity.account.login,
            "iat": now,
            "exp": now + ID_TOKEN_LIFETIME,
            "auth_time": identity.auth_time,
            "acr": identity.acr,
            "amr": ["psc"],
        }
        if nonce is not None:
            claims["nonce"] = nonce
        return {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "refresh_token": issued.refresh_token,
            "id_token": self.keys.sign(claims),
            "login": identity.account.login,
            "practices": identity.practices,
        }

    async def before_refresh(self, base_url: str, refresh_token: str) -> None:
        """Our refresh grant on a PSC session refreshes PSC's tokens first when they are old;
        PSC refusing ends our session (GrantError with the French reason)."""
        family = self._sandbox.tokens.family_of(refresh_token)
        session = self.sessions.get(family) if family else None
        if session is None or time.time() - session.obtained_at < PSC_REFRESH_AFTER:
            return
        if session.refresh_token is None:
            self.end_session(session.family)
            raise GrantError("invalid_grant", SESSION_ENDED)
        try:
            tokens = await self.psc.refresh(base_url, session.refresh_token)
        except PscRefused as e:
            log.info(
                "PSC refused to refresh (%s): session of account %s ended",
                e.error,
                session.account_id,
            )
            self.end_session(session.family)
            raise GrantError("invalid_grant", SESSION_ENDED) from None
        except PscError as e:
            log.warning("PSC unreachable at refresh: %s", e)
            raise GrantError("temporarily_unavailable", UNREACHABLE) from None
        self.sessions.update(session.family, tokens.access_token, tokens.refresh_token)

    def end_session(self, family: str) -> None:
        self._sandbox.tokens.revoke_family(family)
        self.sessions.delete(family)

    def forget(self, token: str) -> None:
        """At revocation: PSC's tokens of that session go too."""
        family = self._sandbox.tokens.family_of(token)
        if family:
            self.sessions.delete(family)


def practices(ref_pro: object, account: Account) -> list[dict[str, str]]:
    """One practice per activity of SubjectRefPro: « raison sociale — commune ». The address to
    send from is the account's own for each (the sandbox has one mailbox per account)."""
    found: list[dict[str, str]] = []
    exercices = ref_pro.get("exercices") if isinstance(ref_pro, dict) else None
    for exercice in exercices if isinstance(exercices, list) else []:
        activities = exercice.get("activities") if isinstance(exercice, dict) else None
        for activity in activities if isinstance(activities, list) else []:
            if not isinstance(activity, dict):
                continue
            name = str(activity.get("raisonSocialeSite") or "").strip()
            town = str(activity.get("communeSite") or "").strip()
            label = " — ".join(p for p in (name, town) if p) or "Exercice"
            ident = str(activity.get("identifiantStructure") or f"p{len(found) + 1}")
            found.append({"id": ident, "label": label, "email": account.email})
    if not found:
        found.append({"id": "p1", "label": account.display_name, "email": account.email})
    return found


def issuer(base_url: str) -> str:
    return base_url.rstrip("/")


def _callback(base_url: str) -> str:
    return issuer(base_url) + AUTH_PSC_CALLBACK_PATH


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
