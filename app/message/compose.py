"""A message being sent, and the JMAP Email/set `create` object that puts it in Drafts.

The Message-ID is made here, by the client, before anything is sent: the outbox finds the message
again on the server by it after a crash (exactly once). Ids are written the JMAP way in the create
object (`messageId`, `inReplyTo`, `references`: RFC 8621 §4.1.2.3, without angle brackets), which
every JMAP server accepts in Email/set — the sandbox, like others, refuses `header:Message-ID:
asMessageIds` on create, so the parsed-form properties are used instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app import messages
from app.errors import CoreError
from app.message import cda, doctypes, mss, receipt
from app.message.patient import XDM_FILE_NAME, PatientIdentity
from app.message.xdm import XdmSink, XdmSource, write_xdm
from app.store.records import Address

XDM_MIME_TYPE = "application/zip"
_FILE_CHUNK = 256 * 1024
MAX_REFERENCES = 30
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|ref)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_FORWARD_PREFIX = re.compile(r"^\s*(?:(?:tr|fwd?|wg)\s*:\s*)+", re.IGNORECASE)
_DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*$")


class ComposeError(CoreError):
    message = messages.COMPOSE_FAILED


@dataclass(frozen=True)
class OutgoingAttachment:
    path: Path
    name: str
    mime_type: str
    type_code: str | None = None  # a doctypes code; None = untyped

    @property
    def type_label(self) -> str | None:
        """What goes in Content-Description: the document type's label."""
        if self.type_code is None:
            return None
        return doctypes.label_of(self.type_code)


@dataclass(frozen=True)
class OutgoingMessage:
    from_: Address
    to: list[Address]
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str | None = None
    patient: PatientIdentity | None = None
    attachments: list[OutgoingAttachment] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    message_id: str = ""  # `<…@domain>`, from new_message_id()
    author_rpps: str | None = None  # the sender's RPPS, for the CDA documents' author
    patient_cannot_reply: bool = False  # X-MSS-MES: FIN, for a patient's mailbox
    read_receipt: bool = False  # issue 14 §2: Disposition-Notification-To (RFC 8098) to me

    @property
    def needs_xdm(self) -> bool:
        """A message about a patient with documents carries an IHE_XDM.ZIP (DESIGN §2.5)."""
        return self.patient is not None and bool(self.attachments)

    def mss_headers(self, nil: str = "") -> dict[str, str]:
        """Its X-MSS-* headers (app.message.mss), `nil` being the deployment's reference."""
        documents = [mss.TypedDocument(a.type_code, a.mime_type) for a in self.attachments]
        return mss.mss_headers(nil, self.patient, documents, self.patient_cannot_reply)


def check_patient_mailboxes(msg: OutgoingMessage) -> mss.PatientMailboxCheck:
    """ComposeError, said in French, when a patient mailbox among the recipients cannot take
    this message: one patient per message, a qualified INS only (DESIGN §2.5)."""
    recipients = [a.email for a in (*msg.to, *msg.cc, *msg.bcc)]
    check = mss.check_patient_mailboxes(recipients, msg.patient)
    refusal = None if check.ok else check.refusal(msg.patient)
    if refusal is not None:
        raise ComposeError("patient mailbox rules", refusal)
    return check


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def new_message_id(domain: str) -> str:
    """A fresh RFC 5322 Message-ID `<time.random@domain>`; random enough never to collide."""
    domain = domain.strip().strip(".").lower()
    if not _DOMAIN.fullmatch(domain):
        domain = "monsisra.invalid"
    stamp = format(time.time_ns() // 1_000_000, "x")
    return f"<{stamp}.{secrets.token_hex(12)}@{domain}>"


def bare_id(message_id: str) -> str:
    """A Message-ID without its angle brackets, as JMAP writes ids."""
    return message_id.strip().removeprefix("<").removesuffix(">").strip()


def _address(address: Address) -> dict[str, Any]:
    for value in (address.email, address.name or ""):
        if "\r" in value or "\n" in value:
            raise ComposeError("line break in an address", messages.ADDRESS_LINE_BREAK)
    return {"name": address.name or None, "email": address.email.strip()}


def _ids(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        bare = bare_id(value)
        if not bare or re.search(r"[\s<>]", bare):
            raise ComposeError("malformed message id")
        if bare not in out:
            out.append(bare)
    return out


def email_create(
    msg: OutgoingMessage,
    blob_ids: Mapping[str, str],
    xdm_blob_id: str | None,
    drafts_mailbox_id: str,
    mss_nil: str = "",
) -> dict[str, Any]:
    """The Email/set `create` object of `msg` as a draft.

    `blob_ids` maps each attachment's `str(path)` to the blobId of its upload; `xdm_blob_id` is the
    uploaded IHE_XDM.ZIP (see `build_message_xdm`), required when `msg.needs_xdm`; `mss_nil` the
    product reference the server's Session gives (X-MSS-NIL, omitted when empty).
    """
    if not msg.message_id:
        raise ComposeError("no Message-ID: use new_message_id()")
    if "\n" in msg.subject or "\r" in msg.subject:
        raise ComposeError("line break in subject", messages.SUBJECT_LINE_BREAK)
    create: dict[str, Any] = {
        "mailboxIds": {drafts_mailbox_id: True},
        "keywords": {"$draft": True, "$seen": True},
        "from": [_address(msg.from_)],
        "to": [_address(a) for a in msg.to],
        "subject": msg.subject,
        "messageId": _ids([msg.message_id]),
        "bodyValues": {"text": {"value": msg.text}},
        "textBody": [{"partId": "text", "type": "text/plain"}],
    }
    for name, value in msg.mss_headers(mss_nil).items():
        if "\r" in value or "\n" in value:
            raise ComposeError("line break in an X-MSS header")
        create[f"header:{name}:asText"] = value
    if msg.cc:
        create["cc"] = [_address(a) for a in msg.cc]
    if msg.bcc:
        create["bcc"] = [_address(a) for a in msg.bcc]
    if msg.in_reply_to:
        create["inReplyTo"] = _ids(msg.in_reply_to)
    if msg.references:
        create["references"] = _ids(msg.references)[-MAX_REFERENCES:]
    if msg.read_receipt:
        create[receipt.REQUEST_PROPERTY] = [_address(msg.from_)]
    if msg.html is not None:
        create["bodyValues"]["html"] = {"value": msg.html}
        create["htmlBody"] = [{"partId": "html", "type": "text/html"}]
    attachments: list[dict[str, Any]] = []
    for attachment in msg.attachments:
        blob_id = blob_ids.get(str(attachment.path))
        if blob_id is None:
            raise ComposeError("attachment not uploaded")
        part: dict[str, Any] = {
            "blobId": blob_id,
            "name": attachment.name,
            "type": attachment.mime_type,
            "disposition": "attachment",
        }
        if attachment.type_label is not None:
            part["header:Content-Description:asText"] = attachment.type_label
        attachments.append(part)
    if msg.needs_xdm:
        if xdm_blob_id is None:
            raise ComposeError("a message about a patient needs its IHE_XDM.ZIP blob")
        attachments.append(
            {
                "blobId": xdm_blob_id,
                "name": XDM_FILE_NAME,
                "type": XDM_MIME_TYPE,
                "disposition": "attachment",
            }
        )
    if attachments:
        create["attachments"] = attachments
    return create


# A document's bytes for the XDM: its size and a function yielding its pieces (read once).
DocumentContent = tuple[int, Callable[[], Iterable[bytes]]]


def build_message_xdm(
    msg: OutgoingMessage,
    created: dt.datetime | None = None,
    new_uuid: Callable[[], uuid.UUID] = uuid.uuid4,
) -> bytes:
    """The IHE_XDM.ZIP of a message about a patient, in memory, from its attachment files: for
    small documents (the outbox streams with `write_message_xdm`). Call it through a thread."""
    buffer = io.BytesIO()
    write_message_xdm(msg, buffer, None, created, new_uuid)
    return buffer.getvalue()


def write_message_xdm(
    msg: OutgoingMessage,
    out: XdmSink,
    contents: Sequence[DocumentContent] | None = None,
    created: dt.datetime | None = None,
    new_uuid: Callable[[], uuid.UUID] = uuid.uuid4,
) -> None:
    """Streams the IHE_XDM.ZIP of a message about a patient into `out` (untyped documents as
    "Autre"). `contents` gives each attachment's bytes, in order (the outbox reads its own copies
    in the encrypted unsent file); without it, the files are read piece by piece. Blocking.
    `created` and `new_uuid` fixed give the same bytes (the golden messages' tests)."""
    if msg.patient is None or not msg.attachments:
        raise ComposeError("no patient or no documents: no XDM package")
    if contents is None:
        contents = [(a.path.stat().st_size, _file_reader(a.path)) for a in msg.attachments]
    if len(contents) != len(msg.attachments):
        raise ComposeError("one content per attachment")
    created = created or dt.datetime.now(dt.UTC)
    author = msg.from_.name or msg.from_.email
    documents: list[XdmSource] = []
    for a, (raw_size, raw_chunks) in zip(msg.attachments, contents, strict=True):
        title = Path(a.name).stem or a.name
        code = a.type_code or doctypes.OTHER_CODE
        if mss.wraps_in_cda(msg.patient, a.type_code, a.mime_type):
            header = cda.cda_header(
                msg.patient, code, title, author, msg.author_rpps, created, a.mime_type, new_uuid
            )
            file_name, mime_type = f"{title}.xml", cda.CDA_MIME_TYPE
            size, chunks = cda.cda_size(header, raw_size), cda.cda_chunks(header, raw_chunks)
        else:
            file_name, mime_type, size, chunks = a.name, a.mime_type, raw_size, raw_chunks
        label = doctypes.label_of(a.type_code)
        documents.append(XdmSource(file_name, mime_type, code, label, title, size, chunks))
    write_xdm(
        out,
        msg.patient,
        documents,
        author,
        msg.from_.email,
        created,
        title=msg.subject,
        new_uuid=new_uuid,
    )


def with_conventions(msg: OutgoingMessage, today: dt.date) -> OutgoingMessage:
    """A message about a patient as MSSanté names it: the subject `XDM/1.0/DDM+…` when the user
    wrote none, and its PDFs named `<date>_<type>_<NOM>_<prénom>.pdf` (DESIGN §2.5)."""
    patient = msg.patient
    if patient is None or not msg.attachments:
        return msg
    subject = msg.subject.strip() or mss.default_subject(
        patient, [a.type_code for a in msg.attachments]
    )
    pdf = "application/pdf"
    names = mss.unique_names(
        [
            mss.pdf_name(today, a.type_code, patient) if a.mime_type == pdf else a.name
            for a in msg.attachments
        ]
    )
    attachments = [replace(a, name=n) for a, n in zip(msg.attachments, names, strict=True)]
    return replace(msg, subject=subject, attachments=attachments)


def _file_reader(path: Path) -> Callable[[], Iterator[bytes]]:
    def read() -> Iterator[bytes]:
        with path.open("rb") as f:
            while piece := f.read(_FILE_CHUNK):
                yield piece

    return read


# --- Replies and forwards ---------------------------------------------------------------------


def _addresses(value: Any) -> list[Address]:
    """Addresses of a JMAP EmailAddress list, tolerating missing names and junk entries."""
    out: list[Address] = []
    if not isinstance(value, list):
        return out
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("email"), str) and item["email"]:
            name = item.get("name")
            out.append(Address(name if isinstance(name, str) and name else None, item["email"]))
    return out


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str) and v] if isinstance(value, list) else []


def _dedupe(addresses: list[Address], exclude: set[str]) -> list[Address]:
    out: list[Address] = []
    for address in addresses:
        key = address.email.lower()
        if key not in exclude:
            exclude.add(key)
            out.append(address)
    return out


def reply_subject(subject: str) -> str:
    """ "RE: x" without stacking "RE: RE:" (French clients write "RE :", English "Re:")."""
    return "RE: " + _REPLY_PREFIX.sub("", mss.shown_subject(subject)).strip()


def forward_subject(subject: str) -> str:
    return "TR: " + _FORWARD_PREFIX.sub("", mss.shown_subject(subject)).strip()


def reply_to(
    original: Mapping[str, Any], from_: Address, reply_all: bool, mine: Iterable[str] = ()
) -> OutgoingMessage:
    """A reply to a JMAP Email object, threaded by In-Reply-To and References: to the sender (or
    its Reply-To); when replying to all, to its other recipients after the sender, and Cc to its
    Cc — never to myself (`from_` and every address of `mine`), never twice, whatever the case."""
    me = {from_.email.lower(), *(m.strip().lower() for m in mine)}
    to = _addresses(original.get("replyTo")) or _addresses(original.get("from"))
    if all(a.email.lower() in me for a in to):
        # Replying to my own message: the conversation goes on with its recipients.
        to = _addresses(original.get("to")) or to
    to = _dedupe(to, set(me) if len(to) > 1 else set())
    cc: list[Address] = []
    if reply_all:
        seen = me | {a.email.lower() for a in to}
        to += _dedupe(_addresses(original.get("to")), seen)
        cc = _dedupe(_addresses(original.get("cc")), seen)
    parent = _strings(original.get("messageId"))
    references = _strings(original.get("references")) or _strings(original.get("inReplyTo"))
    chain = [*references, *parent][-MAX_REFERENCES:]
    subject = original.get("subject")
    return OutgoingMessage(
        from_=from_,
        to=to,
        cc=cc,
        subject=reply_subject(subject if isinstance(subject, str) else ""),
        in_reply_to=parent[:1],
        references=list(dict.fromkeys(chain)),
        message_id=new_message_id(domain_of(from_.email)),
    )


def forward(original: Mapping[str, Any], from_: Address) -> OutgoingMessage:
    """A forward: "TR: " subject, no recipient yet; the caller adds the documents to pass on."""
    subject = original.get("subject")
    return OutgoingMessage(
        from_=from_,
        to=[],
        subject=forward_subject(subject if isinstance(subject, str) else ""),
        message_id=new_message_id(domain_of(from_.email)),
    )


def with_patient(msg: OutgoingMessage, patient: PatientIdentity | None) -> OutgoingMessage:
    return replace(msg, patient=patient)
