"""The trust space on every send path (issue 14 §3): `AccountSession.send` — the composer's, the
CLI's and scripts' way to the outbox — refuses a recipient outside the whitelist before anything is
queued, naming the addresses in French; with no list ever received it lets the message go (as
the composer does); patient mailboxes are judged by the list like any domain."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from app.message.compose import OutgoingMessage
from app.session import AccountSession
from app.store import mail
from app.store.records import Address
from app.trust.space import OutsideTrustSpace, Verdict
from tests.server.conftest import ALICE, BOB, ServerFactory

ME = Address(ALICE.name, ALICE.email)


def message(*to: str, cc: tuple[str, ...] = (), bcc: tuple[str, ...] = ()) -> OutgoingMessage:
    return OutgoingMessage(
        ME,
        [Address(None, a) for a in to],
        cc=[Address(None, a) for a in cc],
        bcc=[Address(None, a) for a in bcc],
        subject="Avis",
        text="Cher confrère,",
    )


@pytest.mark.asyncio
async def test_outside_recipients_are_refused_by_name_and_nothing_is_queued(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(trusted_domains=("sisra-demo.mssante.fr", "patient.mssante.fr"))
    session = await AccountSession.open(tmp_path, server.base_url, ALICE.login, ALICE.password)
    try:
        await session.refresh_trust_space_once()
        assert session.trust_space.received
        for refused, names in (
            (message(BOB.email, "dr.x@gmail.com"), "dr.x@gmail.com"),
            (
                message(BOB.email, cc=("a@chu.fr",), bcc=("b@example.org",)),
                "a@chu.fr, b@example.org",
            ),
        ):
            with pytest.raises(OutsideTrustSpace) as caught:
                await session.send(refused)
            assert caught.value.message_fr.startswith(
                f"Envoi impossible, hors espace de confiance MSSanté : {names}."
            )
        assert session.outbox_list() == []
        # Inside the list (any case), and a patient's mailbox when the list names their domain.
        assert session.trust_space.verdict("248017512345626@patient.mssante.fr") is Verdict.INSIDE
        sent = await session.send(message(BOB.email.upper()))
        assert [r.id for r in session.outbox_list()] == [sent]
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_a_patient_mailbox_is_judged_by_the_list_like_any_domain(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(trusted_domains=("sisra-demo.mssante.fr",))
    session = await AccountSession.open(tmp_path, server.base_url, ALICE.login, ALICE.password)
    try:
        await session.refresh_trust_space_once()
        mailbox = "248017512345626@patient.mssante.fr"
        with pytest.raises(OutsideTrustSpace) as caught:
            await session.send(message(mailbox))
        assert mailbox in caught.value.message_fr
        assert session.outbox_list() == []
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_with_no_list_ever_received_the_message_goes(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(trusted_domains=("sisra-demo.mssante.fr",))
    session = await AccountSession.open(tmp_path, server.base_url, ALICE.login, ALICE.password)
    try:
        assert not session.trust_space.received  # not fetched yet: not checked
        queued = await session.send(message("dr.x@gmail.com"))
        assert [r.id for r in session.outbox_list()] == [queued]
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_no_read_receipt_goes_outside_the_trust_space(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(trusted_domains=("sisra-demo.mssante.fr",))
    asked = EmailMessage()
    asked["From"] = "Dr X <dr.x@gmail.com>"
    asked["To"] = BOB.email
    asked["Subject"] = "Demande d'avis"
    asked["Message-ID"] = "<outside-1@gmail.com>"
    asked["Disposition-Notification-To"] = "dr.x@gmail.com"
    asked.set_content("Merci de confirmer la lecture.")
    account = server.sandbox.accounts.by_login(BOB.login)
    assert account is not None
    with server.sandbox.db.write():
        server.sandbox.mail.import_message(account.id, asked.as_bytes())
    session = await AccountSession.open(tmp_path, server.base_url, BOB.login, BOB.password)
    try:
        await session.sync_once()
        await session.refresh_trust_space_once()
        with session.account.cache.read() as conn:
            [record] = [r for i in mail.email_ids(conn) if (r := mail.get_email(conn, i))]
        assert session.receipt_asked(record)
        with pytest.raises(OutsideTrustSpace) as caught:
            await session.send_read_receipt(record)
        assert "hors espace de confiance MSSanté : dr.x@gmail.com" in caught.value.message_fr
        assert session.receipt_asked(record)  # not sent, not marked: the question stays
        assert session.outbox_list() == []
    finally:
        await session.close()
