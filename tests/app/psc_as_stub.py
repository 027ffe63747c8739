"""A stand-in for the regional server's authorization server (psc-contract.md part A), built by
another helper at the same time: metadata, authorize (302 straight back to the app with a code,
as if PSC had said yes), token (authorization_code with PKCE, CIBA), CIBA start, jwks, and an
RS256 id_token with the app's nonce. The tokens it hands out are the real sandbox's (a password
grant for the matched user), so that the account opened with them really works. Once part A is
merged, the tests' fixture points at the sandbox instead and this module goes.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from server.directory.demo import _luhn_key

CLIENT_ID = "monsisra-bureau"
RPPS = "1000000000" + _luhn_key("1000000000")
PRACTICES = [
    {"id": "p1", "label": "Cabinet médical du Parc — Lyon 3e", "email": ""},
    {"id": "p2", "label": "Centre hospitalier — Villeurbanne", "email": ""},
]


@dataclass
class StubAS:
    """Knobs: `authorize_error` (a French sentence: the authorize refuses with it),
    `ciba_script` (the answers of the successive polls: an OAuth error or "ok")."""

    sandbox_url: str
    login: str
    password: str
    url: str = ""
    authorize_error: str | None = None
    ciba_script: list[str] = field(default_factory=lambda: ["ok"])
    ciba_expires_in: int = 120
    ciba_interval: int = 1
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    cibas: dict[str, list[str]] = field(default_factory=dict)
    issued_refresh: list[str] = field(default_factory=list)
    issued_id_tokens: list[str] = field(default_factory=list)

    def metadata(self) -> dict[str, Any]:
        b = self.url
        return {
            "issuer": b,
            "authorization_endpoint": b + "/auth/authorize",
            "token_endpoint": b + "/auth/token",
            "revocation_endpoint": b + "/auth/revoke",
            "jwks_uri": b + "/auth/jwks",
            "backchannel_authentication_endpoint": b + "/auth/ciba",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": [
                "password",
                "refresh_token",
                "authorization_code",
                "urn:openid:params:grant-type:ciba",
            ],
            "token_endpoint_auth_methods_supported": ["none"],
            "backchannel_token_delivery_modes_supported": ["poll"],
            "monsisra_pro_sante_connect": True,
        }

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid="stub", use="sig", alg="RS256")
        return {"keys": [jwk]}

    def grant(self, nonce: str | None) -> dict[str, Any]:
        """The sandbox's own tokens for the matched user, plus the id_token, login, practices."""
        r = httpx.post(
            self.sandbox_url + "/auth/token",
            data={"grant_type": "password", "username": self.login, "password": self.password},
        )
        r.raise_for_status()
        doc = r.json()
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "sub": self.login,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "acr": "eidas1",
            "amr": ["psc"],
        }
        if nonce is not None:
            claims["nonce"] = nonce
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "stub"})
        self.issued_refresh.append(doc["refresh_token"])
        self.issued_id_tokens.append(id_token)
        email = self.login if "@" in self.login else ""
        practices = [{**p, "email": p["email"] or email} for p in PRACTICES]
        return {**doc, "id_token": id_token, "login": self.login, "practices": practices}


def _handler(stub: StubAS) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def _json(self, status: int, doc: dict[str, Any]) -> None:
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _error(self, error: str, text: str) -> None:
            self._json(400, {"error": error, "error_description": text})

        def _redirect(self, uri: str, params: dict[str, str]) -> None:
            self.send_response(302)
            self.send_header("Location", uri + "?" + urlencode(params))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/oauth-authorization-server":
                self._json(200, stub.metadata())
            elif url.path == "/auth/jwks":
                self._json(200, stub.jwks())
            elif url.path == "/auth/authorize":
                uri = q.get("redirect_uri", "")
                host = urlsplit(uri)
                if (
                    q.get("client_id") != CLIENT_ID
                    or host.scheme != "http"
                    or host.hostname
                    not in (
                        "127.0.0.1",
                        "::1",
                    )
                ):
                    body = "Adresse de retour refusée.".encode()
                    self.send_response(400)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                state = q.get("state", "")
                if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
                    self._redirect(uri, {"error": "invalid_request", "state": state})
                    return
                if stub.authorize_error is not None:
                    self._redirect(
                        uri,
                        {
                            "error": "access_denied",
                            "error_description": stub.authorize_error,
                            "state": state,
                        },
                    )
                    return
                code = secrets.token_urlsafe(16)
                stub.codes[code] = {
                    "challenge": q["code_challenge"],
                    "redirect_uri": uri,
                    "nonce": q.get("nonce", ""),
                }
                self._redirect(uri, {"code": code, "state": state})
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            path = urlsplit(self.path).path
            if path == "/auth/ciba":
                if form.get("login_hint", "").removeprefix("8") != RPPS:
                    self._error("unknown_user_id", "Aucun compte MonSisra pour ce RPPS.")
                    return
                req = secrets.token_urlsafe(16)
                stub.cibas[req] = list(stub.ciba_script)
                self._json(
                    200,
                    {
                        "auth_req_id": req,
                        "expires_in": stub.ciba_expires_in,
                        "interval": stub.ciba_interval,
                        "binding_message": "K7PX",
                    },
                )
            elif path == "/auth/token":
                self._token(form)
            else:
                self._json(404, {"error": "not_found"})

        def _token(self, form: dict[str, str]) -> None:
            kind = form.get("grant_type")
            if kind == "authorization_code":
                verifier = form.get("code_verifier")
                if not verifier:
                    self._error("invalid_request", "Vérificateur PKCE manquant.")
                    return
                entry = stub.codes.pop(form.get("code", ""), None)
                digest = hashlib.sha256(verifier.encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if (
                    entry is None
                    or entry["challenge"] != challenge
                    or entry["redirect_uri"] != form.get("redirect_uri")
                ):
                    self._error("invalid_grant", "Code de connexion invalide ou expiré.")
                    return
                self._json(200, stub.grant(entry["nonce"]))
            elif kind == "urn:openid:params:grant-type:ciba":
                script = stub.cibas.get(form.get("auth_req_id", ""))
                if not script:
                    self._error("invalid_grant", "Demande inconnue.")
                    return
                step = script.pop(0) if len(script) > 1 else script[0]
                if step == "ok":
                    del stub.cibas[form["auth_req_id"]]
                    self._json(200, stub.grant(None))
                elif step == "access_denied":
                    self._error(step, "Connexion refusée sur le téléphone.")
                elif step == "expired_token":
                    self._error(step, "La demande e-CPS a expiré.")
                else:
                    self._error(step, "En attente.")
            else:
                self._error("unsupported_grant_type", "Type de demande non pris en charge.")

    return Handler


@contextlib.contextmanager
def running_stub(sandbox_url: str, login: str, password: str) -> Iterator[StubAS]:
    """Part A's stand-in beside the sandbox at `sandbox_url`, matching `login` (the card's RPPS
    is `RPPS`)."""
    stub = StubAS(sandbox_url, login, password)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def psc_as(server: Any) -> Iterator[StubAS]:
    """The stand-in beside the two-user sandbox, matching alice."""
    from tests.server.conftest import ALICE

    with running_stub(server.base_url, ALICE.login, ALICE.password) as stub:
        yield stub
