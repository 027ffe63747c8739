"""Read receipts in the sandbox: JMAP MDN (RFC 9007) MDN/send and MDN/parse, and switched off."""

from __future__ import annotations

from email import message_from_bytes
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, ServerFactory, get_token
from tests.server.jmap_support import USING, Jmap
from tests.server.test_jmap_submission import _draft, _send

MDN = "urn:ietf:params:jmap:mdn"
WITH_MDN = [*USING, MDN]
DISPLAYED = {"actionMode": "manual-action", "sendingMode": "mdn-sent-manually", "type": "displayed"}


def _ask_receipt(alice: Jmap, bob: Jmap, subject: str = "Résultats") -> tuple[str, str]:
    """Alice sends Bob a message asking for a read receipt: (her sent id, Bob's copy id)."""
    draft = _draft(
        alice,
        [{"name": BOB.name, "email": BOB.email}],
        subject,
        **{
            "header:Disposition-Notification-To:asAddresses": [
                {"name": ALICE.name, "email": ALICE.email}
            ]
        },
    )
    sent_id = _send(alice, draft)[0][1]["created"]["d"]["id"]
    inbox = bob.call("Email/query", filter={"inMailbox": bob.mailbox("inbox")})["ids"]
    return sent_id, inbox[0]


def _mdn_send(bob: Jmap, email_id: str, **extra: Any) -> list[list[Any]]:
    return bob.request(
        [
            "MDN/send",
            {
                "accountId": bob.account_id,
                "identityId": bob.identity(),
                "send": {"k": {"forEmailId": email_id, "disposition": DISPLAYED, **extra}},
                "onSuccessUpdateEmail": {"#k": {"keywords/$mdnsent": True}},
            },
            "0",
        ],
        using=WITH_MDN,
    )


def _parse(j: Jmap, blob_ids: list[str]) -> dict[str, Any]:
    [[name, result, _]] = j.request(
        ["MDN/parse", {"accountId": j.account_id, "blobIds": blob_ids}, "0"], using=WITH_MDN
    )
    assert name == "MDN/parse", result
    return dict(result)


def test_bob_sends_the_receipt_alice_asked_for_and_she_parses_it(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    assert MDN in alice.session["capabilities"]
    assert MDN in alice.session["accounts"][alice.account_id]["accountCapabilities"]
    sent_id, bob_copy = _ask_receipt(alice, bob)
    asked = bob.call(
        "Email/get", ids=[bob_copy], properties=["header:Disposition-Notification-To:asAddresses"]
    )
    assert asked["list"][0]["header:Disposition-Notification-To:asAddresses"] == [
        {"name": ALICE.name, "email": ALICE.email}
    ]

    responses = _mdn_send(bob, bob_copy)
    assert [r[0] for r in responses] == ["MDN/send", "Email/set"]
    sent = responses[0][1]["sent"]["k"]
    assert sent["finalRecipient"] == f"rfc822;{BOB.email}"
    assert responses[1][1]["updated"] == {bob_copy: None}
    keywords = bob.call("Email/get", ids=[bob_copy], properties=["keywords"])["list"][0]["keywords"]
    assert keywords.get("$mdnsent") is True

    # Alice gets the MDN itself, a multipart/report, in her Inbox.
    inbox = alice.call("Email/query", filter={"inMailbox": alice.mailbox("inbox")})["ids"]
    [report] = alice.call("Email/get", ids=inbox, properties=["blobId", "subject"])["list"]
    assert report["subject"] == "Accusé de lecture : Résultats"
    raw = httpx.get(
        alice.download_url(report["blobId"], "mdn.eml", "message/rfc822"),
        headers=alice.headers,
    ).content
    message = message_from_bytes(raw)
    assert message.get_content_type() == "multipart/report"
    assert message.get_param("report-type") == "disposition-notification"
    original = alice.call("Email/get", ids=[sent_id], properties=["messageId"])["list"][0]
    assert message["In-Reply-To"] == f"<{original['messageId'][0]}>"
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None  # an RFC 5322 date

    parsed = _parse(alice, [report["blobId"], "Gnothere"])
    mdn = parsed["parsed"][report["blobId"]]
    assert mdn["forEmailId"] == sent_id
    assert mdn["disposition"] == DISPLAYED
    assert mdn["finalRecipient"] == f"rfc822;{BOB.email}"
    assert mdn["originalMessageId"] == original["messageId"][0]
    assert parsed["notFound"] == ["Gnothere"]


def test_mdn_send_refuses_twice_unknown_emails_unasked_receipts_and_bad_dispositions(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    _sent, bob_copy = _ask_receipt(alice, bob)
    _mdn_send(bob, bob_copy)
    again = _mdn_send(bob, bob_copy)[0][1]
    assert again["notSent"]["k"]["type"] == "mdnAlreadySent"
    assert _mdn_send(bob, "Enothere")[0][1]["notSent"]["k"]["type"] == "notFound"

    _send(alice, _draft(alice, [{"email": BOB.email}], "Sans accusé"))
    plain = bob.call("Email/query", filter={"text": "Sans accusé"})["ids"][0]
    assert _mdn_send(bob, plain)[0][1]["notSent"]["k"]["type"] == "forbiddenToSend"
    bad = bob.request(
        [
            "MDN/send",
            {
                "accountId": bob.account_id,
                "identityId": bob.identity(),
                "send": {"k": {"forEmailId": plain, "disposition": {"type": "lu"}}},
            },
            "0",
        ],
        using=WITH_MDN,
    )[0][1]
    assert bad["notSent"]["k"]["properties"] == ["disposition"]
    # A plain message is not an MDN.
    blob = bob.call("Email/get", ids=[plain], properties=["blobId"])["list"][0]["blobId"]
    assert _parse(bob, [blob])["notParsable"] == [blob]


def test_a_sandbox_without_jmap_mdn_neither_advertises_nor_serves_it(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(jmap_mdn=False)
    bob = Jmap(server.base_url, get_token(server.base_url, BOB))
    assert MDN not in bob.session["capabilities"]
    call = ["MDN/parse", {"accountId": bob.account_id, "blobIds": []}, "0"]
    # RFC 8620 §3.6.1: a capability the Session does not advertise cannot be `used`...
    refused = bob.post({"using": WITH_MDN, "methodCalls": [call]})
    assert refused.status_code == 400
    assert refused.json()["type"] == "urn:ietf:params:jmap:error:unknownCapability"
    # ...and without it the method is unknown.
    [[name, error, _]] = bob.request(call)
    assert (name, error["type"]) == ("error", "unknownMethod")


def test_email_import_files_a_built_message_and_refuses_unknown_blobs_and_mailboxes(
    server: ServerThread, alice_token: str
) -> None:
    """What a client without JMAP MDN sends its own receipts with (RFC 8621 §4.8)."""
    alice = Jmap(server.base_url, alice_token)
    raw = (
        b"From: alice.martin@sisra-demo.mssante.fr\r\nTo: bob@sisra-demo.mssante.fr\r\n"
        b"Subject: Import\r\nMessage-ID: <imp.1@sisra-demo.mssante.fr>\r\n\r\nBonjour.\r\n"
    )
    upload = httpx.post(
        alice.session["uploadUrl"].replace("{accountId}", alice.account_id),
        headers={**alice.headers, "Content-Type": "message/rfc822"},
        content=raw,
    ).json()
    sent = alice.mailbox("sent")
    answer = alice.call(
        "Email/import",
        emails={
            "ok": {
                "blobId": upload["blobId"],
                "mailboxIds": {sent: True},
                "keywords": {"$seen": True},
            },
            "noblob": {"blobId": "Gnothere", "mailboxIds": {sent: True}},
            "nobox": {"blobId": upload["blobId"], "mailboxIds": {"Mnothere": True}},
        },
    )
    created = answer["created"]["ok"]
    assert answer["notCreated"]["noblob"]["type"] == "blobNotFound"
    assert answer["notCreated"]["nobox"]["type"] == "invalidProperties"
    [email] = alice.call(
        "Email/get", ids=[created["id"]], properties=["mailboxIds", "keywords", "messageId"]
    )["list"]
    assert email["mailboxIds"] == {sent: True}
    assert email["keywords"] == {"$seen": True}
    assert email["messageId"] == ["imp.1@sisra-demo.mssante.fr"]
