"""Email/get, /query, /changes, /set (RFC 8621 §4).

Email/get reads the parse cached at import; Email/query lets FTS5 pick rowids first, then filters
the emails table with them; Email/set builds real MIME with the email package.
"""

from __future__ import annotations

import email.utils
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from server.jmap import collation
from server.jmap.methods import MAIL, Call, Json, MethodError, method, standard_changes
from server.jmap.methods.email_structure import build_body
from server.jmap.methods.mailbox import window
from server.jmap.methods.set_skeleton import SetResult, check_if_in_state, set_args
from server.mail import mime, stream
from server.mail.blobs import BlobInfo

DEFAULT_PROPERTIES = [
    "id",
    "blobId",
    "threadId",
    "mailboxIds",
    "keywords",
    "size",
    "receivedAt",
    "messageId",
    "inReplyTo",
    "references",
    "sender",
    "from",
    "to",
    "cc",
    "bcc",
    "replyTo",
    "subject",
    "sentAt",
    "hasAttachment",
    "preview",
    "bodyValues",
    "textBody",
    "htmlBody",
    "attachments",
]
PROPERTIES = {*DEFAULT_PROPERTIES, "headers", "bodyStructure"}
DEFAULT_BODY_PROPERTIES = [
    "partId",
    "blobId",
    "size",
    "name",
    "type",
    "charset",
    "disposition",
    "cid",
    "language",
    "location",
]
BODY_PROPERTIES = {*DEFAULT_BODY_PROPERTIES, "headers", "subParts"}
_HEADER_PROP = re.compile(
    r"^header:([!-9;-~]+)(?::(asRaw|asText|asAddresses|asGroupedAddresses|asMessageIds|asDate|asURLs))?(:all)?$"
)
_MESSAGE_ID = re.compile(r"[^<>\s]+@?[^<>\s]*")
_KEYWORD = re.compile(r"^[!#-'*+\-/-9=?A-Z^-~]{1,255}$")  # RFC 8621 §4.1.1, minus ( ) { ] % * " \
QUERY_LIMIT = 10_000


def _header_prop(name: str) -> tuple[str, str, bool] | None:
    match = _HEADER_PROP.match(name)
    if not match:
        return None
    return match.group(1), match.group(2) or "asRaw", match.group(3) is not None


def _utc(epoch: int) -> str:
    return mime.utc_date(datetime.fromtimestamp(epoch, UTC))


def _part(node: Json, props: list[str]) -> Json:
    out: Json = {}
    for prop in props:
        if prop == "subParts":
            subs = node["subParts"]
            out[prop] = [_part(s, props) for s in subs] if subs is not None else None
        elif prop.startswith("header:"):
            parsed = _header_prop(prop)
            if parsed:
                out[prop] = mime.header_value(node["headers"], *parsed)
        elif prop in node:
            out[prop] = node[prop]
    return out


def _truncate(value: str, max_bytes: int) -> tuple[str, bool]:
    if max_bytes <= 0:
        return value, False
    encoded = value.encode("utf-8")
    if len(encoded) <= max_bytes:
        return value, False
    return encoded[:max_bytes].decode("utf-8", errors="ignore"), True


def message_view(
    data: Json,
    properties: list[str],
    body_props: list[str],
    fetch: tuple[bool, bool, bool],
    max_bytes: int,
) -> Json:
    """The properties that depend on the message only, from its parse: Email/get's and
    Email/parse's (RFC 8621 §4.9) view of it."""
    fetch_text, fetch_html, fetch_all = fetch
    parts = {p["partId"]: p for p in mime.iter_parts(data["bodyStructure"])}
    out: Json = {}
    for prop in properties:
        if prop in ("textBody", "htmlBody", "attachments"):
            out[prop] = [_part(parts[pid], body_props) for pid in data[prop]]
        elif prop == "bodyStructure":
            out[prop] = _part(data["bodyStructure"], [*body_props, "subParts"])
        elif prop == "headers":
            out[prop] = data["headers"]
        elif prop == "bodyValues":
            chosen: list[str] = []
            if fetch_text or fetch_all:
                chosen += data["textBody"]
            if fetch_html or fetch_all:
                chosen += data["htmlBody"]
            if fetch_all:
                chosen += [pid for pid, p in parts.items() if p["type"].startswith("text/")]
            values: Json = {}
            for pid in dict.fromkeys(chosen):
                body = data["bodyValues"].get(pid)
                if body is None or not parts[pid]["type"].startswith("text/"):
                    continue
                text, truncated = _truncate(body["value"], max_bytes)
                values[pid] = {
                    "value": text,
                    "isEncodingProblem": body["isEncodingProblem"],
                    "isTruncated": truncated,
                }
            out[prop] = values
        elif prop.startswith("header:"):
            parsed = _header_prop(prop)
            if parsed:
                out[prop] = mime.header_value(data["headers"], *parsed)
        else:
            out[prop] = data.get(prop)
    return out


class ViewArgs(NamedTuple):
    properties: list[str]
    body_properties: list[str]
    fetch: tuple[bool, bool, bool]  # fetchTextBodyValues, fetchHTMLBodyValues, fetchAllBodyValues
    max_bytes: int


def view_args(call: Call, ids_key: str, default_properties: list[str]) -> ViewArgs:
    """The arguments Email/get and Email/parse share (RFC 8621 §4.2, §4.9): one reading, so the
    two cannot accept different properties or header forms."""
    call.check_keys(
        {
            ids_key,
            "properties",
            "bodyProperties",
            "fetchTextBodyValues",
            "fetchHTMLBodyValues",
            "fetchAllBodyValues",
            "maxBodyValueBytes",
        }
    )
    properties = call.properties("properties", default_properties, PROPERTIES)
    body_props = call.properties("bodyProperties", DEFAULT_BODY_PROPERTIES, BODY_PROPERTIES)
    for prop in properties + body_props:
        if prop.startswith("header:") and _header_prop(prop) is None:
            raise MethodError("invalidArguments", f"Bad header property {prop}.")
    fetch = (
        call.boolean("fetchTextBodyValues"),
        call.boolean("fetchHTMLBodyValues"),
        call.boolean("fetchAllBodyValues"),
    )
    max_bytes = call.integer("maxBodyValueBytes", 0, minimum=0) or 0
    return ViewArgs(properties, body_props, fetch, max_bytes)


@method("Email/get", MAIL)
def email_get(call: Call) -> Json:
    account_id = call.account_id
    properties, body_props, fetch, max_bytes = view_args(call, "ids", DEFAULT_PROPERTIES)
    ids = call.ids()
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "Email")
        if ids is None:
            count = conn.execute(
                "SELECT COUNT(*) FROM emails WHERE account_id = ?", (account_id,)
            ).fetchone()[0]
            if count > call.sandbox.config.max_objects_in_get:
                raise MethodError("requestTooLarge", "Too many emails: give ids.")
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM emails WHERE account_id = ? ORDER BY seq", (account_id,)
                )
            ]
        wanted = [call.resolve_id(i) or i for i in ids]
        need_parse = any(p not in ("id", "threadId", "mailboxIds", "keywords") for p in properties)
        columns = "seq, id, thread_id, blob_id, size, received_at, keywords" + (
            ", parsed" if need_parse else ""
        )
        rows = {
            r["id"]: r
            for r in conn.execute(
                f"SELECT {columns} FROM emails WHERE account_id = ? "
                "AND id IN (SELECT value FROM json_each(?))",
                (account_id, json.dumps(wanted)),
            )
        }
        mailboxes: dict[int, dict[str, bool]] = {}
        if "mailboxIds" in properties and rows:
            for seq, mailbox_id in conn.execute(
                "SELECT email_seq, mailbox_id FROM email_mailboxes "
                "WHERE email_seq IN (SELECT value FROM json_each(?))",
                (json.dumps([r["seq"] for r in rows.values()]),),
            ):
                mailboxes.setdefault(seq, {})[mailbox_id] = True
    result: list[Json] = []
    for email_id in wanted:
        row = rows.get(email_id)
        if row is None:
            continue
        data: Json = json.loads(row["parsed"]) if need_parse else {}
        out: Json = {"id": row["id"]}
        rest: list[str] = []
        for prop in properties:
            if prop == "id":
                continue
            if prop == "blobId":
                out[prop] = row["blob_id"]
            elif prop == "threadId":
                out[prop] = row["thread_id"]
            elif prop == "mailboxIds":
                out[prop] = mailboxes.get(row["seq"], {})
            elif prop == "keywords":
                out[prop] = json.loads(row["keywords"])
            elif prop == "size":
                out[prop] = row["size"]
            elif prop == "receivedAt":
                out[prop] = _utc(row["received_at"])
            else:
                rest.append(prop)
        if rest:  # then the message was read (need_parse)
            out.update(message_view(data, rest, body_props, fetch, max_bytes))
        result.append(out)
    return {
        "accountId": account_id,
        "state": state,
        "list": result,
        "notFound": [i for i in ids if (call.resolve_id(i) or i) not in rows],
    }


@method("Email/changes", MAIL)
def email_changes(call: Call) -> Json:
    return standard_changes(call, "Email")


# --- query --------------------------------------------------------------------------------

FTS_COLUMNS = {
    "text": None,
    "from": "sender",
    "to": "to_",
    "cc": "cc",
    "bcc": "bcc",
    "subject": "subject",
    "body": "body",
}


def fts_query(text: str, column: str | None) -> str | None:
    """User text as an FTS5 expression of quoted phrases: no operator can leak through."""
    phrases = []
    for chunk in text.split():
        words = re.findall(r"\w+", chunk)
        if words:
            phrase = '"' + " ".join(words) + '"'
            phrases.append(f"{column} : {phrase}" if column else phrase)
    return " AND ".join(phrases) if phrases else None


def _date(value: Any, name: str) -> int:
    if not isinstance(value, str):
        raise MethodError("invalidArguments", f"{name} must be a UTCDate.")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise MethodError("invalidArguments", f"{name} must be a UTCDate.") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def date_prop(props: Json, name: str, bad: list[str]) -> datetime | None:
    """A UTCDate property of a new Email, None when absent; a bad one is named in `bad`."""
    if props.get(name) is None:
        return None
    try:
        return datetime.fromtimestamp(_date(props[name], name), UTC)
    except MethodError:
        bad.append(name)
        return None


def _keyword_path(value: Any) -> str:
    if not isinstance(value, str) or not _KEYWORD.match(value):
        raise MethodError("invalidArguments", "Bad keyword.")
    return '$."' + value.lower() + '"'


def new_mailbox_ids(
    call: Call, conn: sqlite3.Connection, account_id: str, value: Any
) -> list[str] | None:
    """A new Email's mailboxIds (RFC 8621 §4.1.1): at least one, each `true` and an existing
    mailbox (or #creationId); None when they are not."""
    if not isinstance(value, dict) or not value:
        return None
    known = call.sandbox.mail.mailbox_ids(conn, account_id)
    mailbox_ids: list[str] = []
    for raw_id, flag in value.items():
        resolved = call.resolve_id(raw_id)
        if flag is not True or resolved not in known:
            return None
        mailbox_ids.append(resolved)
    return mailbox_ids


class _FilterCompiler:
    def __init__(self, call: Call, conn: sqlite3.Connection) -> None:
        self.call = call
        self.conn = conn
        self.params: list[Any] = []

    def compile(self, condition: Any, depth: int = 0) -> str:
        if not isinstance(condition, dict) or depth > 20:
            raise MethodError("invalidArguments", "A filter must be an object.")
        if "operator" in condition:
            operator = condition["operator"]
            conditions = condition.get("conditions")
            if set(condition) - {"operator", "conditions"}:
                raise MethodError("invalidArguments", "Bad filter operator.")
            if operator not in ("AND", "OR", "NOT") or not isinstance(conditions, list):
                raise MethodError("invalidArguments", "Bad filter operator.")
            if not conditions:
                return "1" if operator != "OR" else "0"
            parts = [self.compile(c, depth + 1) for c in conditions]
            if operator == "AND":
                return "(" + " AND ".join(parts) + ")"
            if operator == "OR":
                return "(" + " OR ".join(parts) + ")"
            return "NOT (" + " OR ".join(parts) + ")"
        clauses = [self._one(k, v) for k, v in condition.items()]
        return "(" + " AND ".join(clauses) + ")" if clauses else "1"

    def _bind(self, sql: str, *values: Any) -> str:
        self.params.extend(values)
        return sql

    def _fts(self, text: Any, column: str | None, name: str) -> str:
        if not isinstance(text, str):
            raise MethodError("invalidArguments", f"{name} must be a string.")
        expression = fts_query(text, column)
        if expression is None:
            return "0"
        try:
            rowids = [
                r[0]
                for r in self.conn.execute(
                    "SELECT rowid FROM email_fts WHERE email_fts MATCH ?", (expression,)
                )
            ]
        except sqlite3.OperationalError:
            raise MethodError("invalidArguments", f"Cannot search for {name}.") from None
        return self._bind("e.seq IN (SELECT value FROM json_each(?))", json.dumps(rowids))

    def _one(self, key: str, value: Any) -> str:
        if key in FTS_COLUMNS:
            return self._fts(value, FTS_COLUMNS[key], key)
        if key == "inMailbox":
            if not isinstance(value, str):
                raise MethodError("invalidArguments", "inMailbox must be an id.")
            mailbox = self.call.resolve_id(value) or value
            return self._bind(
                "e.seq IN (SELECT email_seq FROM email_mailboxes WHERE mailbox_id = ?)", mailbox
            )
        if key == "inMailboxOtherThan":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise MethodError("invalidArguments", "inMailboxOtherThan must be a list of ids.")
            return self._bind(
                "EXISTS (SELECT 1 FROM email_mailboxes o WHERE o.email_seq = e.seq AND "
                "o.mailbox_id NOT IN (SELECT value FROM json_each(?)))",
                json.dumps([self.call.resolve_id(v) or v for v in value]),
            )
        if key == "before":
            return self._bind("e.received_at < ?", _date(value, key))
        if key == "after":
            return self._bind("e.received_at >= ?", _date(value, key))
        if key in ("minSize", "maxSize"):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise MethodError("invalidArguments", f"{key} must be a positive integer.")
            return self._bind("e.size >= ?" if key == "minSize" else "e.size < ?", value)
        if key == "hasAttachment":
            if not isinstance(value, bool):
                raise MethodError("invalidArguments", "hasAttachment must be a boolean.")
            return self._bind("e.has_attachment = ?", int(value))
        if key == "hasKeyword":
            return self._bind("json_extract(e.keywords, ?) IS NOT NULL", _keyword_path(value))
        if key == "notKeyword":
            return self._bind("json_extract(e.keywords, ?) IS NULL", _keyword_path(value))
        if key in ("allInThreadHaveKeyword", "someInThreadHaveKeyword", "noneInThreadHaveKeyword"):
            path = _keyword_path(value)
            same_thread = (
                "SELECT 1 FROM emails t WHERE t.account_id = e.account_id "
                "AND t.thread_id = e.thread_id AND json_extract(t.keywords, ?) IS "
            )
            if key == "allInThreadHaveKeyword":
                return self._bind(f"NOT EXISTS ({same_thread} NULL)", path)
            if key == "someInThreadHaveKeyword":
                return self._bind(f"EXISTS ({same_thread} NOT NULL)", path)
            return self._bind(f"NOT EXISTS ({same_thread} NOT NULL)", path)
        if key == "header":
            if (
                not isinstance(value, list)
                or not 1 <= len(value) <= 2
                or not all(isinstance(v, str) for v in value)
            ):
                raise MethodError("invalidArguments", "header must be [name] or [name, value].")
            sql = (
                "EXISTS (SELECT 1 FROM json_each(e.parsed, '$.headers') h "
                "WHERE lower(json_extract(h.value, '$.name')) = lower(?)"
            )
            self.params.append(value[0])
            if len(value) == 2:
                sql += " AND instr(lower(json_extract(h.value, '$.value')), lower(?)) > 0"
                self.params.append(value[1])
            return sql + ")"
        raise MethodError("unsupportedFilter", f"Unknown filter {key}.")


def _first_address(field: str) -> str:
    """RFC 8621 §4.4.2: the name of the first address, or its email when it has none."""
    return (
        f"COALESCE(NULLIF(json_extract(e.parsed, '$.{field}[0].name'), ''), "
        f"json_extract(e.parsed, '$.{field}[0].email'), '')"
    )


SORTS = {
    "receivedAt": "e.received_at",
    "sentAt": "COALESCE(e.sent_at, e.received_at)",
    "size": "e.size",
}
# Sorts on text, compared with the comparator's collation (server/jmap/collation.py).
TEXT_SORTS = {
    "subject": "e.subject",
    "from": _first_address("from"),
    "to": _first_address("to"),
}
# Sorts on a keyword (the comparator's `keyword`, bound as a parameter): false before true.
KEYWORD_SORTS = {
    "hasKeyword": "(json_extract(e.keywords, ?) IS NOT NULL)",
    "allInThreadHaveKeyword": (
        "(NOT EXISTS (SELECT 1 FROM emails t WHERE t.account_id = e.account_id "
        "AND t.thread_id = e.thread_id AND json_extract(t.keywords, ?) IS NULL))"
    ),
    "someInThreadHaveKeyword": (
        "(EXISTS (SELECT 1 FROM emails t WHERE t.account_id = e.account_id "
        "AND t.thread_id = e.thread_id AND json_extract(t.keywords, ?) IS NOT NULL))"
    ),
}

# The Session's emailQuerySortOptions: exactly what _order_by sorts on.
SORT_OPTIONS = [*SORTS, *TEXT_SORTS, *KEYWORD_SORTS]


def _order_by(sort: Any) -> tuple[str, list[Any]]:
    if sort is None:
        return "e.received_at DESC, e.seq DESC", []
    if not isinstance(sort, list) or not all(isinstance(s, dict) for s in sort):
        raise MethodError("invalidArguments", "sort must be a list of comparators.")
    terms = []
    params: list[Any] = []
    last_desc = False
    for comparator in sort:
        prop = comparator.get("property")
        if not isinstance(prop, str) or prop not in SORT_OPTIONS:
            raise MethodError("unsupportedSort", f"Cannot sort by {prop}.")
        collation_name = collation.of(comparator)
        ascending = comparator.get("isAscending", True)
        if not isinstance(ascending, bool):
            raise MethodError("invalidArguments", "isAscending must be a boolean.")
        last_desc = not ascending
        if prop in KEYWORD_SORTS:
            if "keyword" not in comparator:
                raise MethodError("invalidArguments", f"Sorting by {prop} needs a keyword.")
            params.append(_keyword_path(comparator["keyword"]))
            expression = KEYWORD_SORTS[prop]
        elif prop in TEXT_SORTS:
            expression = f"{TEXT_SORTS[prop]} COLLATE {collation.sql_name(collation_name)}"
        else:
            expression = SORTS[prop]
        terms.append(expression + (" DESC" if last_desc else " ASC"))
    terms.append("e.seq DESC" if last_desc else "e.seq ASC")
    return ", ".join(terms), params


@method("Email/query", MAIL)
def email_query(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys(
        {
            "filter",
            "sort",
            "position",
            "anchor",
            "anchorOffset",
            "limit",
            "calculateTotal",
            "collapseThreads",
        }
    )
    collapse = call.boolean("collapseThreads")
    order_by, order_params = _order_by(call.args.get("sort"))
    limit = call.integer("limit", None, minimum=0)
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "Email")
        collation.register(conn)
        compiler = _FilterCompiler(call, conn)
        where = "1"
        if call.args.get("filter") is not None:
            where = compiler.compile(call.args["filter"])
        rows = conn.execute(
            f"SELECT e.id, e.thread_id FROM emails e WHERE e.account_id = ? AND {where} "
            f"ORDER BY {order_by}",
            (account_id, *compiler.params, *order_params),
        ).fetchall()
    if collapse:
        seen: set[str] = set()
        ids = []
        for email_id, thread_id in rows:
            if thread_id not in seen:
                seen.add(thread_id)
                ids.append(email_id)
    else:
        ids = [r[0] for r in rows]
    result = window(call, ids, state)
    if limit is not None and limit > QUERY_LIMIT:
        result["ids"] = result["ids"][:QUERY_LIMIT]
        result["limit"] = QUERY_LIMIT
    result["collapseThreads"] = collapse
    from server.jmap.methods.query_changes import email_query_calculable

    result["canCalculateChanges"] = email_query_calculable(call.args)
    return result


# --- set ----------------------------------------------------------------------------------


def _addresses(value: Any) -> list[Json] | None:
    if value is None:
        return []
    if not isinstance(value, list):
        return None
    out = []
    for a in value:
        if not isinstance(a, dict) or not isinstance(a.get("email"), str):
            return None
        name = a.get("name")
        if name is not None and not isinstance(name, str):
            return None
        if "\r" in a["email"] or "\n" in a["email"] or "\r" in (name or "") or "\n" in (name or ""):
            return None
        out.append({"name": name, "email": a["email"]})
    return out


CREATE_PROPERTIES = {
    "mailboxIds",
    "keywords",
    "receivedAt",
    "from",
    "to",
    "cc",
    "bcc",
    "replyTo",
    "sender",
    "subject",
    "sentAt",
    "messageId",
    "inReplyTo",
    "references",
    "textBody",
    "htmlBody",
    "bodyValues",
    "attachments",
    "bodyStructure",
}


# The Email properties that stand for a header field, and the header forms RFC 8621 §4.1.2 allows.
_FIELD_OF = {
    "messageId": "message-id",
    "inReplyTo": "in-reply-to",
    "references": "references",
    "sender": "sender",
    "from": "from",
    "to": "to",
    "cc": "cc",
    "bcc": "bcc",
    "replyTo": "reply-to",
    "subject": "subject",
    "sentAt": "date",
}
_PROPERTY_OF = {v: k for k, v in _FIELD_OF.items() if k != "sender"}
_ADDRESS_FIELDS = {"from", "sender", "reply-to", "to", "cc", "bcc"}
_ADDRESS_FIELDS |= {f"resent-{f}" for f in _ADDRESS_FIELDS}
_TEXT_FIELDS = {"subject", "comments", "keywords", "list-id"}
_ID_FIELDS = {"message-id", "in-reply-to", "references", "resent-message-id"}
_DATE_FIELDS = {"date", "resent-date"}
_URL_FIELDS = {"list-help", "list-unsubscribe", "list-subscribe", "list-post", "list-owner"}
_URL_FIELDS.add("list-archive")
_KNOWN_FIELDS = (
    _ADDRESS_FIELDS | _TEXT_FIELDS | _ID_FIELDS | _DATE_FIELDS | _URL_FIELDS | {"return-path"}
)
_FORM_FIELDS = {
    "asText": _TEXT_FIELDS,
    "asAddresses": _ADDRESS_FIELDS,
    "asGroupedAddresses": _ADDRESS_FIELDS,
    "asMessageIds": _ID_FIELDS,
    "asDate": _DATE_FIELDS,
    "asURLs": _URL_FIELDS,
}


def _form_allowed(name: str, form: str) -> bool:
    """Raw always; a parsed form only for the fields it is defined for, or unknown fields."""
    return form == "asRaw" or name not in _KNOWN_FIELDS or name in _FORM_FIELDS[form]


def _one_line(value: Any) -> bool:
    return isinstance(value, str) and "\r" not in value and "\n" not in value


def _raw_header(form: str, value: Any) -> str | None:
    """The field value for a header given in a parsed form (RFC 8621 §4.1.2), None if bad."""
    if form in ("asRaw", "asText"):
        return value if _one_line(value) else None
    if form == "asAddresses":
        addresses = _addresses(value)
        return mime.format_addresses(addresses) if addresses else None
    if form == "asGroupedAddresses":
        if not isinstance(value, list) or not value:
            return None
        groups = []
        for group in value:
            members = _addresses(group.get("addresses")) if isinstance(group, dict) else None
            label = group.get("name") if isinstance(group, dict) else None
            if members is None or (label is not None and not _one_line(label)):
                return None
            listed = mime.format_addresses(members)
            groups.append(f"{label}: {listed};" if label is not None else listed)
        return ", ".join(groups)
    if form == "asMessageIds":
        good = isinstance(value, list) and value
        if not good or not all(isinstance(v, str) and _MESSAGE_ID.fullmatch(v) for v in value):
            return None
        return " ".join(f"<{v}>" for v in value)
    if form == "asDate":
        try:
            return email.utils.format_datetime(datetime.fromtimestamp(_date(value, "date"), UTC))
        except MethodError:
            return None
    urls = value if isinstance(value, list) and value else None
    if urls is None or not all(isinstance(u, str) and re.fullmatch(r"[^<>\s,]+", u) for u in urls):
        return None
    return ", ".join(f"<{u}>" for u in urls)


def _structured(raw_fields: dict[str, str]) -> Json:
    """Header fields given raw (`header:From`…) read as the Email property they stand for, so
    the message is built with each field once."""
    out: Json = {}
    for prop, value in raw_fields.items():
        if prop in ("from", "to", "cc", "bcc", "replyTo"):
            pairs = email.utils.getaddresses([value])
            out[prop] = [{"name": n or None, "email": e} for n, e in pairs if e]
        elif prop in ("messageId", "inReplyTo", "references"):
            out[prop] = re.findall(r"<([^<>\s]+)>", value) or [value.strip()]
        elif prop == "subject":
            out[prop] = value.strip()
        else:
            try:
                out[prop] = email.utils.parsedate_to_datetime(value.strip()).isoformat()
            except (TypeError, ValueError):
                out[prop] = value
    return out


def _keywords(value: Any) -> dict[str, bool] | None:
    if not isinstance(value, dict):
        return None
    out = {}
    for k, v in value.items():
        if v is not True or not _KEYWORD.match(k):
            return None
        out[k.lower()] = True
    return out


def _body_text(
    part: Any, body_values: Any, expected: str, blob_text: Callable[[str], str | None]
) -> str | bool | None:
    """The text of a textBody/htmlBody list (one part), from a bodyValue or an uploaded blob;
    False when it is malformed."""
    if part is None:
        return None
    if not isinstance(part, list) or len(part) != 1 or not isinstance(part[0], dict):
        return False
    item = part[0]
    if item.get("type", expected) != expected:
        return False
    # §4.6: partId or blobId, not both; never headers nor a transfer encoding.
    if any(
        k == "headers" or k.lower().startswith("header:content-transfer-encoding") for k in item
    ):
        return False
    if isinstance(item.get("blobId"), str) and "partId" not in item:
        from_blob = blob_text(item["blobId"])
        return False if from_blob is None else from_blob
    # With a partId the charset and size are the server's: they MUST NOT be given.
    if not isinstance(item.get("partId"), str) or any(
        k in ("charset", "size", "blobId") for k in item
    ):
        return False
    value = body_values.get(item["partId"]) if isinstance(body_values, dict) else None
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        return False
    if value.get("isTruncated") or value.get("isEncodingProblem"):
        return False
    text: str = value["value"]
    return text


def _create_email(
    call: Call, conn: sqlite3.Connection, account_id: str, props: Any
) -> tuple[Json | None, Json | None]:
    """(created, None) or (None, SetError)."""
    if not isinstance(props, dict):
        return None, {"type": "invalidProperties", "description": "Not an object."}
    bad: list[str] = []
    extra_headers: list[tuple[str, str]] = []
    # §4.6: one property per header field, no Content-* on the Email, no forbidden form.
    seen = {_FIELD_OF[k] for k in _FIELD_OF if props.get(k) is not None}
    raw_fields: dict[str, str] = {}
    parsed_fields: Json = {}
    for key, value in props.items():
        if key in CREATE_PROPERTIES:
            continue
        parsed = _header_prop(key)
        if parsed is None:
            bad.append(key)
            continue
        header_name, form, all_values = parsed
        field = header_name.lower()
        if field in seen or field.startswith("content-") or not _form_allowed(field, form):
            bad.append(key)
            continue
        seen.add(field)
        if field in _PROPERTY_OF:
            # A field the Email has a property for: read as that property, given once.
            if all_values or (form in ("asRaw", "asText") and not _one_line(value)):
                bad.append(key)
            elif form in ("asRaw", "asText"):
                raw_fields[_PROPERTY_OF[field]] = value
            else:
                parsed_fields[_PROPERTY_OF[field]] = value
            continue
        values = value if all_values else [value]
        raws = [_raw_header(form, v) for v in values] if isinstance(values, list) else [None]
        if any(r is None for r in raws):
            bad.append(key)
        else:
            extra_headers += [(header_name, r) for r in raws if r is not None]
    props = {**props, **_structured(raw_fields), **parsed_fields}
    if props.get("sender"):
        extra_headers.append(("Sender", mime.format_addresses(_addresses(props["sender"]) or [])))
    mailbox_ids = new_mailbox_ids(call, conn, account_id, props.get("mailboxIds"))
    if mailbox_ids is None:
        bad.append("mailboxIds")
        mailbox_ids = []
    keywords = _keywords(props.get("keywords", {}))
    if keywords is None:
        bad.append("keywords")
    address_fields: dict[str, list[Json]] = {}
    for key in ("from", "to", "cc", "bcc", "replyTo", "sender"):
        value = _addresses(props.get(key))
        if value is None:
            bad.append(key)
        else:
            address_fields[key] = value
    subject = props.get("subject")
    if subject is not None and (not isinstance(subject, str) or "\n" in subject):
        bad.append("subject")
    id_lists: dict[str, list[str]] = {}
    for key in ("messageId", "inReplyTo", "references"):
        value = props.get(key)
        if value is None:
            id_lists[key] = []
        elif isinstance(value, list) and all(
            isinstance(v, str) and re.fullmatch(r"[^<>\s]+@?[^<>\s]*", v) for v in value
        ):
            id_lists[key] = value
        else:
            bad.append(key)

    body_blobs_missing: list[str] = []

    def blob_text(blob_ref: str) -> str | None:
        blob_id = call.resolve_id(blob_ref) or blob_ref
        if call.sandbox.blobs.info(conn, account_id, blob_id) is None:
            body_blobs_missing.append(blob_ref)
            return ""
        return call.sandbox.blobs.read_bytes(blob_id).decode("utf-8", errors="replace")

    text = _body_text(props.get("textBody"), props.get("bodyValues"), "text/plain", blob_text)
    html = _body_text(props.get("htmlBody"), props.get("bodyValues"), "text/html", blob_text)
    if text is False:
        bad.append("textBody")
    if html is False:
        bad.append("htmlBody")
    sent_at = date_prop(props, "sentAt", bad)
    received_at = date_prop(props, "receivedAt", bad)
    attachments: list[mime.Attachment] = []
    # placeholder line → the large attachment's file and blob
    big: dict[bytes, tuple[Path, BlobInfo]] = {}
    attachments_size = 0
    missing_blobs: list[str] = list(body_blobs_missing)
    raw_attachments = props.get("attachments") or []
    if not isinstance(raw_attachments, list):
        bad.append("attachments")
        raw_attachments = []
    for item in raw_attachments:
        if not isinstance(item, dict) or not isinstance(item.get("blobId"), str):
            bad.append("attachments")
            break
        blob_id = call.resolve_id(item["blobId"]) or item["blobId"]
        info = call.sandbox.blobs.info(conn, account_id, blob_id)
        if info is None:
            missing_blobs.append(item["blobId"])
            continue
        attachments_size += info.size
        if attachments_size > call.sandbox.config.attachments_limit:
            # Checked before reading the blobs: no need to load what will be refused.
            return None, {
                "type": "tooLarge",
                "description": "The attachments are over maxSizeAttachmentsPerEmail.",
            }
        type_ = item.get("type") or info.type or "application/octet-stream"
        name = item.get("name")
        disposition = item.get("disposition") or "attachment"
        description = item.get("header:Content-Description:asText")
        cid = item.get("cid")
        if (
            not isinstance(type_, str)
            or not re.fullmatch(r"[\w.+-]+/[\w.+-]+", type_)
            or (name is not None and not isinstance(name, str))
            or disposition not in ("attachment", "inline")
            or (description is not None and not isinstance(description, str))
            or (cid is not None and not isinstance(cid, str))
        ):
            bad.append("attachments")
            break
        if info.size >= stream.STREAM_MIN and type_.lower() != "message/rfc822":
            # Built around a placeholder; its base64 is streamed from the file (stream.py).
            content, line = stream.placeholder()
            big[line] = (call.sandbox.blobs.path(blob_id), info)
        else:
            content = call.sandbox.blobs.read_bytes(blob_id)
        attachments.append(
            mime.Attachment(
                content=content,
                type=type_.lower(),
                name=name,
                disposition=disposition,
                cid=cid,
                description=description.replace("\r", " ").replace("\n", " ")
                if description
                else None,
            )
        )
    body = None
    if props.get("bodyStructure") is not None:
        # §4.6: bodyStructure excludes textBody, htmlBody and attachments.
        root = props["bodyStructure"]
        if any(props.get(k) is not None for k in ("textBody", "htmlBody", "attachments")):
            bad.append("bodyStructure")
        elif isinstance(root, dict) and any(
            (_header_prop(k) or ("",))[0].lower() in seen for k in root if k.startswith("header:")
        ):
            # §4.6: the root part MUST NOT repeat a header field the Email defines.
            bad.append("bodyStructure")
        else:
            built = build_body(
                call, conn, account_id, props["bodyStructure"], props.get("bodyValues")
            )
            if built.bad:
                bad.append("bodyStructure")
            missing_blobs += built.missing_blobs
            attachments_size += built.size
            body = built.body
    if bad:
        return None, {"type": "invalidProperties", "properties": sorted(set(bad))}
    if missing_blobs:
        return None, {"type": "blobNotFound", "notFound": missing_blobs}
    if attachments_size > call.sandbox.config.attachments_limit:
        return None, {"type": "tooLarge"}
    if not address_fields["from"]:
        row = conn.execute(
            "SELECT name, email FROM identities WHERE account_id = ? ORDER BY rowid LIMIT 1",
            (account_id,),
        ).fetchone()
        if row is not None:
            address_fields["from"] = [{"name": row["name"], "email": row["email"]}]
    draft = mime.Draft(
        from_=address_fields["from"],
        to=address_fields["to"],
        cc=address_fields["cc"],
        bcc=address_fields["bcc"],
        reply_to=address_fields["replyTo"],
        subject=subject,
        text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) else None,
        attachments=attachments,
        message_id=id_lists["messageId"][0] if id_lists["messageId"] else None,
        in_reply_to=id_lists["inReplyTo"],
        references=id_lists["references"],
        sent_at=sent_at,
        extra_headers=extra_headers,
        body=body,
    )
    try:
        raw = mime.build_message(draft, call.sandbox.config.mail_domain)
    except (ValueError, TypeError, UnicodeError, IndexError) as e:
        return None, {"type": "invalidProperties", "description": f"Cannot build: {e}"}
    size = len(raw) + sum(stream.encoded_size(b.size) - len(line) for line, (_, b) in big.items())
    if size > call.sandbox.config.message_size_limit:
        return None, {"type": "tooLarge"}
    if big:
        files = {line: path for line, (path, _) in big.items()}
        offsets = stream.splice_offsets(raw, {line: b.size for line, (_, b) in big.items()})
        blob_id, _ = call.sandbox.blobs.store_chunks(stream.splice(raw, files))
        imported = call.sandbox.mail.import_stored(
            conn,
            account_id,
            call.sandbox.mail.stored(blob_id),
            mailbox_ids,
            keywords or {},
            received_at,
            known={offsets[line]: b for line, (_, b) in big.items()},
        )
    else:
        imported = call.sandbox.mail.import_into(
            conn, account_id, raw, mailbox_ids, keywords or {}, received_at
        )
    return {
        "id": imported.email_id,
        "blobId": imported.blob_id,
        "threadId": imported.thread_id,
        "size": size,
    }, None


def _patched(
    call: Call, conn: sqlite3.Connection, account_id: str, email_id: str, patch: Any
) -> tuple[dict[str, bool] | None, set[str] | None, Json | None]:
    """The keywords and mailboxes after a patch, or a SetError."""
    if not isinstance(patch, dict):
        return None, None, {"type": "invalidPatch"}
    row = conn.execute(
        "SELECT seq, keywords FROM emails WHERE account_id = ? AND id = ?", (account_id, email_id)
    ).fetchone()
    if row is None:
        return None, None, {"type": "notFound"}
    keywords: dict[str, bool] | None = None
    mailboxes: set[str] | None = None
    bad: list[str] = []
    for path, value in patch.items():
        head, _, rest = path.partition("/")
        if head == "keywords" and not rest:
            new = _keywords(value)
            if new is None:
                bad.append(path)
            else:
                keywords = new
        elif head == "keywords":
            keywords = keywords if keywords is not None else dict(json.loads(row["keywords"]))
            keyword = rest.replace("~1", "/").replace("~0", "~")
            if not _KEYWORD.match(keyword) or value not in (True, None):
                bad.append(path)
            elif value is True:
                keywords[keyword.lower()] = True
            else:
                keywords.pop(keyword.lower(), None)
        elif head == "mailboxIds" and not rest:
            if not isinstance(value, dict) or not all(v is True for v in value.values()):
                bad.append(path)
            else:
                mailboxes = {call.resolve_id(k) or k for k in value}
        elif head == "mailboxIds":
            if mailboxes is None:
                mailboxes = {
                    r[0]
                    for r in conn.execute(
                        "SELECT mailbox_id FROM email_mailboxes WHERE email_seq = ?",
                        (row["seq"],),
                    )
                }
            mailbox_id = call.resolve_id(rest) or rest
            if value is True:
                mailboxes.add(mailbox_id)
            elif value is None:
                mailboxes.discard(mailbox_id)
            else:
                bad.append(path)
        else:
            bad.append(path)
    if mailboxes is not None:
        known = call.sandbox.mail.mailbox_ids(conn, account_id)
        if not mailboxes or not mailboxes <= known:
            bad.append("mailboxIds")
    if bad:
        return None, None, {"type": "invalidProperties", "properties": sorted(set(bad))}
    return keywords, mailboxes, None


def set_emails(call: Call) -> Json:
    """Email/set, also run implicitly by EmailSubmission/set."""
    account_id = call.account_id
    limit = call.sandbox.config.max_objects_in_set
    args = set_args(call, too_large=f"At most {limit} objects per call.")
    mail = call.sandbox.mail
    changes = call.sandbox.changes
    outcome = SetResult()
    with call.sandbox.db.write() as conn:
        old_state = check_if_in_state(call, conn, account_id, "Email")
        for creation_id, props in args.create.items():
            if call.sandbox.refusals.email_create is not None:
                outcome.not_created[creation_id] = dict(call.sandbox.refusals.email_create)
                continue
            done, error = _create_email(call, conn, account_id, props)
            if done is None:
                outcome.not_created[creation_id] = error
                continue
            outcome.created[creation_id] = done
            call.created_ids[creation_id] = done["id"]
            if call.sandbox.refusals.drafts_lost > 0:
                call.sandbox.refusals.drafts_lost -= 1
                mail.destroy_email(conn, account_id, done["id"])
        for raw_id, patch in args.update.items():
            email_id = call.resolve_id(raw_id)
            if email_id is None:
                outcome.not_updated[raw_id] = {"type": "notFound"}
                continue
            keywords, mailboxes, error = _patched(call, conn, account_id, email_id, patch)
            if error is not None:
                outcome.not_updated[raw_id] = error
                continue
            mail.update_email(conn, account_id, email_id, keywords, mailboxes)
            outcome.updated[raw_id] = None
        for raw_id in args.destroy:
            email_id = call.resolve_id(raw_id)
            try:
                if email_id is None:
                    raise KeyError(raw_id)
                mail.destroy_email(conn, account_id, email_id)
            except KeyError:
                outcome.not_destroyed[raw_id] = {"type": "notFound"}
                continue
            outcome.destroyed.append(raw_id)
        new_state = changes.state(conn, account_id, "Email")
    return outcome.answer(account_id, old_state, new_state)


@method("Email/set", MAIL)
def email_set(call: Call) -> Json:
    return set_emails(call)
