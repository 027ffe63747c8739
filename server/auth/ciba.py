"""The e-CPS push (CIBA, poll mode) for the desktop app, relayed to Pro Santé Connect (issue 15
§1–2). The app gives an RPPS; we ask PSC to push a request to that professional's phone with a
short binding code the app shows, then the app polls our token endpoint and we poll PSC's."""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from server.auth.authorize import (
    CLIENT_ID,
    NOT_CONFIGURED,
    REFUSED,
    UNREACHABLE,
    AuthorizationServer,
    GrantError,
    Identity,
    LoginRefused,
    no_account_for,
)
from server.auth.psc_client import PscError, PscRefused

if TYPE_CHECKING:
    from server.context import Sandbox

log = logging.getLogger("server.auth.psc")

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: read on one screen, compared on another.
_BINDING_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
_DEFAULT_INTERVAL = 5
_RPPS = re.compile(r"8?(\d{11})")

EXPIRED = "La demande e-CPS a expiré : recommencez."
DENIED = "Demande refusée sur l'application e-CPS."
PENDING = "En attente de la validation sur l'application e-CPS."
SLOW_DOWN = "Interrogations trop rapprochées : ralentissez."
UNKNOWN = "Demande e-CPS inconnue."


@dataclass
class Request:
    rpps: str
    psc_auth_req_id: str
    expires_at: float
    interval: int
    last_poll: float = 0.0
    done: bool = False


def binding_code() -> str:
    return "".join(secrets.choice(_BINDING_ALPHABET) for _ in range(4))


class Ciba:
    def __init__(self, sandbox: Sandbox, authz: AuthorizationServer) -> None:
        self._sandbox = sandbox
        self._authz = authz
        self._requests: dict[str, Request] = {}
        self._lock = threading.Lock()
        # What expiry and polling pace are judged by: a test moves it (and the PSC simulé's)
        # forward rather than waiting.
        self.clock: Callable[[], float] = time.time

    async def start(self, base_url: str, login_hint: str) -> dict[str, Any]:
        """POST /auth/ciba. LoginRefused (French) when the RPPS has no account or PSC says no."""
        if not self._authz.configured:
            raise LoginRefused(NOT_CONFIGURED)
        match = _RPPS.fullmatch(login_hint.strip())
        if match is None:
            raise LoginRefused("Saisissez votre numéro RPPS (11 chiffres).")
        rpps = match.group(1)
        if self._sandbox.accounts.by_rpps(rpps) is None:
            raise LoginRefused(no_account_for(rpps))
        code = binding_code()
        try:
            # PSC names a professional by national id: 8 + RPPS.
            answer = await self._authz.psc.ciba_start(base_url, "8" + rpps, code)
        except PscRefused as e:
            log.info("PSC refused a backchannel request: %s", e.error)
            raise LoginRefused(REFUSED) from None
        except PscError as e:
            log.warning("PSC unreachable at the backchannel request: %s", e)
            raise LoginRefused(UNREACHABLE) from None
        expires_in = _positive(answer.get("expires_in"), 120)
        interval = _positive(answer.get("interval"), _DEFAULT_INTERVAL)
        ours = "cr_" + secrets.token_urlsafe(24)
        now = self.clock()
        with self._lock:
            self._requests = {k: r for k, r in self._requests.items() if r.expires_at > now - 600}
            self._requests[ours] = Request(
                rpps, str(answer["auth_req_id"]), now + expires_in, interval
            )
        return {
            "auth_req_id": ours,
            "expires_in": expires_in,
            "interval": interval,
            "binding_message": code,
        }

    async def poll(self, base_url: str, auth_req_id: str, client_id: str | None) -> dict[str, Any]:
        """grant_type=urn:openid:params:grant-type:ciba: our token answer once the professional
        confirmed on the phone; GrantError (pending, slow_down, expired, denied) otherwise."""
        if client_id != CLIENT_ID:
            raise GrantError("invalid_client", "Client inconnu.")
        now = self.clock()
        with self._lock:
            request = self._requests.get(auth_req_id)
            if request is None or request.done:
                raise GrantError("invalid_grant", UNKNOWN)
            if request.expires_at < now:
                request.done = True
                raise GrantError("expired_token", EXPIRED)
            if now - request.last_poll < request.interval * 0.8:
                request.last_poll = now
                raise GrantError("slow_down", SLOW_DOWN)
            request.last_poll = now
        try:
            tokens = await self._authz.psc.ciba_poll(base_url, request.psc_auth_req_id)
        except PscRefused as e:
            if e.error in ("authorization_pending", "slow_down"):
                if e.error == "slow_down":
                    request.interval += 5
                raise GrantError(
                    e.error, PENDING if e.error != "slow_down" else SLOW_DOWN
                ) from None
            request.done = True
            if e.error == "expired_token":
                raise GrantError("expired_token", EXPIRED) from None
            raise GrantError("access_denied", DENIED) from None
        except PscError as e:
            log.warning("PSC unreachable while polling: %s", e)
            raise GrantError("temporarily_unavailable", UNREACHABLE) from None
        request.done = True
        try:
            identity = await self._authz.identify(
                base_url, tokens, None, expected_rpps=request.rpps
            )
        except LoginRefused as e:
            raise GrantError("access_denied", e.message) from None
        # A database write and an RSA signature: off the event loop.
        return await run_in_threadpool(self._complete, base_url, identity)

    def _complete(self, base_url: str, identity: Identity) -> dict[str, Any]:
        issued = self._sandbox.tokens.issue(identity.account.id)
        self._authz.sessions.save(
            issued.family,
            identity.account.id,
            identity.psc.access_token,
            identity.psc.refresh_token,
            identity.acr,
        )
        log.info("e-CPS login of account %s", identity.account.id)
        return self._authz.answer(base_url, issued, identity, None)


def _positive(value: object, default: int) -> int:
    return value if isinstance(value, int) and value > 0 else default
