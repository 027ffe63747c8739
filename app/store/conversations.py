"""The message list by conversation: one row per JMAP thread, as every mail client shows it.

A mailbox lists a conversation when any of its messages is in it, sorted by its newest message
there; the row's counts and marks add up its messages in that mailbox (Gmail's label view). The
grouping is not computed per page: the `conversations` table (schema version 4, kept by triggers
on `email_mailboxes`) has one indexed row per (mailbox, thread), so a page of a 100,000-message
mailbox stays an index range scan, like the message list it replaces (`mail.list_ids`). Rows are
read for the conversations drawn only (`summaries`), a screenful at a time.

A search lists the conversations of its hits, scoped to the whole thread (every mailbox).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from app.message.mss import shown_subject
from app.store.db import Connection, timed
from app.store.mail import NO_FILTERS, Filters, Sort, order_clause, patient_from_row
from app.store.records import (
    Address,
    ConversationSummary,
    PatientRef,
    addresses_from_json,
    from_ms,
)


def _ids(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _where(mailbox_id: str, filters: Filters) -> tuple[str, list[Any]]:
    """WHERE over `conversations` (naming the columns its partial indexes use) and its params: a
    conversation matches when any of its messages in the mailbox does."""
    where = ["mailbox_id = ?"]
    params: list[Any] = [mailbox_id]
    if filters.unread:
        where.append("unread > 0")
    if filters.with_attachments:
        where.append("attachments > 0")
    if filters.flagged:
        where.append("flagged > 0")
    if filters.patient_ins is not None:
        where.append(
            "thread_id IN (SELECT thread_id FROM email_mailboxes WHERE mailbox_id = ? "
            "AND patient_ins IS NOT NULL AND patient_ins = ?)"
        )
        params += [mailbox_id, filters.patient_ins]
    return " AND ".join(where), params


def list_threads(
    conn: Connection,
    mailbox_id: str,
    sort: Sort = Sort.DATE_DESC,
    filters: Filters = NO_FILTERS,
    offset: int = 0,
    limit: int = 100,
) -> list[str]:
    """One page of the thread ids a mailbox lists, sorted by their newest message, filtered."""
    where, params = _where(mailbox_id, filters)
    sql = (
        f"SELECT thread_id FROM conversations WHERE {where} "
        f"ORDER BY {order_clause(sort, 'email_rowid')} LIMIT ? OFFSET ?"
    )
    with timed("conversations.list_threads"):
        rows = conn.execute(sql, (*params, limit, offset)).fetchall()
    return [r[0] for r in rows]


def count_threads(conn: Connection, mailbox_id: str, filters: Filters = NO_FILTERS) -> int:
    """How many rows `list_threads` would page through (the lazy model's row count)."""
    where, params = _where(mailbox_id, filters)
    with timed("conversations.count_threads"):
        row = conn.execute(f"SELECT count(*) FROM conversations WHERE {where}", params).fetchone()
    return int(row[0])


def _scope(mailbox_id: str | None) -> tuple[str, list[Any]]:
    """FROM + WHERE of the messages a row stands for, ordered oldest first, with an
    `IN (SELECT value FROM json_each(?))` left for the thread ids: those in the mailbox, or the
    whole thread (None, a search)."""
    if mailbox_id is None:
        return (
            "FROM emails e WHERE e.thread_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY e.received_at, e.rowid",
            [],
        )
    return (
        "FROM email_mailboxes m JOIN emails e ON e.rowid = m.email_rowid "
        "WHERE m.mailbox_id = ? AND m.thread_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY m.received_at, m.email_rowid",
        [mailbox_id],
    )


def summaries(
    conn: Connection, mailbox_id: str | None, thread_ids: Sequence[str]
) -> list[ConversationSummary]:
    """List rows for these threads, in the same order (threads with no message in the scope are
    skipped)."""
    scope, params = _scope(mailbox_id)
    messages: dict[str, list[Any]] = {}
    with timed("conversations.summaries"):
        for r in conn.execute(
            "SELECT e.thread_id, e.id, e.subject, e.from_json, e.to_json, e.received_at, "
            f"e.preview, e.seen, e.flagged, e.has_attachment {scope}",
            (*params, _ids(thread_ids)),
        ):
            messages.setdefault(r["thread_id"], []).append(r)
        patients = _patients(conn, thread_ids)
    found = {
        thread_id: _summary(thread_id, rows, patients.get(thread_id, []))
        for thread_id, rows in messages.items()
    }
    return [found[t] for t in thread_ids if t in found]


def _summary(thread_id: str, rows: list[Any], patients: list[PatientRef]) -> ConversationSummary:
    newest = rows[-1]
    senders: dict[str, Address] = {}
    for r in rows:
        for address in addresses_from_json(json.loads(r["from_json"])):
            senders.setdefault(address.email.casefold(), address)
    return ConversationSummary(
        thread_id=thread_id,
        id=newest["id"],
        subject=shown_subject(newest["subject"]),  # without XDM/1.0/DDM+ (DESIGN §2.5)
        from_=addresses_from_json(json.loads(newest["from_json"])),
        to=addresses_from_json(json.loads(newest["to_json"])),
        received_at=from_ms(newest["received_at"]),
        preview=newest["preview"],
        senders=list(senders.values()),
        count=len(rows),
        unread=any(not r["seen"] for r in rows),
        flagged=any(r["flagged"] for r in rows),
        has_attachment=any(r["has_attachment"] for r in rows),
        patients=patients,
    )


def _patients(conn: Connection, thread_ids: Sequence[str]) -> dict[str, list[PatientRef]]:
    """The patients of these whole conversations (every mailbox), newest first, each once."""
    out: dict[str, list[PatientRef]] = {}
    for r in conn.execute(
        "SELECT thread_id, patient_ins, patient_oid, patient_given, patient_family, "
        "patient_birth_date FROM emails WHERE thread_id IN (SELECT value FROM json_each(?)) "
        "AND (patient_ins IS NOT NULL OR patient_family IS NOT NULL "
        "OR patient_given IS NOT NULL) ORDER BY received_at DESC, rowid DESC",
        (_ids(thread_ids),),
    ):
        patient = patient_from_row(r)
        if patient is None:
            continue
        known = out.setdefault(r["thread_id"], [])
        if not any(_same_patient(patient, k) for k in known):
            known.append(patient)
    return out


def _same_patient(a: PatientRef, b: PatientRef) -> bool:
    if a.ins or b.ins:
        return a.ins == b.ins
    return (a.family, a.given, a.birth_date) == (b.family, b.given, b.birth_date)


def email_ids(conn: Connection, mailbox_id: str | None, thread_ids: Sequence[str]) -> list[str]:
    """The messages these rows stand for (what an action on them applies to), oldest first."""
    scope, params = _scope(mailbox_id)
    with timed("conversations.email_ids"):
        rows = conn.execute(f"SELECT e.id {scope}", (*params, _ids(thread_ids))).fetchall()
    return [r[0] for r in rows]


def threads_of(conn: Connection, email_ids: Sequence[str]) -> list[str]:
    """The conversations of these messages, each once, in the order of its first message here
    (a search's hits, newest first, become its conversations)."""
    thread_of = dict(
        conn.execute(
            "SELECT id, thread_id FROM emails WHERE id IN (SELECT value FROM json_each(?))",
            (_ids(email_ids),),
        ).fetchall()
    )
    return list(dict.fromkeys(thread_of[i] for i in email_ids if i in thread_of))
