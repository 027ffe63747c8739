"""Delayed sending: FUTURERELEASE (RFC 4865) holds on EmailSubmission/set, undo while pending
(RFC 8621 §7.5), the release thread, and a sandbox restarted with a submission still held."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, ServerFactory, get_token
from tests.server.jmap_support import Jmap

FUTURERELEASE = "FUTURERELEASE"


def _draft(jmap: Jmap, subject: str) -> dict[str, Any]:
    return {
        "mailboxIds": {jmap.mailbox("drafts"): True},
        "keywords": {"$draft": True, "$seen": True},
        "from": [{"email": ALICE.email}],
        "to": [{"email": BOB.email}],
        "subject": subject,
        "textBody": [{"partId": "1", "type": "text/plain"}],
        "bodyValues": {"1": {"value": "Bonjour."}},
    }


def _envelope(**parameters: str) -> dict[str, Any]:
    return {
        "mailFrom": {"email": ALICE.email, "parameters": parameters or None},
        "rcptTo": [{"email": BOB.email, "parameters": None}],
    }


def _submit(jmap: Jmap, subject: str, envelope: dict[str, Any], **extra: Any) -> list[list[Any]]:
    account = jmap.account_id
    return jmap.request(
        ["Email/set", {"accountId": account, "create": {"d": _draft(jmap, subject)}}, "0"],
        [
            "EmailSubmission/set",
            {
                "accountId": account,
                "create": {
                    "s": {"emailId": "#d", "identityId": jmap.identity(), "envelope": envelope}
                },
                **extra,
            },
            "1",
        ],
    )


def _inbox_subjects(jmap: Jmap) -> list[str]:
    ids = jmap.call("Email/query", filter={"inMailbox": jmap.mailbox("inbox")})["ids"]
    return [e["subject"] for e in jmap.call("Email/get", ids=ids, properties=["subject"])["list"]]


def _wait_for(check: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.1)


def _epoch(utc_date: str) -> int:
    return int(datetime.fromisoformat(utc_date.replace("Z", "+00:00")).timestamp())


def _submission(jmap: Jmap, submission_id: str) -> dict[str, Any]:
    [got] = jmap.call("EmailSubmission/get", ids=[submission_id])["list"]
    return dict(got)


def test_the_session_lists_futurerelease_with_its_limits(
    server: ServerThread, alice_token: str
) -> None:
    jmap = Jmap(server.base_url, alice_token)
    block = jmap.session["accounts"][jmap.account_id]["accountCapabilities"][
        "urn:ietf:params:jmap:submission"
    ]
    assert block["maxDelayedSend"] == 86400
    interval, latest = block["submissionExtensions"][FUTURERELEASE]
    assert interval == "86400"
    latest_at = datetime.fromisoformat(latest.replace("Z", "+00:00"))
    assert abs((latest_at - datetime.now(UTC)).total_seconds() - 86400) < 120
    # The state does not move with FUTURERELEASE's date.
    again = httpx.get(server.base_url + "/.well-known/jmap", headers=jmap.headers).json()
    assert again["state"] == jmap.session["state"]


def test_holdfor_holds_then_delivers_and_reports_the_transitions(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    state = alice.state("EmailSubmission")
    before = time.time()
    responses = _submit(
        alice,
        "Plus tard",
        _envelope(HOLDFOR="1"),
        onSuccessUpdateEmail={
            "#s": {
                f"mailboxIds/{alice.mailbox('drafts')}": None,
                f"mailboxIds/{alice.mailbox('sent')}": True,
                "keywords/$draft": None,
            }
        },
    )
    created = responses[1][1]["created"]["s"]
    assert created["undoStatus"] == "pending"
    assert created["deliveryStatus"][BOB.email]["delivered"] == "queued"
    send_at = datetime.fromisoformat(created["sendAt"].replace("Z", "+00:00")).timestamp()
    assert before < send_at <= before + 3
    # The onSuccess action applies at creation (RFC 8621 §7.5), not at release.
    assert [r[0] for r in responses] == ["Email/set", "EmailSubmission/set", "Email/set"]
    sent_id = responses[0][1]["created"]["d"]["id"]
    [sent] = alice.call("Email/get", ids=[sent_id], properties=["mailboxIds"])["list"]
    assert sent["mailboxIds"] == {alice.mailbox("sent"): True}
    pending = alice.call("EmailSubmission/query", filter={"undoStatus": "pending"})["ids"]
    assert pending == [created["id"]]
    got = _submission(alice, created["id"])
    assert got["envelope"]["mailFrom"]["parameters"] == {"HOLDFOR": "1"}

    _wait_for(lambda: _submission(alice, created["id"])["undoStatus"] == "final")
    assert _inbox_subjects(bob) == ["Plus tard"]
    final = _submission(alice, created["id"])
    assert final["deliveryStatus"][BOB.email]["delivered"] == "yes"
    assert alice.call("EmailSubmission/query", filter={"undoStatus": "pending"})["ids"] == []
    changes = alice.call("EmailSubmission/changes", sinceState=state)
    assert changes["created"] == [created["id"]]
    # Too late to take it back.
    update = alice.call("EmailSubmission/set", update={created["id"]: {"undoStatus": "canceled"}})
    assert update["notUpdated"][created["id"]]["type"] == "cannotUnsend"


def test_the_release_is_a_change_the_client_sees(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    created = _submit(alice, "Suivi", _envelope(HOLDFOR="1"))[1][1]["created"]["s"]
    state = alice.state("EmailSubmission")
    bob_state = bob.state("Email")
    _wait_for(lambda: _submission(alice, created["id"])["undoStatus"] == "final")
    changes = alice.call("EmailSubmission/changes", sinceState=state)
    assert changes["updated"] == [created["id"]]
    assert len(bob.call("Email/changes", sinceState=bob_state)["created"]) == 1


def test_canceled_before_release_is_never_delivered(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    created = _submit(alice, "Annulé", _envelope(HOLDFOR="4"))[1][1]["created"]["s"]
    state = alice.state("EmailSubmission")
    # The undo puts the message back among the drafts (onSuccessUpdateEmail of an update).
    [[_, done, _], [implicit, email_set, _]] = alice.request(
        [
            "EmailSubmission/set",
            {
                "accountId": alice.account_id,
                "update": {created["id"]: {"undoStatus": "canceled"}},
                "onSuccessUpdateEmail": {created["id"]: {"keywords/$draft": True}},
            },
            "0",
        ]
    )
    assert done["updated"] == {created["id"]: None}
    assert implicit == "Email/set"
    assert list(email_set["updated"]) == [_submission(alice, created["id"])["emailId"]]
    got = _submission(alice, created["id"])
    assert got["undoStatus"] == "canceled"
    assert got["deliveryStatus"][BOB.email]["delivered"] == "no"
    assert alice.call("EmailSubmission/changes", sinceState=state)["updated"] == [created["id"]]
    query = alice.call("EmailSubmission/query", filter={"undoStatus": "canceled"})
    assert query["ids"] == [created["id"]]
    # Well past the release time: nothing came.
    release = datetime.fromisoformat(created["sendAt"].replace("Z", "+00:00")).timestamp()
    while time.time() < release + 1.5:
        time.sleep(0.2)
    assert _inbox_subjects(bob) == []
    assert server.sandbox.delayed_sends.release_due() is None  # nothing left to send


def test_only_a_cancel_may_be_patched(server: ServerThread, alice_token: str) -> None:
    alice = Jmap(server.base_url, alice_token)
    _submission_id = _submit(alice, "x", _envelope(HOLDFOR="600"))[1][1]["created"]["s"]["id"]
    for patch in ({"undoStatus": "final"}, {"envelope": None}, {}, "canceled"):
        result = alice.call("EmailSubmission/set", update={_submission_id: patch})
        assert result["notUpdated"][_submission_id]["type"] == "invalidProperties", patch
    assert _submission(alice, _submission_id)["undoStatus"] == "pending"
    missing = alice.call("EmailSubmission/set", update={"Snope": {"undoStatus": "canceled"}})
    assert missing["notUpdated"]["Snope"]["type"] == "notFound"


def test_destroying_a_pending_record_does_not_cancel_its_delivery(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    """RFC 8621 §7.5: destroying an EmailSubmission "MUST NOT affect the deliveries it
    represents"; nor does destroying the Email (onSuccessDestroyEmail) change what is sent."""
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    responses = _submit(alice, "Quand même", _envelope(HOLDFOR="1"), onSuccessDestroyEmail=["#s"])
    submission_id = responses[1][1]["created"]["s"]["id"]
    assert responses[2][1]["destroyed"] == [responses[0][1]["created"]["d"]["id"]]
    destroyed = alice.call("EmailSubmission/set", destroy=[submission_id])
    assert destroyed["destroyed"] == [submission_id]
    _wait_for(lambda: _inbox_subjects(bob) == ["Quand même"])
    assert alice.call("EmailSubmission/get", ids=[submission_id])["notFound"] == [submission_id]


def test_bad_hold_values_are_refused_with_a_reason(server: ServerThread, alice_token: str) -> None:
    alice = Jmap(server.base_url, alice_token)
    far = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    soon = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for parameters in (
        {"HOLDFOR": "-1"},
        {"HOLDFOR": "1.5"},
        {"HOLDFOR": "1234567890"},
        {"HOLDFOR": ""},
        {"HOLDFOR": "86401"},
        {"holduntil": "demain"},
        {"HOLDUNTIL": "2026-13-45T10:00:00Z"},
        {"HOLDUNTIL": "2026-12-07T10:00:00"},  # no offset: not RFC 3339
        {"HOLDUNTIL": far},
        {"HOLDFOR": "10", "HOLDUNTIL": soon},
        {"HOLDFOR": "10", "holdfor": "20"},
    ):
        responses = _submit(alice, "Refusé", _envelope(**parameters))
        error = responses[1][1]["notCreated"]["s"]
        assert error["type"] == "invalidProperties", parameters
        assert error["properties"] == ["envelope"]
        assert error["description"], parameters
    assert alice.call("EmailSubmission/query")["ids"] == []
    ok = _submit(alice, "Dans une heure", _envelope(HOLDUNTIL=soon.replace("Z", "+00:00")))
    created = ok[1][1]["created"]["s"]
    assert created["undoStatus"] == "pending"
    assert created["sendAt"] == soon


def test_a_hold_in_the_past_sends_at_once(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice, bob = Jmap(server.base_url, alice_token), Jmap(server.base_url, bob_token)
    past = (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    created = _submit(alice, "Déjà", _envelope(HOLDUNTIL=past))[1][1]["created"]["s"]
    assert created["undoStatus"] == "final"
    assert _inbox_subjects(bob) == ["Déjà"]
    created = _submit(alice, "Tout de suite", _envelope(HOLDFOR="0"))[1][1]["created"]["s"]
    assert created["undoStatus"] == "final"
    assert sorted(_inbox_subjects(bob)) == ["Déjà", "Tout de suite"]


def test_delayed_send_off(server_factory: ServerFactory) -> None:
    server = server_factory(max_delayed_send=0)
    alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
    block = alice.session["accounts"][alice.account_id]["accountCapabilities"][
        "urn:ietf:params:jmap:submission"
    ]
    assert block["maxDelayedSend"] == 0
    assert FUTURERELEASE not in block["submissionExtensions"]
    error = _submit(alice, "Non", _envelope(HOLDFOR="1"))[1][1]["notCreated"]["s"]
    assert error["type"] == "invalidProperties"
    assert "FUTURERELEASE" in error["description"]


def test_a_restarted_sandbox_delivers_what_came_due_while_it_was_down(
    server_factory: ServerFactory,
) -> None:
    first = server_factory()
    alice = Jmap(first.base_url, get_token(first.base_url, ALICE))
    created = _submit(alice, "Après la panne", _envelope(HOLDFOR="4"))[1][1]["created"]["s"]
    data_dir = first.config.data_dir
    first.stop()
    # Stopped before the release: the hold is still in the database.
    with sqlite3.connect(data_dir / "sandbox.sqlite3") as db:
        held = db.execute("SELECT release_at FROM held_sends").fetchall()
    assert held == [(_epoch(created["sendAt"]),)]
    while time.time() < held[0][0] + 0.5:  # the release time passes while nothing runs
        time.sleep(0.2)
    second = server_factory(data_dir=data_dir, users=())
    alice = Jmap(second.base_url, get_token(second.base_url, ALICE))
    bob = Jmap(second.base_url, get_token(second.base_url, BOB))
    _wait_for(lambda: _inbox_subjects(bob) == ["Après la panne"])
    assert _submission(alice, created["id"])["undoStatus"] == "final"


def test_the_release_is_pushed(server: ServerThread, alice_token: str) -> None:
    alice = Jmap(server.base_url, alice_token)
    created = _submit(alice, "Poussé", _envelope(HOLDFOR="2"))[1][1]["created"]["s"]
    url = server.base_url + "/jmap/eventsource?types=EmailSubmission&closeafter=state&ping=0"
    events: list[str] = []

    def listen() -> None:
        with httpx.stream("GET", url, headers=alice.headers, timeout=20) as r:
            events.extend(line for line in r.iter_lines() if line.startswith("data:"))

    reader = threading.Thread(target=listen)
    reader.start()
    _wait_for(lambda: server.sandbox.broker.listener_count(alice.account_id) > 0)
    reader.join(timeout=20)
    assert len(events) == 1
    changed = json.loads(events[0].split(":", 1)[1])["changed"][alice.account_id]
    assert changed == {"EmailSubmission": alice.state("EmailSubmission")}
    assert _submission(alice, created["id"])["undoStatus"] == "final"
