"""Offline full-text search over the cache (FTS5, accents and case ignored).

What the user types is never given raw to MATCH: it is cut into words and quoted phrases, each
quoted again for FTS5, and the last word is a prefix (`card` finds « cardiologie »). FTS5 picks
the rowids first, then a second query reads the rows. Results come newest first, like the message
list: email rowids follow the received date, so FTS5 stops after LIMIT matches instead of
ranking every match (bm25 over the half of a 100,000-message cache that says « bilan » is what
would blow the 50 ms budget).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from app.store.db import Connection, timed
from app.store.records import from_ms

MAX_ROUNDS = 8  # FTS pages read when a mailbox filter throws most hits away


@dataclass(frozen=True)
class SearchHit:
    email_id: str
    subject: str
    received_at: datetime


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _searchable(term: str) -> bool:
    # A term with no letter or digit makes no token: FTS5 would choke on an empty phrase.
    return any(ch.isalnum() for ch in term)


_TERM = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')


def match_expression(text: str) -> str | None:
    """The FTS5 query for what the user typed, or None when nothing in it can be searched."""
    text = text.replace("\x00", " ")  # SQLite would cut the query at a NUL
    terms: list[str] = []
    prefix_last = False
    for match in _TERM.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if word is not None:
            if _searchable(word):
                terms.append(_quote(word))
            prefix_last = _searchable(word) and match.end() == len(text)
        else:
            if _searchable(phrase):
                terms.append(_quote(" ".join(phrase.split())))
            whole = match.group(0)
            closed = len(whole) > 1 and whole.endswith('"')
            # A phrase still being typed (no closing quote yet) ends with a prefix too.
            prefix_last = _searchable(phrase) and not closed and not phrase[-1:].isspace()
    if not terms:
        return None
    if prefix_last:
        terms[-1] += "*"
    return " ".join(terms)


def search(
    conn: Connection, text: str, limit: int = 50, mailbox_id: str | None = None
) -> list[SearchHit]:
    """The newest `limit` emails matching `text` (in a mailbox when given), newest first."""
    expression = match_expression(text)
    if expression is None or limit <= 0:
        return []
    hits: list[SearchHit] = []
    page = limit if mailbox_id is None else max(limit * 4, 200)
    with timed("search.search"):
        for round_number in range(MAX_ROUNDS):
            rowids = [
                r[0]
                for r in conn.execute(
                    "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?",
                    (expression, page, round_number * page),
                )
            ]
            if not rowids:
                break
            marks = ",".join("?" * len(rowids))
            if mailbox_id is None:
                sql = f"SELECT rowid, id, subject, received_at FROM emails WHERE rowid IN ({marks})"
                params: list[object] = list(rowids)
            else:
                sql = (
                    "SELECT e.rowid, e.id, e.subject, e.received_at FROM emails e "
                    "JOIN email_mailboxes m ON m.email_rowid = e.rowid AND m.mailbox_id = ? "
                    f"WHERE e.rowid IN ({marks})"
                )
                params = [mailbox_id, *rowids]
            rows = {r[0]: r for r in conn.execute(sql, params)}
            for rowid in rowids:  # keep FTS's order
                row = rows.get(rowid)
                if row is not None:
                    hits.append(SearchHit(row[1], row[2], from_ms(row[3])))
            if len(hits) >= limit or len(rowids) < page:
                break
    return hits[:limit]
