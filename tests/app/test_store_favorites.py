"""The favorites' local half (issue 13 §5): kept in the unsent file with what the server has not
had yet, moved there from caches of the earlier schema, and merged with the server's list."""

from __future__ import annotations

import json
from pathlib import Path

import sqlcipher3

from app.regional.records import FavoriteChange
from app.store import contacts
from app.store.db import Cache, Connection
from app.store.key import CacheKey
from app.store.schema import MIGRATIONS, _statements

BOB = "bob.durand@sisra-demo.mssante.fr"
ZOE = "zoe.noel@sisra-demo.mssante.fr"
CARD = {"name": "Dr Bob Durand", "address": BOB}


def changes(conn: Connection) -> dict[str, tuple[int, bool]]:
    return {c.address: (c.changed_at, c.removed) for c in contacts.favorite_changes(conn)}


def shown(conn: Connection) -> list[str]:
    return [f.address for f in contacts.list_favorites(conn)]


def test_a_cache_of_the_earlier_schema_moves_its_favorites_to_be_sent(
    cache_path: Path, key: CacheKey
) -> None:
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlcipher3.connect(str(cache_path), isolation_level=None)
    key.apply(conn)
    conn.execute("BEGIN")
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO favorites (address, display, added_at) VALUES (?, ?, 1234)",
        (BOB, json.dumps(CARD)),
    )
    conn.execute("COMMIT")
    conn.close()
    cache = Cache.open(cache_path, key)
    try:
        with cache.read() as read:
            assert [(f.address, f.display, f.added_at) for f in contacts.list_favorites(read)] == [
                (BOB, CARD, 1234)
            ]
            assert changes(read) == {BOB: (1234, False)}  # sent at the first sync
            tables = {r[0] for r in read.execute("SELECT name FROM main.sqlite_master")}
            assert "favorites" not in tables
    finally:
        cache.close()


def test_each_gesture_is_a_change_to_send_later_than_the_one_before(cache: Cache) -> None:
    cache.write_blocking(lambda c: contacts.add_favorite(c, BOB, CARD, now_ms=100))
    # The clock went back meanwhile: the removal still comes after the addition.
    assert cache.write_blocking(lambda c: contacts.remove_favorite(c, BOB.upper(), now_ms=50))
    assert not cache.write_blocking(lambda c: contacts.remove_favorite(c, BOB, now_ms=60))
    with cache.read() as conn:
        assert shown(conn) == []
        assert changes(conn) == {BOB: (101, True)}
    cache.write_blocking(lambda c: contacts.add_favorite(c, BOB, CARD, now_ms=200))
    with cache.read() as conn:
        assert [(f.address, f.added_at) for f in contacts.list_favorites(conn)] == [(BOB, 200)]
        assert changes(conn) == {BOB: (200, False)}


def test_the_servers_answer_replaces_what_was_sent_and_brings_the_others(cache: Cache) -> None:
    cache.write_blocking(lambda c: contacts.add_favorite(c, BOB, CARD, now_ms=100))
    with cache.read() as conn:
        sent = {c.address: c.changed_at for c in contacts.favorite_changes(conn)}
    server = [
        FavoriteChange(BOB, CARD, 100),
        FavoriteChange(ZOE, {"name": "Zoé Noël"}, 150),  # starred on another computer
    ]
    assert cache.write_blocking(lambda c: contacts.merge_favorites(c, server=server, sent=sent))
    with cache.read() as conn:
        assert shown(conn) == [BOB, ZOE]
        assert changes(conn) == {}  # the server has everything
    # Nothing new: nothing shown changes.
    assert not cache.write_blocking(lambda c: contacts.merge_favorites(c, server=server, sent={}))


def test_removed_on_another_computer_and_untouched_here_it_goes(cache: Cache) -> None:
    cache.write_blocking(
        lambda c: contacts.merge_favorites(c, server=[FavoriteChange(BOB, CARD, 100)], sent={})
    )
    trace = [FavoriteChange(BOB, {}, 300, removed=True)]
    assert cache.write_blocking(lambda c: contacts.merge_favorites(c, server=trace, sent={}))
    with cache.read() as conn:
        assert shown(conn) == []
        assert changes(conn) == {}
        assert conn.execute("SELECT count(*) FROM unsent.favorites").fetchone()[0] == 0


def test_a_change_made_while_the_server_answered_waits_for_the_next_sync(cache: Cache) -> None:
    cache.write_blocking(lambda c: contacts.add_favorite(c, BOB, CARD, now_ms=100))
    sent = {BOB: 100}
    cache.write_blocking(lambda c: contacts.remove_favorite(c, BOB, now_ms=120))  # meanwhile
    answer = [FavoriteChange(BOB, CARD, 100)]
    cache.write_blocking(lambda c: contacts.merge_favorites(c, server=answer, sent=sent))
    with cache.read() as conn:
        assert shown(conn) == []
        assert changes(conn) == {BOB: (120, True)}


def test_a_favorite_the_server_does_not_know_is_sent_again(cache: Cache) -> None:
    """The server's data was reset: what it had from here is sent again, not lost."""
    cache.write_blocking(
        lambda c: contacts.merge_favorites(c, server=[FavoriteChange(BOB, CARD, 100)], sent={})
    )
    assert not cache.write_blocking(lambda c: contacts.merge_favorites(c, server=[], sent={}))
    with cache.read() as conn:
        assert shown(conn) == [BOB]
        assert changes(conn) == {BOB: (100, False)}
