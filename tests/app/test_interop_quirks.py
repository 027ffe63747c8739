"""What real JMAP servers do differently (seen on Cyrus IMAP, tests/interop), caught by everyday
tests: no token endpoint and a redirected Session, previews that are HTML, special folders named in
English."""

from __future__ import annotations

import functools
from pathlib import Path

import httpx
import pytest

from app.account.login import open_account
from app.remote.http import make_http_client
from app.remote.jmap import JmapClient
from app.session import mailbox_display_name
from app.sync.mapping import PREVIEW_CHARS, email_record
from server.testing import ServerThread
from tests.app.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401
from tests.server.conftest import BOB


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
