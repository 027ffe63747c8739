"""Read receipts (issue 14 §2) between two sessions on the sandbox, with its JMAP MDN (RFC 9007)
and without it (the client builds the multipart/report and sends it with EmailSubmission)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from app.message.compose import OutgoingMessage
from app.records import Address, EmailRecord
from app.remote.jmap import MDN
from app.session import AccountSession
from app.store import mail
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB

Pair = tuple[AccountSession, AccountSession, ServerThread]


@pytest_asyncio.fixture(params=[True, False], ids=["jmap-mdn", "client-built"])
async def pair(
    request: pytest.FixtureRequest, server_factory: Callable[..., ServerThread], tmp_path: Path
) -> AsyncIterator[Pair]:
    server = server_factory(jmap_mdn=request.param)
    alice = await AccountSession.open(
        tmp_path / "alice", server.base_url, ALICE.login, ALICE.password
    )
    bob = await AccountSession.open(tmp_path / "bob", server.base_url, BOB.login, BOB.password)
    try:
        yield alice, bob, server
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


async def ask(alice: AccountSession, bob: AccountSession, subject: str) -> EmailRecord:
    """Alice sends Bob a message asking for a read receipt; Bob's copy, synced."""
    await alice.send(
        OutgoingMessage(
            from_=await alice.own_address(),
            to=[Address(BOB.name, BOB.email)],
            subject=subject,
            text="Les résultats sont joints.",
            read_receipt=True,
        )
    )
    await alice.sync_once()
    await bob.sync_once()
    return only(bob, subject)


@pytest.mark.asyncio
async def test_bob_sends_the_receipt_alice_asked_for_and_her_message_shows_read(
    pair: Pair,
) -> None:
    alice, bob, server = pair
    assert (MDN in (await alice.jmap.session()).capabilities) is server.sandbox.config.jmap_mdn
    asked = await ask(alice, bob, "Résultats de Mme Durand")
    assert [a.email for a in asked.receipt_to] == [ALICE.email]
    assert bob.receipt_asked(asked)
    sent = only(alice, "Résultats de Mme Durand")
    assert not alice.receipt_asked(sent)  # her own message: no question to her
    assert sent.read_by == []

    await bob.send_read_receipt(asked)
    assert not bob.receipt_asked(only(bob, "Résultats de Mme Durand"))  # asked once
    await bob.sync_once()
    again = only(bob, "Résultats de Mme Durand")
    assert "$mdnsent" in again.keywords
    assert not bob.receipt_asked(again)

    await alice.sync_once()
    [read] = only(alice, "Résultats de Mme Durand").read_by
    assert (read.recipient, read.disposition) == (BOB.email, "displayed")
    # The receipt itself is not a message, in Alice's Inbox nor in Bob's Sent.
    assert not [e for e in emails(alice) + emails(bob) if e.subject.startswith("Accusé")]


@pytest.mark.asyncio
async def test_ignored_the_question_is_not_asked_again_and_nothing_is_sent(pair: Pair) -> None:
    alice, bob, _server = pair
    asked = await ask(alice, bob, "Compte rendu")
    await bob.ignore_read_receipt(asked)
    assert not bob.receipt_asked(only(bob, "Compte rendu"))
    await bob.sync_once()
    got = await bob.jmap.get_all("Email", [asked.id], ["keywords"])
    assert got[0]["keywords"].get("$mdnsent") is True  # every device knows it
    await alice.sync_once()
    assert only(alice, "Compte rendu").read_by == []


@pytest.mark.asyncio
async def test_a_message_that_asks_nothing_offers_no_receipt(pair: Pair) -> None:
    alice, bob, _server = pair
    await alice.send(
        OutgoingMessage(
            from_=await alice.own_address(), to=[Address(None, BOB.email)], subject="Sans"
        )
    )
    await alice.sync_once()
    await bob.sync_once()
    plain = only(bob, "Sans")
    assert plain.receipt_to == []
    assert not bob.receipt_asked(plain)
