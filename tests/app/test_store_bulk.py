"""The bulk insert of new emails (the initial sync's path): the same cache as the row-by-row
update path, rowids that follow the received date, and the index dropped by schema step 3."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from app.store import mail, schema, search
from app.store.db import Cache, Connection, unsent_path_for
from app.store.key import CacheKey
from app.store.records import Address, AttachmentRecord, EmailRecord, PatientRef
from tests.app.store_helpers import BASE, email

PATIENT = PatientRef(
    "279035121518989", "1.2.250.1.213.1.4.10", "Jeanne", "Martin", date(1979, 3, 5)
)
PDF = AttachmentRecord(
    "3", "B-pdf", "cr.pdf", "application/pdf", 1234, "attachment", None, "Compte rendu"
)
XDM = AttachmentRecord("4", "B-xdm", "IHE_XDM.ZIP", "application/zip", 99, "attachment")


def _varied() -> list[EmailRecord]:
    """Emails exercising every column the bulk path fills."""
    return [
        email("a", minutes=1, keywords=("$seen",), mailboxes=("inbox", "archive")),
        email("b", minutes=2, thread_id="T-a", keywords=("$flagged",), attachments=(PDF, XDM)),
        email("c", minutes=3, patient=PATIENT, subject="Échographie cardiaque"),
        email(
            "d",
            minutes=4,
            text_body=None,
            html_body="<p>Créatinine <b>élevée</b></p><script>x()</script>",
            sender=Address(None, "labo@chu.fr"),
            cc=[Address("Dr Cécile Roux", "c.roux@chu.fr")],
            message_id=["<d@chu.fr>"],
            references=["<a@chu.fr>"],
            in_reply_to=["<a@chu.fr>"],
            sent_at=BASE,
            size=4321,
            preview="Créatinine élevée",
        ),
        email("e", minutes=4, thread_id="T-a", mailboxes=()),  # same millisecond as "d"
    ]


def _snapshot(conn: Connection) -> dict[str, Any]:
    """Every row the email tables hold, comparable between two caches."""
    tables = {
        "emails": "SELECT rowid, * FROM emails ORDER BY rowid",
        "email_mailboxes": "SELECT * FROM email_mailboxes ORDER BY mailbox_id, email_rowid",
        "attachments": "SELECT * FROM attachments ORDER BY email_rowid, position",
        "threads": "SELECT * FROM threads ORDER BY id",
        "mailbox_counts": "SELECT * FROM mailbox_counts WHERE total > 0 ORDER BY mailbox_id",
    }
    out: dict[str, Any] = {
        name: [tuple(r) for r in conn.execute(sql)] for name, sql in tables.items()
    }
    out["search"] = {
        text: [h.email_id for h in search.search(conn, text, 20)]
        for text in ("créatinine", "echographie", "martin", "cr.pdf", "roux", "sujet", "compte")
    }
    return out


def test_bulk_insert_equals_the_update_path(tmp_path: Path) -> None:
    key = CacheKey.random()
    bulk = Cache.open(tmp_path / "bulk" / "cache.db", key)
    by_row = Cache.open(tmp_path / "rows" / "cache.db", key)
    try:
        bulk.write_blocking(lambda c: mail.insert_new_emails(c, _varied()))
        # The same ids first stored differently, then replaced one by one (the update path).
        others = [
            email(
                r.id,
                minutes=int((r.received_at - BASE).total_seconds() // 60),
                thread_id=f"old-{r.id}",
                mailboxes=("trash",),
                keywords=("$seen", "$flagged"),
                subject="Ancien",
                attachments=(XDM,),
            )
            for r in _varied()
        ]
        by_row.write_blocking(lambda c: mail.upsert_emails(c, others))
        by_row.write_blocking(lambda c: mail.upsert_emails(c, _varied()))
        with bulk.read() as a, by_row.read() as b:
            expected = _snapshot(b)
            assert _snapshot(a) == expected
            assert [t[0] for t in expected["threads"]] == ["T-a", "T-c", "T-d"]
            assert expected["search"]["créatinine"] == ["d"]
            assert expected["search"]["sujet"] == ["e", "d", "b", "a"]  # newest first
    finally:
        bulk.close()
        by_row.close()


def test_rowids_follow_the_date_within_a_millisecond(cache: Cache) -> None:
    first = [email(f"m{i}", minutes=10) for i in range(3)]
    cache.write_blocking(lambda c: mail.insert_new_emails(c, first))
    cache.write_blocking(lambda c: mail.insert_new_emails(c, [email("m3", minutes=10)]))
    cache.write_blocking(lambda c: mail.insert_new_emails(c, [email("later", minutes=11)]))
    with cache.read() as conn:
        rows = conn.execute("SELECT id, rowid FROM emails ORDER BY rowid").fetchall()
    base = int((BASE + timedelta(minutes=10)).timestamp() * 1000) * mail.ROWID_SLOTS
    assert [tuple(r) for r in rows[:4]] == [
        ("m0", base),
        ("m1", base + 1),
        ("m2", base + 2),
        ("m3", base + 3),
    ]
    assert rows[4]["id"] == "later"
    assert rows[4]["rowid"] > base + mail.ROWID_SLOTS


def test_a_crowded_millisecond_still_stores_every_email(cache: Cache) -> None:
    records = [email(f"x{i}", subject="Radiographie thorax") for i in range(mail.ROWID_SLOTS + 6)]
    cache.write_blocking(lambda c: mail.insert_new_emails(c, records))
    with cache.read() as conn:
        assert len(mail.email_ids(conn)) == mail.ROWID_SLOTS + 6
        assert mail.count_ids(conn, "inbox") == mail.ROWID_SLOTS + 6
        assert len(search.search(conn, "radiographie", 2000)) == mail.ROWID_SLOTS + 6
        base = int(BASE.timestamp() * 1000) * mail.ROWID_SLOTS
        in_slots = conn.execute(
            "SELECT count(*) FROM emails WHERE rowid BETWEEN ? AND ?",
            (base, base + mail.ROWID_SLOTS - 1),
        ).fetchone()[0]
        assert in_slots == mail.ROWID_SLOTS


def test_duplicates_in_one_call_keep_the_last_copy(cache: Cache) -> None:
    records = [
        email("dup", subject="Premier"),
        email("dup", subject="Second", mailboxes=("archive",)),
    ]
    cache.write_blocking(lambda c: mail.insert_new_emails(c, records))
    with cache.read() as conn:
        stored = mail.get_email(conn, "dup")
        assert stored is not None
        assert stored.subject == "Second"
        assert mail.mailbox_counts(conn)["archive"].total == 1
        assert "inbox" not in mail.mailbox_counts(conn)


def test_a_known_id_fails_the_whole_call(cache: Cache) -> None:
    cache.write_blocking(lambda c: mail.insert_new_emails(c, [email("known")]))
    with pytest.raises(sqlcipher3.IntegrityError):
        cache.write_blocking(
            lambda c: mail.insert_new_emails(c, [email("fresh", minutes=5), email("known")])
        )
    with cache.read() as conn:
        assert mail.email_ids(conn) == {"known"}  # the transaction was rolled back
        assert mail.count_ids(conn, "inbox") == 1


def test_upsert_mixes_new_and_known_emails(cache: Cache) -> None:
    cache.write_blocking(lambda c: mail.upsert_emails(c, [email("old", subject="Avant")]))
    cache.write_blocking(
        lambda c: mail.upsert_emails(
            c, [email("old", subject="Après", keywords=("$seen",)), email("new", minutes=1)]
        )
    )
    with cache.read() as conn:
        old = mail.get_email(conn, "old")
        assert old is not None
        assert old.subject == "Après"
        assert mail.mailbox_counts(conn)["inbox"].total == 2
        assert mail.mailbox_counts(conn)["inbox"].unread == 1
        assert [h.email_id for h in search.search(conn, "après", 10)] == ["old"]
        assert search.search(conn, "avant", 10) == []


def _indexes(conn: Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_step_3_drops_the_unused_message_id_index(tmp_path: Path) -> None:
    key = CacheKey.random()
    path = tmp_path / "cache.db"
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    key.apply(conn)
    unsent = str(unsent_path_for(path))
    with key.spelled() as spec:
        conn.execute(f"ATTACH DATABASE ? AS {schema.UNSENT} KEY ?", (unsent, spec))
    schema._migrate(conn, schema.UNSENT, schema.UNSENT_MIGRATIONS, {})
    schema._migrate(conn, "main", schema.MIGRATIONS[:2], schema.BEFORE_STEP)
    assert "emails_message_id" in _indexes(conn)
    conn.close()
    cache = Cache.open(path, key)
    try:
        with cache.read() as reader:
            assert schema.version(reader) == len(schema.MIGRATIONS)
            assert "emails_message_id" not in _indexes(reader)
            assert {"emails_received", "emails_thread", "emails_patient"} <= _indexes(reader)
    finally:
        cache.close()
