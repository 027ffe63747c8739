"""What only the client keeps: favorites, recents, directory entries, drafts, outbox, pending
flag changes — all of it must survive closing and reopening the cache."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.records import Address
from app.store import contacts, drafts, mail, outbox, pending
from app.store.db import Cache, Connection
from app.store.key import CacheKey
from app.store.outbox import OutboxState
from app.store.records import MailboxRecord
from tests.app.store_helpers import BASE, email

DAY = 86_400_000


def _reopen(cache_path: Path, key: CacheKey) -> Cache:
    return Cache.open(cache_path, key)


def test_drafts_crud_survives_reopening(cache_path: Path, key: CacheKey) -> None:
    first = Cache.open(cache_path, key)
    first.write_blocking(lambda c: drafts.save(c, "d1", {"subject": "Premier"}, now_ms=1))
    first.write_blocking(lambda c: drafts.save(c, "d2", {"subject": "Second"}, now_ms=2))
    first.write_blocking(lambda c: drafts.save(c, "d1", {"subject": "Premier, revu"}, now_ms=3))
    first.close()
    again = _reopen(cache_path, key)
    with again.read() as conn:
        assert [d.id for d in drafts.list_drafts(conn)] == ["d1", "d2"]
        loaded = drafts.load(conn, "d1")
    assert loaded is not None
    assert loaded.payload == {"subject": "Premier, revu"}
    assert loaded.updated_at == 3
    assert again.write_blocking(lambda c: drafts.delete(c, "d2")) is True
    assert again.write_blocking(lambda c: drafts.delete(c, "d2")) is False
    with again.read() as conn:
        assert [d.id for d in drafts.list_drafts(conn)] == ["d1"]
    again.close()


def test_outbox_crud_survives_reopening(cache_path: Path, key: CacheKey) -> None:
    first = Cache.open(cache_path, key)

    def add_two(c: object) -> None:
        outbox.add(c, "o1", "<one@x>", {"to": ["a@x.fr"]}, now_ms=10)
        outbox.add(c, "o2", "<two@x>", {"to": ["b@x.fr"]}, state=OutboxState.FAILED, now_ms=20)

    first.write_blocking(add_two)
    first.write_blocking(
        lambda c: outbox.update(
            c, "o1", state=OutboxState.SENDING, attempts=1, email_id="M1", now_ms=30
        )
    )
    first.close()
    again = _reopen(cache_path, key)
    with again.read() as conn:
        row = outbox.get(conn, "o1")
        assert [r.id for r in outbox.list_rows(conn)] == ["o1", "o2"]
        assert [r.id for r in outbox.list_rows(conn, OutboxState.FAILED)] == ["o2"]
        assert [r.id for r in outbox.list_rows(conn, OutboxState.FAILED, OutboxState.SENDING)] == [
            "o1",
            "o2",
        ]
    assert row is not None
    assert (row.state, row.attempts, row.email_id, row.submission_id) == (
        OutboxState.SENDING,
        1,
        "M1",
        None,
    )
    assert type(row.state) is OutboxState  # read back typed, not as a bare string
    assert (row.created_at, row.updated_at, row.payload) == (10, 30, {"to": ["a@x.fr"]})
    again.write_blocking(
        lambda c: outbox.update(
            c,
            "o1",
            state=OutboxState.SENT,
            submission_id="S1",
            sent_at=40,
            error=None,
            payload={"v": 2},
        )
    )
    again.write_blocking(lambda c: outbox.update(c, "o2", error="Serveur injoignable"))
    with again.read() as conn:
        sent = outbox.get(conn, "o1")
        failed = outbox.get(conn, "o2")
    assert sent is not None
    assert (sent.state, sent.submission_id, sent.sent_at) == ("sent", "S1", 40)
    assert sent.email_id == "M1"
    assert sent.payload == {"v": 2}
    assert failed is not None
    assert failed.error == "Serveur injoignable"
    assert again.write_blocking(lambda c: outbox.update(c, "zz", state=OutboxState.QUEUED)) is False
    assert again.write_blocking(lambda c: outbox.delete(c, "o1")) is True
    with again.read() as conn:
        assert outbox.get(conn, "o1") is None
    again.close()


def test_outbox_message_ids_are_unique(cache: Cache) -> None:
    cache.write_blocking(lambda c: outbox.add(c, "o1", "<same@x>", {}))
    with pytest.raises(Exception, match="UNIQUE"):
        cache.write_blocking(lambda c: outbox.add(c, "o2", "<same@x>", {}))
    with cache.read() as conn:
        assert [r.id for r in outbox.list_rows(conn)] == ["o1"]


def test_pending_actions_in_order_and_survive_reopening(cache_path: Path, key: CacheKey) -> None:
    first = Cache.open(cache_path, key)
    ids = [
        first.write_blocking(lambda c, k=kind: pending.add(c, k, ["e1", "e2"], {"seen": True}))
        for kind in ("keywords", "move", "destroy")
    ]
    first.write_blocking(lambda c: pending.bump_attempts(c, ids[1], "HTTP 503"))
    first.close()
    again = _reopen(cache_path, key)
    with again.read() as conn:
        actions = pending.list_actions(conn)
    assert [a.kind for a in actions] == ["keywords", "move", "destroy"]
    assert actions[0].email_ids == ["e1", "e2"]
    assert actions[0].payload == {"seen": True}
    assert (actions[1].attempts, actions[1].last_error) == (1, "HTTP 503")
    assert again.write_blocking(lambda c: pending.remove(c, ids[0])) is True
    with again.read() as conn:
        assert [a.id for a in pending.list_actions(conn)] == ids[1:]
    again.close()


def test_favorites_survive_reopening(cache_path: Path, key: CacheKey) -> None:
    first = Cache.open(cache_path, key)
    card = {"name": "Dr Bob Durand", "specialty": "Cardiologie"}
    first.write_blocking(
        lambda c: contacts.add_favorite(c, "Bob.Durand@sisra-demo.mssante.fr", card, now_ms=1)
    )
    first.write_blocking(lambda c: contacts.add_favorite(c, "z@x.fr", {"name": "Z"}, now_ms=2))
    first.close()
    again = _reopen(cache_path, key)
    with again.read() as conn:
        favorites = contacts.list_favorites(conn)
        assert contacts.is_favorite(conn, "bob.durand@sisra-demo.mssante.fr")
    assert [f.address for f in favorites] == ["bob.durand@sisra-demo.mssante.fr", "z@x.fr"]
    assert favorites[0].display == card
    assert again.write_blocking(lambda c: contacts.remove_favorite(c, "Z@X.FR")) is True
    with again.read() as conn:
        assert not contacts.is_favorite(conn, "z@x.fr")
    again.close()


def test_recents_rank_by_frequency_and_recency(cache: Cache) -> None:
    now = 100 * DAY

    def use(c: object) -> None:
        for _ in range(5):  # often, but two months ago
            contacts.note_used(c, "old@x.fr", "Ancien", now_ms=now - 60 * DAY)
        for _ in range(2):  # twice this week
            contacts.note_used(c, "week@x.fr", None, now_ms=now - 3 * DAY)
        contacts.note_used(c, "today@x.fr", "Aujourd'hui", now_ms=now)

    cache.write_blocking(use)
    with cache.read() as conn:
        top = contacts.top_recents(conn, 10, now_ms=now)
        assert [r.address for r in contacts.top_recents(conn, 1, now_ms=now)] == ["week@x.fr"]
    assert [r.address for r in top] == ["week@x.fr", "today@x.fr", "old@x.fr"]
    assert top[2].count == 5
    assert top[2].name == "Ancien"
    cache.write_blocking(lambda c: contacts.forget_recent(c, "week@x.fr"))
    with cache.read() as conn:
        assert next(r.address for r in contacts.top_recents(conn, 10, now_ms=now)) == "today@x.fr"


KARIM = Address("Dr Karim Benali", "Karim.Benali@chu-lyon.mssante.fr")
NADIA = Address("Dr Nadia Lefèvre", "nadia.lefevre@clinique.mssante.fr")
JULIE = Address(None, "julie.perrin@pharmacie.mssante.fr")


def _sent(cache: Cache) -> None:
    """A first sync's Sent mailbox: Karim 3 times (once in Cc), Nadia twice, Julie once; an inbox
    message addressed to others, which counts for nothing."""
    sent = [
        dataclasses.replace(email("s1", mailboxes=("sent",)), to=[KARIM, NADIA]),
        dataclasses.replace(email("s2", minutes=1, mailboxes=("sent",)), to=[KARIM]),
        dataclasses.replace(email("s3", minutes=2, mailboxes=("sent",)), to=[NADIA], cc=[KARIM]),
        dataclasses.replace(email("s4", minutes=3, mailboxes=("sent",)), to=[JULIE]),
        dataclasses.replace(email("i1", minutes=4), to=[JULIE], cc=[JULIE, NADIA]),
    ]

    def write(c: Connection) -> None:
        mail.upsert_mailboxes(
            c,
            [
                MailboxRecord("inbox", "Réception", role="inbox"),
                MailboxRecord("sent", "Envoyés", role="sent"),
            ],
        )
        mail.upsert_emails(c, sent)

    cache.write_blocking(write)


def test_recents_count_the_sent_mailbox_most_written_to_first(cache: Cache) -> None:
    _sent(cache)
    now = int(BASE.timestamp() * 1000) + DAY
    with cache.read() as conn:
        top = contacts.top_recents(conn, 10, now_ms=now)
        at_hand = contacts.at_hand(conn, 10, now_ms=now)
        counts = at_hand.counts
    assert at_hand.recents == top
    assert [(r.address, r.count) for r in top] == [
        ("karim.benali@chu-lyon.mssante.fr", 3),
        ("nadia.lefevre@clinique.mssante.fr", 2),
        ("julie.perrin@pharmacie.mssante.fr", 1),
    ]
    assert top[0].name == "Dr Karim Benali"
    assert counts == {r.address: r.count for r in top}


def test_a_message_sent_here_and_found_in_sent_counts_once(cache: Cache) -> None:
    _sent(cache)
    now = int(BASE.timestamp() * 1000) + DAY

    def noted(c: Connection) -> None:
        contacts.note_used(c, "nadia.lefevre@clinique.mssante.fr", None, now_ms=now)
        contacts.note_used(c, "new@x.fr", "Nouveau", now_ms=now)

    cache.write_blocking(noted)
    with cache.read() as conn:
        counts = contacts.at_hand(conn, 10, now_ms=now).counts
        top = contacts.top_recents(conn, 10, now_ms=now)
    # Nadia: 2 in Sent, 1 noted here (the same message, not synced back yet): still 2.
    assert counts["nadia.lefevre@clinique.mssante.fr"] == 2
    assert counts["new@x.fr"] == 1
    nadia = next(r for r in top if r.address.startswith("nadia"))
    assert nadia.last_used == now  # the newer of the two dates
    assert nadia.name == "Dr Nadia Lefèvre"


def test_directory_entries_kept_by_recent_use(cache: Cache) -> None:
    def put(c: object) -> None:
        for number in range(5):
            contacts.put_directory_entry(c, f"Practitioner/{number}", {"n": number}, number)

    cache.write_blocking(put)
    assert cache.write_blocking(lambda c: contacts.prune_directory_entries(c, 3)) == 2
    with cache.read() as conn:
        entries = contacts.recent_directory_entries(conn)
        assert contacts.get_directory_entry(conn, "Practitioner/0") is None
        kept = contacts.get_directory_entry(conn, "Practitioner/4")
    assert [e.key for e in entries] == ["Practitioner/4", "Practitioner/3", "Practitioner/2"]
    assert kept is not None
    assert kept.data == {"n": 4}
    assert kept.fetched_at == 4
