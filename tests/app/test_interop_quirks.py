"""What real JMAP servers do differently (seen on Cyrus IMAP, tests/interop), caught by everyday
tests: no token endpoint and a redirected Session, previews that are HTML, special folders named in
English."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.account.login import open_account
from app.events import EventBus
from app.message.compose import OutgoingMessage
from app.records import Address, EmailRecord
from app.remote.http import make_http_client
from app.remote.jmap import JmapClient
from app.session import AccountSession, mailbox_display_name
from app.store import mail
from app.sync.mapping import CONTENT_TYPE, PREVIEW_CHARS, email_record
from server.testing import ServerThread
from tests.app.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401
from tests.server.conftest import ALICE, BOB


class LikeCyrus(httpx.AsyncHTTPTransport):
    """The real sandbox as Cyrus answers: no /auth/token (405), and /.well-known/jmap a 301 to
    the Session's real place."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/token":
            return httpx.Response(405)
        if request.url.path == "/.well-known/jmap":
            return httpx.Response(301, headers={"Location": "/jmap/session"})
        if request.url.path == "/jmap/session":
            request = httpx.Request(
                "GET", request.url.copy_with(path="/.well-known/jmap"), headers=request.headers
            )
        return await super().handle_async_request(request)


@pytest.mark.asyncio
async def test_basic_login_follows_a_redirected_session(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    factory = functools.partial(make_http_client, transport=LikeCyrus())
    account = await open_account(
        tmp_path, server.base_url, BOB.login, BOB.password, http_factory=factory
    )
    try:
        assert account.auth is not None
        assert account.auth.mode == "basic"
        assert account.http is not None
        client = JmapClient(account.http, server.base_url + "/.well-known/jmap")
        session = await client.session()
        assert session.url == server.base_url + "/jmap/session"
        assert session.username == BOB.login
    finally:
        await account.close()


def _email(preview: str, html: str | None, text: str | None = None) -> dict[str, object]:
    values: dict[str, object] = {}
    text_body, html_body = [], []
    if text is not None:
        values["1"] = {"value": text}
        text_body = [{"partId": "1", "type": "text/plain"}]
    if html is not None:
        values["2"] = {"value": html}
        html_body = [{"partId": "2", "type": "text/html"}]
    return {
        "id": "e1",
        "threadId": "t1",
        "preview": preview,
        "bodyValues": values,
        "textBody": text_body or html_body,
        "htmlBody": html_body or text_body,
    }


def test_a_preview_sent_as_html_is_made_again_from_the_html_body() -> None:
    html = (
        "<!DOCTYPE html><html><head><style>p{margin:0}</style></head><body>"
        "<p>Chère consœur,</p><p>voici le compte rendu&nbsp;opératoire.</p>"
        + "<p>suite</p>" * 100
        + "</body></html>"
    )
    record = email_record(_email(html[:256], html))
    assert record.preview.startswith("Chère consœur, voici le compte rendu opératoire. suite")
    assert "<" not in record.preview
    assert "margin" not in record.preview
    assert len(record.preview) <= PREVIEW_CHARS
    # A plain preview is the server's, untouched; so is one starting with "<" in plain mail.
    assert email_record(_email("Bonjour", html)).preview == "Bonjour"
    plain = "<suite> du dossier"
    assert email_record(_email(plain, None, text=plain)).preview == plain


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        # RFC 8621 §4.1.2.1 Raw, as Cyrus and the sandbox send it: the blank after the colon.
        (' multipart/report; report-type=disposition-notification;\r\n\tboundary="b"', "mdn"),
        ('\r\n multipart/report;\r\n report-type="delivery-status"', "dsn"),
        ("\tMultipart/Report; report-type=Delivery-Status", "dsn"),
        ("multipart/report; report-type=delivery-status", "dsn"),
        (" multipart/mixed; boundary=x", None),
        (" multipart/report; report-type=other", None),
    ],
)
def test_the_raw_content_type_with_its_blanks_still_marks_receipts_and_reports(
    raw: str, kind: str | None
) -> None:
    record = email_record({**_email("x", None, text="x"), CONTENT_TYPE: raw})
    assert (record.is_receipt, record.is_dsn) == (kind == "mdn", kind == "dsn")


def test_special_folders_named_in_english_show_in_french() -> None:
    assert mailbox_display_name("Inbox", "inbox") == "Boîte de réception"
    assert mailbox_display_name("INBOX", "inbox") == "Boîte de réception"
    assert mailbox_display_name("Sent Items", "sent") == "Envoyés"
    assert mailbox_display_name("Trash", "trash") == "Corbeille"
    assert mailbox_display_name("Junk", "junk") == "Indésirables"
    # A folder the user named, or one without a role, keeps its name.
    assert mailbox_display_name("Mes envois", "sent") == "Mes envois"
    assert mailbox_display_name("Inbox", None) == "Inbox"
    assert mailbox_display_name("Brouillons", "drafts") == "Brouillons"


class CyrusMdn(httpx.AsyncHTTPTransport):
    """The real sandbox, but its MDN methods answer as Cyrus 3.6's do
    (tests/interop/test_cyrus_receipts.py): MDN/send refuses RFC 9007's identityId, and in its
    own form fails at the MTA; MDN/parse reads nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.mdn_calls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/jmap/api"):
            body = json.loads(await request.aread())
            names = [call[0] for call in body.get("methodCalls", [])]
            if names and all(name.startswith("MDN/") for name in names):
                return httpx.Response(200, json=self._answer(body))
        return await super().handle_async_request(request)

    def _answer(self, body: dict[str, Any]) -> dict[str, Any]:
        responses = []
        for name, args, call_id in body["methodCalls"]:
            self.mdn_calls.append(f"{name} {sorted(args)}")
            account = args.get("accountId")
            if name == "MDN/send" and "identityId" in args:
                answer = ["error", {"type": "invalidArguments", "arguments": ["identityId"]}]
            elif name == "MDN/send":
                failed = {"type": "serverFail", "description": "5.5.4 Syntax error"}
                answer = [name, {"accountId": account, "sent": None, "notSent": {"r": failed}}]
            else:
                answer = [name, {"accountId": account, "parsed": None, "notParsable": None}]
            responses.append([*answer, call_id])
        return {"methodResponses": responses, "sessionState": "cyrus"}


@pytest.mark.asyncio
async def test_read_receipts_go_and_are_read_where_mdn_methods_fail_as_on_cyrus(
    server_factory: Callable[..., ServerThread],
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    server = server_factory(jmap_mdn=True)
    like_cyrus = CyrusMdn()
    factory = functools.partial(make_http_client, transport=like_cyrus)

    async def session(login: str, password: str) -> AccountSession:
        account = await open_account(
            tmp_path / login, server.base_url, login, password, http_factory=factory
        )
        return AccountSession(account, EventBus())

    alice = await session(ALICE.login, ALICE.password)
    bob = await session(BOB.login, BOB.password)
    try:
        await alice.send(
            OutgoingMessage(
                from_=await alice.own_address(),
                to=[Address(BOB.name, BOB.email)],
                subject="Résultats",
                read_receipt=True,
            )
        )
        await alice.sync_once()
        await bob.sync_once()
        [asked] = [e for e in _emails(bob) if e.subject == "Résultats"]
        await bob.send_read_receipt(asked)  # MDN/send twice refused: the client's own MDN
        assert like_cyrus.mdn_calls == [
            "MDN/send ['accountId', 'identityId', 'onSuccessUpdateEmail', 'send']",
            "MDN/send ['accountId', 'send']",
        ]
        await alice.sync_once()  # MDN/parse reads nothing: the client reads the MDN itself
        assert like_cyrus.mdn_calls[-1].startswith("MDN/parse")
        [mine] = [e for e in _emails(alice) if e.subject == "Résultats"]
        assert [(r.recipient, r.disposition) for r in mine.read_by] == [(BOB.email, "displayed")]
        assert not [e for e in _emails(alice) if e.subject.startswith("Accusé")]
    finally:
        await alice.close()
        await bob.close()


def _emails(session: AccountSession) -> list[EmailRecord]:
    with session.account.cache.read() as conn:
        found = [mail.get_email(conn, i) for i in mail.email_ids(conn)]
    return [e for e in found if e is not None]
