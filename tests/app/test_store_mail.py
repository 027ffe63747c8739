"""Mailboxes and emails in the cache: the list pages, summaries, threads and counts the UI reads."""

from __future__ import annotations

from datetime import date

import pytest

from app.store import mail, search
from app.store.db import Cache, Connection
from app.store.mail import Filters, Sort
from app.store.records import (
    Address,
    AttachmentRecord,
    MailboxCounts,
    MailboxRecord,
    PatientRef,
)
from tests.app.store_helpers import BASE, email

PATIENT = PatientRef(
    "279035121518989", "1.2.250.1.213.1.4.10", "Jeanne", "Martin", date(1979, 3, 5)
)
PDF = AttachmentRecord(
    "3",
    "B-pdf",
    "cr.pdf",
    "application/pdf",
    1234,
    "attachment",
    None,
    "Compte rendu de consultation",
)


def _store(cache: Cache, *records: object) -> None:
    cache.write_blocking(lambda c: mail.upsert_emails(c, records))  # type: ignore[arg-type]


@pytest.fixture
def mailbox_cache(cache: Cache) -> Cache:
    cache.write_blocking(
        lambda c: mail.upsert_mailboxes(
            c,
            [
                MailboxRecord("inbox", "Boîte de réception", role="inbox", sort_order=1),
                MailboxRecord("sent", "Envoyés", role="sent", sort_order=2),
                MailboxRecord("archive", "Archives", sort_order=3),
            ],
        )
    )
    _store(
        cache,
        email(
            "a",
            minutes=1,
            subject="Zèbre",
            sender=Address("Dr Zoé Xavier", "zx@x.fr"),
            keywords=("$seen",),
        ),
        email(
            "b",
            minutes=2,
            subject="avis",
            sender=Address(None, "albert@x.fr"),
            attachments=(PDF,),
            patient=PATIENT,
        ),
        email(
            "c",
            minutes=3,
            subject="Bilan",
            sender=Address("Dr Marc Bernard", "mb@x.fr"),
            keywords=("$seen", "$flagged"),
        ),
        email(
            "d",
            minutes=4,
            subject="Compte rendu",
            thread_id="T-b",
            patient=PATIENT,
            keywords=("$seen",),
        ),
        email("s", minutes=5, subject="Réponse", mailboxes=("sent",), keywords=("$seen",)),
    )
    return cache


def test_list_ids_sorts_by_date_both_ways(mailbox_cache: Cache) -> None:
    with mailbox_cache.read() as conn:
        assert mail.list_ids(conn, "inbox") == ["d", "c", "b", "a"]
        assert mail.list_ids(conn, "inbox", Sort.DATE_ASC) == ["a", "b", "c", "d"]
        assert mail.list_ids(conn, None) == ["s", "d", "c", "b", "a"]


def test_list_ids_sorts_by_sender_and_subject(mailbox_cache: Cache) -> None:
    with mailbox_cache.read() as conn:
        # Sender: display name, else address, without case; ties newest first.
        assert mail.list_ids(conn, "inbox", Sort.SENDER) == ["b", "d", "c", "a"]
        assert mail.list_ids(conn, "inbox", Sort.SUBJECT) == ["b", "c", "d", "a"]


def test_list_ids_filters(mailbox_cache: Cache) -> None:
    with mailbox_cache.read() as conn:
        assert mail.list_ids(conn, "inbox", filters=Filters(unread=True)) == ["b"]
        assert mail.list_ids(conn, "inbox", filters=Filters(with_attachments=True)) == ["b"]
        assert mail.list_ids(conn, "inbox", filters=Filters(flagged=True)) == ["c"]
        by_patient = Filters(patient_ins=PATIENT.ins)
        assert mail.list_ids(conn, "inbox", filters=by_patient) == ["d", "b"]
        assert mail.list_ids(conn, None, filters=Filters(unread=True, with_attachments=True)) == [
            "b"
        ]
        assert mail.count_ids(conn, "inbox", by_patient) == 2
        assert mail.list_ids(conn, "sent", filters=Filters(unread=True)) == []


def test_pages_cover_the_mailbox_once(cache: Cache) -> None:
    _store(cache, *(email(f"m{i:03}", minutes=i) for i in range(250)))
    with cache.read() as conn:
        assert mail.count_ids(conn, "inbox") == 250
        pages = [mail.list_ids(conn, "inbox", offset=o, limit=100) for o in (0, 100, 200, 300)]
    assert [len(p) for p in pages] == [100, 100, 50, 0]
    flat = [i for p in pages for i in p]
    assert flat == [f"m{i:03}" for i in range(249, -1, -1)]


def test_summaries_keep_order_and_carry_what_the_list_draws(mailbox_cache: Cache) -> None:
    with mailbox_cache.read() as conn:
        rows = mail.summaries(conn, ["d", "unknown", "b", "a"])
    assert [r.id for r in rows] == ["d", "b", "a"]
    d, b, a = rows
    assert b.subject == "avis"
    assert b.has_attachment
    assert b.unread
    assert not b.flagged
    assert b.patient == PATIENT
    assert b.thread_size == 2
    assert d.thread_size == 2
    assert a.thread_size == 1
    assert a.from_ == [Address("Dr Zoé Xavier", "zx@x.fr")]
    assert a.to[0].email == "bob.durand@sisra-demo.mssante.fr"
    assert not a.unread
    assert d.received_at > b.received_at


def test_thread_emails_in_order_with_bodies_and_attachments(mailbox_cache: Cache) -> None:
    with mailbox_cache.read() as conn:
        thread = mail.thread_emails(conn, "T-b")
    assert [e.id for e in thread] == ["b", "d"]
    assert thread[0].attachments == [PDF]
    assert thread[0].text_body == "Bonjour,\nVoici le compte rendu."
    assert thread[0].patient == PATIENT
    assert thread[1].keywords == frozenset({"$seen"})


def test_email_round_trips_every_field(cache: Cache) -> None:
    original = email(
        "full",
        minutes=7,
        keywords=("$seen", "$flagged", "$answered"),
        mailboxes=("inbox", "archive"),
        html_body="<p>Bonjour</p>",
        attachments=(PDF,),
        patient=PATIENT,
        blob_id="B-full",
        message_id=["<abc@x>"],
        in_reply_to=["<prev@x>"],
        references=["<root@x>", "<prev@x>"],
        cc=[Address("Cc", "cc@x.fr")],
        bcc=[Address(None, "bcc@x.fr")],
        reply_to=[Address("R", "r@x.fr")],
        sent_at=BASE,
        size=4567,
        preview="Bonjour",
    )
    _store(cache, original)
    with cache.read() as conn:
        assert mail.get_email(conn, "full") == original
        assert mail.ids_by_message_id(conn, "<abc@x>") == ["full"]
        assert mail.ids_by_message_id(conn, "<other@x>") == []
        assert mail.email_ids(conn) == {"full"}


def test_counts_follow_keywords_and_moves(mailbox_cache: Cache) -> None:
    with mailbox_cache.read() as conn:
        assert mail.mailbox_counts(conn) == {
            "inbox": MailboxCounts(4, 1),
            "sent": MailboxCounts(1, 0),
            "archive": MailboxCounts(0, 0),
        }
    mailbox_cache.write_blocking(lambda c: mail.set_keywords(c, "a", []))  # unread again
    mailbox_cache.write_blocking(lambda c: mail.set_keywords(c, "b", ["$seen"]))
    mailbox_cache.write_blocking(lambda c: mail.set_mailboxes(c, "a", ["archive"]))
    mailbox_cache.write_blocking(lambda c: mail.set_mailboxes(c, "c", ["archive", "inbox"]))
    with mailbox_cache.read() as conn:
        assert mail.mailbox_counts(conn) == {
            "inbox": MailboxCounts(3, 0),
            "sent": MailboxCounts(1, 0),
            "archive": MailboxCounts(2, 1),
        }
        assert mail.list_ids(conn, "archive") == ["c", "a"]
        assert mail.list_ids(conn, "archive", filters=Filters(unread=True)) == ["a"]
    assert mailbox_cache.write_blocking(lambda c: mail.set_keywords(c, "nope", [])) is False
    assert mailbox_cache.write_blocking(lambda c: mail.set_mailboxes(c, "nope", [])) is False


def test_counts_follow_upserts_and_deletes(mailbox_cache: Cache) -> None:
    # A server update: "b" read and moved to the archive in one upsert.
    moved = email("b", minutes=2, subject="avis", mailboxes=("archive",), keywords=("$seen",))
    _store(mailbox_cache, moved)
    assert mailbox_cache.write_blocking(lambda c: mail.delete_emails(c, ["c", "zz"])) == 1
    with mailbox_cache.read() as conn:
        counts = mail.mailbox_counts(conn)
        assert counts["inbox"] == MailboxCounts(2, 0)
        assert counts["archive"] == MailboxCounts(1, 0)
        assert mail.get_email(conn, "c") is None
        assert mail.summaries(conn, ["d"])[0].thread_size == 2
    mailbox_cache.write_blocking(lambda c: mail.delete_emails(c, ["b", "d"]))
    with mailbox_cache.read() as conn:
        assert mail.thread_emails(conn, "T-b") == []
        assert conn.execute("SELECT count(*) FROM threads WHERE id = 'T-b'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
        assert mail.mailbox_counts(conn)["archive"] == MailboxCounts(0, 0)


def test_mailboxes_listed_updated_and_deleted(mailbox_cache: Cache) -> None:
    mailbox_cache.write_blocking(
        lambda c: (
            mail.upsert_mailboxes(c, [MailboxRecord("archive", "Classés", sort_order=0)]),
            mail.delete_mailboxes(c, ["sent"]),
        )
    )
    with mailbox_cache.read() as conn:
        boxes = mail.list_mailboxes(conn)
    assert [(m.id, m.name) for m in boxes] == [
        ("archive", "Classés"),
        ("inbox", "Boîte de réception"),
    ]


def test_states_and_clean_resync_of_a_type(mailbox_cache: Cache) -> None:
    def states(c: object) -> None:
        mail.set_state(c, "Email", "s1")
        mail.set_state(c, "Email", "s2")
        mail.set_state(c, "Mailbox", "m1")

    mailbox_cache.write_blocking(states)
    with mailbox_cache.read() as conn:
        assert mail.get_state(conn, "Email") == "s2"
        assert mail.get_state(conn, "Thread") is None
    mailbox_cache.write_blocking(lambda c: mail.clear_type(c, "Email"))
    with mailbox_cache.read() as conn:
        assert mail.get_state(conn, "Email") is None
        assert mail.get_state(conn, "Mailbox") == "m1"
        assert mail.count_ids(conn, None) == 0
        assert mail.mailbox_counts(conn)["inbox"] == MailboxCounts(0, 0)
        assert conn.execute("SELECT count(*) FROM fts WHERE fts MATCH 'bilan'").fetchone()[0] == 0
        assert len(mail.list_mailboxes(conn)) == 3
    mailbox_cache.write_blocking(lambda c: mail.clear_type(c, "Mailbox"))
    with mailbox_cache.read() as conn:
        assert mail.list_mailboxes(conn) == []
        assert mail.get_state(conn, "Mailbox") is None


def test_naive_dates_are_refused(cache: Cache) -> None:
    from dataclasses import replace

    naive = replace(email("n"), received_at=BASE.replace(tzinfo=None))
    with pytest.raises(ValueError, match="naive"):
        _store(cache, naive)


def test_setting_patients_changes_their_columns_and_index_entry_not_the_rest(
    mailbox_cache: Cache,
) -> None:
    # The patient reader sets a thousand patients in a first sync: no rewrite of whole emails.
    def watch(c: Connection) -> None:
        c.execute("CREATE TEMP TABLE rewritten (what TEXT)")
        for table in ("attachments", "email_mailboxes"):
            c.execute(
                f"CREATE TEMP TRIGGER {table}_gone AFTER DELETE ON main.{table} "
                f"BEGIN INSERT INTO rewritten VALUES ('{table}'); END"
            )

    mailbox_cache.write_blocking(watch)
    other = PatientRef("190017512345678", None, "Paul", "Lefèvre", date(1990, 1, 2))
    updated = mailbox_cache.write_blocking(
        lambda c: mail.set_patients(c, {"b": other, "c": other, "gone": other})
    )
    assert updated == ["b", "c"]  # an email deleted meanwhile is left out
    assert (
        mailbox_cache.write_blocking(
            lambda c: [r[0] for r in c.execute("SELECT what FROM rewritten")]
        )
        == []
    )
    with mailbox_cache.read() as conn:
        b = mail.get_email(conn, "b")
        assert b is not None
        assert b.patient == other
        assert b.attachments == [PDF]
        assert {h.email_id for h in search.search(conn, "Lefèvre")} == {"b", "c"}
        assert {h.email_id for h in search.search(conn, "Jeanne")} == {"d"}  # b's is replaced
        assert {h.email_id for h in search.search(conn, "avis")} == {"b"}  # the rest indexed
        by_patient = Filters(patient_ins=other.ins)
        assert mail.list_ids(conn, "inbox", filters=by_patient) == ["c", "b"]


def test_packages_without_a_patient_are_found_through_an_index_not_by_reading_every_document(
    cache: Cache,
) -> None:
    """Asked for after each page of a first sync: a scan of every attachment was 45 ms at 10,000
    emails each time."""
    xdm = AttachmentRecord("p2", "xdm-blob", " ihe_xdm.zip ", "application/zip", 900, None, None)
    pdf = AttachmentRecord("p3", "pdf-blob", "compte-rendu.pdf", "application/pdf", 800, None, None)
    _store(
        cache,
        email("old", minutes=1, attachments=(xdm,)),
        email("new", minutes=2, attachments=(pdf, xdm)),
        email("plain", minutes=3, attachments=(pdf,)),
    )
    with cache.read() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT e.id FROM emails e "
                "JOIN attachments a ON a.email_rowid = e.rowid WHERE upper(trim(a.name)) = ?",
                ("IHE_XDM.ZIP",),
            )
        )
        assert "attachments_name" in plan
        found = mail.emails_missing_patient(conn)
    assert [(row[0], row[1]) for row in found] == [("new", "xdm-blob"), ("old", "xdm-blob")]
