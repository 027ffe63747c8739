"""VacationResponse (RFC 8621 §8) and its auto-reply at delivery (RFC 3834's rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB
from tests.server.jmap_support import USING, Jmap, simple_message

VACATION = "urn:ietf:params:jmap:vacationresponse"
OUTSIDE = "Dr Claire Petit <claire.petit@hopital.example>"


@pytest.fixture
def alice(server: ServerThread, alice_token: str) -> Jmap:
    return Jmap(server.base_url, alice_token, using=[*USING, VACATION])


@pytest.fixture
def bob(server: ServerThread, bob_token: str) -> Jmap:
    return Jmap(server.base_url, bob_token, using=[*USING, VACATION])


def _utc(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _enable(jmap: Jmap, **props: Any) -> None:
    result = jmap.call("VacationResponse/set", update={"singleton": {"isEnabled": True, **props}})
    assert result["updated"] == {"singleton": None}


def _replies_from(server: ServerThread, account_id: str) -> list[dict[str, Any]]:
    return server.sandbox.mail.sent_outside(account_id)


def _deliver(server: ServerThread, sender: str = OUTSIDE, **headers: str) -> None:
    raw = simple_message(subject="Demande d'avis", sender=sender, message_id=None)
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode()
    server.sandbox.mail.deliver(extra + raw, [ALICE.email])


def test_session_advertises_the_capability_for_the_account(alice: Jmap) -> None:
    assert VACATION in alice.session["capabilities"]
    assert alice.session["primaryAccounts"][VACATION] == alice.account_id
    account = alice.session["accounts"][alice.account_id]
    assert VACATION in account["accountCapabilities"]


def test_get_returns_the_singleton_disabled_by_default(alice: Jmap) -> None:
    result = alice.call("VacationResponse/get")
    assert result["list"] == [
        {
            "id": "singleton",
            "isEnabled": False,
            "fromDate": None,
            "toDate": None,
            "subject": None,
            "textBody": None,
            "htmlBody": None,
        }
    ]
    other = alice.call("VacationResponse/get", ids=["singleton", "autre"], properties=["subject"])
    assert other["list"] == [{"id": "singleton", "subject": None}]
    assert other["notFound"] == ["autre"]


def test_methods_need_the_capability_in_using(alice: Jmap) -> None:
    [[name, error, _]] = alice.request(
        ["VacationResponse/get", {"accountId": alice.account_id}, "0"]
    )
    assert (name, error["type"]) == ("error", "unknownMethod")


def test_set_cannot_create_or_destroy_and_checks_properties(alice: Jmap) -> None:
    state = alice.call("VacationResponse/get")["state"]
    result = alice.call(
        "VacationResponse/set",
        create={"c": {"isEnabled": True}},
        destroy=["singleton"],
        update={
            "autre": {"isEnabled": True},
            "singleton": {"isEnabled": "oui", "fromDate": "2026-01-01", "bogus": 1},
        },
    )
    assert result["notCreated"]["c"]["type"] == "singleton"
    assert result["notDestroyed"]["singleton"]["type"] == "singleton"
    assert result["notUpdated"]["autre"] == {"type": "notFound"}
    assert result["notUpdated"]["singleton"]["type"] == "invalidProperties"
    assert sorted(result["notUpdated"]["singleton"]["properties"]) == [
        "bogus",
        "fromDate",
        "isEnabled",
    ]
    assert result["newState"] == state


def test_update_is_kept_and_changes_the_state(alice: Jmap) -> None:
    old = alice.call("VacationResponse/get")["state"]
    [[name, error, _]] = alice.request(
        ["VacationResponse/set", {"accountId": alice.account_id, "ifInState": "x"}, "0"],
        using=[*USING, VACATION],
    )
    assert (name, error["type"]) == ("error", "stateMismatch")
    result = alice.call(
        "VacationResponse/set",
        ifInState=old,
        update={
            "singleton": {
                "isEnabled": True,
                "fromDate": "2026-07-01T00:00:00Z",
                "toDate": "2026-07-15T00:00:00Z",
                "subject": "Absente",
                "textBody": "De retour le 15 juillet.",
            }
        },
    )
    assert result["oldState"] == old
    [got] = alice.call("VacationResponse/get")["list"]
    assert got["isEnabled"] is True
    assert got["toDate"] == "2026-07-15T00:00:00Z"
    assert got["textBody"] == "De retour le 15 juillet."
    assert alice.call("VacationResponse/get")["state"] == result["newState"] != old


def test_auto_reply_once_per_sender_threaded_and_marked(
    server: ServerThread, alice: Jmap, bob: Jmap
) -> None:
    _enable(alice, subject="Absente jusqu'au 15", textBody="Je suis en congés.")
    raw = simple_message(subject="Avis", sender=f"{BOB.name} <{BOB.email}>", message_id="avis-1@x")
    server.sandbox.mail.deliver(raw, [ALICE.email], sender_account_id=bob.account_id)
    server.sandbox.mail.deliver(
        simple_message(sender=BOB.email, message_id="avis-2@x"), [ALICE.email]
    )
    ids = bob.call("Email/query", filter={"inMailbox": bob.mailbox("inbox")})["ids"]
    assert len(ids) == 1  # one reply for two messages from the same sender
    [reply] = bob.call(
        "Email/get",
        ids=ids,
        properties=[
            "subject",
            "from",
            "inReplyTo",
            "references",
            "header:Auto-Submitted:asText",
        ],
        fetchTextBodyValues=True,
    )["list"]
    assert reply["subject"] == "Absente jusqu'au 15"
    assert reply["from"][0]["email"] == ALICE.email
    assert reply["inReplyTo"] == ["avis-1@x"]
    assert reply["references"] == ["avis-1@x"]
    assert reply["header:Auto-Submitted:asText"] == "auto-replied"


def test_a_new_setting_starts_a_new_period(server: ServerThread, alice: Jmap) -> None:
    _enable(alice)
    _deliver(server)
    _deliver(server)
    assert len(_replies_from(server, alice.account_id)) == 1
    _enable(alice, subject="Toujours absente")
    _deliver(server)
    replies = _replies_from(server, alice.account_id)
    assert [r["subject"] for r in replies][1:] == ["Toujours absente"]
    assert replies[0]["subject"] == "Auto: Demande d'avis"  # no subject set: RFC 3834 §3.1.5
    assert replies[0]["recipient"] == "claire.petit@hopital.example"


@pytest.mark.parametrize(
    ("sender", "headers"),
    [
        (OUTSIDE, {"Auto-Submitted": "auto-generated"}),
        (OUTSIDE, {"Auto-Submitted": "auto-replied"}),
        (OUTSIDE, {"List-Id": "<cardio.liste.example>"}),
        (OUTSIDE, {"List-Unsubscribe": "<mailto:leave@liste.example>"}),
        (OUTSIDE, {"Precedence": "bulk"}),
        ("MAILER-DAEMON@hopital.example", {}),
        ("postmaster@hopital.example", {}),
        ("cardio-request@liste.example", {}),
        (ALICE.email, {}),
    ],
)
def test_no_reply_to_automatic_mail_lists_or_system_senders(
    server: ServerThread, alice: Jmap, sender: str, headers: dict[str, str]
) -> None:
    _enable(alice)
    _deliver(server, sender, **headers)
    _deliver(server, OUTSIDE)  # the control: a person gets a reply
    assert [r["recipient"] for r in _replies_from(server, alice.account_id)] == [
        "claire.petit@hopital.example"
    ]


def test_return_path_is_preferred_to_from(server: ServerThread, alice: Jmap) -> None:
    _enable(alice)
    _deliver(server, OUTSIDE, **{"Return-Path": "<rebond@hopital.example>"})
    [reply] = _replies_from(server, alice.account_id)
    assert reply["recipient"] == "rebond@hopital.example"


@pytest.mark.parametrize(
    "period",
    [
        {"fromDate": _utc(timedelta(days=1))},
        {"toDate": _utc(timedelta(days=-1))},
        {"isEnabled": False},
    ],
)
def test_no_reply_outside_the_period_or_when_disabled(
    server: ServerThread, alice: Jmap, period: dict[str, Any]
) -> None:
    _enable(alice, **period)
    _deliver(server)
    assert _replies_from(server, alice.account_id) == []
    _enable(alice, fromDate=_utc(timedelta(days=-1)), toDate=_utc(timedelta(days=1)))
    _deliver(server)
    assert len(_replies_from(server, alice.account_id)) == 1


def test_two_absent_users_do_not_answer_each_other_forever(
    server: ServerThread, alice: Jmap, bob: Jmap
) -> None:
    _enable(alice)
    _enable(bob)
    raw = simple_message(sender=BOB.email, message_id="ping@x")
    server.sandbox.mail.deliver(raw, [ALICE.email], sender_account_id=bob.account_id)
    # Alice's reply reached Bob; Bob's vacation did not answer it (Auto-Submitted: auto-replied).
    assert len(bob.call("Email/query", filter={"inMailbox": bob.mailbox("inbox")})["ids"]) == 1
    assert len(alice.call("Email/query", filter={"inMailbox": alice.mailbox("inbox")})["ids"]) == 1
