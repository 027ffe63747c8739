"""Attachment content in the encrypted cache: chunked storage, reading back, the size budget."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from app.attachments import CachedContent
from app.store import attachments, outbox
from app.store.attachments import CHUNK_SIZE, ContentMissing
from app.store.db import Cache
from app.store.key import CacheKey


def test_content_round_trips_in_chunks(cache: Cache) -> None:
    data = os.urandom(CHUNK_SIZE * 2 + 12345)
    pieces = [data[i : i + 1000] for i in range(0, len(data), 1000)]  # any piece size
    assert cache.write_blocking(lambda c: attachments.put_content(c, "B1", pieces)) == len(data)
    with cache.read() as conn:
        assert attachments.has_content(conn, "B1")
        assert attachments.content_size(conn, "B1") == len(data)
        chunks = list(attachments.read_content(conn, "B1"))
        rows = conn.execute("SELECT count(*) FROM attachment_content WHERE blob_id = 'B1'")
        assert rows.fetchone()[0] == 3
    assert [len(c) for c in chunks] == [CHUNK_SIZE, CHUNK_SIZE, 12345]
    assert b"".join(chunks) == data


def test_empty_and_replaced_content(cache: Cache) -> None:
    cache.write_blocking(lambda c: attachments.put_content(c, "E", []))
    cache.write_blocking(lambda c: attachments.put_content(c, "R", [b"old" * 100_000]))
    cache.write_blocking(lambda c: attachments.put_content(c, "R", [b"new"]))
    with cache.read() as conn:
        assert b"".join(attachments.read_content(conn, "E")) == b""
        assert b"".join(attachments.read_content(conn, "R")) == b"new"
        assert attachments.total_size(conn) == 3


def test_missing_content_is_a_clear_error(cache: Cache) -> None:
    with cache.read() as conn:
        assert not attachments.has_content(conn, "nope")
        with pytest.raises(ContentMissing) as caught:
            attachments.read_content(conn, "nope")
    assert "téléchargé" in caught.value.message_fr


def test_budget_evicts_least_recently_used_first(cache: Cache) -> None:
    def store(c: object) -> None:
        for number, blob in enumerate(("old", "middle", "new")):
            attachments.put_content(c, blob, [b"x" * 1000], now_ms=1000 * (number + 1))

    cache.write_blocking(store)
    cache.write_blocking(lambda c: attachments.touch(c, "old", now_ms=10_000))  # opened again
    freed = cache.write_blocking(lambda c: attachments.evict_to_budget(c, 2000))
    assert freed == 1000
    with cache.read() as conn:
        assert not attachments.has_content(conn, "middle")
        assert attachments.has_content(conn, "old")
        assert attachments.has_content(conn, "new")
        assert conn.execute("SELECT count(*) FROM attachment_content").fetchone()[0] == 2
    assert cache.write_blocking(lambda c: attachments.evict_to_budget(c, 2000)) == 0
    assert cache.write_blocking(lambda c: attachments.evict_to_budget(c, 0)) == 2000
    with cache.read() as conn:
        assert attachments.total_size(conn) == 0


def test_outbox_documents_are_out_of_the_budget(cache: Cache) -> None:
    def prepare(c: object) -> None:
        attachments.put_content(c, "server-1", [b"z" * 5000], now_ms=2)
        outbox.add(c, "o1", "<m1@x>", {"subject": "envoi"})
        outbox.put_document(c, "local-1", [b"y" * 5000])
        outbox.link_content(c, "o1", "local-1")

    cache.write_blocking(prepare)
    with cache.read() as conn:
        assert attachments.total_size(conn) == 5000  # the outbox's copy is not cached content
    assert cache.write_blocking(lambda c: attachments.evict_to_budget(c, 0)) == 5000
    with cache.read() as conn:
        assert not attachments.has_content(conn, "server-1")
        assert outbox.document_size(conn, "local-1") == 5000
        assert outbox.linked_content(conn, "o1") == ["local-1"]


def test_content_survives_reopening(cache_path: Path, key: CacheKey) -> None:
    first = Cache.open(cache_path, key)
    first.write_blocking(lambda c: attachments.put_content(c, "keep", [b"document"]))
    first.close()
    again = Cache.open(cache_path, key)
    with again.read() as conn:
        assert b"".join(attachments.open_content(conn, "keep")) == b"document"
    again.close()


def test_a_range_reads_only_the_chunks_it_spans_and_stops_at_the_end(cache: Cache) -> None:
    data = os.urandom(CHUNK_SIZE * 3 + 100)
    cache.write_blocking(lambda c: attachments.put_content(c, "R", [data]))
    with cache.read() as conn:
        for offset, length in (
            (0, 10),
            (CHUNK_SIZE - 5, 10),
            (5, CHUNK_SIZE * 2),
            (len(data) - 50, 500),
        ):
            assert (
                attachments.read_range(conn, "R", offset, length) == data[offset : offset + length]
            )
        assert attachments.read_range(conn, "R", len(data) + 10, 10) == b""
        assert attachments.read_range(conn, "R", 7, 0) == b""
        with pytest.raises(ContentMissing):
            attachments.read_range(conn, "absent", 0, 10)


def test_cached_content_is_a_seekable_reader_that_writes_nothing_to_disk(
    cache: Cache, tmp_path: Path
) -> None:
    data = os.urandom(CHUNK_SIZE + 4321)
    cache.write_blocking(lambda c: attachments.put_content(c, "C", [data]))
    before = sorted(p for p in tmp_path.rglob("*"))
    reader = CachedContent(cache, "C", len(data))
    assert reader.seek(0, io.SEEK_END) == len(data)
    reader.seek(CHUNK_SIZE - 3)
    buffer = bytearray(10)
    assert reader.readinto(buffer) == 10
    assert bytes(buffer) == data[CHUNK_SIZE - 3 : CHUNK_SIZE + 7]
    assert reader.tell() == CHUNK_SIZE + 7
    reader.seek(0)
    assert reader.read() == data
    assert sorted(p for p in tmp_path.rglob("*")) == before  # read in place: no copy
    cache.write_blocking(lambda c: attachments.delete_content(c, "C"))
    reader.seek(0)
    assert reader.readinto(bytearray(10)) == 0  # evicted meanwhile: a short read, no error
