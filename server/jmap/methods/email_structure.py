"""Email/set create from a `bodyStructure` (RFC 8621 §4.6): the client's own MIME tree.

Each EmailBodyPart is a leaf whose content is a bodyValue (`partId`, text only) or a blob
(`blobId`), or a multipart with `subParts`; the email package writes the MIME.
"""

from __future__ import annotations

import email.policy
import re
import sqlite3
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from server.jmap.methods import Call, Json
from server.mail import mime

PART_PROPERTIES = {
    "partId",
    "blobId",
    "type",
    "name",
    "charset",
    "disposition",
    "cid",
    "language",
    "location",
    "subParts",
    "size",
}
# Fields the top-level Email object already defines: a part may not set them (§4.6).
TOP_LEVEL_HEADERS = {
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "sender",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
}
_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
MAX_DEPTH = 10


@dataclass
class Built:
    """The body, or what is wrong with the structure."""

    body: EmailMessage | None = None
    bad: bool = False
    missing_blobs: list[str] = field(default_factory=list)
    size: int = 0


def build_body(
    call: Call, conn: sqlite3.Connection, account_id: str, structure: Any, body_values: Any
) -> Built:
    built = Built()
    if body_values is not None and not _good_values(body_values):
        built.bad = True
        return built
    body = _part(call, conn, account_id, structure, body_values or {}, built, 0)
    if body is None or built.bad or built.missing_blobs:
        built.bad = built.bad or not built.missing_blobs
        return built
    built.body = body
    return built


def _good_values(values: Any) -> bool:
    """bodyValues on create: a string value; isEncodingProblem/isTruncated false if given."""
    if not isinstance(values, dict):
        return False
    return all(
        isinstance(v, dict)
        and isinstance(v.get("value"), str)
        and v.get("isEncodingProblem", False) is False
        and v.get("isTruncated", False) is False
        for v in values.values()
    )


def _part(
    call: Call,
    conn: sqlite3.Connection,
    account_id: str,
    node: Any,
    values: Json,
    built: Built,
    depth: int,
) -> EmailMessage | None:
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        built.bad = True
        return None
    headers: list[tuple[str, str]] = []
    for key, value in node.items():
        if key in PART_PROPERTIES:
            continue
        parsed = _header(key, value)
        if parsed is None:
            built.bad = True
            return None
        headers.append(parsed)
    sources = [k for k in ("partId", "blobId", "subParts") if node.get(k) is not None]
    type_ = node.get("type")
    if len(sources) != 1 or (type_ is not None and not _good_type(type_)):
        built.bad = True
        return None
    for key in ("name", "disposition", "cid", "location", "charset"):
        if node.get(key) is not None and not _one_line(node[key]):
            built.bad = True
            return None
    part = EmailMessage(policy=email.policy.SMTP)
    if sources == ["subParts"]:
        subs = node["subParts"]
        type_ = (type_ or "multipart/mixed").lower()
        if not isinstance(subs, list) or not type_.startswith("multipart/"):
            built.bad = True
            return None
        part["Content-Type"] = type_
        for sub in subs:
            child = _part(call, conn, account_id, sub, values, built, depth + 1)
            if child is None:
                return None
            part.attach(child)
    elif sources == ["partId"]:
        # The charset and size are the server's for a bodyValue (§4.6): they MUST NOT be given.
        value = values.get(node["partId"]) if isinstance(node["partId"], str) else None
        type_ = (type_ or "text/plain").lower()
        if (
            value is None
            or not type_.startswith("text/")
            or node.get("charset") is not None
            or node.get("size") is not None
        ):
            built.bad = True
            return None
        part.set_content(value["value"], subtype=type_.split("/", 1)[1])
    else:
        blob_id = node["blobId"]
        if not isinstance(blob_id, str):
            built.bad = True
            return None
        resolved = call.resolve_id(blob_id) or blob_id
        info = call.sandbox.blobs.info(conn, account_id, resolved)
        if info is None:
            built.missing_blobs.append(blob_id)
            return None
        built.size += info.size
        type_ = (type_ or info.type or "application/octet-stream").lower()
        content = call.sandbox.blobs.read_bytes(resolved)
        if type_ == "message/rfc822":
            attached = mime.Attachment(content=content, type=type_, name=None)
            part = mime._embedded_message(attached)
            del part["Content-Disposition"]
        else:
            maintype, subtype = type_.split("/", 1)
            # The email package wants str for text/*: keep the octets, then declare the type.
            as_bytes = (
                ("application", "octet-stream") if maintype == "text" else (maintype, subtype)
            )
            part.set_content(content, maintype=as_bytes[0], subtype=as_bytes[1])
            if maintype == "text":
                part.replace_header("Content-Type", type_)
                if node.get("charset"):
                    part.set_param("charset", node["charset"])
    del part["MIME-Version"]
    if node.get("disposition") or node.get("name"):
        part["Content-Disposition"] = node.get("disposition") or "attachment"
        if node.get("name"):
            part.set_param("filename", node["name"], header="Content-Disposition")
            part.set_param("name", node["name"])
    if node.get("cid"):
        part["Content-ID"] = f"<{node['cid']}>"
    if node.get("location"):
        part["Content-Location"] = node["location"]
    language = node.get("language")
    if language is not None:
        if not isinstance(language, list) or not all(_one_line(v) for v in language):
            built.bad = True
            return None
        part["Content-Language"] = ", ".join(language)
    for name, value in headers:
        part[name] = value
    return part


def _header(key: str, value: Any) -> tuple[str, str] | None:
    """A `header:Name[:asText|asRaw]` property of a part, checked: no Content-Transfer-Encoding
    (the server encodes), no field the Email itself defines."""
    match = re.fullmatch(r"header:([!-9;-~]+)(?::(asText|asRaw))?", key)
    if not match or not _one_line(value):
        return None
    name = match.group(1)
    if name.lower() in TOP_LEVEL_HEADERS or name.lower().startswith("content-"):
        return None
    return name, value


def _good_type(value: Any) -> bool:
    return isinstance(value, str) and bool(_TYPE.match(value))


def _one_line(value: Any) -> bool:
    return isinstance(value, str) and "\r" not in value and "\n" not in value
