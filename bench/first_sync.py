"""The whole first sync of a large mailbox: headers and text, the patients of its XDM packages and
the documents of the last 30 days kept offline (issue 12, defect 15: ≤ 7 s for 10,000 messages).

    .venv/bin/python bench/first_sync.py [--scale 10000] [--runs 1] [--cache .bench-cache]

Against the demo sandbox of bench/sync.py (the GP gets `--scale` extra messages; built once in the
cache folder), run as a subprocess. Two ways, each into a fresh SQLCipher cache, logged in as the
app does, with the app's default budget (500 MB, 30 days):
- in turn: SyncEngine.sync_once, then read_patients, then keep_documents (as before the pipeline);
- pipelined: SyncEngine.sync_all (the patients and documents follow the pages as they are written).
Prints each step's time, the fraction of messages with an IHE_XDM.ZIP, and when the last
document of the month was in the cache. It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.attachments import Attachments
from app.copies import PrivateCopies
from app.message.patient import XDM_FILE_NAME
from app.remote.auth import ServerAuth, password_grant
from app.remote.http import make_http_client
from app.remote.jmap import JmapClient
from app.store.db import Cache
from app.sync.engine import SyncEngine
from bench.sync import KEY, LOGIN, build, server_process
from server.demo.users import DEMO_PASSWORD


async def first_sync(url: str, folder: Path, pipelined: bool) -> dict[str, float]:
    """Seconds of each step (and the counts) of one first sync into a new cache in `folder`."""
    folder.mkdir()
    cache = await asyncio.to_thread(Cache.open, folder / "cache.db", KEY)
    try:
        async with make_http_client() as login_http:
            tokens = await password_grant(login_http, url, LOGIN, DEMO_PASSWORD)
        assert tokens is not None
        async with make_http_client(auth=ServerAuth(url, tokens=tokens)) as http:
            jmap = JmapClient(http, url + "/.well-known/jmap")
            documents = Attachments(cache, jmap, PrivateCopies(folder))
            engine = SyncEngine(cache, jmap, documents=documents)
            started = time.perf_counter()
            if pipelined:
                report = await engine.sync_all()
                whole = time.perf_counter() - started
                steps = {STEPS[3]: whole}
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10_000, help="extra messages of the GP")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path(".bench-cache"))
    args = parser.parse_args()
    built_path = (args.cache / f"sync-sandbox-{args.scale}").resolve()
    built = build(built_path, args.scale)
    print("reusing " + str(built_path) if built is None else f"built the sandbox in {built:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(built_path, root / "server", ignore=shutil.ignore_patterns("ready"))
        with server_process(root / "server") as url:
            asyncio.run(first_sync(url, root / "warmup", pipelined=True))  # server caches warm
            for n in range(args.runs):
                for pipelined in (False, True):
                    name = "pipelined" if pipelined else "in turn"
                    got = asyncio.run(first_sync(url, root / f"{name}-{n}", pipelined))
                    steps = ", ".join(f"{k} {got[k]:.2f} s" for k in STEPS if k in got)
                    print(f"{name:<10} {steps}")
                    print(
                        f"{'':<10} {got['emails']:.0f} messages, {got['packages']:.0f} with an "
                        f"{XDM_FILE_NAME} ({got['packages'] / got['emails']:.1%}), "
                        f"{got['patients read']:.0f} patients read, {got['documents kept']:.0f} "
                        f"documents kept offline ({got['MB kept']:.1f} MB)"
                    )
    print(
        f"reproduce: .venv/bin/python bench/first_sync.py --scale {args.scale} --runs {args.runs}"
    )


if __name__ == "__main__":
    main()
