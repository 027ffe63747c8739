"""The local trace of mailbox actions (issue 14 §5): who did what to which message, and when.

The rows live in the unsent file, not in the cache: the cache is thrown away and rebuilt from the
server when damaged (app/account/rebuild.py), and the server keeps no record of what this computer
sent, read, moved or deleted — so the trace would be lost with it. The unsent file is encrypted
under the same key, never deleted, and salvaged when damaged.

What is traced is what this app did (sent, read, unread, moved, deleted, receipt sent) and what
arrived in the Inbox (received). Changes made on another device reach us as server changes and
are not traced: they are not this computer's actions. A trace that could be written twice — a
send retried after a crash, an email fetched again by a rebuilt cache's first sync — carries a
`once` key and is written once only.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.store.db import Connection
from app.store.records import Address, EmailRecord, from_ms, to_ms

DAY_MS = 24 * 3600 * 1000


class Action(StrEnum):
    SENT = "sent"
    RECEIVED = "received"
    READ = "read"
    UNREAD = "unread"
    MOVED = "moved"
    DELETED = "deleted"
    RECEIPT_SENT = "receipt_sent"


@dataclass(frozen=True)
class Trace:
    at: datetime
    action: Action
    actor: str  # who did it: this account's address; for a received message, its sender
    message_id: str = ""
    subject: str = ""
    correspondents: str = ""  # the other side's addresses, comma-separated
    mailboxes: str = ""  # for a move or a delete: "from → to"
    once: str | None = None  # a key a trace written again after a crash or a rebuild shares
    id: int = 0


@dataclass(frozen=True)
class TraceFilter:
    actions: frozenset[Action] = frozenset()  # none: every action
    since: datetime | None = None
    text: str = ""


ALL = TraceFilter()

_COLUMNS = "id, at, action, actor, message_id, subject, correspondents, mailboxes, once"


def add(conn: Connection, traces: Iterable[Trace]) -> int:
    """Writes the traces (those whose `once` key is already there are skipped); how many."""
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO unsent.traces "
        "(at, action, actor, message_id, subject, correspondents, mailboxes, once) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                to_ms(t.at),
                t.action.value,
                t.actor,
                t.message_id,
                t.subject,
                t.correspondents,
                t.mailboxes,
                t.once,
            )
            for t in traces
        ],
    )
    return int(conn.total_changes - before)


def purge(conn: Connection, before: datetime) -> int:
    """Deletes the traces older than `before` (the retention); how many."""
    return int(conn.execute("DELETE FROM unsent.traces WHERE at < ?", (to_ms(before),)).rowcount)


def _where(filters: TraceFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.actions:
        clauses.append("action IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(a.value for a in filters.actions)))
    if filters.since is not None:
        clauses.append("at >= ?")
        params.append(to_ms(filters.since))
    text = filters.text.strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(
            "(subject LIKE ?1 ESCAPE '\\' OR correspondents LIKE ?1 ESCAPE '\\' "
            "OR actor LIKE ?1 ESCAPE '\\' OR message_id LIKE ?1 ESCAPE '\\' "
            "OR mailboxes LIKE ?1 ESCAPE '\\')".replace("?1", f"?{len(params) + 1}")
        )
        params.append(pattern)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def ids(conn: Connection, filters: TraceFilter = ALL) -> list[int]:
    """The ids of the matching traces, newest first (a lazy list fetches the rows it draws)."""
    where, params = _where(filters)
    return [
        int(r[0])
        for r in conn.execute(
            f"SELECT id FROM unsent.traces{where} ORDER BY at DESC, id DESC", params
        )
    ]


def get(conn: Connection, trace_ids: Sequence[int]) -> dict[int, Trace]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM unsent.traces WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(trace_ids)),),
    )
    return {int(r[0]): _trace(r) for r in rows}


def matching(conn: Connection, filters: TraceFilter = ALL) -> list[Trace]:
    """Every matching trace, newest first (the export)."""
    where, params = _where(filters)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM unsent.traces{where} ORDER BY at DESC, id DESC", params
    )
    return [_trace(r) for r in rows]


def _trace(row: Any) -> Trace:  # a sqlcipher3.Row
    return Trace(
        id=int(row["id"]),
        at=from_ms(int(row["at"])),
        action=Action(row["action"]),
        actor=str(row["actor"]),
        message_id=str(row["message_id"]),
        subject=str(row["subject"]),
        correspondents=str(row["correspondents"]),
        mailboxes=str(row["mailboxes"]),
        once=row["once"],
    )


# --- what the app does --------------------------------------------------------------------------


def addresses(found: Iterable[Address]) -> str:
    return ", ".join(dict.fromkeys(a.email for a in found if a.email))


def received(records: Iterable[EmailRecord], inbox_id: str | None) -> list[Trace]:
    """The traces of emails that arrived in the Inbox, dated when the server received them; keyed
    by the email's id, so that a rebuilt cache fetching them again adds nothing."""
    if inbox_id is None:
        return []
    return [
        Trace(
            at=r.received_at,
            action=Action.RECEIVED,
            actor=addresses(r.from_),
            message_id=r.message_id[0] if r.message_id else "",
            subject=r.subject,
            correspondents=addresses([*r.to, *r.cc]),
            once=f"received:{r.id}",
        )
        for r in records
        if inbox_id in r.mailbox_ids and not r.is_receipt and "$draft" not in r.keywords
    ]


def inbox_id(conn: Connection) -> str | None:
    row = conn.execute("SELECT id FROM mailboxes WHERE role = 'inbox' LIMIT 1").fetchone()
    return str(row[0]) if row is not None else None


def about(
    record: EmailRecord, action: Action, actor: str, at: datetime, *, mailboxes: str = ""
) -> Trace:
    """A trace of what this account did to a cached email."""
    return Trace(
        at=at,
        action=action,
        actor=actor,
        message_id=record.message_id[0] if record.message_id else "",
        subject=record.subject,
        correspondents=addresses([*record.from_, *record.to, *record.cc]),
        mailboxes=mailboxes,
    )


def mailbox_names(conn: Connection) -> tuple[dict[str, str], dict[str, str]]:
    """(name by mailbox id, role by mailbox id)."""
    names: dict[str, str] = {}
    roles: dict[str, str] = {}
    for row in conn.execute("SELECT id, name, role FROM mailboxes"):
        names[str(row[0])] = str(row[1])
        if row[2]:
            roles[str(row[0])] = str(row[2])
    return names, roles


# --- the export ---------------------------------------------------------------------------------


def write_csv(
    path: Path,
    traces: Iterable[Trace],
    headers: Sequence[str],
    label: Callable[[Action], str],
    when: Callable[[datetime], str],
) -> int:
    """Writes the traces as CSV for a spreadsheet in French: UTF-8 with a BOM (Excel guesses the
    encoding from it), `;` between fields (`,` is the decimal separator). Blocking: a thread's
    work. Columns: date, action, actor, correspondents, subject, mailboxes, Message-ID."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(headers)
        for t in traces:
            writer.writerow(
                [
                    when(t.at),
                    label(t.action),
                    _cell(t.actor),
                    _cell(t.correspondents),
                    _cell(t.subject),
                    _cell(t.mailboxes),
                    _cell(t.message_id),
                ]
            )
            count += 1
    return count


def _cell(text: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: another user's subject must
    stay text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def cutoff(now: datetime, keep_days: int) -> datetime:
    return from_ms(to_ms(now) - keep_days * DAY_MS)
