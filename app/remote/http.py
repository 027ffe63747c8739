"""The one way the core makes HTTP clients: TLS always verified, a User-Agent, bounded timeouts,
and a polite retry on 429/503 that honours Retry-After. Every remote client builds on these."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import math
import random
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable
from importlib import metadata
from pathlib import Path

import httpx

from app import logs
from app.errors import CoreError

log = logs.get("http")


def _version() -> str:
    try:
        return metadata.version("monsisra-bureau")
    except metadata.PackageNotFoundError:
        return "0.1.0"


USER_AGENT = f"MonSisra-bureau/{_version()}"
# Connect quickly (offline detection), read patiently (large JMAP responses, blob streams).
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=30.0)
DEFAULT_LIMITS = httpx.Limits(max_connections=16, max_keepalive_connections=8)
RETRY_STATUSES = frozenset({429, 503})
MAX_WAIT = 60.0  # never sleep longer than this for one retry; past it the caller decides
MAX_REDIRECTS = 5


class ServerUnreachable(CoreError):
    message_fr = "Le serveur est injoignable. Vérifiez votre connexion à Internet et réessayez."


class TooManyRedirects(CoreError):
    message_fr = (
        "Le serveur renvoie d'adresse en adresse sans aboutir. Réessayez plus tard ou contactez "
        "votre support."
    )


class TlsFailure(ServerUnreachable):
    message_fr = (
        "La connexion sécurisée au serveur a échoué : son certificat n'est pas reconnu. "
        "Vérifiez l'adresse du serveur ou contactez votre support."
    )


def make_http_client(
    *,
    ca_bundle: Path | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    auth: httpx.Auth | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """Create it inside the running loop and close it (`aclose`) before the loop ends.

    `ca_bundle` replaces the default trust store (a private CA); verification is never off.
    `transport` is for tests that must simulate a network failure.
    """
    verify: ssl.SSLContext | bool = True
    if ca_bundle is not None:
        verify = ssl.create_default_context(cafile=str(ca_bundle))
    return httpx.AsyncClient(
        verify=verify,
        timeout=timeout,
        auth=auth,
        limits=DEFAULT_LIMITS,
        headers={"User-Agent": USER_AGENT},
        transport=transport,
    )


def unreachable_from(exc: httpx.TransportError) -> ServerUnreachable:
    """The user-facing error for a transport failure (TLS problems get their own sentence)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return TlsFailure(type(exc).__name__)
        cause = cause.__cause__ or cause.__context__
    return ServerUnreachable(type(exc).__name__)


@contextlib.asynccontextmanager
async def network_errors() -> AsyncIterator[None]:
    """Turns httpx transport errors (refused, reset, timed out, TLS) into ServerUnreachable."""
    try:
        yield
    except httpx.TransportError as exc:
        log.info("network failure: %s", type(exc).__name__)
        raise unreachable_from(exc) from exc


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(min(int(value[:12]), 10**9))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    try:
        delta = when.timestamp() - (time.time() if now is None else now)
    except (OverflowError, OSError, ValueError):
        return None
    return max(0.0, delta) if math.isfinite(delta) else None


def backoff_delay(attempt: int, retry_after: float | None) -> float:
    """Retry-After when given, else 0.5, 1, 2 … s; plus up to 20 % jitter so clients spread."""
    base = retry_after if retry_after is not None else 0.5 * (2**attempt)
    return min(MAX_WAIT, base) * (1.0 + random.uniform(0.0, 0.2))  # jitter, not a secret


async def send_with_backoff(
    client: httpx.AsyncClient,
    request: httpx.Request,
    *,
    attempts: int = 4,
    retry_statuses: Iterable[int] = RETRY_STATUSES,
    stream: bool = False,
    without_auth: bool = False,
) -> httpx.Response:
    """Sends `request`, retrying on 429/503 at most `attempts` times in all.

    Returns the last response (the caller looks at its status). When the server asks for a wait
    longer than MAX_WAIT the response is returned at once: the caller reports or reschedules.
    Transport failures raise ServerUnreachable. The request body must be replayable (bytes) when
    retries may happen. `without_auth` skips the client's auth (token endpoint, credential checks).
    Redirects are not followed: see `get_following`.
    """
    statuses = frozenset(retry_statuses)
    attempt = 0
    while True:
        async with network_errors():
            if without_auth:
                response = await client.send(request, stream=stream, auth=None)
            else:
                response = await client.send(request, stream=stream)
        attempt += 1
        if response.status_code not in statuses or attempt >= attempts:
            return response
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None and retry_after > MAX_WAIT:
            return response
        delay = backoff_delay(attempt - 1, retry_after)
        log.info("HTTP %d, retry %d in %.1f s", response.status_code, attempt, delay)
        await response.aclose()
        await asyncio.sleep(delay)


async def get_following(
    client: httpx.AsyncClient,
    url: str,
    check: Callable[[str], None],
    *,
    headers: dict[str, str] | None = None,
    attempts: int = 4,
    retry_statuses: Iterable[int] = RETRY_STATUSES,
    without_auth: bool = False,
    stream: bool = False,
    timeout: httpx.Timeout | None = None,
) -> httpx.Response:
    """GET `url`, following redirects one hop at a time (a JMAP Session may sit behind one,
    RFC 8620 §2.2). `check` is given each hop's URL before anything is sent there, and raises to
    refuse it (httpx's own following sends each hop first, by its own rules). The final answer's
    `url` says where it came from; with `stream` its body is still to be read (close it).
    `timeout` replaces the client's for these requests. Retries and errors as `send_with_backoff`.
    """
    for _ in range(MAX_REDIRECTS + 1):
        check(url)
        if timeout is None:
            request = client.build_request("GET", url, headers=headers)
        else:
            request = client.build_request("GET", url, headers=headers, timeout=timeout)
        response = await send_with_backoff(
            client,
            request,
            attempts=attempts,
            retry_statuses=retry_statuses,
            stream=stream,
            without_auth=without_auth,
        )
        if response.next_request is None:
            return response
        await response.aclose()
        url = str(response.next_request.url)
        log.info("HTTP %d: redirected", response.status_code)
    raise TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")
