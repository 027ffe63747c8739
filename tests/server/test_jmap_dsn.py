"""Delivery status in the sandbox (issue 14 §2): per-recipient deliveryStatus, RFC 3461 envelope
parameters, RFC 3464 reports in the sender's Inbox, and `displayed` once a read receipt arrives."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx

from server.mail import dsn
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, ServerFactory, get_token
from tests.server.jmap_support import Jmap
from tests.server.test_jmap_mdn import _ask_receipt, _mdn_send
from tests.server.test_jmap_submission import _draft

GOLDEN = Path(__file__).parent / "golden" / "dsn-unknown-recipient.eml"
UNKNOWN = "inconnu.absent@sisra-demo.mssante.fr"
OUTSIDE = "correspondant@hopital.example"


def _submit(
    jmap: Jmap,
    to: list[str],
    subject: str = "Avis",
    envelope: dict[str, Any] | None = None,
    body: str = "Bonjour.",
) -> dict[str, Any]:
    """Creates and sends a draft to `to`; the EmailSubmission/set response."""
    draft = _draft(jmap, [{"email": a} for a in to], subject)
    draft["bodyValues"] = {"1": {"value": body}}
    submission: dict[str, Any] = {"emailId": "#d", "identityId": jmap.identity()}
    if envelope is not None:
        submission["envelope"] = envelope
    responses = jmap.request(
        ["Email/set", {"accountId": jmap.account_id, "create": {"d": draft}}, "0"],
        ["EmailSubmission/set", {"accountId": jmap.account_id, "create": {"s": submission}}, "1"],
    )
    assert responses[1][0] == "EmailSubmission/set", responses
    return dict(responses[1][1])


def _envelope(*rcpts: tuple[str, dict[str, str] | None], **mail: str) -> dict[str, Any]:
    return {
        "mailFrom": {"email": ALICE.email, "parameters": mail or None},
        "rcptTo": [{"email": a, "parameters": p} for a, p in rcpts],
    }


def _inbox(jmap: Jmap) -> list[dict[str, Any]]:
    ids = jmap.call("Email/query", filter={"inMailbox": jmap.mailbox("inbox")})["ids"]
    found: list[dict[str, Any]] = jmap.call(
        "Email/get", ids=ids, properties=["blobId", "subject", "from", "threadId"]
    )["list"]
    return found


def _download(jmap: Jmap, blob_id: str) -> bytes:
    url = (
        jmap.session["downloadUrl"]
        .replace("{accountId}", jmap.account_id)
        .replace("{blobId}", blob_id)
        .replace("{name}", "dsn.eml")
        .replace("{type}", "message%2Frfc822")
    )
    answer = httpx.get(url, headers=jmap.headers)
    assert answer.status_code == 200, answer.text
    return answer.content


def _the_dsn(jmap: Jmap) -> tuple[Message, list[Message]]:
    """The one DSN in the Inbox: (the report, its delivery-status blocks)."""
    [received] = _inbox(jmap)
    report = message_from_bytes(_download(jmap, received["blobId"]))
    [status] = [p for p in report.walk() if p.get_content_type() == "message/delivery-status"]
    blocks = status.get_payload()
    assert isinstance(blocks, list)
    return report, blocks


def _text(report: Message) -> str:
    text = report.get_payload()[0]  # type: ignore[index]
    assert text.get_content_type() == "text/plain"
    payload = text.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_an_unknown_local_recipient_bounces_into_the_senders_inbox(
    server: ServerThread, alice_token: str
) -> None:
    alice = Jmap(server.base_url, alice_token)
    result = _submit(alice, [UNKNOWN], "Avis cardiologique")
    created = result["created"]["s"]
    assert created["sendAt"].endswith("Z")
    assert created["undoStatus"] == "final"
    assert created["deliveryStatus"] == {
        UNKNOWN: {
            "smtpReply": f"550 5.1.1 <{UNKNOWN}>: adresse inconnue",
            "delivered": "no",
            "displayed": "unknown",
        }
    }
    # Refused here: never recorded as sent outside.
    outside = httpx.get(server.base_url + "/sandbox/sent-outside", headers=alice.headers)
    assert outside.json() == {"list": []}
    [got] = alice.call("EmailSubmission/get", ids=[created["id"]])["list"]
    [sent] = alice.call("Email/get", ids=[got["emailId"]], properties=["messageId"])["list"]
    assert got["deliveryStatus"] == created["deliveryStatus"]
    assert got["sendAt"] == created["sendAt"]

    report, blocks = _the_dsn(alice)
    [received] = _inbox(alice)
    assert got["dsnBlobIds"] == [received["blobId"]]
    assert received["subject"] == "Message non distribué"  # fixed, as mail servers write it
    assert report.get_content_type() == "multipart/report"
    assert report.get_param("report-type") == "delivery-status"
    assert report["From"] == f"Postmaster <MAILER-DAEMON@{server.sandbox.config.mail_domain}>"
    assert report["To"] == ALICE.email
    assert report["Auto-Submitted"] == "auto-replied"
    assert report["Message-ID"]
    assert report["Message-ID"] != f"<{sent['messageId'][0]}>"
    assert report["In-Reply-To"] == f"<{sent['messageId'][0]}>"
    assert report["References"] == f"<{sent['messageId'][0]}>"
    kinds = [p.get_content_type() for p in report.get_payload()]  # type: ignore[union-attr]
    assert kinds == ["text/plain", "message/delivery-status", "text/rfc822-headers"]
    assert f"Votre message n'a pas pu être remis à {UNKNOWN}" in _text(report)
    per_message, recipient = blocks
    assert per_message["Reporting-MTA"] == f"dns; {server.sandbox.config.mail_domain}"
    assert per_message["Arrival-Date"]
    assert per_message["Original-Envelope-Id"] is None
    assert recipient["Final-Recipient"] == f"rfc822; {UNKNOWN}"
    assert recipient["Action"] == "failed"
    assert recipient["Status"] == "5.1.1"
    assert recipient["Diagnostic-Code"] == f"smtp; 550 5.1.1 <{UNKNOWN}>: adresse inconnue"
    assert recipient["Original-Recipient"] is None
    headers = report.get_payload()[2].get_payload()  # type: ignore[index, union-attr]
    assert "Subject: Avis cardiologique" in headers
    assert f"Message-ID: <{sent['messageId'][0]}>" in headers
    assert "Bonjour." not in headers


def test_mixed_recipients_get_their_own_status_and_full_return(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    envelope = _envelope(
        (BOB.email, None),
        (UNKNOWN, {"NOTIFY": "FAILURE", "ORCPT": "rfc822;inconnu+2Babsent@sisra-demo.mssante.fr"}),
        RET="FULL",
        ENVID="QQ314159",
    )
    result = _submit(alice, [BOB.email, UNKNOWN], "Compte rendu", envelope)
    status = result["created"]["s"]["deliveryStatus"]
    assert status[BOB.email]["delivered"] == "yes"
    assert status[BOB.email]["smtpReply"] == "250 2.0.0 OK"
    assert status[UNKNOWN]["delivered"] == "no"
    assert [m["subject"] for m in _inbox(bob)] == ["Compte rendu"]

    report, blocks = _the_dsn(alice)
    per_message, recipient = blocks  # Bob's delivery is not reported: he asked for nothing
    assert per_message["Original-Envelope-Id"] == "QQ314159"
    assert recipient["Final-Recipient"] == f"rfc822; {UNKNOWN}"
    assert recipient["Original-Recipient"] == "rfc822;inconnu+absent@sisra-demo.mssante.fr"
    returned = report.get_payload()[2]  # type: ignore[index]
    assert returned.get_content_type() == "message/rfc822"
    [original] = returned.get_payload()
    assert original["Subject"] == "Compte rendu"
    assert "Bonjour." in original.get_payload()
    [got] = alice.call("EmailSubmission/get", ids=[result["created"]["s"]["id"]])["list"]
    assert got["envelope"]["mailFrom"]["parameters"] == {"RET": "FULL", "ENVID": "QQ314159"}
    assert got["envelope"]["rcptTo"][1]["parameters"]["NOTIFY"] == "FAILURE"
    assert got["envelope"]["rcptTo"][0]["parameters"] is None


def test_notify_never_means_no_report_and_success_means_a_delivered_one(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    never = _envelope((UNKNOWN, {"NOTIFY": "NEVER"}))
    result = _submit(alice, [UNKNOWN], "Silence", never)
    assert result["created"]["s"]["deliveryStatus"][UNKNOWN]["delivered"] == "no"
    assert _inbox(alice) == []

    success = _envelope(
        (BOB.email, {"NOTIFY": "SUCCESS,FAILURE"}), (OUTSIDE, {"NOTIFY": "SUCCESS"})
    )
    result = _submit(alice, [BOB.email, OUTSIDE], "Remis ?", success)
    status = result["created"]["s"]["deliveryStatus"]
    assert status[BOB.email]["delivered"] == "yes"
    assert status[OUTSIDE]["delivered"] == "unknown"  # relayed: nobody says yet
    assert len(_inbox(bob)) == 1
    report, blocks = _the_dsn(alice)
    _per_message, recipient = blocks  # the outside recipient: nothing yet
    assert recipient["Final-Recipient"] == f"rfc822; {BOB.email}"
    assert recipient["Action"] == "delivered"
    assert recipient["Status"] == "2.0.0"
    assert report["Subject"] == "Avis de remise"  # fixed, as mail servers write it
    assert f"Votre message a été remis à {BOB.email}." in _text(report)
    assert "n'a pas pu" not in _text(report)


def test_an_over_size_message_is_refused_per_recipient_with_5_3_4(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(max_delivered_size=4000)
    alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
    bob = Jmap(server.base_url, get_token(server.base_url, BOB))
    account = alice.session["accounts"][alice.account_id]
    submission = account["accountCapabilities"]["urn:ietf:params:jmap:submission"]
    extensions = submission["submissionExtensions"]
    assert (extensions["DSN"], extensions["SIZE"]) == ([], ["4000"])
    small = _submit(alice, [BOB.email], "Court")
    assert small["created"]["s"]["deliveryStatus"][BOB.email]["delivered"] == "yes"
    big = _submit(alice, [BOB.email], "Long", _envelope((BOB.email, None), RET="FULL"), "x" * 5000)
    status = big["created"]["s"]["deliveryStatus"][BOB.email]
    assert status["delivered"] == "no"
    assert status["smtpReply"].startswith("552 5.3.4 ")
    assert [m["subject"] for m in _inbox(bob)] == ["Court"]
    report, [_, recipient] = _the_dsn(alice)
    assert recipient["Status"] == "5.3.4"
    assert recipient["Action"] == "failed"
    assert recipient["Diagnostic-Code"] == f"smtp; {status['smtpReply']}"
    # RET=FULL, but the original is over the limit: only its headers come back.
    assert report.get_payload()[2].get_content_type() == "text/rfc822-headers"  # type: ignore[index]
    assert "trop volumineux" in _text(report)


def test_bad_envelope_parameters_are_invalid_properties(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    draft_id = alice.call("Email/set", create={"d": _draft(alice, [{"email": BOB.email}], "X")})[
        "created"
    ]["d"]["id"]
    bad = {
        "notify": _envelope((BOB.email, {"NOTIFY": "SOMETIMES"})),
        "never-and": _envelope((BOB.email, {"NOTIFY": "NEVER,SUCCESS"})),
        "twice": _envelope((BOB.email, {"NOTIFY": "SUCCESS,SUCCESS"})),
        "orcpt": _envelope((BOB.email, {"ORCPT": "bob@nowhere"})),
        "rcpt-unknown": _envelope((BOB.email, {"FOO": "1"})),
        "ret": _envelope((BOB.email, None), RET="ALL"),
        "envid": _envelope((BOB.email, None), ENVID="a b"),
        "not-a-string": {
            "mailFrom": {"email": ALICE.email, "parameters": {"RET": 1}},
            "rcptTo": [{"email": BOB.email}],
        },
    }
    result = alice.call(
        "EmailSubmission/set",
        create={
            key: {"emailId": draft_id, "identityId": alice.identity(), "envelope": envelope}
            for key, envelope in bad.items()
        },
    )
    assert result["created"] is None
    assert {k: v["type"] for k, v in result["notCreated"].items()} == dict.fromkeys(
        bad, "invalidProperties"
    )
    assert all(v["properties"] == ["envelope"] for v in result["notCreated"].values())
    assert _inbox(bob) == []


def test_a_read_receipt_marks_the_submission_displayed_in_changes(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    _sent_id, bob_copy = _ask_receipt(alice, bob)
    [submission] = alice.call("EmailSubmission/get")["list"]
    assert submission["deliveryStatus"][BOB.email]["displayed"] == "unknown"
    before = alice.state("EmailSubmission")
    responses = _mdn_send(bob, bob_copy)
    assert responses[0][1]["sent"], responses
    changes = alice.call("EmailSubmission/changes", sinceState=before)
    assert changes["updated"] == [submission["id"]]
    assert changes["created"] == []
    assert changes["destroyed"] == []
    [after] = alice.call("EmailSubmission/get", ids=[submission["id"]])["list"]
    assert after["deliveryStatus"][BOB.email]["displayed"] == "yes"
    assert after["deliveryStatus"][BOB.email]["delivered"] == "yes"


def _golden_dsn() -> bytes:
    original = (
        b"From: Dr Alice Martin <alice.martin@sisra-demo.mssante.fr>\r\n"
        b"To: inconnu.absent@sisra-demo.mssante.fr\r\n"
        b"Subject: =?utf-8?q?Avis_cardiologique_demand=C3=A9?=\r\n"
        b"Date: Mon, 07 Dec 2026 09:30:00 +0000\r\n"
        b"Message-ID: <avis-1@sisra-demo.mssante.fr>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"\r\n"
        b"Bonjour.\r\n"
    )
    at = datetime(2026, 12, 7, 9, 30, 5, tzinfo=UTC)
    return dsn.build(
        original=original,
        reports=[
            dsn.RecipientReport(
                UNKNOWN,
                "failed",
                "5.1.1",
                f"550 5.1.1 <{UNKNOWN}>: adresse inconnue",
                "rfc822;inconnu.absent@sisra-demo.mssante.fr",
            )
        ],
        to="alice.martin@sisra-demo.mssante.fr",
        domain="sisra-demo.mssante.fr",
        arrival=at,
        now=at,
        envelope_id="QQ314159",
        message_id=lambda: "<dsn-1@sisra-demo.mssante.fr>",
        boundary=lambda: "=_dsn_golden",
    )


def test_the_generator_reproduces_the_golden_dsn_byte_for_byte() -> None:
    built = _golden_dsn()
    assert built == GOLDEN.read_bytes()
    # And it reads back as the report it is meant to be.
    report = message_from_bytes(built)
    assert report["Date"] == "Mon, 07 Dec 2026 09:30:05 +0000"
    [_, status, headers] = report.get_payload()  # type: ignore[misc]
    [per_message, recipient] = status.get_payload()
    assert per_message["Arrival-Date"] == "Mon, 07 Dec 2026 09:30:05 +0000"
    assert recipient["Status"] == "5.1.1"
    assert headers.get_content_type() == "text/rfc822-headers"
    assert b"\n" not in built.replace(b"\r\n", b"")


def test_a_receipt_built_by_the_client_and_submitted_also_marks_displayed(
    server_factory: ServerFactory,
) -> None:
    """Against a server without JMAP MDN the client sends its own `multipart/report` with
    EmailSubmission; the sender's submission learns `displayed` all the same."""
    server = server_factory(jmap_mdn=False)
    alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
    bob = Jmap(server.base_url, get_token(server.base_url, BOB))
    result = _submit(alice, [BOB.email], "Résultats")
    submission_id = result["created"]["s"]["id"]
    [got] = alice.call("EmailSubmission/get", ids=[submission_id])["list"]
    [sent] = alice.call("Email/get", ids=[got["emailId"]], properties=["messageId"])["list"]
    original = sent["messageId"][0]
    receipt = (
        f"From: {BOB.email}\r\nTo: {ALICE.email}\r\nSubject: Accuse de lecture\r\n"
        f"Message-ID: <mdn.1@sisra-demo.mssante.fr>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="b"\r\n'
        "\r\n--b\r\nContent-Type: text/plain\r\n\r\nLu.\r\n"
        "--b\r\nContent-Type: message/disposition-notification\r\n\r\n"
        f"Final-Recipient: rfc822;{BOB.email}\r\nOriginal-Message-ID: <{original}>\r\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\r\n--b--\r\n"
    ).encode()
    upload = httpx.post(
        bob.session["uploadUrl"].replace("{accountId}", bob.account_id),
        headers={**bob.headers, "Content-Type": "message/rfc822"},
        content=receipt,
    ).json()
    imported = bob.call(
        "Email/import",
        emails={"r": {"blobId": upload["blobId"], "mailboxIds": {bob.mailbox("sent"): True}}},
    )["created"]["r"]
    before = alice.state("EmailSubmission")
    bob.call(
        "EmailSubmission/set",
        create={"s": {"emailId": imported["id"], "identityId": bob.identity()}},
    )
    assert alice.call("EmailSubmission/changes", sinceState=before)["updated"] == [submission_id]
    [after] = alice.call("EmailSubmission/get", ids=[submission_id])["list"]
    assert after["deliveryStatus"][BOB.email]["displayed"] == "yes"
