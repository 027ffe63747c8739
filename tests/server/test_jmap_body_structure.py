"""Email/set create from bodyStructure (RFC 8621 §4.6), against a running sandbox."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.server.jmap_support import PDF, Jmap, simple_message


def _upload(jmap: Jmap, content: bytes, content_type: str) -> str:
    url = jmap.session["uploadUrl"].replace("{accountId}", jmap.account_id)
    r = httpx.post(url, content=content, headers={**jmap.headers, "Content-Type": content_type})
    assert r.status_code == 201, r.text
    blob_id: str = r.json()["blobId"]
    return blob_id


def _create(alice: Jmap, **props: Any) -> dict[str, Any]:
    props.setdefault("mailboxIds", {alice.mailbox("drafts"): True})
    props.setdefault("subject", "Structure")
    result = alice.call("Email/set", create={"k": props})
    return dict(result)


def test_an_email_is_built_from_its_body_structure(alice: Jmap) -> None:
    pdf = _upload(alice, PDF, "application/pdf")
    structure = {
        "type": "multipart/mixed",
        "subParts": [
            {
                "type": "multipart/alternative",
                "subParts": [
                    {"partId": "t", "type": "text/plain"},
                    {"partId": "h", "type": "text/html"},
                ],
            },
            {
                "blobId": pdf,
                "type": "application/pdf",
                "name": "compte-rendu.pdf",
                "disposition": "attachment",
                "header:X-Trace:asText": "structure",
            },
        ],
    }
    values = {"t": {"value": "Bonjour en texte."}, "h": {"value": "<p>Bonjour en HTML.</p>"}}
    result = _create(alice, bodyStructure=structure, bodyValues=values)
    created = result["created"]["k"]
    [email] = alice.call(
        "Email/get",
        ids=[created["id"]],
        properties=["bodyStructure", "textBody", "htmlBody", "attachments", "bodyValues"],
        bodyProperties=["partId", "type", "name", "disposition", "blobId", "header:X-Trace:asText"],
        fetchAllBodyValues=True,
    )["list"]
    root = email["bodyStructure"]
    assert root["type"] == "multipart/mixed"
    alternative, attachment = root["subParts"]
    assert [p["type"] for p in alternative["subParts"]] == ["text/plain", "text/html"]
    assert (attachment["type"], attachment["name"]) == ("application/pdf", "compte-rendu.pdf")
    assert attachment["disposition"] == "attachment"
    assert attachment["header:X-Trace:asText"] == "structure"
    values_by_type = {
        p["type"]: email["bodyValues"][p["partId"]]["value"]
        for p in email["textBody"] + email["htmlBody"]
    }
    assert values_by_type["text/plain"].strip() == "Bonjour en texte."
    assert "Bonjour en HTML." in values_by_type["text/html"]
    [att] = email["attachments"]
    download = alice.session["downloadUrl"]
    url = (
        download.replace("{accountId}", alice.account_id)
        .replace("{blobId}", att["blobId"])
        .replace("{name}", "x.pdf")
        .replace("{type}", "application/pdf")
    )
    assert httpx.get(url, headers=alice.headers).content == PDF


def test_a_single_part_structure_and_an_attached_message(alice: Jmap) -> None:
    message = _upload(alice, simple_message(subject="Joint"), "message/rfc822")
    structure = {
        "type": "multipart/mixed",
        "subParts": [
            {"partId": "1"},
            {"blobId": message, "type": "message/rfc822", "name": "joint.eml"},
        ],
    }
    result = _create(alice, bodyStructure=structure, bodyValues={"1": {"value": "Voir pièce."}})
    [email] = alice.call(
        "Email/get", ids=[result["created"]["k"]["id"]], properties=["attachments", "preview"]
    )["list"]
    assert email["preview"].startswith("Voir pièce.")
    assert [a["type"] for a in email["attachments"]] == ["message/rfc822"]
    single = _create(alice, bodyStructure={"partId": "a"}, bodyValues={"a": {"value": "Seul."}})
    [email] = alice.call(
        "Email/get", ids=[single["created"]["k"]["id"]], properties=["bodyStructure", "preview"]
    )["list"]
    assert email["bodyStructure"]["type"] == "text/plain"
    assert email["preview"] == "Seul."


@pytest.mark.parametrize(
    ("props", "why"),
    [
        (
            {
                "bodyStructure": {"partId": "a"},
                "textBody": [{"partId": "a", "type": "text/plain"}],
            },
            "with textBody",
        ),
        ({"bodyStructure": {"partId": "a"}, "attachments": []}, "with attachments"),
        ({"bodyStructure": {"partId": "missing"}}, "a partId without bodyValue"),
        ({"bodyStructure": {"partId": "a", "type": "image/png"}}, "a bodyValue not text"),
        ({"bodyStructure": {"partId": "a", "charset": "latin1"}}, "charset with partId"),
        ({"bodyStructure": {"partId": "a", "blobId": "Bx"}}, "two contents"),
        ({"bodyStructure": {"type": "text/plain"}}, "no content"),
        ({"bodyStructure": {"type": "text/plain", "subParts": []}}, "subParts not multipart"),
        (
            {"bodyStructure": {"partId": "a", "header:Content-Transfer-Encoding": "base64"}},
            "Content-Transfer-Encoding",
        ),
        (
            {"bodyStructure": {"partId": "a", "header:Subject:asText": "x"}},
            "a top-level header",
        ),
        ({"bodyStructure": {"partId": "a", "headers": []}}, "headers"),
        ({"bodyStructure": {"partId": "a", "name": "a\r\nb"}}, "a newline in a name"),
        ({"bodyStructure": "text"}, "not an object"),
    ],
)
def test_bad_body_structures_are_refused(alice: Jmap, props: dict[str, Any], why: str) -> None:
    props.setdefault("bodyValues", {"a": {"value": "x"}})
    result = _create(alice, **props)
    assert result["created"] is None, why
    error = result["notCreated"]["k"]
    assert error["type"] == "invalidProperties", why
    assert "bodyStructure" in error["properties"], why


def test_truncated_body_values_are_refused(alice: Jmap) -> None:
    result = _create(
        alice,
        bodyStructure={"partId": "a"},
        bodyValues={"a": {"value": "x", "isTruncated": True}},
    )
    assert result["notCreated"]["k"]["type"] == "invalidProperties"


def test_an_unknown_blob_in_the_structure_is_blob_not_found(alice: Jmap) -> None:
    result = _create(
        alice, bodyStructure={"blobId": "Bnope", "type": "application/pdf", "name": "x.pdf"}
    )
    assert result["notCreated"]["k"] == {"type": "blobNotFound", "notFound": ["Bnope"]}
