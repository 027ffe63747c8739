"""RFC 5322 / MIME parsing and building, the way a JMAP server sees a message (RFC 8621 §4.1).

Parsing is tolerant: broken headers, unknown charsets, bad base64 and missing boundaries give a
best-effort result, never an exception. The parse result is plain JSON, cached at import so that
Email/get never re-parses a message.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import hashlib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from typing import Any, cast

PREVIEW_CHARS = 256
_MSGID = re.compile(r"<([^<>\s]+)>")
_URL = re.compile(r"<([^<>]+)>")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_FOLD = re.compile(r"\r?\n(?=[ \t])")

Json = dict[str, Any]


@dataclass
class ParsedMessage:
    """`data` is the cached JSON; `contents` the decoded octets of each leaf part by partId."""

    data: Json
    contents: dict[str, bytes] = field(default_factory=dict)


def fix_text(value: str) -> str:
    """Header text read from bytes keeps non-ASCII octets as surrogates: decode them properly."""
    if not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    raw = value.encode("ascii", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def unfold(value: str) -> str:
    return _FOLD.sub("", value)


def as_text(raw: str | None) -> str | None:
    if raw is None:
        return None
    value = unfold(fix_text(raw)).strip()
    if "=?" not in value:
        return value
    try:
        return str(email.header.make_header(email.header.decode_header(value))).strip()
    except (UnicodeError, LookupError, ValueError, email.errors.HeaderParseError):
        return value


def as_addresses(raw: str | None) -> list[Json] | None:
    if raw is None:
        return None
    value = unfold(fix_text(raw))
    result: list[Json] = []
    try:
        pairs = email.utils.getaddresses([value])
    except (ValueError, IndexError):
        return result
    for name, addr in pairs:
        if not name and not addr:
            continue
        decoded = as_text(name) if name else None
        result.append({"name": decoded or None, "email": addr})
    return result


def _address_groups(value: str) -> list[tuple[str | None, str]]:
    """The address-list cut at its groups (RFC 5322 §3.4 `display-name ":" [list] ";"`): each
    piece's group phrase (None outside a group) and the text of its addresses. Colons, commas
    and semicolons inside quotes, comments or angle brackets are not syntax."""
    pieces: list[tuple[str | None, str]] = []
    group: str | None = None
    start = item = 0
    quoted = angle = False
    depth = 0
    i = 0
    while i < len(value):
        c = value[i]
        if quoted or depth:
            if c == "\\":
                i += 1
            elif quoted and c == '"':
                quoted = False
            elif depth and c in "()":
                depth += 1 if c == "(" else -1
        elif c == '"':
            quoted = True
        elif c == "(":
            depth = 1
        elif angle:
            angle = c != ">"
        elif c == "<":
            angle = True
        elif c == "," and group is None:
            item = i + 1
        elif c == ":" and group is None:
            pieces.append((None, value[start:item]))
            group, start = value[item:i], i + 1
        elif c == ";" and group is not None:
            pieces.append((group, value[start:i]))
            group, start, item = None, i + 1, i + 1
        i += 1
    pieces.append((group, value[start:]))
    return pieces


def _group_name(phrase: str) -> str | None:
    phrase = phrase.strip()
    if len(phrase) >= 2 and phrase[0] == phrase[-1] == '"':
        phrase = email.utils.unquote(phrase)
    return as_text(phrase) or None


def as_grouped_addresses(raw: str | None) -> list[Json] | None:
    """RFC 8621 §4.1.2.4: the groups kept; addresses outside any group, when consecutive, make
    one group named null."""
    if raw is None:
        return None
    result: list[Json] = []
    for phrase, text in _address_groups(unfold(fix_text(raw))):
        addresses = as_addresses(text) or []
        if phrase is not None:
            result.append({"name": _group_name(phrase), "addresses": addresses})
        elif addresses and result and result[-1]["name"] is None:
            result[-1]["addresses"].extend(addresses)
        elif addresses:
            result.append({"name": None, "addresses": addresses})
    return result


def as_message_ids(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    ids = _MSGID.findall(unfold(fix_text(raw)))
    return ids or None


def as_date(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(unfold(fix_text(raw)).strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return format_date(parsed)


def as_urls(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    urls = [u.strip() for u in _URL.findall(unfold(fix_text(raw)))]
    return urls or None


def format_date(value: datetime) -> str:
    """RFC 3339 with the original offset, `Z` for UTC."""
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def utc_date(value: datetime) -> str:
    return format_date(value.astimezone(UTC))


HEADER_FORMS = {
    "asRaw": lambda raw: raw,
    "asText": as_text,
    "asAddresses": as_addresses,
    "asGroupedAddresses": as_grouped_addresses,
    "asMessageIds": as_message_ids,
    "asDate": as_date,
    "asURLs": as_urls,
}


def header_value(headers: list[Json], name: str, form: str, all_values: bool) -> Any:
    """The `header:{name}:{form}[:all]` property over a cached header list."""
    convert = HEADER_FORMS[form]
    raws = [h["value"] for h in headers if h["name"].lower() == name.lower()]
    if all_values:
        return [convert(r) for r in raws]
    return convert(raws[-1]) if raws else None


def _raw_headers(part: Message) -> list[Json]:
    """Each field's value as it came (RFC 8621 §4.1.2.1 Raw, §4.1.3 `headers`)."""
    return [{"name": name, "value": fix_text(value)} for name, value in part.raw_items()]


def _trimmed(value: Any) -> Any:
    return value.lstrip(" \t") if isinstance(value, str) else value


class _RawPolicy(email.policy.Compat32):
    """compat32 that stores what follows a field's colon untouched (the space, the folding):
    RFC 8621 §4.1.2.1 Raw starts right after the colon. compat32 drops the leading blanks;
    every read through the email package (`get`, content types, re-serialising an embedded
    message) still sees the value so trimmed, only `raw_items` gives the octets."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = sourcelines[0].split(":", 1)
        return name, (value + "".join(sourcelines[1:])).rstrip("\r\n")

    def header_fetch_parse(self, name: str, value: str) -> Any:
        return super().header_fetch_parse(name, _trimmed(value))

    def fold(self, name: str, value: str) -> str:
        return super().fold(name, _trimmed(value))

    def fold_binary(self, name: str, value: str) -> bytes:
        return super().fold_binary(name, _trimmed(value))


_RAW_POLICY = _RawPolicy()


def refresh_headers(root: Json, raw: bytes) -> None:
    """Sets again the header lists of a cached parse (its root and every body part) from the
    message's octets, in the order parse_message walked them."""
    _refresh(root, email.message_from_bytes(raw, policy=_RAW_POLICY))


def _refresh(node: Json, msg: Message) -> None:
    node["headers"] = _raw_headers(msg)
    payload = msg.get_payload()
    subs = [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []
    for sub_node, sub_msg in zip(node["subParts"] or [], subs, strict=False):
        _refresh(sub_node, sub_msg)


def _first(headers: list[Json], name: str) -> str | None:
    for h in headers:
        if h["name"].lower() == name:
            value: str = h["value"]
            return value
    return None


def _is_inline_media(type_: str) -> bool:
    return type_.startswith(("image/", "audio/", "video/"))


def _decode_text(content: bytes, charset: str | None) -> tuple[str, bool]:
    """Text in the declared charset, with LF line ends; the flag says decoding went wrong."""
    text, problem = _decode_charset(content, charset)
    return text.replace("\r\n", "\n"), problem


def _decode_charset(content: bytes, charset: str | None) -> tuple[str, bool]:
    name = (charset or "us-ascii").strip().strip('"').lower() or "us-ascii"
    if name in ("us-ascii", "ascii"):
        name = "utf-8"  # bodies labelled ASCII are often UTF-8 in practice
    try:
        text = content.decode(name)
        return text, False
    except LookupError:
        return content.decode("utf-8", errors="replace"), True
    except UnicodeDecodeError:
        if name == "utf-8":
            return content.decode("latin-1"), True
        return content.decode(name, errors="replace"), True


def html_to_text(value: str) -> str:
    value = re.sub(r"<br\s*/?>|</p\s*>|</div\s*>", "\n", value, flags=re.IGNORECASE)
    return html.unescape(_TAG.sub(" ", value))


class _Walker:
    def __init__(self) -> None:
        self.contents: dict[str, bytes] = {}
        self.values: dict[str, Json] = {}
        self._next = 0

    def part(self, msg: Message, depth: int = 0) -> Json:
        headers = _raw_headers(msg)
        try:
            type_ = msg.get_content_type().lower()
        except (ValueError, IndexError):
            type_ = "application/octet-stream"
        try:
            disposition = msg.get_content_disposition()
        except (ValueError, IndexError):
            disposition = None
        try:
            name = msg.get_filename()
        except (ValueError, IndexError, LookupError):
            name = None
        cid = as_text(_first(headers, "content-id"))
        language = as_text(_first(headers, "content-language"))
        node: Json = {
            "partId": None,
            "blobId": None,
            "size": 0,
            "headers": headers,
            "name": as_text(name) if name else None,
            "type": type_,
            "charset": None,
            "disposition": disposition,
            "cid": cid.strip("<>") if cid else None,
            "language": [x.strip() for x in language.split(",") if x.strip()] if language else None,
            "location": as_text(_first(headers, "content-location")),
            "subParts": None,
        }
        payload = msg.get_payload()
        if type_.startswith("multipart/") and isinstance(payload, list) and depth < 40:
            node["subParts"] = [self.part(p, depth + 1) for p in payload if isinstance(p, Message)]
            return node
        if type_.startswith("multipart/"):  # no parsable boundary: treat the body as text
            node["type"] = type_ = "text/plain"
        self._next += 1
        part_id = str(self._next)
        node["partId"] = part_id
        content = self._content(msg, payload)
        node["size"] = len(content)
        self.contents[part_id] = content
        if type_.startswith("text/"):
            charset = msg.get_param("charset")
            charset_name = (fix_text(charset) if isinstance(charset, str) else None) or "us-ascii"
            node["charset"] = charset_name.lower()
            text, problem = _decode_text(content, charset_name)
            self.values[part_id] = {"value": text, "isEncodingProblem": problem}
        return node

    @staticmethod
    def _content(msg: Message, payload: Any) -> bytes:
        if isinstance(payload, list):  # message/rfc822 and friends: the embedded message's octets
            try:
                return b"".join(p.as_bytes() for p in payload if isinstance(p, Message))
            except (UnicodeError, LookupError, ValueError, TypeError):
                return b""
        try:
            decoded = msg.get_payload(decode=True)
        except (ValueError, TypeError, LookupError):
            decoded = None
        if isinstance(decoded, bytes):
            return decoded
        if isinstance(payload, str):
            return payload.encode("utf-8", "surrogateescape")
        return b""


def _structure(
    parts: list[Json],
    multipart_type: str,
    in_alternative: bool,
    html_body: list[Json] | None,
    text_body: list[Json] | None,
    attachments: list[Json],
) -> None:
    """RFC 8621 §4.1.4 parseStructure, step for step."""
    text_length = len(text_body) if text_body is not None else -1
    html_length = len(html_body) if html_body is not None else -1
    for i, part in enumerate(parts):
        type_ = part["type"]
        is_multipart = type_.startswith("multipart/")
        is_inline = (
            part["disposition"] != "attachment"
            and (type_ in ("text/plain", "text/html") or _is_inline_media(type_))
            and (
                i == 0
                or (multipart_type != "related" and (_is_inline_media(type_) or not part["name"]))
            )
        )
        if is_multipart:
            sub = type_.split("/", 1)[1]
            _structure(
                part["subParts"] or [],
                sub,
                in_alternative or sub == "alternative",
                html_body,
                text_body,
                attachments,
            )
        elif is_inline:
            if multipart_type == "alternative":
                if type_ == "text/plain" and text_body is not None:
                    text_body.append(part)
                elif type_ == "text/html" and html_body is not None:
                    html_body.append(part)
                elif type_ not in ("text/plain", "text/html"):
                    attachments.append(part)
                continue
            if in_alternative:
                if type_ == "text/plain":
                    html_body = None
                if type_ == "text/html":
                    text_body = None
            if text_body is not None:
                text_body.append(part)
            if html_body is not None:
                html_body.append(part)
            if (text_body is None or html_body is None) and _is_inline_media(type_):
                attachments.append(part)
        else:
            attachments.append(part)
    if multipart_type == "alternative" and text_body is not None and html_body is not None:
        if text_length == len(text_body) and html_length != len(html_body):
            text_body.extend(html_body[html_length:])
        if html_length == len(html_body) and text_length != len(text_body):
            html_body.extend(text_body[text_length:])


def parse_message(raw: bytes) -> ParsedMessage:
    msg = email.message_from_bytes(raw, policy=_RAW_POLICY)
    walker = _Walker()
    root = walker.part(msg)
    text_body: list[Json] = []
    html_body: list[Json] = []
    attachments: list[Json] = []
    _structure([root], "mixed", False, html_body, text_body, attachments)
    headers = root["headers"]

    def one(name: str) -> str | None:
        values = [h["value"] for h in headers if h["name"].lower() == name]
        return values[-1] if values else None

    preview_source = ""
    for part in text_body:
        value = walker.values.get(part["partId"] or "", {}).get("value", "")
        preview_source = html_to_text(value) if part["type"] == "text/html" else value
        if preview_source.strip():
            break
    body_text = " ".join(
        html_to_text(v["value"]) if _part_type(root, pid) == "text/html" else v["value"]
        for pid, v in walker.values.items()
        if any(p["partId"] == pid for p in text_body + html_body)
    )
    has_attachment = any(
        p["disposition"] == "attachment" or not (_is_inline_media(p["type"]) and p["cid"])
        for p in attachments
    )
    data: Json = {
        "headers": headers,
        "bodyStructure": root,
        "textBody": [p["partId"] for p in text_body],
        "htmlBody": [p["partId"] for p in html_body],
        "attachments": [p["partId"] for p in attachments],
        "bodyValues": walker.values,
        "preview": _SPACE.sub(" ", preview_source).strip()[:PREVIEW_CHARS],
        "hasAttachment": has_attachment,
        "messageId": as_message_ids(one("message-id")),
        "inReplyTo": as_message_ids(one("in-reply-to")),
        "references": as_message_ids(one("references")),
        "sender": as_addresses(one("sender")),
        "from": as_addresses(one("from")),
        "to": as_addresses(one("to")),
        "cc": as_addresses(one("cc")),
        "bcc": as_addresses(one("bcc")),
        "replyTo": as_addresses(one("reply-to")),
        "subject": as_text(one("subject")),
        "sentAt": as_date(one("date")),
        "bodyText": body_text,
        "attachmentNames": " ".join(p["name"] for p in attachments if p["name"]),
    }
    return ParsedMessage(data=data, contents=walker.contents)


def _part_type(root: Json, part_id: str) -> str:
    for part in iter_parts(root):
        if part["partId"] == part_id:
            kind: str = part["type"]
            return kind
    return ""


def iter_parts(root: Json) -> list[Json]:
    out: list[Json] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node["subParts"] or []))
    return out


def blob_id_of(content: bytes) -> str:
    """The id BlobStore gives these octets (content-addressed)."""
    return "B" + hashlib.sha256(content).hexdigest()


# --- building ------------------------------------------------------------------------------


@dataclass
class Attachment:
    content: bytes
    type: str
    name: str | None = None
    disposition: str = "attachment"
    cid: str | None = None
    description: str | None = None


@dataclass
class Draft:
    """What Email/set create gives, in structured form."""

    from_: list[Json]
    to: list[Json] = field(default_factory=list)
    cc: list[Json] = field(default_factory=list)
    bcc: list[Json] = field(default_factory=list)
    reply_to: list[Json] = field(default_factory=list)
    subject: str | None = None
    text: str | None = None
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    message_id: str | None = None
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    sent_at: datetime | None = None
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    # A whole body built from Email/set's bodyStructure; replaces text, html and attachments.
    body: EmailMessage | None = None


def format_addresses(addresses: list[Json]) -> str:
    return ", ".join(email.utils.formataddr((a.get("name") or "", a["email"])) for a in addresses)


# SMTP's policy, but headers read from a source (an attached message's) are written as they came.
_AS_IS = email.policy.EmailPolicy(linesep="\r\n", refold_source="none")


def _embedded_message(att: Attachment) -> EmailMessage:
    """A whole message as an attachment, its octets unchanged: message/rfc822 admits no
    transfer encoding but 7bit, 8bit or binary (RFC 2046 §5.2.1), so no base64."""
    part = EmailMessage(policy=email.policy.SMTP)
    part["Content-Type"] = "message/rfc822"
    part["Content-Disposition"] = "attachment"
    if att.name:
        part.set_param("filename", att.name, header="Content-Disposition")
    part["Content-Transfer-Encoding"] = "7bit" if att.content.isascii() else "8bit"
    if att.description:
        part["Content-Description"] = att.description
    # Parsed as it came (compat32 keeps raw header values and 8-bit text), written back as it
    # came by `build_message` (no refolding of headers read from a source): only the line ends
    # become CRLF, as on the wire.
    part.set_payload([email.message_from_bytes(att.content, policy=email.policy.compat32)])
    return part


def build_message(draft: Draft, domain: str, boundaries: Iterator[str] | None = None) -> bytes:
    """Real MIME, with the email package: text and/or HTML body plus attachments. `boundaries`
    gives the multipart boundaries, outermost first (fixed ones, with `sent_at` and the
    Message-ID, give the same bytes: the golden messages' tests); random otherwise."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = format_addresses(draft.from_)
    for header, addresses in (
        ("To", draft.to),
        ("Cc", draft.cc),
        ("Bcc", draft.bcc),
        ("Reply-To", draft.reply_to),
    ):
        if addresses:
            msg[header] = format_addresses(addresses)
    if draft.subject is not None:
        msg["Subject"] = draft.subject
    msg["Date"] = email.utils.format_datetime(draft.sent_at or datetime.now(UTC))
    msg["Message-ID"] = (
        f"<{draft.message_id}>" if draft.message_id else email.utils.make_msgid(domain=domain)
    )
    if draft.in_reply_to:
        msg["In-Reply-To"] = " ".join(f"<{m}>" for m in draft.in_reply_to)
    if draft.references:
        msg["References"] = " ".join(f"<{m}>" for m in draft.references)
    for name, value in draft.extra_headers:
        msg[name] = value
    msg["MIME-Version"] = "1.0"
    if draft.body is not None:
        for name, value in draft.body.items():
            msg[name] = value
        msg.set_payload(draft.body.get_payload())
    elif draft.text is None and draft.html is None:
        msg.set_content("")
    elif draft.text is not None:
        msg.set_content(draft.text)
        if draft.html is not None:
            msg.add_alternative(draft.html, subtype="html")
    else:
        msg.set_content(draft.html or "", subtype="html")
    for att in draft.attachments:
        if att.type.lower() == "message/rfc822":
            msg.make_mixed()
            msg.attach(_embedded_message(att))
            continue
        maintype, _, subtype = att.type.partition("/")
        if not subtype:
            maintype, subtype = "application", "octet-stream"
        if maintype == "text":  # the email package wants str for text/*; keep the octets
            maintype, subtype = "application", "octet-stream"
            declared = att.type
        else:
            declared = None
        msg.add_attachment(
            att.content,
            maintype=maintype,
            subtype=subtype,
            filename=att.name,
            disposition=att.disposition,
            cid=f"<{att.cid}>" if att.cid else None,
        )
        part = cast(EmailMessage, msg.get_payload()[-1])  # type: ignore[index]
        del part["MIME-Version"]  # the email package adds it to parts too; it belongs on top
        if declared:
            part.replace_header("Content-Type", declared)
            if att.name:
                part.set_param("name", att.name)
        if att.description:
            part["Content-Description"] = att.description
    if boundaries is not None:
        _set_boundaries(msg, boundaries)
    return msg.as_bytes(policy=_AS_IS)


def _set_boundaries(part: EmailMessage, boundaries: Iterator[str]) -> None:
    """Depth first; an attached message keeps its own (its octets go unchanged)."""
    if part.get_content_maintype() != "multipart":
        return
    part.set_boundary(next(boundaries))
    for child in part.iter_parts():
        _set_boundaries(cast(EmailMessage, child), boundaries)


def plain_text(raw: bytes) -> str:
    """The text a reader shows first: the message's text body parts, decoded."""
    data = parse_message(raw).data
    values: dict[str, Json] = data["bodyValues"]
    return "\n".join(values[pid]["value"] for pid in data["textBody"] if pid in values)
