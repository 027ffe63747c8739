"""Read receipts (issue 14 §2) between two Cyrus users, through the client's own sessions: Alice
asks for one, Bob's client offers it, Bob sends it, Alice's client shows « lu » and lists no MDN."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app.message.compose import OutgoingMessage
from app.message.receipt import build_mdn, parse_mdn
from app.records import Address, EmailRecord
from app.remote.jmap import MDN, SUBMISSION, InvalidArguments
from app.session import AccountSession
from app.store import mail
from tests.interop import cyrus
from tests.interop.cyrus import ALICE, BOB, Cyrus

pytestmark = pytest.mark.interop

Pair = tuple[AccountSession, AccountSession]


@pytest_asyncio.fixture
async def pair(cyrus_server: Cyrus, tmp_path: Path) -> AsyncIterator[Pair]:
    url, passwords = cyrus_server.server_url, cyrus_server.passwords
    alice = await AccountSession.open(tmp_path / "alice", url, ALICE, passwords[ALICE])
    bob = await AccountSession.open(tmp_path / "bob", url, BOB, passwords[BOB])
    try:
        yield alice, bob
    finally:
        await alice.close()
        await bob.close()


def emails(session: AccountSession) -> list[EmailRecord]:
    with session.account.cache.read() as conn:
        found = [mail.get_email(conn, i) for i in mail.email_ids(conn)]
    return [e for e in found if e is not None]


def only(session: AccountSession, subject: str) -> EmailRecord:
    [record] = [e for e in emails(session) if e.subject == subject]
    return record


@pytest.mark.asyncio
async def test_bob_sends_the_receipt_alice_asked_for_and_her_message_shows_read(
    pair: Pair, cyrus_server: Cyrus
) -> None:
    alice, bob = pair
    assert MDN in (await alice.jmap.session()).capabilities
    subject = "Résultats de Mme Durand (Cyrus)"
    await alice.send(
        OutgoingMessage(
            from_=await alice.own_address(),
            to=[Address("Dr Bob", BOB)],
            subject=subject,
            text="Les résultats sont joints.",
            read_receipt=True,
        )
    )
    await alice.sync_once()
    await bob.sync_once()
    asked = only(bob, subject)
    assert [a.email for a in asked.receipt_to] == [ALICE]
    assert bob.receipt_asked(asked)
    assert only(alice, subject).read_by == []

    await bob.send_read_receipt(asked)
    # Cyrus's own MDN/send failed at its MTA (reverse path `<<>>`): the client's MDN went, with
    # EmailSubmission, from Bob's address.
    reports = [
        entry
        for entry in map(json.loads, cyrus_server.smtp_outbox.read_text().splitlines())
        if b"disposition-notification" in base64.b64decode(entry["data_b64"])
    ]
    assert [(r["mailFrom"], r["localDelivered"]) for r in reports] == [(BOB, [ALICE])]
    await bob.sync_once()
    assert "$mdnsent" in only(bob, subject).keywords

    await alice.sync_once()
    [read] = only(alice, subject).read_by
    assert (read.recipient, read.disposition) == (BOB, "displayed")
    assert not [e for e in emails(alice) + emails(bob) if e.subject.startswith("Accusé")]


@pytest.mark.asyncio
async def test_what_cyrus_does_with_mdn_methods_the_client_copes_with(cyrus_server: Cyrus) -> None:
    """Cyrus 3.6: MDN/send refuses RFC 9007's identityId (the draft before it), and MDN/parse
    answers nothing for a blob — hence the client's fallbacks in app/outbox/receipts.py and
    app/sync/receipts.py."""
    async with cyrus.jmap_client(cyrus_server, ALICE) as alice:
        with pytest.raises(InvalidArguments):
            await alice.call_one("MDN/send", {"identityId": ALICE, "send": {"r": {}}})
        raw = build_mdn(Address(None, BOB), [Address(None, ALICE)], "q@x", "Q", "<m@x>")
        assert cyrus.deliver(cyrus_server, [raw], ALICE, sender="<>") == 1
        found = await alice.call_one("Email/query", {"filter": {"header": ["Message-ID", "m@x"]}})
        [mdn] = await alice.get_all("Email", found["ids"], ["blobId"])
        assert parse_mdn(await alice.download_bytes(mdn["blobId"], "m", "message/rfc822", 10**5))
        answer = await alice.call_one("MDN/parse", {"blobIds": [mdn["blobId"]]})
        assert not answer.get("parsed")


@pytest.mark.asyncio
async def test_delivery_status_on_cyrus_no_dsn_advertised_and_notify_accepted(
    cyrus_server: Cyrus,
) -> None:
    """No `dsn` in submissionExtensions (Cyrus passes on its MTA's EHLO: here SIZE only), an
    envelope with NOTIFY parameters is accepted all the same, and the created submission carries
    no deliveryStatus (and cannot be fetched later: it vanishes)."""
    async with cyrus.jmap_client(cyrus_server, ALICE) as alice:
        session = await alice.session()
        account = await alice.http.get(session.url)
        submission = account.json()["accounts"][ALICE]["accountCapabilities"][SUBMISSION]
        assert "dsn" not in {k.lower() for k in submission["submissionExtensions"]}
        mailboxes = await alice.get_all("Mailbox", None, ["role"])
        drafts = next(m["id"] for m in mailboxes if m.get("role") == "drafts")
        created = await alice.call(
            [
                (
                    "Email/set",
                    {
                        "accountId": session.account_id,
                        "create": {
                            "e": {
                                "mailboxIds": {drafts: True},
                                "from": [{"email": ALICE}],
                                "to": [{"email": BOB}],
                                "subject": "Avec NOTIFY",
                                "bodyValues": {"1": {"value": "x"}},
                                "textBody": [{"partId": "1", "type": "text/plain"}],
                            }
                        },
                    },
                    "0",
                ),
                (
                    "EmailSubmission/set",
                    {
                        "accountId": session.account_id,
                        "create": {
                            "s": {
                                "emailId": "#e",
                                "identityId": ALICE,
                                "envelope": {
                                    "mailFrom": {"email": ALICE},
                                    "rcptTo": [
                                        {"email": BOB, "parameters": {"NOTIFY": "SUCCESS,FAILURE"}}
                                    ],
                                },
                            }
                        },
                    },
                    "1",
                ),
            ]
        )
        [(name, sent)] = [(n, args) for n, args, call_id in created if call_id == "1"]
        assert name == "EmailSubmission/set"
        made = sent["created"]["s"]
        assert made["undoStatus"] == "final"
        assert "deliveryStatus" not in made
