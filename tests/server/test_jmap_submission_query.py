"""EmailSubmission/query, /queryChanges (RFC 8621 §7.3-7.4) and /set update (§7.5)."""

from __future__ import annotations

from typing import Any

from server.testing import ServerThread
from tests.server.conftest import BOB
from tests.server.jmap_support import Jmap
from tests.server.test_jmap_submission import _draft, _send


def _sent(alice: Jmap, subject: str) -> dict[str, Any]:
    responses = _send(alice, _draft(alice, [{"name": BOB.name, "email": BOB.email}], subject))
    created: dict[str, Any] = responses[1][1]["created"]["s"]
    return {**created, "emailId": responses[0][1]["created"]["d"]["id"]}


def test_submissions_are_queried_filtered_and_sorted(
    server: ServerThread, alice_token: str
) -> None:
    alice = Jmap(server.base_url, alice_token)
    first = _sent(alice, "Un")
    second = _sent(alice, "Deux")
    everything = alice.call("EmailSubmission/query", calculateTotal=True)
    assert everything["total"] == 2
    assert set(everything["ids"]) == {first["id"], second["id"]}
    assert everything["canCalculateChanges"] is True
    by_email = alice.call("EmailSubmission/query", filter={"emailIds": [second["emailId"]]})
    assert by_email["ids"] == [second["id"]]
    by_identity = alice.call("EmailSubmission/query", filter={"identityIds": [alice.identity()]})
    assert len(by_identity["ids"]) == 2
    assert alice.call("EmailSubmission/query", filter={"undoStatus": "pending"})["ids"] == []
    assert len(alice.call("EmailSubmission/query", filter={"undoStatus": "final"})["ids"]) == 2
    later = alice.call("EmailSubmission/query", filter={"after": "2999-01-01T00:00:00Z"})
    assert later["ids"] == []
    by_email_desc = alice.call(
        "EmailSubmission/query", sort=[{"property": "emailId", "isAscending": False}]
    )["ids"]
    expected = [s["id"] for s in sorted((first, second), key=lambda s: s["emailId"])][::-1]
    assert by_email_desc == expected
    assert alice.error("EmailSubmission/query", sort=[{"property": "subject"}])["type"] == (
        "unsupportedSort"
    )
    assert alice.error("EmailSubmission/query", filter={"subject": "x"})["type"] == (
        "unsupportedFilter"
    )
    assert alice.error("EmailSubmission/query", filter={"undoStatus": "done"})["type"] == (
        "invalidArguments"
    )
    assert alice.error("EmailSubmission/query", anchor="Snope")["type"] == "anchorNotFound"


def test_submission_query_changes(server: ServerThread, alice_token: str) -> None:
    alice = Jmap(server.base_url, alice_token)
    first = _sent(alice, "Un")
    before = alice.call("EmailSubmission/query")
    second = _sent(alice, "Deux")
    alice.call("EmailSubmission/set", destroy=[first["id"]])
    changes = alice.call("EmailSubmission/queryChanges", sinceQueryState=before["queryState"])
    after = alice.call("EmailSubmission/query")
    assert changes["newQueryState"] == after["queryState"]
    assert changes["removed"] == [first["id"]]
    assert changes["added"] == [{"id": second["id"], "index": 0}]
    assert after["ids"] == [second["id"]]
    error = alice.error(
        "EmailSubmission/queryChanges", sinceQueryState=before["queryState"], maxChanges=1
    )
    assert error["type"] == "tooManyChanges"
    error = alice.error("EmailSubmission/queryChanges", sinceQueryState="424242")
    assert error["type"] == "cannotCalculateChanges"


def test_a_sent_submission_cannot_be_unsent_and_only_undo_status_may_change(
    server: ServerThread, alice_token: str
) -> None:
    alice = Jmap(server.base_url, alice_token)
    sent = _sent(alice, "Un")
    result = alice.call(
        "EmailSubmission/set",
        update={
            sent["id"]: {"undoStatus": "canceled"},
            "Snope": {"undoStatus": "canceled"},
        },
    )
    assert result["notUpdated"][sent["id"]]["type"] == "cannotUnsend"
    assert result["notUpdated"]["Snope"]["type"] == "notFound"
    result = alice.call("EmailSubmission/set", update={sent["id"]: {"emailId": "Eautre"}})
    assert result["notUpdated"][sent["id"]] == {
        "type": "invalidProperties",
        "properties": ["emailId"],
    }
    result = alice.call("EmailSubmission/set", update={sent["id"]: {"undoStatus": "final"}})
    assert result["notUpdated"][sent["id"]]["type"] == "invalidProperties"
    [submission] = alice.call("EmailSubmission/get", ids=[sent["id"]])["list"]
    assert submission["undoStatus"] == "final"
    assert alice.call("EmailSubmission/set", destroy=[sent["id"]])["destroyed"] == [sent["id"]]
    assert alice.call("EmailSubmission/get", ids=[sent["id"]])["notFound"] == [sent["id"]]
