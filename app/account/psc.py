"""Pro Santé Connect, as the desktop app sees it (issue 15, /work/briefs/psc-contract.md part D).

The app never talks to PSC: the regional server is PSC's relying party and, towards us, an OAuth
2.0 authorization server for the public native client `monsisra-bureau`. Two ways in:

- the browser (RFC 8252): authorization code with PKCE S256, a one-shot loopback listener on
  127.0.0.1 (random port) that receives the redirect, `state` checked before anything is
  exchanged, the server's id_token checked (RS256 against its jwks, iss, aud, nonce, exp);
- the e-CPS push (CIBA, poll mode): the user's RPPS, a binding code shown for the phone, polling
  at the server's `interval` (+5 s on `slow_down`) until confirmed, refused or expired.

Both end with the server's own tokens (`PscGrant`), the same kind as a password login; the
id_token is checked and dropped, never kept. Nothing here imports Qt: the browser is opened
through a callable the UI gives.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import html
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt

from app import logs, messages, paths
from app.account.vault import write_private_atomically
from app.errors import CoreError
from app.messages import Message
from app.remote.auth import AuthProtocolError, Tokens, parse_token_response
from app.remote.http import USER_AGENT, ServerUnreachable, network_errors

__all__ = [
    "CLIENT_ID",
    "CibaRequest",
    "Practice",
    "PscError",
    "PscGrant",
    "PscServer",
    "browser_login",
    "chosen_practice",
    "ciba_start",
    "ciba_wait",
    "discover",
    "is_psc",
    "make_pkce",
    "mark_psc",
    "passphrase_problem",
    "practice_email",
    "rpps_problem",
]

log = logs.get("psc")

CLIENT_ID = "monsisra-bureau"
METADATA_PATH = "/.well-known/oauth-authorization-server"
CIBA_GRANT = "urn:openid:params:grant-type:ciba"
CALLBACK_PATH = "/psc"
BROWSER_TIMEOUT = 300.0  # five minutes to finish in the browser
SLOW_DOWN_STEP = 5.0  # RFC 8628 §3.5, taken up by CIBA
MIN_PASSPHRASE = 12

_DONE_PAGE = (
    "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>MonSisra bureau</title>"
    "</head><body style='font-family:sans-serif;max-width:32em;margin:4em auto'>"
    "<h1>{title}</h1><p>{text}</p></body></html>"
)


class PscError(CoreError):
    message = messages.PSC_REFUSED


@dataclass(frozen=True)
class PscServer:
    """The regional server's metadata (RFC 8414), as far as PSC needs it."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    ciba_endpoint: str | None


@dataclass(frozen=True)
class Practice:
    """A place the professional works at (PSC's SubjectRefPro) and the address they send from."""

    id: str
    label: str
    email: str


@dataclass(frozen=True)
class PscGrant:
    """What a PSC login gives the app: the server's tokens, the account's login, its practices."""

    tokens: Tokens
    login: str
    practices: tuple[Practice, ...]


@dataclass(frozen=True)
class CibaRequest:
    """An e-CPS push sent: the code the phone shows, and when the request expires."""

    auth_req_id: str = ""
    binding_message: str = ""
    interval: float = 5.0
    expires_at: float = 0.0  # time.monotonic()

    def __repr__(self) -> str:  # the request id is a bearer of sorts: never printed
        return f"CibaRequest(binding={self.binding_message!r})"

    def seconds_left(self, now: float | None = None) -> int:
        return max(0, int(self.expires_at - (time.monotonic() if now is None else now)))


# Discovery ------------------------------------------------------------------------------------


async def discover(http: httpx.AsyncClient, server_url: str) -> PscServer | None:
    """The server's metadata when it offers PSC; None when it does not (no metadata, or
    `monsisra_pro_sante_connect` false): the app then hides the PSC buttons."""
    base = server_url.rstrip("/")
    async with network_errors():
        response = await http.get(base + METADATA_PATH, headers={"Accept": "application/json"})
    if response.status_code != 200:
        return None
    try:
        doc = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict) or doc.get("monsisra_pro_sante_connect") is not True:
        return None
    fields = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    values = [doc.get(name) for name in fields]
    if not all(isinstance(v, str) and v for v in values):
        raise AuthProtocolError("authorization server metadata incomplete")
    if "S256" not in (doc.get("code_challenge_methods_supported") or ()):
        raise AuthProtocolError("authorization server without PKCE S256")
    ciba = doc.get("backchannel_authentication_endpoint")
    return PscServer(
        str(values[0]),
        str(values[1]),
        str(values[2]),
        str(values[3]),
        ciba if isinstance(ciba, str) and ciba else None,
    )


# PKCE, state, nonce -----------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_pkce() -> tuple[str, str]:
    """(verifier, S256 challenge): 43 characters of 256 random bits, RFC 7636 §4.1."""
    verifier = _b64url(secrets.token_bytes(32))
    return verifier, _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


# The loopback listener -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Redirect:
    params: dict[str, str]


class _Loopback:
    """A one-shot HTTP listener on 127.0.0.1 (random port) for the browser's redirect. Answers
    the callback path with a small French page, anything else (favicon…) with 404, and closes."""

    def __init__(self, state: str) -> None:
        self._state = state
        self._server: asyncio.Server | None = None
        self.redirect: asyncio.Future[_Redirect] = asyncio.get_running_loop().create_future()

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}{CALLBACK_PATH}"

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    @property
    def closed(self) -> bool:
        return self._server is None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), 10)
            while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b"\n", b""):
                pass
            parts = line.decode("latin-1").split()
            target = urlsplit(parts[1]) if len(parts) >= 2 and parts[0] == "GET" else None
            if target is None or target.path != CALLBACK_PATH or self.redirect.done():
                await _answer(writer, 404, "MonSisra bureau", messages.PSC_PAGE_NOTHING.text())
                return
            params = {k: v[0] for k, v in parse_qs(target.query).items()}
            if params.get("state") != self._state:
                title = messages.PSC_PAGE_REFUSED_TITLE.text()
                text = messages.PSC_STATE_MISMATCH.text()
            elif "error" in params:
                title = messages.PSC_PAGE_REFUSED_TITLE.text()
                text = params.get("error_description") or messages.PSC_REFUSED.text()
            else:
                title, text = (
                    messages.PSC_PAGE_DONE_TITLE.text(),
                    messages.PSC_PAGE_DONE.text(),
                )
            await _answer(writer, 200, title, text)
            self.redirect.set_result(_Redirect(params))
        except (TimeoutError, OSError, UnicodeError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def _answer(writer: asyncio.StreamWriter, status: int, title: str, text: str) -> None:
    body = _DONE_PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
    reason = "OK" if status == 200 else "Not Found"
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode("ascii") + body)
    await writer.drain()


# The browser flow -----------------------------------------------------------------------------


async def browser_login(
    http: httpx.AsyncClient,
    server: PscServer,
    open_browser: Callable[[str], bool | Awaitable[bool]],
    *,
    timeout: float = BROWSER_TIMEOUT,
) -> PscGrant:
    """Opens the server's authorize page in the system browser (`open_browser`) and waits for its
    redirect on the loopback; cancelling the task closes the listener. PscError (French) for a
    refusal, a mismatched state, a timeout or an id_token that does not verify."""
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier, challenge = make_pkce()
    listener = _Loopback(state)
    redirect_uri = await listener.start()
    try:
        url = (
            server.authorization_endpoint
            + "?"
            + urlencode(
                {
                    "response_type": "code",
                    "client_id": CLIENT_ID,
                    "redirect_uri": redirect_uri,
                    "code_challenge": challenge,
                    "code_challenge_method": "S256",
                    "state": state,
                    "nonce": nonce,
                    "scope": "openid",
                }
            )
        )
        opened = open_browser(url)
        if not isinstance(opened, bool):
            opened = await opened
        if not opened:
            raise PscError("no browser", messages.PSC_BROWSER_FAILED)
        log.info("PSC: waiting for the browser")
        try:
            redirect = await asyncio.wait_for(asyncio.shield(listener.redirect), timeout)
        except TimeoutError:
            raise PscError("browser login timed out", messages.PSC_TIMEOUT) from None
    finally:
        await listener.close()
    params = redirect.params
    if params.get("state") != state:
        raise PscError("state mismatch", messages.PSC_STATE_MISMATCH)
    if "error" in params:
        raise PscError(f"authorize refused: {params['error']}", _said(params))
    code = params.get("code")
    if not code:
        raise PscError("redirect without a code")
    return await _token_request(
        http,
        server,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": CLIENT_ID,
            "code_verifier": verifier,
        },
        nonce,
    )


def _said(doc: dict[str, Any], default: Message = messages.PSC_REFUSED) -> Message:
    """The server's French sentence (plain text, as it came), else ours."""
    text = doc.get("error_description")
    return Message.said(text) if isinstance(text, str) and text.strip() else default


async def _token_request(
    http: httpx.AsyncClient, server: PscServer, form: dict[str, str], nonce: str | None
) -> PscGrant:
    answer = await _post(http, server.token_endpoint, form)
    if answer.status_code != 200:
        doc = _json(answer)
        raise PscError(
            f"token endpoint answered {answer.status_code}: {doc.get('error')}", _said(doc)
        )
    return await _grant(http, server, answer, nonce)


async def _post(http: httpx.AsyncClient, url: str, form: dict[str, str]) -> httpx.Response:
    async with network_errors():
        response = await http.post(
            url,
            data=form,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
        )
    if response.status_code in (502, 503, 504):
        raise ServerUnreachable(f"{url} answered {response.status_code}")
    return response


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        doc = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return {}
    return doc if isinstance(doc, dict) else {}


async def _grant(
    http: httpx.AsyncClient, server: PscServer, response: httpx.Response, nonce: str | None
) -> PscGrant:
    """The token answer: tokens, login, practices; the id_token verified, then dropped."""
    tokens = parse_token_response(response.content, time.monotonic())
    doc = _json(response)
    login, id_token = doc.get("login"), doc.get("id_token")
    if not isinstance(login, str) or not login or not isinstance(id_token, str):
        raise AuthProtocolError("PSC token answer without login or id_token")
    claims = await _verify_id_token(http, server, id_token)
    if nonce is not None and claims.get("nonce") != nonce:
        raise PscError("id_token nonce mismatch", messages.PSC_ID_TOKEN_INVALID)
    if claims.get("sub") != login:
        raise PscError("id_token sub is not the login", messages.PSC_ID_TOKEN_INVALID)
    practices = tuple(
        Practice(str(p["id"]), str(p["label"]), str(p["email"]))
        for p in doc.get("practices") or ()
        if isinstance(p, dict) and all(isinstance(p.get(k), str) for k in ("id", "label", "email"))
    )
    log.info("PSC login accepted (%d practice(s))", len(practices))
    return PscGrant(tokens, login, practices)


async def _verify_id_token(
    http: httpx.AsyncClient, server: PscServer, id_token: str
) -> dict[str, Any]:
    """RS256 against the server's jwks; iss (the server), aud (us), exp, iat checked."""
    async with network_errors():
        response = await http.get(
            server.jwks_uri, headers={"Accept": "application/json"}, auth=None
        )
    try:
        keys = jwt.PyJWKSet.from_dict(_json(response))
        kid = jwt.get_unverified_header(id_token).get("kid")
        candidates = [k for k in keys.keys if kid is None or k.key_id == kid]
        for key in candidates:
            try:
                claims: dict[str, Any] = jwt.decode(
                    id_token,
                    key,
                    algorithms=["RS256"],
                    audience=CLIENT_ID,
                    issuer=server.issuer,
                    options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                    leeway=60,
                )
            except jwt.InvalidSignatureError:
                continue
            return claims
    except jwt.PyJWTError as e:
        raise PscError(
            f"id_token refused: {type(e).__name__}", messages.PSC_ID_TOKEN_INVALID
        ) from None
    raise PscError("id_token: no key verifies it", messages.PSC_ID_TOKEN_INVALID)


# The e-CPS push (CIBA) -----------------------------------------------------------------------


def rpps_problem(rpps: str) -> Message | None:
    """None when `rpps` is 11 digits whose last is the Luhn key of the others (as RPPS numbers
    are); the French reason otherwise. `8` + RPPS (the national id) is accepted too."""
    digits = rpps.strip().replace(" ", "")
    if len(digits) == 12 and digits.startswith("8"):
        digits = digits[1:]
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return messages.PSC_RPPS_INVALID
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return None if total % 10 == 0 else messages.PSC_RPPS_INVALID


async def ciba_start(
    http: httpx.AsyncClient, server: PscServer, rpps: str, *, now: float | None = None
) -> CibaRequest:
    """Sends the push to the user's phone; the binding code to show comes back."""
    problem = rpps_problem(rpps)
    if problem is not None:
        raise PscError("bad RPPS", problem)
    if server.ciba_endpoint is None:
        raise PscError("no CIBA endpoint", messages.PSC_NOT_OFFERED)
    hint = rpps.strip().replace(" ", "")
    response = await _post(http, server.ciba_endpoint, {"client_id": CLIENT_ID, "login_hint": hint})
    doc = _json(response)
    if response.status_code != 200:
        raise PscError(f"CIBA refused ({response.status_code}): {doc.get('error')}", _said(doc))
    auth_req_id, binding = doc.get("auth_req_id"), doc.get("binding_message")
    expires_in, interval = doc.get("expires_in"), doc.get("interval", 5)
    if (
        not isinstance(auth_req_id, str)
        or not isinstance(binding, str)
        or not isinstance(expires_in, (int, float))
        or not isinstance(interval, (int, float))
    ):
        raise AuthProtocolError("CIBA answer malformed")
    start = time.monotonic() if now is None else now
    return CibaRequest(auth_req_id, binding, float(interval), start + float(expires_in))


async def ciba_wait(
    http: httpx.AsyncClient,
    server: PscServer,
    request: CibaRequest,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> PscGrant:
    """Polls until the phone confirms (the grant), refuses or the request expires (PscError)."""
    interval = request.interval
    form = {"grant_type": CIBA_GRANT, "auth_req_id": request.auth_req_id, "client_id": CLIENT_ID}
    while True:
        if time.monotonic() >= request.expires_at:
            raise PscError("CIBA expired (client side)", messages.PSC_CIBA_EXPIRED)
        await sleep(interval)
        response = await _post(http, server.token_endpoint, form)
        if response.status_code == 200:
            return await _grant(http, server, response, None)
        doc = _json(response)
        error = doc.get("error")
        if error == "authorization_pending":
            continue
        if error == "slow_down":
            interval += SLOW_DOWN_STEP
            continue
        if error == "expired_token":
            raise PscError("CIBA expired", _said(doc, messages.PSC_CIBA_EXPIRED))
        if error == "access_denied":
            raise PscError("CIBA refused", _said(doc, messages.PSC_CIBA_REFUSED))
        raise PscError(f"CIBA poll answered {response.status_code}: {error}", _said(doc))


# The local passphrase -------------------------------------------------------------------------


def passphrase_problem(passphrase: str) -> Message | None:
    """None when the passphrase may wrap the vault. At least 12 characters and two kinds among
    letters, digits, spaces and signs: the vault's scrypt makes each guess slow, and these rule
    out the short and single-kind phrases that dictionaries try first."""
    if len(passphrase) < MIN_PASSPHRASE:
        return messages.PASSPHRASE_WEAK
    kinds = {
        "letter" if c.isalpha() else "digit" if c.isdigit() else "space" if c.isspace() else "sign"
        for c in passphrase
    }
    return None if len(kinds) >= 2 else messages.PASSPHRASE_WEAK


# The account's local marks ---------------------------------------------------------------------

PSC_FILE_NAME = "psc.json"


def mark_psc(account_dir: Path, practice: Practice | None = None) -> None:
    """Records that this account logs in with PSC (its vault opens with a passphrase, never a
    password), and the practice the user sends from (its id and address: they name a workplace,
    no patient). No token, no claim."""
    doc: dict[str, Any] = {"pro_sante_connect": True}
    if practice is not None:
        doc["practice"], doc["email"] = practice.id, practice.email
    paths.private_dir(account_dir)
    write_private_atomically(account_dir / PSC_FILE_NAME, json.dumps(doc).encode())


def _mark(account_dir: Path) -> dict[str, Any]:
    try:
        doc = json.loads((account_dir / PSC_FILE_NAME).read_bytes())
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def is_psc(account_dir: Path) -> bool:
    return _mark(account_dir).get("pro_sante_connect") is True


def practice_email(account_dir: Path) -> str | None:
    email = _mark(account_dir).get("email")
    return email if isinstance(email, str) and email else None


def chosen_practice(account_dir: Path, practices: tuple[Practice, ...]) -> Practice | None:
    """The practice remembered for this account, if it is still one of `practices`; the only
    one when there is one."""
    if len(practices) == 1:
        return practices[0]
    chosen = _mark(account_dir).get("practice")
    return next((p for p in practices if p.id == chosen), None)
