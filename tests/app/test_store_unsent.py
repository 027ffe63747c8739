"""The unsent file: the user's unsent work (outbox and its documents, drafts, pending flag changes)
in its own encrypted file beside the cache, moved out of caches built by the first schema, kept
through every rebuild of the cache, and set aside — never deleted — when it is itself damaged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlcipher3

from app.account.rebuild import REASON_FR, UNSENT_REASON_FR, open_or_rebuild, rebuild
from app.store import attachments, drafts, mail, outbox, pending
from app.store.attachments import CHUNK_SIZE, ContentMissing
from app.store.db import Cache, UnsentCorrupt, unsent_path_for
from app.store.key import CacheKey
from app.store.schema import BEFORE_STEP, MIGRATIONS, UNSENT_MIGRATIONS, _statements
from tests.app.store_helpers import email

DOC = os.urandom(CHUNK_SIZE + 1000)
SECRET_SUBJECT = "Bilan de sortie de Mme Quenouillère"


def _v1_cache(path: Path, key: CacheKey) -> None:
    """A cache as the first schema (and the code that shipped with it) left it: unsent work in
    the cache file itself, the outbox's documents among the cached attachment content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    key.apply(conn)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO outbox (id, message_id, state, payload, created_at, updated_at, email_id) "
        "VALUES ('o1', '<o1@x>', 'queued', ?, 10, 10, NULL), "
        "('o2', '<o2@x>', 'sending', '{}', 20, 25, 'M2')",
        (f'{{"subject": "{SECRET_SUBJECT}"}}',),
    )
    conn.execute("INSERT INTO drafts (id, payload, updated_at) VALUES ('d1', '{\"a\": 1}', 5)")
    conn.execute(
        "INSERT INTO pending_actions (id, kind, email_ids, payload, created_at) "
        "VALUES (7, 'keywords', '[\"e1\"]', '{}', 3)"
    )
    for blob, data in (("out:doc", DOC), ("server-blob", b"cached")):
        chunks = [data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)]
        conn.execute(
            "INSERT INTO content_blobs (blob_id, size, chunk_count, stored_at, last_access) "
            "VALUES (?, ?, ?, 1, 1)",
            (blob, len(data), len(chunks)),
        )
        for seq, chunk in enumerate(chunks):
            conn.execute(
                "INSERT INTO attachment_content (blob_id, seq, data) VALUES (?, ?, ?)",
                (blob, seq, chunk),
            )
    conn.execute("INSERT INTO outbox_content (outbox_id, blob_id) VALUES ('o1', 'out:doc')")
    conn.execute("INSERT INTO jmap_state (type, state) VALUES ('Email', 's1')")
    conn.execute("COMMIT")
    conn.close()


def _assert_moved(cache: Cache) -> None:
    with cache.read() as conn:
        assert [(r.id, r.state, r.email_id) for r in outbox.list_rows(conn)] == [
            ("o1", "queued", None),
            ("o2", "sending", "M2"),
        ]
        first = outbox.get(conn, "o1")
        assert first is not None
        assert first.payload == {"subject": SECRET_SUBJECT}
        assert outbox.linked_content(conn, "o1") == ["out:doc"]
        assert outbox.document_size(conn, "out:doc") == len(DOC)
        assert b"".join(outbox.read_document(conn, "out:doc")) == DOC
        assert [d.id for d in drafts.list_drafts(conn)] == ["d1"]
        assert [(a.id, a.kind) for a in pending.list_actions(conn)] == [(7, "keywords")]
        # The cache kept what is its own; the outbox's copy left the cached content.
        assert mail.get_state(conn, "Email") == "s1"
        assert attachments.has_content(conn, "server-blob")
        assert not attachments.has_content(conn, "out:doc")
        main_tables = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master")}
        assert not main_tables & {"outbox", "outbox_content", "drafts", "pending_actions"}
        assert conn.execute("PRAGMA main.user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_first_schema_cache_moves_its_unsent_work_to_the_unsent_file(
    cache_path: Path, key: CacheKey
) -> None:
    _v1_cache(cache_path, key)
    cache = Cache.open(cache_path, key)
    try:
        _assert_moved(cache)
        # New ids go on after the moved ones (AUTOINCREMENT remembered them).
        assert cache.write_blocking(lambda c: pending.add(c, "move", ["e2"], {})) == 8
    finally:
        cache.close()
    assert unsent_path_for(cache_path).exists()
    again = Cache.open(cache_path, key)  # nothing moves twice
    try:
        with again.read() as conn:
            assert len(outbox.list_rows(conn)) == 2
    finally:
        again.close()


def test_a_move_interrupted_before_the_drop_is_done_again_without_duplicates(
    cache_path: Path, key: CacheKey
) -> None:
    _v1_cache(cache_path, key)
    # As if killed after the copy was committed and before the cache dropped its tables.
    conn = sqlcipher3.connect(str(cache_path), isolation_level=None)
    key.apply(conn)
    with key.spelled() as spec:
        conn.execute("ATTACH DATABASE ? AS unsent KEY ?", (str(unsent_path_for(cache_path)), spec))
    conn.execute("BEGIN")
    for statement in _statements(UNSENT_MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA unsent.user_version = 1")
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    for statement in _statements(BEFORE_STEP[1]):
        conn.execute(statement)
    conn.execute("COMMIT")
    assert conn.execute("PRAGMA main.user_version").fetchone()[0] == 1
    conn.close()
    cache = Cache.open(cache_path, key)
    try:
        _assert_moved(cache)
    finally:
        cache.close()


def test_outbox_documents_round_trip_and_go_with_their_last_row(cache: Cache) -> None:
    pieces = [DOC[i : i + 777] for i in range(0, len(DOC), 777)]

    def queue(c: object) -> None:
        outbox.add(c, "o1", "<o1@x>", {})
        outbox.add(c, "o2", "<o2@x>", {})
        assert outbox.put_document(c, "shared", pieces) == len(DOC)
        outbox.put_document(c, "own", [b"seul"])
        outbox.link_content(c, "o1", "shared")
        outbox.link_content(c, "o2", "shared")
        outbox.link_content(c, "o1", "own")

    cache.write_blocking(queue)
    with cache.read() as conn:
        assert outbox.read_document_chunk(conn, "shared", 0) == DOC[:CHUNK_SIZE]
        assert outbox.read_document_chunk(conn, "shared", 2) is None
        assert b"".join(outbox.read_document(conn, "shared")) == DOC
    assert cache.write_blocking(lambda c: outbox.release_content(c, "o1")) == 1  # "own" only
    with cache.read() as conn:
        assert outbox.document_size(conn, "own") is None
        assert outbox.document_size(conn, "shared") == len(DOC)
        assert outbox.linked_content(conn, "o1") == []
    assert cache.write_blocking(lambda c: outbox.delete(c, "o2")) is True
    with cache.read() as conn:
        assert outbox.document_size(conn, "shared") is None
        assert conn.execute("SELECT count(*) FROM unsent.outbox_chunks").fetchone()[0] == 0
        with pytest.raises(ContentMissing):
            outbox.read_document(conn, "shared")
    assert cache.write_blocking(lambda c: outbox.delete_document(c, "shared")) == 0


def _unsent_work(cache: Cache) -> None:
    def work(c: object) -> None:
        outbox.add(c, "o1", "<o1@x>", {"subject": SECRET_SUBJECT})
        outbox.put_document(c, "doc", [DOC, os.urandom(3 * CHUNK_SIZE)])
        outbox.link_content(c, "o1", "doc")
        drafts.save(c, "d1", {"subject": SECRET_SUBJECT})
        pending.add(c, "keywords", ["e1"], {"seen": True})

    cache.write_blocking(work)


def test_rebuilding_the_cache_keeps_the_unsent_file_untouched(
    cache_path: Path, key: CacheKey
) -> None:
    cache = Cache.open(cache_path, key)
    _unsent_work(cache)
    cache.write_blocking(lambda c: mail.upsert_emails(c, [email("e1"), email("e2", minutes=1)]))
    cache.write_blocking(lambda c: mail.set_state(c, "Email", "s9"))
    cache.close()
    before = unsent_path_for(cache_path).read_bytes()
    cache_path.write_bytes(os.urandom(cache_path.stat().st_size))  # the whole cache file lost
    opened = open_or_rebuild(cache_path, key)
    try:
        assert opened.notices_fr == [REASON_FR]
        with opened.cache.read() as conn:
            assert mail.email_ids(conn) == set()
            assert mail.get_state(conn, "Email") is None  # the next sync is an initial one
            assert [r.id for r in outbox.list_rows(conn)] == ["o1"]
            assert outbox.document_size(conn, "doc") == len(DOC) + 3 * CHUNK_SIZE
            assert [d.id for d in drafts.list_drafts(conn)] == ["d1"]
            assert len(pending.list_actions(conn)) == 1
    finally:
        opened.cache.close()
    assert unsent_path_for(cache_path).read_bytes()[:4096] == before[:4096]


def test_an_unreadable_unsent_file_is_set_aside_with_its_own_message(
    cache_path: Path, key: CacheKey
) -> None:
    cache = Cache.open(cache_path, key)
    _unsent_work(cache)
    cache.write_blocking(lambda c: mail.upsert_emails(c, [email("e1")]))
    cache.close()
    unsent = unsent_path_for(cache_path)
    garbage = os.urandom(unsent.stat().st_size)
    unsent.write_bytes(garbage)
    with pytest.raises(UnsentCorrupt) as caught:
        Cache.open(cache_path, key)
    assert "mis de côté" in caught.value.message_fr
    opened = open_or_rebuild(cache_path, key)
    try:
        assert opened.notices_fr == [UNSENT_REASON_FR]
        with opened.cache.read() as conn:
            assert mail.email_ids(conn) == {"e1"}  # the cache itself was fine: kept
            assert outbox.list_rows(conn) == []
    finally:
        opened.cache.close()
    aside = list(cache_path.parent.glob("unsent.sqlite3.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes() == garbage  # never deleted, never changed


def test_a_damaged_unsent_file_found_later_is_set_aside_and_salvaged(
    cache_path: Path, key: CacheKey
) -> None:
    cache = Cache.open(cache_path, key)
    _unsent_work(cache)
    cache.close()
    unsent = unsent_path_for(cache_path)
    pages = unsent.stat().st_size // 4096
    assert pages > 8
    with open(unsent, "r+b") as fh:  # the document's chunks, at the end of the file
        for page in range(pages - 4, pages):
            fh.seek(page * 4096 + 200)
            fh.write(os.urandom(100))
    damaged = unsent.read_bytes()
    assert Cache.check_unsent(cache_path, key) != []
    opened = rebuild(cache_path, key)
    try:
        assert opened.notices_fr == [REASON_FR, UNSENT_REASON_FR]
        assert Cache.check_unsent(cache_path, key) == []
        with opened.cache.read() as conn:
            rows = outbox.list_rows(conn)
            assert [(r.id, r.payload) for r in rows] == [("o1", {"subject": SECRET_SUBJECT})]
            assert [d.id for d in drafts.list_drafts(conn)] == ["d1"]
            # Its document was partly unreadable: dropped rather than sent truncated.
            assert outbox.document_size(conn, "doc") is None
    finally:
        opened.cache.close()
    (aside,) = cache_path.parent.glob("unsent.sqlite3.corrupt-*")
    assert aside.read_bytes() == damaged


def test_the_unsent_file_holds_no_plaintext(cache_path: Path, key: CacheKey) -> None:
    cache = Cache.open(cache_path, key)
    cache.write_blocking(
        lambda c: (
            outbox.add(c, "o1", "<o1@x>", {"subject": SECRET_SUBJECT}),
            outbox.put_document(c, "doc", [b"compte-rendu-operatoire " * 1000]),
            drafts.save(c, "d1", {"text": "embolie pulmonaire"}),
        )
    )
    with cache.read() as conn:
        assert outbox.get(conn, "o1") is not None
        files = sorted(cache_path.parent.glob("unsent.sqlite3*"))
        assert {f.name for f in files} >= {"unsent.sqlite3", "unsent.sqlite3-wal"}
        for path in files:
            data = path.read_bytes()
            for needle in (b"Quenouill", b"compte-rendu-operatoire", b"embolie"):
                assert needle not in data, (needle, path.name)
    cache.close()
