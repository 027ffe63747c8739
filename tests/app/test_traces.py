"""The trace of mailbox actions (issue 14 §5) on the sandbox and the real cache: one trace per
message sent (even when the send was killed and restarted), received Inbox messages, read /
unread / move / delete, read receipts sent, the retention purge, the CSV export, a cache rebuild,
and encryption at rest."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from app.message.compose import OutgoingMessage
from app.records import Address, EmailRecord
from app.session import AccountSession
from app.store import mail, traces
from app.store.traces import Action, Trace, TraceFilter
from server.testing import ServerThread
from tests.app.cli_helpers import KILLED, as_alice, ok, opened, send_as_alice
from tests.server.conftest import ALICE, BOB

Pair = tuple[AccountSession, AccountSession]


@pytest_asyncio.fixture
async def pair(server: ServerThread, tmp_path: Path) -> AsyncIterator[Pair]:
    alice = await AccountSession.open(
        tmp_path / "alice", server.base_url, ALICE.login, ALICE.password
    )
    bob = await AccountSession.open(tmp_path / "bob", server.base_url, BOB.login, BOB.password)
    try:
        yield alice, bob
    finally:
        await alice.close()
        await bob.close()


def all_traces(session: AccountSession, filters: TraceFilter = traces.ALL) -> list[Trace]:
    with session.account.cache.read() as conn:
        return traces.matching(conn, filters)


def of(session: AccountSession, action: Action) -> list[Trace]:
    return all_traces(session, TraceFilter(actions=frozenset({action})))


def only(session: AccountSession, subject: str) -> EmailRecord:
    with session.account.cache.read() as conn:
        found = [mail.get_email(conn, i) for i in mail.email_ids(conn)]
    [record] = [e for e in found if e is not None and e.subject == subject]
    return record


async def send(alice: AccountSession, subject: str, *, read_receipt: bool = False) -> None:
    await alice.send(
        OutgoingMessage(
            from_=await alice.own_address(),
            to=[Address(BOB.name, BOB.email)],
            subject=subject,
            text="Cher confrère,",
            read_receipt=read_receipt,
        )
    )


@pytest.mark.asyncio
async def test_a_send_leaves_one_sent_trace_and_its_arrival_one_received_trace(pair: Pair) -> None:
    alice, bob = pair
    await send(alice, "Compte rendu de Mme Martin")
    await alice.sync_once()
    await bob.sync_once()
    await alice.sync_once()  # a second pass sends nothing and traces nothing more

    [sent] = of(alice, Action.SENT)
    assert (sent.actor, sent.correspondents) == (ALICE.email, BOB.email)
    assert sent.subject == "Compte rendu de Mme Martin"
    assert sent.message_id
    assert sent.message_id == only(alice, sent.subject).message_id[0]
    assert of(alice, Action.RECEIVED) == []  # her copy is in Envoyés, not in her Inbox

    [received] = of(bob, Action.RECEIVED)
    assert (received.actor, received.subject) == (ALICE.email, "Compte rendu de Mme Martin")
    assert received.message_id == sent.message_id
    assert received.at == only(bob, received.subject).received_at
    await bob.sync_once()
    assert len(of(bob, Action.RECEIVED)) == 1


@pytest.mark.asyncio
async def test_read_unread_move_and_delete_are_traced_once_each(pair: Pair) -> None:
    alice, bob = pair
    await send(alice, "Bilan sanguin")
    await alice.sync_once()
    await bob.sync_once()
    record = only(bob, "Bilan sanguin")

    await bob.set_seen([record.id], True)
    await bob.set_seen([record.id], True)  # already read: nothing changes, no trace
    await bob.set_seen([record.id], False)
    await bob.set_flagged([record.id], True)  # not an action the trace keeps
    archive = bob.mailbox_by_role("archive")
    assert archive is not None
    await bob.move([record.id], archive.id)
    await bob.delete([record.id])  # to the trash
    await bob.delete([record.id])  # from the trash, for good

    found = [t for t in all_traces(bob) if t.action is not Action.RECEIVED]
    assert [t.action for t in reversed(found)] == [
        Action.READ,
        Action.UNREAD,
        Action.MOVED,
        Action.DELETED,
        Action.DELETED,
    ]
    assert {t.actor for t in found} == {BOB.email}
    assert {t.subject for t in found} == {"Bilan sanguin"}
    assert {t.message_id for t in found} == {record.message_id[0]}
    moved, to_trash, destroyed = found[2], found[1], found[0]
    assert moved.mailboxes.endswith(f"→ {archive.name}")
    trash = bob.mailbox_by_role("trash")
    assert trash is not None
    assert to_trash.mailboxes == f"{archive.name} → {trash.name}"
    assert destroyed.mailboxes == trash.name


@pytest.mark.asyncio
async def test_a_read_receipt_sent_is_traced(pair: Pair) -> None:
    alice, bob = pair
    await send(alice, "Résultats de M. Petit", read_receipt=True)
    await alice.sync_once()
    await bob.sync_once()
    asked = only(bob, "Résultats de M. Petit")
    await bob.send_read_receipt(asked)
    [receipt] = of(bob, Action.RECEIPT_SENT)
    assert (receipt.actor, receipt.subject) == (BOB.email, "Résultats de M. Petit")
    assert receipt.message_id == asked.message_id[0]
    assert ALICE.email in receipt.correspondents


@pytest.mark.asyncio
async def test_traces_past_their_retention_are_purged_and_recent_ones_kept(pair: Pair) -> None:
    alice, _bob = pair
    now = datetime.now(UTC)
    injected = [
        Trace(now - timedelta(days=days), Action.READ, ALICE.email, subject=f"{days} jours")
        for days in (1, 100, 364, 366, 800)
    ]
    await alice.account.cache.write(lambda c: traces.add(c, injected))
    assert await alice.purge_traces() == 2
    assert [t.subject for t in all_traces(alice)] == ["1 jours", "100 jours", "364 jours"]
    alice.traces_keep_days = 91
    assert await alice.purge_traces() == 2
    assert [t.subject for t in all_traces(alice)] == ["1 jours"]


@pytest.mark.asyncio
async def test_filters_by_action_period_and_text(pair: Pair) -> None:
    alice, _bob = pair
    now = datetime.now(UTC)
    rows = [
        Trace(now - timedelta(days=2), Action.READ, ALICE.email, subject="Échographie 50% OK"),
        Trace(now - timedelta(days=40), Action.SENT, ALICE.email, subject="Radio du genou"),
        Trace(now - timedelta(days=3), Action.SENT, ALICE.email, correspondents=BOB.email),
    ]
    await alice.account.cache.write(lambda c: traces.add(c, rows))
    sent = frozenset({Action.SENT})
    assert len(alice.trace_ids(TraceFilter(actions=sent))) == 2
    assert len(alice.trace_ids(TraceFilter(since=now - timedelta(days=30)))) == 2
    assert len(alice.trace_ids(TraceFilter(text="genou"))) == 1
    assert len(alice.trace_ids(TraceFilter(text="50%"))) == 1  # % is a character, not a wildcard
    assert len(alice.trace_ids(TraceFilter(text="0%"))) == 1
    assert len(alice.trace_ids(TraceFilter(text="%"))) == 1
    assert len(alice.trace_ids(TraceFilter(text=BOB.email.upper()))) == 1
    ids = alice.trace_ids()
    rows_by_id = alice.trace_rows(ids)
    assert [rows_by_id[i].subject for i in ids] == ["Échographie 50% OK", "", "Radio du genou"]


@pytest.mark.asyncio
async def test_the_csv_export_opens_in_a_french_spreadsheet(pair: Pair, tmp_path: Path) -> None:
    alice, _bob = pair
    at = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)
    rows = [
        Trace(at, Action.SENT, ALICE.email, "<a@x>", "Résultats; « urgents »", BOB.email),
        Trace(at, Action.RECEIVED, BOB.email, "<b@x>", '=HYPERLINK("http://x")', ALICE.email),
    ]
    await alice.account.cache.write(lambda c: traces.add(c, rows))
    path = tmp_path / "traces.csv"
    headers = ["Date", "Action", "Par", "Correspondants", "Objet", "Dossiers", "Message-ID"]
    count = alice.export_traces(
        path, traces.ALL, headers, lambda a: a.value.upper(), lambda d: d.isoformat()
    )
    assert count == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel reads the encoding from
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert table[0] == headers
    assert sorted(table[1:]) == sorted(
        [
            [at.isoformat(), "SENT", ALICE.email, BOB.email, "Résultats; « urgents »", "", "<a@x>"],
            [
                at.isoformat(),
                "RECEIVED",
                BOB.email,
                ALICE.email,
                '\'=HYPERLINK("http://x")',  # never a formula in the spreadsheet
                "",
                "<b@x>",
            ],
        ]
    )


@pytest.mark.asyncio
async def test_traces_survive_a_cache_rebuild_without_counting_the_mail_twice(pair: Pair) -> None:
    alice, bob = pair
    await send(alice, "Courrier de sortie")
    await alice.sync_once()
    await bob.sync_once()
    record = only(bob, "Courrier de sortie")
    await bob.set_seen([record.id], True)
    before = all_traces(bob)
    assert {t.action for t in before} == {Action.RECEIVED, Action.READ}

    await bob.rebuild_cache()
    assert all_traces(bob) == before
    await bob.sync_once()  # the first sync of the new cache fetches the email again
    assert all_traces(bob) == before


@pytest.mark.asyncio
async def test_the_traces_are_not_readable_without_the_key(pair: Pair) -> None:
    alice, bob = pair
    subject = "Anatomopathologie Lemoine Zoé"
    await send(alice, subject)
    await alice.sync_once()
    await bob.sync_once()
    assert len(of(bob, Action.RECEIVED)) == 1
    folder = bob.account.ref.dir
    await bob.close()
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert any(p.name.startswith("unsent.sqlite3") for p in files)
    for path in files:
        data = path.read_bytes()
        assert subject.encode() not in data, path.name
        assert "Lemoine".encode("utf-16-le") not in data, path.name


# A send killed after its submission, before or after the commit that marks it sent.
@pytest.mark.asyncio
@pytest.mark.parametrize("point", ["outbox.submitted", "outbox.sent", "store.before_commit#5"])
async def test_a_send_killed_and_restarted_leaves_exactly_one_sent_trace(
    server: ServerThread, tmp_path: Path, point: str
) -> None:
    data = tmp_path / "client"
    ok(as_alice(server, data, "sync"))
    subject = f"Envoi interrompu {point}"
    killed = send_as_alice(server, data, subject, crashpoint=point)
    assert killed.returncode == KILLED, (point, killed.stderr)
    rows = ok(as_alice(server, data, "outbox", "--send"))
    assert [r["state"] for r in rows] == ["sent"]
    ok(as_alice(server, data, "outbox", "--send"))
    async with opened(server.base_url, ALICE.login, ALICE.password, data) as account:
        with account.cache.read() as conn:
            found = traces.matching(conn, TraceFilter(actions=frozenset({Action.SENT})))
    assert [(t.subject, t.actor) for t in found] == [(subject, ALICE.email)]
