"""What the client trusts for TLS, and what a server's certificate says.

Hospital IT installs its roots in the operating system's store, so that store is what we trust,
plus the CA bundle the user may add in the settings (IGC Santé roots for hospital servers): added
to the store, never replacing it. TLS 1.2 at least; host names always checked.

The store, per system:
- Windows and macOS: `truststore`, which hands each server's chain to the system's own verifier
  (CryptoAPI, Security.framework: roots pushed by group policy or MDM, intermediates fetched,
  revocation). Extra CAs loaded into its context are trusted beside the system's: macOS adds them
  as anchors without dropping the system's; Windows verifies with the system first and, when that
  refuses, with an engine that trusts the loaded CAs only. They are loaded as `cadata` (truststore
  reads them back with `get_ca_certs`, which does not see a `capath` folder).
- Linux: truststore is OpenSSL's default verify paths (SSL_CERT_FILE and SSL_CERT_DIR honoured),
  but it reloads them at every new connection, inside the event loop: a request over a new
  connection took 29 ms instead of 3.4 ms on loopback (bench/tls.py; httpx drops a connection
  idle for 5 s). So on Linux the same paths are loaded once into a plain OpenSSL context, with the
  same fallback when this Python's OpenSSL points at folders the distribution lacks (a frozen
  build).
Building a context costs 20-40 ms (the store is parsed): one is built per CA bundle content and
shared by every client of the process; asking again costs 0.1 ms (the bundle read and checked).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import ipaddress
import os
import platform
import ssl
from dataclasses import dataclass
from pathlib import Path

import truststore
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from app import logs, messages
from app.errors import CoreError
from app.text import strip_bidi

log = logs.get("tls")

MIN_VERSION = ssl.TLSVersion.TLSv1_2
MAX_BUNDLE_BYTES = 4 * 1024 * 1024  # a CA bundle is a few kB; this is surely another file
# Where distributions keep their bundle, for a Python whose OpenSSL looks elsewhere.
_LINUX_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # Fedora, RHEL
    "/etc/pki/tls/cert.pem",  # older Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",  # SUSE
    "/etc/ssl/cert.pem",  # Alpine, Arch
)


class CaBundleError(CoreError):
    """The CA bundle chosen in the settings cannot be used (the sentence names the file)."""

    @classmethod
    def missing(cls, path: Path) -> CaBundleError:
        return cls("CA bundle missing", messages.CA_BUNDLE_MISSING.fill(name=_name(path)))

    @classmethod
    def unreadable(cls, path: Path) -> CaBundleError:
        return cls("CA bundle unreadable", messages.CA_BUNDLE_UNREADABLE.fill(name=_name(path)))

    @classmethod
    def invalid(cls, path: Path) -> CaBundleError:
        return cls(
            "CA bundle without a CA certificate", messages.CA_BUNDLE_INVALID.fill(name=_name(path))
        )


def _name(path: Path) -> str:
    return strip_bidi(path.name)


@dataclass(frozen=True)
class CaBundle:
    """The CA certificates of a bundle file: their PEM text and who they are (for the settings)."""

    pem: str
    subjects: tuple[str, ...]


def read_ca_bundle(path: Path) -> CaBundle:
    """The CA certificates of `path` (PEM; other certificates in it are ignored). CaBundleError
    when the file is missing, unreadable, or holds no CA certificate."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BUNDLE_BYTES + 1)
    except FileNotFoundError:
        raise CaBundleError.missing(path) from None
    except IsADirectoryError:
        raise CaBundleError.invalid(path) from None
    except OSError:
        raise CaBundleError.unreadable(path) from None
    if len(data) > MAX_BUNDLE_BYTES:
        raise CaBundleError.invalid(path)
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise CaBundleError.invalid(path) from None
    authorities = [c for c in certificates if _is_authority(c)]
    if not authorities:
        raise CaBundleError.invalid(path)
    pem = "".join(c.public_bytes(Encoding.PEM).decode("ascii") for c in authorities)
    return CaBundle(pem, tuple(describe_name(c.subject) for c in authorities))


def _is_authority(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    except ValueError:  # a malformed extension: not something to trust
        return False
    return constraints.value.ca


def describe_name(name: x509.Name) -> str:
    """'AC IGC-SANTE ELEMENTAIRE SERVEURS (ASIP-SANTE)': the common name and the organisation,
    as the certificate says them (outside text: shown as plain text)."""

    def first(oid: x509.ObjectIdentifier) -> str | None:
        values = name.get_attributes_for_oid(oid)
        value = values[0].value if values else None
        return strip_bidi(value) if isinstance(value, str) else None

    common, organization = first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATION_NAME)
    if common and organization and organization != common:
        return f"{common} ({organization})"
    return common or organization or strip_bidi(name.rfc4514_string())


def trust_context(ca_bundle: Path | None = None) -> ssl.SSLContext:
    """The SSL context of every client: the OS store, plus the CA bundle's authorities when one
    is given (read now: CaBundleError when it cannot be used). Shared: never modify it."""
    pem = read_ca_bundle(ca_bundle).pem if ca_bundle is not None else None
    return _context(pem)


@functools.lru_cache(maxsize=4)
def _context(extra_pem: str | None) -> ssl.SSLContext:
    if platform.system() in ("Windows", "Darwin"):
        context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        _load_openssl_store(context)
    context.minimum_version = MIN_VERSION
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    if extra_pem is not None:
        context.load_verify_locations(cadata=extra_pem)
    log.info("TLS context built (extra authorities: %s)", "yes" if extra_pem else "no")
    return context


def _load_openssl_store(context: ssl.SSLContext) -> None:
    """OpenSSL's default paths (SSL_CERT_FILE, SSL_CERT_DIR honoured), else the distribution's
    bundle where this OpenSSL was built to look elsewhere."""
    defaults = ssl.get_default_verify_paths()
    if defaults.cafile or (defaults.capath and _holds_certificates(defaults.capath)):
        context.set_default_verify_paths()
        return
    for candidate in _LINUX_BUNDLES:
        if os.path.isfile(candidate):
            context.load_verify_locations(cafile=candidate)
            return
    log.warning("no system certificate store found: only the settings' authorities are trusted")


def _holds_certificates(folder: str) -> bool:
    """A c_rehash folder: files named like 1a2b3c4d.0."""
    with contextlib.suppress(OSError):
        return any(
            len(name) == 10 and name[8] == "." and name[9].isdigit() for name in os.listdir(folder)
        )
    return False


# --- what a refused certificate says ---------------------------------------------------------


@dataclass(frozen=True)
class CertificateFacts:
    """What a server's certificate says, read without trusting it (to explain a refusal)."""

    not_before: dt.datetime
    not_after: dt.datetime
    names: tuple[str, ...]  # the host names and addresses it is valid for
    subject: str
    issuer: str
    self_signed: bool

    @classmethod
    def parse(cls, der: bytes) -> CertificateFacts:
        certificate = x509.load_der_x509_certificate(der)
        try:
            alt = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            names = [strip_bidi(n) for n in alt.value.get_values_for_type(x509.DNSName)]
            names += [str(a) for a in alt.value.get_values_for_type(x509.IPAddress)]
        except (x509.ExtensionNotFound, ValueError):
            common = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            names = [strip_bidi(str(common[0].value))] if common else []
        return cls(
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            names=tuple(names),
            subject=describe_name(certificate.subject),
            issuer=describe_name(certificate.issuer),
            self_signed=certificate.subject == certificate.issuer,
        )

    def valid_at(self, moment: dt.datetime) -> bool:
        return self.not_before <= moment <= self.not_after

    def matches(self, host: str) -> bool:
        """Whether `host` is one of the certificate's names (RFC 6125: a wildcard stands for
        one whole left-most label)."""
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is not None:
            return any(_same_address(name, address) for name in self.names)
        wanted = host.rstrip(".").lower()
        for name in self.names:
            pattern = name.rstrip(".").lower()
            if pattern == wanted:
                return True
            if pattern.startswith("*.") and wanted.partition(".")[2] == pattern[2:]:
                return True
        return False


def _same_address(name: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    try:
        return ipaddress.ip_address(name) == address
    except ValueError:
        return False


async def peer_certificate(host: str, port: int, timeout: float = 3.0) -> CertificateFacts | None:
    """The certificate `host:port` presents, read WITHOUT verification and only to describe a
    refusal to the user (expiry date, names): the handshake ends there, nothing is sent over it,
    and the connection is closed at once, without TLS's goodbye (asyncio waits up to 30 s for the
    server's, with the connection open: a server that never answers it, or this read cancelled
    meanwhile, would leave it open). None when it cannot be had."""
    unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE  # only reads the certificate: nothing is sent
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(
                host, port, ssl=unverified, server_hostname=host
            )
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        return CertificateFacts.parse(der) if der else None
    except (OSError, TimeoutError, ValueError):
        return None
    finally:
        if writer is not None:
            writer.transport.abort()
            with contextlib.suppress(OSError, ssl.SSLError):
                await writer.wait_closed()  # the next turns of the loop: the socket closed
