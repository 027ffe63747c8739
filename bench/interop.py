"""Initial sync of the same 1,000 and 10,000 messages from Cyrus IMAP and from the sandbox, side by
side: the app's engine (SQLCipher cache + SyncEngine.sync_once) against a real third-party JMAP
server and against ours.

    .venv/bin/python bench/interop.py [--sizes 1000,10000] [--runs 1] [--whole]

Needs Cyrus (scripts/interop/cyrus installs it as root on Debian). The corpus is
tests/interop/corpus.py's, generated once for the largest size: the first 1,000 messages of the
10,000 are the 1,000. Cyrus gets them over LMTP (its receivedAt is the delivery time), the sandbox
imports the same bytes; each server runs in its own processes, so this process's CPU is the
client's.

The Nagle point (../shared/interop/cyrus/README.md): over a reused HTTP/1.1 connection Cyrus's
larger responses carry ~40 ms of extra latency (Nagle's algorithm meeting delayed ACKs). The app
speaks HTTP/1.1 with keep-alive, so every Email/get page pays it; the "no keep-alive" row opens a
connection per request instead, and the per-request times show the difference.

`--whole` measures the whole first sync instead (issue 12, defect 15): SyncEngine.sync_all, with
the patients read from the XDM packages (the corpus has 1,126 in 10,000 messages) and the
documents of the last 30 days kept offline, with the app's default budget; each run also says when
the pass, the patients (the ≤ 7 s figure) and the documents (soon after) ended. On Cyrus every
message was delivered just now: all of its documents are of the month.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.attachments import Attachments
from app.copies import PrivateCopies
from app.remote import http as http_module
from app.remote.auth import ServerAuth, password_grant
from app.remote.http import make_http_client
from app.remote.jmap import JmapClient
from app.store.db import Cache
from app.store.key import CacheKey
from app.sync.engine import SyncEngine, SyncReport
from bench.sync import ends, server_process
from server.context import Sandbox
from server.testing import quick_config
from tests.interop import corpus, cyrus
from tests.interop.cyrus import ALICE

ROOT = Path(__file__).resolve().parent.parent
KEY = CacheKey(
    lambda buffer: buffer.__setitem__(
        slice(None), hashlib.sha256(b"monsisra interop bench key").digest()
    )
)  # synthetic data only
SANDBOX_LOGIN, SANDBOX_PASSWORD = "alice", "alice-bench-password"


@dataclass
class Run:
    server: str
    count: int
    seconds: float
    cpu: float
    request_ms: list[float] = field(default_factory=list)
    patients: int = 0  # --whole: emails whose patient was read, documents kept offline
    documents: int = 0
    ended: str = ""  # --whole: when the pass, the patients and the documents ended
    patients_ended: float = 0.0  # --whole: the ≤ 7 s figure

    @property
    def rate(self) -> float:
        return self.count / self.seconds


# --- the servers --------------------------------------------------------------------------------


def sandbox_data(path: Path, messages: list[bytes]) -> None:
    """A sandbox whose alice holds `messages` (imported as delivered mail, in order)."""
    sandbox = Sandbox(quick_config(path))
    try:
        account = sandbox.accounts.create(SANDBOX_LOGIN, SANDBOX_PASSWORD, "Dr Alice Martin", ALICE)
        with sandbox.db.write():
            for raw in messages:
                sandbox.mail.import_message(account.id, raw)
    finally:
        sandbox.close()


# --- one sync ------------------------------------------------------------------------------------


async def app_sync(
    url: str, basic: tuple[str, str] | None, db_path: Path, timings: list[float], whole: bool
) -> SyncReport:
    """Cache + SyncEngine.sync_once (sync_all with documents kept when `whole`) over the app's
    HTTP client, logged in as the app does (HTTP Basic on Cyrus, a token on the sandbox)."""
    auth = ServerAuth(url, basic=basic) if basic else await sandbox_auth(url)
    cache = await asyncio.to_thread(Cache.open, db_path, KEY)

    async def timed(response: httpx.Response) -> None:
        await response.aread()
        timings.append(response.elapsed.total_seconds() * 1000)

    try:
        async with make_http_client(auth=auth) as http:
            http.event_hooks["response"] = [timed]
            jmap = JmapClient(http, url + "/.well-known/jmap")
            if not whole:
                return await SyncEngine(cache, jmap).sync_once()
            copies = PrivateCopies(db_path.with_suffix(".copies"))
            return await SyncEngine(
                cache, jmap, documents=Attachments(cache, jmap, copies)
            ).sync_all()
    finally:
        await asyncio.to_thread(cache.close)


async def sandbox_auth(url: str) -> ServerAuth:
    async with make_http_client() as http:
        tokens = await password_grant(http, url, SANDBOX_LOGIN, SANDBOX_PASSWORD)
    assert tokens is not None
    return ServerAuth(url, tokens=tokens)


def measure(
    name: str, url: str, basic: tuple[str, str] | None, work: Path, whole: bool = False
) -> Run:
    db = work / f"cache-{time.monotonic_ns()}.sqlite3"
    timings: list[float] = []
    started, cpu = time.perf_counter(), time.process_time()
    report = asyncio.run(app_sync(url, basic, db, timings, whole))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    run = Run(name, report.added, seconds, cpu, timings, report.patients, report.documents)
    if whole:
        run.ended = ends(report)
        run.patients_ended = report.patients_ended
    for leftover in work.glob(db.stem + "*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    return run


@contextlib.contextmanager
def without_keep_alive() -> Iterator[None]:
    """Bench only: the app's HTTP client opens a connection per request while inside."""
    original = http_module.DEFAULT_LIMITS
    http_module.DEFAULT_LIMITS = httpx.Limits(max_connections=16, max_keepalive_connections=0)
    try:
        yield
    finally:
        http_module.DEFAULT_LIMITS = original


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.seconds)


# --- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000", help="mailbox sizes, ascending")
    parser.add_argument("--runs", type=int, default=2, help="runs per row (the best is shown)")
    parser.add_argument("--whole", action="store_true", help="sync_all: patients and documents")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    reason = cyrus.can_run_here()
    if reason is not None:
        sys.exit(f"bench/interop.py: {reason}")

    started = time.perf_counter()
    made = corpus.generate(sizes[-1], to=ALICE)
    print(f"corpus of {sizes[-1]:,} messages generated in {time.perf_counter() - started:.1f} s")
    work = Path(tempfile.mkdtemp(prefix="monsisra-bench-interop-"))
    state = cyrus.new_state_dir()
    rows: list[tuple[int, list[Run]]] = []
    every: list[tuple[int, list[list[Run]]]] = []
    try:
        server = cyrus.start(state)
        basic = (ALICE, server.passwords[ALICE])
        delivered = 0
        for size in sizes:
            started = time.perf_counter()
            delivered += cyrus.deliver(server, made.messages[delivered:size], ALICE)
            took = time.perf_counter() - started
            print(f"Cyrus: {delivered:,} messages delivered over LMTP ({took:.1f} s for this step)")
            data = work / f"sandbox-{size}"
            started = time.perf_counter()
            sandbox_data(data, made.messages[:size])
            print(f"sandbox: {size:,} messages imported in {time.perf_counter() - started:.1f} s")
            whole = args.whole
            with server_process(data) as url:
                sandbox_runs = [
                    measure("sandbox", url, None, work, whole) for _ in range(args.runs)
                ]
            cyrus_runs = [
                measure("Cyrus", server.server_url, basic, work, whole) for _ in range(args.runs)
            ]
            with without_keep_alive():
                fresh = [
                    measure("Cyrus, no keep-alive", server.server_url, basic, work, whole)
                    for _ in range(args.runs)
                ]
            rows.append((size, [best(sandbox_runs), best(cyrus_runs), best(fresh)]))
            every.append((size, [sandbox_runs, cyrus_runs, fresh]))
            shutil.rmtree(data, ignore_errors=True)
    finally:
        cyrus.stop(state)
        shutil.rmtree(work, ignore_errors=True)

    what = "sync_all: patients and documents kept" if args.whole else "sync_once"
    print(f"\ninitial sync, the app's engine (SQLCipher cache + SyncEngine.{what}), same corpus")
    header = f"{'messages':>9}  {'server':<22}{'seconds':>8}{'msg/s':>8}{'client CPU':>11}"
    whole_header = f"{'patients':>9}{'documents':>10}" if args.whole else ""
    print(header + f"{'requests':>10}{'median ms':>11}{'max ms':>8}" + whole_header)
    for size, runs in rows:
        for run in runs:
            timings = sorted(run.request_ms)
            median = timings[len(timings) // 2] if timings else 0.0
            print(
                f"{size:>9,}  {run.server:<22}{run.seconds:>8.2f}{run.rate:>8.0f}"
                f"{run.cpu:>10.2f}s{len(timings):>10}{median:>11.1f}{max(timings, default=0):>8.0f}"
                + (f"{run.patients:>9}{run.documents:>10}" if args.whole else "")
            )
            if run.ended:
                print(f"{'':>11}{run.ended}")
        sandbox, on_cyrus = runs[0], runs[1]
        print(f"{'':>11}Cyrus / sandbox time: {on_cyrus.seconds / sandbox.seconds:.2f}×")
    if args.whole:
        # The best run by total time is shown above; the patients' figure of every run here,
        # so that a lucky one does not stand for the rest.
        print("\npatients ended at, every run (seconds from the sync's start)")
        for size, kinds in every:
            for runs in kinds:
                times = sorted(r.patients_ended for r in runs)
                median = times[len(times) // 2]
                listed = ", ".join(f"{t:.2f}" for t in times)
                print(f"{size:>9,}  {runs[0].server:<22}{listed}  (median {median:.2f})")
    again = f"--sizes {args.sizes} --runs {args.runs}" + (" --whole" if args.whole else "")
    print(f"\nrun alone: .venv/bin/python bench/interop.py {again}")


if __name__ == "__main__":
    main()
