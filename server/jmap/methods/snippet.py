"""SearchSnippet/get (RFC 8621 §5.1): why an email matched a search, from the FTS index.

FTS5's highlight() and snippet() mark the matched words with control characters that cannot
occur in the indexed text; the text is then HTML-escaped and the marks become <mark> tags, so
nothing from the message can become markup.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from typing import Any

from server.jmap.methods import MAIL, Call, Json, MethodError, method
from server.jmap.methods.email import _FilterCompiler, fts_query

_OPEN, _CLOSE = "\x02", "\x03"
# Columns of email_fts (server/mail/store.py).
SUBJECT_COLUMN, BODY_COLUMN = 0, 5
_SPACE = re.compile(r"\s+")
PREVIEW_MAX_BYTES = 255  # RFC 8621 §5.1: the preview is at most 255 octets


def _terms(condition: Any, keys: tuple[str, ...], out: list[str], negated: bool = False) -> None:
    """The search texts of a filter for some conditions; NOT branches do not match anything."""
    if not isinstance(condition, dict):
        return
    if "operator" in condition:
        inner_negated = negated or condition.get("operator") == "NOT"
        for sub in condition.get("conditions") or []:
            _terms(sub, keys, out, inner_negated)
        return
    if negated:
        return
    for key in keys:
        value = condition.get(key)
        if isinstance(value, str):
            out.append(value)


def _expression(texts: list[str]) -> str | None:
    phrases = [e for e in (fts_query(t, None) for t in texts) if e]
    return " OR ".join(f"({p})" for p in phrases) if phrases else None


def _to_html(marked: str) -> str:
    """Escapes everything but the marks, which become <mark> tags; whitespace runs become one
    space, as in an Email's preview."""
    marked = _SPACE.sub(" ", marked).strip()
    out = []
    for i, chunk in enumerate(marked.split(_OPEN)):
        if i == 0:
            out.append(html.escape(chunk.replace(_CLOSE, ""), quote=True))
            continue
        inside, _, after = chunk.partition(_CLOSE)
        out.append("<mark>" + html.escape(inside, quote=True) + "</mark>")
        out.append(html.escape(after.replace(_CLOSE, ""), quote=True))
    return "".join(out)


def _highlights(
    conn: sqlite3.Connection, seqs: list[int], expression: str | None, column: int
) -> dict[int, str]:
    """rowid → the marked subject (column 0) or body excerpt, for rows where a term matched."""
    if expression is None or not seqs:
        return {}
    out: dict[int, str] = {}
    if column == SUBJECT_COLUMN:
        sql = f"highlight(email_fts, {column}, ?, ?)"
        args: tuple[Any, ...] = (_OPEN, _CLOSE)
    else:
        sql = f"snippet(email_fts, {column}, ?, ?, '…', ?)"
        args = (_OPEN, _CLOSE, 24)
    query = (
        f"SELECT rowid, {sql} FROM email_fts WHERE email_fts MATCH ? "
        "AND rowid IN (SELECT value FROM json_each(?))"
    )
    try:
        rows = conn.execute(query, (*args, expression, json.dumps(seqs))).fetchall()
    except sqlite3.OperationalError:
        return {}
    for rowid, text in rows:
        if text and _OPEN in text:
            out[rowid] = text
    if column == BODY_COLUMN:
        # Fewer words until the escaped excerpt fits the RFC's 255 octets.
        for rowid, first in list(out.items()):
            text, tokens = first, 24
            while len(_to_html(text).encode()) > PREVIEW_MAX_BYTES and tokens > 1:
                tokens //= 2
                row = conn.execute(
                    "SELECT snippet(email_fts, ?, ?, ?, '…', ?) FROM email_fts "
                    "WHERE email_fts MATCH ? AND rowid = ?",
                    (column, _OPEN, _CLOSE, tokens, expression, rowid),
                ).fetchone()
                text = row[0] if row else ""
            out[rowid] = text
    return out


@method("SearchSnippet/get", MAIL)
def search_snippet_get(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys({"filter", "emailIds"})
    email_ids = call.ids("emailIds")
    if email_ids is None:
        raise MethodError("invalidArguments", "emailIds is required.")
    condition = call.args.get("filter")
    with call.sandbox.db.read() as conn:
        if condition is not None:
            # The same filter as Email/query: its errors (unsupportedFilter...) are the same.
            _FilterCompiler(call, conn).compile(condition)
        wanted = [call.resolve_id(i) or i for i in email_ids]
        seqs = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT id, seq FROM emails WHERE account_id = ? "
                "AND id IN (SELECT value FROM json_each(?))",
                (account_id, json.dumps(wanted)),
            )
        }
        subject_texts: list[str] = []
        body_texts: list[str] = []
        _terms(condition, ("text", "subject"), subject_texts)
        _terms(condition, ("text", "body"), body_texts)
        found = list(seqs.values())
        subjects = _highlights(conn, found, _expression(subject_texts), SUBJECT_COLUMN)
        previews = _highlights(conn, found, _expression(body_texts), BODY_COLUMN)
    snippets = []
    for raw_id, email_id in zip(email_ids, wanted, strict=True):
        seq = seqs.get(email_id)
        if seq is None:
            continue
        subject = subjects.get(seq)
        preview = previews.get(seq)
        snippets.append(
            {
                "emailId": raw_id,
                "subject": _to_html(subject) if subject is not None else None,
                "preview": _to_html(preview) if preview is not None else None,
            }
        )
    not_found = [raw for raw, e in zip(email_ids, wanted, strict=True) if e not in seqs]
    return {"accountId": account_id, "list": snippets, "notFound": not_found or None}
