"""What an anonymous 200 MB POST costs the sandbox: its peak RSS growth, per endpoint (target
≤ 16 MB each; before the body cap of server/bodies.py a regional POST cost some 600 MB).

    .venv/bin/python bench/bodies.py [--size-mb 200]

The sandbox runs as a subprocess (`monsisra-server`), so that its memory is its own. For each
endpoint and each way of sending (a declared Content-Length, and chunked without one), the peak
RSS of the server is reset (`/proc/PID/clear_refs`), 200 MB of zeros are sent from a generator
without credentials, and the server's VmHWM (peak) minus its RSS before is printed with the
answer, the time it took and how much of the body the client managed to send before the server
answered and closed the connection.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sync import server_process

MB = 1024 * 1024
TARGET_MB = 16
ENDPOINTS = (
    "/auth/token",
    "/jmap/api",
    "/jmap/upload/a1/",
    "/regional/v1/patients",
    "/regional/v1/resource-teams/rt1/templates",
    "/portal/inscription",
)


def status_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


class Body:
    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        chunk = bytes(MB)
        while self.sent < self.size:
            self.sent += len(chunk)
            yield chunk


def measure(pid: int, url: str, size: int, declared: bool) -> tuple[int, float, float, int]:
    """(status, peak growth in MB, seconds, MB sent) for one anonymous POST."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = status_kb(pid, "VmRSS")
    body = Body(size)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if declared:
        headers["Content-Length"] = str(size)
    started = time.perf_counter()
    try:
        status = httpx.post(url, content=body, headers=headers, timeout=120).status_code
    except httpx.TransportError:
        status = 0  # the connection dropped before an answer
    elapsed = time.perf_counter() - started
    time.sleep(0.2)  # the server's handling of the rest, if it reads it
    growth = (status_kb(pid, "VmHWM") - before) / 1024
    return status, growth, elapsed, body.sent // MB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    args = parser.parse_args()
    size = args.size_mb * MB
    pids: list[int] = []
    worst = 0.0
    with (
        tempfile.TemporaryDirectory() as tmp,
        server_process(Path(tmp) / "sandbox", on_start=pids.append) as base,
    ):
        pid = pids[0]
        print(f"sandbox pid {pid}, idle RSS {status_kb(pid, 'VmRSS') / 1024:.0f} MB")
        print(
            f"{'endpoint':44} {'sent as':14} {'answer':>6} {'peak +MB':>9} {'s':>6} {'MB sent':>8}"
        )
        for path in ENDPOINTS:
            for declared in (True, False):
                status, growth, elapsed, sent = measure(pid, base + path, size, declared)
                worst = max(worst, growth)
                how = "Content-Length" if declared else "chunked"
                print(f"{path:44} {how:14} {status:>6} {growth:>9.1f} {elapsed:>6.2f} {sent:>8}")
    verdict = "met" if worst <= TARGET_MB else "MISSED"
    print(f"worst peak growth {worst:.1f} MB; target ≤ {TARGET_MB} MB: {verdict}")
    print("run alone: .venv/bin/python bench/bodies.py --size-mb 200")
    return 0 if worst <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
