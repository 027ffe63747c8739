"""Per-recipient delivery status of sent messages (issue 14 §2): envoyé → remis → lu, or non
distribué with its reason, from the submission's deliveryStatus and from the RFC 3464 reports
that arrive (never listed as messages), on the sandbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from email.message import EmailMessage, Message
from pathlib import Path

import pytest
import pytest_asyncio

from app.message.compose import OutgoingMessage
from app.message.dsn import parse_dsn, reason_of
from app.outbox.conventions import dsn_offered
from app.outbox.limits import session_document
from app.outbox.sender import dsn_envelope
from app.records import Address, EmailRecord
from app.session import AccountSession
from app.store import mail
from server.testing import ServerThread
from tests.app.cli_helpers import as_alice, ok
from tests.server.conftest import ALICE, BOB

OUTSIDE = "dr.martin@ch-exemple.mssante.fr"  # not a sandbox account: recorded, not delivered

Pair = tuple[AccountSession, AccountSession, ServerThread]


@pytest_asyncio.fixture
async def pair(server_factory: Callable[..., ServerThread], tmp_path: Path) -> AsyncIterator[Pair]:
    server = server_factory()
    alice = await AccountSession.open(
        tmp_path / "alice", server.base_url, ALICE.login, ALICE.password
    )
    bob = await AccountSession.open(tmp_path / "bob", server.base_url, BOB.login, BOB.password)
    try:
        yield alice, bob, server
    finally:
        await alice.close()
        await bob.close()


def dsn(
    message_id: str | None,
    recipients: list[tuple[str, str, str]],
    *,
    returned: str = "headers",
) -> bytes:
    """An RFC 3464 report from a mail server to alice: (recipient, action, status) each;
    `returned`: the original's headers, its whole copy, or nothing (In-Reply-To then)."""
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@ch-exemple.mssante.fr"
    report["To"] = ALICE.email
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = "Mon, 07 Dec 2026 10:00:00 +0000"
    report["Message-ID"] = "<dsn-1@ch-exemple.mssante.fr>"
    if returned == "none" and message_id:
        report["In-Reply-To"] = f"<{message_id}>"
    report.set_content("Le message n'a pas pu être remis.\n")
    report.make_mixed()
    report.set_type("multipart/report")
    report.set_param("report-type", "delivery-status")
    fields = EmailMessage()
    fields["Content-Type"] = "message/delivery-status"
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mx.ch-exemple.mssante.fr"
    blocks = [per_message]
    for recipient, action, status in recipients:
        block = Message()
        block["Final-Recipient"] = f"rfc822; {recipient}"
        block["Action"] = action
        block["Status"] = status
        block["Diagnostic-Code"] = f"smtp; 550 {status} refused"
        blocks.append(block)
    fields.set_payload(blocks)
    report.attach(fields)
    if returned == "headers" and message_id:
        headers = EmailMessage()
        headers["Content-Type"] = "text/rfc822-headers"
        headers.set_payload(f"Message-ID: <{message_id}>\nSubject: Compte rendu\n")
        report.attach(headers)
    elif returned == "message" and message_id:
        original = EmailMessage()
        original["Message-ID"] = f"<{message_id}>"
        original["Subject"] = "Compte rendu"
        original.set_content("…")
        copy = EmailMessage()
        copy.set_content(original)
        report.attach(copy)
    return report.as_bytes()


def deliver_to_alice(server: ServerThread, raw: bytes) -> None:
    account = server.sandbox.accounts.by_login(ALICE.login)
    assert account is not None
    with server.sandbox.db.write():
        server.sandbox.mail.import_message(account.id, raw)


async def sent(
    alice: AccountSession, subject: str, to: list[str], read_receipt: bool = False
) -> EmailRecord:
    """Alice sends `subject` to `to` and syncs; her copy, with its status."""
    outbox_id = await alice.send(
        OutgoingMessage(
            from_=await alice.own_address(),
            to=[Address(None, a) for a in to],
            subject=subject,
            text="Compte rendu joint.",
            read_receipt=read_receipt,
        )
    )
    row = alice.outbox_row(outbox_id)
    assert row is not None
    assert row.state == "sent"
    await alice.sync_once()
    record = alice.email_by_message_id(row.message_id)
    assert record is not None
    return record


def states(record: EmailRecord) -> dict[str, tuple[str, str | None]]:
    return {s.recipient: (s.state, s.code) for s in record.delivery}


def subjects(session: AccountSession) -> list[str]:
    with session.account.cache.read() as conn:
        found = [mail.get_email(conn, i) for i in mail.email_ids(conn)]
    return [e.subject for e in found if e is not None]


@pytest.mark.asyncio
async def test_the_submission_records_delivered_and_sent_per_recipient(pair: Pair) -> None:
    alice, _bob, server = pair
    record = await sent(alice, "Compte rendu", [BOB.email, OUTSIDE])
    # The sandbox puts Bob's copy in his Inbox (delivered: yes); the other is only relayed.
    assert states(record) == {BOB.email: ("delivered", None), OUTSIDE: ("sent", None)}
    with server.sandbox.db.read() as conn:
        [row] = conn.execute("SELECT envelope FROM submissions").fetchall()
    envelope = json.loads(row["envelope"])
    assert [r["email"] for r in envelope["rcptTo"]] == [BOB.email, OUTSIDE]


@pytest.mark.asyncio
async def test_a_failure_report_makes_the_recipient_not_delivered_and_is_not_listed(
    pair: Pair,
) -> None:
    alice, _bob, server = pair
    record = await sent(alice, "Compte rendu", [BOB.email, OUTSIDE])
    deliver_to_alice(server, dsn(record.message_id[0], [(OUTSIDE, "failed", "5.1.1")]))
    await alice.sync_once()
    after = alice.email_by_message_id(record.message_id[0])
    assert after is not None
    assert states(after) == {BOB.email: ("delivered", None), OUTSIDE: ("failed", "5.1.1")}
    [failed] = [s for s in after.delivery if s.state == "failed"]
    reason = reason_of(failed.code)
    assert reason is not None
    assert reason.text() == "adresse inconnue"
    assert "Undelivered Mail Returned to Sender" not in subjects(alice)
    assert "Compte rendu" in subjects(alice)


@pytest.mark.asyncio
async def test_the_state_never_goes_back_and_a_read_receipt_wins(pair: Pair) -> None:
    alice, bob, server = pair
    record = await sent(alice, "Résultats", [BOB.email, OUTSIDE], read_receipt=True)
    message_id = record.message_id[0]
    # A failure for the outside recipient, then a late "delivered" and a delay: still failed.
    deliver_to_alice(server, dsn(message_id, [(OUTSIDE, "failed", "5.2.2")], returned="message"))
    await alice.sync_once()
    deliver_to_alice(server, dsn(message_id, [(OUTSIDE, "delivered", "2.0.0")], returned="none"))
    deliver_to_alice(server, dsn(message_id, [(OUTSIDE, "delayed", "4.4.7")]))
    await alice.sync_once()
    after = alice.email_by_message_id(message_id)
    assert after is not None
    assert states(after)[OUTSIDE] == ("failed", "5.2.2")
    # Bob reads it: « lu »; a failure reported afterwards does not hide it.
    await bob.sync_once()
    with bob.account.cache.read() as conn:
        [bobs] = [
            e
            for i in mail.email_ids(conn)
            if (e := mail.get_email(conn, i)) is not None and e.subject == "Résultats"
        ]
    await bob.send_read_receipt(bobs)
    deliver_to_alice(server, dsn(message_id, [(BOB.email, "failed", "5.7.1")]))
    await alice.sync_once()
    final = alice.email_by_message_id(message_id)
    assert final is not None
    assert states(final) == {BOB.email: ("read", None), OUTSIDE: ("failed", "5.2.2")}


@pytest.mark.asyncio
async def test_a_delay_is_noted_on_sent_and_an_unreadable_report_is_hidden(pair: Pair) -> None:
    alice, _bob, server = pair
    record = await sent(alice, "Courrier", [OUTSIDE])
    message_id = record.message_id[0]
    deliver_to_alice(server, dsn(message_id, [(OUTSIDE, "delayed", "4.4.7")]))
    # No recipient block at all, and a report whose original cannot be found.
    deliver_to_alice(server, dsn(message_id, []))
    deliver_to_alice(server, dsn(None, [(OUTSIDE, "failed", "5.1.1")], returned="none"))
    await alice.sync_once()
    after = alice.email_by_message_id(message_id)
    assert after is not None
    assert states(after) == {OUTSIDE: ("sent", "4.4.7")}
    reason = reason_of("4.4.7")
    assert reason is not None
    assert reason.text() == "remise retardée"
    assert subjects(alice).count("Undelivered Mail Returned to Sender") == 0


def test_reasons_in_french() -> None:
    said = {
        code: (r.text() if (r := reason_of(code)) else None)
        for code in ("5.1.1", "5.1.2", "5.2.2", "5.3.4", "5.7.1", "5.7.26", "4.2.2", "5.4.4", None)
    }
    assert said == {
        "5.1.1": "adresse inconnue",
        "5.1.2": "domaine inconnu",
        "5.2.2": "boîte du destinataire pleine",
        "5.3.4": "message trop volumineux pour le destinataire",
        "5.7.1": "refusé par le serveur du destinataire",
        "5.7.26": "refusé par le serveur du destinataire",
        "4.2.2": "remise retardée",
        "5.4.4": "non distribué (code 5.4.4)",
        None: None,
    }


def test_a_report_names_its_recipients_and_the_original() -> None:
    report = parse_dsn(
        dsn("abc@x.fr", [("Bob@X.fr", "failed", "5.1.1"), ("c@x.fr", "relayed", "2.0.0")])
    )
    assert report is not None
    assert report.original_message_id == "abc@x.fr"
    assert [(r.recipient, r.action, r.status) for r in report.recipients] == [
        ("bob@x.fr", "failed", "5.1.1"),
        ("c@x.fr", "relayed", "2.0.0"),
    ]
    assert parse_dsn(b"Subject: rien\r\n\r\ntexte\r\n") is None


@pytest.mark.asyncio
async def test_the_envelope_asks_for_reports_only_where_dsn_is_offered(pair: Pair) -> None:
    alice, _bob, server = pair
    document = await session_document(alice.jmap)
    account_id = (await alice.jmap.session()).account_id
    submission = document["accounts"][account_id]["accountCapabilities"][
        "urn:ietf:params:jmap:submission"
    ]
    offered = dsn_offered(document, account_id)
    assert offered is any(k.upper() == "DSN" for k in submission["submissionExtensions"])
    # What the server received: the envelope, with the RFC 3461 parameters only where offered.
    await sent(alice, "Avec enveloppe", [BOB.email, OUTSIDE])
    with server.sandbox.db.read() as conn:
        [row] = conn.execute("SELECT envelope FROM submissions").fetchall()
    envelope = json.loads(row["envelope"])
    assert [r["email"] for r in envelope["rcptTo"]] == [BOB.email, OUTSIDE]
    notify = [(r.get("parameters") or {}).get("NOTIFY") for r in envelope["rcptTo"]]
    ret = (envelope["mailFrom"].get("parameters") or {}).get("RET")
    if offered:
        assert (notify, ret) == (["SUCCESS,FAILURE"] * 2, "HDRS")
    else:
        assert (notify, ret) == ([None, None], None)
    # Either way: the same Session with and without DSN in submissionExtensions.
    submission["submissionExtensions"] = {"dsn": [], "SIZE": ["52428800"]}
    assert dsn_offered(document, account_id)
    submission["submissionExtensions"] = {"SIZE": ["52428800"]}
    assert not dsn_offered(document, account_id)
    cyrus = json.loads((Path(__file__).parent / "data" / "cyrus-session.json").read_text())
    assert not dsn_offered(cyrus, "alice@example.com")  # Cyrus 3.6 lists only "size"
    payload = {
        "from": {"email": ALICE.email},
        "to": [{"email": BOB.email}],
        "cc": [{"email": OUTSIDE}],
        "bcc": [{"email": BOB.email.upper()}],
    }
    assert dsn_envelope(payload, "out-1") == {
        "mailFrom": {"email": ALICE.email, "parameters": {"RET": "HDRS", "ENVID": "out-1"}},
        "rcptTo": [
            {"email": BOB.email, "parameters": {"NOTIFY": "SUCCESS,FAILURE"}},
            {"email": OUTSIDE, "parameters": {"NOTIFY": "SUCCESS,FAILURE"}},
        ],
    }


@pytest.mark.asyncio
async def test_cli_status_prints_each_recipient_and_refuses_an_unknown_message(
    server_factory: Callable[..., ServerThread], tmp_path: Path
) -> None:
    # The outside correspondent's domain is in the trust space: the CLI refuses any other.
    domains = (ALICE.email.partition("@")[2], OUTSIDE.partition("@")[2])
    server = server_factory(trusted_domains=domains)
    data = tmp_path / "cli"
    queued = ok(
        as_alice(
            server,
            data,
            "send",
            "--to",
            BOB.email,
            "--to",
            OUTSIDE,
            "--subject",
            "Bilan",
            "--body",
            "Bilan joint.",
        )
    )
    assert queued["state"] == "sent"
    deliver_to_alice(server, dsn(queued["messageId"].strip("<>"), [(OUTSIDE, "failed", "5.1.2")]))
    status = ok(as_alice(server, data, "status", queued["messageId"]))
    assert status["messageId"] == queued["messageId"].strip("<>")
    assert [(r["email"], r["state"], r["reason"]) for r in status["recipients"]] == [
        (BOB.email, "delivered", None),
        (OUTSIDE, "failed", "domaine inconnu"),
    ]
    unknown = as_alice(server, data, "status", "<inconnu@nulle-part.fr>")
    assert unknown.returncode != 0
    assert "Aucun message envoyé n'a cet identifiant" in unknown.stderr


@pytest.mark.asyncio
async def test_the_sandbox_own_reports_unknown_and_oversize_recipients_end_to_end(
    server_factory: Callable[..., ServerThread], tmp_path: Path
) -> None:
    """No hand-made report: the sandbox refuses an unknown address of its own domain (5.1.1)
    and, past its size limit, everyone (5.3.4); its real DSNs reach Alice's Inbox and the app
    shows each recipient's state, the DSNs themselves never listed."""
    server = server_factory(max_delivered_size=64 * 1024)
    alice = await AccountSession.open(
        tmp_path / "alice", server.base_url, ALICE.login, ALICE.password
    )
    try:
        unknown = "personne.inconnue@" + ALICE.email.partition("@")[2]
        record = await sent(alice, "Compte rendu", [BOB.email, unknown])
        assert states(record) == {BOB.email: ("delivered", None), unknown: ("failed", "5.1.1")}
        big = await alice.send(
            OutgoingMessage(
                from_=await alice.own_address(),
                to=[Address(None, BOB.email)],
                subject="Imagerie",
                text="x" * (100 * 1024),
            )
        )
        row = alice.outbox_row(big)
        assert row is not None
        await alice.sync_once()
        for _ in range(3):  # the reports arrive as new mail: a sync or two
            await alice.sync_once()
        after = alice.email_by_message_id(row.message_id)
        assert after is not None
        assert states(after) == {BOB.email: ("failed", "5.3.4")}
        with server.sandbox.db.read() as conn:
            reports = conn.execute(
                "SELECT COUNT(*) FROM emails e JOIN accounts a ON a.id = e.account_id "
                "WHERE a.login = ? AND e.subject = 'Message non distribué'",
                (ALICE.login,),
            ).fetchone()[0]
        assert reports == 2  # both reports are in her Inbox on the server…
        listed = subjects(alice)
        assert "Message non distribué" not in listed  # …and not in the app
        assert {"Compte rendu", "Imagerie"} <= set(listed)
    finally:
        await alice.close()
