"""A private Cyrus IMAP on loopback for the interop tests and bench/interop.py: started and stopped
by scripts/interop/cyrus/, filled over LMTP, touched over IMAP as another mail client would."""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import smtplib
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.remote.jmap import JmapClient

ALICE = "alice@example.com"
BOB = "bob@example.com"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts" / "interop" / "cyrus"
CANNOT_RUN_HERE = 3  # start.sh's exit code when this machine cannot run Cyrus (not why it failed)


class CyrusUnavailable(Exception):
    """Cyrus cannot run on this machine (not Debian, or not installed and not root)."""


class CyrusFailed(Exception):
    """Cyrus could run here but did not start."""


@dataclass(frozen=True)
class Cyrus:
    state: Path
    server_url: str  # what the user types in the login window
    session_url: str
    imap_port: int
    lmtp_port: int
    smtp_outbox: Path  # what the SMTP relay saw (one JSON object per message)
    passwords: dict[str, str]  # login (an address) → password

    @property
    def users(self) -> list[str]:
        return list(self.passwords)


def can_run_here() -> str | None:
    """None when start.sh may work here, else why not (for a skip message)."""
    installed = Path("/usr/lib/cyrus/bin/httpd").exists()
    if installed:
        return None
    if not Path("/etc/debian_version").exists() or shutil.which("apt-get") is None:
        return (
            "Cyrus IMAP is not installed and this is not Debian (scripts/interop/cyrus installs it)"
        )
    if os.geteuid() != 0:
        return "Cyrus IMAP is not installed and installing it needs root (apt-get)"
    return None


def new_state_dir() -> Path:
    """A state folder Cyrus's own user can reach: in the system's /tmp (Cyrus runs on Debian only),
    not in the run's temporary folder (tests/conftest.py), which is inside pytest's, private to
    root. `stop` removes it."""
    path = Path(tempfile.mkdtemp(prefix="monsisra-cyrus-", dir="/tmp"))
    path.chmod(0o711)
    return path / "state"


def start(state: Path, timeout: float = 600) -> Cyrus:
    """Runs start.sh (which may install Cyrus first: hence the long timeout)."""
    done = subprocess.run(
        [str(SCRIPTS / "start.sh"), str(state)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode == CANNOT_RUN_HERE:
        raise CyrusUnavailable(done.stderr.strip())
    if done.returncode != 0:
        raise CyrusFailed(f"start.sh exited with {done.returncode}:\n{done.stderr}")
    values = dict(
        line.split("=", 1) for line in done.stdout.splitlines() if "=" in line and line[0].isupper()
    )
    passwords = dict(pair.rsplit(":", 1) for pair in values["USERS"].split(","))
    return Cyrus(
        state=Path(values["CYRUS_STATE"]),
        server_url=values["SERVER_URL"],
        session_url=values["JMAP_SESSION_URL"],
        imap_port=int(values["IMAP_PORT"]),
        lmtp_port=int(values["LMTP_PORT"]),
        smtp_outbox=Path(values["SMTP_OUTBOX"]),
        passwords=passwords,
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


def deliver(
    cyrus: Cyrus,
    messages: Iterable[bytes],
    to: str,
    sender: str = "expediteur@mssante.example",
    connections: int = 4,
) -> int:
    """Delivers each message to `to` over LMTP (a few connections in parallel, each message once,
    in order within a connection); returns how many were accepted. A refusal fails loudly."""
    batch = list(messages)
    shares = [batch[i::connections] for i in range(connections)]

    def send(share: list[bytes]) -> int:
        if not share:
            return 0
        with smtplib.LMTP("127.0.0.1", cyrus.lmtp_port) as lmtp:
            for raw in share:
                refused = lmtp.sendmail(sender, [to], raw)
                if refused:
                    raise CyrusFailed(f"LMTP refused a message: {refused}")
        return len(share)

    with ThreadPoolExecutor(max_workers=connections) as pool:
        return sum(pool.map(send, shares))


@contextlib.contextmanager
def imap(cyrus: Cyrus, login: str) -> Iterator[imaplib.IMAP4]:
    """An IMAP session of `login`: another mail client touching the same mailbox."""
    client = imaplib.IMAP4("127.0.0.1", cyrus.imap_port)
    try:
        client.login(login, cyrus.passwords[login])
        yield client
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()


@contextlib.asynccontextmanager
async def jmap_client(cyrus: Cyrus, login: str) -> AsyncIterator[JmapClient]:
    """`login`'s JMAP client on Cyrus over HTTP Basic, for the tests' own checks."""
    async with httpx.AsyncClient(auth=(login, cyrus.passwords[login]), timeout=60) as http:
        yield JmapClient(http, cyrus.session_url)
