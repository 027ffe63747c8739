"""The cache file: key, damage, migrations, the single writer, encryption at rest."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from pathlib import Path

import pytest
import sqlcipher3

from app.store import attachments, drafts, mail
from app.store.db import Cache, CacheClosed, CacheCorrupt, DiskError, WrongKey
from app.store.key import CacheKey
from app.store.records import Address, AttachmentRecord, PatientRef
from app.store.schema import MIGRATIONS, UNSENT_MIGRATIONS
from tests.app.store_helpers import email

SUBJECT = "Hospitalisation en cardiologie interventionnelle"
BODY = "Le scanner thoracique montre une embolie pulmonaire segmentaire."
PATIENT_FAMILY = "Quenouillère"
DOC = b"%PDF-1.7 compte-rendu-operatoire-tres-confidentiel " * 200


def _fill(cache: Cache, count: int = 200) -> None:
    def work(conn: object) -> None:
        mail.upsert_emails(
            conn,
            [
                email(
                    f"e{i}",
                    minutes=i,
                    subject=f"{SUBJECT} {i}",
                    text_body=f"{BODY} {i}",
                    patient=PatientRef(
                        "279035121518989", "1.2.250.1.213.1.4.10", "Jeanne", PATIENT_FAMILY
                    ),
                )
                for i in range(count)
            ],
        )

    cache.write_blocking(work)


def test_new_cache_is_migrated_from_zero(cache: Cache) -> None:
    with cache.read() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("PRAGMA unsent.user_version").fetchone()[0] == len(UNSENT_MIGRATIONS)
        tables = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master")}
        unsent = {r[0] for r in conn.execute("SELECT name FROM unsent.sqlite_master")}
        assert conn.execute("PRAGMA main.journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA unsent.journal_mode").fetchone()[0] == "wal"
    for table in ("emails", "email_mailboxes", "fts", "attachment_content", "jmap_state"):
        assert table in tables
    # The user's unsent work lives in its own file only.
    for table in ("outbox", "pending_actions", "drafts", "outbox_documents", "outbox_chunks"):
        assert table in unsent
        assert table not in tables
    assert cache.unsent_path.name == "unsent.sqlite3"
    assert cache.unsent_path.parent == cache.path.parent


def test_reopening_keeps_data_and_does_not_migrate_again(cache_path: Path, key: CacheKey) -> None:
    first = Cache.open(cache_path, key)
    _fill(first, 3)
    first.close()
    again = Cache.open(cache_path, key)
    with again.read() as conn:
        assert mail.count_ids(conn, "inbox") == 3
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    again.close()


def test_a_cache_from_a_newer_program_is_refused(cache_path: Path, key: CacheKey) -> None:
    first = Cache.open(cache_path, key)
    first.write_blocking(lambda c: c.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}"))
    first.close()
    with pytest.raises(RuntimeError, match="newer"):
        Cache.open(cache_path, key)


def test_wrong_key_is_reported_as_wrong_key(cache_path: Path, key: CacheKey) -> None:
    _fill(first := Cache.open(cache_path, key), 50)
    first.close()
    with pytest.raises(WrongKey) as caught:
        Cache.open(cache_path, CacheKey.random())
    assert "déchiffré" in caught.value.message_fr
    # The right key still opens it: a wrong attempt changed nothing.
    again = Cache.open(cache_path, key)
    with again.read() as conn:
        assert mail.count_ids(conn, "inbox") == 50
    again.close()


def test_a_wiped_key_is_refused(cache_path: Path) -> None:
    key = CacheKey.random()
    key.wipe()
    with pytest.raises(ValueError, match="wiped"):
        Cache.open(cache_path, key)


def _damaged(cache_path: Path, key: CacheKey, damage: str) -> None:
    first = Cache.open(cache_path, key)
    _fill(first, 400)
    first.close()
    size = cache_path.stat().st_size
    assert size > 20 * 4096
    with open(cache_path, "r+b") as fh:
        if damage == "truncated-mid-page":
            fh.truncate(size // 2 + 100)
        elif damage == "truncated-half":
            fh.truncate(size // 2 // 4096 * 4096)
        elif damage == "truncated-tiny":
            fh.truncate(1000)
        elif damage == "garbled-first-page":
            fh.seek(300)
            fh.write(os.urandom(200))


@pytest.mark.parametrize(
    "damage", ["truncated-mid-page", "truncated-half", "truncated-tiny", "garbled-first-page"]
)
def test_damaged_file_is_reported_as_corrupt_on_open(
    cache_path: Path, key: CacheKey, damage: str
) -> None:
    _damaged(cache_path, key, damage)
    with pytest.raises(CacheCorrupt) as caught:
        Cache.open(cache_path, key)
    assert "reconstruit" in caught.value.message_fr


def _read_every_email(cache: Cache) -> None:
    with cache.read() as conn:
        for email_id in mail.list_ids(conn, "inbox", limit=1000):
            mail.get_email(conn, email_id)


def test_damage_deep_in_the_file_is_reported_when_read(cache_path: Path, key: CacheKey) -> None:
    first = Cache.open(cache_path, key)
    _fill(first, 400)
    first.close()
    size = cache_path.stat().st_size
    with open(cache_path, "r+b") as fh:
        for page in range(size // 4096 // 2, size // 4096 - 1, 4):
            fh.seek(page * 4096 + 100)
            fh.write(os.urandom(64))
    damaged = Cache.open(cache_path, key)
    try:
        assert damaged.check_integrity() != []
        with pytest.raises(CacheCorrupt):
            _read_every_email(damaged)
        with pytest.raises(CacheCorrupt):
            damaged.write_blocking(lambda c: mail.delete_emails(c, [f"e{i}" for i in range(400)]))
    finally:
        damaged.close()


def test_destroy_then_open_rebuilds_an_empty_cache(cache_path: Path, key: CacheKey) -> None:
    _damaged(cache_path, key, "garbled-first-page")
    Cache.destroy(cache_path)
    assert not any(cache_path.parent.glob("cache.db*"))
    fresh = Cache.open(cache_path, key)
    with fresh.read() as conn:
        assert mail.count_ids(conn, None) == 0
    fresh.close()


def test_unwritable_folder_is_a_disk_error(tmp_path: Path, key: CacheKey) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"x")
    with pytest.raises(DiskError) as caught:
        Cache.open(blocker / "cache.db", key)
    assert "disque" in caught.value.message_fr


def test_full_disk_is_a_disk_error_and_the_cache_keeps_working(cache: Cache) -> None:
    def fill_up(conn: object) -> None:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[attr-defined]
        attachments.put_content(conn, "big", [os.urandom(1_000_000)])

    with pytest.raises(DiskError):
        cache.write_blocking(fill_up)
    cache.write_blocking(lambda c: c.execute("PRAGMA max_page_count = 1073741823"))
    cache.write_blocking(lambda c: attachments.put_content(c, "small", [b"ok"]))
    with cache.read() as conn:
        assert not attachments.has_content(conn, "big")
        assert b"".join(attachments.read_content(conn, "small")) == b"ok"


@pytest.mark.asyncio
async def test_writer_serialises_concurrent_writes_from_coroutines_and_threads(
    cache: Cache,
) -> None:
    cache.write_blocking(
        lambda c: c.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER NOT NULL)")
    )
    cache.write_blocking(lambda c: c.execute("INSERT INTO counter VALUES (0)"))
    writer_threads: set[str] = set()

    def increment(conn: sqlcipher3.Connection) -> int:
        # A read-modify-write: lost updates would show if two ran at once.
        writer_threads.add(threading.current_thread().name)
        value = conn.execute("SELECT n FROM counter").fetchone()[0]
        conn.execute("UPDATE counter SET n = ?", (value + 1,))
        return int(value + 1)

    def from_thread() -> None:
        for _ in range(50):
            cache.write_blocking(increment)

    threads = [threading.Thread(target=from_thread) for _ in range(4)]
    for t in threads:
        t.start()
    results = await asyncio.gather(*(cache.write(increment) for _ in range(300)))
    await asyncio.to_thread(lambda: [t.join() for t in threads])
    with cache.read() as conn:
        assert conn.execute("SELECT n FROM counter").fetchone()[0] == 500
    assert len(set(results)) == 300  # every coroutine saw its own increment
    assert writer_threads == {"cache-writer"}


@pytest.mark.asyncio
async def test_failed_write_is_rolled_back_and_the_next_one_works(cache: Cache) -> None:
    class Boom(Exception):
        pass

    def half_done(conn: sqlcipher3.Connection) -> None:
        mail.upsert_emails(conn, [email("e1")])
        drafts.save(conn, "d1", {"subject": "brouillon"})
        raise Boom("after two writes")

    with pytest.raises(Boom):
        await cache.write(half_done)
    with cache.read() as conn:
        assert mail.count_ids(conn, None) == 0
        assert drafts.load(conn, "d1") is None
        assert mail.mailbox_counts(conn) == {}
    assert await cache.write(lambda c: drafts.save(c, "d2", {"x": 1})) is None
    with cache.read() as conn:
        assert drafts.load(conn, "d2") is not None


@pytest.mark.asyncio
async def test_sql_error_in_a_write_reaches_the_caller(cache: Cache) -> None:
    with pytest.raises(sqlcipher3.OperationalError):
        await cache.write(lambda c: c.execute("SELECT * FROM no_such_table"))
    assert await cache.write(lambda c: 42) == 42


def test_readers_are_read_only_and_per_thread(cache: Cache) -> None:
    with cache.read() as conn, pytest.raises(sqlcipher3.OperationalError):
        conn.execute("DELETE FROM emails")
    seen: list[object] = []

    def other() -> None:
        with cache.read() as conn:
            seen.append(conn)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    with cache.read() as mine:
        assert seen
        assert seen[0] is not mine


def test_reader_sees_a_stable_snapshot_inside_one_block(cache: Cache) -> None:
    _fill(cache, 5)
    with cache.read() as conn:
        before = mail.count_ids(conn, "inbox")
        cache.write_blocking(lambda c: mail.upsert_emails(c, [email("late", minutes=999)]))
        assert mail.count_ids(conn, "inbox") == before == 5
    with cache.read() as conn:
        assert mail.count_ids(conn, "inbox") == 6


@pytest.mark.asyncio
async def test_closed_cache_refuses_reads_and_writes(cache_path: Path, key: CacheKey) -> None:
    closing = Cache.open(cache_path, key)
    closing.close()
    closing.close()  # idempotent
    with pytest.raises(CacheClosed):
        await closing.write(lambda c: None)
    with pytest.raises(CacheClosed), closing.read():
        pass


def test_close_waits_for_a_read_in_progress_on_another_thread(cache: Cache) -> None:
    """A session closes in a worker while the UI reads: closing the UI thread's connection under
    its query made SQLite abort the whole app. The read ends first, then the cache closes."""
    _fill(cache, 3)
    inside, leave = threading.Event(), threading.Event()
    counted: list[int] = []

    def reader() -> None:
        with cache.read() as conn:
            inside.set()
            leave.wait(10)
            counted.append(mail.count_ids(conn, "inbox"))

    reading = threading.Thread(target=reader)
    reading.start()
    assert inside.wait(10)
    closer = threading.Thread(target=cache.close)
    closer.start()
    closer.join(0.5)
    assert closer.is_alive(), "close did not wait for the read"
    leave.set()
    reading.join(10)
    closer.join(10)
    assert counted == [3]
    assert not closer.is_alive()
    with pytest.raises(CacheClosed), cache.read():
        pass


def test_close_inside_a_read_of_its_own_thread_does_not_wait_for_itself(
    cache: Cache, caplog: pytest.LogCaptureFixture
) -> None:
    """Only other threads' reads are waited for: this one would wait for ever."""
    with pytest.raises(sqlcipher3.ProgrammingError), cache.read():
        cache.close()  # its own connection goes too: the block's end says so
    assert "still running" not in caplog.text
    with pytest.raises(CacheClosed), cache.read():
        pass


def test_files_hold_no_plaintext_after_writes(cache_path: Path, key: CacheKey) -> None:
    opened = Cache.open(cache_path, key)
    _fill(opened, 300)
    opened.write_blocking(
        lambda c: (
            attachments.put_content(c, "blob-doc", [DOC]),
            drafts.save(c, "d1", {"subject": SUBJECT, "text": BODY}),
        )
    )
    opened.write_blocking(
        lambda c: mail.upsert_emails(
            c,
            [
                email(
                    "att",
                    subject=SUBJECT,
                    text_body=BODY,
                    attachments=(
                        AttachmentRecord("2", "blob-doc", "cr.pdf", "application/pdf", len(DOC)),
                    ),
                    sender=Address("Dr Quenouillère", "quenouillere@sisra-demo.mssante.fr"),
                )
            ],
        )
    )
    with opened.read() as conn:  # a reader too, so that -shm and -wal are both in use
        assert mail.count_ids(conn, "inbox") == 301
        files = sorted(cache_path.parent.glob("cache.db*"))
        assert {f.name for f in files} >= {"cache.db", "cache.db-wal", "cache.db-shm"}
        _assert_no_plaintext(files)
    opened.close()
    _assert_no_plaintext(sorted(cache_path.parent.glob("cache.db*")))


def _assert_no_plaintext(files: list[Path]) -> None:
    needles = [
        s.encode("utf-8")
        for s in (
            "cardiologie",
            "embolie",
            PATIENT_FAMILY,
            "Jeanne",
            "279035121518989",
            "sisra-demo",
            "compte-rendu-operatoire",
        )
    ]
    needles += [PATIENT_FAMILY.encode("utf-16-le"), b"cardiologie".upper()]
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} in clear in {path.name}"


def test_write_blocking_inside_a_write_is_refused(cache: Cache) -> None:
    def nested(conn: sqlcipher3.Connection) -> None:
        cache.write_blocking(lambda c: None)

    with pytest.raises(RuntimeError, match="deadlock"):
        cache.write_blocking(nested)
    assert cache.write_blocking(lambda c: "still working") == "still working"


def test_slow_queries_are_logged_by_name_without_parameters(
    cache: Cache, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from app.store import db, search

    _fill(cache, 5)
    monkeypatch.setattr(db, "SLOW_QUERY_MS", -1.0)
    with caplog.at_level(logging.WARNING, logger="monsisra.store"), cache.read() as conn:
        assert search.search(conn, "embolie quenouill", 10)
    messages = [r.getMessage() for r in caplog.records]
    assert any("search.search" in m for m in messages)
    assert not any("embolie" in m or "quenouill" in m.lower() for m in messages)
