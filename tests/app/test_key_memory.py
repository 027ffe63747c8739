"""After the account closes (what a lock does), no copy of the cache key is left in the process's
memory: not the raw 32 bytes, not their hex forms (SQLCipher's raw-key spelling). A child process
opens a real session and closes it; this process reads the child's memory (/proc/PID/mem, every
readable mapping) for the key, which it learns by unlocking the vault itself. The same scan while
the session is open finds the key: the scan can see it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.account.vault import Vault
from app.paths import account_dir
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.app.test_sync_engine import GP

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/PID/mem")


@dataclass(frozen=True)
class Needles:
    raw: bytes

    def forms(self) -> dict[str, bytes]:
        return {
            "raw": self.raw,
            "hex": self.raw.hex().encode(),
            "HEX": self.raw.hex().upper().encode(),
            "hex (UCS-2)": self.raw.hex().encode("utf-16-le"),
            "hex (UCS-4)": self.raw.hex().encode("utf-32-le"),
        }


def scan(pid: int, needles: dict[str, bytes]) -> dict[str, int]:
    """How many times each needle appears in the readable memory of `pid`."""
    found = dict.fromkeys(needles, 0)
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps:
            fields = line.split()
            if not fields[1].startswith("r") or (len(fields) > 5 and fields[5] == "[vvar]"):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            try:
                mem.seek(start)
                chunk = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue  # a mapping that cannot be read (guard pages)
            for name, needle in needles.items():
                found[name] += chunk.count(needle)
    return found


@contextmanager
def child_session(data: Path, server: ServerThread) -> Iterator[subprocess.Popen[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONSISRA_")}
    env["MONSISRA_PASSWORD"] = DEMO_PASSWORD
    # As a context manager, Popen closes its pipes once the child has ended.
    with subprocess.Popen(
        [sys.executable, "-m", "tests.app.key_memory_child", str(data), server.base_url, GP.login],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as child:
        try:
            yield child
        finally:
            child.kill()
            child.wait()


def step(child: subprocess.Popen[str], expected: str) -> None:
    assert child.stdin is not None
    assert child.stdout is not None
    if expected != "open":
        child.stdin.write("\n")
        child.stdin.flush()
    assert child.stdout.readline().strip() == expected


def key_of(data: Path, server: ServerThread) -> bytes:
    with Vault(account_dir(data, server.base_url, GP.login)).unlock(DEMO_PASSWORD).view() as v:
        return bytes(v)


@pytest.mark.parametrize("login", ["first (vault created)", "again (vault unlocked)"])
def test_no_copy_of_the_cache_key_is_left_in_memory_after_the_account_closes(
    demo_server: ServerThread, tmp_path: Path, login: str
) -> None:
    data = tmp_path / "client"
    if login.startswith("again"):
        with child_session(data, demo_server) as first:
            step(first, "open")
            step(first, "closed")
    with child_session(data, demo_server) as child:
        step(child, "open")
        needles = Needles(key_of(data, demo_server)).forms()
        while_open = scan(child.pid, needles)
        step(child, "closed")
        after_close = scan(child.pid, needles)
    print(f"\n{login}: while open {while_open}, after close {after_close}")
    assert sum(while_open.values()) > 0  # the scan does see the key where it is
    assert after_close == dict.fromkeys(needles, 0)
