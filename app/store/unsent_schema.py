"""The unsent file's numbered schema steps (attached as "unsent"): what only this computer has —
the outbox with its documents, the drafts, the pending flag changes, the favorites (some changes
of which the server may not have yet). UNSENT_MIGRATIONS[i] takes it from version i to i + 1;
BEFORE_STEP holds the copies from the cache into it that must be committed before a cache step
(app/store/cache_schema.py) drops their source.

A step that has shipped is never edited: add a new one at the end.
"""

from __future__ import annotations

_UNSENT_V1 = """
CREATE TABLE unsent.drafts (
    id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE unsent.outbox (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    payload TEXT NOT NULL,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    email_id TEXT,
    submission_id TEXT,
    sent_at INTEGER
);
CREATE INDEX unsent.outbox_state ON outbox (state, created_at);

-- The outbox's own copies of the documents to send, in chunks (never evicted, never rebuilt).
CREATE TABLE unsent.outbox_documents (
    key TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    stored_at INTEGER NOT NULL
);
CREATE TABLE unsent.outbox_chunks (
    key TEXT NOT NULL REFERENCES outbox_documents (key) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (key, seq)
);
-- Which documents an outbox item needs.
CREATE TABLE unsent.outbox_content (
    outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    blob_id TEXT NOT NULL,
    PRIMARY KEY (outbox_id, blob_id)
) WITHOUT ROWID;
CREATE INDEX unsent.outbox_content_blob ON outbox_content (blob_id);

CREATE TABLE unsent.pending_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    email_ids TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
"""

# Copies a version-1 cache's unsent work into the unsent file. Idempotent (OR IGNORE): when the
# process dies before the step that drops the old tables, the next open copies again. It writes
# the unsent file only, and is committed before the cache drops anything: SQLite commits attached
# WAL files one after the other, so one transaction writing both could lose the rows if killed.
_MOVE_UNSENT_V1 = """
INSERT OR IGNORE INTO unsent.outbox
    (id, message_id, state, payload, error, attempts, created_at, updated_at, email_id,
     submission_id, sent_at)
SELECT id, message_id, state, payload, error, attempts, created_at, updated_at, email_id,
    submission_id, sent_at
FROM main.outbox;
INSERT OR IGNORE INTO unsent.drafts (id, payload, updated_at)
SELECT id, payload, updated_at FROM main.drafts;
INSERT OR IGNORE INTO unsent.pending_actions
    (id, kind, email_ids, payload, created_at, attempts, last_error)
SELECT id, kind, email_ids, payload, created_at, attempts, last_error FROM main.pending_actions;
INSERT OR IGNORE INTO unsent.outbox_documents (key, size, chunk_count, stored_at)
SELECT blob_id, size, chunk_count, stored_at FROM main.content_blobs
WHERE blob_id IN (SELECT blob_id FROM main.outbox_content);
INSERT OR IGNORE INTO unsent.outbox_chunks (key, seq, data)
SELECT blob_id, seq, data FROM main.attachment_content
WHERE blob_id IN (SELECT blob_id FROM main.outbox_content);
INSERT OR IGNORE INTO unsent.outbox_content (outbox_id, blob_id)
SELECT outbox_id, blob_id FROM main.outbox_content;
"""

# Version 2 (issue 13 §5): favorites follow the user through the server, merged per address
# (the latest change wins, app/regional/favorites.py). A change made here and not yet sent is
# this computer's only copy of it, so the favorites move out of the cache, which may be rebuilt:
# `changed_at` is when the user added or removed one (epoch ms), a removed one stays as a trace
# (`removed`) until the server has it, and `dirty` marks what the server has not been told.
_UNSENT_V2 = """
CREATE TABLE unsent.favorites (
    address TEXT PRIMARY KEY,
    display TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1
);
"""

# Copies the cache's favorites into the unsent file before the cache drops them (step 6), to be
# sent to the server at the next sync and merged with the favorites made on other computers.
_MOVE_FAVORITES = """
INSERT OR IGNORE INTO unsent.favorites (address, display, added_at, changed_at, removed, dirty)
SELECT address, display, added_at, added_at, 0, 1 FROM main.favorites;
"""

# Version 3 (issue 14 §5): the trace of mailbox actions (app/store/traces.py). Here, not in the
# cache: a rebuilt cache must not lose the user's history of what was sent, read, moved or deleted
# on this computer (the server keeps no such record to give back). `once` keys the traces that
# may be written again after a crash or a rebuild (a send, a received email): written once only.
_UNSENT_V3 = """
CREATE TABLE unsent.traces (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    message_id TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    correspondents TEXT NOT NULL DEFAULT '',
    mailboxes TEXT NOT NULL DEFAULT '',
    once TEXT UNIQUE
);
CREATE INDEX unsent.traces_at ON traces (at);
"""

# Append only. Each entry is one SQL script run in its own transaction.
UNSENT_MIGRATIONS: list[str] = [_UNSENT_V1, _UNSENT_V2, _UNSENT_V3]
# Scripts run (and committed) before the cache's MIGRATIONS[i], in a transaction of their own.
BEFORE_STEP: dict[int, str] = {1: _MOVE_UNSENT_V1, 5: _MOVE_FAVORITES}
