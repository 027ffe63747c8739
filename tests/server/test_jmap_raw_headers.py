"""RFC 8621 §4.1.2 header forms against the octets of real messages, over HTTP.

Raw (§4.1.2.1) is everything from the octet after the field name's colon up to, not including,
the field's terminating CRLF: the blank after the colon and any folding stay. `headers` (§4.1.3)
and every body part's `headers` give the same raw values; the other forms trim and unfold.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.testing import ServerThread
from tests.server.conftest import ALICE, ServerFactory, get_token
from tests.server.jmap_support import Jmap

GOLDEN = [
    *sorted((Path(__file__).parent / "golden").glob("*.eml")),
    *sorted((Path(__file__).parent.parent / "app" / "golden").glob("*.eml")),
]

# A folded Subject, a field with no blank after the colon, a tab, a field folded right after its
# colon, an empty one, groups; a text part and an embedded message with their own fields.
MESSAGE = (
    b"From: Dr Claire Petit <claire.petit@hopital.example>\r\n"
    b"To: Cardio: a@hopital.example, b@hopital.example;, c@hopital.example\r\n"
    b"Subject: Compte rendu\r\n  de consultation\r\n"
    b"X-Colle:sans-blanc\r\n"
    b"X-Tab:\tapres tabulation\r\n"
    b"X-Plie:\r\n suite au pli\r\n"
    b"X-Vide:\r\n"
    b"Date: Mon, 07 Dec 2026 09:30:00 +0000\r\n"
    b"Message-ID: <raw-headers@hopital.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed;\r\n boundary="raw"\r\n'
    b"\r\n"
    b"--raw\r\n"
    b"Content-Type:text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding:  8bit\r\n"
    b"\r\n"
    b"Bonjour.\r\n"
    b"--raw\r\n"
    b"Content-Type: message/rfc822\r\n"
    b"\r\n"
    b"Subject:   joint\r\n"
    b"\r\n"
    b"Corps joint.\r\n"
    b"--raw--\r\n"
)


def raw_fields(head: bytes) -> list[dict[str, str]]:
    """Each field of a header section as RFC 8621 §4.1.2.1 reads it, straight from the octets."""
    fields: list[dict[str, str]] = []
    for line in re.split(rb"(?<=\n)", head):
        if not line:
            continue
        if line[:1] in (b" ", b"\t"):
            fields[-1]["value"] += line.decode()
            continue
        name, _, value = line.decode().partition(":")
        fields.append({"name": name, "value": value})
    for field in fields:
        field["value"] = re.sub(r"\r?\n$", "", field["value"])
    return fields


def head_of(raw: bytes) -> bytes:
    match = re.search(rb"\r?\n\r?\n", raw)
    assert match is not None
    return raw[: match.start() + (2 if raw[match.start()] == 13 else 1)]


def upload_and_import(server: ServerThread, jmap: Jmap, raw: bytes) -> tuple[str, str]:
    """The message imported through HTTP: its email id and blob id."""
    url = jmap.session["uploadUrl"].replace("{accountId}", jmap.account_id)
    r = httpx.post(url, headers={**jmap.headers, "Content-Type": "message/rfc822"}, content=raw)
    assert r.status_code == 201, r.text
    blob_id: str = r.json()["blobId"]
    result = jmap.call(
        "Email/import",
        emails={"m": {"blobId": blob_id, "mailboxIds": {jmap.mailbox("inbox"): True}}},
    )
    email_id: str = result["created"]["m"]["id"]
    return email_id, blob_id


@pytest.fixture
def alice(server: ServerThread, alice_token: str) -> Jmap:
    return Jmap(server.base_url, alice_token)


def _get(jmap: Jmap, email_id: str, props: list[str], **args: Any) -> dict[str, Any]:
    [email] = jmap.call("Email/get", ids=[email_id], properties=props, **args)["list"]
    return dict(email)


def test_raw_keeps_the_blank_after_the_colon_and_the_folding(
    server: ServerThread, alice: Jmap
) -> None:
    email_id, _ = upload_and_import(server, alice, MESSAGE)
    props = [
        "headers",
        "header:Subject:asRaw",
        "header:subject:asText",
        "header:X-Colle:asRaw",
        "header:X-Tab:asRaw",
        "header:X-Plie:asRaw",
        "header:X-Plie:asText",
        "header:X-Vide:asRaw:all",
        "header:Date:asDate",
        "header:Message-ID:asMessageIds",
        "subject",
    ]
    got = _get(alice, email_id, props)
    assert got["headers"] == raw_fields(head_of(MESSAGE))
    assert got["header:Subject:asRaw"] == " Compte rendu\r\n  de consultation"
    assert got["header:subject:asText"] == "Compte rendu  de consultation"
    assert got["subject"] == "Compte rendu  de consultation"
    assert got["header:X-Colle:asRaw"] == "sans-blanc"
    assert got["header:X-Tab:asRaw"] == "\tapres tabulation"
    assert got["header:X-Plie:asRaw"] == "\r\n suite au pli"
    assert got["header:X-Plie:asText"] == "suite au pli"
    assert got["header:X-Vide:asRaw:all"] == [""]
    assert got["header:Date:asDate"] == "2026-12-07T09:30:00Z"
    assert got["header:Message-ID:asMessageIds"] == ["raw-headers@hopital.example"]


def test_body_parts_keep_their_raw_values_too(server: ServerThread, alice: Jmap) -> None:
    email_id, _ = upload_and_import(server, alice, MESSAGE)
    got = _get(
        alice,
        email_id,
        ["bodyStructure", "bodyValues", "attachments"],
        bodyProperties=["partId", "type", "charset", "headers", "header:Content-Type:asRaw"],
        fetchTextBodyValues=True,
    )
    root = got["bodyStructure"]
    assert root["headers"] == raw_fields(head_of(MESSAGE))
    assert root["header:Content-Type:asRaw"] == ' multipart/mixed;\r\n boundary="raw"'
    text, embedded = root["subParts"]
    assert text["headers"] == [
        {"name": "Content-Type", "value": "text/plain; charset=utf-8"},
        {"name": "Content-Transfer-Encoding", "value": "  8bit"},
    ]
    # The blanks are kept, yet the part is read as before: its type, charset and encoding.
    assert (text["type"], text["charset"]) == ("text/plain", "utf-8")
    assert got["bodyValues"][text["partId"]]["value"] == "Bonjour."
    assert embedded["headers"] == [{"name": "Content-Type", "value": " message/rfc822"}]
    assert embedded["type"] == "message/rfc822"
    [attachment] = got["attachments"]
    assert attachment["partId"] == embedded["partId"]


def test_an_embedded_message_downloads_as_before(server: ServerThread, alice: Jmap) -> None:
    """Its octets are re-written by the email package: the kept blanks must not change them."""
    email_id, _ = upload_and_import(server, alice, MESSAGE)
    [part] = _get(alice, email_id, ["attachments"])["attachments"]
    url = (
        alice.session["downloadUrl"]
        .replace("{accountId}", alice.account_id)
        .replace("{blobId}", part["blobId"])
        .replace("{type}", "message/rfc822")
        .replace("{name}", "joint.eml")
    )
    r = httpx.get(url, headers=alice.headers)
    assert r.status_code == 200
    assert r.content.replace(b"\r\n", b"\n") == b"Subject: joint\n\nCorps joint."


def test_email_parse_gives_the_same_raw_values(server: ServerThread, alice: Jmap) -> None:
    _, blob_id = upload_and_import(server, alice, MESSAGE)
    result = alice.call(
        "Email/parse",
        blobIds=[blob_id],
        properties=["headers", "header:X-Tab:asRaw", "bodyStructure"],
        bodyProperties=["headers", "type"],
    )
    parsed = result["parsed"][blob_id]
    assert parsed["headers"] == raw_fields(head_of(MESSAGE))
    assert parsed["header:X-Tab:asRaw"] == "\tapres tabulation"
    assert parsed["bodyStructure"]["subParts"][1]["headers"] == [
        {"name": "Content-Type", "value": " message/rfc822"}
    ]


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_messages_headers_are_their_octets(
    server: ServerThread, alice: Jmap, path: Path
) -> None:
    raw = path.read_bytes()
    email_id, _ = upload_and_import(server, alice, raw)
    got = _get(alice, email_id, ["headers", "header:Content-Type:asRaw"])
    fields = raw_fields(head_of(raw))
    assert got["headers"] == fields
    content_types = [f["value"] for f in fields if f["name"].lower() == "content-type"]
    assert got["header:Content-Type:asRaw"] == (content_types[-1] if content_types else None)


# --- RFC 8621 §4.1.2.3 / §4.1.2.4: addresses flattened, or kept in their groups ----------------


def test_grouped_addresses_keep_the_groups_and_addresses_flatten_them(
    server: ServerThread, alice: Jmap
) -> None:
    email_id, _ = upload_and_import(server, alice, MESSAGE)
    got = _get(
        alice,
        email_id,
        [
            "to",
            "header:To:asAddresses",
            "header:To:asGroupedAddresses",
            "header:From:asGroupedAddresses",
        ],
    )
    a, b, c = ({"name": None, "email": f"{x}@hopital.example"} for x in ("a", "b", "c"))
    assert got["to"] == got["header:To:asAddresses"] == [a, b, c]
    assert got["header:To:asGroupedAddresses"] == [
        {"name": "Cardio", "addresses": [a, b]},
        {"name": None, "addresses": [c]},
    ]
    assert got["header:From:asGroupedAddresses"] == [
        {
            "name": None,
            "addresses": [{"name": "Dr Claire Petit", "email": "claire.petit@hopital.example"}],
        }
    ]


@pytest.mark.parametrize(
    ("value", "grouped", "flat"),
    [
        # Consecutive ungrouped addresses make one null group, on each side of a group.
        (
            'x@e.org, "Y, Z" <y@e.org>, G: a@e.org;, w@e.org',
            [
                {"name": None, "addresses": [("x@e.org", None), ("y@e.org", "Y, Z")]},
                {"name": "G", "addresses": [("a@e.org", None)]},
                {"name": None, "addresses": [("w@e.org", None)]},
            ],
            ["x@e.org", "y@e.org", "a@e.org", "w@e.org"],
        ),
        # An empty group stays, with no address; a quoted, encoded group name is decoded.
        (
            'undisclosed-recipients:;, "=?utf-8?q?=C3=89quipe?=" : "a:b" <a@e.org> (c;o);',
            [
                {"name": "undisclosed-recipients", "addresses": []},
                {"name": "Équipe", "addresses": [("a@e.org", "a:b")]},
            ],
            ["a@e.org"],
        ),
    ],
)
def test_groups_from_imported_octets(
    server: ServerThread,
    alice: Jmap,
    value: str,
    grouped: list[dict[str, Any]],
    flat: list[str],
) -> None:
    raw = MESSAGE.replace(b"To: Cardio", f"Cc: {value}\r\nTo: Cardio".encode(), 1)
    email_id, _ = upload_and_import(server, alice, raw)
    got = _get(alice, email_id, ["cc", "header:Cc:asGroupedAddresses", "header:Cc:asRaw"])
    assert got["header:Cc:asRaw"] == f" {value}"
    assert got["header:Cc:asGroupedAddresses"] == [
        {
            "name": g["name"],
            "addresses": [{"name": name, "email": addr} for addr, name in g["addresses"]],
        }
        for g in grouped
    ]
    assert [a["email"] for a in got["cc"]] == flat


# --- A sandbox from before keeps working: its cached header lists are set again ----------------


def test_header_lists_cached_before_are_rebuilt_from_the_octets(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    data = tmp_path / "ancien"
    server = server_factory(data_dir=data)
    jmap = Jmap(server.base_url, get_token(server.base_url, ALICE))
    email_id, _ = upload_and_import(server, jmap, MESSAGE)
    server.stop()
    # What the sandbox cached before: every value with its leading blanks dropped.
    with sqlite3.connect(data / "sandbox.sqlite3") as conn:
        [(parsed,)] = conn.execute("SELECT parsed FROM emails WHERE id = ?", (email_id,))
        old = json.loads(parsed)
        _strip_blanks(old["bodyStructure"])
        old["headers"] = old["bodyStructure"]["headers"]
        conn.execute("UPDATE emails SET parsed = ? WHERE id = ?", (json.dumps(old), email_id))
        conn.execute("DELETE FROM schema_version WHERE area = 'mail_raw_headers'")
    again = server_factory(data_dir=data)
    jmap = Jmap(again.base_url, get_token(again.base_url, ALICE))
    got = _get(jmap, email_id, ["headers", "bodyStructure"], bodyProperties=["headers"])
    assert got["headers"] == raw_fields(head_of(MESSAGE))
    assert got["bodyStructure"]["subParts"][0]["headers"][1]["value"] == "  8bit"
    assert got["bodyStructure"]["subParts"][1]["headers"][0]["value"] == " message/rfc822"


def _strip_blanks(node: dict[str, Any]) -> None:
    for header in node["headers"]:
        header["value"] = header["value"].lstrip(" \t")
    for sub in node["subParts"] or []:
        _strip_blanks(sub)
