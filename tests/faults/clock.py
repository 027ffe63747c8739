"""Issue 17 §3: a child process whose wall clock the test moves while it runs.

libfaketime (Debian's `faketime`, scripts/system-deps.sh) is preloaded into the child. It reads
FAKETIME_TIMESTAMP_FILE again at each time call (FAKETIME_NO_CACHE=1), so rewriting the file
jumps the running child's wall clock (time.time, datetime.now: clock_gettime(CLOCK_REALTIME)).
FAKETIME_DONT_FAKE_MONOTONIC=1 leaves CLOCK_MONOTONIC alone, as a real clock change does: Python's
time.monotonic and asyncio's loop.time read it, and so do Qt's timers; the scenarios check that too.

The scenarios run in the child (`python -m tests.faults.clock NAME [ARGS]`): each prints JSON lines
(`{"event": ...}`) and, where the test must jump the clock at a chosen point, waits for a line on
stdin first.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
LIBFAKETIME = next(iter(sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))), None)
HANG = 60.0  # only catches a hang


class ClockChild:
    """A scenario in a child process, with a wall clock `jump` moves (the monotonic one never)."""

    def __init__(self, tmp_path: Path, *argv: str) -> None:
        if LIBFAKETIME is None:
            raise RuntimeError("libfaketime missing: scripts/system-deps.sh test (as root)")
        self.offset = 0
        self.rc_file = tmp_path / "faketime.rc"
        self._write()
        env = {
            **os.environ,
            "LD_PRELOAD": LIBFAKETIME,
            "FAKETIME_TIMESTAMP_FILE": str(self.rc_file),
            "FAKETIME_NO_CACHE": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": os.pathsep.join(sys.path),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.clock", *argv],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _write(self) -> None:
        temporary = self.rc_file.with_suffix(".new")
        temporary.write_text(f"{self.offset:+d}\n")
        temporary.replace(self.rc_file)  # never a half-written file for the child to read

    def jump(self, seconds: int) -> None:
        """The child's wall clock moves by `seconds` from now on (forward or back)."""
        self.offset += seconds
        self._write()

    def tell(self, line: str = "go") -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read(self) -> dict[str, Any]:
        """The child's next event; a hang or an early exit fails the test."""
        assert self.proc.stdout is not None
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(HANG)
        if not box or not box[0]:
            self.close()
            raise AssertionError(f"the child said nothing (exit code {self.proc.poll()})")
        event: dict[str, Any] = json.loads(box[0])
        return event

    def expect(self, name: str) -> dict[str, Any]:
        event = self.read()
        assert event["event"] == name, event
        return event

    def close(self) -> int:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(HANG)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(BrokenPipeError):
                    pipe.close()
        return self.proc.returncode

    def __enter__(self) -> ClockChild:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@pytest.fixture
def zone() -> Iterator[Callable[[str], None]]:
    """Sets this process's time zone as a system zone change does (TZ, then tzset); the one
    before comes back after the test."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


# ---- in the child ---------------------------------------------------------------------------


def _say(event: str, **fields: Any) -> None:
    fields.update(event=event, wall=time.time(), mono=time.monotonic())
    print(json.dumps(fields), flush=True)


def _wait_for_parent() -> None:
    sys.stdin.readline()


def clocks() -> None:
    """What libfaketime reaches: both clocks before and after the parent's jump."""
    _say("before")
    _wait_for_parent()
    _say("after")


def autolock(ms: str) -> None:
    """An AutoLock of `ms`: the parent jumps the wall clock while it waits; says when it locked."""
    from PySide6.QtCore import QCoreApplication, QTimer

    from ui.desktop.autolock import AutoLock

    app = QCoreApplication([])
    lock = AutoLock(0, ms=int(ms))

    def locked() -> None:
        _say("locked", idle_ms=lock.idle_ms())
        app.quit()

    lock.timedOut.connect(locked)
    lock.start()
    _say("started")
    QTimer.singleShot(int(HANG * 1000), app.quit)  # a lock that never comes ends the child
    app.exec()


def backoff(first: str) -> None:
    """The reconnection's wait (app/sync/reconnect.py) while the wall clock jumps."""
    from app.sync.reconnect import Reconnection

    async def main() -> None:
        retry = Reconnection(first=float(first), maximum=float(first))
        _say("waiting")
        await retry.wait(asyncio.Event())
        _say("waited")

    asyncio.run(main())


def token(server_url: str, login: str, password: str) -> None:
    """A session whose token the parent ages by jumping the wall clock: counts the refreshes
    and the 401 answers each request costs (the server's clock is the real one)."""
    import httpx

    from app.remote.auth import ServerAuth, password_grant
    from app.remote.http import make_http_client

    async def main() -> None:
        seen: list[str] = []

        async def on_response(response: httpx.Response) -> None:
            if response.request.url.path == "/auth/token":
                seen.append("refresh")
            elif response.status_code == 401:
                seen.append("401")

        async with make_http_client() as http:
            tokens = await password_grant(http, server_url, login, password)
            assert tokens is not None
            auth = ServerAuth(server_url, tokens=tokens, login=login)
            http.auth = auth
            http.event_hooks = {"request": [], "response": [on_response]}
            _say("logged-in", left=tokens.expires_at - time.monotonic())
            while line := await asyncio.to_thread(sys.stdin.readline):
                if line.startswith("sleep"):  # until so close to the expiry that it is refreshed
                    await asyncio.sleep(float(line.split()[1]))
                seen.clear()
                response = await http.get(server_url + "/.well-known/jmap")
                _say("asked", status=response.status_code, seen=seen)

    asyncio.run(main())


def undo(server_url: str, login: str, password: str, data: str, to: str, hold_s: str) -> None:
    """A running session sends a message to `to` with an undo delay of `hold_s`; the parent jumps
    the wall clock during it, then asks (stdin) for a send pass ("pass": what push, a reconnection
    or another send would start), for "Annuler" ("cancel"), or to wait until it left ("left")."""
    from app.message.compose import OutgoingMessage
    from app.session import AccountSession
    from app.store.records import Address

    async def main() -> None:
        session = await AccountSession.open(Path(data), server_url, login, password)
        session.start()
        try:
            while not (session.online and session.engine is not None):
                await asyncio.sleep(0.05)
            me = await session.own_address()
            message = OutgoingMessage(
                from_=me, to=[Address(None, to)], subject="Annulable", text="."
            )
            await session.send(message, delay_s=float(hold_s))
            _say("queued", states=[r.state.value for r in session.outbox_list()])
            while line := (await asyncio.to_thread(sys.stdin.readline)).strip():
                if line == "pass":
                    await session.send_outbox()
                    [row] = session.outbox_list()
                    _say("passed", state=row.state.value, left=session.hold_left(row))
                elif line == "cancel":
                    [row] = session.outbox_list()
                    await session.reopen_unsent(row.id)
                    left = len(session.outbox_list())
                    _say("cancelled", outbox=left, drafts=len(session.drafts()))
                elif line == "left":
                    while [r.state.value for r in session.outbox_list()] != ["sent"]:
                        await asyncio.sleep(0.1)
                    _say("left")
        finally:
            await session.close()

    asyncio.run(main())


SCENARIOS = {
    "clocks": clocks,
    "autolock": autolock,
    "backoff": backoff,
    "token": token,
    "undo": undo,
}

if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        SCENARIOS[sys.argv[1]](*sys.argv[2:])
