"""Where a real JMAP server (Cyrus IMAP, tests/interop) refuses what the RFCs let it refuse, the
sandbox refuses it too: clients tested here cannot come to rely on leniency."""

from __future__ import annotations

from server.testing import ServerThread
from tests.server.conftest import BOB
from tests.server.jmap_support import CORE, MAIL, SUBMISSION, Jmap


def test_thread_get_needs_ids(server: ServerThread, alice_token: str) -> None:
    alice = Jmap(server.base_url, alice_token)
    [[name, args, _]] = alice.request(["Thread/get", {"accountId": alice.account_id}, "0"])
    assert (name, args["type"]) == ("error", "requestTooLarge")
    [[name, args, _]] = alice.request(
        ["Thread/get", {"accountId": alice.account_id, "ids": []}, "0"]
    )
    assert (name, args["list"]) == ("Thread/get", [])


def _submit(alice: Jmap, using: list[str]) -> list[list[object]]:
    drafts, sent = alice.mailbox("drafts"), alice.mailbox("sent")
    [created] = alice.request(
        [
            "Email/set",
            {
                "accountId": alice.account_id,
                "create": {
                    "d": {
                        "mailboxIds": {drafts: True},
                        "keywords": {"$draft": True},
                        "to": [{"email": BOB.email}],
                        "subject": "Avis",
                        "textBody": [{"partId": "1", "type": "text/plain"}],
                        "bodyValues": {"1": {"value": "Bonjour."}},
                    }
                },
            },
            "0",
        ]
    )
    email_id = created[1]["created"]["d"]["id"]  # type: ignore[index]
    return alice.request(
        [
            "EmailSubmission/set",
            {
                "accountId": alice.account_id,
                "create": {"s": {"emailId": email_id, "identityId": alice.identity()}},
                "onSuccessUpdateEmail": {
                    "#s": {f"mailboxIds/{drafts}": None, f"mailboxIds/{sent}": True}
                },
            },
            "1",
        ],
        using=using,
    )


def test_on_success_update_email_needs_the_mail_capability(
    server: ServerThread, alice_token: str
) -> None:
    alice = Jmap(server.base_url, alice_token)
    [[name, args, _]] = _submit(alice, [CORE, SUBMISSION])
    assert name == "error"
    assert args["type"] == "invalidArguments"  # type: ignore[index]
    assert args["arguments"] == ["onSuccessUpdateEmail"]  # type: ignore[index]
    # Nothing was sent: the draft is still a draft, and bob has nothing.
    assert alice.call("Email/query", filter={"inMailbox": alice.mailbox("sent")})["ids"] == []
    responses = _submit(alice, [CORE, MAIL, SUBMISSION])
    assert [r[0] for r in responses] == ["EmailSubmission/set", "Email/set"]
