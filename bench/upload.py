"""Peak memory while a 200 MB attachment goes through the outbox (target ≤ 50 MB above idle).

    .venv/bin/python bench/upload.py [--size-mb 200] [--patient] [--tracemalloc]

A message with one generated file (random bytes) is queued (its content copied into the
encrypted cache) and sent with Outbox.send_pending (the upload streams it from the cache through
one reader thread and connection) to a sandbox run as a subprocess with maxSizeUpload (and so
maxSizeAttachmentsPerEmail) raised to 512 MB — a message about a patient carries the document
twice, as itself and inside IHE_XDM.ZIP — so that only the client is in this process. A thread
samples VmRSS (/proc/self/status) every 20 ms; "above idle" is the peak minus the RSS measured
once everything is set up and before queueing.

`--patient` makes it a message about a patient: it then carries an IHE_XDM.ZIP streamed, while
queueing, from the cache's copy of the document into chunk rows of its own (see the report
printed). `--tracemalloc` (or a missed target) repeats the run with tracemalloc and prints where
Python's allocations peak.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.message.compose import OutgoingAttachment, OutgoingMessage
from app.message.patient import PatientIdentity
from app.outbox.sender import SENT, Outbox
from app.remote.auth import ServerAuth, password_grant
from app.remote.http import make_http_client
from app.remote.jmap import JmapClient
from app.store import outbox as outbox_rows
from app.store.db import Cache
from app.store.key import CacheKey
from app.store.records import Address
from bench.sync import server_process
from server.context import Sandbox
from server.testing import quick_config

SENDER = ("bench.sender", "bench-secret-1", "bench.sender@sisra-demo.mssante.fr")
RECIPIENT = ("bench.recipient", "bench-secret-2", "bench.recipient@sisra-demo.mssante.fr")
MAX_UPLOAD = 512 * 1024 * 1024
MB = 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


@dataclass
class Sampler:
    """VmRSS every `interval` seconds in a thread; the peak per named phase."""

    interval: float = 0.02
    phase: str = "idle"
    peaks: dict[str, int] = field(default_factory=dict)
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        threading.Thread(target=self._run, name="rss-sampler", daemon=True).start()

    def _run(self) -> None:
        while not self._stop.is_set():
            value = rss_bytes()
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), value)
            self.samples += 1
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()


def prepare_server(data: Path) -> None:
    sandbox = Sandbox(quick_config(data, max_size_upload=MAX_UPLOAD))
    for login, password, email in (SENDER, RECIPIENT):
        sandbox.accounts.create(login, password, login.replace(".", " ").title(), email)
    sandbox.close()


def write_random_file(path: Path, size: int) -> None:
    with path.open("wb") as f:
        left = size
        while left:
            piece = min(left, MB)
            f.write(os.urandom(piece))
            left -= piece


@dataclass
class Result:
    idle: int
    peaks: dict[str, int]
    queue_seconds: float
    send_seconds: float
    upload_seconds: float
    state: str
    samples: int


async def run_once(url: str, folder: Path, document: Path, with_patient: bool) -> Result:
    """Logs in, opens the cache, measures idle, then queues and sends the message."""
    cache = await asyncio.to_thread(Cache.open, folder / "cache.db", CacheKey.random())
    sampler = Sampler()
    try:
        async with make_http_client() as login_http:
            tokens = await password_grant(login_http, url, SENDER[0], SENDER[1])
        assert tokens is not None
        async with make_http_client(auth=ServerAuth(url, tokens=tokens)) as http:
            jmap = JmapClient(http, url + "/.well-known/jmap")
            await jmap.session()
            outbox = Outbox(cache, jmap)
            await outbox._publish_counts()  # the code paths of idle use, warmed
            sampler.start()
            await asyncio.sleep(0.5)
            idle = min(rss_bytes(), sampler.peaks.get("idle", rss_bytes()))
            patient = (
                PatientIdentity(
                    ins="279035121518989",
                    oid="1.2.250.1.213.1.4.8",
                    given="Banc",
                    family="ESSAI",
                    birth_date=None,
                    sex="female",
                )
                if with_patient
                else None
            )
            message = OutgoingMessage(
                from_=Address("Bench Sender", SENDER[2]),
                to=[Address("Bench Recipient", RECIPIENT[2])],
                subject="Bench upload",
                text="Un document volumineux.",
                patient=patient,
                attachments=[OutgoingAttachment(document, "scanner.pdf", "application/pdf")],
            )
            sampler.phase = "queue"
            started = time.perf_counter()
            outbox_id = await outbox.queue(message)
            queued = time.perf_counter()
            sampler.phase = "send"  # the upload; then "create+submit"
            upload_seconds = 0.0
            real_upload = jmap.upload

            async def timed_upload(*a: Any, **k: Any) -> Any:
                """The upload alone, timed (the rest of send is Email/set and submission)."""
                nonlocal upload_seconds
                began = time.perf_counter()
                try:
                    return await real_upload(*a, **k)
                finally:
                    upload_seconds += time.perf_counter() - began
                    sampler.phase = "create+submit"

            jmap.upload = timed_upload  # type: ignore[method-assign]
            await outbox.send_pending()
            sent = time.perf_counter()
            sampler.phase = "after"
            await asyncio.sleep(0.1)
        with cache.read() as conn:
            row = outbox_rows.get(conn, outbox_id)
        state = row.state if row is not None else "missing"
        if row is not None and row.error:
            state += f" ({row.error})"
    finally:
        sampler.stop()
        await asyncio.to_thread(cache.close)
    return Result(
        idle, sampler.peaks, queued - started, sent - queued, upload_seconds, state, sampler.samples
    )


def traced(url: str, folder: Path, document: Path, with_patient: bool) -> None:
    """The same run under tracemalloc: Python's allocation peak and where it comes from."""
    tracemalloc.start(12)
    result = asyncio.run(run_once(url, folder, document, with_patient))
    current, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    print(
        f"\ntracemalloc run ({result.state}): Python allocations peaked at {peak / MB:.1f} MB "
        f"({current / MB:.1f} MB still held at the end); biggest live blocks by line:"
    )
    for stat in snapshot.statistics("lineno")[:10]:
        frame = stat.traceback[0]
        print(f"  {stat.size / MB:8.2f} MB  {frame.filename}:{frame.lineno}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--patient", action="store_true", help="a message about a patient (XDM)")
    parser.add_argument("--tracemalloc", action="store_true", help="always trace allocations")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        document = folder / "document.bin"
        write_random_file(document, args.size_mb * MB)
        with document.open("rb") as f:
            digest = hashlib.sha256(f.read(MB)).hexdigest()[:12]
        prepare_server(folder / "server")
        with server_process(folder / "server", "--max-upload", str(MAX_UPLOAD)) as url:
            (folder / "run1").mkdir()
            result = asyncio.run(run_once(url, folder / "run1", document, args.patient))
            print(
                f"{args.size_mb} MB document (random bytes, {digest}…), "
                f"{'with a patient (IHE_XDM.ZIP built)' if args.patient else 'no patient'}: "
                f"state {result.state}"
            )
            upload = result.upload_seconds
            uploaded_mb = args.size_mb * (2 if args.patient else 1)  # the XDM holds it again
            print(
                f"queue (copy into the encrypted cache"
                f"{', IHE_XDM.ZIP streamed' if args.patient else ''}): "
                f"{result.queue_seconds:.2f} s; "
                f"send: {result.send_seconds:.2f} s, of which the upload of {uploaded_mb} MB "
                f"{upload:.2f} s ({uploaded_mb / upload:.0f} MB/s) and Email/set + submission "
                f"(the sandbox building and delivering the message) "
                f"{result.send_seconds - upload:.2f} s"
            )
            above = {k: v - result.idle for k, v in result.peaks.items()}
            phases = ["queue", "send", "create+submit"]
            overall = max(above.get(p, 0) for p in phases)
            print(
                f"RSS idle {result.idle / MB:.1f} MB; peak above idle: "
                + ", ".join(f"{p} {above.get(p, 0) / MB:.1f} MB" for p in phases)
                + f"; overall {overall / MB:.1f} MB (target ≤ 50 MB); "
                f"{result.samples} samples every 20 ms"
            )
            if overall > 50 * MB or args.tracemalloc or result.state != SENT:
                (folder / "run2").mkdir()
                traced(url, folder / "run2", document, args.patient)
    print(
        f"reproduce: .venv/bin/python bench/upload.py --size-mb {args.size_mb}"
        + (" --patient" if args.patient else "")
        + (" --tracemalloc" if args.tracemalloc else "")
    )


if __name__ == "__main__":
    main()
