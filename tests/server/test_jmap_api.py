"""The JMAP Session and the API endpoint's request handling (RFC 8620 §2, §3), over HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.jmap.methods import METHODS, load_all
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


@pytest.mark.parametrize(
    "body",
    [
        b'{"using": [], "methodCalls": [["Core/echo", {"name": "a\\ud800"}, "0"]]}',
        b'{"using": [], "methodCalls": [["Core/echo", {"n": NaN}, "0"]]}',
        b'{"using": [], "methodCalls": [["Core/echo", {"n": Infinity}, "0"]]}',
        b'{"using": [], "using": [], "methodCalls": []}',
        '{"using": [], "methodCalls": []}'.encode("utf-16"),
        b'{"using": [], "methodCalls": [["Core/echo", {"n": "\xe9"}, "0"]]}',
    ],
    ids=["lone-surrogate", "nan", "infinity", "duplicate-member", "utf-16", "latin-1"],
)
def test_a_request_that_is_not_i_json_is_not_json(
    server: ServerThread, alice_token: str, body: bytes
) -> None:
    """RFC 8620 §3.6.1: notJSON when the request "did not parse as I-JSON" (RFC 7493: UTF-8,
    unique member names, no surrogate alone; NaN and Infinity are not JSON at all)."""
    url = server.base_url + "/jmap/api"
    auth = {"Authorization": f"Bearer {alice_token}", "Content-Type": "application/json"}
    _problem(httpx.post(url, headers=auth, content=body), "notJSON")


def test_an_escaped_surrogate_pair_is_one_character(server: ServerThread, alice_token: str) -> None:
    url = server.base_url + "/jmap/api"
    auth = {"Authorization": f"Bearer {alice_token}", "Content-Type": "application/json"}
    body = b'{"using": ["%s"], "methodCalls": [["Core/echo", {"n": "\\ud83e\\ude7a"}, "0"]]}' % (
        CORE.encode()
    )
    r = httpx.post(url, headers=auth, content=body)
    assert r.status_code == 200, r.text
    assert r.json()["methodResponses"][0][1] == {"n": "\U0001fa7a"}


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
def jmap_for_fuzz(server: ServerThread, alice_token: str) -> tuple[Jmap, dict[str, str]]:
    """The client, and the real ids the strategies' "$email" / "$identity" stand for."""
    jmap = Jmap(server.base_url, alice_token)
    imported = server.sandbox.mail.import_message(jmap.account_id, simple_message())
    return jmap, {"$email": imported.email_id, "$identity": jmap.identity()}


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
# Delayed sending (RFC 4865 FUTURERELEASE in the envelope) and undo (undoStatus patches): shapes
# random JSON would almost never reach, on a real Email so that the hold is parsed.
hold_values = json_values | st.sampled_from(
    ["0", "1", "86400", "86401", "999999999", "1970-01-01T00:00:00Z", "2099-01-01T00:00:00+02:00"]
)
submission_creates = st.dictionaries(
    st.text(max_size=4),
    st.fixed_dictionaries(
        {
            "emailId": st.just("$email"),
            "identityId": st.just("$identity"),
            "envelope": st.fixed_dictionaries(
                {
                    "mailFrom": st.fixed_dictionaries(
                        {
                            "email": st.just(ALICE.email),
                            "parameters": st.dictionaries(
                                st.sampled_from(["HOLDFOR", "holduntil", "HOLDUNTIL", "ENVID"]),
                                hold_values,
                                max_size=2,
                            ),
                        }
                    ),
                    "rcptTo": st.just([{"email": ALICE.email}]),
                }
            ),
        }
    ),
    max_size=2,
)
undo_patches = st.dictionaries(
    st.text(max_size=12),
    st.dictionaries(
        st.sampled_from(["undoStatus", "envelope"]),
        st.sampled_from(["canceled", "final", "pending"]) | json_values,
        max_size=2,
    ),
    max_size=2,
)
# Every method the sandbox registers (a new one is fuzzed without being listed here), and one
# that does not exist.
load_all()
method_names = st.sampled_from([*sorted(METHODS), "Bogus/call"])
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
            st.dictionaries(argument_keys, json_values, max_size=5)
            | st.fixed_dictionaries(
                {"create": submission_creates, "update": undo_patches, "destroy": json_values}
            ),
            st.booleans(),
        ),
        max_size=4,
    ),
    junk=json_values,
)
def test_random_json_never_gets_a_server_error(
    jmap_for_fuzz: tuple[Jmap, dict[str, str]],
    calls: list[tuple[str, dict[str, Any], bool]],
    junk: Any,
) -> None:
    jmap, real_ids = jmap_for_fuzz
    method_calls = []
    for i, (name, args, own_account) in enumerate(calls):
        account = {"accountId": jmap.account_id} if own_account else {}
        method_calls.append([name, {**args, **account}, str(i)])
    body = json.dumps(method_calls)
    for placeholder, real in real_ids.items():
        body = body.replace(json.dumps(placeholder), json.dumps(real))
    using = list(jmap.session["capabilities"])  # every advertised one
    r = jmap.post({"using": using, "methodCalls": json.loads(body)})
    assert r.status_code == 200, r.text
    for response in r.json()["methodResponses"]:
        assert response[0] != "error" or response[1]["type"] != "serverFail", response
    assert jmap.post(junk).status_code in (200, 400)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    create=submission_creates,
    update=undo_patches,
    on_success=st.none() | st.just({"#a": {"keywords/$seen": True}}),
)
def test_random_holds_and_undos_never_get_a_server_error(
    jmap_for_fuzz: tuple[Jmap, dict[str, str]],
    create: dict[str, Any],
    update: dict[str, Any],
    on_success: dict[str, Any] | None,
) -> None:
    """The delayed-send shapes, each time on a real Email (the general test reaches them
    rarely)."""
    jmap, real_ids = jmap_for_fuzz
    args = {"accountId": jmap.account_id, "create": create, "onSuccessUpdateEmail": on_success}
    body = json.dumps(args)
    for placeholder, real in real_ids.items():
        body = body.replace(json.dumps(placeholder), json.dumps(real))
    first = jmap.request(["EmailSubmission/set", json.loads(body), "0"])
    assert first[0][0] == "EmailSubmission/set", first
    created = [c["id"] for c in (first[0][1]["created"] or {}).values()]
    patches = {**update, **{i: {"undoStatus": "canceled"} for i in created[:1]}}
    second = jmap.request(
        ["EmailSubmission/set", {"accountId": jmap.account_id, "update": patches}, "1"]
    )
    assert second[0][0] == "EmailSubmission/set", second
    for name, result, _ in first + second:
        assert name != "error", result
