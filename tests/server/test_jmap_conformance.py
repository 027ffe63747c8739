"""RFC 8620/8621 rules checked the way a conformance run checks them, over HTTP.

Written from the RFCs' text for the behaviours that fastmail/JMAP-TestSuite exercises and that
no other file of tests/server already covers (docs/jmap-conformance.md maps each suite file).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.testing import ServerThread
from tests.server.jmap_support import CORE, MAIL, USING, Jmap, simple_message

VACATION = "urn:ietf:params:jmap:vacationresponse"


def _mailbox(jmap: Jmap, name: str) -> str:
    created = jmap.call("Mailbox/set", create={"m": {"name": name}})["created"]
    mailbox_id: str = created["m"]["id"]
    return mailbox_id


def _create(jmap: Jmap, props: dict[str, Any]) -> dict[str, Any]:
    """The Email/set answer for one create, named "new"."""
    return jmap.call("Email/set", create={"new": props})


def _refused(jmap: Jmap, props: dict[str, Any]) -> dict[str, Any]:
    result = _create(jmap, props)
    assert not result.get("created"), result
    error: dict[str, Any] = result["notCreated"]["new"]
    assert error["type"] == "invalidProperties", error
    return error


def _upload(server: ServerThread, jmap: Jmap, data: bytes, type_: str) -> dict[str, Any]:
    url = jmap.session["uploadUrl"].replace("{accountId}", jmap.account_id)
    r = httpx.post(url, headers={**jmap.headers, "Content-Type": type_}, content=data)
    assert r.status_code == 201, r.text
    answer: dict[str, Any] = r.json()
    return answer


def _text(props: dict[str, Any], **part: Any) -> dict[str, Any]:
    return {
        **props,
        "bodyValues": {"1": {"value": "Corps du message."}},
        "textBody": [{"partId": "1", "type": "text/plain", **part}],
    }


# --- RFC 8620 §3.6.2 accountId, §4 Core/echo --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("Mailbox/get", {}),
        ("Mailbox/query", {}),
        ("Email/get", {"ids": []}),
        ("Email/query", {}),
        ("Thread/get", {"ids": []}),
    ],
)
def test_account_id_is_required_and_must_exist(
    alice: Jmap, name: str, args: dict[str, Any]
) -> None:
    [[response, error, _]] = alice.request([name, args, "0"])
    assert (response, error["type"]) == ("error", "invalidArguments")
    [[response, error, _]] = alice.request([name, {**args, "accountId": "no-such-account"}, "0"])
    assert (response, error["type"]) == ("error", "accountNotFound")


def test_core_echo_needs_no_account_and_echoes_exactly(alice: Jmap) -> None:
    args = {"hello": "world", "n": [1, {"a": None}]}
    [[response, echoed, _]] = alice.request(["Core/echo", args, "0"], using=[CORE])
    assert (response, echoed) == ("Core/echo", args)


# --- RFC 8620 §5.3 /set: creation ids, null fields, ifInState, unknown ids ---------------------


def test_a_creation_id_is_usable_by_a_later_call_only(server: ServerThread, alice: Jmap) -> None:
    inbox = alice.mailbox("inbox")
    e1 = server.sandbox.mail.import_message(alice.account_id, simple_message("Un"))
    e2 = server.sandbox.mail.import_message(alice.account_id, simple_message("Deux"))
    move = {"mailboxIds": {"#box": True}}
    [[_, mset, _], [_, eset, _]] = alice.request(
        ["Mailbox/set", {"accountId": alice.account_id, "create": {"box": {"name": "Rangé"}}}, "0"],
        [
            "Email/set",
            {"accountId": alice.account_id, "update": {e1.email_id: move, e2.email_id: move}},
            "1",
        ],
    )
    box = mset["created"]["box"]["id"]
    assert set(eset["updated"]) == {e1.email_id, e2.email_id}
    assert not eset.get("notUpdated")
    got = alice.call("Email/get", ids=[e1.email_id, e2.email_id], properties=["mailboxIds"])
    assert [e["mailboxIds"] for e in got["list"]] == [{box: True}, {box: True}]
    # "#later" is created by a later call: the server never looks ahead.
    e3 = server.sandbox.mail.import_message(alice.account_id, simple_message("Trois"))
    [[_, eset, _], [_, mset, _]] = alice.request(
        [
            "Email/set",
            {
                "accountId": alice.account_id,
                "update": {e3.email_id: {"mailboxIds": {"#later": True}}},
            },
            "0",
        ],
        [
            "Mailbox/set",
            {"accountId": alice.account_id, "create": {"later": {"name": "Plus tard"}}},
            "1",
        ],
    )
    assert not eset.get("updated")
    assert e3.email_id in eset["notUpdated"]
    got = alice.call("Email/get", ids=[e3.email_id], properties=["mailboxIds"])
    assert got["list"][0]["mailboxIds"] == {inbox: True}


def test_set_fields_with_nothing_in_them_are_null(alice: Jmap) -> None:
    result = _create(alice, _text({"mailboxIds": {alice.mailbox("drafts"): True}}))
    assert result["created"]["new"]["id"]
    for key in ("notCreated", "updated", "notUpdated", "destroyed", "notDestroyed"):
        assert result.get(key) is None, (key, result)
    result = alice.call("Mailbox/set", create={"m": {"name": "Vide"}})
    for key in ("notCreated", "updated", "notUpdated", "destroyed", "notDestroyed"):
        assert result.get(key) is None, (key, result)


@pytest.mark.parametrize("type_name", ["Email", "Mailbox"])
def test_if_in_state_and_unknown_ids(alice: Jmap, type_name: str) -> None:
    [[response, error, _]] = alice.request(
        [
            f"{type_name}/set",
            {"accountId": alice.account_id, "ifInState": "x-bad", "destroy": []},
            "0",
        ]
    )
    assert (response, error["type"]) == ("error", "stateMismatch")
    state = alice.state(type_name)
    result = alice.call(
        f"{type_name}/set",
        ifInState=state,
        update={"nope": {"isSubscribed": True}},
        destroy=["nope"],
    )
    assert result["oldState"] == state
    assert result["notUpdated"]["nope"]["type"] == "notFound"
    assert result["notDestroyed"]["nope"]["type"] == "notFound"


# --- RFC 8620 §6.1, §6.2 upload and download ----------------------------------------------------


def test_upload_answers_the_blob_and_download_gives_it_back(
    server: ServerThread, alice: Jmap
) -> None:
    data = b"\x00\x01 des octets quelconques \xff"
    answer = _upload(server, alice, data, "application/octet-stream")
    assert answer["accountId"] == alice.account_id
    assert answer["size"] == len(data)
    assert answer["type"] == "application/octet-stream"
    url = alice.download_url(answer["blobId"], "piece.bin", "application/x-test")
    r = httpx.get(url, headers=alice.headers)
    assert r.status_code == 200
    assert r.content == data
    assert r.headers["content-type"].startswith("application/x-test")
    missing = url.replace(answer["blobId"], "Gnothere")
    assert httpx.get(missing, headers=alice.headers).status_code == 404


# --- RFC 8621 §4.6 Email/set create rules -------------------------------------------------------


def test_created_emails_have_the_server_set_properties(alice: Jmap) -> None:
    created = _create(alice, _text({"mailboxIds": {alice.mailbox("drafts"): True}}))["created"][
        "new"
    ]
    assert {"id", "blobId", "threadId", "size"} <= set(created)
    got = alice.call("Email/get", ids=[created["id"]], properties=["sentAt", "messageId"])
    assert got["list"][0]["sentAt"]
    assert got["list"][0]["messageId"]


@pytest.mark.parametrize(
    ("prop", "value", "header", "raw"),
    [
        ("messageId", ["a1@example.net"], "Message-ID", " <b1@example.net>"),
        ("inReplyTo", ["a2@example.net"], "In-Reply-To", " <b2@example.net>"),
        ("references", ["a3@example.net"], "References", " <b3@example.net>"),
        ("sender", [{"email": "s@example.org"}], "Sender", " t@example.org"),
        ("from", [{"email": "f@example.org"}], "From", " g@example.org"),
        ("to", [{"email": "t@example.org"}], "To", " u@example.org"),
        ("cc", [{"email": "c@example.org"}], "Cc", " d@example.org"),
        ("bcc", [{"email": "b@example.org"}], "Bcc", " e@example.org"),
        ("replyTo", [{"email": "r@example.org"}], "Reply-To", " q@example.org"),
        ("subject", "Un sujet", "Subject", " Autre sujet"),
        ("sentAt", "2018-08-30T12:00:59-04:00", "Date", " Thu, 30 Aug 2018 12:00:59 -0400"),
    ],
)
def test_a_header_given_twice_is_refused(
    alice: Jmap, prop: str, value: Any, header: str, raw: str
) -> None:
    drafts = {alice.mailbox("drafts"): True}
    assert _create(alice, {"mailboxIds": drafts, prop: value})["created"]["new"]["id"]
    assert _create(alice, {"mailboxIds": drafts, f"header:{header}": raw})["created"]["new"]["id"]
    error = _refused(alice, {"mailboxIds": drafts, prop: value, f"header:{header.lower()}": raw})
    assert error["properties"] in ([prop], [f"header:{header.lower()}"])


@pytest.mark.parametrize(
    "props",
    [
        {"headers": [{"name": "X-Un", "value": " 1"}]},
        {"header:Content-Type": " text/plain"},
        {"header:Content-Language:asText": "fr"},
        {"header:From:asText": "a@example.org"},
        {"header:Subject:asAddresses": [{"email": "a@example.org"}]},
    ],
)
def test_forbidden_top_level_header_properties(alice: Jmap, props: dict[str, Any]) -> None:
    error = _refused(alice, _text({"mailboxIds": {alice.mailbox("drafts"): True}, **props}))
    assert error["properties"] == list(props)


@pytest.mark.parametrize(
    "part",
    [
        {"charset": "utf-8"},
        {"size": 12},
        {"blobId": "Gsomething"},
        {"header:Content-Transfer-Encoding": " base64"},
        {"headers": [{"name": "X-Un", "value": " 1"}]},
    ],
)
def test_forbidden_body_part_properties(alice: Jmap, part: dict[str, Any]) -> None:
    _refused(alice, _text({"mailboxIds": {alice.mailbox("drafts"): True}}, **part))


@pytest.mark.parametrize("flag", ["isTruncated", "isEncodingProblem"])
def test_body_values_must_not_claim_truncation_or_encoding_problems(alice: Jmap, flag: str) -> None:
    props = _text({"mailboxIds": {alice.mailbox("drafts"): True}})
    props["bodyValues"]["1"][flag] = True
    _refused(alice, props)
    props["bodyValues"]["1"][flag] = False
    assert _create(alice, props)["created"]["new"]["id"]


def test_text_and_html_body_hold_exactly_one_part_of_their_type(alice: Jmap) -> None:
    drafts = {alice.mailbox("drafts"): True}
    values = {"1": {"value": "un"}, "2": {"value": "<p>deux</p>"}}
    two = [{"partId": "1", "type": "text/plain"}, {"partId": "2", "type": "text/plain"}]
    assert _refused(alice, {"mailboxIds": drafts, "bodyValues": values, "textBody": two})
    html_as_text = [{"partId": "2", "type": "text/html"}]
    _refused(alice, {"mailboxIds": drafts, "bodyValues": values, "textBody": html_as_text})
    text_as_html = [{"partId": "1", "type": "text/plain"}]
    _refused(alice, {"mailboxIds": drafts, "bodyValues": values, "htmlBody": text_as_html})


def test_body_structure_size_with_a_blob_id(server: ServerThread, alice: Jmap) -> None:
    blob = _upload(server, alice, b"Texte en blob.\r\n", "text/plain")
    drafts = {alice.mailbox("drafts"): True}
    part = {"blobId": blob["blobId"], "type": "text/plain"}
    ok = _create(alice, {"mailboxIds": drafts, "bodyStructure": {**part, "size": blob["size"]}})
    assert ok["created"]["new"]["id"]


def test_body_structure_must_not_repeat_a_top_level_header(alice: Jmap) -> None:
    props = {
        "mailboxIds": {alice.mailbox("drafts"): True},
        "header:X-Service": " Cardiologie",
        "bodyValues": {"1": {"value": "un"}},
        "bodyStructure": {"partId": "1", "type": "text/plain", "header:X-Service": " Autre"},
    }
    _refused(alice, props)


# --- RFC 8621 §4.8 Email/import argument and property checks ------------------------------------


@pytest.mark.parametrize("emails", [None, "aucun", ["x"]])
def test_import_emails_must_be_an_object(alice: Jmap, emails: Any) -> None:
    args: dict[str, Any] = {"accountId": alice.account_id}
    if emails is not None:
        args["emails"] = emails
    [[response, error, _]] = alice.request(["Email/import", args, "0"])
    assert (response, error["type"]) == ("error", "invalidArguments")


@pytest.mark.parametrize(
    ("props", "bad"),
    [
        ({}, ["blobId", "mailboxIds"]),
        ({"blobId": ["x"]}, ["blobId"]),
        ({"receivedAt": ["x"]}, ["receivedAt"]),
        ({"receivedAt": "hier"}, ["receivedAt"]),
        ({"mailboxIds": ["x"]}, ["mailboxIds"]),
        ({"mailboxIds": "x"}, ["mailboxIds"]),
        ({"keywords": ["x"]}, ["keywords"]),
        ({"keywords": "x"}, ["keywords"]),
    ],
)
def test_import_bad_properties_are_named(
    server: ServerThread, alice: Jmap, props: dict[str, Any], bad: list[str]
) -> None:
    blob = _upload(server, alice, simple_message(), "message/rfc822")
    base = {"blobId": blob["blobId"], "mailboxIds": {alice.mailbox("inbox"): True}}
    email = base | props if props else {}
    result = alice.call("Email/import", emails={"new": email})
    assert not result.get("created")
    error = result["notCreated"]["new"]
    assert (error["type"], error["properties"]) == ("invalidProperties", bad)


# --- never a server error: random Email/set create and Email/import objects ----------------------

_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_keys = st.sampled_from(
    [
        "mailboxIds",
        "keywords",
        "receivedAt",
        "blobId",
        "from",
        "sender",
        "subject",
        "sentAt",
        "messageId",
        "headers",
        "header:From",
        "header:from:asText",
        "header:Date:asDate",
        "header:Subject",
        "header:Message-ID:asMessageIds",
        "header:Content-Type",
        "header:X-Un:asAddresses",
        "header:X-Un:asURLs:all",
        "textBody",
        "htmlBody",
        "bodyValues",
        "bodyStructure",
        "attachments",
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(objects=st.lists(st.dictionaries(_keys, _values, max_size=6), min_size=1, max_size=3))
def test_random_create_and_import_objects_never_get_a_server_error(
    server: ServerThread, alice_token: str, objects: list[dict[str, Any]]
) -> None:
    jmap = Jmap(server.base_url, alice_token)
    creates = {f"c{i}": o for i, o in enumerate(objects)}
    r = jmap.post(
        {
            "using": [CORE, MAIL],
            "methodCalls": [
                ["Email/set", {"accountId": jmap.account_id, "create": creates}, "0"],
                ["Email/import", {"accountId": jmap.account_id, "emails": creates}, "1"],
            ],
        }
    )
    assert r.status_code == 200, r.text
    for name, result, _ in r.json()["methodResponses"]:
        assert name != "error" or result["type"] != "serverFail", result


# --- RFC 8621 §2.5 Mailbox/set destroy, §2.1 Mailbox/get properties, §3.1 Thread/get ------------


def test_destroying_a_mailbox_with_email(server: ServerThread, alice: Jmap) -> None:
    inbox = alice.mailbox("inbox")
    box = _mailbox(alice, "Dossier")
    both = server.sandbox.mail.import_message(alice.account_id, simple_message("Deux boîtes"))
    only = server.sandbox.mail.import_message(alice.account_id, simple_message("Une boîte"))
    alice.call("Email/set", update={both.email_id: {f"mailboxIds/{box}": True}})
    alice.call("Email/set", update={only.email_id: {"mailboxIds": {box: True}}})
    refused = alice.call("Mailbox/set", destroy=[box])
    assert refused["notDestroyed"][box]["type"] == "mailboxHasEmail"
    done = alice.call("Mailbox/set", destroy=[box], onDestroyRemoveEmails=True)
    assert done["destroyed"] == [box]
    got = alice.call("Email/get", ids=[both.email_id, only.email_id], properties=["mailboxIds"])
    # An email only in the destroyed mailbox is destroyed with it (§2.5).
    assert got["list"] == [{"id": both.email_id, "mailboxIds": {inbox: True}}]
    assert got["notFound"] == [only.email_id]


def test_mailbox_get_gives_only_the_asked_properties_and_the_id(alice: Jmap) -> None:
    got = alice.call("Mailbox/get", ids=None, properties=["name", "role"])
    assert got["list"]
    assert all(set(m) == {"id", "name", "role"} for m in got["list"])
    assert alice.call("Mailbox/get", ids=["nope"])["notFound"] == ["nope"]


def test_thread_get_lists_its_emails_oldest_first_and_unknown_ids(
    server: ServerThread, alice: Jmap
) -> None:
    first = server.sandbox.mail.import_message(
        alice.account_id, simple_message("Fil", message_id="fil-1@example")
    )
    reply = server.sandbox.mail.import_message(
        alice.account_id,
        simple_message("Re: Fil", message_id="fil-2@example", in_reply_to="fil-1@example"),
    )
    assert first.thread_id == reply.thread_id
    got = alice.call("Thread/get", ids=[first.thread_id, "nope"])
    assert got["list"] == [{"id": first.thread_id, "emailIds": [first.email_id, reply.email_id]}]
    assert got["notFound"] == ["nope"]
    assert alice.call("Thread/get", ids=[])["list"] == []


# --- RFC 8620 §3.6.2: another user's real account is accountNotFound, like an unknown one ------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("Email/get", {"ids": []}),
        ("Email/changes", {"sinceState": "0"}),
        ("Email/query", {}),
        ("Email/queryChanges", {"sinceQueryState": "0"}),
        ("Email/set", {}),
        ("Email/import", {"emails": {}}),
        ("Email/parse", {"blobIds": []}),
        ("Mailbox/get", {}),
        ("Mailbox/set", {}),
        ("Mailbox/changes", {"sinceState": "0"}),
        ("Mailbox/query", {}),
        ("Mailbox/queryChanges", {"sinceQueryState": "0"}),
        ("Thread/get", {"ids": []}),
        ("Thread/changes", {"sinceState": "0"}),
        ("Identity/get", {}),
        ("Identity/set", {}),
        ("Identity/changes", {"sinceState": "0"}),
        ("EmailSubmission/get", {}),
        ("EmailSubmission/set", {}),
        ("EmailSubmission/changes", {"sinceState": "0"}),
        ("EmailSubmission/query", {}),
        ("EmailSubmission/queryChanges", {"sinceQueryState": "0"}),
        ("SearchSnippet/get", {"emailIds": []}),
        ("VacationResponse/get", {}),
        ("VacationResponse/set", {"update": {"singleton": {"isEnabled": True}}}),
    ],
)
def test_another_users_account_is_account_not_found(
    server: ServerThread, alice: Jmap, bob_token: str, name: str, args: dict[str, Any]
) -> None:
    bob = Jmap(server.base_url, bob_token)
    call = [name, {**args, "accountId": bob.account_id}, "0"]
    [[response, error, _]] = alice.request(call, using=[*USING, VACATION])
    assert (response, error["type"]) == ("error", "accountNotFound")
    # The other account is untouched, even by a /set that would have changed it.
    if name == "VacationResponse/set":
        [[_, got, _]] = bob.request(
            ["VacationResponse/get", {"accountId": bob.account_id}, "0"], using=[*USING, VACATION]
        )
        assert got["list"][0]["isEnabled"] is False


# --- RFC 8621 §4.8: an imported message and its upload both stay downloadable ------------------


def test_import_keeps_the_upload_and_the_email_downloadable(
    server: ServerThread, alice: Jmap
) -> None:
    raw = simple_message("Téléchargeable").replace(b"\n", b"\r\n")
    blob = _upload(server, alice, raw, "message/rfc822")
    imported = alice.call(
        "Email/import",
        emails={"1": {"blobId": blob["blobId"], "mailboxIds": {alice.mailbox("inbox"): True}}},
    )["created"]["1"]
    template = alice.session["downloadUrl"].replace("{accountId}", alice.account_id)
    for blob_id in (blob["blobId"], imported["blobId"]):
        url = (
            template.replace("{blobId}", blob_id)
            .replace("{name}", "message.eml")
            .replace("{type}", "message/rfc822")
        )
        r = httpx.get(url, headers=alice.headers)
        assert r.status_code == 200
        assert b"T=C3=A9l=C3=A9chargeable" in r.content or "Téléchargeable".encode() in r.content
    r = httpx.get(
        template.replace("{blobId}", blob["blobId"])
        .replace("{name}", "m.eml")
        .replace("{type}", "message/rfc822"),
        headers=alice.headers,
    )
    assert r.content == raw


# --- RFC 8620 §5.3 and RFC 8621 §2: server-set Mailbox properties -------------------------------


def _flipped(box: dict[str, Any]) -> dict[str, Any]:
    wrong = dict(box, totalEmails=52, unreadEmails=52, totalThreads=52, unreadThreads=52)
    wrong["myRights"] = {k: not v for k, v in box["myRights"].items()}
    return wrong


def _server_set_errors(box: dict[str, Any]) -> set[str]:
    expected = {"id", "totalEmails", "unreadEmails", "totalThreads", "unreadThreads"}
    return expected | {f"myRights/{k}" for k in box["myRights"]}


def test_mailbox_create_takes_server_set_values_only_as_the_server_would_set_them(
    alice: Jmap,
) -> None:
    [box] = alice.call("Mailbox/get", ids=[_mailbox(alice, "Premier")])["list"]
    same = {k: v for k, v in box.items() if k != "id"} | {"name": "Second"}
    created = alice.call("Mailbox/set", create={"m": same})["created"]["m"]
    [second] = alice.call("Mailbox/get", ids=[created["id"]])["list"]
    assert second == box | {"id": created["id"], "name": "Second"}
    wrong = _flipped(box) | {"name": "Troisième"}
    error = alice.call("Mailbox/set", create={"m": wrong})["notCreated"]["m"]
    assert error["type"] == "invalidProperties"
    assert set(error["properties"]) == _server_set_errors(box)


def test_mailbox_update_accepts_the_whole_object_but_not_changed_server_set_values(
    alice: Jmap,
) -> None:
    parent = _mailbox(alice, "Parent")
    child = _mailbox(alice, "Enfant")
    moved = {"name": "Nouveau nom", "parentId": parent, "sortOrder": 53}
    assert child in alice.call("Mailbox/set", update={child: moved})["updated"]
    [box] = alice.call("Mailbox/get", ids=[child])["list"]
    assert {k: box[k] for k in moved} == moved
    whole = box | {"name": "Plus récent"}
    assert child in alice.call("Mailbox/set", update={child: whole})["updated"]
    [inbox] = alice.call("Mailbox/get", ids=[alice.mailbox("inbox")])["list"]
    assert inbox["id"] in alice.call("Mailbox/set", update={inbox["id"]: inbox})["updated"]
    wrong = _flipped(box) | {"id": child + "a"}
    error = alice.call("Mailbox/set", update={child: wrong})["notUpdated"][child]
    assert error["type"] == "invalidProperties"
    assert set(error["properties"]) == _server_set_errors(box)
    assert alice.call("Mailbox/get", ids=[child])["list"] == [whole]


def test_mailbox_create_needs_a_name(alice: Jmap) -> None:
    result = alice.call(
        "Mailbox/set",
        create={"a": {}, "b": {"name": None}, "c": {"name": ""}, "ok": {"name": "Valide"}},
    )
    assert set(result["notCreated"]) == {"a", "b", "c"}
    assert all(e["properties"] == ["name"] for e in result["notCreated"].values())
    assert result["created"]["ok"]["id"]


# --- RFC 8621 §4.1.2 and §4.6: every header form can be given on create ------------------------


def _header_round_trip(alice: Jmap, key: str, value: Any) -> list[str]:
    props = _text({"mailboxIds": {alice.mailbox("drafts"): True}, key: value})
    created = _create(alice, props)["created"]["new"]
    name = key.split(":")[1]
    raw = f"header:{name}:asRaw:all"
    [got] = alice.call("Email/get", ids=[created["id"]], properties=[raw])["list"]
    values: list[str] = got[raw]
    return values


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("header:X-Liste:all", ["chat", "chien"], [" chat", " chien"]),
        ("header:Comments:asText", "bonjour", [" bonjour"]),
        ("header:List-Id:asText", "liste", [" liste"]),
        ("header:X-Un:asText", "salut", [" salut"]),
        (
            "header:Resent-To:asAddresses",
            [{"name": "Foo Bar", "email": "foo@example.net"}],
            [" Foo Bar <foo@example.net>"],
        ),
        (
            "header:X-Groupe:asGroupedAddresses",
            [{"name": "Équipe", "addresses": [{"name": None, "email": "a@example.org"}]}],
            None,
        ),
        ("header:Resent-Message-ID:asMessageIds", ["foo@example.com"], [" <foo@example.com>"]),
        ("header:X-Un:asMessageIds", ["foo@example.com"], [" <foo@example.com>"]),
        ("header:Resent-Date:asDate", "1969-02-14T12:02:00Z", [" Fri, 14 Feb 1969 12:02:00 +0000"]),
        (
            "header:List-Help:asURLs",
            ["http://example.net", "http://example.org/aide"],
            [" <http://example.net>, <http://example.org/aide>"],
        ),
    ],
)
def test_header_forms_on_create(alice: Jmap, key: str, value: Any, expected: Any) -> None:
    got = _header_round_trip(alice, key, value)
    if expected is None:
        assert len(got) == 1
        assert "a@example.org" in got[0]
    else:
        # RFC 8621 §4.1.2.1: Raw starts right after the colon, the blank included.
        assert got == expected


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("header:X-Un", ["liste", "sans :all"]),
        ("header:X-Un:asMessageIds", "pas une liste"),
        ("header:X-Un:asDate", "hier"),
        ("header:X-Un:asURLs", ["a b"]),
        ("header:X-Un:asGroupedAddresses", [{"name": "g", "addresses": "x"}]),
        ("header:Resent-Date:asText", "lundi"),
        ("header:List-Help:asAddresses", [{"email": "a@example.org"}]),
        ("header:X-Un:all:asRaw", ["mauvais ordre"]),
    ],
)
def test_bad_header_values_or_forms_on_create(alice: Jmap, key: str, value: Any) -> None:
    error = _refused(alice, _text({"mailboxIds": {alice.mailbox("drafts"): True}, key: value}))
    assert error["properties"] == [key]


def test_from_as_addresses_and_date_as_date_become_the_email_properties(alice: Jmap) -> None:
    props = _text(
        {
            "mailboxIds": {alice.mailbox("drafts"): True},
            "header:From:asAddresses": [{"name": "Dr Petit", "email": "petit@example.org"}],
            "header:Date:asDate": "2018-08-30T16:00:59Z",
            "header:Message-ID:asMessageIds": ["unique-1@example.org"],
        }
    )
    created = _create(alice, props)["created"]["new"]
    [got] = alice.call(
        "Email/get",
        ids=[created["id"]],
        properties=["from", "sentAt", "messageId", "header:From:all"],
    )["list"]
    assert got["from"] == [{"name": "Dr Petit", "email": "petit@example.org"}]
    assert got["sentAt"] == "2018-08-30T16:00:59Z"
    assert got["messageId"] == ["unique-1@example.org"]
    assert len(got["header:From:all"]) == 1


@pytest.mark.parametrize(("body", "type_"), [("textBody", "text/plain"), ("htmlBody", "text/html")])
def test_text_and_html_body_from_an_uploaded_blob(
    server: ServerThread, alice: Jmap, body: str, type_: str
) -> None:
    blob = _upload(server, alice, "Écrit à l'avance.".encode(), type_)
    props = {"mailboxIds": {alice.mailbox("drafts"): True}, body: [{"blobId": blob["blobId"]}]}
    created = _create(alice, props)["created"]["new"]
    values = "fetchTextBodyValues" if body == "textBody" else "fetchHTMLBodyValues"
    [got] = alice.call(
        "Email/get", ids=[created["id"]], properties=[body, "bodyValues"], **{values: True}
    )["list"]
    part = got[body][0]
    assert part["type"] == type_
    assert "Écrit à l'avance." in got["bodyValues"][part["partId"]]["value"]
    missing = {"mailboxIds": props["mailboxIds"], body: [{"blobId": "Gabsent"}]}
    error = _create(alice, missing)["notCreated"]["new"]
    assert error == {"type": "blobNotFound", "notFound": ["Gabsent"]}


def test_email_get_with_no_ids_and_the_minimum_create(alice: Jmap) -> None:
    got = alice.call("Email/get", ids=[])
    assert (got["list"], got["accountId"]) == ([], alice.account_id)
    assert isinstance(got["state"], str)
    assert _refused(alice, {})["properties"] == ["mailboxIds"]
    assert _create(alice, {"mailboxIds": {alice.mailbox("drafts"): True}})["created"]["new"]["id"]
