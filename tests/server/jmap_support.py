"""A tiny JMAP client for the tests, and real MIME messages to import."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

if TYPE_CHECKING:
    from server.testing import ServerThread

CORE = "urn:ietf:params:jmap:core"
MAIL = "urn:ietf:params:jmap:mail"
SUBMISSION = "urn:ietf:params:jmap:submission"
USING = [CORE, MAIL, SUBMISSION]


class Jmap:
    def __init__(self, base_url: str, token: str, using: list[str] = USING) -> None:
        self.base_url = base_url
        self.using = using
        self.headers = {"Authorization": f"Bearer {token}"}
        session = httpx.get(base_url + "/.well-known/jmap", headers=self.headers).json()
        self.session = session
        self.account_id: str = session["primaryAccounts"][MAIL]

    def post(self, body: Any) -> httpx.Response:
        return httpx.post(self.base_url + "/jmap/api", headers=self.headers, json=body)

    def request(self, *calls: list[Any], using: list[str] = USING) -> list[list[Any]]:
        r = self.post({"using": using, "methodCalls": list(calls)})
        assert r.status_code == 200, r.text
        responses: list[list[Any]] = r.json()["methodResponses"]
        return responses

    def call(self, name: str, **args: Any) -> dict[str, Any]:
        """One method on the caller's account; asserts it did not fail."""
        args.setdefault("accountId", self.account_id)
        [[response_name, result, _]] = self.request([name, args, "c0"], using=self.using)
        assert response_name == name, result
        return dict(result)

    def error(self, name: str, **args: Any) -> dict[str, Any]:
        """One method on the caller's account; asserts it failed, gives the error."""
        args.setdefault("accountId", self.account_id)
        [[response, result, _]] = self.request([name, args, "0"], using=self.using)
        assert response == "error", result
        return dict(result)

    def download_url(self, blob_id: str, name: str, type_: str) -> str:
        """The Session's downloadUrl template filled in (RFC 8620 §6.2)."""
        return (
            self.session["downloadUrl"]
            .replace("{accountId}", self.account_id)
            .replace("{blobId}", blob_id)
            .replace("{name}", quote(name, safe=""))
            .replace("{type}", quote(type_, safe=""))
        )

    def mailbox(self, role: str) -> str:
        mailboxes = self.call("Mailbox/get")["list"]
        return next(m["id"] for m in mailboxes if m["role"] == role)

    def identity(self) -> str:
        identity_id: str = self.call("Identity/get")["list"][0]["id"]
        return identity_id

    def state(self, type_name: str) -> str:
        state: str = self.call(f"{type_name}/get", ids=[])["state"]
        return state


def import_message(server: ServerThread, jmap: Jmap, raw: bytes, **kwargs: Any) -> str:
    """Puts a message in the account as an MTA would (MailStore.import_message): its email id."""
    email_id: str = server.sandbox.mail.import_message(jmap.account_id, raw, **kwargs).email_id
    return email_id


def simple_message(
    subject: str = "Bonjour",
    body: str = "Un message.",
    sender: str = "Dr Claire Petit <claire.petit@hopital.example>",
    to: str = "alice.martin@sisra-demo.mssante.fr",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    date: datetime | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = f"<{message_id}>" if message_id else make_msgid(domain="example")
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
        msg["References"] = f"<{in_reply_to}>"
    msg.set_content(body)
    return msg.as_bytes()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def mixed_with_pdf() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Laboratoire <labo@bio.example>"
    msg["To"] = "Dr Alice Martin <alice.martin@sisra-demo.mssante.fr>"
    msg["Subject"] = "Compte rendu d'examens"
    msg["Date"] = "Tue, 02 Jan 2024 09:30:00 +0100"
    msg["Message-ID"] = "<cr-labo-1@bio.example>"
    msg.set_content("Veuillez trouver le compte rendu en pièce jointe.")
    msg.add_alternative(
        "<p>Veuillez trouver le <b>compte rendu</b> en pièce jointe.</p>", subtype="html"
    )
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="résultats.pdf")
    msg.get_payload()[-1]["Content-Description"] = "CR d'examens biologiques"
    return msg.as_bytes()


ENCODED_LATIN1 = (
    b"From: =?utf-8?q?Dr_H=C3=A9l=C3=A8ne_Lef=C3=A8vre?= <helene@clinique.example>\r\n"
    b"To: alice.martin@sisra-demo.mssante.fr, =?iso-8859-1?q?Bob_Dur=E9?= <bob@x.example>\r\n"
    b"Subject: =?utf-8?q?Lettre_de_liaison_=E2=80=94_s=C3=A9jour?=\r\n"
    b"Date: Wed, 03 Jan 2024 14:00:00 +0000\r\n"
    b"Message-ID: <latin@clinique.example>\r\n"
    b"List-Post: <mailto:liste@clinique.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=iso-8859-1\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Le patient est sorti apr\xe8s un s\xe9jour sans complication.\r\n"
)

MALFORMED = (
    b"From: nobody\r\n"
    b"Subject: =?bogus-charset?q?caf=E9?= broken\r\n"
    b"Date: not a date at all\r\n"
    b'Content-Type: multipart/mixed; boundary="never-used"\r\n'
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n"
    b"this is not base64 !!! \xff\xfe and no boundary either\r\n"
)
