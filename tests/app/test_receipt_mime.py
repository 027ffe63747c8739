"""The read receipt the client builds itself (RFC 8098), checked header by header and part by
part, and read back; and the request in the composer's Email/set create."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

from app.message.compose import OutgoingMessage, email_create
from app.message.receipt import build_mdn, is_report_type, parse_mdn
from app.records import Address

READER = Address("Dr Bob Lefèvre", "bob.lefevre@sisra-demo.mssante.fr")
ASKER = Address("Dr Alice Martin", "alice.martin@sisra-demo.mssante.fr")
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def golden() -> bytes:
    return build_mdn(
        READER,
        [ASKER],
        "18c1.abc@sisra-demo.mssante.fr",
        "Résultats de Mme Durand",
        "<18c2.def@sisra-demo.mssante.fr>",
        now=WHEN,
    )


def test_the_mdn_is_a_disposition_notification_report_with_the_required_fields() -> None:
    raw = golden()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert str(message["From"]) == "Dr Bob Lefèvre <bob.lefevre@sisra-demo.mssante.fr>"
    assert str(message["To"]) == "Dr Alice Martin <alice.martin@sisra-demo.mssante.fr>"
    assert str(message["Subject"]) == "Accusé de lecture : Résultats de Mme Durand"
    assert message["Date"] == "Mon, 02 Mar 2026 09:30:00 +0000"
    assert message["Message-ID"] == "<18c2.def@sisra-demo.mssante.fr>"
    assert message["In-Reply-To"] == "<18c1.abc@sisra-demo.mssante.fr>"
    assert message["References"] == "<18c1.abc@sisra-demo.mssante.fr>"
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_type() == "multipart/report"
    assert message.get_param("report-type") == "disposition-notification"
    assert is_report_type(message["Content-Type"])
    assert raw.isascii()  # 7-bit clean: the names and subject encoded, the text quoted-printable
    text, fields = message.get_payload()
    assert text.get_content_type() == "text/plain"
    assert text["Content-Transfer-Encoding"] == "quoted-printable"
    assert "« Résultats de Mme Durand » a été affiché par Dr Bob Lefèvre" in text.get_content()
    assert fields.get_content_type() == "message/disposition-notification"
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")
    block = raw.decode().replace("\r\n", "\n").split("message/disposition-notification\n")[1]
    assert block.startswith("\n")  # the part's header ends; its body is the fields
    assert block[1:].split("\n\n")[0].splitlines() == [
        "Reporting-UA: MonSisra bureau",
        "Final-Recipient: rfc822;bob.lefevre@sisra-demo.mssante.fr",
        "Original-Message-ID: <18c1.abc@sisra-demo.mssante.fr>",
        "Disposition: manual-action/MDN-sent-manually; displayed",
    ]


def test_the_mdn_reads_back_and_other_messages_are_not_receipts() -> None:
    receipt = parse_mdn(golden())
    assert receipt is not None
    assert receipt.final_recipient == READER.email
    assert receipt.original_message_id == "18c1.abc@sisra-demo.mssante.fr"
    assert receipt.disposition == "displayed"
    assert receipt.date == WHEN
    assert parse_mdn(b"Subject: x\r\nContent-Type: text/plain\r\n\r\nbonjour\r\n") is None
    assert not is_report_type("multipart/report; report-type=delivery-status")
    assert not is_report_type("multipart/mixed")


def test_asking_for_a_receipt_sets_disposition_notification_to_to_the_sender() -> None:
    msg = OutgoingMessage(from_=ASKER, to=[READER], message_id="<1.a@x.fr>", read_receipt=True)
    create = email_create(msg, {}, None, "drafts")
    assert create["header:Disposition-Notification-To:asAddresses"] == [
        {"name": ASKER.name, "email": ASKER.email}
    ]
    plain = email_create(OutgoingMessage(ASKER, [READER], message_id="<1.a@x.fr>"), {}, None, "d")
    assert not any(k.startswith("header:Disposition") for k in plain)
