"""A real OpenID provider dressed as Pro Santé Connect (npm oidc-provider, scripts/interop/psc/) on
loopback for the interop tests: started and stopped like Cyrus, driven as PSC's relying party,
its login page and the e-CPS phone played by an HTTP client."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts" / "interop" / "psc"
CANNOT_RUN_HERE = 3  # start.sh's exit code when node/npm are missing here

# The provider's test professionals (scripts/interop/psc/provider.mjs): login → RPPS. The sandbox's
# test users are matched on these RPPS (tests/server/conftest.py ALICE, BOB); `inconnu` has no
# account on the regional server.
RPPS = {"alice": "10000000011", "bob": "10000000012", "inconnu": "10000000099"}


class PscUnavailable(Exception):
    """The provider cannot run on this machine (node or npm missing, Node too old)."""


class PscFailed(Exception):
    """The provider could run here but did not start."""


@dataclass(frozen=True)
class PscPeer:
    state: Path
    issuer: str
    discovery_url: str  # PSC's non-standard path
    test_url: str  # the phone's test hooks
    client_id: str
    client_secret: str = field(repr=False)

    def pending_pushes(self) -> list[dict[str, Any]]:
        """The e-CPS pushes waiting on the phone."""
        r = httpx.get(f"{self.test_url}/ciba")
        r.raise_for_status()
        pushes: list[dict[str, Any]] = r.json()
        return pushes

    def answer_push(self, push_id: str, *, confirm: bool, acr: str | None = None) -> None:
        """The user confirms (or refuses) the push on their phone."""
        action = "confirm" if confirm else "deny"
        r = httpx.post(f"{self.test_url}/ciba/{push_id}/{action}", data={"acr": acr or ""})
        r.raise_for_status()

    def end_session(self, rpps: str) -> None:
        """PSC ends this professional's sessions: their next refresh is refused."""
        httpx.post(f"{self.test_url}/revoke/{rpps}").raise_for_status()


def can_run_here() -> str | None:
    """None when start.sh may work here, else why not (for a skip message)."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (scripts/system-deps.sh interop installs Node.js and npm)"
    return None


def new_state_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="monsisra-psc-")) / "state"


def start(state: Path, timeout: float = 300, **env: str) -> PscPeer:
    """Runs start.sh (which may run `npm ci` first); `env`: provider.mjs's PSC_* settings."""
    done = subprocess.run(
        [str(SCRIPTS / "start.sh"), str(state)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **env},
    )
    if done.returncode == CANNOT_RUN_HERE:
        raise PscUnavailable(done.stderr.strip())
    if done.returncode != 0:
        raise PscFailed(f"start.sh exited with {done.returncode}:\n{done.stderr}")
    values = dict(
        line.split("=", 1) for line in done.stdout.splitlines() if "=" in line and line[0].isupper()
    )
    return PscPeer(
        state=Path(values["PSC_STATE"]),
        issuer=values["ISSUER"],
        discovery_url=values["DISCOVERY_URL"],
        test_url=values["TEST_URL"],
        client_id=values["CLIENT_ID"],
        client_secret=values["CLIENT_SECRET"],
    )


def stop(state: Path, *, wipe: bool = True) -> None:
    subprocess.run(
        [str(SCRIPTS / "stop.sh"), str(state), *(["--wipe"] if wipe else [])],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if wipe:
        shutil.rmtree(state.parent, ignore_errors=True)


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def log_in_at_psc(browser: httpx.Client, url: str, login: str, *, stop_at: str) -> httpx.URL:
    """Plays the browser from `url` through PSC's login page (posting `login`, e.g. "alice",
    "eidas0:alice" for a weak authentication, "expired:alice" for an expired card, or "" to
    cancel) until a redirect to a URL starting with `stop_at`, which is
    returned (not followed). Any other stop fails the test."""
    posted = False
    for _ in range(20):
        r = browser.get(url)
        if r.is_redirect:
            url = urljoin(str(r.url), r.headers["location"])
            if url.startswith(stop_at):
                return httpx.URL(url)
            continue
        action = re.search(r'<form method="post" action="([^"]+)"', r.text)
        assert r.status_code == 200, (r.status_code, r.text[:500])
        assert action, r.text[:500]
        assert not posted, "the login page came back after the login"
        form = {"login": login} if login else {"refuse": "1"}
        r = browser.post(urljoin(str(r.url), action.group(1)), data=form)
        assert r.status_code == 303, (r.status_code, r.text[:500])
        posted = True
        url = urljoin(str(r.url), r.headers["location"])
        if url.startswith(stop_at):
            return httpx.URL(url)
    raise AssertionError(f"the browser went round in circles, last at {url}")


def query(url: httpx.URL) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(str(url)).query).items()}


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verified_jws(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The claims of an RS256 JWS whose signature checks against the key of `jwks` it names
    (`cryptography` only: the relying party's own code is not what this tests)."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(_b64(header_b64))
    assert header["alg"] == "RS256", header
    (key,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    public = rsa.RSAPublicNumbers(
        int.from_bytes(_b64(key["e"]), "big"), int.from_bytes(_b64(key["n"]), "big")
    ).public_key()
    public.verify(  # raises InvalidSignature
        _b64(signature_b64),
        f"{header_b64}.{payload_b64}".encode("ascii"),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    claims: dict[str, Any] = json.loads(_b64(payload_b64))
    return claims
