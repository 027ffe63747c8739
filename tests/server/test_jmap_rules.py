"""The rules of RFC 8620/8621 the sandbox keeps (issue 16 "broken rules"), over HTTP.

Request content type (RFC 8620 §3.6.1), mailbox tree rules and isSubscribed (RFC 8621 §2),
Mailbox/query sortAsTree/filterAsTree (§2.3), Mailbox/changes updatedProperties (§2.2),
Email/query sorts (§4.4.2).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from server.testing import ServerThread
from tests.server.jmap_support import USING, Jmap, import_message, simple_message

# --- RFC 8620 §3.6.1 notJSON ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"]
)
def test_a_request_not_declared_json_is_refused_and_not_run(
    server: ServerThread, alice: Jmap, content_type: str | None
) -> None:
    call = ["Mailbox/set", {"accountId": alice.account_id, "create": {"k": {"name": "Pas JSON"}}}]
    body = json.dumps({"using": USING, "methodCalls": [[*call, "0"]]})
    headers = dict(alice.headers)
    if content_type is not None:
        headers["Content-Type"] = content_type
    r = httpx.post(server.base_url + "/jmap/api", headers=headers, content=body.encode())
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"] == "urn:ietf:params:jmap:error:notJSON"
    names = [m["name"] for m in alice.call("Mailbox/get")["list"]]
    assert "Pas JSON" not in names


def test_json_with_a_charset_parameter_is_accepted(server: ServerThread, alice: Jmap) -> None:
    r = httpx.post(
        server.base_url + "/jmap/api",
        headers={**alice.headers, "Content-Type": "Application/JSON; charset=utf-8"},
        content=b'{"using": ["urn:ietf:params:jmap:core"], "methodCalls": []}',
    )
    assert r.status_code == 200, r.text


# --- RFC 8621 §2 mailbox rules ----------------------------------------------------------------


def _set(jmap: Jmap, **args: Any) -> dict[str, Any]:
    return jmap.call("Mailbox/set", **args)


def test_two_siblings_cannot_share_a_name(alice: Jmap) -> None:
    created = _set(alice, create={"a": {"name": "Cardiologie"}})["created"]
    first = created["a"]["id"]
    result = _set(alice, create={"b": {"name": "Cardiologie"}})
    assert result["notCreated"]["b"]["type"] == "invalidProperties"
    assert result["notCreated"]["b"]["properties"] == ["name"]
    # The same name under another parent is fine; so is a different name at the top.
    child = _set(alice, create={"c": {"name": "Cardiologie", "parentId": first}})
    assert "c" in child["created"]
    other = _set(alice, create={"d": {"name": "Pneumologie"}})["created"]["d"]["id"]
    # A rename onto a sibling's name is refused too, and nothing changes.
    result = _set(alice, update={other: {"name": "Cardiologie"}})
    assert result["notUpdated"][other]["type"] == "invalidProperties"
    [box] = alice.call("Mailbox/get", ids=[other])["list"]
    assert box["name"] == "Pneumologie"
    # Two creations with the same name in one call: the second is refused.
    result = _set(alice, create={"e": {"name": "Doublon"}, "f": {"name": "Doublon"}})
    assert "e" in result["created"]
    assert result["notCreated"]["f"]["type"] == "invalidProperties"


def test_a_mailbox_cannot_move_under_itself_or_its_descendants(alice: Jmap) -> None:
    top = _set(alice, create={"t": {"name": "Haut"}})["created"]["t"]["id"]
    mid = _set(alice, create={"m": {"name": "Milieu", "parentId": top}})["created"]["m"]["id"]
    low = _set(alice, create={"l": {"name": "Bas", "parentId": mid}})["created"]["l"]["id"]
    for target in (top, mid, low):
        result = _set(alice, update={top: {"parentId": target}})
        assert result["notUpdated"][top]["type"] == "invalidProperties"
        assert result["notUpdated"][top]["properties"] == ["parentId"]
    [box] = alice.call("Mailbox/get", ids=[top])["list"]
    assert box["parentId"] is None
    # Moving the lowest one to the top is allowed.
    assert _set(alice, update={low: {"parentId": None}})["updated"] == {low: None}


def test_is_subscribed_is_kept(alice: Jmap) -> None:
    created = _set(alice, create={"a": {"name": "Non suivi", "isSubscribed": False}})["created"]
    box_id = created["a"]["id"]
    [box] = alice.call("Mailbox/get", ids=[box_id], properties=["isSubscribed"])["list"]
    assert box["isSubscribed"] is False
    assert alice.call("Mailbox/query", filter={"isSubscribed": False})["ids"] == [box_id]
    assert box_id not in alice.call("Mailbox/query", filter={"isSubscribed": True})["ids"]
    _set(alice, update={box_id: {"isSubscribed": True}})
    [box] = alice.call("Mailbox/get", ids=[box_id], properties=["isSubscribed"])["list"]
    assert box["isSubscribed"] is True
    result = _set(alice, create={"b": {"name": "Mauvais", "isSubscribed": "non"}})
    assert result["notCreated"]["b"]["properties"] == ["isSubscribed"]


def test_mailbox_query_sort_as_tree_puts_parents_before_children(alice: Jmap) -> None:
    a = _set(alice, create={"a": {"name": "A-dossier", "sortOrder": 50}})["created"]["a"]["id"]
    z = _set(alice, create={"z": {"name": "Z-dossier", "sortOrder": 40}})["created"]["z"]["id"]
    a1 = _set(alice, create={"x": {"name": "A1", "parentId": a, "sortOrder": 1}})["created"]["x"]
    z1 = _set(alice, create={"y": {"name": "Z1", "parentId": z, "sortOrder": 1}})["created"]["y"]
    sort = [{"property": "sortOrder"}, {"property": "name"}]
    flat = alice.call("Mailbox/query", sort=sort)["ids"]
    assert flat.index(a1["id"]) < flat.index(a)  # sortOrder 1 < 50 when flat
    tree = alice.call("Mailbox/query", sort=sort, sortAsTree=True)["ids"]
    assert len(tree) == len(flat)
    assert tree.index(z) < tree.index(z1["id"]) < tree.index(a) < tree.index(a1["id"])
    assert tree.index(z1["id"]) == tree.index(z) + 1
    assert tree.index(a1["id"]) == tree.index(a) + 1


def test_mailbox_query_filter_as_tree_drops_children_of_non_matching_parents(
    alice: Jmap,
) -> None:
    top = _set(alice, create={"t": {"name": "Projet"}})["created"]["t"]["id"]
    under = _set(alice, create={"u": {"name": "Projet-suite", "parentId": top}})["created"]["u"]
    other = _set(alice, create={"o": {"name": "Autre"}})["created"]["o"]["id"]
    deep = _set(alice, create={"d": {"name": "Projet-caché", "parentId": other}})["created"]["d"]
    flat = set(alice.call("Mailbox/query", filter={"name": "projet"})["ids"])
    assert flat == {top, under["id"], deep["id"]}
    tree = set(alice.call("Mailbox/query", filter={"name": "projet"}, filterAsTree=True)["ids"])
    assert tree == {top, under["id"]}


def test_mailbox_changes_says_when_only_counts_changed(server: ServerThread, alice: Jmap) -> None:
    inbox = alice.mailbox("inbox")
    state = alice.state("Mailbox")
    import_message(server, alice, simple_message(message_id="count@x"))
    result = alice.call("Mailbox/changes", sinceState=state)
    assert result["updated"] == [inbox]
    assert result["updatedProperties"] == [
        "totalEmails",
        "unreadEmails",
        "totalThreads",
        "unreadThreads",
    ]
    state = result["newState"]
    _set(alice, update={inbox: {"sortOrder": 7}})
    import_message(server, alice, simple_message(message_id="count2@x"))
    result = alice.call("Mailbox/changes", sinceState=state)
    assert result["updated"] == [inbox]
    assert result["updatedProperties"] is None


# --- RFC 8621 §4.4.2 Email/query sorts ---------------------------------------------------------


def _sorted(alice: Jmap, **comparator: Any) -> list[str]:
    ids: list[str] = alice.call("Email/query", sort=[comparator])["ids"]
    return ids


def test_email_query_sorts_by_from_and_to_display(server: ServerThread, alice: Jmap) -> None:
    zoe = import_message(
        server, alice, simple_message(sender="Zoé <a@x.example>", to="b <z@x.example>")
    )
    bare = import_message(
        server, alice, simple_message(sender="m@x.example", to="Yves <a@x.example>")
    )
    anne = import_message(
        server, alice, simple_message(sender="Anne <z@x.example>", to="c@x.example")
    )
    assert _sorted(alice, property="from") == [anne, bare, zoe]
    assert _sorted(alice, property="from", isAscending=False) == [zoe, bare, anne]
    assert _sorted(alice, property="to") == [zoe, anne, bare]
    account = alice.session["accounts"][alice.account_id]
    session = account["accountCapabilities"]["urn:ietf:params:jmap:mail"]
    assert {"to", "from", "hasKeyword", "allInThreadHaveKeyword", "someInThreadHaveKeyword"} <= set(
        session["emailQuerySortOptions"]
    )


def test_email_query_sorts_by_keywords(server: ServerThread, alice: Jmap) -> None:
    flagged = import_message(server, alice, simple_message(message_id="f@x"), keywords=["$flagged"])
    reply = import_message(server, alice, simple_message(message_id="r@x", in_reply_to="f@x"))
    alone = import_message(server, alice, simple_message(message_id="s@x"))
    keyword = "$flagged"
    ascending = _sorted(alice, property="hasKeyword", keyword=keyword)
    assert ascending[-1] == flagged
    assert _sorted(alice, property="hasKeyword", keyword=keyword, isAscending=False)[0] == flagged
    some = _sorted(alice, property="someInThreadHaveKeyword", keyword=keyword, isAscending=False)
    assert set(some[:2]) == {flagged, reply}
    assert some[2] == alone
    alice.call("Email/set", update={reply: {"keywords/$flagged": True}})
    alice.call("Email/set", update={alone: {"keywords/$flagged": True}})
    alice.call("Email/set", update={flagged: {"keywords/$flagged": None}})
    every = _sorted(alice, property="allInThreadHaveKeyword", keyword=keyword, isAscending=False)
    assert every[0] == alone  # the only thread whose every email has the keyword


def test_email_query_sort_errors(alice: Jmap) -> None:
    responses = alice.request(
        ["Email/query", {"accountId": alice.account_id, "sort": [{"property": "cc"}]}, "a"],
        ["Email/query", {"accountId": alice.account_id, "sort": [{"property": "hasKeyword"}]}, "b"],
        [
            "Email/query",
            {
                "accountId": alice.account_id,
                "sort": [{"property": "hasKeyword", "keyword": "bad(kw"}],
            },
            "c",
        ],
        using=USING,
    )
    assert [r[0] for r in responses] == ["error", "error", "error"]
    assert [r[1]["type"] for r in responses] == [
        "unsupportedSort",
        "invalidArguments",
        "invalidArguments",
    ]
