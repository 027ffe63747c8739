"""Email/queryChanges and Mailbox/queryChanges (RFC 8620 §5.6), against a running sandbox.

The client's rule: apply `removed`, then insert `added` in index order, and it has the new results.
"""

from __future__ import annotations

from typing import Any

from server.testing import ServerThread
from tests.server.jmap_support import Jmap, import_message, simple_message


def _apply(old: list[str], changes: dict[str, Any]) -> list[str]:
    """RFC 8620 §5.6's client algorithm."""
    removed = set(changes["removed"])
    ids = [i for i in old if i not in removed]
    for added in sorted(changes["added"], key=lambda a: a["index"]):
        ids.insert(added["index"], added["id"])
    return ids


def test_email_query_changes_bring_a_client_to_the_new_results(
    server: ServerThread, alice: Jmap
) -> None:
    inbox = alice.mailbox("inbox")
    first = import_message(server, alice, simple_message(subject="b", message_id="1@x"))
    second = import_message(server, alice, simple_message(subject="d", message_id="2@x"))
    gone = import_message(server, alice, simple_message(subject="c", message_id="3@x"))
    query = {"filter": {"inMailbox": inbox}, "sort": [{"property": "subject"}]}
    before = alice.call("Email/query", **query)
    assert before["canCalculateChanges"] is True
    assert before["ids"] == [first, gone, second]
    new = import_message(server, alice, simple_message(subject="a", message_id="4@x"))
    alice.call("Email/set", destroy=[gone])
    alice.call("Email/set", update={second: {"keywords/$seen": True}})
    changes = alice.call(
        "Email/queryChanges", sinceQueryState=before["queryState"], calculateTotal=True, **query
    )
    after = alice.call("Email/query", **query)
    assert changes["oldQueryState"] == before["queryState"]
    assert changes["newQueryState"] == after["queryState"]
    assert gone in changes["removed"]
    assert {"id": new, "index": 0} in changes["added"]
    assert changes["total"] == 3
    assert _apply(before["ids"], changes) == after["ids"] == [new, first, second]
    # Nothing changed since: nothing to apply.
    same = alice.call("Email/queryChanges", sinceQueryState=after["queryState"], **query)
    assert (same["removed"], same["added"]) == ([], [])


def test_an_email_leaving_the_filter_is_removed(server: ServerThread, alice: Jmap) -> None:
    inbox, trash = alice.mailbox("inbox"), alice.mailbox("trash")
    email = import_message(server, alice, simple_message(message_id="m@x"))
    query = {"filter": {"inMailbox": inbox}}
    before = alice.call("Email/query", **query)
    alice.call("Email/set", update={email: {"mailboxIds": {trash: True}}})
    changes = alice.call("Email/queryChanges", sinceQueryState=before["queryState"], **query)
    assert changes["removed"] == [email]
    assert changes["added"] == []


def test_email_query_changes_errors(server: ServerThread, alice: Jmap) -> None:
    state = alice.call("Email/query")["queryState"]
    for i in range(3):
        import_message(server, alice, simple_message(message_id=f"{i}@many"))
    error = alice.error("Email/queryChanges", sinceQueryState=state, maxChanges=2)
    assert error["type"] == "tooManyChanges"
    assert alice.error("Email/queryChanges", sinceQueryState="999999")["type"] == (
        "cannotCalculateChanges"
    )
    assert alice.error("Email/queryChanges", sinceQueryState="not-a-state")["type"] == (
        "cannotCalculateChanges"
    )
    assert alice.error("Email/queryChanges")["type"] == "invalidArguments"
    assert alice.error("Email/queryChanges", sinceQueryState=state, maxChanges=0)["type"] == (
        "invalidArguments"
    )
    assert alice.error("Email/queryChanges", sinceQueryState=state, bogus=1)["type"] == (
        "invalidArguments"
    )
    # Results that depend on other emails of the thread cannot be bridged.
    collapsed = alice.call("Email/query", collapseThreads=True)
    assert collapsed["canCalculateChanges"] is False
    error = alice.error("Email/queryChanges", sinceQueryState=state, collapseThreads=True)
    assert error["type"] == "cannotCalculateChanges"
    thread_filter = {"someInThreadHaveKeyword": "$flagged"}
    error = alice.error("Email/queryChanges", sinceQueryState=state, filter=thread_filter)
    assert error["type"] == "cannotCalculateChanges"


def test_mailbox_query_changes(alice: Jmap) -> None:
    query = {"sort": [{"property": "name"}], "filter": {"parentId": None}}
    before = alice.call("Mailbox/query", **query)
    assert before["canCalculateChanges"] is True
    created = alice.call("Mailbox/set", create={"a": {"name": "Aaa"}})["created"]["a"]["id"]
    changes = alice.call("Mailbox/queryChanges", sinceQueryState=before["queryState"], **query)
    after = alice.call("Mailbox/query", **query)
    assert changes["added"] == [{"id": created, "index": 0}]
    assert changes["newQueryState"] == after["queryState"]
    assert _apply(before["ids"], changes) == after["ids"]
    alice.call("Mailbox/set", destroy=[created])
    changes = alice.call("Mailbox/queryChanges", sinceQueryState=after["queryState"], **query)
    assert changes["removed"] == [created]
    assert _apply(after["ids"], changes) == before["ids"]
    tree = alice.call("Mailbox/query", sortAsTree=True)
    assert tree["canCalculateChanges"] is False
    error = alice.error("Mailbox/queryChanges", sinceQueryState="0", sortAsTree=True)
    assert error["type"] == "cannotCalculateChanges"
    error = alice.error("Mailbox/queryChanges", sinceQueryState="99999")
    assert error["type"] == "cannotCalculateChanges"
