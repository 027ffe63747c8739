"""A tiny OpenID provider standing for Pro Santé Connect in the sandbox's own tests (issue 15):
discovery at PSC's non-standard path, authorize on `localhost` (another host than its issuer on
127.0.0.1), token (code + PKCE, refresh, CIBA) with client_secret_basic, userinfo as JSON or as a
signed JWT, jwks and a backchannel endpoint. No page: its authorize answers at once for the
professional `knobs.rpps` (the test plays the user by setting knobs).

Its tokens carry recognisable markers (PSC-AT-, PSC-RT-…) so tests can look for them in logs and
answers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from server.testing import AppThread

DISCOVERY_PATH = "/auth/realms/esante-wallet/.well-known/wallet-openid-configuration"
CLIENT_ID = "monsisra-sandbox"
CLIENT_SECRET = "PSC-SECRET-" + "x7Qw9vLp2"


@dataclass
class Knobs:
    """What the fake user and the fake PSC do next."""

    rpps: str = "10003456789"
    acr: str = "eidas1"
    refuse: bool = False  # the user cancels at PSC
    expired_card: bool = False
    userinfo_jwt: bool = False
    refuse_refresh: bool = False
    ciba: str = "pending"  # pending | confirmed | refused | expired
    activities: list[dict[str, str]] = field(
        default_factory=lambda: [
            {
                "raisonSocialeSite": "Cabinet médical du Parc",
                "communeSite": "Lyon 3e",
                "identifiantStructure": "S1",
            },
            {
                "raisonSocialeSite": "Clinique du Val",
                "communeSite": "Villeurbanne",
                "identifiantStructure": "S2",
            },
        ]
    )


class FakePsc:
    def __init__(self) -> None:
        self.knobs = Knobs()
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = "psc-key-1"
        self.codes: dict[str, dict[str, Any]] = {}
        self.access: dict[str, str] = {}  # access token → rpps
        self.refresh: dict[str, str] = {}
        self.ciba_requests: dict[str, dict[str, Any]] = {}
        self.token_calls: list[dict[str, str]] = []
        self.last_authorize: dict[str, str] = {}
        self.app = self._build()
        self.thread = AppThread(self.app, name="fake-psc")
        self.port = self.thread.port
        self.issuer = f"http://127.0.0.1:{self.port}/auth/realms/esante-wallet"
        self.discovery_url = f"http://127.0.0.1:{self.port}{DISCOVERY_PATH}"

    def __enter__(self) -> FakePsc:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.thread.stop()

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})

    def _tokens(self, rpps: str, nonce: str | None) -> dict[str, Any]:
        access = "PSC-AT-" + secrets.token_urlsafe(16)
        refresh = "PSC-RT-" + secrets.token_urlsafe(16)
        self.access[access] = rpps
        self.refresh[refresh] = rpps
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "opaque-" + hashlib.sha256(rpps.encode()).hexdigest()[:12],
            "iat": now,
            "exp": now + 120,
            "auth_time": now,
            "acr": self.knobs.acr,
            "SubjectNameID": "8" + rpps,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        return {
            "access_token": access,
            "refresh_token": refresh,
            "id_token": self.sign(claims),
            "token_type": "Bearer",
            "expires_in": 120,
        }

    def _userinfo_claims(self, rpps: str) -> dict[str, Any]:
        return {
            "sub": "opaque-" + hashlib.sha256(rpps.encode()).hexdigest()[:12],
            "SubjectNameID": "8" + rpps,
            "given_name": "Alice",
            "family_name": "Martin",
            "preferred_username": "8" + rpps,
            "SubjectRefPro": {
                "codeCivilite": "DR",
                "exercices": [
                    {
                        "codeProfession": "10",
                        "codeCategorieProfessionnelle": "C",
                        "nomDexercice": "MARTIN",
                        "prenomDexercice": "Alice",
                        "activities": self.knobs.activities,
                    }
                ],
            },
        }

    def _client_ok(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        return header == f"Basic {expected}"

    def _build(self) -> FastAPI:
        app = FastAPI()
        psc = self

        @app.get(DISCOVERY_PATH)
        def discovery() -> dict[str, Any]:
            base = f"http://127.0.0.1:{psc.port}"
            return {
                "issuer": psc.issuer,
                # PSC's authorize page is on another host than its issuer.
                "authorization_endpoint": f"http://localhost:{psc.port}/authorize",
                "token_endpoint": base + "/token",
                "userinfo_endpoint": base + "/userinfo",
                "jwks_uri": base + "/jwks",
                "end_session_endpoint": base + "/logout",
                "backchannel_authentication_endpoint": base + "/bc-authorize",
                "acr_values_supported": ["eidas1", "eidas2", "eidas3"],
            }

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(psc._key.public_key()))
            return {"keys": [{**public, "kid": psc._kid, "use": "sig", "alg": "RS256"}]}

        @app.get("/authorize")
        def authorize(request: Request) -> Response:
            q = request.query_params
            if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            psc.last_authorize = dict(q)
            target = q["redirect_uri"]
            if psc.knobs.refuse or psc.knobs.expired_card:
                description = "carte expiree" if psc.knobs.expired_card else "annulation"
                params = {"error": "access_denied", "error_description": description}
            else:
                code = "PSC-CODE-" + secrets.token_urlsafe(12)
                psc.codes[code] = {
                    "rpps": psc.knobs.rpps,
                    "nonce": q.get("nonce"),
                    "challenge": q.get("code_challenge"),
                    "redirect_uri": target,
                }
                params = {"code": code}
            params["state"] = q.get("state", "")
            return RedirectResponse(target + "?" + urlencode(params), status_code=302)

        @app.post("/token")
        async def token(request: Request) -> Response:
            form = {k: str(v) for k, v in (await request.form()).items()}
            psc.token_calls.append(form)
            if not psc._client_ok(request):
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            grant = form.get("grant_type")
            if grant == "authorization_code":
                entry = psc.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                digest = hashlib.sha256(verifier.encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if entry is None or challenge != entry["challenge"]:
                    return JSONResponse({"error": "invalid_grant"}, status_code=400)
                if form.get("redirect_uri") != entry["redirect_uri"]:
                    return JSONResponse({"error": "invalid_grant"}, status_code=400)
                return JSONResponse(psc._tokens(entry["rpps"], entry["nonce"]))
            if grant == "refresh_token":
                rpps = psc.refresh.pop(form.get("refresh_token", ""), None)
                if rpps is None or psc.knobs.refuse_refresh:
                    return JSONResponse({"error": "invalid_grant"}, status_code=400)
                return JSONResponse(psc._tokens(rpps, None))
            if grant == "urn:openid:params:grant-type:ciba":
                entry = psc.ciba_requests.get(form.get("auth_req_id", ""))
                if entry is None:
                    return JSONResponse({"error": "invalid_grant"}, status_code=400)
                state = psc.knobs.ciba
                if state == "confirmed":
                    return JSONResponse(psc._tokens(entry["rpps"], None))
                error = {
                    "pending": "authorization_pending",
                    "refused": "access_denied",
                    "expired": "expired_token",
                }[state]
                return JSONResponse({"error": error}, status_code=400)
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)

        @app.get("/userinfo")
        def userinfo(request: Request) -> Response:
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            rpps = psc.access.get(token)
            if rpps is None:
                return JSONResponse({"error": "invalid_token"}, status_code=401)
            claims = psc._userinfo_claims(rpps)
            if psc.knobs.userinfo_jwt:
                signed = psc.sign({**claims, "iss": psc.issuer, "aud": CLIENT_ID})
                return Response(signed, media_type="application/jwt")
            return JSONResponse(claims)

        @app.post("/bc-authorize")
        async def backchannel(request: Request) -> Response:
            if not psc._client_ok(request):
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            form = {k: str(v) for k, v in (await request.form()).items()}
            hint = form.get("login_hint", "")
            if not hint.startswith("8") or form.get("acr_values") != "eidas1":
                return JSONResponse({"error": "unknown_user_id"}, status_code=400)
            auth_req_id = "PSC-CIBA-" + secrets.token_urlsafe(12)
            psc.ciba_requests[auth_req_id] = {
                "rpps": hint[1:],
                "binding_message": form.get("binding_message"),
                "scope": form.get("scope"),
            }
            return JSONResponse({"auth_req_id": auth_req_id, "expires_in": 120, "interval": 3})

        return app
