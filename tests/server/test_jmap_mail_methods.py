"""Email/parse, Email/copy, Blob/copy and SearchSnippet/get (RFC 8621 §4.7, §4.9, §5.1;
RFC 8620 §5.4, §6.3), over HTTP against a running sandbox.

The sandbox gives each user one account, so over HTTP a copy can only fail; the copying itself
is run in-process on the same sandbox with both accounts accessible, then checked over HTTP.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from server.jmap.methods import Call, MethodError
from server.jmap.methods.copy import copy_blobs, copy_emails
from server.testing import ServerThread
from tests.server.jmap_support import (
    CORE,
    MAIL,
    PDF,
    USING,
    Jmap,
    import_message,
    mixed_with_pdf,
    simple_message,
)


def _upload(jmap: Jmap, data: bytes, content_type: str = "message/rfc822") -> str:
    url = jmap.session["uploadUrl"].replace("{accountId}", jmap.account_id)
    r = httpx.post(url, content=data, headers={**jmap.headers, "Content-Type": content_type})
    assert r.status_code == 201, r.text
    blob_id: str = r.json()["blobId"]
    return blob_id


def _error(jmap: Jmap, name: str, args: dict[str, Any], using: list[str] = USING) -> str:
    [[response, result, _]] = jmap.request([name, args, "c"], using=using)
    assert response == "error", result
    kind: str = result["type"]
    return kind


# --- Email/parse ----------------------------------------------------------------------------


def test_parse_gives_the_message_properties_and_null_metadata(alice: Jmap) -> None:
    raw = mixed_with_pdf()
    blob = _upload(alice, raw)
    result = alice.call(
        "Email/parse",
        blobIds=[blob],
        properties=[
            *("id", "blobId", "threadId", "mailboxIds", "keywords", "receivedAt", "size"),
            *("subject", "from", "messageId", "sentAt", "attachments", "textBody", "bodyValues"),
        ],
        fetchTextBodyValues=True,
    )
    assert (result["notFound"], result["notParsable"]) == (None, None)
    email = result["parsed"][blob]
    for metadata in ("id", "threadId", "mailboxIds", "keywords", "receivedAt"):
        assert email[metadata] is None, metadata
    assert (email["blobId"], email["size"]) == (blob, len(raw))
    assert email["subject"] == "Compte rendu d'examens"
    assert email["from"] == [{"name": "Laboratoire", "email": "labo@bio.example"}]
    assert email["messageId"] == ["cr-labo-1@bio.example"]
    [attachment] = email["attachments"]
    assert attachment["name"] == "résultats.pdf"
    text_part = email["textBody"][0]["partId"]
    assert "compte rendu" in email["bodyValues"][text_part]["value"]
    # The parts' blobs are the account's: the attachment downloads.
    url = alice.download_url(attachment["blobId"], "r.pdf", "application/pdf")
    assert httpx.get(url, headers=alice.headers).content == PDF
    # Nothing was imported.
    assert alice.call("Email/query")["ids"] == []


def test_parse_defaults_to_the_rfc_properties(server: ServerThread, alice: Jmap) -> None:
    """RFC 8621 §4.9: Email/get's default properties less the metadata a blob does not carry."""
    raw = simple_message(subject="Défaut")
    blob = _upload(alice, raw)
    email = alice.call("Email/parse", blobIds=[blob])["parsed"][blob]
    email_id = import_message(server, alice, raw)
    [got] = alice.call("Email/get", ids=[email_id])["list"]
    metadata = {"id", "blobId", "threadId", "mailboxIds", "keywords", "size", "receivedAt"}
    assert "attachments" in got
    assert set(email) == set(got) - metadata
    assert email["subject"] == "Défaut"
    assert email["bodyValues"] == {}  # no fetch*BodyValues asked


def test_parse_body_values_and_truncation_as_email_get(alice: Jmap) -> None:
    blob = _upload(alice, simple_message(body="abcdefghij" * 10))
    email = alice.call(
        "Email/parse",
        blobIds=[blob],
        properties=["bodyValues", "header:Subject:asText", "bodyStructure"],
        bodyProperties=["partId", "type"],
        fetchAllBodyValues=True,
        maxBodyValueBytes=5,
    )["parsed"][blob]
    [value] = email["bodyValues"].values()
    assert (value["value"], value["isTruncated"]) == ("abcde", True)
    assert email["header:Subject:asText"] == "Bonjour"
    assert email["bodyStructure"]["type"] == "text/plain"
    assert set(email["bodyStructure"]) == {"partId", "type", "subParts"}


def test_parse_not_found_and_not_parsable(alice: Jmap, bob: Jmap) -> None:
    pdf = _upload(alice, PDF, "application/pdf")
    empty = _upload(alice, b"   \r\n", "text/plain")
    bobs = _upload(bob, simple_message(subject="De Bob"))
    missing = "B" + "0" * 64
    result = alice.call("Email/parse", blobIds=[pdf, empty, bobs, missing, "nonsense"])
    assert result["parsed"] is None
    assert result["notParsable"] == [pdf, empty]
    # Another account's blob is not found: its existence is not revealed.
    assert result["notFound"] == [bobs, missing, "nonsense"]


def test_parse_argument_errors(alice: Jmap) -> None:
    account = alice.account_id
    assert _error(alice, "Email/parse", {"accountId": account}) == "invalidArguments"
    assert _error(alice, "Email/parse", {"accountId": account, "blobIds": "B1"}) == (
        "invalidArguments"
    )
    assert _error(
        alice, "Email/parse", {"accountId": account, "blobIds": [], "properties": ["nope"]}
    ) == ("invalidArguments")
    assert _error(alice, "Email/parse", {"accountId": "other", "blobIds": []}) == (
        "accountNotFound"
    )
    assert _error(alice, "Email/parse", {"accountId": account, "blobIds": []}, using=[CORE]) == (
        "unknownMethod"
    )


# --- Blob/copy and Email/copy over HTTP: only errors with one account per user --------------


def test_blob_copy_errors(alice: Jmap, bob: Jmap) -> None:
    blob = _upload(alice, b"un fichier", "text/plain")
    mine, theirs = alice.account_id, bob.account_id
    args = {"fromAccountId": theirs, "accountId": mine, "blobIds": [blob]}
    assert _error(alice, "Blob/copy", args) == "fromAccountNotFound"
    args = {"fromAccountId": mine, "accountId": theirs, "blobIds": [blob]}
    assert _error(alice, "Blob/copy", args) == "accountNotFound"
    args = {"fromAccountId": mine, "accountId": mine, "blobIds": [blob]}
    assert _error(alice, "Blob/copy", args) == "invalidArguments"
    assert _error(alice, "Blob/copy", {"fromAccountId": mine}) == "invalidArguments"
    # Blob/copy is a core method: it needs only urn:ietf:params:jmap:core.
    args = {"fromAccountId": theirs, "accountId": mine, "blobIds": [blob]}
    assert _error(alice, "Blob/copy", args, using=[CORE]) == "fromAccountNotFound"


def test_email_copy_errors(server: ServerThread, alice: Jmap, bob: Jmap) -> None:
    email_id = server.sandbox.mail.import_message(alice.account_id, simple_message()).email_id
    mine, theirs = alice.account_id, bob.account_id
    create = {"c": {"id": email_id, "mailboxIds": {bob.mailbox("inbox"): True}}}
    args = {"fromAccountId": theirs, "accountId": mine, "create": create}
    assert _error(alice, "Email/copy", args) == "fromAccountNotFound"
    args = {"fromAccountId": mine, "accountId": theirs, "create": create}
    assert _error(alice, "Email/copy", args) == "accountNotFound"
    args = {"fromAccountId": mine, "accountId": mine, "create": create}
    assert _error(alice, "Email/copy", args) == "invalidArguments"
    args = {"fromAccountId": mine, "accountId": mine, "create": create}
    assert _error(alice, "Email/copy", args, using=[CORE]) == "unknownMethod"


# --- the copying itself, both accounts accessible -----------------------------------------


def _call(server: ServerThread, jmap: Jmap, name: str, args: dict[str, Any]) -> Call:
    account = server.sandbox.accounts.by_id(jmap.account_id)
    assert account is not None
    return Call(server.sandbox, account, name, args, "c", {}, using=frozenset(USING))


def test_blob_copy_between_accessible_accounts(
    server: ServerThread, alice: Jmap, bob: Jmap
) -> None:
    blob = _upload(alice, b"un compte rendu", "text/plain")
    missing = "B" + "1" * 64
    both = {alice.account_id, bob.account_id}
    args = {"fromAccountId": alice.account_id, "accountId": bob.account_id}
    result = copy_blobs(_call(server, bob, "Blob/copy", {**args, "blobIds": [blob, missing]}), both)
    assert result["copied"] == {blob: blob}
    assert result["notCopied"] == {missing: {"type": "blobNotFound"}}
    # Bob can now use it: Email/parse finds it (not parsable, but found).
    assert bob.call("Email/parse", blobIds=[blob])["notFound"] is None


def test_email_copy_creates_a_new_email_and_records_the_changes(
    server: ServerThread, alice: Jmap, bob: Jmap
) -> None:
    original = server.sandbox.mail.import_message(
        alice.account_id, simple_message(subject="À transmettre"), keywords=["$seen"]
    ).email_id
    bob_state = bob.state("Email")
    archive = bob.mailbox("archive")
    both = {alice.account_id, bob.account_id}
    args = {
        "fromAccountId": alice.account_id,
        "accountId": bob.account_id,
        "ifFromInState": alice.state("Email"),
        "ifInState": bob_state,
        "create": {
            "c1": {"id": original, "mailboxIds": {archive: True}},
            "c2": {"id": "Enope", "mailboxIds": {archive: True}},
            "c3": {"id": original, "mailboxIds": {archive: True}, "subject": "non"},
            "c4": {"id": original, "mailboxIds": {"Mnope": True}},
        },
    }
    result = copy_emails(_call(server, bob, "Email/copy", args), both)
    created = result["created"]["c1"]
    assert created["id"] != original
    assert set(created) == {"id", "blobId", "threadId", "size"}
    assert result["notCreated"]["c2"]["type"] == "notFound"
    assert result["notCreated"]["c3"] == {"type": "invalidProperties", "properties": ["subject"]}
    assert result["notCreated"]["c4"] == {"type": "invalidProperties", "properties": ["mailboxIds"]}
    assert (result["oldState"], result["fromAccountId"]) == (bob_state, alice.account_id)
    assert result["newState"] != bob_state
    # Bob sees it, with the original's keywords, in the mailbox asked for.
    [copy] = bob.call("Email/get", ids=[created["id"]])["list"]
    assert (copy["subject"], copy["keywords"], copy["mailboxIds"]) == (
        "À transmettre",
        {"$seen": True},
        {archive: True},
    )
    changes = bob.call("Email/changes", sinceState=bob_state)
    assert changes["created"] == [created["id"]]
    # The original stays (onSuccessDestroyOriginal defaults to false).
    assert alice.call("Email/get", ids=[original], properties=["id"])["notFound"] == []
    # A second copy of the same message: alreadyExists with the existing id.
    again = copy_emails(_call(server, bob, "Email/copy", args | {"ifInState": None}), both)
    assert again["notCreated"]["c1"] == {"type": "alreadyExists", "existingId": created["id"]}


def test_email_copy_state_mismatch(server: ServerThread, alice: Jmap, bob: Jmap) -> None:
    original = server.sandbox.mail.import_message(alice.account_id, simple_message()).email_id
    both = {alice.account_id, bob.account_id}
    create = {"c": {"id": original, "mailboxIds": {bob.mailbox("inbox"): True}}}
    base = {"fromAccountId": alice.account_id, "accountId": bob.account_id, "create": create}
    for name in ("ifFromInState", "ifInState"):
        with pytest.raises(MethodError) as raised:
            copy_emails(_call(server, bob, "Email/copy", {**base, name: "999"}), both)
        assert raised.value.type == "stateMismatch"
    assert bob.call("Email/query")["ids"] == []


def test_email_copy_destroys_the_original_on_success(
    server: ServerThread, alice: Jmap, bob: Jmap
) -> None:
    original = server.sandbox.mail.import_message(alice.account_id, simple_message()).email_id
    alice_state = alice.state("Email")
    both = {alice.account_id, bob.account_id}
    create = {"c": {"id": original, "mailboxIds": {bob.mailbox("inbox"): True}}}
    base = {"fromAccountId": alice.account_id, "accountId": bob.account_id, "create": create}
    # destroyFromIfInState that does not match: the copy is made, the destroy refused.
    call = _call(server, bob, "Email/copy", base | {"onSuccessDestroyOriginal": True})
    call.args["destroyFromIfInState"] = "999"
    copy_emails(call, both)
    assert call.implicit == [("error", {"type": "stateMismatch"})]
    assert alice.call("Email/get", ids=[original], properties=["id"])["notFound"] == []
    # With the right state (after a new copy target: Bob's copy is removed first).
    [copied] = bob.call("Email/query")["ids"]
    bob.call("Email/set", destroy=[copied])
    call = _call(server, bob, "Email/copy", base | {"onSuccessDestroyOriginal": True})
    call.args["destroyFromIfInState"] = alice_state
    copy_emails(call, both)
    [(name, result)] = call.implicit
    assert (name, result["destroyed"], result["accountId"]) == (
        "Email/set",
        [original],
        alice.account_id,
    )
    assert alice.call("Email/get", ids=[original], properties=["id"])["notFound"] == [original]
    assert alice.call("Email/changes", sinceState=alice_state)["destroyed"] == [original]


# --- SearchSnippet/get ----------------------------------------------------------------------


def test_snippets_mark_matches_and_escape_the_rest(server: ServerThread, alice: Jmap) -> None:
    subject = "Résultats <urgent> & IRM du genou"
    body = "Bonjour, voici l'IRM <b>du</b> genou gauche & les résultats du scanner."
    hit = server.sandbox.mail.import_message(
        alice.account_id, simple_message(subject=subject, body=body)
    ).email_id
    other = server.sandbox.mail.import_message(
        alice.account_id, simple_message(subject="Autre", body="Rien à voir.")
    ).email_id
    result = alice.call(
        "SearchSnippet/get", filter={"text": "genou"}, emailIds=[hit, other, "Enope"]
    )
    by_id = {s["emailId"]: s for s in result["list"]}
    assert by_id[hit]["subject"] == "Résultats &lt;urgent&gt; &amp; IRM du <mark>genou</mark>"
    preview = by_id[hit]["preview"]
    assert "<mark>genou</mark>" in preview
    assert "<b>" not in preview
    assert "&lt;b&gt;du&lt;/b&gt;" in preview
    assert "&amp;" in preview
    assert len(preview.encode()) <= 255
    assert by_id[other] == {"emailId": other, "subject": None, "preview": None}
    assert result["notFound"] == ["Enope"]


def test_snippets_follow_the_filter_columns(server: ServerThread, alice: Jmap) -> None:
    email_id = server.sandbox.mail.import_message(
        alice.account_id, simple_message(subject="Genou droit", body="Le genou va mieux.")
    ).email_id
    [only_subject] = alice.call(
        "SearchSnippet/get", filter={"subject": "genou"}, emailIds=[email_id]
    )["list"]
    assert only_subject["subject"] == "<mark>Genou</mark> droit"
    assert only_subject["preview"] is None
    [only_body] = alice.call(
        "SearchSnippet/get",
        filter={
            "operator": "AND",
            "conditions": [{"body": "mieux"}, {"after": "2000-01-01T00:00:00Z"}],
        },
        emailIds=[email_id],
    )["list"]
    assert only_body["subject"] is None
    assert only_body["preview"] == "Le genou va <mark>mieux</mark>."
    # Diacritics are folded as the index folds them: an accent-free search marks the accented word.
    accented = server.sandbox.mail.import_message(
        alice.account_id, simple_message(subject="Échographie prévue")
    ).email_id
    [folded] = alice.call("SearchSnippet/get", filter={"text": "echographie"}, emailIds=[accented])[
        "list"
    ]
    assert folded["subject"] == "<mark>Échographie</mark> prévue"
    # No filter, or a filter without text: nothing to highlight.
    [plain] = alice.call("SearchSnippet/get", filter=None, emailIds=[email_id])["list"]
    assert (plain["subject"], plain["preview"]) == (None, None)


def test_snippet_errors(alice: Jmap) -> None:
    account = alice.account_id
    assert (
        _error(
            alice,
            "SearchSnippet/get",
            {"accountId": account, "filter": {"bogus": 1}, "emailIds": []},
        )
        == "unsupportedFilter"
    )
    assert _error(alice, "SearchSnippet/get", {"accountId": account}) == "invalidArguments"
    too_many = [f"E{i}" for i in range(alice.session["capabilities"][CORE]["maxObjectsInGet"] + 1)]
    assert (
        _error(alice, "SearchSnippet/get", {"accountId": account, "emailIds": too_many})
        == "requestTooLarge"
    )
    assert (
        _error(alice, "SearchSnippet/get", {"accountId": account, "emailIds": []}, using=[CORE])
        == "unknownMethod"
    )
    assert MAIL in USING
