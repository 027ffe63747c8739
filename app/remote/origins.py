"""Where the account's credentials may go (DESIGN §2.1): to the origin the user logged in to, or to
one the user approved at the first login of the account; never from https to http; and http only
to this computer.

An origin is a scheme, a host and a port (RFC 6454), the unit browsers trust. The server a user
types is trusted with the password; anything else it names (a redirected `/.well-known/jmap`, a
Session's `apiUrl`, a regional service, a portal page that receives a one-time code) is a claim of
that server, which the user is shown once, like a mail client's automatic configuration, and which
is kept with the account. `OriginPolicy` is that decision: ServerAuth asks it before attaching a
credential to any request (so every caller of the account's HTTP client is covered, present and
future), and the JMAP client asks it about every URL of a Session before using any of them.

No httpx here: the login window checks a typed address with this module before the core is loaded.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from app import messages
from app.errors import CoreError
from app.messages import Message

__all__ = [
    "CleartextServerUrl",
    "ForeignOrigin",
    "InsecureOrigin",
    "InvalidServerUrl",
    "Origin",
    "OriginApprovalNeeded",
    "OriginPolicy",
    "OriginRefused",
    "check_server_url",
    "is_loopback",
    "origin_of",
]

DEFAULT_PORTS = {"http": 80, "https": 443}
# A host name once IDNA-encoded: letters, digits, hyphens, dots (and the underscores some
# internal names have). Nothing else can reach a message or a dialog.
_HOST_NAME = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?")


@dataclass(frozen=True, order=True)
class Origin:
    scheme: str  # "http" or "https"
    host: str  # lower case, IDNA-encoded (xn--…), or an IP address in its usual form
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if DEFAULT_PORTS[self.scheme] == self.port:
            return f"{self.scheme}://{host}"
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    """This computer: localhost, 127.0.0.0/8, ::1 (and ::ffff:127.x)."""
    host = host.lower().rstrip(".").strip("[]")
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def origin_of(url: str) -> Origin:
    """The origin of an http(s) URL. ValueError when it has none: another scheme, no host, a bad
    port, a host that is no host name (markup, spaces…), or a URI template in its first part."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError("not an http(s) URL")
    if "{" in parts.netloc or "}" in parts.netloc:
        raise ValueError("a template in the origin")
    port = parts.port  # ValueError when out of range or not a number
    host = parts.hostname
    if not host:
        raise ValueError("no host")
    return Origin(scheme, _host(host), DEFAULT_PORTS[scheme] if port is None else port)


def _host(host: str) -> str:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        name = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError("not a host name") from None
    if not _HOST_NAME.fullmatch(name):
        raise ValueError("not a host name")
    return name


# --- The server address the user types ---------------------------------------------------------


class InvalidServerUrl(CoreError):
    message = messages.INVALID_SERVER_URL


class CleartextServerUrl(InvalidServerUrl):
    message = messages.CLEARTEXT_SERVER_URL


def check_server_url(url: str) -> str:
    """The server address as typed, without surrounding spaces and final "/", and https:// put
    before a bare host ("sante-ara.fr", "mss.example.fr:8443/base": what most people type, and
    what the service's letters print). InvalidServerUrl unless it is then an http(s) URL of a
    host (no user name, query or fragment), its sentence naming what is wrong (a space, another
    scheme, a user name, a query); CleartextServerUrl for http:// to another computer. Nothing
    is sent before this passes."""
    text = url.strip().rstrip("/")
    if not text or any(not c.isprintable() for c in text):
        raise InvalidServerUrl("empty or not printable")
    if any(c.isspace() for c in text):
        raise InvalidServerUrl("a space in the server address", messages.SERVER_URL_SPACE)
    if "://" not in url:
        text = "https://" + text
    scheme = urlsplit(text).scheme.lower()
    if scheme not in DEFAULT_PORTS:
        # Shown in the sentence only when it is a word: no markup, nothing long, from the field.
        shown = scheme if scheme.isascii() and scheme.isalpha() else "…"
        raise InvalidServerUrl("not http(s)", messages.SERVER_URL_SCHEME.fill(scheme=shown))
    try:
        origin = origin_of(text)
        parts = urlsplit(text)
    except ValueError:
        raise InvalidServerUrl("not an http(s) URL of a host") from None
    if parts.username is not None or parts.query or parts.fragment or "#" in text or "?" in text:
        raise InvalidServerUrl(
            "user name, query or fragment in the server address", messages.SERVER_URL_EXTRA
        )
    if origin.scheme == "http" and not origin.loopback:
        raise CleartextServerUrl("http:// to another computer")
    return text


# --- Where the credentials may go ----------------------------------------------------------------


def _names(origins: Iterable[Origin]) -> str:
    return ", ".join(str(o) for o in origins)


class OriginRefused(CoreError):
    """Something was to go where this account's credentials may not: refused, nothing sent."""

    message = messages.ORIGIN_REFUSED

    def __init__(
        self, detail: str, origins: Sequence[Origin] = (), message: Message | None = None
    ) -> None:
        super().__init__(detail, message)
        self.origins = tuple(origins)


class ForeignOrigin(OriginRefused):
    """An origin that is neither the login's nor approved (after the first login: not asked)."""

    def __init__(self, origins: Sequence[Origin]) -> None:
        names = _names(origins)
        super().__init__(
            f"foreign origin: {names}",
            origins,
            messages.FOREIGN_ORIGIN.fill(origins=names),
        )


class InsecureOrigin(OriginRefused):
    """http to another computer, or http after an https login: never, not even approved."""

    def __init__(self, origin: Origin) -> None:
        super().__init__(
            f"insecure origin: {origin}",
            (origin,),
            messages.INSECURE_ORIGIN.fill(origin=str(origin)),
        )


class OriginApprovalNeeded(CoreError):
    """At the first login of an account, the server names other origins: the user decides (the
    login is tried again with them approved). Nothing was sent to them."""

    def __init__(self, origins: Sequence[Origin]) -> None:
        self.origins = tuple(origins)
        names = _names(origins)
        super().__init__(
            f"approval needed: {names}",
            messages.ORIGIN_APPROVAL_NEEDED.fill(origins=names),
        )


@dataclass(frozen=True)
class OriginPolicy:
    """The login origin, the origins approved for this account, and whether this is its first
    login (`asking`: other origins are put to the user instead of refused)."""

    login: Origin
    approved: frozenset[Origin] = frozenset()
    asking: bool = False

    @classmethod
    def for_url(cls, url: str) -> OriginPolicy:
        """The policy of a login at `url`: its origin, and nothing else."""
        return cls(origin_of(url))

    def settled(self) -> OriginPolicy:
        """The same approvals, once the first login is over: nobody is asked any more."""
        return dataclasses.replace(self, asking=False)

    def insecure(self, origin: Origin) -> bool:
        return origin.scheme == "http" and (not origin.loopback or self.login.scheme == "https")

    def allows(self, origin: Origin) -> bool:
        return not self.insecure(origin) and (origin == self.login or origin in self.approved)

    def check(self, *urls: str) -> None:
        """Returns when every URL may receive the credentials. Otherwise raises, before anything
        is sent: InsecureOrigin (never approvable), OriginApprovalNeeded with every other origin at
        the first login, ForeignOrigin later."""
        origins = self._origins(urls)
        for origin in origins:
            if self.insecure(origin):
                raise InsecureOrigin(origin)
        foreign = sorted({o for o in origins if not self.allows(o)})
        if foreign and self.asking:
            raise OriginApprovalNeeded(foreign)
        if foreign:
            raise ForeignOrigin(foreign)

    def check_encrypted(self, url: str) -> None:
        """For what carries no credential (the public part of a Session): any origin, but never
        http where the login was https, nor to another computer."""
        [origin] = self._origins([url])
        if self.insecure(origin):
            raise InsecureOrigin(origin)

    @staticmethod
    def _origins(urls: Iterable[str]) -> list[Origin]:
        try:
            return [origin_of(url) for url in urls]
        except ValueError as e:
            raise OriginRefused(f"not an origin ({e})") from None
