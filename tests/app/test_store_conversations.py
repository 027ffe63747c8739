"""The message list by conversation: one row per thread, its counts and marks, filters, live
changes kept by the triggers, and the migration that builds it from an older cache."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlcipher3

from app.store import conversations, mail, schema
from app.store.db import Cache, unsent_path_for
from app.store.key import CacheKey
from app.store.mail import Filters, Sort
from app.store.records import Address, AttachmentRecord, EmailRecord, PatientRef
from tests.app.store_helpers import email

MARTIN = PatientRef("279035121518989", "1.2.250.1.213.1.4.10", "Jeanne", "Martin", date(1979, 3, 5))
DUPONT = PatientRef("180017512345678", "1.2.250.1.213.1.4.10", "Paul", "Dupont", date(1980, 1, 1))
PDF = AttachmentRecord("3", "B-pdf", "cr.pdf", "application/pdf", 1234, "attachment")
BENALI = Address("Dr Karim Benali", "k.benali@x.fr")


def _store(cache: Cache, *records: EmailRecord) -> None:
    cache.write_blocking(lambda c: mail.upsert_emails(c, records))


def _thread(cache: Cache) -> None:
    """A question, two replies (one unread, one with a document), an older lone message, and the
    GP's own answer in "sent"."""
    _store(
        cache,
        email("lone", minutes=1, subject="Seul", keywords=("$seen",)),
        email("q", minutes=2, thread_id="T", subject="Avis", keywords=("$seen",), patient=MARTIN),
        email(
            "r1", minutes=5, thread_id="T", subject="Re: Avis", sender=BENALI, keywords=("$seen",)
        ),
        email("mine", minutes=6, thread_id="T", subject="Re: Avis", mailboxes=("sent",)),
        email("r2", minutes=7, thread_id="T", subject="Re: Avis", attachments=(PDF,)),
    )


def test_two_replies_make_one_row_counting_three_unread_if_any_is(cache: Cache) -> None:
    _thread(cache)
    with cache.read() as conn:
        assert conversations.list_threads(conn, "inbox") == ["T", "T-lone"]
        assert conversations.count_threads(conn, "inbox") == 2
        row, lone = conversations.summaries(conn, "inbox", ["T", "T-lone"])
    assert (row.id, row.count, row.subject) == ("r2", 3, "Re: Avis")  # the newest in the inbox
    assert row.unread
    assert row.has_attachment
    assert not row.flagged
    assert [a.email for a in row.senders] == ["alice.martin@sisra-demo.mssante.fr", BENALI.email]
    assert row.patients == [MARTIN]  # from the first message: the conversation's patient
    assert (lone.count, lone.unread, lone.patient) == (1, False, None)


def test_a_mailbox_counts_its_own_messages_and_a_search_the_whole_thread(cache: Cache) -> None:
    _thread(cache)
    with cache.read() as conn:
        assert conversations.list_threads(conn, "sent") == ["T"]
        (sent,) = conversations.summaries(conn, "sent", ["T"])
        (whole,) = conversations.summaries(conn, None, ["T"])
        assert conversations.email_ids(conn, "inbox", ["T"]) == ["q", "r1", "r2"]
        assert conversations.threads_of(conn, ["r2", "lone", "q", "unknown"]) == ["T", "T-lone"]
    assert (sent.id, sent.count) == ("mine", 1)
    assert (whole.id, whole.count) == ("r2", 4)


def test_a_new_message_in_a_thread_moves_it_to_the_top_without_a_second_row(cache: Cache) -> None:
    _thread(cache)
    _store(cache, email("newer", minutes=9, subject="Autre"))
    with cache.read() as conn:
        assert conversations.list_threads(conn, "inbox") == ["T-newer", "T", "T-lone"]
    _store(cache, email("r3", minutes=10, thread_id="T", subject="Re: Avis", keywords=("$seen",)))
    with cache.read() as conn:
        assert conversations.list_threads(conn, "inbox") == ["T", "T-newer", "T-lone"]
        (row,) = conversations.summaries(conn, "inbox", ["T"])
    assert (row.id, row.count, row.unread) == ("r3", 4, True)  # r2 is still unread


def test_marks_moves_and_deletions_recount_the_conversation(cache: Cache) -> None:
    _thread(cache)

    def row() -> tuple[int, int, int, int]:
        with cache.read() as conn:
            found = conn.execute(
                "SELECT total, unread, flagged, attachments FROM conversations "
                "WHERE mailbox_id = 'inbox' AND thread_id = 'T'"
            ).fetchone()
        return tuple(found) if found is not None else (0, 0, 0, 0)  # type: ignore[return-value]

    assert row() == (3, 1, 0, 1)
    cache.write_blocking(lambda c: mail.set_keywords(c, "r2", ["$seen", "$flagged"]))
    assert row() == (3, 0, 1, 1)
    with cache.read() as conn:
        assert conversations.list_threads(conn, "inbox", Sort.SENDER) == ["T", "T-lone"]
    cache.write_blocking(lambda c: mail.set_mailboxes(c, "r2", ["archive"]))
    assert row() == (2, 0, 0, 0)
    with cache.read() as conn:  # r1 is the newest in the inbox now, and sorts as such
        assert conversations.summaries(conn, "inbox", ["T"])[0].id == "r1"
        # Both by Dr Alice Martin before, the newest first; now by Dr Karim Benali's reply.
        assert conversations.list_threads(conn, "inbox", Sort.SENDER) == ["T-lone", "T"]
        assert conversations.list_threads(conn, "archive") == ["T"]
    cache.write_blocking(lambda c: mail.delete_emails(c, ["q", "r1"]))
    assert row() == (0, 0, 0, 0)
    with cache.read() as conn:
        assert conversations.list_threads(conn, "inbox") == ["T-lone"]
        assert conn.execute("SELECT count(*) FROM conversations").fetchone()[0] == 3


def test_filters_keep_a_conversation_when_any_of_its_messages_matches(cache: Cache) -> None:
    _thread(cache)
    _store(cache, email("other", minutes=3, patient=DUPONT, keywords=("$seen", "$flagged")))
    with cache.read() as conn:

        def listed(filters: Filters) -> list[str]:
            found = conversations.list_threads(conn, "inbox", filters=filters)
            assert conversations.count_threads(conn, "inbox", filters) == len(found)
            return found

        assert listed(Filters(unread=True)) == ["T"]
        assert listed(Filters(with_attachments=True)) == ["T"]
        assert listed(Filters(flagged=True)) == ["T-other"]
        assert listed(Filters(patient_ins=MARTIN.ins)) == ["T"]
        assert listed(Filters(patient_ins=DUPONT.ins, unread=True)) == []
        assert listed(Filters()) == ["T", "T-other", "T-lone"]


def test_pages_cover_every_conversation_once(cache: Cache) -> None:
    _store(
        cache,
        *[
            email(f"m{i}", minutes=i, thread_id=f"T{i // 3}", keywords=("$seen",) * (i % 2))
            for i in range(300)
        ],
    )
    with cache.read() as conn:
        assert conversations.count_threads(conn, "inbox") == 100
        pages = [
            conversations.list_threads(conn, "inbox", offset=o, limit=30) for o in range(0, 120, 30)
        ]
    listed = [t for page in pages for t in page]
    assert listed == [f"T{i}" for i in range(99, -1, -1)]


def test_a_message_moved_to_another_thread_leaves_its_old_row(cache: Cache) -> None:
    _thread(cache)
    moved = email("r1", minutes=5, thread_id="T-lone", sender=BENALI, keywords=("$seen",))
    _store(cache, moved)
    with cache.read() as conn:
        assert [s.count for s in conversations.summaries(conn, "inbox", ["T", "T-lone"])] == [2, 2]
        counted = conn.execute(
            "SELECT thread_id, total FROM conversations WHERE mailbox_id = 'inbox' ORDER BY 1"
        ).fetchall()
    assert [tuple(r) for r in counted] == [("T", 2), ("T-lone", 2)]


def test_step_4_groups_an_older_cache_by_conversation(tmp_path: Path) -> None:
    key = CacheKey.random()
    path = tmp_path / "cache.db"
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.row_factory = sqlcipher3.Row
    key.apply(conn)
    with key.spelled() as spec:
        conn.execute(
            f"ATTACH DATABASE ? AS {schema.UNSENT} KEY ?", (str(unsent_path_for(path)), spec)
        )
    schema._migrate(conn, schema.UNSENT, schema.UNSENT_MIGRATIONS, {})
    schema._migrate(conn, "main", schema.MIGRATIONS[:3], schema.BEFORE_STEP)
    # What version 3 stored: the memberships without their thread.
    old_membership = (
        "INSERT INTO email_mailboxes (mailbox_id, email_rowid, email_id, received_at, unread, "
        "flagged, has_attachment, patient_ins, sender_sort, subject_sort) "
        "SELECT ?, rowid, id, received_at, 1 - seen, flagged, has_attachment, patient_ins, "
        "sender_sort, subject_sort FROM emails WHERE id = ?"
    )
    records = [
        email("q", minutes=2, thread_id="T", keywords=("$seen",)),
        email("r1", minutes=5, thread_id="T", sender=BENALI, attachments=(PDF,)),
        email("r2", minutes=7, thread_id="T", keywords=("$seen", "$flagged")),
        email("lone", minutes=1),
    ]
    conn.execute("BEGIN")
    for r in records:
        conn.execute(
            "INSERT INTO emails (id, thread_id, seen, flagged, received_at, has_attachment, "
            "sender_sort, subject_sort) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.id,
                r.thread_id,
                int("$seen" in r.keywords),
                int("$flagged" in r.keywords),
                int(r.received_at.timestamp() * 1000),
                int(r.has_attachment),
                r.from_[0].name.casefold() if r.from_[0].name else "",
                r.subject.casefold(),
            ),
        )
        conn.execute(old_membership, ("inbox", r.id))
    conn.execute("COMMIT")
    conn.close()
    cache = Cache.open(path, key)
    try:
        with cache.read() as reader:
            assert schema.version(reader) == len(schema.MIGRATIONS)  # every later step too
            assert conversations.list_threads(reader, "inbox") == ["T", "T-lone"]
            found = reader.execute(
                "SELECT thread_id, total, unread, flagged, attachments, email_rowid = "
                "(SELECT rowid FROM emails WHERE id = 'r2') FROM conversations ORDER BY 1"
            ).fetchall()
            assert [tuple(r) for r in found] == [("T", 3, 1, 1, 1, 1), ("T-lone", 1, 1, 0, 0, 0)]
        # The triggers work on the migrated file: a reply joins the row.
        _store(cache, email("r3", minutes=9, thread_id="T"))
        with cache.read() as reader:
            assert conversations.count_threads(reader, "inbox") == 2
            assert conversations.summaries(reader, "inbox", ["T"])[0].count == 4
    finally:
        cache.close()
