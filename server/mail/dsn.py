"""Delivery status notifications (RFC 3464), as the sandbox's MTA writes them for its senders.

A DSN is a `multipart/report; report-type=delivery-status`: a readable French text part, a
`message/delivery-status` part (one block of per-message fields, then one block per recipient)
and the original's headers (`text/rfc822-headers`, RET=HDRS, the default) or the whole original
(`message/rfc822`, RET=FULL). The envelope parameters that ask for one (RFC 3461: NOTIFY, ORCPT,
RET, ENVID) are checked here too, so that EmailSubmission/set refuses what a real MTA would.
The builder takes the time and the id makers as arguments: the same inputs give the same bytes.
"""

from __future__ import annotations

import email
import email.charset
import email.policy
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime, make_msgid
from typing import Any

from server.mail import mime

NOTIFY_VALUES = {"SUCCESS", "FAILURE", "DELAY"}
RET_VALUES = {"FULL", "HDRS"}
# MAIL FROM parameters accepted: DSN's, and those of extensions every MTA has (ignored here).
MAIL_PARAMETERS = {"RET", "ENVID", "SIZE", "BODY", "SMTPUTF8"}
RCPT_PARAMETERS = {"NOTIFY", "ORCPT"}
_XTEXT = re.compile(r"^(?:[!-*,-<>-~]|\+[0-9A-F]{2})*$")
_ADDR_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
# CRLF on the wire, as RFC 5322 asks; the golden file is compared byte for byte.
POLICY = email.policy.compat32.clone(linesep="\r\n", max_line_length=998)
_QP_UTF8 = email.charset.Charset("utf-8")
_QP_UTF8.body_encoding = email.charset.QP

# Readable reasons, by status code.
_REASONS = {
    "5.1.1": "adresse inconnue dans cet espace de messagerie",
    "5.3.4": "message trop volumineux pour ce destinataire",
}


@dataclass(frozen=True)
class RecipientReport:
    """One recipient's block (RFC 3464 §2.3)."""

    final_recipient: str
    action: str  # failed | delayed | delivered | relayed | expanded
    status: str  # e.g. 5.1.1, 2.0.0
    smtp_reply: str | None = None  # the Diagnostic-Code, `550 5.1.1 …`
    original_recipient: str | None = None  # ORCPT, as given (`rfc822;addr`, xtext)

    def fields(self) -> Message:
        block = Message()
        if self.original_recipient:
            addr_type, _, address = self.original_recipient.partition(";")
            block["Original-Recipient"] = f"{addr_type};{xtext_decode(address)}"
        block["Final-Recipient"] = f"rfc822; {self.final_recipient}"
        block["Action"] = self.action
        block["Status"] = self.status
        if self.smtp_reply:
            block["Diagnostic-Code"] = f"smtp; {self.smtp_reply}"
        return block


def xtext_decode(value: str) -> str:
    """RFC 3461 §4: `+XX` is the byte XX."""
    return re.sub(r"\+([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), value)


def _string(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def check_mail_parameters(value: Any) -> dict[str, str | None] | None:
    """MAIL FROM parameters, upper-cased names; None when one is not acceptable."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        return None
    checked: dict[str, str | None] = {}
    for name, raw in value.items():
        key = name.upper() if isinstance(name, str) else ""
        if key not in MAIL_PARAMETERS or (raw is not None and not isinstance(raw, str)):
            return None
        if key == "RET" and (raw is None or raw.upper() not in RET_VALUES):
            return None
        if key == "ENVID" and (not raw or len(raw) > 100 or not _XTEXT.match(raw)):
            return None
        checked[key] = raw.upper() if key == "RET" and raw else raw
    return checked


def check_rcpt_parameters(value: Any) -> dict[str, str | None] | None:
    """RCPT TO parameters, upper-cased names; None when one is not acceptable."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        return None
    checked: dict[str, str | None] = {}
    for name, raw in value.items():
        key = name.upper() if isinstance(name, str) else ""
        if key not in RCPT_PARAMETERS or not _string(raw):
            return None
        if key == "NOTIFY":
            words = [w.strip().upper() for w in raw.split(",")]
            if words != ["NEVER"] and (
                not set(words) <= NOTIFY_VALUES or len(set(words)) != len(words)
            ):
                return None
            checked[key] = ",".join(words)
        else:
            addr_type, sep, address = raw.partition(";")
            if not sep or not _ADDR_TYPE.match(addr_type) or not address:
                return None
            if len(raw) > 500 or not _XTEXT.match(address):
                return None
            checked[key] = raw
    return checked


def notify_of(parameters: dict[str, Any] | None) -> set[str]:
    """What the recipient asked to be told about; FAILURE (and DELAY) by default (RFC 3461
    §4.1), nothing for NEVER."""
    notify = (parameters or {}).get("NOTIFY")
    if not notify:
        return {"FAILURE", "DELAY"}
    words = {w.strip().upper() for w in str(notify).split(",")}
    return set() if "NEVER" in words else words


def _original_headers(raw: bytes) -> str:
    """The original's header section as it came (bytes kept through surrogateescape)."""
    end = len(raw)
    for separator in (b"\r\n\r\n", b"\n\n"):
        at = raw.find(separator)
        if at != -1:
            end = min(end, at + len(separator) // 2)
    return raw[:end].decode("ascii", "surrogateescape")


def _text(reports: Sequence[RecipientReport], domain: str, limit: int | None) -> str:
    failed = [r for r in reports if r.action == "failed"]
    delivered = [r for r in reports if r.action in ("delivered", "relayed")]
    lines = [f"Ceci est un message automatique du serveur de messagerie {domain}.", ""]
    for r in failed:
        reason = _REASONS.get(r.status, "refusé par le serveur du destinataire")
        if r.status == "5.3.4" and limit:
            reason += f" (limite : {limit // (1024 * 1024)} Mo)"
        lines += [f"Votre message n'a pas pu être remis à {r.final_recipient} : {reason}."]
        if r.smtp_reply:
            lines += [f"    Réponse du serveur : {r.smtp_reply}"]
    if failed and delivered:
        lines.append("")
    for r in delivered:
        lines.append(f"Votre message a été remis à {r.final_recipient}.")
    lines += [
        "",
        "Le détail technique suit ; l'en-tête de votre message est joint.",
    ]
    return "\r\n".join(lines) + "\r\n"


def build(
    *,
    original: bytes,
    reports: Sequence[RecipientReport],
    to: str,
    domain: str,
    arrival: datetime,
    now: datetime,
    envelope_id: str | None = None,
    ret: str | None = None,
    full_limit: int | None = None,
    size_limit: int | None = None,
    message_id: Callable[[], str] | None = None,
    boundary: Callable[[], str] | None = None,
) -> bytes:
    """The DSN for `original`, from the sandbox's postmaster to `to` (the envelope sender).
    RET=FULL returns the whole original unless it is larger than `full_limit`; `size_limit` is
    the limit a 5.3.4 quotes."""
    make_id = message_id or (lambda: make_msgid(domain=domain))
    make_boundary = boundary or (lambda: "=_dsn_" + secrets.token_hex(12))
    headers = email.message_from_bytes(original, policy=email.policy.compat32)
    original_ids = mime.as_message_ids(headers.get("message-id"))
    failed = any(r.action == "failed" for r in reports)
    # A fixed subject, as mail servers write (Postfix: "Undelivered Mail Returned to Sender"):
    # the original's subject is in the returned headers, and a search by it finds the message,
    # not its reports.
    title = "Message non distribué" if failed else "Avis de remise"

    report = MIMEMultipart("report", report_type="delivery-status", boundary=make_boundary())
    report["From"] = f"Postmaster <MAILER-DAEMON@{domain}>"
    report["To"] = to
    report["Subject"] = title if title.isascii() else Header(title, "utf-8").encode()
    report["Date"] = format_datetime(now)
    report["Message-ID"] = make_id()
    if original_ids:
        report["In-Reply-To"] = f"<{original_ids[0]}>"
        report["References"] = f"<{original_ids[0]}>"
    report["Auto-Submitted"] = "auto-replied"
    text = MIMENonMultipart("text", "plain", charset="utf-8")
    text.set_payload(_text(reports, domain, size_limit), _QP_UTF8)  # readable as it is sent
    report.attach(text)

    per_message = Message()
    per_message["Reporting-MTA"] = f"dns; {domain}"
    if envelope_id:
        per_message["Original-Envelope-Id"] = xtext_decode(envelope_id)
    per_message["Arrival-Date"] = format_datetime(arrival)
    status = Message()
    status["Content-Type"] = "message/delivery-status"
    status.set_payload([per_message, *(r.fields() for r in reports)])
    report.attach(status)

    if (ret or "HDRS").upper() == "FULL" and (full_limit is None or len(original) <= full_limit):
        report.attach(MIMEMessage(email.message_from_bytes(original, policy=POLICY)))
    else:
        part = Message()
        part["Content-Type"] = "text/rfc822-headers"
        part.set_payload(_original_headers(original))
        report.attach(part)
    return report.as_bytes(policy=POLICY)
