"""The message list by conversation at 100,000 messages in ~33,000 conversations, against the list
by message it replaced, on the same encrypted cache (target: each page ≤ 40 ms, the cache's
slow-query floor, so that the UI thread never waits on the list):

a. first page: the row count, the first 200 ids and the 60 rows drawn first;
b. scrolling: every page of 200 ids to the end of the list, each page's rows read as drawn
   (windows of 60), median and slowest page;
c. the "Non lus" filter's first page;
d. a live change: the list re-read up to the 1,000 rows loaded (what MailChanged costs);
e. what keeping the conversations costs the writer: 10,000 messages inserted (the first sync's
   size) with and without the triggers of schema 4;
f. the upgrade: schema 3 → 4 on the 100,000-message cache (once, at the first unlock after it).

    .venv/bin/python bench/conversations.py [--count 100000] [--cache .bench-cache]

The cache holds bench/search.py's synthetic messages (threads of 3), all in the inbox; built once
and reused from the cache folder by later runs with the same count.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.store import conversations, mail, schema
from app.store.db import SLOW_QUERY_MS, Cache
from app.store.mail import Filters
from bench import search as search_bench

PAGE = 200  # ui/mail/conversation_model.py: ids per fetchMore
WINDOW = 60  # rows read at once when drawn
BATCH = 1000


def build(path: Path, count: int) -> float | None:
    """The cache of `count` synthetic messages, all in the inbox (None: reused)."""
    ready = path.parent / "ready"
    if ready.exists():
        return None
    shutil.rmtree(path.parent, ignore_errors=True)
    started = time.perf_counter()
    insert(path, count)
    ready.write_text("ok")
    return time.perf_counter() - started


def insert(path: Path, count: int, before: Callable[[Any], None] | None = None) -> float:
    """Inserts `count` synthetic messages into a new cache at `path` (after `before` ran on it);
    returns the time spent writing."""
    cache = Cache.open(path, search_bench.KEY)
    if before is not None:
        cache.write_blocking(before)
    spent = 0.0
    batch = []
    for record in search_bench.synthetic_emails(count):
        batch.append(dataclasses.replace(record, mailbox_ids=frozenset({"inbox"})))
        if len(batch) == BATCH or record.id == f"M{count - 1}":
            started = time.perf_counter()
            cache.write_blocking(lambda c, b=batch: mail.insert_new_emails(c, b))
            spent += time.perf_counter() - started
            batch = []
    cache.close()
    return spent


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def mark(seconds: float) -> str:
    return "ok" if seconds * 1000 <= SLOW_QUERY_MS else "OVER"


def by_message(conn: Any) -> dict[str, Any]:
    """The list as it was: one row per message."""

    def first_page() -> None:
        mail.count_ids(conn, "inbox")
        ids = mail.list_ids(conn, "inbox", limit=PAGE)
        mail.summaries(conn, ids[:WINDOW])

    def page(offset: int) -> int:
        ids = mail.list_ids(conn, "inbox", offset=offset, limit=PAGE)
        for start in range(0, len(ids), WINDOW):
            mail.summaries(conn, ids[start : start + WINDOW])
        return len(ids)

    return {
        "first": first_page,
        "page": page,
        "unread": lambda: (
            mail.list_ids(conn, "inbox", filters=Filters(unread=True), limit=PAGE)
            and mail.count_ids(conn, "inbox", Filters(unread=True))
        ),
        "change": lambda: (
            mail.list_ids(conn, "inbox", limit=1000) and mail.count_ids(conn, "inbox")
        ),
    }


def by_conversation(conn: Any) -> dict[str, Any]:
    """The list now: one row per conversation."""

    def first_page() -> None:
        conversations.count_threads(conn, "inbox")
        ids = conversations.list_threads(conn, "inbox", limit=PAGE)
        conversations.summaries(conn, "inbox", ids[:WINDOW])

    def page(offset: int) -> int:
        ids = conversations.list_threads(conn, "inbox", offset=offset, limit=PAGE)
        for start in range(0, len(ids), WINDOW):
            conversations.summaries(conn, "inbox", ids[start : start + WINDOW])
        return len(ids)

    unread = Filters(unread=True)
    return {
        "first": first_page,
        "page": page,
        "unread": lambda: (
            conversations.list_threads(conn, "inbox", filters=unread, limit=PAGE)
            and conversations.count_threads(conn, "inbox", unread)
        ),
        "change": lambda: (
            conversations.list_threads(conn, "inbox", limit=1000)
            and conversations.count_threads(conn, "inbox")
        ),
    }


def timed(action: Callable[[], Any], runs: int = 5) -> float:
    """The median of `runs` runs, after one warm-up."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def scroll(page: Callable[[int], int]) -> tuple[int, float, float]:
    """(rows, median page, slowest page) of a scroll through the whole list."""
    times = []
    offset = 0
    while True:
        started = time.perf_counter()
        got = page(offset)
        times.append(time.perf_counter() - started)
        offset += got
        if got < PAGE:
            return offset, statistics.median(times), max(times)


def reads(path: Path) -> None:
    cache = Cache.open(path, search_bench.KEY)
    try:
        with cache.read() as conn:
            rows = {"by message": by_message(conn), "by conversation": by_conversation(conn)}
            for name, list_ in rows.items():
                first = timed(list_["first"])
                count, median, slowest = scroll(list_["page"])
                unread = timed(list_["unread"])
                change = timed(list_["change"])
                print(
                    f"{name:>16}: {count} rows; a. first page {ms(first)} [{mark(first)}]; "
                    f"b. scroll: page median {ms(median)}, slowest {ms(slowest)} "
                    f"[{mark(slowest)}]; c. unread filter {ms(unread)} [{mark(unread)}]; "
                    f"d. live change {ms(change)} [{mark(change)}]"
                )
    finally:
        cache.close()


_V4_OBJECTS = (
    "DROP TRIGGER conversations_add; DROP TRIGGER conversations_remove; "
    "DROP TRIGGER conversations_marks; DROP TRIGGER conversations_date_changed; "
    "DROP TABLE conversations; DROP INDEX email_mailboxes_thread"
)


def writes(folder: Path, count: int) -> None:
    """e. The same inserts into a cache of schema 4 without its conversation triggers and with."""

    def without(c: Any) -> None:
        for statement in _V4_OBJECTS.split("; "):
            c.execute(statement)

    times = {}
    for name, before in (("without", without), ("with", None)):
        path = folder / f"writes-{name}" / "cache.db"
        shutil.rmtree(path.parent, ignore_errors=True)
        times[name] = insert(path, count, before)
        shutil.rmtree(path.parent, ignore_errors=True)
    extra = times["with"] / times["without"] - 1
    print(
        f"e. {count} messages inserted: {times['without']:.2f} s without the conversation "
        f"triggers, {times['with']:.2f} s with them ({extra:+.0%})"
    )


def upgrade(source: Path, folder: Path) -> None:
    """f. A copy of the cache taken back to schema 3, then opened (migrated) again."""
    copy = folder / "upgrade" / "cache.db"
    shutil.rmtree(copy.parent, ignore_errors=True)
    copy.parent.mkdir(parents=True)
    for part in source.parent.glob("cache.db*"):
        shutil.copy2(part, copy.parent / part.name)

    def back_to_3(c: Any) -> None:
        for statement in _V4_OBJECTS.split("; "):
            c.execute(statement)
        c.execute("ALTER TABLE email_mailboxes DROP COLUMN thread_id")
        c.execute("PRAGMA user_version = 3")

    cache = Cache.open(copy, search_bench.KEY)
    cache.write_blocking(back_to_3)
    cache.close()
    started = time.perf_counter()
    cache = Cache.open(copy, search_bench.KEY)
    elapsed = time.perf_counter() - started
    with cache.read() as conn:
        version = schema.version(conn)
        threads = conversations.count_threads(conn, "inbox")
    cache.close()
    shutil.rmtree(copy.parent, ignore_errors=True)
    print(f"f. schema 3 → {version} on open: {elapsed:.2f} s ({threads} conversations grouped)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=10_000, help="messages inserted for e")
    parser.add_argument("--cache", type=Path, default=Path(".bench-cache"))
    args = parser.parse_args()
    folder = args.cache / f"conversations-{args.count}"
    path = folder / "list" / "cache.db"
    built = build(path, args.count)
    if built is None:
        print(f"reusing the cache of {args.count} messages in {path.parent}")
    else:
        print(f"built the cache of {args.count} messages (all in the inbox) in {built:.0f} s")
    reads(path)
    writes(folder, args.writes)
    upgrade(path, folder)
    print(
        f"reproduce: .venv/bin/python bench/conversations.py --count {args.count} "
        f"--writes {args.writes} --cache {args.cache}"
    )


if __name__ == "__main__":
    main()
