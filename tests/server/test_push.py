"""EventSource push (RFC 8620 §7.3): a StateChange arrives after a change."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx

from server.testing import ServerThread


def _session(base_url: str, token: str) -> dict[str, Any]:
    r = httpx.get(base_url + "/.well-known/jmap", headers={"Authorization": f"Bearer {token}"})
    session: dict[str, Any] = r.json()
    return session


def _events(url: str, token: str, stop_after: int, timeout: float = 10) -> list[tuple[str, str]]:
    """Reads (event, data) pairs until `stop_after` events or the stream ends."""
    out: list[tuple[str, str]] = []
    event = ""
    with httpx.stream(
        "GET", url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                out.append((event, line.split(":", 1)[1].strip()))
                if len(out) >= stop_after:
                    break
    return out


def _set_seen(base_url: str, session: dict[str, Any], token: str) -> None:
    """A change: create a draft through JMAP (anything recorded in the change log will do)."""
    account_id = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    mailboxes = httpx.post(
        session["apiUrl"],
        headers={"Authorization": f"Bearer {token}"},
        json={
            "using": ["urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail"],
            "methodCalls": [
                ["Mailbox/query", {"accountId": account_id, "filter": {"role": "drafts"}}, "0"]
            ],
        },
    ).json()
    drafts = mailboxes["methodResponses"][0][1]["ids"][0]
    r = httpx.post(
        session["apiUrl"],
        headers={"Authorization": f"Bearer {token}"},
        json={
            "using": ["urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail"],
            "methodCalls": [
                [
                    "Email/set",
                    {
                        "accountId": account_id,
                        "create": {
                            "k1": {
                                "mailboxIds": {drafts: True},
                                "keywords": {"$draft": True},
                                "subject": "push test",
                                "textBody": [{"partId": "1", "type": "text/plain"}],
                                "bodyValues": {"1": {"value": "bonjour"}},
                            }
                        },
                    },
                    "0",
                ]
            ],
        },
    )
    assert "created" in r.json()["methodResponses"][0][1], r.text


def test_state_change_is_pushed_after_a_change(server: ServerThread, alice_token: str) -> None:
    session = _session(server.base_url, alice_token)
    url = (
        session["eventSourceUrl"]
        .replace("{types}", "*")
        .replace("{closeafter}", "state")
        .replace("{ping}", "0")
    )
    result: list[list[tuple[str, str]]] = []
    reader = threading.Thread(target=lambda: result.append(_events(url, alice_token, 1)))
    reader.start()
    deadline = time.monotonic() + 5
    while (
        server.sandbox.broker.listener_count(
            session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
        )
        == 0
    ):
        assert time.monotonic() < deadline, "the push connection never subscribed"
        time.sleep(0.02)
    _set_seen(server.base_url, session, alice_token)
    reader.join(timeout=10)
    assert result, "no push event arrived"
    event, data = result[0][0]
    assert event == "state"
    change = json.loads(data)
    assert change["@type"] == "StateChange"
    changed = change["changed"][session["primaryAccounts"]["urn:ietf:params:jmap:mail"]]
    assert "Email" in changed


def test_ping_and_initial_state_on_a_long_lived_connection(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    session = _session(server.base_url, alice_token)
    url = (
        session["eventSourceUrl"]
        .replace("{types}", "Email,Mailbox")
        .replace("{closeafter}", "no")
        .replace("{ping}", "1")
    )
    got = _events(url, alice_token, 2)
    assert got[0][0] == "state"
    first = json.loads(got[0][1])["changed"]
    assert set(next(iter(first.values()))) == {"Email", "Mailbox"}
    assert got[1] == ("ping", json.dumps({"interval": 1}))


def test_push_needs_credentials(server: ServerThread) -> None:
    r = httpx.get(server.base_url + "/jmap/eventsource?types=*&closeafter=no&ping=0")
    assert r.status_code == 401
