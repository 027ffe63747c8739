"""Initial sync of 10,000 messages with bodies from the sandbox: the app against a raw floor, and
what encryption costs on the same sync (targets ≥ 1,000 msg/s, ≤ 1.5× the floor, ≤ 1.3× plain).

    .venv/bin/python bench/sync.py [--scale 10000] [--runs 1] [--cache .bench-cache] [--profile]

Measured in one process, against one sandbox run as a subprocess (so that only the client's
CPU is in this process; the server has its own):
- floor: the same JMAP calls as the engine (Email/query ids in pages of 2,000, Email/get pages
  of the same size and properties, the first page alone then 3 in flight) and a bulk insert of
  each email's raw JSON into plain sqlite3 by one writer thread, without the app's logic;
- app: Cache (SQLCipher) + SyncEngine.sync_once, through the app's HTTP client and auth;
- app-plain: the same engine into a plain SQLite file. Only inside this bench, the Cache's key
  pragma is swapped for a no-op (the file is checked to be plain SQLite afterwards); the app has
  no code path without encryption.

The demo sandbox (the GP gets `--scale` extra messages) is built once in the cache folder and
copied for each run of the bench (delete the folder to rebuild it). `--profile` (or a missed
target) adds a run that says where the app's time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import functools
import hashlib
import inspect
import io
import json
import pstats
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.remote import jmap as jmap_module
from app.remote.auth import ServerAuth, password_grant
from app.remote.http import make_http_client
from app.remote.jmap import JmapClient
from app.store import mail
from app.store.db import Cache
from app.store.key import CacheKey
from app.sync import engine as engine_module
from app.sync.engine import IDS_PAGE, SyncEngine, SyncReport
from app.sync.mapping import EMAIL_GET_ARGS
from server import demo
from server.context import Sandbox
from server.demo.users import DEMO_PASSWORD
from server.testing import quick_config

LOGIN = "helene.garnier"
KEY = CacheKey(
    lambda buffer: buffer.__setitem__(slice(None), hashlib.sha256(b"monsisra bench key").digest())
)  # synthetic data only
WINDOW = 3  # pages in flight after the first, as SyncEngine._reconcile does


def ends(report: SyncReport) -> str:
    """When a sync_all's pass, its patients and its documents ended, counted from its start: the
    figures of defect 15 of issue 12 (the patients ≤ 7 s, the month's documents soon after)."""
    return (
        f"pass ended at {report.pass_ended:.2f} s, patients at {report.patients_ended:.2f} s, "
        f"documents at {report.documents_ended:.2f} s"
    )


# --- the sandbox -------------------------------------------------------------------------------


def build(path: Path, scale: int) -> float | None:
    """The demo sandbox with `scale` extra messages, unless a finished one is there."""
    if (path / "ready").exists():
        return None
    shutil.rmtree(path, ignore_errors=True)
    started = time.perf_counter()
    sandbox = Sandbox(quick_config(path))
    demo.generate(sandbox, scale=scale, professionals=2000)
    sandbox.close()
    (path / "ready").write_text("ok")
    return time.perf_counter() - started


@contextlib.contextmanager
def server_process(
    data: Path, *extra: str, on_start: Callable[[int], None] | None = None
) -> Iterator[str]:
    """`monsisra-server` in a subprocess on a free loopback port; yields its base URL
    (`on_start` gets its process id, for a bench that watches its memory)."""
    log = (data.parent / f"{data.name}.log").open("w")  # its banner and warnings, if any
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "--port", "0", "--data", str(data), *extra],
        stdout=subprocess.PIPE,
        stderr=log,
        cwd=Path(__file__).resolve().parent.parent,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if not first:
            raise RuntimeError(f"the sandbox did not start: see {log.name}")
        if on_start is not None:
            on_start(process.pid)
        yield str(json.loads(first)["url"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        log.close()


# --- the floor ---------------------------------------------------------------------------------


async def floor_sync(url: str, token: str, db_path: Path, page_size: int) -> int:
    """The engine's JMAP calls and a raw JSON insert into plain sqlite3; returns the count."""
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE emails (id TEXT PRIMARY KEY, data TEXT NOT NULL)")
    writer = ThreadPoolExecutor(max_workers=1)

    def insert(objects: list[dict[str, Any]]) -> None:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT OR REPLACE INTO emails VALUES (?, ?)",
            [(o["id"], json.dumps(o)) for o in objects],
        )
        conn.execute("COMMIT")

    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(headers=headers, timeout=60) as http:
        session = (await http.get(url + "/.well-known/jmap")).json()
        api = httpx.URL(url).join(session["apiUrl"])
        account = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
        using = ["urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail"]

        async def call(name: str, args: dict[str, Any]) -> dict[str, Any]:
            body = {"using": using, "methodCalls": [[name, {"accountId": account, **args}, "0"]]}
            response = await http.post(api, content=json.dumps(body).encode())
            answer: dict[str, Any] = json.loads(response.content)["methodResponses"][0][1]
            return answer

        ids: list[str] = []
        while True:
            answer = await call(
                "Email/query",
                {
                    "sort": [{"property": "receivedAt", "isAscending": False}],
                    "position": len(ids),
                    "limit": IDS_PAGE,
                },
            )
            ids.extend(answer["ids"])
            if len(answer["ids"]) < IDS_PAGE:
                break

        async def page(piece: list[str]) -> None:
            answer = await call("Email/get", {**EMAIL_GET_ARGS, "ids": piece})
            await asyncio.get_running_loop().run_in_executor(writer, insert, answer["list"])

        pages = [ids[i : i + page_size] for i in range(0, len(ids), page_size)]
        await page(pages[0])
        for start in range(1, len(pages), WINDOW):
            await asyncio.gather(*(page(p) for p in pages[start : start + WINDOW]))
    writer.shutdown()
    count: int = conn.execute("SELECT count(*) FROM emails").fetchone()[0]
    conn.close()
    return count


# --- the app -----------------------------------------------------------------------------------


@contextlib.contextmanager
def plain_sqlite() -> Iterator[None]:
    """Bench only: Cache.open keys nothing while inside (the file is plain SQLite)."""
    original = CacheKey.apply

    def no_key(key: CacheKey, conn: Any) -> None:
        key.check()  # the same checks, and no key given to SQLCipher

    CacheKey.apply = no_key  # type: ignore[method-assign]
    try:
        yield
    finally:
        CacheKey.apply = original  # type: ignore[method-assign]


async def app_sync(url: str, db_path: Path, page_size: int) -> int:
    """Cache + SyncEngine.sync_once, logged in as the app does; returns the emails cached."""
    cache = await asyncio.to_thread(Cache.open, db_path, KEY)
    try:
        async with make_http_client() as login_http:
            tokens = await password_grant(login_http, url, LOGIN, DEMO_PASSWORD)
        assert tokens is not None
        async with make_http_client(auth=ServerAuth(url, tokens=tokens)) as http:
            jmap = JmapClient(http, url + "/.well-known/jmap")
            report = await SyncEngine(cache, jmap, page_size=page_size).sync_once()
        with cache.read() as conn:
            count = len(mail.email_ids(conn))
        assert count >= report.added
        return count
    finally:
        await asyncio.to_thread(cache.close)


def token_for(url: str) -> str:
    response = httpx.post(
        url + "/auth/token",
        data={"grant_type": "password", "username": LOGIN, "password": DEMO_PASSWORD},
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


@dataclass
class Run:
    name: str
    count: int
    seconds: float
    cpu: float  # this process's CPU (every thread): the client's, the sandbox runs apart

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def measure(name: str, fn: Callable[..., Any], *args: Any) -> Run:
    """Runs `fn(*args)` in a fresh event loop; its count and its wall time."""
    started, cpu = time.perf_counter(), time.process_time()
    count = asyncio.run(fn(*args))
    return Run(name, count, time.perf_counter() - started, time.process_time() - cpu)


# --- where the time goes -----------------------------------------------------------------------


class Breakdown:
    """Time summed per part of the app, from wrappers put around its functions for one run."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._add(name, time.perf_counter() - started)

        return timed

    def wrap_async(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                self._add(name, time.perf_counter() - started)

        return timed

    def _add(self, name: str, seconds: float) -> None:
        with self._lock:
            self.totals[name] += seconds
            self.counts[name] += 1


@contextlib.contextmanager
def patched(patches: Sequence[tuple[Any, str, Any]]) -> Iterator[None]:
    """Each (owner, name, new) in place for the block, then the original put back as it was
    defined (a staticmethod stays one: `inspect.getattr_static`)."""
    originals = [(owner, attr, inspect.getattr_static(owner, attr)) for owner, attr, _ in patches]
    for owner, attr, new in patches:
        setattr(owner, attr, new)
    try:
        yield
    finally:
        for owner, attr, old in originals:
            setattr(owner, attr, old)


@contextlib.contextmanager
def instrumented(breakdown: Breakdown) -> Iterator[None]:
    """Wraps the engine's mapping, the store's writes and the JMAP client's HTTP and JSON."""
    patches: list[tuple[Any, str, Any]] = [
        (
            engine_module,
            "email_record",
            breakdown.wrap("map JMAP → records", engine_module.email_record),
        ),
        (
            mail,
            "upsert_emails",
            breakdown.wrap("SQL mail.upsert_emails (writer thread)", mail.upsert_emails),
        ),
        (
            mail,
            "insert_new_emails",
            breakdown.wrap("SQL mail.insert_new_emails (writer thread)", mail.insert_new_emails),
        ),
        (
            jmap_module,
            "decode_json",
            breakdown.wrap("JSON decode of responses", jmap_module.decode_json),
        ),
        (
            jmap_module,
            "parse_response",
            breakdown.wrap("parse_response", jmap_module.parse_response),
        ),
        (
            httpx.AsyncClient,
            "post",
            breakdown.wrap_async("HTTP POST, summed (concurrent)", httpx.AsyncClient.post),
        ),
    ]
    with patched(patches):
        yield


def profile_app(url: str, folder: Path, page_size: int) -> None:
    breakdown = Breakdown()
    profiler = cProfile.Profile()
    with instrumented(breakdown):
        profiler.enable()
        run = measure("app (profiled)", app_sync, url, folder / "profiled.db", page_size)
        profiler.disable()
    print(f"\nwhere the app's time goes (one instrumented run, {run.seconds:.2f} s wall):")
    for name, total in sorted(breakdown.totals.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<42} {total:7.2f} s in {breakdown.counts[name]} calls")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
    stats.print_stats(15)
    print("main thread (event loop), top 15 by own time:")
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    for line in lines[start : start + 16]:
        print("  " + line.strip()[:140])


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10_000, help="extra messages of the GP")
    parser.add_argument("--runs", type=int, default=1, help="runs of each measurement (best kept)")
    parser.add_argument("--page-size", type=int, default=250)
    parser.add_argument("--cache", type=Path, default=Path(".bench-cache"))
    parser.add_argument("--profile", action="store_true", help="always print the profile")
    args = parser.parse_args()
    built_path = (args.cache / f"sync-sandbox-{args.scale}").resolve()
    built = build(built_path, args.scale)
    if built is None:
        print(f"reusing the sandbox of {built_path}")
    else:
        print(f"built the demo sandbox (scale {args.scale}) in {built:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(built_path, folder / "server", ignore=shutil.ignore_patterns("ready"))
        with server_process(folder / "server") as url:
            token = token_for(url)
            size = args.page_size
            # Warm the server's caches (its SQLite pages, the OS file cache) before measuring.
            asyncio.run(floor_sync(url, token, folder / "warmup.db", size))
            runs: dict[str, list[Run]] = defaultdict(list)
            for n in range(args.runs):
                runs["floor"].append(
                    measure("floor", floor_sync, url, token, folder / f"f{n}.db", size)
                )
                runs["app"].append(measure("app", app_sync, url, folder / f"a{n}.db", size))
                with plain_sqlite():
                    plain_path = folder / f"p{n}.db"
                    runs["plain"].append(measure("plain", app_sync, url, plain_path, size))
                header = plain_path.read_bytes()[:16]
                assert header == b"SQLite format 3\x00", "the plain run must not be encrypted"
                assert (folder / f"a{n}.db").read_bytes()[:16] != header, "the app run must be"
            best = {name: min(r, key=lambda r: r.seconds) for name, r in runs.items()}
            for name, label in [
                ("floor", "floor (same JMAP calls + raw JSON into plain sqlite3)"),
                ("app", "app (SyncEngine.sync_once into the SQLCipher Cache)"),
                ("plain", "app into a plain SQLite file (same engine, no key)"),
            ]:
                r = best[name]
                every = ", ".join(f"{x.seconds:.2f}" for x in runs[name])
                print(
                    f"{label:<56} {r.count} messages in {r.seconds:.2f} s = {r.rate:,.0f} msg/s, "
                    f"client CPU {r.cpu:.2f} s  (runs: {every} s)"
                )
            app, floor, plain = best["app"], best["floor"], best["plain"]
            ratio_floor = app.seconds / floor.seconds
            ratio_plain = app.seconds / plain.seconds
            print(
                f"app: {app.rate:,.0f} msg/s (target ≥ 1,000); app/floor {ratio_floor:.2f}× "
                f"(target ≤ 1.5×); SQLCipher/plain {ratio_plain:.2f}× (target ≤ 1.3×)"
            )
            missed = app.rate < 1000 or ratio_floor > 1.5 or ratio_plain > 1.3
            if missed or args.profile:
                profile_app(url, folder, size)
    print(
        f"reproduce: .venv/bin/python bench/sync.py --scale {args.scale} --runs {args.runs} "
        f"--page-size {args.page_size} --cache {args.cache}"
        + (" --profile" if args.profile else "")
    )


if __name__ == "__main__":
    main()
