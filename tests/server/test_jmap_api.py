"""The JMAP Session and the API endpoint's request handling (RFC 8620 §2, §3), over HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.testing import ServerThread
from server.urls import REGIONAL_CAPABILITY
from tests.server.conftest import ALICE, ServerFactory, get_token
from tests.server.jmap_support import CORE, MAIL, SUBMISSION, USING, Jmap, simple_message


def test_session_with_credentials_lists_the_account_limits_and_urls(
    server: ServerThread, alice_token: str
) -> None:
    r = httpx.get(
        server.base_url + "/.well-known/jmap", headers={"Authorization": f"Bearer {alice_token}"}
    )
    assert r.status_code == 200
    session = r.json()
    core = session["capabilities"][CORE]
    assert core["maxCallsInRequest"] == server.config.max_calls_in_request
    assert core["maxObjectsInGet"] == server.config.max_objects_in_get
    assert core["maxSizeUpload"] == server.config.max_size_upload
    assert MAIL in session["capabilities"]
    assert SUBMISSION in session["capabilities"]
    regional = session["capabilities"][REGIONAL_CAPABILITY]
    assert regional["registrationUrl"] == server.base_url + "/portal/inscription"
    assert session["username"] == ALICE.login
    account_id = session["primaryAccounts"][MAIL]
    assert session["accounts"][account_id]["name"] == ALICE.email
    assert session["apiUrl"] == server.base_url + "/jmap/api"
    assert session["downloadUrl"].startswith(server.base_url + "/jmap/download/{accountId}/")
    assert session["uploadUrl"] == server.base_url + "/jmap/upload/{accountId}/"
    assert session["eventSourceUrl"].startswith(server.base_url + "/jmap/eventsource?")
    assert session["state"]


def test_session_without_credentials_still_gives_the_regional_urls(server: ServerThread) -> None:
    r = httpx.get(server.base_url + "/.well-known/jmap")
    assert r.status_code == 200
    session = r.json()
    assert session["accounts"] == {}
    assert session["primaryAccounts"] == {}
    assert session["username"] == ""
    assert session["capabilities"][REGIONAL_CAPABILITY]["directoryUrl"].startswith(server.base_url)
    bad = httpx.get(server.base_url + "/.well-known/jmap", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_session_state_differs_between_users_and_matches_the_api(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice = Jmap(server.base_url, alice_token)
    bob = Jmap(server.base_url, bob_token)
    assert alice.session["state"] != bob.session["state"]
    r = alice.post({"using": USING, "methodCalls": []})
    assert r.json()["sessionState"] == alice.session["state"]


def _problem(r: httpx.Response, type_: str) -> dict[str, Any]:
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["type"] == "urn:ietf:params:jmap:error:" + type_
    return body


def test_request_level_errors_are_problem_json(server: ServerThread, alice_token: str) -> None:
    url = server.base_url + "/jmap/api"
    auth = {"Authorization": f"Bearer {alice_token}", "Content-Type": "application/json"}
    _problem(httpx.post(url, headers=auth, content=b"{not json"), "notJSON")
    _problem(httpx.post(url, headers=auth, content=b"\xff\xfe"), "notJSON")
    _problem(httpx.post(url, headers=auth, content=b"[1, 2]"), "notRequest")
    _problem(httpx.post(url, headers=auth, json={"using": [CORE]}), "notRequest")
    _problem(
        httpx.post(url, headers=auth, json={"using": [CORE], "methodCalls": [["Core/echo", {}]]}),
        "notRequest",
    )
    _problem(
        httpx.post(url, headers=auth, json={"using": ["urn:x:nope"], "methodCalls": []}),
        "unknownCapability",
    )
    assert httpx.post(url, json={"using": [], "methodCalls": []}).status_code == 401


def test_too_many_calls_and_too_large_requests_hit_the_limits(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(max_calls_in_request=3, max_size_request=2000)
    token = get_token(server.base_url, ALICE)
    jmap = Jmap(server.base_url, token)
    calls = [["Core/echo", {"n": i}, str(i)] for i in range(4)]
    body = _problem(jmap.post({"using": [CORE], "methodCalls": calls}), "limit")
    assert body["limit"] == "maxCallsInRequest"
    assert len(jmap.request(*calls[:3], using=[CORE])) == 3
    big = {"using": [CORE], "methodCalls": [["Core/echo", {"x": "a" * 3000}, "0"]]}
    body = _problem(jmap.post(big), "limit")
    assert body["limit"] == "maxSizeRequest"

    # A lying Content-Length does not get a larger body through: the actual size is counted.
    def chunks() -> Any:
        yield json.dumps(big).encode()

    r = httpx.post(
        server.base_url + "/jmap/api",
        headers={**jmap.headers, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert _problem(r, "limit")["limit"] == "maxSizeRequest"


def test_method_level_errors(server: ServerThread, alice_token: str, bob_token: str) -> None:
    alice = Jmap(server.base_url, alice_token)
    bob = Jmap(server.base_url, bob_token)
    responses = alice.request(
        ["Nope/get", {}, "a"],
        ["Mailbox/get", {"accountId": bob.account_id}, "b"],
        ["Mailbox/get", {"accountId": alice.account_id, "ids": "x"}, "c"],
        ["Email/query", {"accountId": alice.account_id, "filter": {"bogus": 1}}, "d"],
        ["Email/query", {"accountId": alice.account_id, "sort": [{"property": "nope"}]}, "e"],
        ["Mailbox/changes", {"accountId": alice.account_id, "sinceState": "999999"}, "f"],
        ["Email/query", {"accountId": alice.account_id, "anchor": "Enope"}, "g"],
        ["Email/set", {"accountId": alice.account_id, "ifInState": "12345", "destroy": []}, "h"],
        ["Core/echo", {"hello": "monde"}, "i"],
    )
    assert responses[0] == ["error", {"type": "unknownMethod"}, "a"]
    assert responses[1][0:2] == ["error", {"type": "accountNotFound"}]
    assert responses[2][1]["type"] == "invalidArguments"
    assert responses[3][1]["type"] == "unsupportedFilter"
    assert responses[4][1]["type"] == "unsupportedSort"
    assert responses[5][1]["type"] == "cannotCalculateChanges"
    assert responses[6][1]["type"] == "anchorNotFound"
    assert responses[7][1]["type"] == "stateMismatch"
    assert responses[8] == ["Core/echo", {"hello": "monde"}, "i"]
    # A method whose capability is not in `using` is unknown.
    [[name, args, _]] = alice.request(
        ["Mailbox/get", {"accountId": alice.account_id}, "x"], using=[CORE]
    )
    assert (name, args["type"]) == ("error", "unknownMethod")


def test_more_ids_than_max_objects_in_get_is_request_too_large(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(max_objects_in_get=3)
    jmap = Jmap(server.base_url, get_token(server.base_url, ALICE))
    [[name, args, _]] = jmap.request(
        ["Email/get", {"accountId": jmap.account_id, "ids": ["a", "b", "c", "d"]}, "0"]
    )
    assert (name, args["type"]) == ("error", "requestTooLarge")


def test_bad_result_references_are_invalid_result_reference(
    server: ServerThread, alice_token: str
) -> None:
    jmap = Jmap(server.base_url, alice_token)
    account = jmap.account_id
    responses = jmap.request(
        ["Mailbox/query", {"accountId": account}, "q"],
        [
            "Mailbox/get",
            {
                "accountId": account,
                "#ids": {"resultOf": "zz", "name": "Mailbox/query", "path": "/ids"},
            },
            "a",
        ],
        [
            "Mailbox/get",
            {
                "accountId": account,
                "#ids": {"resultOf": "q", "name": "Mailbox/query", "path": "/nope"},
            },
            "b",
        ],
        ["Mailbox/get", {"accountId": account, "#ids": "not a reference"}, "c"],
        [
            "Mailbox/get",
            {
                "accountId": account,
                "ids": [],
                "#ids": {"resultOf": "q", "name": "Mailbox/query", "path": "/ids"},
            },
            "d",
        ],
    )
    assert responses[1][1]["type"] == "invalidResultReference"
    assert responses[2][1]["type"] == "invalidResultReference"
    assert responses[3][1]["type"] == "invalidResultReference"
    assert responses[4][1]["type"] == "invalidArguments"


@pytest.fixture
def jmap_for_fuzz(server: ServerThread, alice_token: str) -> Jmap:
    jmap = Jmap(server.base_url, alice_token)
    server.sandbox.mail.import_message(jmap.account_id, simple_message())
    return jmap


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
method_names = st.sampled_from(
    [
        "Core/echo",
        "Mailbox/get",
        "Mailbox/query",
        "Mailbox/changes",
        "Mailbox/set",
        "Thread/get",
        "Thread/changes",
        "Email/get",
        "Email/query",
        "Email/changes",
        "Email/set",
        "Email/queryChanges",
        "Mailbox/queryChanges",
        "Identity/get",
        "Identity/changes",
        "Identity/set",
        "VacationResponse/get",
        "VacationResponse/set",
        "PushSubscription/get",
        "PushSubscription/set",
        "EmailSubmission/get",
        "EmailSubmission/set",
        "EmailSubmission/changes",
        "Email/parse",
        "Email/copy",
        "Blob/copy",
        "SearchSnippet/get",
        "EmailSubmission/query",
        "EmailSubmission/queryChanges",
        "Email/import",
        "Bogus/call",
    ]
)
argument_keys = st.sampled_from(
    [
        "accountId",
        "ids",
        "properties",
        "filter",
        "sort",
        "position",
        "anchor",
        "limit",
        "sinceState",
        "sinceQueryState",
        "maxChanges",
        "create",
        "update",
        "destroy",
        "#ids",
        "bodyProperties",
        "fetchAllBodyValues",
        "maxBodyValueBytes",
        "collapseThreads",
        "sortAsTree",
        "bodyStructure",
        "onSuccessUpdateEmail",
        "calculateTotal",
        "anchorOffset",
        "ifInState",
        "blobIds",
        "emailIds",
        "fromAccountId",
        "ifFromInState",
        "onSuccessDestroyOriginal",
        "destroyFromIfInState",
        "emails",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    calls=st.lists(
        st.tuples(
            method_names,
            st.dictionaries(argument_keys, json_values, max_size=5),
            st.booleans(),
        ),
        max_size=4,
    ),
    junk=json_values,
)
def test_random_json_never_gets_a_server_error(
    jmap_for_fuzz: Jmap, calls: list[tuple[str, dict[str, Any], bool]], junk: Any
) -> None:
    method_calls = []
    for i, (name, args, own_account) in enumerate(calls):
        account = {"accountId": jmap_for_fuzz.account_id} if own_account else {}
        method_calls.append([name, {**args, **account}, str(i)])
    using = [*USING, "urn:ietf:params:jmap:vacationresponse"]
    r = jmap_for_fuzz.post({"using": using, "methodCalls": method_calls})
    assert r.status_code == 200, r.text
    for response in r.json()["methodResponses"]:
        assert response[0] != "error" or response[1]["type"] != "serverFail", response
    assert jmap_for_fuzz.post(junk).status_code in (200, 400)
