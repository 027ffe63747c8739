"""The whole first sync of a large mailbox: headers and text, the patients of its XDM packages and
the documents of the last 30 days kept offline (issue 12, defect 15: ≤ 7 s for 10,000 messages).

    .venv/bin/python bench/first_sync.py [--scale 10000] [--runs 1] [--cache .bench-cache]
                                         [--profile]

Against the demo sandbox of bench/sync.py (the GP gets `--scale` extra messages; built once in the
cache folder), run as a subprocess. Two ways, each into a fresh SQLCipher cache, logged in as the
app does, with the app's default budget (500 MB, 30 days):
- in turn: SyncEngine.sync_once, then read_patients, then keep_documents (as before the pipeline);
- pipelined: SyncEngine.sync_all (the patients and documents follow the pages as they are written).
Prints each step's time, the fraction of messages with an IHE_XDM.ZIP, and, pipelined, when the
pass, the patients (the ≤ 7 s figure) and the documents of the month (soon after) ended. It
prints; it asserts nothing.

`--profile` adds a pipelined run that says where the time goes: when the first page and each part
ended, the time of the cache's writer per kind of transaction, the downloads of each blob, the
sandbox's CPU (its own process) and this process's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.attachments import Attachments
from app.copies import PrivateCopies
from app.message.patient import XDM_FILE_NAME
from app.remote.auth import ServerAuth, password_grant
from app.remote.http import make_http_client
from app.remote.jmap import JmapClient
from app.store.db import Cache
from app.sync import engine as engine_module
from app.sync.engine import SyncEngine
from bench.sync import KEY, LOGIN, Breakdown, build, ends, patched, server_process
from server.demo.users import DEMO_PASSWORD


async def first_sync(
    url: str, folder: Path, pipelined: bool, downloads: Counter[str] | None = None
) -> dict[str, Any]:
    """Seconds of each step (and the counts, and when each part ended when pipelined) of one
    first sync into a new cache in `folder`; `downloads` counts the blob downloads by URL path."""
    folder.mkdir()
    cache = await asyncio.to_thread(Cache.open, folder / "cache.db", KEY)
    try:
        async with make_http_client() as login_http:
            tokens = await password_grant(login_http, url, LOGIN, DEMO_PASSWORD)
        assert tokens is not None
        async with make_http_client(auth=ServerAuth(url, tokens=tokens)) as http:
            if downloads is not None:

                async def count(request: httpx.Request) -> None:
                    if request.method == "GET" and "/download/" in request.url.path:
                        # by blob: the path without the name
                        downloads[request.url.path.rsplit("/", 1)[0]] += 1

                http.event_hooks["request"] = [count]
            jmap = JmapClient(http, url + "/.well-known/jmap")
            documents = Attachments(cache, jmap, PrivateCopies(folder))
            engine = SyncEngine(cache, jmap, documents=documents)
            started = time.perf_counter()
            if pipelined:
                report = await engine.sync_all()
                whole = time.perf_counter() - started
                steps = {STEPS[3]: whole, "ended": ends(report)}
                patients, kept = report.patients, report.documents
            else:
                report = await engine.sync_once()
                synced = time.perf_counter()
                patients = await engine.read_patients()
                read = time.perf_counter()
                kept = await engine.keep_documents()
                done = time.perf_counter()
                steps = dict(
                    zip(STEPS, (synced - started, read - synced, done - read), strict=False)
                )
        with cache.read() as conn:
            emails = conn.execute("SELECT count(*) FROM emails").fetchone()[0]
            packages = conn.execute(
                "SELECT count(DISTINCT email_rowid) FROM attachments WHERE upper(name) = ?",
                (XDM_FILE_NAME,),
            ).fetchone()[0]
        return {
            **steps,
            "emails": report.added or emails,
            "packages": packages,
            "patients read": patients,
            "documents kept": kept,
            "MB kept": documents.used_bytes() / 1e6,
        }
    finally:
        await asyncio.to_thread(cache.close)


STEPS = ("sync", "patients", "documents", "sync + patients + documents")


# --- where the time goes -------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def instrumented(breakdown: Breakdown, first_page: list[float], started: float) -> Iterator[None]:
    """The writer's transactions timed by what they run; when the first page was stored,
    relative to `started` (into `first_page`)."""
    transaction = Cache._transaction

    def timed_transaction(conn: Any, fn: Callable[[Any], Any]) -> Any:
        name = getattr(getattr(fn, "func", fn), "__qualname__", "?")
        return breakdown.wrap(f"writer: {name}", transaction)(conn, fn)

    store_pages = SyncEngine._store_pages

    async def first_stored(*args: Any, **kwargs: Any) -> Any:
        result = await store_pages(*args, **kwargs)
        if not first_page:
            first_page.append(time.perf_counter() - started)
        return result

    patches = [
        (Cache, "_transaction", staticmethod(timed_transaction)),
        (SyncEngine, "_store_pages", first_stored),
        (
            engine_module,
            "read_patients",
            breakdown.wrap_async("patients, a run", engine_module.read_patients),
        ),
    ]
    with patched(patches):
        yield


def profile(url: str, folder: Path, server_pid: int) -> None:
    """One pipelined first sync, instrumented: printed."""
    breakdown, first_page, downloads = Breakdown(), list[float](), Counter[str]()
    server_cpu, cpu, started = cpu_seconds(server_pid), time.process_time(), time.perf_counter()
    with instrumented(breakdown, first_page, started):
        got = asyncio.run(first_sync(url, folder, pipelined=True, downloads=downloads))
    wall = time.perf_counter() - started
    print(f"\nwhere the time goes (one instrumented pipelined run, {wall:.2f} s wall):")
    print(f"  client CPU {time.process_time() - cpu:.2f} s (all threads), ", end="")
    print(f"sandbox CPU {cpu_seconds(server_pid) - server_cpu:.2f} s (its own process)")
    print(f"  first page stored at {first_page[0]:.2f} s, {got['ended']}")
    for name, total in sorted(breakdown.totals.items(), key=lambda kv: -kv[1])[:14]:
        print(f"  {name:<42} {total:7.2f} s in {breakdown.counts[name]} calls")
    twice = sum(1 for n in downloads.values() if n > 1)
    print(
        f"  blob downloads: {sum(downloads.values())} of {len(downloads)} blobs, {twice} fetched "
        f"more than once; {got['packages']:.0f} packages, {got['documents kept']:.0f} documents"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10_000, help="extra messages of the GP")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path(".bench-cache"))
    parser.add_argument("--profile", action="store_true", help="where the time goes")
    args = parser.parse_args()
    built_path = (args.cache / f"sync-sandbox-{args.scale}").resolve()
    built = build(built_path, args.scale)
    print("reusing " + str(built_path) if built is None else f"built the sandbox in {built:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(built_path, root / "server", ignore=shutil.ignore_patterns("ready"))
        pids: list[int] = []
        with server_process(root / "server", on_start=pids.append) as url:
            asyncio.run(first_sync(url, root / "warmup", pipelined=True))  # server caches warm
            for n in range(args.runs):
                for pipelined in (False, True):
                    name = "pipelined" if pipelined else "in turn"
                    got = asyncio.run(first_sync(url, root / f"{name}-{n}", pipelined))
                    steps = ", ".join(f"{k} {got[k]:.2f} s" for k in STEPS if k in got)
                    print(f"{name:<10} {steps}")
                    if pipelined:
                        print(f"{'':<10} {got['ended']}")
                    print(
                        f"{'':<10} {got['emails']:.0f} messages, {got['packages']:.0f} with an "
                        f"{XDM_FILE_NAME} ({got['packages'] / got['emails']:.1%}), "
                        f"{got['patients read']:.0f} patients read, {got['documents kept']:.0f} "
                        f"documents kept offline ({got['MB kept']:.1f} MB)"
                    )
            if args.profile:
                profile(url, root / "profiled", pids[0])
    print(
        f"reproduce: .venv/bin/python bench/first_sync.py --scale {args.scale} --runs {args.runs}"
        + (" --profile" if args.profile else "")
    )


if __name__ == "__main__":
    main()
