"""Delayed sending (RFC 8621 §7 with the FUTURERELEASE SMTP extension, RFC 4865).

A submission whose envelope asks for HOLDFOR / HOLDUNTIL is stored `pending` and released by one
background thread at its sendAt, through the same code as an immediate send. What is still to
send lives in its own table (`held_sends`), apart from the submission record: destroying the
record must not affect the delivery (RFC 8621 §7.5), and a sandbox reopened on the same data
delivers what came due while it was down.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from server.context import Sandbox

log = logging.getLogger(__name__)

HOLD_PARAMETERS = ("HOLDFOR", "HOLDUNTIL")

MIGRATIONS = [
    """
    CREATE TABLE held_sends (
        submission_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        blob_id TEXT NOT NULL,
        envelope TEXT NOT NULL,
        release_at INTEGER NOT NULL
    );
    CREATE INDEX held_sends_by_release ON held_sends (release_at);
    """
]

# RFC 4865 §3: holdfor-value = 1*9DIGIT; HOLDUNTIL is an RFC 3339 date-time.
_HOLDFOR = re.compile(r"[0-9]{1,9}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


class HoldError(ValueError):
    """A HOLDFOR / HOLDUNTIL the sandbox's MTA would refuse (501/554 in SMTP)."""


def take_hold(envelope: Any, max_hold: int, now: float) -> tuple[float | None, Any, dict[str, str]]:
    """Splits the FUTURERELEASE parameters off a client's envelope: (the release time in epoch
    seconds or None, the envelope without them, the parameters as given, names upper-cased).
    Raises HoldError for a value RFC 4865 or the sandbox's limit refuses."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("mailFrom"), dict):
        return None, envelope, {}
    parameters = envelope["mailFrom"].get("parameters")
    if not isinstance(parameters, dict):
        return None, envelope, {}
    names = {k: k.upper() for k in parameters if isinstance(k, str)}
    hold = {names[k]: v for k, v in parameters.items() if names.get(k) in HOLD_PARAMETERS}
    if not hold:
        return None, envelope, {}
    if max_hold <= 0:
        raise HoldError("Delayed sending (FUTURERELEASE) is off on this server.")
    if len(hold) > 1:
        raise HoldError("HOLDFOR and HOLDUNTIL cannot be used together (RFC 4865).")
    if sum(1 for k in names.values() if k in HOLD_PARAMETERS) > 1:
        raise HoldError("A FUTURERELEASE parameter is given twice.")
    [(name, value)] = hold.items()
    if not isinstance(value, str):
        raise HoldError(f"{name} needs a value.")
    if name == "HOLDFOR":
        if not _HOLDFOR.fullmatch(value):
            raise HoldError("HOLDFOR is a number of seconds (1 to 9 digits).")
        if int(value) > max_hold:
            raise HoldError(f"HOLDFOR is beyond the maximum hold of {max_hold} seconds.")
        release = now + int(value)
    else:
        if not _DATE_TIME.fullmatch(value):
            raise HoldError("HOLDUNTIL is an RFC 3339 date-time with its offset.")
        try:
            when = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        except ValueError:
            raise HoldError("HOLDUNTIL is not a valid date-time.") from None
        release = when.timestamp()
        if release > now + max_hold:
            raise HoldError(f"HOLDUNTIL is beyond the maximum hold of {max_hold} seconds.")
    rest = {k: v for k, v in parameters.items() if not (isinstance(k, str) and k.upper() in hold)}
    stripped = {**envelope, "mailFrom": {**envelope["mailFrom"], "parameters": rest or None}}
    return release, stripped, {name: value}


def extension_arguments(max_hold: int, now: float) -> list[str]:
    """The EHLO arguments of FUTURERELEASE (RFC 4865 §3): max-future-release-interval and
    max-future-release-date-time."""
    latest = datetime.fromtimestamp(int(now) + max_hold, UTC)
    return [str(max_hold), latest.strftime("%Y-%m-%dT%H:%M:%SZ")]


class DelayedSends:
    """The release thread. `wake` after a hold is committed; `stop` before the database closes."""

    def __init__(self, sandbox: Sandbox, release: Callable[[Sandbox, str], None]) -> None:
        self._sandbox = sandbox
        self._release = release
        sandbox.db.migrate("delayed_send", MIGRATIONS)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delayed-sends", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()  # before looking: a hold committed meanwhile wakes the wait
            try:
                next_at = self.release_due()
            except Exception:  # a bug must not end the thread: retry a little later
                log.exception("delayed sends: release failed")
                next_at = time.time() + 5
            timeout = None if next_at is None else max(0.0, next_at - time.time())
            self._wake.wait(timeout)

    def release_due(self) -> float | None:
        """Sends what is due; returns when the next hold is due (None: nothing held)."""
        db = self._sandbox.db
        with db.read() as conn:
            due = [
                r[0]
                for r in conn.execute(
                    "SELECT submission_id FROM held_sends WHERE release_at <= ? "
                    "ORDER BY release_at, rowid",
                    (time.time(),),
                )
            ]
        for submission_id in due:
            if self._stopping.is_set():
                return None
            self._release(self._sandbox, submission_id)
        with db.read() as conn:
            row = conn.execute("SELECT MIN(release_at) FROM held_sends").fetchone()
        return None if row[0] is None else float(row[0])
