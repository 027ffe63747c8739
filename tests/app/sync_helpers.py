"""Helpers of the sync tests: what the server holds, read over JMAP, to compare with the cache."""

from __future__ import annotations

from typing import Any

from app.remote.jmap import JmapClient
from app.store import mail
from app.store.db import Cache
from app.store.records import EmailRecord
from app.sync.mapping import EMAIL_GET_ARGS, email_record


async def server_records(client: JmapClient) -> list[EmailRecord]:
    """Every email on the server, page by page, as the sync maps it."""
    ids: list[str] = []
    while True:
        answer = await client.call_one("Email/query", {"position": len(ids), "limit": 1000})
        ids += answer["ids"]
        if len(answer["ids"]) < 1000:
            break
    return [email_record(e) for e in await client.get_all("Email", ids, **EMAIL_GET_ARGS)]


async def server_emails(client: JmapClient) -> dict[str, EmailRecord]:
    """What the cache should hold: read receipts and delivery reports are never kept as
    messages (issue 14 §2), they only update the status of the message they answer."""
    return {r.id: r for r in await server_records(client) if not r.is_report}


async def server_reports(client: JmapClient) -> list[EmailRecord]:
    """The receipts and delivery reports on the server, which the cache does not keep."""
    return [r for r in await server_records(client) if r.is_report]


def cached_emails(cache: Cache) -> dict[str, EmailRecord]:
    with cache.read() as conn:
        out: dict[str, EmailRecord] = {}
        for email_id in mail.email_ids(conn):
            record = mail.get_email(conn, email_id)
            assert record is not None
            out[email_id] = record
        return out


async def server_counts(client: JmapClient) -> dict[str, tuple[int, int]]:
    got = await client.get_all("Mailbox", None, ["id", "totalEmails", "unreadEmails"])
    return {m["id"]: (m["totalEmails"], m["unreadEmails"]) for m in got}


def cached_counts(cache: Cache) -> dict[str, tuple[int, int]]:
    with cache.read() as conn:
        counts = mail.mailbox_counts(conn)
    return {k: (v.total, v.unread) for k, v in counts.items()}


def comparable(record: EmailRecord) -> dict[str, Any]:
    """Every property the cache keeps, in a form two records can be compared by."""
    values = dict(record.__dict__)
    values.pop("patient", None)  # filled later from the IHE_XDM.ZIP, not by Email/get
    values.pop("delivery", None)  # from the submission and the DSNs (issue 14 §2), not Email/get
    values.pop("read_by", None)  # from the read receipts received (issue 14 §2), not Email/get
    return values


async def assert_cache_equals_server(cache: Cache, client: JmapClient) -> None:
    server = await server_emails(client)
    cached = cached_emails(cache)
    assert set(cached) == set(server)
    for email_id, record in server.items():
        here, there = comparable(cached[email_id]), comparable(record)
        differ = {
            k: (here.get(k), there.get(k)) for k in here | there if here.get(k) != there.get(k)
        }
        assert not differ, (email_id, differ)
    counts = await server_counts(client)
    for report in await server_reports(client):  # counted by the server, hidden here
        for mailbox_id in report.mailbox_ids:
            total, unread = counts[mailbox_id]
            counts[mailbox_id] = (total - 1, unread - ("$seen" not in report.keywords))
    local = cached_counts(cache)
    for mailbox_id, (total, unread) in counts.items():
        assert local.get(mailbox_id, (0, 0)) == (total, unread), mailbox_id
