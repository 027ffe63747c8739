"""Mailboxes, threads and emails in the cache, and the queries the message list and reader need.

Plain functions taking a connection: the sync engine composes several of them inside one
`await cache.write(lambda conn: ...)`, the UI calls the queries inside `with cache.read() as conn`.
"""

from __future__ import annotations

import dataclasses
import enum
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.message.mss import shown_subject
from app.message.patient import XDM_FILE_NAME
from app.store import delivery, receipts
from app.store.db import Connection, timed
from app.store.records import (
    Address,
    AttachmentRecord,
    EmailRecord,
    EmailSummary,
    MailboxCounts,
    MailboxRecord,
    PatientRef,
    addresses_from_json,
    addresses_to_json,
    from_ms,
    to_ms,
)

CHUNK = 500  # ids per IN (...) list


class Sort(enum.Enum):
    DATE_DESC = "date_desc"
    DATE_ASC = "date_asc"
    SENDER = "sender"
    SUBJECT = "subject"


@dataclass(frozen=True)
class Filters:
    unread: bool = False
    with_attachments: bool = False
    flagged: bool = False
    patient_ins: str | None = None


NO_FILTERS = Filters()


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(count: int) -> str:
    return ",".join("?" * count)


# --- mailboxes ---------------------------------------------------------------------------------


def upsert_mailboxes(conn: Connection, records: Iterable[MailboxRecord]) -> None:
    conn.executemany(
        "INSERT INTO mailboxes (id, name, parent_id, role, sort_order) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id, "
        "role = excluded.role, sort_order = excluded.sort_order",
        [(m.id, m.name, m.parent_id, m.role, m.sort_order) for m in records],
    )


def delete_mailboxes(conn: Connection, ids: Iterable[str]) -> None:
    conn.executemany("DELETE FROM mailboxes WHERE id = ?", [(i,) for i in ids])


def list_mailboxes(conn: Connection) -> list[MailboxRecord]:
    rows = conn.execute(
        "SELECT id, name, parent_id, role, sort_order FROM mailboxes ORDER BY sort_order, name"
    )
    return [
        MailboxRecord(r["id"], r["name"], r["parent_id"], r["role"], r["sort_order"]) for r in rows
    ]


def mailbox_counts(conn: Connection) -> dict[str, MailboxCounts]:
    """Total and unread per mailbox (known mailboxes appear even when empty)."""
    counts = {r["id"]: MailboxCounts(0, 0) for r in conn.execute("SELECT id FROM mailboxes")}
    for r in conn.execute("SELECT mailbox_id, total, unread FROM mailbox_counts"):
        counts[r["mailbox_id"]] = MailboxCounts(r["total"], r["unread"])
    return counts


# --- emails: writing ---------------------------------------------------------------------------

_TAG = re.compile(
    r"<(script|style|head)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL
)
_SPACE = re.compile(r"\s+")


def html_to_index_text(source: str) -> str:
    """A cheap tag strip for the index only (the message package sanitises what is shown)."""
    text = html.unescape(_TAG.sub(" ", source)).replace("\u00ad", "")  # soft hyphens
    return _SPACE.sub(" ", text).strip()


def _participants_text(record: EmailRecord) -> str:
    parts: list[str] = []
    for address in (*record.from_, *record.to, *record.cc, *record.bcc, *record.reply_to):
        if address.name:
            parts.append(address.name)
        parts.append(address.email)
    return " ".join(parts)


def _fts_values(record: EmailRecord) -> tuple[str, str, str, str, str]:
    body = record.text_body or ""
    if record.html_body and not body.strip():
        body = html_to_index_text(record.html_body)
    attachment_names = " ".join(
        " ".join(filter(None, (a.name, a.doc_type))) for a in record.attachments
    )
    patient = ""
    if record.patient is not None:
        p = record.patient
        patient = " ".join(filter(None, (p.given, p.family, p.ins)))
    return record.subject, _participants_text(record), body, attachment_names, patient


def _sender_sort(record: EmailRecord) -> str:
    if not record.from_:
        return ""
    first = record.from_[0]
    return (first.name or first.email).casefold()


def _refresh_threads(conn: Connection, thread_ids: Iterable[str]) -> None:
    """Recounts these conversations from their emails, in two statements whatever their number."""
    ids = _dump(sorted(set(thread_ids)))
    if ids == "[]":
        return
    conn.execute(
        "INSERT INTO threads (id, email_count, last_received_at) "
        "SELECT thread_id, count(*), max(received_at) FROM emails "
        "WHERE thread_id IN (SELECT value FROM json_each(?)) GROUP BY thread_id "
        "ON CONFLICT (id) DO UPDATE SET email_count = excluded.email_count, "
        "last_received_at = excluded.last_received_at",
        (ids,),
    )
    conn.execute(
        "DELETE FROM threads WHERE id IN (SELECT value FROM json_each(?)) "
        "AND NOT EXISTS (SELECT 1 FROM emails WHERE thread_id = threads.id)",
        (ids,),
    )


_COLUMNS = """rowid, id, thread_id, blob_id, keywords, seen, flagged, message_id,
    in_reply_to, refs, subject, sender_sort, subject_sort, from_json, to_json, cc_json,
    bcc_json, reply_to_json, sent_at, received_at, size, preview, has_attachment, text_body,
    html_body, patient_ins, patient_oid, patient_given, patient_family, patient_birth_date"""
_VALUES = f"VALUES ({_marks(30)})"

_INSERT = f"INSERT INTO emails ({_COLUMNS})\n{_VALUES}"

_UPSERT = f"""
INSERT INTO emails ({_COLUMNS})
{_VALUES}
ON CONFLICT (id) DO UPDATE SET thread_id = excluded.thread_id, blob_id = excluded.blob_id,
    keywords = excluded.keywords, seen = excluded.seen, flagged = excluded.flagged,
    message_id = excluded.message_id, in_reply_to = excluded.in_reply_to, refs = excluded.refs,
    subject = excluded.subject, sender_sort = excluded.sender_sort,
    subject_sort = excluded.subject_sort,
    from_json = excluded.from_json, to_json = excluded.to_json, cc_json = excluded.cc_json,
    bcc_json = excluded.bcc_json, reply_to_json = excluded.reply_to_json,
    sent_at = excluded.sent_at, received_at = excluded.received_at, size = excluded.size,
    preview = excluded.preview, has_attachment = excluded.has_attachment,
    text_body = excluded.text_body, html_body = excluded.html_body,
    patient_ins = excluded.patient_ins, patient_oid = excluded.patient_oid,
    patient_given = excluded.patient_given, patient_family = excluded.patient_family,
    patient_birth_date = excluded.patient_birth_date
RETURNING rowid
"""

_INSERT_MEMBERSHIP = (
    "INSERT INTO email_mailboxes (mailbox_id, email_rowid, email_id, received_at, unread, "
    "flagged, has_attachment, patient_ins, sender_sort, subject_sort, thread_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_ATTACHMENT = (
    "INSERT INTO attachments (email_rowid, position, part_id, blob_id, name, type, size, "
    "disposition, cid, doc_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_FTS = (
    "INSERT INTO fts (rowid, subject, participants, body, attachments, patient) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


ROWID_SLOTS = 1024  # emails received in the same millisecond


def _rowids_for(conn: Connection, received: Sequence[datetime]) -> list[int | None]:
    """Rowids that sort like the dates, so that search can take the newest matches first: the
    next free slot of each millisecond (one query for all of them). None when every slot of a
    millisecond is taken: SQLite picks one (only that email's search order suffers)."""
    bases = [to_ms(moment) * ROWID_SLOTS for moment in received]
    taken = conn.execute(
        "SELECT b.value, (SELECT max(rowid) FROM emails "
        f"WHERE rowid BETWEEN b.value AND b.value + {ROWID_SLOTS - 1}) "
        "FROM json_each(?) b",
        (_dump(sorted(set(bases))),),
    )
    next_free = {int(base): base if last is None else int(last) + 1 for base, last in taken}
    out: list[int | None] = []
    for base in bases:
        candidate = next_free[base]
        if candidate < base + ROWID_SLOTS:
            next_free[base] = candidate + 1
            out.append(candidate)
        else:
            out.append(None)
    return out


# One encoder for every column: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dump(value: Any) -> str:
    return _ENCODER.encode(value)


def _dump_strings(values: Sequence[str]) -> str:
    return _ENCODER.encode(values) if values else "[]"


def _dump_addresses(addresses: list[Address]) -> str:
    return _ENCODER.encode(addresses_to_json(addresses)) if addresses else "[]"


def _email_row(r: EmailRecord, rowid: int | None) -> tuple[Any, ...]:
    """The emails row of a record, in _COLUMNS order."""
    p = r.patient
    keywords = r.keywords
    return (
        rowid,
        r.id,
        r.thread_id,
        r.blob_id,
        _dump_strings(sorted(keywords)),
        int("$seen" in keywords),
        int("$flagged" in keywords),
        _dump_strings(r.message_id),
        _dump_strings(r.in_reply_to),
        _dump_strings(r.references),
        r.subject,
        _sender_sort(r),
        shown_subject(r.subject).casefold(),
        _dump_addresses(r.from_),
        _dump_addresses(r.to),
        _dump_addresses(r.cc),
        _dump_addresses(r.bcc),
        _dump_addresses(r.reply_to),
        to_ms(r.sent_at) if r.sent_at is not None else None,
        to_ms(r.received_at),
        r.size,
        r.preview,
        int(r.has_attachment),
        r.text_body,
        r.html_body,
        *_patient_columns(p),
    )


def _patient_columns(p: PatientRef | None) -> tuple[str | None, ...]:
    """patient_ins, _oid, _given, _family, _birth_date."""
    if p is None:
        return (None,) * 5
    birth = p.birth_date.isoformat() if p.birth_date else None
    return (p.ins, p.oid, p.given, p.family, birth)


def _attachment_rows(rowid: int, r: EmailRecord) -> list[tuple[Any, ...]]:
    return [
        (rowid, i, a.part_id, a.blob_id, a.name, a.type, a.size, a.disposition, a.cid, a.doc_type)
        for i, a in enumerate(r.attachments)
    ]


def insert_new_emails(conn: Connection, records: Iterable[EmailRecord]) -> None:
    """Emails the cache does not have yet (the sync engine knows which), with their mailboxes,
    attachments and index entries: each table filled by one executemany, threads recounted
    once. An id already cached fails the call (UNIQUE) and so the writer's transaction: callers
    that are not sure use upsert_emails."""
    unique = list({r.id: r for r in records}.values())  # the last copy of an id wins
    if not unique:
        return
    rowids = _rowids_for(conn, [r.received_at for r in unique])
    placed: list[tuple[int, EmailRecord]] = []
    crowded: list[EmailRecord] = []  # in a millisecond with 1,024 emails already
    for r, rowid in zip(unique, rowids, strict=True):
        if rowid is None:
            crowded.append(r)
        else:
            placed.append((rowid, r))
    # Ascending rowids: B-tree appends, and FTS5 flushes its pending terms whenever a rowid is
    # lower than the previous one (pages come newest first).
    placed.sort(key=lambda item: item[0])
    conn.executemany(_INSERT, [_email_row(r, rowid) for rowid, r in placed])
    for r in crowded:  # after the others: SQLite's rowid (max + 1) cannot take a planned one
        row = conn.execute(_INSERT + " RETURNING rowid", _email_row(r, None)).fetchone()
        placed.append((row[0], r))
    memberships: list[tuple[Any, ...]] = []
    attachment_rows: list[tuple[Any, ...]] = []
    fts_rows: list[tuple[Any, ...]] = []
    for rowid, r in placed:
        unread = int("$seen" not in r.keywords)
        flagged = int("$flagged" in r.keywords)
        ins = r.patient.ins if r.patient else None
        received = to_ms(r.received_at)
        sender = _sender_sort(r)
        subject = shown_subject(r.subject).casefold()
        has_attachment = int(r.has_attachment)
        for mailbox_id in r.mailbox_ids:
            memberships.append(
                (
                    mailbox_id,
                    rowid,
                    r.id,
                    received,
                    unread,
                    flagged,
                    has_attachment,
                    ins,
                    sender,
                    subject,
                    r.thread_id,
                )
            )
        attachment_rows.extend(_attachment_rows(rowid, r))
        fts_rows.append((rowid, *_fts_values(r)))
    memberships.sort(key=lambda row: (row[0], row[1]))
    conn.executemany(_INSERT_MEMBERSHIP, memberships)
    conn.executemany(_INSERT_ATTACHMENT, attachment_rows)
    conn.executemany(_INSERT_FTS, fts_rows)
    _refresh_threads(conn, {r.thread_id for r in unique})


def _cached(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """id → (rowid, thread id) of those of `ids` the cache has."""
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(ids):
        for row in conn.execute(
            f"SELECT id, rowid, thread_id FROM emails WHERE id IN ({_marks(len(chunk))})", chunk
        ):
            found[row[0]] = (row[1], row[2])
    return found


def upsert_emails(conn: Connection, records: Iterable[EmailRecord]) -> None:
    """Inserts or replaces emails with their mailboxes, attachments and index entry: the new
    ones in bulk (insert_new_emails), the known ones one by one."""
    unique = list({r.id: r for r in records}.values())
    cached = _cached(conn, [r.id for r in unique])
    insert_new_emails(conn, [r for r in unique if r.id not in cached])
    touched_threads: set[str] = set()
    for r in unique:
        if r.id not in cached:
            continue
        # JMAP's receivedAt never changes: neither does the rowid.
        rowid, previous_thread = cached[r.id]
        touched_threads.update((previous_thread, r.thread_id))
        if previous_thread != r.thread_id:  # its memberships carry the thread: made again below
            _set_memberships(conn, rowid, ())
        conn.execute(_UPSERT, _email_row(r, rowid)).fetchone()
        _set_memberships(conn, rowid, r.mailbox_ids)
        conn.execute("DELETE FROM attachments WHERE email_rowid = ?", (rowid,))
        conn.executemany(_INSERT_ATTACHMENT, _attachment_rows(rowid, r))
        conn.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
        conn.execute(_INSERT_FTS, (rowid, *_fts_values(r)))
    _refresh_threads(conn, touched_threads)


def _set_memberships(conn: Connection, rowid: int, mailbox_ids: Iterable[str]) -> None:
    wanted = set(mailbox_ids)
    current = {
        row["mailbox_id"]
        for row in conn.execute(
            "SELECT mailbox_id FROM email_mailboxes WHERE email_rowid = ?", (rowid,)
        )
    }
    conn.executemany(
        "DELETE FROM email_mailboxes WHERE mailbox_id = ? AND email_rowid = ?",
        [(m, rowid) for m in current - wanted],
    )
    conn.executemany(
        "INSERT INTO email_mailboxes (mailbox_id, email_rowid, email_id, received_at, unread, "
        "flagged, has_attachment, patient_ins, sender_sort, subject_sort, thread_id) "
        "SELECT ?, rowid, id, received_at, 1 - seen, flagged, has_attachment, patient_ins, "
        "sender_sort, subject_sort, thread_id FROM emails WHERE rowid = ?",
        [(m, rowid) for m in sorted(wanted - current)],
    )


def set_keywords(conn: Connection, email_id: str, keywords: Iterable[str]) -> bool:
    """Replaces an email's keywords (counts follow); False when the email is unknown."""
    kw = frozenset(keywords)
    cursor = conn.execute(
        "UPDATE emails SET keywords = ?, seen = ?, flagged = ? WHERE id = ?",
        (_dump(sorted(kw)), int("$seen" in kw), int("$flagged" in kw), email_id),
    )
    return bool(cursor.rowcount)


def set_mailboxes(conn: Connection, email_id: str, mailbox_ids: Iterable[str]) -> bool:
    """Moves an email (its set of mailboxes); False when the email is unknown."""
    row = conn.execute("SELECT rowid FROM emails WHERE id = ?", (email_id,)).fetchone()
    if row is None:
        return False
    _set_memberships(conn, row[0], mailbox_ids)
    return True


def delete_emails(conn: Connection, ids: Iterable[str]) -> int:
    """Removes emails with their memberships, attachments and index entries; returns how many."""
    deleted = 0
    threads: set[str] = set()
    for email_id in ids:
        row = conn.execute(
            "SELECT rowid, thread_id FROM emails WHERE id = ?", (email_id,)
        ).fetchone()
        if row is None:
            continue
        conn.execute("DELETE FROM fts WHERE rowid = ?", (row["rowid"],))
        conn.execute("DELETE FROM emails WHERE rowid = ?", (row["rowid"],))
        threads.add(row["thread_id"])
        deleted += 1
    _refresh_threads(conn, threads)
    return deleted


# --- emails: reading ---------------------------------------------------------------------------

# The same list over one mailbox (email_mailboxes, whose copied columns are indexed) or over
# every email (the emails table): only the names differ.
_SOURCES = {
    True: {
        "from": "email_mailboxes",
        "id": "email_id",
        "rowid": "email_rowid",
        "unread": "unread = 1",
        "sender": "sender_sort",
        "subject": "subject_sort",
    },
    False: {
        "from": "emails",
        "id": "id",
        "rowid": "rowid",
        "unread": "seen = 0",
        "sender": "sender_sort",
        "subject": "subject_sort",
    },
}


def order_clause(sort: Sort, rowid: str) -> str:
    """ORDER BY of a list sorted by `sort`, `rowid` naming the email's rowid (the tie-break)."""
    latest = f"received_at DESC, {rowid} DESC"
    if sort is Sort.DATE_ASC:
        return f"received_at ASC, {rowid} ASC"
    if sort is Sort.SENDER:
        return f"sender_sort, {latest}"
    if sort is Sort.SUBJECT:
        return f"subject_sort, {latest}"
    return latest


def _list_query(mailbox_id: str | None, filters: Filters) -> tuple[str, str, list[Any]]:
    """(FROM, WHERE, params) of a list; WHERE names the filter columns the partial indexes use."""
    names = _SOURCES[mailbox_id is not None]
    where: list[str] = []
    params: list[Any] = []
    if mailbox_id is not None:
        where.append("mailbox_id = ?")
        params.append(mailbox_id)
    if filters.unread:
        where.append(names["unread"])
    if filters.with_attachments:
        where.append("has_attachment = 1")
    if filters.flagged:
        where.append("flagged = 1")
    if filters.patient_ins is not None:
        where.append("patient_ins IS NOT NULL AND patient_ins = ?")
        params.append(filters.patient_ins)
    return names["from"], " AND ".join(where) or "1", params


def list_ids(
    conn: Connection,
    mailbox_id: str | None,
    sort: Sort = Sort.DATE_DESC,
    filters: Filters = NO_FILTERS,
    offset: int = 0,
    limit: int = 100,
) -> list[str]:
    """One page of email ids of a mailbox (None: every email), sorted and filtered."""
    names = _SOURCES[mailbox_id is not None]
    source, where, params = _list_query(mailbox_id, filters)
    sql = (
        f"SELECT {names['id']} FROM {source} WHERE {where} "
        f"ORDER BY {order_clause(sort, names['rowid'])} LIMIT ? OFFSET ?"
    )
    with timed("mail.list_ids"):
        rows = conn.execute(sql, (*params, limit, offset)).fetchall()
    return [r[0] for r in rows]


def count_ids(conn: Connection, mailbox_id: str | None, filters: Filters = NO_FILTERS) -> int:
    """How many rows `list_ids` would page through (the lazy model's row count)."""
    needs_email = filters.with_attachments or filters.flagged or filters.patient_ins is not None
    with timed("mail.count_ids"):
        if mailbox_id is not None and not needs_email:
            # Kept by triggers: no scan of a 100,000-row mailbox to size a list.
            row = conn.execute(
                "SELECT total, unread FROM mailbox_counts WHERE mailbox_id = ?", (mailbox_id,)
            ).fetchone()
            return 0 if row is None else int(row["unread" if filters.unread else "total"])
        if mailbox_id is None and not needs_email and not filters.unread:
            return int(conn.execute("SELECT count(*) FROM emails").fetchone()[0])
        source, where, params = _list_query(mailbox_id, filters)
        return int(
            conn.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]
        )


def patient_from_row(row: Any) -> PatientRef | None:
    if not any(row[c] for c in ("patient_ins", "patient_given", "patient_family")):
        return None
    birth = row["patient_birth_date"]
    return PatientRef(
        row["patient_ins"],
        row["patient_oid"],
        row["patient_given"],
        row["patient_family"],
        date.fromisoformat(birth) if birth else None,
    )


_SUMMARY_COLUMNS = (
    "e.id, e.thread_id, e.subject, e.from_json, e.to_json, e.received_at, e.preview, "
    "e.has_attachment, e.seen, e.flagged, e.patient_ins, e.patient_oid, e.patient_given, "
    "e.patient_family, e.patient_birth_date, coalesce(t.email_count, 1) AS thread_size"
)


def summaries(conn: Connection, ids: Sequence[str]) -> list[EmailSummary]:
    """List rows for these ids, in the same order (unknown ids are skipped)."""
    found: dict[str, EmailSummary] = {}
    with timed("mail.summaries"):
        for chunk in _chunks(list(ids)):
            rows = conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM emails e LEFT JOIN threads t "
                f"ON t.id = e.thread_id WHERE e.id IN ({_marks(len(chunk))})",
                chunk,
            )
            for r in rows:
                found[r["id"]] = EmailSummary(
                    id=r["id"],
                    thread_id=r["thread_id"],
                    subject=r["subject"],
                    from_=addresses_from_json(json.loads(r["from_json"])),
                    to=addresses_from_json(json.loads(r["to_json"])),
                    received_at=from_ms(r["received_at"]),
                    preview=r["preview"],
                    has_attachment=bool(r["has_attachment"]),
                    unread=not r["seen"],
                    flagged=bool(r["flagged"]),
                    patient=patient_from_row(r),
                    thread_size=r["thread_size"],
                )
    return [found[i] for i in ids if i in found]


def _email_from_row(conn: Connection, r: Any) -> EmailRecord:
    mailbox_ids = frozenset(
        m[0]
        for m in conn.execute(
            "SELECT mailbox_id FROM email_mailboxes WHERE email_rowid = ?", (r["rowid"],)
        )
    )
    attachments = [
        AttachmentRecord(
            a["part_id"],
            a["blob_id"],
            a["name"],
            a["type"],
            a["size"],
            a["disposition"],
            a["cid"],
            a["doc_type"],
        )
        for a in conn.execute(
            "SELECT * FROM attachments WHERE email_rowid = ? ORDER BY position", (r["rowid"],)
        )
    ]

    def addrs(column: str) -> list[Address]:
        return addresses_from_json(json.loads(r[column]))

    return EmailRecord(
        id=r["id"],
        thread_id=r["thread_id"],
        mailbox_ids=mailbox_ids,
        received_at=from_ms(r["received_at"]),
        blob_id=r["blob_id"],
        keywords=frozenset(json.loads(r["keywords"])),
        message_id=json.loads(r["message_id"]),
        in_reply_to=json.loads(r["in_reply_to"]),
        references=json.loads(r["refs"]),
        subject=r["subject"],
        from_=addrs("from_json"),
        to=addrs("to_json"),
        cc=addrs("cc_json"),
        bcc=addrs("bcc_json"),
        reply_to=addrs("reply_to_json"),
        sent_at=from_ms(r["sent_at"]) if r["sent_at"] is not None else None,
        size=r["size"],
        preview=r["preview"],
        has_attachment=bool(r["has_attachment"]),
        text_body=r["text_body"],
        html_body=r["html_body"],
        attachments=attachments,
        patient=patient_from_row(r),
    )


def get_email(conn: Connection, email_id: str) -> EmailRecord | None:
    row = conn.execute("SELECT rowid, * FROM emails WHERE id = ?", (email_id,)).fetchone()
    if row is None:
        return None
    return delivery.with_delivery(conn, receipts.with_receipts(conn, [_email_from_row(conn, row)]))[
        0
    ]


def thread_emails(conn: Connection, thread_id: str) -> list[EmailRecord]:
    """A conversation's emails, oldest first, with bodies and attachments."""
    with timed("mail.thread_emails"):
        rows = conn.execute(
            "SELECT rowid, * FROM emails WHERE thread_id = ? ORDER BY received_at, rowid",
            (thread_id,),
        ).fetchall()
        return delivery.with_delivery(
            conn, receipts.with_receipts(conn, [_email_from_row(conn, r) for r in rows])
        )


def email_ids(conn: Connection) -> set[str]:
    """Every cached email id (the sync engine compares it with the server's)."""
    return {r[0] for r in conn.execute("SELECT id FROM emails")}


def ids_by_message_id(conn: Connection, message_id: str) -> list[str]:
    """Emails carrying this Message-ID (the outbox checks it before re-creating a message)."""
    rows = conn.execute(
        "SELECT e.id FROM emails e, json_each(e.message_id) j WHERE j.value = ?", (message_id,)
    )
    return [r[0] for r in rows]


# --- JMAP states -------------------------------------------------------------------------------


def get_state(conn: Connection, type_name: str) -> str | None:
    row = conn.execute("SELECT state FROM jmap_state WHERE type = ?", (type_name,)).fetchone()
    return row[0] if row is not None else None


def set_state(conn: Connection, type_name: str, state: str) -> None:
    conn.execute(
        "INSERT INTO jmap_state (type, state) VALUES (?, ?) "
        "ON CONFLICT (type) DO UPDATE SET state = excluded.state",
        (type_name, state),
    )


def clear_type(conn: Connection, type_name: str) -> None:
    """Forgets one JMAP type's objects and state, for a clean resync (cannotCalculateChanges).

    Threads are derived here from the emails, so "Thread" only forgets its state.
    """
    conn.execute("DELETE FROM jmap_state WHERE type = ?", (type_name,))
    if type_name == "Email":
        conn.execute("INSERT INTO fts (fts) VALUES ('delete-all')")
        conn.execute("DELETE FROM conversations")  # first: the memberships' triggers find none
        conn.execute("DELETE FROM email_mailboxes")
        conn.execute("DELETE FROM emails")
        conn.execute("DELETE FROM threads")
        conn.execute("DELETE FROM mailbox_counts")
    elif type_name == "Mailbox":
        conn.execute("DELETE FROM mailboxes")


def emails_missing_patient(conn: Connection, limit: int = 200) -> list[tuple[str, str, int, int]]:
    """(email id, blob id, size, received at in ms) of the IHE_XDM.ZIP of emails whose patient
    is not known yet, newest first: the sync engine reads the patient from those packages."""
    rows = conn.execute(
        "SELECT e.id, a.blob_id, a.size, e.received_at FROM emails e "
        "JOIN attachments a ON a.email_rowid = e.rowid "
        "WHERE upper(trim(a.name)) = ? "
        "AND e.patient_family IS NULL AND e.patient_ins IS NULL "
        "ORDER BY e.received_at DESC LIMIT ?",
        (XDM_FILE_NAME, limit),
    )
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]


def set_patients(conn: Connection, patients: Mapping[str, PatientRef | None]) -> list[str]:
    """Sets the patient each email is about (list filter, banner and search follow): its patient
    columns and its index entry, not the whole row (the patient reader sets a thousand of them
    during a first sync). Returns the ids of the emails still there."""
    found = [
        (row["rowid"], _email_from_row(conn, row))
        for email_id in patients
        if (row := conn.execute("SELECT rowid, * FROM emails WHERE id = ?", (email_id,)).fetchone())
    ]
    conn.executemany(
        "UPDATE emails SET patient_ins = ?, patient_oid = ?, patient_given = ?, "
        "patient_family = ?, patient_birth_date = ? WHERE rowid = ?",
        [(*_patient_columns(patients[r.id]), rowid) for rowid, r in found],
    )
    # The index keeps no content to update one column of: the entry is made again, whole.
    conn.executemany("DELETE FROM fts WHERE rowid = ?", [(rowid,) for rowid, _r in found])
    conn.executemany(
        _INSERT_FTS,
        [
            (rowid, *_fts_values(dataclasses.replace(r, patient=patients[r.id])))
            for rowid, r in found
        ],
    )
    return [r.id for _rowid, r in found]
