"""The Session advertises every capability the sandbox implements, and nothing it does not.

CAPABILITY_METHODS is the RFCs' table: the methods each capability defines (RFC 8620 core,
RFC 8621 mail/submission/vacationresponse, RFC 9007 mdn). docs/jmap-session.md describes it.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from server.jmap.methods import METHODS, load_all
from server.testing import ServerThread
from server.urls import REGIONAL_CAPABILITY
from tests.server.conftest import ALICE, ServerFactory, get_token
from tests.server.jmap_support import CORE, MAIL, SUBMISSION, Jmap

VACATION = "urn:ietf:params:jmap:vacationresponse"
MDN = "urn:ietf:params:jmap:mdn"

CAPABILITY_METHODS: dict[str, list[str]] = {
    # RFC 8620 §4 (Core/echo), §6.3 (Blob/copy), §7.2 (PushSubscription).
    CORE: ["Core/echo", "Blob/copy", "PushSubscription/get", "PushSubscription/set"],
    # RFC 8621 §2-§5.
    MAIL: [
        *(f"Mailbox/{v}" for v in ("get", "changes", "query", "queryChanges", "set")),
        "Thread/get",
        "Thread/changes",
        *(
            f"Email/{v}"
            for v in ("get", "changes", "query", "queryChanges", "set", "copy", "import", "parse")
        ),
        "SearchSnippet/get",
    ],
    # RFC 8621 §6-§7.
    SUBMISSION: [
        "Identity/get",
        "Identity/changes",
        "Identity/set",
        *(f"EmailSubmission/{v}" for v in ("get", "changes", "query", "queryChanges", "set")),
    ],
    # RFC 8621 §8.
    VACATION: ["VacationResponse/get", "VacationResponse/set"],
    # RFC 9007 §2.
    MDN: ["MDN/send", "MDN/parse"],
    # Issue 14 §1: what the login window reads; its data is served by the regional API.
    REGIONAL_CAPABILITY: [],
}
NOT_IMPLEMENTED = [
    "urn:ietf:params:jmap:blob",  # RFC 9404: Blob/upload, Blob/get, Blob/lookup
    "urn:ietf:params:jmap:websocket",  # RFC 8887
    "urn:ietf:params:jmap:quota",  # RFC 9425
    "urn:ietf:params:jmap:contacts",
]


@pytest.fixture
def alice(server: ServerThread) -> Jmap:
    return Jmap(server.base_url, get_token(server.base_url, ALICE))


def _answer(jmap: Jmap, name: str, using: list[str]) -> list[Any]:
    r = jmap.post({"using": using, "methodCalls": [[name, {"accountId": jmap.account_id}, "0"]]})
    assert r.status_code == 200, r.text
    first: list[Any] = r.json()["methodResponses"][0]
    return first


def test_the_session_advertises_exactly_the_implemented_capabilities(alice: Jmap) -> None:
    session = alice.session
    assert set(session["capabilities"]) == set(CAPABILITY_METHODS)
    account = session["accounts"][alice.account_id]
    # Every account capability is a Session capability; only CORE has no account part.
    assert set(account["accountCapabilities"]) == set(CAPABILITY_METHODS) - {CORE}
    assert set(session["primaryAccounts"]) == set(CAPABILITY_METHODS) - {CORE}
    assert set(session["primaryAccounts"].values()) == {alice.account_id}


def test_every_advertised_method_answers(alice: Jmap) -> None:
    """Each method the RFCs define for an advertised capability is served (an argument error
    is an answer; `unknownMethod` is not)."""
    advertised = list(alice.session["capabilities"])
    for capability, names in CAPABILITY_METHODS.items():
        assert capability in advertised
        for name in names:
            response_name, result, _ = _answer(alice, name, advertised)
            assert (response_name, result.get("type")) != ("error", "unknownMethod"), name
            # Without its capability in `using`, the same method is unknown (RFC 8620 §3.3).
            if capability != CORE:
                without = [c for c in advertised if c != capability]
                response_name, result, _ = _answer(alice, name, without)
                assert (response_name, result["type"]) == ("error", "unknownMethod"), name


def test_every_registered_method_belongs_to_an_advertised_capability(alice: Jmap) -> None:
    load_all()
    advertised = set(alice.session["capabilities"])
    registered = {name: m.capability for name, m in METHODS.items()}
    assert set(registered.values()) <= advertised
    table = {name: cap for cap, names in CAPABILITY_METHODS.items() for name in names}
    assert registered == table


def test_an_unadvertised_capability_is_refused(server_factory: ServerFactory, alice: Jmap) -> None:
    """RFC 8620 §3.6.1: `using` a capability the server does not support is the request-level
    `unknownCapability` problem."""
    for capability in NOT_IMPLEMENTED:
        assert capability not in alice.session["capabilities"]
        r = alice.post({"using": [CORE, capability], "methodCalls": [["Core/echo", {}, "0"]]})
        assert r.status_code == 400
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["type"] == "urn:ietf:params:jmap:error:unknownCapability"
    # MDN switched off: neither advertised, nor usable, nor served.
    server = server_factory(jmap_mdn=False)
    bob = Jmap(server.base_url, get_token(server.base_url, ALICE))
    advertised = list(bob.session["capabilities"])
    assert MDN not in advertised
    assert MDN not in bob.session["accounts"][bob.account_id]["accountCapabilities"]
    for name in CAPABILITY_METHODS[MDN]:
        response_name, result, _ = _answer(bob, name, advertised)
        assert (response_name, result["type"]) == ("error", "unknownMethod")
        r = bob.post({"using": [*advertised, MDN], "methodCalls": [[name, {}, "0"]]})
        assert r.json()["type"] == "urn:ietf:params:jmap:error:unknownCapability"


def test_the_anonymous_session_holds_capabilities_and_no_account(
    server: ServerThread, alice: Jmap
) -> None:
    """docs/jmap-session.md: the login window reads the regional capability before any
    credential; nothing of an account is in it."""
    r = httpx.get(server.base_url + "/.well-known/jmap")
    assert r.status_code == 200
    anonymous = r.json()
    assert anonymous["accounts"] == {}
    assert anonymous["primaryAccounts"] == {}
    assert anonymous["username"] == ""
    assert anonymous["capabilities"] == alice.session["capabilities"]
    assert anonymous["capabilities"][REGIONAL_CAPABILITY]
    for secret in (ALICE.login, ALICE.email, alice.account_id):
        assert secret not in r.text
    assert anonymous["state"] != alice.session["state"]
    # The API itself needs credentials.
    api = httpx.post(server.base_url + "/jmap/api", json={"using": [CORE], "methodCalls": []})
    assert api.status_code == 401


def test_the_event_source_url_serves_push(alice: Jmap) -> None:
    """eventSourceUrl is advertised because it is served (RFC 8620 §7.3)."""
    url = alice.session["eventSourceUrl"].format(types="*", closeafter="no", ping="0")
    with httpx.stream("GET", url, headers=alice.headers, timeout=10) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        data = next(line for line in r.iter_lines() if line.startswith("data:"))
    assert json.loads(data.removeprefix("data:"))["@type"] == "StateChange"
