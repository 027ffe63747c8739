"""JMAP method calls against the sandbox: result references, method and request errors, the
Session's limits (maxCallsInRequest, maxObjectsInGet), session state; fuzzed responses."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.remote.jmap import (
    AccountNotFound,
    CannotCalculateChanges,
    InvalidArguments,
    InvalidResponse,
    MethodError,
    Ref,
    RequestError,
    StateMismatch,
    UnknownMethod,
    args_with_ref,
    parse_response,
    split_calls,
)
from server.testing import ServerThread
from tests.app.jmap_helpers import create_drafts, drafts_mailbox, jmap_client


@pytest.mark.asyncio
async def test_query_and_get_in_one_request_with_a_result_reference(server: ServerThread) -> None:
    posts = 0

    async def count(request: httpx.Request) -> None:
        nonlocal posts
        posts += request.method == "POST"

    async with jmap_client(server, event_hooks={"request": [count]}) as client:
        created = await create_drafts(client, ["premier", "second"])
        drafts = await drafts_mailbox(client)
        account = (await client.session()).account_id
        posts = 0
        responses = await client.call(
            [
                ("Email/query", {"accountId": account, "filter": {"inMailbox": drafts}}, "q"),
                (
                    "Email/get",
                    args_with_ref(
                        "ids",
                        Ref("q", "Email/query", "/ids"),
                        {"accountId": account, "properties": ["subject"]},
                    ),
                    "g",
                ),
            ]
        )
    assert posts == 1
    assert [(name, call_id) for name, _, call_id in responses] == [
        ("Email/query", "q"),
        ("Email/get", "g"),
    ]
    got = {e["id"]: e["subject"] for e in responses[1][1]["list"]}
    assert got == dict(zip(created, ["premier", "second"], strict=True))


def test_args_with_ref_replaces_the_plain_argument() -> None:
    assert args_with_ref("ids", Ref("q", "Email/query", "/ids"), {"ids": ["x"], "a": 1}) == {
        "a": 1,
        "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
    }


@pytest.mark.asyncio
async def test_method_errors_are_typed(server: ServerThread) -> None:
    async with jmap_client(server) as client:
        with pytest.raises(UnknownMethod) as unknown:
            await client.call_one("Email/frobnicate", {})
        with pytest.raises(InvalidArguments):
            await client.call_one("Email/get", {"ids": "not a list"})
        with pytest.raises(AccountNotFound) as missing:
            await client.call_one("Email/get", {"accountId": "nobody", "ids": []})
        with pytest.raises(CannotCalculateChanges):
            await client.call_one("Email/changes", {"sinceState": "no-such-state"})
        with pytest.raises(StateMismatch):
            await client.call_one("Email/set", {"ifInState": "old", "destroy": ["x"]})
        # In a batch, a failed call does not stop the others and comes back as "error".
        account = (await client.session()).account_id
        responses = await client.call(
            [
                ("Email/nope", {"accountId": account}, "a"),
                ("Mailbox/get", {"accountId": account, "ids": None}, "b"),
            ]
        )
    assert unknown.value.call_id == "0"
    assert missing.value.message_fr.startswith("Le compte de messagerie")
    assert responses[0] == ("error", {"type": "unknownMethod"}, "a")
    assert responses[1][0] == "Mailbox/get"
    assert isinstance(MethodError.from_response({"type": 3}, "x"), MethodError)


@pytest.mark.asyncio
async def test_request_level_errors_are_request_errors(server_factory: Any) -> None:
    server: ServerThread = server_factory(max_size_request=4000)
    async with jmap_client(server) as client:
        session = await client.session()
        raw = await client.http.post(session.api_url, content=b"{not json")
        assert raw.status_code == 400
        # The client refuses to send past maxSizeRequest itself.
        with pytest.raises(RequestError) as too_big:
            await client.call_one("Email/get", {"ids": ["x" * 100] * 100})
        assert too_big.value.limit == "maxSizeRequest"
    # A server that refuses with problem+json: notJSON, and a limit with its name.
    problems = iter(
        [
            (400, {"type": "urn:ietf:params:jmap:error:notJSON", "status": 400}),
            (429, {"type": "urn:ietf:params:jmap:error:limit", "limit": "maxConcurrentRequests"}),
            (502, None),
        ]
    )
    session_doc = (await _raw_session(server)).json()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=session_doc)
        status, body = next(problems)
        if body is None:
            return httpx.Response(status, content=b"Bad gateway")
        return httpx.Response(
            status, content=json.dumps(body), headers={"Content-Type": "application/problem+json"}
        )

    from app.remote.jmap import JmapClient

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = JmapClient(http, server.base_url + "/.well-known/jmap")
        errors = []
        for _ in range(3):
            with pytest.raises(RequestError) as refused:
                await client.call_one("Core/echo", {})
            errors.append((refused.value.type, refused.value.status, refused.value.limit))
    assert errors == [
        ("notJSON", 400, None),
        ("limit", 429, "maxConcurrentRequests"),
        ("about:blank", 502, None),
    ]


async def _raw_session(server: ServerThread) -> httpx.Response:
    from tests.server.conftest import ALICE, get_token

    token = get_token(server.base_url, ALICE)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
        return await http.get(server.base_url + "/.well-known/jmap")


@pytest.mark.asyncio
async def test_calls_past_max_calls_in_request_are_split_keeping_references_together(
    server_factory: Any,
) -> None:
    server: ServerThread = server_factory(max_calls_in_request=2)
    bodies: list[dict[str, Any]] = []

    async def record(request: httpx.Request) -> None:
        if request.method == "POST":
            bodies.append(json.loads(request.content))

    async with jmap_client(server, event_hooks={"request": [record]}) as client:
        account = (await client.session()).account_id
        calls = [
            ("Mailbox/get", {"accountId": account, "ids": None}, "m"),
            ("Email/query", {"accountId": account}, "q"),
            ("Identity/get", {"accountId": account}, "i"),
            (
                "Email/get",
                args_with_ref("ids", Ref("q", "Email/query", "/ids"), {"accountId": account}),
                "g",
            ),
            ("Core/echo", {"hello": True}, "e"),
        ]
        bodies.clear()
        responses = await client.call(calls)
        # Three calls that reference each other cannot fit in requests of two.
        with pytest.raises(ValueError, match="reference each other"):
            await client.call(
                [
                    ("Email/query", {"accountId": account}, "a"),
                    ("Email/get", args_with_ref("ids", Ref("a", "Email/query", "/ids")), "b"),
                    (
                        "Thread/get",
                        args_with_ref("ids", Ref("b", "Email/get", "/list/*/threadId")),
                        "c",
                    ),
                ]
            )
    assert [call_id for _, _, call_id in responses] == ["m", "q", "i", "g", "e"]
    assert all(name != "error" for name, _, _ in responses)
    assert all(len(body["methodCalls"]) <= 2 for body in bodies)
    assert len(bodies) == 3
    together = next(b for b in bodies if any(c[2] == "q" for c in b["methodCalls"]))
    assert [c[2] for c in together["methodCalls"]] == ["q", "g"]
    # Identity needs the submission capability, echo only the core.
    identity = next(b for b in bodies if any(c[2] == "i" for c in b["methodCalls"]))
    assert "urn:ietf:params:jmap:submission" in identity["using"]


def test_split_calls_packs_independent_groups_in_order() -> None:
    calls = [
        ("A/query", {}, "1"),
        ("B/get", {}, "2"),
        ("A/get", {"#ids": {"resultOf": "1", "name": "A/query", "path": "/ids"}}, "3"),
        ("C/get", {}, "4"),
    ]
    assert split_calls(calls, 4) == [calls]
    assert split_calls(calls, 2) == [[calls[0], calls[2]], [calls[1], calls[3]]]
    assert split_calls(calls, 3) == [[calls[0], calls[1], calls[2]], [calls[3]]]


@pytest.mark.asyncio
async def test_created_ids_carry_across_split_requests(server_factory: Any) -> None:
    server: ServerThread = server_factory(max_calls_in_request=1)
    async with jmap_client(server) as client:
        account = (await client.session()).account_id
        responses = await client.call(
            [
                ("Mailbox/set", {"accountId": account, "create": {"f": {"name": "Cardio"}}}, "s"),
                (
                    "Mailbox/set",
                    {"accountId": account, "update": {"#f": {"name": "Cardiologie"}}},
                    "u",
                ),
            ]
        )
        names = [m["name"] for m in (await client.call_one("Mailbox/get", {"ids": None}))["list"]]
    assert responses[1][0] == "Mailbox/set"
    assert responses[1][1].get("updated") is not None, responses[1][1]
    assert "Cardiologie" in names


@pytest.mark.asyncio
async def test_get_all_splits_by_max_objects_in_get_and_keeps_the_order(
    server_factory: Any,
) -> None:
    server: ServerThread = server_factory(max_objects_in_get=3, max_concurrent_requests=2)
    sizes: list[int] = []

    async def record(request: httpx.Request) -> None:
        if request.method == "POST":
            body = json.loads(request.content)
            call = body["methodCalls"][0]
            if call[0] == "Email/get":
                sizes.append(len(call[1]["ids"]))

    async with jmap_client(server, event_hooks={"request": [record]}) as client:
        ids = await create_drafts(client, [f"message {i}" for i in range(10)])
        wanted = list(reversed(ids))
        wanted.insert(4, "Enope")
        result = await client.get_all("Email", wanted, properties=["subject"])
        everything = await client.get_all("Mailbox", None)
    assert [e["id"] for e in result] == list(reversed(ids))
    assert [e["subject"] for e in result] == [f"message {i}" for i in reversed(range(10))]
    assert result.not_found == ["Enope"]
    assert result.state is not None
    assert sorted(sizes) == [2, 3, 3, 3]
    assert {m["role"] for m in everything} >= {"inbox", "drafts", "sent"}


@pytest.mark.asyncio
async def test_get_all_stays_within_max_concurrent_requests(server_factory: Any) -> None:
    """The sandbox answers 429 past maxConcurrentRequests: 12 pieces must all succeed."""
    server: ServerThread = server_factory(max_objects_in_get=1, max_concurrent_requests=2)
    in_flight = peak = 0

    async def before(request: httpx.Request) -> None:
        nonlocal in_flight, peak
        if request.method == "POST":
            in_flight += 1
            peak = max(peak, in_flight)

    async def after(response: httpx.Response) -> None:
        nonlocal in_flight
        if response.request.method == "POST":
            in_flight -= 1

    async with jmap_client(
        server, event_hooks={"request": [before], "response": [after]}
    ) as client:
        ids = await create_drafts(client, [f"m{i}" for i in range(12)])
        result = await client.get_all("Email", ids, properties=["subject"])
    assert [e["id"] for e in result] == ids
    assert 1 <= peak <= 2


@pytest.mark.asyncio
async def test_a_new_session_state_refreshes_the_session_on_the_next_call(
    server: ServerThread,
) -> None:
    session_fetches = 0
    real_state: list[str] = []

    async def count(request: httpx.Request) -> None:
        nonlocal session_fetches
        session_fetches += request.url.path == "/.well-known/jmap"

    async with jmap_client(server, event_hooks={"request": [count]}) as client:
        session = await client.session()
        real_state.append(session.state)
        # Pretend the cached Session is older than the server's.
        client._session = type(session)(**{**session.__dict__, "state": "older"})
        await client.call_one("Core/echo", {})
        assert session_fetches == 1
        await client.call_one("Core/echo", {})
        assert session_fetches == 2
        assert (await client.session()).state == real_state[0]
        await client.call_one("Core/echo", {})
    assert session_fetches == 2


invocation = st.tuples(
    st.text(max_size=6), st.dictionaries(st.text(max_size=4), st.integers()), st.text(max_size=3)
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"methodResponses": st.lists(json_values | invocation.map(list), max_size=3)},
            optional={"sessionState": json_values, "createdIds": json_values},
        ),
    )
)
def test_fuzzed_responses_give_invocations_or_a_jmap_error(document: Any) -> None:
    try:
        responses, state, created = parse_response(document)
    except InvalidResponse:
        return
    assert isinstance(state, str)
    assert all(isinstance(args, dict) for _, args, _ in responses)
    assert created is None or all(isinstance(v, str) for v in created.values())


@pytest.mark.asyncio
async def test_a_non_json_answer_is_an_invalid_response() -> None:
    from app.remote.jmap import JmapClient

    session = json.loads(
        json.dumps(
            {
                "capabilities": {"urn:ietf:params:jmap:core": {}},
                "accounts": {"a": {}},
                "primaryAccounts": {"urn:ietf:params:jmap:mail": "a"},
                "apiUrl": "/api",
                "uploadUrl": "/u",
                "downloadUrl": "/d",
                "eventSourceUrl": "/e",
                "state": "1",
            }
        )
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=session)
        return httpx.Response(200, content=b"[" * 100_000)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = JmapClient(http, "https://s.example/jmap")
        with pytest.raises(InvalidResponse):
            await asyncio.wait_for(client.call_one("Core/echo", {}), 10)
