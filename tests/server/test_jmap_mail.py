"""Mailboxes, threads and emails over JMAP (RFC 8621 §2-4), against a running sandbox.

Messages are put in place the way an MTA would (MailStore.import_message, real MIME); everything
else goes over HTTP.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.testing import ServerThread
from tests.server.conftest import ALICE, ServerFactory, get_token
from tests.server.jmap_support import (
    ENCODED_LATIN1,
    MALFORMED,
    PDF,
    Jmap,
    import_message,
    mixed_with_pdf,
    simple_message,
)


def test_new_account_has_french_default_mailboxes_and_an_identity(alice: Jmap) -> None:
    mailboxes = alice.call("Mailbox/get")["list"]
    names = {m["role"]: m["name"] for m in mailboxes}
    assert names == {
        "inbox": "Boîte de réception",
        "drafts": "Brouillons",
        "sent": "Envoyés",
        "archive": "Archives",
        "trash": "Corbeille",
        "junk": "Indésirables",
    }
    assert all(m["totalEmails"] == 0 for m in mailboxes)
    [identity] = alice.call("Identity/get")["list"]
    assert (identity["name"], identity["email"]) == (ALICE.name, ALICE.email)


def test_mailbox_counts_follow_imports_and_seen(server: ServerThread, alice: Jmap) -> None:
    inbox = alice.mailbox("inbox")
    first = import_message(server, alice, simple_message(message_id="a@x"))
    import_message(server, alice, simple_message(message_id="b@x", in_reply_to="a@x"))
    import_message(server, alice, simple_message(message_id="c@x"), keywords=["$seen"])
    [box] = alice.call("Mailbox/get", ids=[inbox])["list"]
    assert (box["totalEmails"], box["unreadEmails"]) == (3, 2)
    assert (box["totalThreads"], box["unreadThreads"]) == (2, 1)
    alice.call("Email/set", update={first: {"keywords/$seen": True}})
    [box] = alice.call("Mailbox/get", ids=[inbox], properties=["unreadEmails"])["list"]
    assert box == {"id": inbox, "unreadEmails": 1}


def test_mailbox_query_filters_and_sorts(alice: Jmap) -> None:
    result = alice.call("Mailbox/query", sort=[{"property": "sortOrder"}], calculateTotal=True)
    assert result["total"] == 6
    assert result["ids"][0] == alice.mailbox("inbox")
    by_role = alice.call("Mailbox/query", filter={"role": "trash"})["ids"]
    assert by_role == [alice.mailbox("trash")]
    by_name = alice.call("Mailbox/query", filter={"name": "envoy"})["ids"]
    assert by_name == [alice.mailbox("sent")]
    names = alice.call("Mailbox/query", sort=[{"property": "name", "isAscending": False}])
    assert names["ids"][0] == alice.mailbox("junk")  # "Indésirables" … "Archives"
    assert names["ids"][-1] == alice.mailbox("archive")
    top = alice.call("Mailbox/query", filter={"parentId": None}, limit=2, position=1)
    assert len(top["ids"]) == 2
    assert top["position"] == 1


def test_mailbox_set_creates_renames_and_destroys_user_folders(
    server: ServerThread, alice: Jmap
) -> None:
    child = alice.call(
        "Mailbox/set",
        create={"k1": {"name": "Cardiologie"}, "k2": {"name": "2024", "parentId": "#k1"}},
    )
    folder = child["created"]["k1"]["id"]
    [sub] = alice.call("Mailbox/get", ids=[child["created"]["k2"]["id"]])["list"]
    assert sub["parentId"] == folder
    inbox = alice.mailbox("inbox")
    refused = alice.call(
        "Mailbox/set",
        update={inbox: {"name": "Autre"}},
        destroy=[inbox, folder],
        create={"bad": {"name": ""}},
    )
    assert refused["notUpdated"][inbox]["type"] == "forbidden"
    assert refused["notDestroyed"][inbox]["type"] == "forbidden"
    assert refused["notDestroyed"][folder]["type"] == "mailboxHasChild"
    assert refused["notCreated"]["bad"]["properties"] == ["name"]
    alice.call("Mailbox/set", update={folder: {"name": "Cardio"}})
    assert alice.call("Mailbox/get", ids=[folder])["list"][0]["name"] == "Cardio"
    email_id = import_message(server, alice, simple_message())
    alice.call("Email/set", update={email_id: {f"mailboxIds/{folder}": True}})
    done = alice.call(
        "Mailbox/set", destroy=[child["created"]["k2"]["id"], folder], onDestroyRemoveEmails=True
    )
    assert done["destroyed"] == [child["created"]["k2"]["id"], folder]
    [email] = alice.call("Email/get", ids=[email_id], properties=["mailboxIds"])["list"]
    assert email["mailboxIds"] == {inbox: True}


def test_email_get_multipart_with_pdf(server: ServerThread, alice: Jmap) -> None:
    email_id = import_message(server, alice, mixed_with_pdf())
    [email] = alice.call(
        "Email/get",
        ids=[email_id],
        fetchTextBodyValues=True,
        fetchHTMLBodyValues=True,
        bodyProperties=[
            "partId",
            "blobId",
            "type",
            "name",
            "size",
            "header:Content-Description:asText",
        ],
    )["list"]
    assert email["subject"] == "Compte rendu d'examens"
    assert email["from"] == [{"name": "Laboratoire", "email": "labo@bio.example"}]
    assert email["messageId"] == ["cr-labo-1@bio.example"]
    assert email["sentAt"] == "2024-01-02T09:30:00+01:00"
    assert email["hasAttachment"] is True
    assert email["preview"].startswith("Veuillez trouver le compte rendu")
    [text] = email["textBody"]
    [html] = email["htmlBody"]
    assert (text["type"], html["type"]) == ("text/plain", "text/html")
    assert "pièce jointe" in email["bodyValues"][text["partId"]]["value"]
    assert "<b>compte rendu</b>" in email["bodyValues"][html["partId"]]["value"]
    [pdf] = email["attachments"]
    assert pdf["type"] == "application/pdf"
    assert pdf["name"] == "résultats.pdf"
    assert pdf["size"] == len(PDF)
    assert pdf["header:Content-Description:asText"] == "CR d'examens biologiques"
    assert pdf["blobId"].startswith("B")
    [structure] = alice.call("Email/get", ids=[email_id], properties=["bodyStructure"])["list"]
    root = structure["bodyStructure"]
    assert root["type"] == "multipart/mixed"
    assert [p["type"] for p in root["subParts"]] == ["multipart/alternative", "application/pdf"]


def test_email_get_encoded_headers_latin1_and_header_forms(
    server: ServerThread, alice: Jmap
) -> None:
    email_id = import_message(server, alice, ENCODED_LATIN1)
    [email] = alice.call(
        "Email/get",
        ids=[email_id],
        properties=[
            "subject",
            "from",
            "to",
            "bodyValues",
            "textBody",
            "header:Subject",
            "header:Subject:asText",
            "header:To:asAddresses",
            "header:Message-ID:asMessageIds",
            "header:Date:asDate",
            "header:List-Post:asURLs",
            "header:X-Absent:asText",
            "header:Received:all",
        ],
        fetchAllBodyValues=True,
        maxBodyValueBytes=20,
    )["list"]
    assert email["subject"] == "Lettre de liaison — séjour"
    assert email["from"] == [{"name": "Dr Hélène Lefèvre", "email": "helene@clinique.example"}]
    assert email["to"][1] == {"name": "Bob Duré", "email": "bob@x.example"}
    assert email["header:Subject"].strip() == "=?utf-8?q?Lettre_de_liaison_=E2=80=94_s=C3=A9jour?="
    assert email["header:Subject:asText"] == "Lettre de liaison — séjour"
    assert email["header:To:asAddresses"] == email["to"]
    assert email["header:Message-ID:asMessageIds"] == ["latin@clinique.example"]
    assert email["header:Date:asDate"] == "2024-01-03T14:00:00Z"
    assert email["header:List-Post:asURLs"] == ["mailto:liste@clinique.example"]
    assert email["header:X-Absent:asText"] is None
    assert email["header:Received:all"] == []
    [part] = email["textBody"]
    assert part["charset"] == "iso-8859-1"
    value = email["bodyValues"][part["partId"]]
    assert value["value"] == "Le patient est sorti"
    assert value["isTruncated"] is True
    [full] = alice.call(
        "Email/get", ids=[email_id], properties=["bodyValues"], fetchTextBodyValues=True
    )["list"]
    assert "après un séjour" in next(iter(full["bodyValues"].values()))["value"]


def test_email_get_tolerates_a_malformed_message(server: ServerThread, alice: Jmap) -> None:
    email_id = import_message(server, alice, MALFORMED)
    [email] = alice.call("Email/get", ids=[email_id], fetchAllBodyValues=True)["list"]
    assert "broken" in email["subject"]
    assert email["sentAt"] is None
    assert email["from"] == [{"name": None, "email": "nobody"}]
    assert email["textBody"]
    assert email["size"] == len(MALFORMED)
    [[name, args, _]] = alice.request(
        [
            "Email/get",
            {
                "accountId": alice.account_id,
                "ids": [email_id],
                "properties": ["header:Bad Name:asText"],
            },
            "0",
        ]
    )
    assert (name, args["type"]) == ("error", "invalidArguments")


def test_email_query_filters_sorts_and_windows(server: ServerThread, alice: Jmap) -> None:
    base = datetime(2024, 3, 1, tzinfo=UTC)
    ids = [
        import_message(
            server,
            alice,
            simple_message(
                subject=f"Résultat n°{i}",
                body=f"corps {i} glycémie" if i % 2 else f"corps {i}",
                message_id=f"q{i}@x",
            ),
            received_at=base + timedelta(days=i),
            keywords=["$seen"] if i < 2 else [],
        )
        for i in range(6)
    ]
    pdf_id = import_message(
        server,
        alice,
        mixed_with_pdf(),
        received_at=base + timedelta(days=10),
        mailbox_role="archive",
    )
    inbox = alice.mailbox("inbox")
    newest_first = alice.call(
        "Email/query",
        filter={"inMailbox": inbox},
        sort=[{"property": "receivedAt", "isAscending": False}],
    )
    assert newest_first["ids"] == ids[::-1]
    assert alice.call("Email/query", filter={"inMailboxOtherThan": [inbox]})["ids"] == [pdf_id]
    assert alice.call("Email/query", filter={"hasAttachment": True})["ids"] == [pdf_id]
    assert set(alice.call("Email/query", filter={"body": "glycemie"})["ids"]) == {
        ids[1],
        ids[3],
        ids[5],
    }
    assert alice.call("Email/query", filter={"subject": "resultat 4"})["ids"] == [ids[4]]
    assert alice.call("Email/query", filter={"text": "résultats.pdf"})["ids"] == [pdf_id]
    assert alice.call("Email/query", filter={"from": "labo@bio.example"})["ids"] == [pdf_id]
    assert set(alice.call("Email/query", filter={"to": "alice.martin"})["ids"]) == {*ids, pdf_id}
    assert (
        alice.call(
            "Email/query", filter={"hasKeyword": "$seen"}, sort=[{"property": "receivedAt"}]
        )["ids"]
        == ids[:2]
    )
    window = alice.call(
        "Email/query",
        filter={
            "operator": "AND",
            "conditions": [
                {"notKeyword": "$seen"},
                {"after": "2024-03-03T00:00:00Z", "before": "2024-03-06T00:00:00Z"},
            ],
        },
        sort=[{"property": "receivedAt"}],
    )
    assert window["ids"] == ids[2:5]
    either = alice.call(
        "Email/query",
        filter={"operator": "OR", "conditions": [{"subject": "n°0"}, {"minSize": 1000}]},
        sort=[{"property": "receivedAt"}],
    )
    assert either["ids"] == [ids[0], pdf_id]
    negated = alice.call(
        "Email/query", filter={"operator": "NOT", "conditions": [{"inMailbox": inbox}]}
    )
    assert negated["ids"] == [pdf_id]
    assert alice.call("Email/query", filter={"header": ["Message-ID", "q3@x"]})["ids"] == [ids[3]]
    paged = alice.call(
        "Email/query", sort=[{"property": "receivedAt"}], position=-2, calculateTotal=True
    )
    assert (paged["ids"], paged["total"], paged["position"]) == ([ids[5], pdf_id], 7, 5)
    anchored = alice.call(
        "Email/query", sort=[{"property": "receivedAt"}], anchor=ids[2], anchorOffset=-1, limit=2
    )
    assert (anchored["ids"], anchored["position"]) == ([ids[1], ids[2]], 1)
    by_size = alice.call("Email/query", sort=[{"property": "size", "isAscending": False}], limit=1)
    assert by_size["ids"] == [pdf_id]


def test_collapse_threads_keeps_one_email_per_thread(server: ServerThread, alice: Jmap) -> None:
    base = datetime(2024, 3, 1, tzinfo=UTC)
    first = import_message(server, alice, simple_message(message_id="t1@x"), received_at=base)
    reply = import_message(
        server,
        alice,
        simple_message(message_id="t2@x", in_reply_to="t1@x"),
        received_at=base + timedelta(hours=1),
    )
    other = import_message(
        server, alice, simple_message(message_id="o@x"), received_at=base + timedelta(hours=2)
    )
    collapsed = alice.call(
        "Email/query", collapseThreads=True, sort=[{"property": "receivedAt", "isAscending": False}]
    )
    assert collapsed["ids"] == [other, reply]
    assert first not in collapsed["ids"]


@pytest.mark.parametrize(
    "text", ['"', "*", "'", "NEAR(", "OR", "a OR b", 'sub"ject', "col:umn", "^x", "-", "()", "😀"]
)
def test_fts_metacharacters_never_break_the_search(
    server: ServerThread, alice: Jmap, text: str
) -> None:
    import_message(server, alice, simple_message(subject="OR NEAR quotes"))
    for key in ("text", "subject", "from", "body"):
        [[name, args, _]] = alice.request(
            ["Email/query", {"accountId": alice.account_id, "filter": {key: text}}, "0"]
        )
        assert name in ("Email/query", "error")
        if name == "Email/query":
            assert isinstance(args["ids"], list)
        else:
            assert args["type"] == "invalidArguments"
    assert len(alice.call("Email/query", filter={"subject": "OR"})["ids"]) == 1


def test_query_and_get_chained_by_result_references(server: ServerThread, alice: Jmap) -> None:
    first = import_message(server, alice, simple_message(message_id="r1@x", subject="Un"))
    second = import_message(server, alice, simple_message(message_id="r2@x", in_reply_to="r1@x"))
    account = alice.account_id
    responses = alice.request(
        ["Email/query", {"accountId": account, "sort": [{"property": "receivedAt"}]}, "q"],
        [
            "Email/get",
            {
                "accountId": account,
                "properties": ["threadId", "subject"],
                "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
            },
            "g",
        ],
        [
            "Thread/get",
            {
                "accountId": account,
                "#ids": {"resultOf": "g", "name": "Email/get", "path": "/list/*/threadId"},
            },
            "t",
        ],
        [
            "Email/get",
            {
                "accountId": account,
                "properties": ["subject"],
                "#ids": {"resultOf": "t", "name": "Thread/get", "path": "/list/*/emailIds"},
            },
            "e",
        ],
    )
    assert [e["id"] for e in responses[1][1]["list"]] == [first, second]
    threads = responses[2][1]["list"]
    assert threads[0]["emailIds"] == [first, second]
    assert threads[0]["id"] == responses[1][1]["list"][0]["threadId"]
    assert len(threads) == 1  # the same thread id twice is fetched once
    assert [e["id"] for e in responses[3][1]["list"]] == [first, second]


def test_email_set_creates_a_draft_with_attachment_and_references_it(
    server: ServerThread, alice: Jmap
) -> None:
    source = import_message(server, alice, mixed_with_pdf())
    [pdf] = alice.call("Email/get", ids=[source], properties=["attachments"])["list"][0][
        "attachments"
    ]
    drafts = alice.mailbox("drafts")
    responses = alice.request(
        [
            "Email/set",
            {
                "accountId": alice.account_id,
                "create": {
                    "d1": {
                        "mailboxIds": {drafts: True},
                        "keywords": {"$draft": True, "$seen": True},
                        "from": [{"name": ALICE.name, "email": ALICE.email}],
                        "to": [
                            {"name": "Dr Bob Durand", "email": "bob.durand@sisra-demo.mssante.fr"}
                        ],
                        "cc": [{"email": "secretariat@hopital.example"}],
                        "subject": "Ordonnance de Mme Lefèvre",
                        "textBody": [{"partId": "t", "type": "text/plain"}],
                        "htmlBody": [{"partId": "h", "type": "text/html"}],
                        "bodyValues": {
                            "t": {"value": "Bonjour, ci-joint."},
                            "h": {"value": "<p>Bonjour, ci-joint.</p>"},
                        },
                        "attachments": [
                            {
                                "blobId": pdf["blobId"],
                                "type": "application/pdf",
                                "name": "ordonnance.pdf",
                                "header:Content-Description:asText": "Ordonnance (57833-6)",
                            }
                        ],
                    },
                    "bad": {"mailboxIds": {}, "subject": 3},
                    "noblob": {
                        "mailboxIds": {drafts: True},
                        "attachments": [{"blobId": "B" + "0" * 64, "type": "application/pdf"}],
                    },
                },
            },
            "s",
        ],
        [
            "Email/get",
            {
                "accountId": alice.account_id,
                "ids": ["#d1"],
                "fetchAllBodyValues": True,
                "properties": [
                    "subject",
                    "to",
                    "cc",
                    "keywords",
                    "mailboxIds",
                    "attachments",
                    "bodyValues",
                    "textBody",
                    "htmlBody",
                    "hasAttachment",
                ],
                "bodyProperties": [
                    "name",
                    "type",
                    "size",
                    "header:Content-Description:asText",
                    "disposition",
                ],
            },
            "g",
        ],
    )
    result = responses[0][1]
    assert set(result["created"]) == {"d1"}
    assert result["notCreated"]["bad"]["type"] == "invalidProperties"
    assert set(result["notCreated"]["bad"]["properties"]) == {"mailboxIds", "subject"}
    assert result["notCreated"]["noblob"]["type"] == "blobNotFound"
    [draft] = responses[1][1]["list"]
    assert draft["id"] == result["created"]["d1"]["id"]
    assert draft["subject"] == "Ordonnance de Mme Lefèvre"
    assert draft["to"] == [{"name": "Dr Bob Durand", "email": "bob.durand@sisra-demo.mssante.fr"}]
    assert draft["cc"] == [{"name": None, "email": "secretariat@hopital.example"}]
    assert draft["keywords"] == {"$draft": True, "$seen": True}
    assert draft["mailboxIds"] == {drafts: True}
    assert draft["hasAttachment"] is True
    [att] = draft["attachments"]
    assert att == {
        "name": "ordonnance.pdf",
        "type": "application/pdf",
        "size": len(PDF),
        "header:Content-Description:asText": "Ordonnance (57833-6)",
        "disposition": "attachment",
    }
    values = [v["value"] for v in draft["bodyValues"].values()]
    assert "Bonjour, ci-joint.\n" in values
    assert draft["htmlBody"][0]["type"] == "text/html"


def test_email_set_updates_with_patches_and_destroys(server: ServerThread, alice: Jmap) -> None:
    email_id = import_message(server, alice, simple_message())
    inbox, archive = alice.mailbox("inbox"), alice.mailbox("archive")
    state = alice.state("Email")
    result = alice.call(
        "Email/set",
        ifInState=state,
        update={
            email_id: {
                "keywords/$seen": True,
                "keywords/$flagged": True,
                f"mailboxIds/{inbox}": None,
                f"mailboxIds/{archive}": True,
            }
        },
    )
    assert result["updated"] == {email_id: None}
    assert result["oldState"] == state
    assert result["newState"] != state
    [email] = alice.call("Email/get", ids=[email_id], properties=["keywords", "mailboxIds"])["list"]
    assert email["keywords"] == {"$seen": True, "$flagged": True}
    assert email["mailboxIds"] == {archive: True}
    refused = alice.call(
        "Email/set",
        update={
            email_id: {f"mailboxIds/{archive}": None},
            "Enope": {"keywords/$seen": True},
        },
    )
    assert refused["notUpdated"][email_id]["type"] == "invalidProperties"
    assert refused["notUpdated"]["Enope"]["type"] == "notFound"
    bad_patch = alice.call("Email/set", update={email_id: {"subject": "x"}})
    assert bad_patch["notUpdated"][email_id]["type"] == "invalidProperties"
    gone = alice.call("Email/set", destroy=[email_id, "Enope"])
    assert gone["destroyed"] == [email_id]
    assert gone["notDestroyed"]["Enope"]["type"] == "notFound"
    assert alice.call("Email/get", ids=[email_id])["notFound"] == [email_id]


def test_email_changes_across_create_update_destroy_with_paging(
    server: ServerThread, alice: Jmap
) -> None:
    start = alice.state("Email")
    thread_start = alice.state("Thread")
    kept = import_message(server, alice, simple_message(message_id="k@x"))
    changed = import_message(server, alice, simple_message(message_id="c@x"))
    transient = import_message(server, alice, simple_message(message_id="t@x"))
    middle = alice.state("Email")
    alice.call("Email/set", destroy=[transient])
    alice.call("Email/set", update={changed: {"keywords/$seen": True}})
    whole = alice.call("Email/changes", sinceState=start)
    # Created then destroyed within the window appears nowhere.
    assert (whole["created"], whole["updated"], whole["destroyed"]) == ([kept, changed], [], [])
    assert whole["hasMoreChanges"] is False
    since_middle = alice.call("Email/changes", sinceState=middle)
    assert since_middle["updated"] == [changed]
    assert since_middle["destroyed"] == [transient]
    seen: list[str] = []
    state = start
    pages = 0
    while True:
        page = alice.call("Email/changes", sinceState=state, maxChanges=1)
        assert len(page["created"]) + len(page["updated"]) + len(page["destroyed"]) <= 1
        assert page["destroyed"] == []
        # An email created in an earlier page's window but changed later shows as updated.
        seen += page["created"] + page["updated"]
        state = page["newState"]
        pages += 1
        if not page["hasMoreChanges"]:
            break
    assert sorted(seen) == sorted([kept, changed])
    assert pages >= 2
    assert state == alice.state("Email")
    threads = alice.call("Thread/changes", sinceState=thread_start)
    assert len(threads["created"]) == 2
    mailboxes = alice.call("Mailbox/changes", sinceState="0")
    assert len(mailboxes["created"]) == 6
    [[name, args, _]] = alice.request(
        [
            "Email/changes",
            {"accountId": alice.account_id, "sinceState": start, "maxChanges": 0},
            "0",
        ]
    )
    assert (name, args["type"]) == ("error", "invalidArguments")


def test_changes_beyond_the_kept_history_cannot_be_calculated(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(changes_history=5)
    alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
    start = alice.state("Email")
    ids = [import_message(server, alice, simple_message()) for _ in range(3)]
    assert alice.call("Email/changes", sinceState=start)["created"] == ids
    for i in range(4):
        alice.call("Email/set", update={ids[0]: {"keywords/$flagged": i % 2 == 0 or None}})
    [[name, args, _]] = alice.request(
        ["Email/changes", {"accountId": alice.account_id, "sinceState": start}, "0"]
    )
    assert (name, args["type"]) == ("error", "cannotCalculateChanges")
    recent = alice.state("Email")
    alice.call("Email/set", update={ids[1]: {"keywords/$seen": True}})
    assert alice.call("Email/changes", sinceState=recent)["updated"] == [ids[1]]


def test_another_users_account_is_never_readable(
    server: ServerThread, alice: Jmap, bob_token: str
) -> None:
    bob = Jmap(server.base_url, bob_token)
    secret = import_message(server, bob, simple_message(subject="Secret de Bob"))
    for name in ("Email/get", "Email/query", "Mailbox/get", "Identity/get", "Thread/get"):
        [[response, args, _]] = alice.request([name, {"accountId": bob.account_id}, "0"])
        assert (response, args["type"]) == ("error", "accountNotFound")
    assert alice.call("Email/get", ids=[secret])["notFound"] == [secret]
    assert alice.call("Email/query", filter={"text": "Secret"})["ids"] == []
    refused = alice.call("Email/set", update={secret: {"keywords/$seen": True}}, destroy=[secret])
    assert refused["notUpdated"][secret]["type"] == "notFound"
    assert refused["notDestroyed"][secret]["type"] == "notFound"


def _upload_blob(jmap: Jmap, content: bytes) -> str:
    url = jmap.session["uploadUrl"].replace("{accountId}", jmap.account_id)
    r = httpx.post(
        url, content=content, headers={**jmap.headers, "Content-Type": "application/pdf"}
    )
    assert r.status_code == 201, r.text
    blob_id: str = r.json()["blobId"]
    return blob_id


def test_session_advertises_the_attachments_limit_and_email_set_enforces_it(
    server_factory: ServerFactory,
) -> None:
    """maxSizeAttachmentsPerEmail (RFC 8621 §1.3.1) counts unencoded attachments: two 100 kB
    blobs, each under maxSizeUpload, together over a 150 kB limit: tooLarge; one alone fits."""
    server = server_factory(max_size_upload=200_000, max_size_attachments_per_email=150_000)
    alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
    mail = alice.session["accounts"][alice.account_id]["accountCapabilities"][
        "urn:ietf:params:jmap:mail"
    ]
    assert mail["maxSizeAttachmentsPerEmail"] == 150_000
    blobs = [_upload_blob(alice, bytes([i]) * 100_000) for i in (1, 2)]
    drafts = alice.mailbox("drafts")

    def create(blob_ids: list[str]) -> dict[str, object]:
        return {
            "mailboxIds": {drafts: True},
            "subject": "Documents",
            "attachments": [
                {"blobId": b, "type": "application/pdf", "name": f"d{i}.pdf"}
                for i, b in enumerate(blob_ids)
            ],
        }

    result = alice.call("Email/set", create={"two": create(blobs), "one": create(blobs[:1])})
    assert result["notCreated"]["two"]["type"] == "tooLarge"
    assert "one" in result["created"]
    assert result["created"]["one"]["size"] > 100_000  # base64 and all: not refused for it


def test_the_attachments_limit_follows_max_size_upload_by_default(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(max_size_upload=123_456)
    alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
    mail = alice.session["accounts"][alice.account_id]["accountCapabilities"][
        "urn:ietf:params:jmap:mail"
    ]
    assert mail["maxSizeAttachmentsPerEmail"] == 123_456
