"""The simulé's protocol state, in memory (a restart forgets every code, token and push): its RSA
key, authorization requests waiting on the card page, codes, sessions with their tokens, CIBA
requests waiting on the phone page, and what it signs (ID tokens, userinfo as a JWT).

Lifetimes as PSC's: access token 120 s, refresh token 30 min (rotated at each use), code 60 s,
e-CPS push 120 s. `clock` is the time every expiry is judged by: a test moves it forward rather
than waiting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from server.psc_simule.professionals import Professional

if TYPE_CHECKING:
    from server.config import ServerConfig

ACCESS_LIFETIME = 120
REFRESH_LIFETIME = 30 * 60
CODE_LIFETIME = 60
REQUEST_LIFETIME = 10 * 60  # the card page left open
CIBA_LIFETIME = 120
CIBA_INTERVAL = 3
ACR_CARD = "eidas1"  # CPS card and e-CPS both give eidas1
ACR_WEAK = "eidas0"
ACR_VALUES = ("eidas1", "eidas2", "eidas3")


class ProtocolError(Exception):
    """An OAuth error answer: `error` code and an ASCII description for the client developer."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status


@dataclass
class AuthRequest:
    """A valid authorize request, waiting for the card page's answer."""

    client_id: str
    redirect_uri: str
    state: str | None
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    scope: str
    expires: float


@dataclass
class Grant:
    """Who authenticated, how, for which client: what a code, a confirmed push or a session
    carries."""

    client_id: str
    professional: Professional
    acr: str
    auth_time: float
    nonce: str | None
    scope: str


@dataclass
class Code:
    grant: Grant
    redirect_uri: str
    code_challenge: str | None
    code_challenge_method: str | None
    expires: float


@dataclass
class Session:
    id: str
    grant: Grant
    access_token: str
    access_expires: float
    refresh_token: str
    refresh_expires: float


@dataclass
class Push:
    """A CIBA request: an e-CPS push waiting on the phone page."""

    id: str
    client_id: str
    professional: Professional
    binding_message: str
    scope: str
    created: float
    expires: float
    status: str = "pending"  # "pending", "approved", "denied", "done"
    last_poll: float = 0.0
    session: Session | None = field(default=None, repr=False)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_matches(verifier: str, challenge: str, method: str | None) -> bool:
    if method == "S256":
        computed = _b64(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
    else:  # "plain", as RFC 7636 allows (and PSC with it)
        computed = verifier
    return hmac.compare_digest(computed, challenge)


class PscSimule:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.clock: Callable[[], float] = time.time
        self._lock = threading.Lock()
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        self.public_key = self._key.public_key()
        self.kid = _b64(hashlib.sha256(f"{jwk['e']}{jwk['n']}".encode()).digest())[:16]
        self.jwk = {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}
        self.requests: dict[str, AuthRequest] = {}
        self.codes: dict[str, Code] = {}
        self.sessions: dict[str, Session] = {}
        self.pushes: dict[str, Push] = {}

    # ---- clients --------------------------------------------------------------------------

    def client_ok(self, client_id: str | None, secret: str | None) -> bool:
        """The relying party's credentials, as the sandbox's configuration gives them."""
        expected_id, expected_secret = self.config.psc_client_id, self.config.psc_client_secret
        if not expected_id or not expected_secret or client_id != expected_id or secret is None:
            return False
        return hmac.compare_digest(secret.encode(), expected_secret.encode())

    def known_client(self, client_id: str | None) -> bool:
        return bool(client_id) and client_id == self.config.psc_client_id

    # ---- the card page ---------------------------------------------------------------------

    def add_request(self, request: AuthRequest) -> str:
        request_id = secrets.token_urlsafe(16)
        with self._lock:
            self._forget_expired()
            self.requests[request_id] = request
        return request_id

    def take_request(self, request_id: str) -> AuthRequest | None:
        with self._lock:
            request = self.requests.pop(request_id, None)
        if request is None or request.expires < self.clock():
            return None
        return request

    def peek_request(self, request_id: str) -> AuthRequest | None:
        with self._lock:
            request = self.requests.get(request_id)
        if request is None or request.expires < self.clock():
            return None
        return request

    def issue_code(self, request: AuthRequest, professional: Professional, acr: str) -> str:
        now = self.clock()
        grant = Grant(request.client_id, professional, acr, now, request.nonce, request.scope)
        code = secrets.token_urlsafe(32)
        with self._lock:
            self.codes[code] = Code(
                grant,
                request.redirect_uri,
                request.code_challenge,
                request.code_challenge_method,
                now + CODE_LIFETIME,
            )
        return code

    # ---- the token endpoint ----------------------------------------------------------------

    def redeem_code(
        self, client_id: str, code: str, redirect_uri: str | None, verifier: str | None
    ) -> Session:
        with self._lock:
            found = self.codes.pop(code, None)  # one use, whatever the outcome
        if found is None or found.expires < self.clock():
            raise ProtocolError("invalid_grant", "Code not valid")
        if found.grant.client_id != client_id:
            raise ProtocolError("invalid_grant", "Code issued to another client")
        if redirect_uri != found.redirect_uri:
            raise ProtocolError("invalid_grant", "Incorrect redirect_uri")
        if found.code_challenge is not None:
            if not verifier:
                raise ProtocolError("invalid_grant", "PKCE code verifier not specified")
            if not pkce_matches(verifier, found.code_challenge, found.code_challenge_method):
                raise ProtocolError("invalid_grant", "PKCE verification failed")
        return self._open_session(found.grant)

    def refresh(self, client_id: str, refresh_token: str) -> Session:
        now = self.clock()
        with self._lock:
            session = next(
                (s for s in self.sessions.values() if s.refresh_token == refresh_token), None
            )
            if session is None or session.refresh_expires < now:
                raise ProtocolError("invalid_grant", "Session not active")
            if session.grant.client_id != client_id:
                raise ProtocolError("invalid_grant", "Token issued to another client")
            session.access_token = secrets.token_urlsafe(32)
            session.access_expires = now + ACCESS_LIFETIME
            session.refresh_token = secrets.token_urlsafe(48)
            session.refresh_expires = now + REFRESH_LIFETIME
        return session

    def _open_session(self, grant: Grant) -> Session:
        now = self.clock()
        session = Session(
            id=secrets.token_urlsafe(16),
            grant=grant,
            access_token=secrets.token_urlsafe(32),
            access_expires=now + ACCESS_LIFETIME,
            refresh_token=secrets.token_urlsafe(48),
            refresh_expires=now + REFRESH_LIFETIME,
        )
        with self._lock:
            self.sessions[session.id] = session
        return session

    def end_session(self, session_id: str) -> bool:
        with self._lock:
            return self.sessions.pop(session_id, None) is not None

    def revoke(self, rpps: str) -> int:
        """Ends every session of that professional (the test hook): their next refresh fails,
        their access tokens no longer read userinfo. How many ended."""
        with self._lock:
            ended = [k for k, s in self.sessions.items() if s.grant.professional.rpps == rpps]
            for key in ended:
                del self.sessions[key]
        return len(ended)

    def by_access_token(self, token: str) -> Session | None:
        now = self.clock()
        with self._lock:
            for session in self.sessions.values():
                if hmac.compare_digest(session.access_token, token):
                    return session if session.access_expires >= now else None
        return None

    # ---- CIBA ------------------------------------------------------------------------------

    def start_push(
        self, client_id: str, professional: Professional, binding_message: str, scope: str
    ) -> Push:
        now = self.clock()
        push = Push(
            id=secrets.token_urlsafe(24),
            client_id=client_id,
            professional=professional,
            binding_message=binding_message,
            scope=scope,
            created=now,
            expires=now + CIBA_LIFETIME,
        )
        with self._lock:
            self._forget_expired()
            self.pushes[push.id] = push
        return push

    def pending_pushes(self) -> list[Push]:
        now = self.clock()
        with self._lock:
            pending = [p for p in self.pushes.values() if p.status == "pending"]
        return sorted((p for p in pending if p.expires >= now), key=lambda p: p.created)

    def answer_push(self, push_id: str, approve: bool) -> bool:
        """The phone's « Valider » / « Refuser »; False when that push is no longer waiting."""
        with self._lock:
            push = self.pushes.get(push_id)
            if push is None or push.status != "pending" or push.expires < self.clock():
                return False
            push.status = "approved" if approve else "denied"
        return True

    def poll_push(self, client_id: str, push_id: str) -> Session:
        now = self.clock()
        with self._lock:
            push = self.pushes.get(push_id)
            if push is None or push.client_id != client_id or push.status == "done":
                raise ProtocolError("invalid_grant", "Invalid auth_req_id")
            if push.status == "denied":
                push.status = "done"
                raise ProtocolError("access_denied", "The end-user denied the authorization")
            if push.expires < now:
                push.status = "done"
                raise ProtocolError("expired_token", "The auth_req_id has expired")
            if push.status == "pending":
                too_soon = now - push.last_poll < CIBA_INTERVAL
                push.last_poll = now
                if too_soon:
                    raise ProtocolError("slow_down", "Polling too fast")
                raise ProtocolError("authorization_pending", "The authorization is pending")
            push.status = "done"
        grant = Grant(client_id, push.professional, ACR_CARD, now, None, push.scope)
        return self._open_session(grant)

    # ---- what is signed --------------------------------------------------------------------

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})

    def id_token(self, session: Session, issuer: str) -> str:
        grant = session.grant
        now = int(self.clock())
        claims: dict[str, Any] = {
            "iss": issuer,
            "aud": grant.client_id,
            "azp": grant.client_id,
            "sub": grant.professional.sub,
            "iat": now,
            "exp": now + ACCESS_LIFETIME,
            "auth_time": int(grant.auth_time),
            "acr": grant.acr,
            "sid": session.id,
            **grant.professional.claims(),
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        return self.sign(claims)

    def userinfo(self, session: Session) -> dict[str, Any]:
        grant = session.grant
        return {"sub": grant.professional.sub, "acr": grant.acr, **grant.professional.claims()}

    def _forget_expired(self) -> None:
        """Drops what can no longer be used (called with the lock held)."""
        now = self.clock()
        for table in (self.requests, self.codes):
            for key in [k for k, v in table.items() if v.expires < now]:
                del table[key]
        for key in [k for k, p in self.pushes.items() if p.expires < now - 3600]:
            del self.pushes[key]
        for key in [k for k, s in self.sessions.items() if s.refresh_expires < now]:
            del self.sessions[key]
