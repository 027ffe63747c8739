"""The one way the core makes HTTP clients: TLS always verified (app/remote/tls.py: the OS store
plus the settings' CA bundle), a User-Agent, bounded timeouts, and a polite retry on 429/503 that
honours Retry-After. Every remote client builds on these.

A failed connection is not always "the server is down": a certificate that is expired, untrusted
or for another host, or a refused TLS version, is reported as what it is (TlsFailure and its
kinds), because a man-in-the-middle must not look like a network cut. Those errors are still
ServerUnreachable (nothing was exchanged: background work waits and retries as when offline), but
the login refuses to go offline on them and the status bar says them.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import math
import random
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable
from importlib import metadata
from pathlib import Path

import httpx

from app import logs, messages
from app.errors import CoreError
from app.messages import Message
from app.remote.http_closing import ClosingClient
from app.remote.tls import CertificateFacts, peer_certificate, trust_context

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
    message = messages.SERVER_UNREACHABLE


class TooManyRedirects(CoreError):
    message = messages.TOO_MANY_REDIRECTS


class TlsFailure(ServerUnreachable):
    """The secure connection could not be set up (a handshake refused for another reason than
    the certificate): each subclass is one reason."""

    message = messages.TLS_FAILURE


class TlsVersionRefused(TlsFailure):
    message = messages.TLS_VERSION_REFUSED


class CertificateRefused(TlsFailure):
    """The server's certificate failed verification (the base when the reason is unknown)."""

    message = messages.CERTIFICATE_REFUSED


class CertificateExpired(CertificateRefused):
    """Expired, or not valid yet (then the computer's clock is the usual suspect)."""

    message = messages.CERTIFICATE_EXPIRED

    @classmethod
    def with_facts(cls, facts: CertificateFacts, now: dt.datetime) -> CertificateExpired:
        if now < facts.not_before:
            return cls(
                "certificate not yet valid",
                messages.CERTIFICATE_NOT_YET_VALID_ON.fill(day=facts.not_before.date()),
            )
        return cls(
            "certificate expired", messages.CERTIFICATE_EXPIRED_ON.fill(day=facts.not_after.date())
        )


class CertificateRevoked(CertificateRefused):
    """Revoked by its authority (issue 14 §3): no longer valid, whatever its dates say."""

    message = messages.CERTIFICATE_REVOKED


class CertificateRevocationUnknown(CertificateRefused):
    """Whether it is revoked could not be learnt (the authority's CRL or OCSP unreachable)."""

    message = messages.CERTIFICATE_REVOCATION_UNKNOWN


class CertificateNotTrusted(CertificateRefused):
    """Self-signed, or issued by an authority this computer does not trust."""

    message = messages.CERTIFICATE_NOT_TRUSTED


class CertificateWrongHost(CertificateRefused):
    """Valid, but for another server name."""

    message = messages.CERTIFICATE_WRONG_HOST

    @classmethod
    def with_names(cls, host: str, names: tuple[str, ...]) -> CertificateWrongHost:
        shown = ", ".join(f"« {n} »" for n in names[:3]) + (" …" if len(names) > 3 else "")
        return cls(
            "certificate for another host",
            messages.CERTIFICATE_WRONG_HOST_NAMES.fill(names=shown, host=host),
        )


# verify_code of ssl.SSLCertVerificationError: OpenSSL's X509_V_ERR_* (Linux), and the codes
# truststore passes on from CryptoAPI (Windows, CERT_E_*) and Security.framework (macOS).
_EXPIRED_CODES = frozenset({9, 10, 0x800B0101, -67818, -67819})
_UNTRUSTED_CODES = frozenset({2, 18, 19, 20, 21, 0x800B0109, 0x800B010A, -67843})
_WRONG_HOST_CODES = frozenset({62, 64, 0x800B010F, -67602})
# Revoked: OpenSSL X509_V_ERR_CERT_REVOKED, Windows CRYPT_E_REVOKED and CERT_E_REVOKED, macOS
# errSecCertificateRevoked. Revocation unknown: OpenSSL's CRL missing, not yet valid or expired,
# Windows CRYPT_E_NO_REVOCATION_CHECK and CRYPT_E_REVOCATION_OFFLINE.
_REVOKED_CODES = frozenset({23, 0x80092010, 0x800B010C, -67820})
_REVOCATION_UNKNOWN_CODES = frozenset({3, 11, 12, 0x80092012, 0x80092013})
# Handshake refusals that mean "no TLS version in common".
_VERSION_REASONS = frozenset(
    {"TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_PROTOCOLS_AVAILABLE"}
)


def _ssl_cause(exc: BaseException) -> ssl.SSLError | None:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def unreachable_from(
    exc: httpx.TransportError,
    facts: CertificateFacts | None = None,
    fallback: type[ServerUnreachable] = ServerUnreachable,
) -> ServerUnreachable:
    """The user-facing error for a transport failure: each TLS problem its own, else `fallback`.
    `facts` (the refused certificate, see `transport_error`) adds its date or its names."""
    cause = _ssl_cause(exc)
    if isinstance(cause, ssl.SSLCertVerificationError):
        return _certificate_error(cause, _host(exc), facts)
    if (
        cause is not None
        and isinstance(exc, httpx.ConnectError)
        and not isinstance(cause, ssl.SSLEOFError | ssl.SSLZeroReturnError)
    ):
        if cause.reason in _VERSION_REASONS:
            return TlsVersionRefused(str(cause.reason))
        return TlsFailure(str(cause.reason or type(cause).__name__))
    return fallback(type(exc).__name__)


def _certificate_error(
    error: ssl.SSLCertVerificationError, host: str | None, facts: CertificateFacts | None
) -> CertificateRefused:
    code = getattr(error, "verify_code", None)  # absent when raised by hand (truststore)
    if code in _REVOKED_CODES:
        return CertificateRevoked(str(code))
    if code in _REVOCATION_UNKNOWN_CODES:
        return CertificateRevocationUnknown(str(code))
    now = dt.datetime.now(dt.UTC)
    if code in _EXPIRED_CODES or (code not in _KNOWN_CODES and facts and not facts.valid_at(now)):
        if facts is not None and not facts.valid_at(now):
            return CertificateExpired.with_facts(facts, now)
        return CertificateExpired(str(code))  # e.g. an intermediate authority's certificate
    if code in _WRONG_HOST_CODES or (
        code not in _KNOWN_CODES and facts and host and not facts.matches(host)
    ):
        if facts and host and facts.names:
            return CertificateWrongHost.with_names(host, facts.names)
        return CertificateWrongHost(str(code))
    if code in _UNTRUSTED_CODES or facts is not None:
        return CertificateNotTrusted(str(code))
    return CertificateRefused(str(code))


_KNOWN_CODES = (
    _EXPIRED_CODES
    | _UNTRUSTED_CODES
    | _WRONG_HOST_CODES
    | _REVOKED_CODES
    | _REVOCATION_UNKNOWN_CODES
)


def _host(exc: httpx.TransportError) -> str | None:
    try:
        return exc.request.url.host or None
    except RuntimeError:  # an exception raised without its request
        return None


async def transport_error(
    exc: httpx.TransportError, fallback: type[ServerUnreachable] = ServerUnreachable
) -> ServerUnreachable:
    """`unreachable_from`, with the refused certificate read (unverified, to describe it) when
    the failure is a certificate's: its expiry date, the names it is valid for."""
    facts = None
    if isinstance(_ssl_cause(exc), ssl.SSLCertVerificationError):
        try:
            url = exc.request.url
        except RuntimeError:
            url = None
        if url is not None and url.host:
            facts = await peer_certificate(url.host, url.port or 443)
    error = unreachable_from(exc, facts, fallback)
    if isinstance(error, TlsFailure):
        log.warning("TLS refused: %s (%s)", type(error).__name__, error)
    return error


async def tls_reason(exc: httpx.HTTPError) -> Message | None:
    """For a client whose own error says "unreachable" (the directory, the regional API): the
    sentence of the TLS failure behind `exc` (its certificate expired, not trusted, for another
    host…), so that it is said as such there too; None for a plain network failure."""
    if not isinstance(exc, httpx.TransportError) or _ssl_cause(exc) is None:
        return None
    error = await transport_error(exc)
    return error.message if isinstance(error, TlsFailure) else None


def make_http_client(
    *,
    ca_bundle: Path | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    auth: httpx.Auth | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """Create it inside the running loop and close it (`aclose`) before the loop ends.

    Verification is never off: the OS store, plus the authorities of `ca_bundle` (the settings'
    extra CA file; CaBundleError, in French, when it cannot be used). `transport` is for tests
    that must simulate a network failure. Closing it closes every connection it opened
    (app/remote/http_closing.py), even one its pool let go of during a cancelled request.
    """
    return ClosingClient(
        verify=trust_context(ca_bundle),
        timeout=timeout,
        auth=auth,
        limits=DEFAULT_LIMITS,
        headers={"User-Agent": USER_AGENT},
        transport=transport,
    )


@contextlib.asynccontextmanager
async def network_errors() -> AsyncIterator[None]:
    """Turns httpx transport errors (refused, reset, timed out, TLS) into ServerUnreachable (a
    TlsFailure for TLS problems)."""
    try:
        yield
    except httpx.TransportError as exc:
        log.info("network failure: %s", type(exc).__name__)
        raise await transport_error(exc) from exc


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
