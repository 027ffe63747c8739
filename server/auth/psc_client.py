"""The relying-party leg towards Pro Santé Connect (issue 15 §2): this server is PSC's
confidential client; the desktop app never talks to PSC.

PSC's endpoints come from its discovery document (a non-standard path; the authorize endpoint on
another host than the issuer), fetched with httpx and cached. Every call to PSC authenticates with
client_secret_basic. Nothing here logs a token or the secret.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from server.config import ServerConfig

log = logging.getLogger("server.auth.psc")

SCOPE = "openid scope_all"
ACR_VALUES = "eidas1"
_DISCOVERY_TTL = 3600.0
_TIMEOUT = 10.0
# Clock skew accepted on PSC's exp/iat (seconds).
_LEEWAY = 30


class PscError(Exception):
    """PSC could not be reached or answered something unusable (not a refusal)."""


class PscRefused(Exception):
    """PSC said no (an OAuth error): `error` is its code."""

    def __init__(self, error: str, description: str = "") -> None:
        super().__init__(error)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class PscTokens:
    access_token: str
    refresh_token: str | None
    id_token: str | None

    def __repr__(self) -> str:  # never printed, even by accident
        return "PscTokens(…)"


def acr_level(acr: object) -> int:
    """eidas1 → 1, eidas3 → 3; anything else (eidas0, missing, unknown) → 0."""
    if isinstance(acr, str) and acr.startswith("eidas") and acr[5:].isdigit():
        return int(acr[5:])
    return 0


class PscClient:
    def __init__(self, config: ServerConfig) -> None:
        self._config = config
        self._discovery: dict[str, Any] | None = None
        self._discovery_at = 0.0
        self._jwks: jwt.PyJWKSet | None = None
        self._lock = asyncio.Lock()

    @property
    def client_id(self) -> str:
        return self._config.psc_client_id

    def _auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self._config.psc_client_id, self._config.psc_client_secret)

    async def discovery(self, base_url: str) -> dict[str, Any]:
        """PSC's discovery document, cached an hour. `base_url`: this server's, for a
        discovery URL given as a path on its own origin (a PSC simulé it serves)."""
        if self._discovery is not None and time.monotonic() - self._discovery_at < _DISCOVERY_TTL:
            return self._discovery
        url = self._config.psc_discovery_url or ""
        if url.startswith("/"):
            url = base_url.rstrip("/") + url
        try:
            async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
                r = await client.get(url)
            r.raise_for_status()
            doc = r.json()
        except (httpx.HTTPError, ValueError) as e:
            raise PscError(f"discovery document: {type(e).__name__}") from None
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(doc, dict) or not all(isinstance(doc.get(k), str) for k in needed):
            raise PscError("discovery document: missing endpoints")
        self._discovery, self._discovery_at = doc, time.monotonic()
        return doc

    async def authorize_url(
        self, base_url: str, redirect_uri: str, state: str, nonce: str, challenge: str
    ) -> str:
        doc = await self.discovery(base_url)
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPE,
            "acr_values": ACR_VALUES,
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        endpoint = str(doc["authorization_endpoint"])
        return endpoint + ("&" if "?" in endpoint else "?") + urlencode(query)

    async def _token_call(self, base_url: str, form: dict[str, str]) -> PscTokens:
        doc = await self.discovery(base_url)
        try:
            async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
                r = await client.post(str(doc["token_endpoint"]), data=form, auth=self._auth())
            body = r.json()
        except (httpx.HTTPError, ValueError) as e:
            raise PscError(f"token endpoint: {type(e).__name__}") from None
        if not isinstance(body, dict):
            raise PscError("token endpoint: not a JSON object")
        if r.status_code != 200 or "error" in body:
            raise PscRefused(
                str(body.get("error", "server_error")), str(body.get("error_description", ""))
            )
        access = body.get("access_token")
        if not isinstance(access, str):
            raise PscError("token endpoint: no access token")
        refresh = body.get("refresh_token")
        id_token = body.get("id_token")
        return PscTokens(
            access,
            refresh if isinstance(refresh, str) else None,
            id_token if isinstance(id_token, str) else None,
        )

    async def exchange_code(
        self, base_url: str, code: str, verifier: str, redirect_uri: str
    ) -> PscTokens:
        return await self._token_call(
            base_url,
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
        )

    async def refresh(self, base_url: str, refresh_token: str) -> PscTokens:
        return await self._token_call(
            base_url, {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )

    async def ciba_poll(self, base_url: str, auth_req_id: str) -> PscTokens:
        return await self._token_call(
            base_url,
            {"grant_type": "urn:openid:params:grant-type:ciba", "auth_req_id": auth_req_id},
        )

    async def ciba_start(
        self, base_url: str, login_hint: str, binding_message: str
    ) -> dict[str, Any]:
        """PSC's answer to a backchannel authentication request: auth_req_id, expires_in,
        interval. PscRefused when PSC says no (unknown user, no e-CPS…)."""
        doc = await self.discovery(base_url)
        endpoint = doc.get("backchannel_authentication_endpoint")
        if not isinstance(endpoint, str):
            raise PscError("no backchannel_authentication_endpoint")
        form = {
            "login_hint": login_hint,
            "binding_message": binding_message,
            "scope": SCOPE,
            "acr_values": ACR_VALUES,
        }
        try:
            async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
                r = await client.post(endpoint, data=form, auth=self._auth())
            body = r.json()
        except (httpx.HTTPError, ValueError) as e:
            raise PscError(f"backchannel endpoint: {type(e).__name__}") from None
        if not isinstance(body, dict):
            raise PscError("backchannel endpoint: not a JSON object")
        if r.status_code != 200 or not isinstance(body.get("auth_req_id"), str):
            raise PscRefused(
                str(body.get("error", "server_error")), str(body.get("error_description", ""))
            )
        return body

    async def _keys(self, base_url: str, refresh: bool = False) -> jwt.PyJWKSet:
        async with self._lock:
            if self._jwks is None or refresh:
                doc = await self.discovery(base_url)
                try:
                    async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
                        r = await client.get(str(doc["jwks_uri"]))
                    r.raise_for_status()
                    self._jwks = jwt.PyJWKSet.from_dict(r.json())
                except (httpx.HTTPError, ValueError, jwt.PyJWTError) as e:
                    raise PscError(f"jwks: {type(e).__name__}") from None
            return self._jwks

    async def _verify(
        self, base_url: str, token: str, *, audience: str | None, require: list[str]
    ) -> dict[str, Any]:
        """A JWS from PSC: RS256, signed by a key of its jwks (fetched again once for an
        unknown kid), from its issuer."""
        doc = await self.discovery(base_url)
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise PscRefused("invalid_token", "malformed JWT") from None
        keys = await self._keys(base_url)
        if not any(k.key_id == kid for k in keys.keys):
            keys = await self._keys(base_url, refresh=True)
        matching = [k for k in keys.keys if k.key_id == kid or kid is None]
        if not matching:
            raise PscRefused("invalid_token", "unknown signing key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                matching[0].key,
                algorithms=["RS256"],
                issuer=str(doc["issuer"]),
                audience=audience,
                leeway=_LEEWAY,
                options={"require": require, "verify_aud": audience is not None},
            )
        except jwt.PyJWTError as e:
            raise PscRefused("invalid_token", type(e).__name__) from None
        return claims

    async def verify_id_token(
        self, base_url: str, id_token: str, nonce: str | None
    ) -> dict[str, Any]:
        """PSC's ID token checked: signature, iss, aud (our client id), exp, and the nonce we
        sent (none in CIBA)."""
        claims = await self._verify(
            base_url, id_token, audience=self.client_id, require=["exp", "iat", "sub"]
        )
        if nonce is not None and claims.get("nonce") != nonce:
            raise PscRefused("invalid_token", "nonce mismatch")
        return claims

    async def userinfo(self, base_url: str, access_token: str) -> dict[str, Any]:
        """Userinfo, as JSON or as a JWT signed by PSC (application/jwt)."""
        doc = await self.discovery(base_url)
        endpoint = doc.get("userinfo_endpoint")
        if not isinstance(endpoint, str):
            raise PscError("no userinfo_endpoint")
        try:
            async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
                r = await client.get(endpoint, headers={"Authorization": f"Bearer {access_token}"})
        except httpx.HTTPError as e:
            raise PscError(f"userinfo: {type(e).__name__}") from None
        if r.status_code != 200:
            raise PscRefused("invalid_token", f"userinfo {r.status_code}")
        if r.headers.get("content-type", "").split(";")[0].strip() == "application/jwt":
            token = r.text.strip()
            try:
                aud = jwt.decode(token, options={"verify_signature": False}).get("aud")
            except jwt.PyJWTError:
                raise PscRefused("invalid_token", "malformed userinfo JWT") from None
            return await self._verify(
                base_url, token, audience=self.client_id if aud else None, require=["sub"]
            )
        try:
            body = r.json()
        except ValueError:
            raise PscError("userinfo: not JSON") from None
        if not isinstance(body, dict):
            raise PscError("userinfo: not a JSON object")
        return body
