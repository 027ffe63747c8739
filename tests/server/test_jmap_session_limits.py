"""Every limit the Session states is the one the server enforces (RFC 8620 §2, RFC 8621 §1.3.1).

Each test READS the limit from the Session, then checks that a call at the limit is accepted and
one over it is refused with the RFC's error. The sandbox runs with small limits so that "at the
limit" stays quick.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from server.testing import ServerThread
from tests.server.conftest import ALICE, ServerFactory, get_token
from tests.server.jmap_support import CORE, MAIL, USING, Jmap

VACATION = "urn:ietf:params:jmap:vacationresponse"
LIMIT_PROBLEM = "urn:ietf:params:jmap:error:limit"
SMALL = {
    "max_size_upload": 4096,
    "max_size_request": 8192,
    "max_concurrent_upload": 2,
    "max_concurrent_requests": 2,
    "max_calls_in_request": 4,
    "max_objects_in_get": 5,
    "max_objects_in_set": 3,
    "max_size_attachments_per_email": 3000,
}


@pytest.fixture
def small(server_factory: ServerFactory) -> tuple[ServerThread, Jmap]:
    server = server_factory(**SMALL)
    return server, Jmap(server.base_url, get_token(server.base_url, ALICE))


def core(jmap: Jmap) -> dict[str, Any]:
    limits: dict[str, Any] = jmap.session["capabilities"][CORE]
    return limits


def mail(jmap: Jmap) -> dict[str, Any]:
    limits: dict[str, Any] = jmap.session["accounts"][jmap.account_id]["accountCapabilities"][MAIL]
    return limits


def upload(jmap: Jmap, content: bytes, type_: str = "application/octet-stream") -> httpx.Response:
    return httpx.post(
        jmap.session["uploadUrl"].replace("{accountId}", jmap.account_id),
        headers={**jmap.headers, "Content-Type": type_},
        content=content,
    )


def assert_limit_problem(response: httpx.Response, status: int, limit: str) -> None:
    """RFC 8620 §3.6.1: a request-level `limit` problem naming the limit."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert (problem["type"], problem["limit"]) == (LIMIT_PROBLEM, limit)


def one(jmap: Jmap, name: str, **args: Any) -> tuple[str, dict[str, Any]]:
    """One call's answer, error or not."""
    args.setdefault("accountId", jmap.account_id)
    [[response_name, result, _]] = jmap.request([name, args, "0"], using=[*USING, VACATION])
    return response_name, result


# --- urn:ietf:params:jmap:core --------------------------------------------------------------


def test_max_size_upload(small: tuple[ServerThread, Jmap]) -> None:
    _, alice = small
    limit = core(alice)["maxSizeUpload"]
    assert limit == SMALL["max_size_upload"]
    accepted = upload(alice, b"x" * limit)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["size"] == limit
    assert_limit_problem(upload(alice, b"x" * (limit + 1)), 413, "maxSizeUpload")


def _request_of_size(size: int) -> bytes:
    """A valid request of exactly `size` bytes (a Core/echo padded to fit)."""
    shell = {"using": [CORE], "methodCalls": [["Core/echo", {"pad": ""}, "0"]]}
    empty = len(json.dumps(shell).encode())
    shell["methodCalls"][0][1] = {"pad": "p" * (size - empty)}  # type: ignore[index]
    body = json.dumps(shell).encode()
    assert len(body) == size
    return body


def test_max_size_request(small: tuple[ServerThread, Jmap]) -> None:
    _, alice = small
    limit = core(alice)["maxSizeRequest"]
    headers = {**alice.headers, "Content-Type": "application/json"}
    api = alice.session["apiUrl"]
    accepted = httpx.post(api, headers=headers, content=_request_of_size(limit))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["methodResponses"][0][0] == "Core/echo"
    refused = httpx.post(api, headers=headers, content=_request_of_size(limit + 1))
    assert_limit_problem(refused, 400, "maxSizeRequest")


def test_max_calls_in_request(small: tuple[ServerThread, Jmap]) -> None:
    _, alice = small
    limit = core(alice)["maxCallsInRequest"]
    calls = [["Core/echo", {"n": i}, str(i)] for i in range(limit + 1)]
    accepted = alice.post({"using": [CORE], "methodCalls": calls[:limit]})
    assert accepted.status_code == 200, accepted.text
    assert len(accepted.json()["methodResponses"]) == limit
    assert_limit_problem(
        alice.post({"using": [CORE], "methodCalls": calls}), 400, "maxCallsInRequest"
    )


GETS = [
    "Mailbox/get",
    "Thread/get",
    "Email/get",
    "Identity/get",
    "EmailSubmission/get",
    "VacationResponse/get",
    "PushSubscription/get",
]


@pytest.mark.parametrize("name", GETS)
def test_max_objects_in_get(small: tuple[ServerThread, Jmap], name: str) -> None:
    """RFC 8620 §5.1: more ids than maxObjectsInGet is `requestTooLarge`."""
    _, alice = small
    limit = core(alice)["maxObjectsInGet"]
    ids = [f"unknown{i}" for i in range(limit + 1)]
    response_name, result = one(alice, name, ids=ids[:limit])
    assert response_name == name, result
    assert sorted(result["notFound"]) == sorted(ids[:limit])
    response_name, result = one(alice, name, ids=ids)
    assert (response_name, result["type"]) == ("error", "requestTooLarge")


SETS = [
    "Mailbox/set",
    "Email/set",
    "Identity/set",
    "EmailSubmission/set",
    "VacationResponse/set",
    "PushSubscription/set",
]


@pytest.mark.parametrize("name", SETS)
def test_max_objects_in_set(small: tuple[ServerThread, Jmap], name: str) -> None:
    """RFC 8620 §5.3: more creates + updates + destroys than maxObjectsInSet is
    `requestTooLarge`."""
    _, alice = small
    limit = core(alice)["maxObjectsInSet"]
    ids = [f"unknown{i}" for i in range(limit + 1)]
    response_name, result = one(alice, name, destroy=ids[:limit])
    assert response_name == name, result
    assert sorted(result["notDestroyed"]) == sorted(ids[:limit])
    response_name, result = one(alice, name, destroy=ids)
    assert (response_name, result["type"]) == ("error", "requestTooLarge")
    # Creates, updates and destroys count together.
    response_name, result = one(alice, name, update={i: {} for i in ids[:1]}, destroy=ids[1:])
    assert (response_name, result["type"]) == ("error", "requestTooLarge")


def test_max_objects_in_set_counts_mailbox_creations(small: tuple[ServerThread, Jmap]) -> None:
    _, alice = small
    limit = core(alice)["maxObjectsInSet"]
    create = {f"c{i}": {"name": f"Dossier {i}"} for i in range(limit + 1)}
    response_name, result = one(alice, "Mailbox/set", create=dict(list(create.items())[:limit]))
    assert response_name == "Mailbox/set"
    assert len(result["created"]) == limit
    response_name, result = one(alice, "Mailbox/set", create=create)
    assert (response_name, result["type"]) == ("error", "requestTooLarge")


@contextmanager
def stalled_posts(
    server: ServerThread, jmap: Jmap, path: str, count: int, content_type: str
) -> Iterator[list[socket.socket]]:
    """`count` POSTs whose body has begun but not ended: each holds its slot until finished."""
    url = urlsplit(server.base_url)
    sockets = []
    try:
        for _ in range(count):
            s = socket.create_connection((url.hostname or "127.0.0.1", url.port or 80))
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                f"Authorization: {jmap.headers['Authorization']}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: 2\r\n\r\n"
            )
            s.sendall(head.encode() + b"{")
            sockets.append(s)
        yield sockets
    finally:
        for s in sockets:
            s.close()


def _finish(s: socket.socket, last: bytes) -> str:
    """Sends the body's last byte and reads the status line of the answer."""
    s.sendall(last)
    return s.recv(65536).split(b"\r\n", 1)[0].decode()


def _until_refused(send: Any, attempts: int = 500) -> httpx.Response:
    """The slots are taken once the stalled requests reach the route: ask until they are."""
    response: httpx.Response = send()
    for _ in range(attempts):
        if response.status_code == 429:
            break
        response = send()
    return response


def test_max_concurrent_requests(small: tuple[ServerThread, Jmap]) -> None:
    server, alice = small
    limit = core(alice)["maxConcurrentRequests"]
    api_path = urlsplit(alice.session["apiUrl"]).path
    echo = {"using": [CORE], "methodCalls": [["Core/echo", {}, "0"]]}
    with stalled_posts(server, alice, api_path, limit, "application/json") as held:
        refused = _until_refused(lambda: alice.post(echo))
        assert_limit_problem(refused, 429, "maxConcurrentRequests")
        # The `limit` requests that were in flight together are all answered.
        statuses = [_finish(s, b"}") for s in held]
        # "{}" is not a request: each got its own answer, none was turned away by the limit.
        assert all(" 429 " not in status and " 400 " in status for status in statuses), statuses
    assert alice.post(echo).status_code == 200


def test_max_concurrent_upload(small: tuple[ServerThread, Jmap]) -> None:
    server, alice = small
    limit = core(alice)["maxConcurrentUpload"]
    path = urlsplit(alice.session["uploadUrl"].replace("{accountId}", alice.account_id)).path
    with stalled_posts(server, alice, path, limit, "text/plain") as held:
        refused = _until_refused(lambda: upload(alice, b"ab"))
        assert_limit_problem(refused, 429, "maxConcurrentUpload")
        statuses = [_finish(s, b"}") for s in held]
        assert all(" 201 " in status for status in statuses), statuses
    assert upload(alice, b"ab").status_code == 201


def _email(jmap: Jmap, mailbox_ids: list[str], subject: str = "Sujet", **extra: Any) -> Any:
    draft = {
        "mailboxIds": dict.fromkeys(mailbox_ids, True),
        "subject": subject,
        "textBody": [{"partId": "1", "type": "text/plain"}],
        "bodyValues": {"1": {"value": "Bonjour."}},
        **extra,
    }
    return one(jmap, "Email/set", create={"e": draft})[1]


def _mailbox(jmap: Jmap, name: str, parent: str | None = None) -> str:
    result = one(jmap, "Mailbox/set", create={"m": {"name": name, "parentId": parent}})[1]
    assert "m" in (result["created"] or {}), result
    mailbox_id: str = result["created"]["m"]["id"]
    return mailbox_id


def test_collation_algorithms_are_honoured_and_others_refused(
    small: tuple[ServerThread, Jmap],
) -> None:
    """RFC 8620 §5.5: each advertised collation orders as its RFC 4790 definition says; an
    unknown one is `unsupportedSort`."""
    _, alice = small
    advertised = core(alice)["collationAlgorithms"]
    names = ["a", "B", "É", "f"]
    expected = {
        "i;octet": ["B", "a", "f", "É"],  # UTF-8 octets: 0x42 < 0x61 < 0x66 < 0xC3
        "i;ascii-casemap": ["a", "B", "f", "É"],  # only A-Z fold
        "i;unicode-casemap": ["a", "B", "É", "f"],  # É folds to e + accent
    }
    assert set(advertised) == set(expected)
    parent = _mailbox(alice, "Tri")
    inbox = alice.mailbox("inbox")
    for name in names:
        _mailbox(alice, name, parent)
        assert _email(alice, [inbox], subject=name)["created"]
    boxes = {m["id"]: m["name"] for m in alice.call("Mailbox/get")["list"]}
    for collation in advertised:
        sort = [{"property": "name", "collation": collation}]
        ids = alice.call("Mailbox/query", filter={"parentId": parent}, sort=sort)["ids"]
        assert [boxes[i] for i in ids] == expected[collation], collation
        sort = [{"property": "subject", "collation": collation}]
        ids = alice.call("Email/query", sort=sort)["ids"]
        got = alice.call("Email/get", ids=ids, properties=["subject"])["list"]
        assert [e["subject"] for e in got] == expected[collation], collation
    for name, prop in (("Mailbox/query", "name"), ("Email/query", "subject")):
        response_name, result = one(alice, name, sort=[{"property": prop, "collation": "i;basic"}])
        assert (response_name, result["type"]) == ("error", "unsupportedSort")


# --- urn:ietf:params:jmap:mail (accountCapabilities) ----------------------------------------


def test_max_mailboxes_per_email_is_no_limit(small: tuple[ServerThread, Jmap]) -> None:
    """null: an email may be in any number of mailboxes (here more than maxObjectsInSet and
    maxObjectsInGet, the other small numbers of this sandbox)."""
    _, alice = small
    assert mail(alice)["maxMailboxesPerEmail"] is None
    mailboxes = [_mailbox(alice, f"Classeur {i}") for i in range(8)]
    created = _email(alice, mailboxes)["created"]
    [got] = alice.call("Email/get", ids=[created["e"]["id"]], properties=["mailboxIds"])["list"]
    assert set(got["mailboxIds"]) == set(mailboxes)


def test_max_mailbox_depth(small: tuple[ServerThread, Jmap]) -> None:
    """RFC 8621 §1.3.1: the depth is one more than the most ancestors a mailbox may have."""
    _, alice = small
    depth = mail(alice)["maxMailboxDepth"]
    chain = [_mailbox(alice, "Niveau 1")]
    while len(chain) < depth:
        chain.append(_mailbox(alice, f"Niveau {len(chain) + 1}", chain[-1]))
    too_deep = {"name": "Trop profond", "parentId": chain[-1]}
    result = one(alice, "Mailbox/set", create={"x": too_deep})[1]
    assert result["notCreated"]["x"]["type"] == "invalidProperties"
    assert result["notCreated"]["x"]["properties"] == ["parentId"]
    # Moving a two-level subtree: under depth-2 it fits, under depth-1 its child would not.
    top = _mailbox(alice, "Sous-arbre")
    _mailbox(alice, "Feuille", top)
    result = one(alice, "Mailbox/set", update={top: {"parentId": chain[depth - 2]}})[1]
    assert result["notUpdated"][top]["properties"] == ["parentId"]
    result = one(alice, "Mailbox/set", update={top: {"parentId": chain[depth - 3]}})[1]
    assert result["updated"] == {top: None}, result


def test_max_size_mailbox_name_counts_utf8_octets(small: tuple[ServerThread, Jmap]) -> None:
    _, alice = small
    limit = mail(alice)["maxSizeMailboxName"]
    assert limit >= 100  # RFC 8621 §1.3.1: MUST be at least 100
    at_limit = "é" * (limit // 2) + "a" * (limit % 2)  # 2 octets each: fewer characters
    over = at_limit + "a" if limit % 2 == 0 else "é" * (limit // 2 + 1)
    assert len(at_limit.encode()) == limit
    assert len(over.encode()) == limit + 1
    assert len(over) < limit  # a count of characters would accept it
    box = _mailbox(alice, at_limit)
    result = one(alice, "Mailbox/set", create={"x": {"name": over}})[1]
    assert result["notCreated"]["x"] == {"type": "invalidProperties", "properties": ["name"]}
    result = one(alice, "Mailbox/set", update={box: {"name": over}})[1]
    assert result["notUpdated"][box] == {"type": "invalidProperties", "properties": ["name"]}


def test_max_size_attachments_per_email(small: tuple[ServerThread, Jmap]) -> None:
    """RFC 8621 §4.6: attachments over the limit are `tooLarge`."""
    _, alice = small
    limit = mail(alice)["maxSizeAttachmentsPerEmail"]
    assert limit == SMALL["max_size_attachments_per_email"]
    first = upload(alice, b"a" * (limit - 100)).json()["blobId"]
    fits = upload(alice, b"b" * 100).json()["blobId"]
    spills = upload(alice, b"c" * 101).json()["blobId"]
    drafts = alice.mailbox("drafts")

    def attach(*blob_ids: str) -> Any:
        attachments = [
            {"blobId": b, "type": "application/octet-stream", "name": f"{b}.bin"} for b in blob_ids
        ]
        return _email(alice, [drafts], attachments=attachments)

    assert attach(first, fits)["created"]
    assert attach(first, spills)["notCreated"]["e"]["type"] == "tooLarge"


def test_email_query_sort_options(small: tuple[ServerThread, Jmap]) -> None:
    """Each advertised option sorts; any other property is `unsupportedSort` (RFC 8620 §5.5)."""
    _, alice = small
    options = mail(alice)["emailQuerySortOptions"]
    assert {"receivedAt", "subject", "hasKeyword"} <= set(options)
    _email(alice, [alice.mailbox("inbox")])
    for option in options:
        comparator: dict[str, Any] = {"property": option, "isAscending": False}
        if option.endswith("Keyword"):
            comparator["keyword"] = "$seen"
        response_name, result = one(alice, "Email/query", sort=[comparator])
        assert response_name == "Email/query", (option, result)
        assert len(result["ids"]) == 1
    for unknown in ("id", "preview", "messageId"):
        response_name, result = one(alice, "Email/query", sort=[{"property": unknown}])
        assert (response_name, result["type"]) == ("error", "unsupportedSort"), unknown


def test_may_create_top_level_mailbox(small: tuple[ServerThread, Jmap]) -> None:
    _, alice = small
    assert mail(alice)["mayCreateTopLevelMailbox"] is True
    box = _mailbox(alice, "À la racine")
    [got] = alice.call("Mailbox/get", ids=[box])["list"]
    assert got["parentId"] is None


@pytest.mark.parametrize("value", [1, [], {}, True, ""])
def test_a_collation_that_is_not_a_name_is_refused(
    small: tuple[ServerThread, Jmap], value: Any
) -> None:
    _, alice = small
    for name, prop in (("Mailbox/query", "name"), ("Email/query", "subject")):
        response_name, result = one(alice, name, sort=[{"property": prop, "collation": value}])
        expected = "unsupportedSort" if isinstance(value, str) else "invalidArguments"
        assert (response_name, result["type"]) == ("error", expected)


def test_a_mailbox_name_without_utf8_form_is_refused(small: tuple[ServerThread, Jmap]) -> None:
    """A lone surrogate (valid JSON \\ud800, not I-JSON) has no UTF-8 octets to count: the
    request is refused as a whole (RFC 8620 §3.6.1 notJSON) and no mailbox is made."""
    _, alice = small
    create = {"x": {"name": "a-SURROGATE"}}
    call = ["Mailbox/set", {"accountId": alice.account_id, "create": create}, "0"]
    body = json.dumps({"using": [CORE, MAIL], "methodCalls": [call]})
    body = body.replace("-SURROGATE", "\\ud800")
    r = httpx.post(
        alice.session["apiUrl"],
        headers={**alice.headers, "Content-Type": "application/json"},
        content=body.encode(),
    )
    assert r.status_code == 400
    assert r.json()["type"] == "urn:ietf:params:jmap:error:notJSON"
    names = [m["name"] for m in alice.call("Mailbox/get")["list"]]
    assert not [n for n in names if n.startswith("a")], names
