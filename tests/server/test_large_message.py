"""A large attachment (over stream.STREAM_MIN) built, parsed and delivered by streaming."""

from __future__ import annotations

import hashlib
import os
from email import message_from_bytes, policy
from typing import Any

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, CAROL, ServerFactory, get_token
from tests.server.jmap_support import Jmap
from tests.server.test_jmap_dsn import _the_dsn

MB = 1024 * 1024
LIMIT = 64 * MB


def _pdf(size: int) -> bytes:
    head = b"%PDF-1.7\n"
    return head + os.urandom(size - len(head))


def _client(server: ServerThread, user: Any) -> Jmap:
    return Jmap(server.base_url, get_token(server.base_url, user))


def _upload(jmap: Jmap, data: bytes) -> str:
    url = jmap.session["uploadUrl"].replace("{accountId}", jmap.account_id)
    r = httpx.post(url, headers=jmap.headers, content=data, timeout=60)
    assert r.status_code == 201, r.text
    blob_id: str = r.json()["blobId"]
    return blob_id


def _download(jmap: Jmap, blob_id: str) -> bytes:
    url = (
        jmap.session["downloadUrl"]
        .replace("{accountId}", jmap.account_id)
        .replace("{blobId}", blob_id)
        .replace("{name}", "x")
        .replace("{type}", "application/octet-stream")
    )
    r = httpx.get(url, headers=jmap.headers, timeout=60)
    assert r.status_code == 200, r.text
    return r.content


def _send(
    alice: Jmap, document: bytes, to: list[str], bcc: list[str] | None = None
) -> tuple[str, dict[str, Any]]:
    blob_id = _upload(alice, document)
    created = alice.call(
        "Email/set",
        create={
            "d": {
                "mailboxIds": {alice.mailbox("sent"): True},
                "from": [{"email": ALICE.email}],
                "to": [{"email": a} for a in to],
                "bcc": [{"email": a} for a in bcc or []],
                "subject": "Compte rendu volumineux",
                "textBody": [{"partId": "t", "type": "text/plain"}],
                "bodyValues": {"t": {"value": "Le compte rendu est joint."}},
                "attachments": [{"blobId": blob_id, "type": "application/pdf", "name": "cr.pdf"}],
            }
        },
    )
    email_id = created["created"]["d"]["id"]
    submitted = alice.call(
        "EmailSubmission/set",
        create={"s": {"emailId": email_id, "identityId": alice.identity()}},
    )
    return email_id, submitted


def _received(jmap: Jmap) -> dict[str, Any]:
    [email_id] = jmap.call("Email/query", filter={"inMailbox": jmap.mailbox("inbox")})["ids"]
    [email] = jmap.call(
        "Email/get",
        ids=[email_id],
        properties=[
            "blobId",
            "size",
            "hasAttachment",
            "preview",
            "attachments",
            "bcc",
            "bodyStructure",
            "textBody",
        ],
    )["list"]
    return dict(email)


def test_a_large_attachment_arrives_byte_identical(server_factory: ServerFactory) -> None:
    server = server_factory(max_size_upload=LIMIT, users=(ALICE, BOB, CAROL))
    alice, bob, carol = (_client(server, u) for u in (ALICE, BOB, CAROL))
    document = _pdf(9 * MB)
    email_id, submitted = _send(alice, document, [BOB.email, CAROL.email])
    status = submitted["created"]["s"]["deliveryStatus"]
    assert {a: s["delivered"] for a, s in status.items()} == {BOB.email: "yes", CAROL.email: "yes"}
    [sent] = alice.call("Email/get", ids=[email_id], properties=["blobId", "size"])["list"]
    sent_bytes = _download(alice, sent["blobId"])
    assert len(sent_bytes) == sent["size"]
    # The message itself is real MIME: the email package finds the document in its base64,
    # in 76-character lines.
    parsed = message_from_bytes(sent_bytes, policy=policy.SMTP)
    [pdf] = [p for p in parsed.walk() if p.get_content_type() == "application/pdf"]
    assert pdf.get_payload(decode=True) == document
    body = sent_bytes.split(b"\r\n\r\n")[-2]  # the attachment's base64, after its headers
    assert {len(line) for line in body.split(b"\r\n")[:-2]} == {76}
    for reader in (bob, carol):
        email = _received(reader)
        assert _download(reader, email["blobId"]) == sent_bytes  # no Bcc: the same bytes
        assert email["size"] == len(sent_bytes)
        assert email["hasAttachment"] is True
        assert email["preview"] == "Le compte rendu est joint."
        [att] = email["attachments"]
        assert (att["type"], att["name"], att["size"]) == (
            "application/pdf",
            "cr.pdf",
            len(document),
        )
        downloaded = _download(reader, att["blobId"])
        assert hashlib.sha256(downloaded).digest() == hashlib.sha256(document).digest()
        assert [p["type"] for p in email["bodyStructure"]["subParts"]] == [
            "text/plain",
            "application/pdf",
        ]
        # The text is searchable, the PDF's base64 is not indexed.
        found = reader.call("Email/query", filter={"text": "compte"})["ids"]
        assert len(found) == 1


def test_bcc_is_kept_in_the_sent_copy_only(server_factory: ServerFactory) -> None:
    server = server_factory(max_size_upload=LIMIT, users=(ALICE, BOB, CAROL))
    alice, bob, carol = (_client(server, u) for u in (ALICE, BOB, CAROL))
    document = _pdf(8 * MB)
    email_id, _ = _send(alice, document, [BOB.email], bcc=[CAROL.email])
    [sent] = alice.call("Email/get", ids=[email_id], properties=["blobId", "bcc"])["list"]
    assert sent["bcc"] == [{"name": None, "email": CAROL.email}]
    sent_bytes = _download(alice, sent["blobId"])
    for reader in (bob, carol):
        email = _received(reader)
        assert email["bcc"] is None
        delivered = _download(reader, email["blobId"])
        assert b"\r\nBcc:" not in delivered.split(b"\r\n\r\n", 1)[0]
        head_sent, body_sent = sent_bytes.split(b"\r\n\r\n", 1)
        head_got, body_got = delivered.split(b"\r\n\r\n", 1)
        assert body_got == body_sent
        assert [line for line in head_sent.split(b"\r\n") if not line.startswith(b"Bcc:")] == (
            head_got.split(b"\r\n")
        )
        [att] = email["attachments"]
        assert _download(reader, att["blobId"]) == document


def test_an_over_size_message_still_bounces(server_factory: ServerFactory) -> None:
    server = server_factory(max_size_upload=LIMIT, max_delivered_size=6 * MB)
    alice, bob = _client(server, ALICE), _client(server, BOB)
    _, submitted = _send(alice, _pdf(8 * MB), [BOB.email])
    status = submitted["created"]["s"]["deliveryStatus"][BOB.email]
    assert status["delivered"] == "no"
    assert status["smtpReply"].startswith("552 5.3.4")
    assert bob.call("Email/query", filter={"inMailbox": bob.mailbox("inbox")})["ids"] == []
    report, [_, recipient] = _the_dsn(alice)
    assert recipient["Status"] == "5.3.4"
    assert recipient["Action"] == "failed"
    assert report.get_payload()[2].get_content_type() == "text/rfc822-headers"  # type: ignore[index]


def test_a_large_message_imported_keeps_its_attachment(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(max_size_upload=LIMIT)
    alice, bob = _client(server, ALICE), _client(server, BOB)
    document = _pdf(7 * MB)
    email_id, _ = _send(alice, document, [])
    [sent] = alice.call("Email/get", ids=[email_id], properties=["blobId"])["list"]
    raw = _download(alice, sent["blobId"])
    blob_id = _upload(bob, raw)
    inbox = bob.mailbox("inbox")
    imported = bob.call(
        "Email/import", emails={"i": {"blobId": blob_id, "mailboxIds": {inbox: True}}}
    )["created"]["i"]
    assert imported["size"] == len(raw)
    assert imported["blobId"] == blob_id
    email = _received(bob)
    assert email["size"] == len(raw)
    [att] = email["attachments"]
    assert att["size"] == len(document)
    assert _download(bob, att["blobId"]) == document
