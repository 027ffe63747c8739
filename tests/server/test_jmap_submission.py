"""Sending inside the sandbox: EmailSubmission/set, delivery, threading, outside recipients."""

from __future__ import annotations

from email import message_from_bytes
from typing import Any

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB
from tests.server.jmap_support import Jmap, mixed_with_pdf


def _draft(jmap: Jmap, to: list[dict[str, str]], subject: str, **extra: Any) -> dict[str, Any]:
    return {
        "mailboxIds": {jmap.mailbox("drafts"): True},
        "keywords": {"$draft": True, "$seen": True},
        "from": [{"email": jmap.session["accounts"][jmap.account_id]["name"]}],
        "to": to,
        "subject": subject,
        "textBody": [{"partId": "1", "type": "text/plain"}],
        "bodyValues": {"1": {"value": "Bonjour."}},
        **extra,
    }


def _send(jmap: Jmap, draft: dict[str, Any]) -> list[list[Any]]:
    account = jmap.account_id
    return jmap.request(
        ["Email/set", {"accountId": account, "create": {"d": draft}}, "0"],
        [
            "EmailSubmission/set",
            {
                "accountId": account,
                "create": {"s": {"emailId": "#d", "identityId": jmap.identity()}},
                "onSuccessUpdateEmail": {
                    "#s": {
                        f"mailboxIds/{jmap.mailbox('drafts')}": None,
                        f"mailboxIds/{jmap.mailbox('sent')}": True,
                        "keywords/$draft": None,
                    }
                },
            },
            "1",
        ],
    )


def test_alice_sends_to_bob_and_bobs_reply_joins_her_thread(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice = Jmap(server.base_url, alice_token)
    bob = Jmap(server.base_url, bob_token)
    responses = _send(alice, _draft(alice, [{"name": BOB.name, "email": BOB.email}], "Avis"))
    assert [r[0] for r in responses] == ["Email/set", "EmailSubmission/set", "Email/set"]
    sent_id = responses[0][1]["created"]["d"]["id"]
    submission = responses[1][1]["created"]["s"]
    assert submission["undoStatus"] == "final"
    assert responses[2][1]["updated"] == {sent_id: None}  # the implicit Email/set
    [sent] = alice.call(
        "Email/get", ids=[sent_id], properties=["mailboxIds", "keywords", "messageId", "threadId"]
    )["list"]
    assert sent["mailboxIds"] == {alice.mailbox("sent"): True}
    assert sent["keywords"] == {"$seen": True}

    [bob_copy_id] = bob.call("Email/query", filter={"inMailbox": bob.mailbox("inbox")})["ids"]
    [bob_copy] = bob.call(
        "Email/get", ids=[bob_copy_id], properties=["subject", "keywords", "from", "messageId"]
    )["list"]
    assert bob_copy["subject"] == "Avis"
    assert bob_copy["keywords"] == {}
    assert bob_copy["from"][0]["email"] == ALICE.email
    assert bob_copy["messageId"] == sent["messageId"]

    reply = _draft(
        bob,
        [{"email": ALICE.email}],
        "Re: Avis",
        inReplyTo=sent["messageId"],
        references=sent["messageId"],
    )
    _send(bob, reply)
    inbox = alice.call("Email/query", filter={"inMailbox": alice.mailbox("inbox")})["ids"]
    [answer] = alice.call("Email/get", ids=inbox, properties=["threadId", "subject"])["list"]
    assert answer["subject"] == "Re: Avis"
    assert answer["threadId"] == sent["threadId"]
    [thread] = alice.call("Thread/get", ids=[sent["threadId"]])["list"]
    assert thread["emailIds"] == [sent_id, inbox[0]]
    got = alice.call("EmailSubmission/get", ids=[submission["id"]])["list"][0]
    assert got["emailId"] == sent_id
    assert got["envelope"]["rcptTo"] == [{"email": BOB.email, "parameters": None}]
    assert got["deliveryStatus"][BOB.email]["delivered"] == "yes"
    changes = alice.call("EmailSubmission/changes", sinceState="0")
    assert changes["created"] == [submission["id"]]


def test_recipients_outside_the_sandbox_are_recorded_for_the_sender_only(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice = Jmap(server.base_url, alice_token)
    responses = _send(
        alice,
        _draft(
            alice,
            [{"email": "correspondant@hopital.example"}, {"email": BOB.email}],
            "Lettre de liaison",
            bcc=[{"email": "archives@clinique.example"}],
        ),
    )
    assert responses[1][1]["created"]["s"]["id"]
    r = httpx.get(server.base_url + "/sandbox/sent-outside", headers=alice.headers)
    assert r.status_code == 200
    records = r.json()["list"]
    assert {x["recipient"] for x in records} == {
        "correspondant@hopital.example",
        "archives@clinique.example",
    }
    assert all(x["subject"] == "Lettre de liaison" for x in records)
    assert all(x["messageId"] for x in records)
    bob = Jmap(server.base_url, bob_token)
    assert httpx.get(server.base_url + "/sandbox/sent-outside", headers=bob.headers).json() == {
        "list": []
    }
    assert httpx.get(server.base_url + "/sandbox/sent-outside").status_code == 401
    # Bcc recipients are not revealed in the delivered copy.
    [copy_id] = bob.call("Email/query")["ids"]
    [copy] = bob.call("Email/get", ids=[copy_id], properties=["bcc"])["list"]
    assert copy["bcc"] is None


def test_submission_errors_and_on_success_destroy(server: ServerThread, alice_token: str) -> None:
    alice = Jmap(server.base_url, alice_token)
    created = alice.call("Email/set", create={"d": _draft(alice, [], "Sans destinataire")})
    draft_id = created["created"]["d"]["id"]
    [[name, result, _], [implicit, destroyed, _]] = alice.request(
        [
            "EmailSubmission/set",
            {
                "accountId": alice.account_id,
                "create": {
                    "none": {"emailId": draft_id, "identityId": alice.identity()},
                    "ghost": {"emailId": "Enope", "identityId": alice.identity()},
                    "who": {"emailId": draft_id, "identityId": "Inope"},
                    "env": {
                        "emailId": draft_id,
                        "identityId": alice.identity(),
                        "envelope": {
                            "mailFrom": {"email": ALICE.email},
                            "rcptTo": [{"email": BOB.email}],
                        },
                    },
                },
                "onSuccessDestroyEmail": ["#env"],
            },
            "0",
        ]
    )
    assert (name, implicit) == ("EmailSubmission/set", "Email/set")
    assert destroyed["destroyed"] == [draft_id]
    assert result["notCreated"]["none"]["type"] == "noRecipients"
    assert result["notCreated"]["ghost"]["properties"] == ["emailId"]
    assert result["notCreated"]["who"]["properties"] == ["identityId"]
    assert set(result["created"]) == {"env"}
    assert alice.call("Email/get", ids=[draft_id])["notFound"] == [draft_id]
    [[name, args, _]] = alice.request(
        ["EmailSubmission/set", {"accountId": alice.account_id, "create": [], "bogus": 1}, "0"]
    )
    assert (name, args["type"]) == ("error", "invalidArguments")


def _download(jmap: Jmap, blob_id: str) -> bytes:
    url = (
        jmap.session["downloadUrl"]
        .replace("{accountId}", jmap.account_id)
        .replace("{blobId}", blob_id)
        .replace("{name}", "message.eml")
        .replace("{type}", "message%2Frfc822")
    )
    answer = httpx.get(url, headers=jmap.headers)
    assert answer.status_code == 200, answer.text
    return answer.content


def test_a_message_forwarded_as_attachment_arrives_whole_and_unencoded(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    original = mixed_with_pdf()
    kept = server.sandbox.mail.import_message(alice.account_id, original)
    attached = {"blobId": kept.blob_id, "type": "message/rfc822", "name": "Compte rendu.eml"}
    _send(alice, _draft(alice, [{"email": BOB.email}], "TR: Compte rendu", attachments=[attached]))

    [got] = bob.call("Email/query", filter={"subject": "TR: Compte rendu"})["ids"]
    [email] = bob.call("Email/get", ids=[got], properties=["attachments", "blobId"])["list"]
    [part] = email["attachments"]
    assert (part["type"], part["name"]) == ("message/rfc822", "Compte rendu.eml")
    # RFC 2046 §5.2.1: no base64 around a message; its octets are the original's, lines in CRLF.
    sent = message_from_bytes(_download(bob, email["blobId"]))
    [wrapper] = [p for p in sent.walk() if p.get_content_type() == "message/rfc822"]
    assert wrapper["Content-Transfer-Encoding"] in ("7bit", "8bit")
    inner = _download(bob, part["blobId"])
    assert inner.replace(b"\r\n", b"\n") == original.replace(b"\r\n", b"\n")
