"""Failed-login throttling (DESIGN §2.1): growing delays for whoever fails, never a lock-out.

Locking a login after N failures lets anyone lock the real user out from anywhere, and counting
failures per login only lets one address try one password on every login. So failures are
counted in three tables, each a sliding window of failure times (`ServerConfig.throttle_*`):

- per (login, client address): 5 failures are free, then each attempt waits 1, 2, 4… s after
  the last failure, at most 60 s. While it waits an attempt is refused (429 + Retry-After)
  without its password being checked; once the wait is over the right password gets in. Only
  the address that failed waits: the real user elsewhere is not slowed by someone's guesses.
- per client address, across logins: 50 failures are free — a hospital's staff share one address
  behind its NAT and make honest typos at 8 a.m. — then the same doubling, at most 300 s.
  Spraying one password over many logins from one address stops there.
- per login, across addresses: a soft bound against guesses spread over many addresses. 100
  failures are free, then at most 5 s between attempts, so a botnet gets a few hundred guesses
  an hour on a login instead of thousands per address. Addresses where the login succeeded
  within the last 30 days are exempt: the real user at her usual place is never slowed by it,
  and elsewhere she waits a few seconds at worst.

An attempt is counted as a failure when it is admitted, before its (slow) password check, so a
burst of parallel guesses cannot all pass the check before the first failure is recorded; a
success takes it back. Memory is bounded: each table keeps at most `throttle_max_keys` keys (the
least recently failed are dropped first) of a few dozen bytes each and, per key, no more failure
times than it takes to reach the longest delay. Failed logins and throttling are logged on
`server.auth` with the login and the address, never the password; a refused attempt is logged
once per delay, not once per request, so that hammering the endpoint does not flood the log.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection

from server.config import Backoff, ServerConfig

log = logging.getLogger("server.auth")

KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600
_LOGGED_LOGIN_CHARS = 64


def client_address(request: HTTPConnection, behind_proxy: bool) -> str:
    """The caller's address as the throttle counts it: the socket's peer, or, behind a proxy,
    the last address of X-Forwarded-For (the one the proxy saw). IPv6 addresses count by /64,
    the block one subscriber gets."""
    host = request.client.host if request.client else ""
    if behind_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            host = last
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass(frozen=True)
class Attempt:
    """One login attempt: refused (`retry_after` seconds to wait) or admitted and counted."""

    login: str  # as given (for the log)
    address: str
    at: float
    retry_after: int | None = None

    @property
    def keys(self) -> tuple[str, str]:
        """(login key, pair key): logins are case-insensitive; an absurdly long one counts by
        its digest, so that a key never weighs more than a few dozen bytes."""
        name = self.login.casefold()
        if len(name) > _LOGGED_LOGIN_CHARS:
            name = "sha256:" + hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()
        return name, f"{name}\n{self.address}"

    @property
    def logged_login(self) -> str:
        return self.login[:_LOGGED_LOGIN_CHARS]


@dataclass
class _Failures:
    times: deque[float]
    reported_until: float = 0.0  # the end of the last delay written to the log


@dataclass
class _Table:
    """Failure times per key, within the window, for one kind of key."""

    name: str
    backoff: Backoff
    window: float
    max_keys: int
    entries: OrderedDict[str, _Failures] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        # More failure times than this would not make the delay any longer.
        doublings = math.ceil(math.log2(max(1.0, self.backoff.longest / self.backoff.first)))
        self.keep = self.backoff.free + doublings + 1

    def wait(self, key: str, now: float) -> float:
        """Seconds before `key` may try again (0: now)."""
        entry = self.entries.get(key)
        if entry is None:
            return 0.0
        while entry.times and entry.times[0] <= now - self.window:
            entry.times.popleft()
        beyond = len(entry.times) - self.backoff.free
        if beyond < 0 or not entry.times:
            return 0.0
        delay = min(self.backoff.first * 2.0**beyond, self.backoff.longest)
        return max(0.0, entry.times[-1] + delay - now)

    def add(self, key: str, now: float) -> None:
        entry = self.entries.pop(key, None) or _Failures(deque(maxlen=self.keep))
        entry.times.append(now)
        self.entries[key] = entry  # the most recently failed last
        while self.entries:
            oldest = next(iter(self.entries.values()))
            stale = not oldest.times or oldest.times[-1] <= now - self.window
            if not stale and len(self.entries) <= self.max_keys:
                break
            self.entries.popitem(last=False)

    def take_back(self, key: str, at: float) -> None:
        entry = self.entries.get(key)
        if entry is None:
            return
        with contextlib.suppress(ValueError):  # already out of the window
            entry.times.remove(at)

    def clear(self, key: str) -> None:
        self.entries.pop(key, None)

    def report(self, key: str, until: float) -> bool:
        """True the first time a refusal until `until` is seen for `key` (to log it once)."""
        entry = self.entries.get(key)
        if entry is None or entry.reported_until == until:
            return False
        entry.reported_until = until
        return True


class LoginThrottle:
    def __init__(self, config: ServerConfig, clock: Callable[[], float] = time.monotonic) -> None:
        window = float(config.throttle_window)
        self._pairs = _Table(
            "login and address", config.throttle_login_address, window, config.throttle_max_keys
        )
        self._addresses = _Table(
            "address", config.throttle_address, window, config.throttle_max_keys
        )
        self._logins = _Table("login", config.throttle_login, window, config.throttle_max_keys)
        self._known: OrderedDict[str, float] = OrderedDict()  # pair → time of the last success
        self._max_keys = config.throttle_max_keys
        self._clock = clock
        self._lock = threading.Lock()

    def admit(self, login: str, address: str) -> Attempt:
        """Refused while a delay runs (nothing counted); otherwise counted as a failure until
        `succeeded` takes it back."""
        with self._lock:
            now = self._clock()
            name, pair = Attempt(login, address, now).keys
            checks = [(self._pairs, pair), (self._addresses, address)]
            if not self._is_known(pair, now):
                checks.append((self._logins, name))
            waits = [(table.wait(key, now), table, key) for table, key in checks]
            wait, table, key = max(waits, key=lambda w: w[0])
            if wait > 0:
                retry_after = max(1, math.ceil(wait))
                attempt = Attempt(login, address, now, retry_after)
                if table.report(key, round(now + wait, 3)):
                    log.warning(
                        "login attempts refused for %r from %s for %d s (too many failures per %s)",
                        attempt.logged_login,
                        address,
                        retry_after,
                        table.name,
                    )
                return attempt
            for table, key in (
                (self._pairs, pair),
                (self._addresses, address),
                (self._logins, name),
            ):
                table.add(key, now)
            return Attempt(login, address, now)

    def failed(self, attempt: Attempt) -> None:
        """The password was wrong (already counted by `admit`): logged."""
        log.warning("failed login for %r from %s", attempt.logged_login, attempt.address)

    def succeeded(self, attempt: Attempt) -> None:
        name, pair = attempt.keys
        with self._lock:
            self._pairs.clear(pair)
            self._addresses.take_back(attempt.address, attempt.at)
            self._logins.take_back(name, attempt.at)
            self._known.pop(pair, None)
            self._known[pair] = attempt.at
            while len(self._known) > self._max_keys:
                self._known.popitem(last=False)

    def tracked_keys(self) -> list[str]:
        """The keys the tables hold (memory stays bounded whatever callers send)."""
        with self._lock:
            tables = (self._pairs.entries, self._addresses.entries, self._logins.entries)
            return [key for table in (*tables, self._known) for key in table]

    def _is_known(self, pair: str, now: float) -> bool:
        last = self._known.get(pair)
        return last is not None and now - last < KNOWN_ADDRESS_SECONDS
