"""The cache file's numbered schema steps ("main"): MIGRATIONS[i] takes it from version i to
i + 1. The cache holds what the server can give back; app/store/schema.py says how the steps run.

A step that has shipped is never edited: add a new one at the end, and to MIGRATIONS.
"""

from __future__ import annotations

_V1 = """
CREATE TABLE mailboxes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent_id TEXT,
    role TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0
);

-- Kept by triggers, independent of `mailboxes` (emails may arrive before their mailbox).
CREATE TABLE mailbox_counts (
    mailbox_id TEXT PRIMARY KEY,
    total INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    email_count INTEGER NOT NULL DEFAULT 0,
    last_received_at INTEGER
);

CREATE TABLE emails (
    -- received_at (ms) × 1024 + a counter: FTS5 returns newest matches first by walking rowids.
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    thread_id TEXT NOT NULL,
    blob_id TEXT,
    keywords TEXT NOT NULL DEFAULT '[]',
    seen INTEGER NOT NULL DEFAULT 0,
    flagged INTEGER NOT NULL DEFAULT 0,
    message_id TEXT NOT NULL DEFAULT '[]',
    in_reply_to TEXT NOT NULL DEFAULT '[]',
    refs TEXT NOT NULL DEFAULT '[]',
    subject TEXT NOT NULL DEFAULT '',
    sender_sort TEXT NOT NULL DEFAULT '',
    subject_sort TEXT NOT NULL DEFAULT '',
    from_json TEXT NOT NULL DEFAULT '[]',
    to_json TEXT NOT NULL DEFAULT '[]',
    cc_json TEXT NOT NULL DEFAULT '[]',
    bcc_json TEXT NOT NULL DEFAULT '[]',
    reply_to_json TEXT NOT NULL DEFAULT '[]',
    sent_at INTEGER,
    received_at INTEGER NOT NULL,
    size INTEGER NOT NULL DEFAULT 0,
    preview TEXT NOT NULL DEFAULT '',
    has_attachment INTEGER NOT NULL DEFAULT 0,
    text_body TEXT,
    html_body TEXT,
    patient_ins TEXT,
    patient_oid TEXT,
    patient_given TEXT,
    patient_family TEXT,
    patient_birth_date TEXT
);
CREATE INDEX emails_received ON emails (received_at);
CREATE INDEX emails_thread ON emails (thread_id, received_at);
CREATE INDEX emails_patient ON emails (patient_ins);
CREATE INDEX emails_message_id ON emails (message_id);

-- One row per (mailbox, email), with copies (kept by the trigger below) of what the message list
-- sorts and filters on, so that a page of a 100,000-message mailbox is an index range scan.
CREATE TABLE email_mailboxes (
    mailbox_id TEXT NOT NULL,
    email_rowid INTEGER NOT NULL REFERENCES emails (rowid) ON DELETE CASCADE,
    email_id TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    unread INTEGER NOT NULL,
    flagged INTEGER NOT NULL,
    has_attachment INTEGER NOT NULL,
    patient_ins TEXT,
    sender_sort TEXT NOT NULL,
    subject_sort TEXT NOT NULL,
    PRIMARY KEY (mailbox_id, email_rowid)
) WITHOUT ROWID;
CREATE INDEX email_mailboxes_email ON email_mailboxes (email_rowid);
CREATE INDEX email_mailboxes_date ON email_mailboxes (mailbox_id, received_at, email_rowid);
CREATE INDEX email_mailboxes_unread ON email_mailboxes (mailbox_id, received_at, email_rowid)
    WHERE unread = 1;
CREATE INDEX email_mailboxes_flagged ON email_mailboxes (mailbox_id, received_at, email_rowid)
    WHERE flagged = 1;
CREATE INDEX email_mailboxes_attachment ON email_mailboxes (mailbox_id, received_at, email_rowid)
    WHERE has_attachment = 1;
CREATE INDEX email_mailboxes_patient
    ON email_mailboxes (mailbox_id, patient_ins, received_at, email_rowid)
    WHERE patient_ins IS NOT NULL;
CREATE INDEX email_mailboxes_sender
    ON email_mailboxes (mailbox_id, sender_sort, received_at DESC, email_rowid DESC);
CREATE INDEX email_mailboxes_subject
    ON email_mailboxes (mailbox_id, subject_sort, received_at DESC, email_rowid DESC);

CREATE TRIGGER email_mailboxes_insert AFTER INSERT ON email_mailboxes BEGIN
    INSERT INTO mailbox_counts (mailbox_id, total, unread) VALUES (new.mailbox_id, 1, new.unread)
    ON CONFLICT (mailbox_id) DO UPDATE SET total = total + 1, unread = unread + new.unread;
END;
CREATE TRIGGER email_mailboxes_delete AFTER DELETE ON email_mailboxes BEGIN
    UPDATE mailbox_counts SET total = total - 1, unread = unread - old.unread
    WHERE mailbox_id = old.mailbox_id;
END;
CREATE TRIGGER email_mailboxes_unread AFTER UPDATE OF unread ON email_mailboxes
WHEN old.unread != new.unread BEGIN
    UPDATE mailbox_counts SET unread = unread + new.unread - old.unread
    WHERE mailbox_id = new.mailbox_id;
END;
CREATE TRIGGER emails_list_columns
AFTER UPDATE OF seen, flagged, has_attachment, patient_ins, sender_sort, subject_sort,
    received_at ON emails
WHEN old.seen IS NOT new.seen OR old.flagged IS NOT new.flagged
    OR old.has_attachment IS NOT new.has_attachment OR old.patient_ins IS NOT new.patient_ins
    OR old.sender_sort IS NOT new.sender_sort OR old.subject_sort IS NOT new.subject_sort
    OR old.received_at IS NOT new.received_at
BEGIN
    UPDATE email_mailboxes SET unread = 1 - new.seen, flagged = new.flagged,
        has_attachment = new.has_attachment, patient_ins = new.patient_ins,
        sender_sort = new.sender_sort, subject_sort = new.subject_sort,
        received_at = new.received_at
    WHERE email_rowid = new.rowid;
END;

CREATE TABLE attachments (
    email_rowid INTEGER NOT NULL REFERENCES emails (rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    part_id TEXT,
    blob_id TEXT NOT NULL,
    name TEXT,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    disposition TEXT,
    cid TEXT,
    doc_type TEXT,
    PRIMARY KEY (email_rowid, position)
) WITHOUT ROWID;
CREATE INDEX attachments_blob ON attachments (blob_id);

-- Attachment content, in the encrypted database (never in clear on disk), in chunks.
CREATE TABLE content_blobs (
    blob_id TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    stored_at INTEGER NOT NULL,
    last_access INTEGER NOT NULL
);
CREATE INDEX content_blobs_access ON content_blobs (last_access);
CREATE TABLE attachment_content (
    blob_id TEXT NOT NULL REFERENCES content_blobs (blob_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (blob_id, seq)
);

CREATE TABLE jmap_state (
    type TEXT PRIMARY KEY,
    state TEXT NOT NULL
);

CREATE VIRTUAL TABLE fts USING fts5 (
    subject, participants, body, attachments, patient,
    content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2"
);

CREATE TABLE favorites (
    address TEXT PRIMARY KEY,
    display TEXT NOT NULL,
    added_at INTEGER NOT NULL
);
CREATE TABLE recents (
    address TEXT PRIMARY KEY,
    name TEXT,
    last_used INTEGER NOT NULL,
    count INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE directory_entries (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    used_at INTEGER NOT NULL
);
CREATE INDEX directory_entries_used ON directory_entries (used_at);

CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE outbox (
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
CREATE INDEX outbox_state ON outbox (state, created_at);
-- Content an outbox item needs (its attachments, stored encrypted): never evicted.
CREATE TABLE outbox_content (
    outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    blob_id TEXT NOT NULL,
    PRIMARY KEY (outbox_id, blob_id)
) WITHOUT ROWID;
CREATE INDEX outbox_content_blob ON outbox_content (blob_id);

CREATE TABLE pending_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    email_ids TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
"""

# Version 2: the user's unsent work left the cache for the unsent file (copied by
# _MOVE_UNSENT_V1 in its own transaction first, see BEFORE_STEP); the cached copies of the outbox's
# documents go with their links.
_V2 = """
DELETE FROM main.content_blobs WHERE blob_id IN (SELECT blob_id FROM main.outbox_content);
DROP TABLE main.outbox_content;
DROP TABLE main.outbox;
DROP TABLE main.drafts;
DROP TABLE main.pending_actions;
"""

# Version 3: an index no query uses, paid on every email inserted. Messages are found by their
# Message-ID through json_each over the JSON list, which an index on the list's text cannot serve.
_V3 = """
DROP INDEX IF EXISTS main.emails_message_id;
"""

# Version 4: the message list shows conversations (JMAP threads), one row each. A page of a
# 100,000-message mailbox must stay an index range scan, so the grouping is kept, not computed per
# page: `conversations` holds one row per (mailbox, thread) with what the list sorts and filters
# on (the newest message's date, rowid and sort keys; how many messages, unread, flagged, with
# documents), kept by triggers on `email_mailboxes`, which now carries its email's thread. Adding a
# message updates its row in place; removing one, or changing the newest, recounts that one
# conversation from `email_mailboxes_thread`.
_V4 = """
ALTER TABLE main.email_mailboxes ADD COLUMN thread_id TEXT NOT NULL DEFAULT '';
UPDATE main.email_mailboxes
SET thread_id = (SELECT e.thread_id FROM main.emails e WHERE e.rowid = email_rowid);
CREATE INDEX main.email_mailboxes_thread
    ON email_mailboxes (mailbox_id, thread_id, received_at, email_rowid);

CREATE TABLE main.conversations (
    mailbox_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    total INTEGER NOT NULL,
    unread INTEGER NOT NULL,
    flagged INTEGER NOT NULL,
    attachments INTEGER NOT NULL,
    -- The newest message of the conversation in this mailbox, and its sort keys.
    received_at INTEGER NOT NULL,
    email_rowid INTEGER NOT NULL,
    sender_sort TEXT NOT NULL,
    subject_sort TEXT NOT NULL,
    PRIMARY KEY (mailbox_id, thread_id)
) WITHOUT ROWID;
INSERT INTO main.conversations (mailbox_id, thread_id, total, unread, flagged, attachments,
    received_at, email_rowid, sender_sort, subject_sort)
SELECT m.mailbox_id, m.thread_id, count(*), sum(m.unread), sum(m.flagged), sum(m.has_attachment),
    n.received_at, n.email_rowid, n.sender_sort, n.subject_sort
FROM main.email_mailboxes m
JOIN main.email_mailboxes n ON n.mailbox_id = m.mailbox_id AND n.email_rowid = (
    SELECT l.email_rowid FROM main.email_mailboxes l
    WHERE l.mailbox_id = m.mailbox_id AND l.thread_id = m.thread_id
    ORDER BY l.received_at DESC, l.email_rowid DESC LIMIT 1)
GROUP BY m.mailbox_id, m.thread_id;
CREATE INDEX main.conversations_date
    ON conversations (mailbox_id, received_at, email_rowid);
CREATE INDEX main.conversations_unread
    ON conversations (mailbox_id, received_at, email_rowid) WHERE unread > 0;
CREATE INDEX main.conversations_flagged
    ON conversations (mailbox_id, received_at, email_rowid) WHERE flagged > 0;
CREATE INDEX main.conversations_attachment
    ON conversations (mailbox_id, received_at, email_rowid) WHERE attachments > 0;
CREATE INDEX main.conversations_sender
    ON conversations (mailbox_id, sender_sort, received_at DESC, email_rowid DESC);
CREATE INDEX main.conversations_subject
    ON conversations (mailbox_id, subject_sort, received_at DESC, email_rowid DESC);

CREATE TRIGGER main.conversations_add AFTER INSERT ON email_mailboxes BEGIN
    INSERT INTO conversations (mailbox_id, thread_id, total, unread, flagged, attachments,
        received_at, email_rowid, sender_sort, subject_sort)
    VALUES (new.mailbox_id, new.thread_id, 1, new.unread, new.flagged, new.has_attachment,
        new.received_at, new.email_rowid, new.sender_sort, new.subject_sort)
    ON CONFLICT (mailbox_id, thread_id) DO UPDATE SET
        total = total + 1,
        unread = unread + excluded.unread,
        flagged = flagged + excluded.flagged,
        attachments = attachments + excluded.attachments,
        received_at = iif(
            (excluded.received_at, excluded.email_rowid) > (received_at, email_rowid),
            excluded.received_at, received_at),
        email_rowid = iif(
            (excluded.received_at, excluded.email_rowid) > (received_at, email_rowid),
            excluded.email_rowid, email_rowid),
        sender_sort = iif(
            (excluded.received_at, excluded.email_rowid) > (received_at, email_rowid),
            excluded.sender_sort, sender_sort),
        subject_sort = iif(
            (excluded.received_at, excluded.email_rowid) > (received_at, email_rowid),
            excluded.subject_sort, subject_sort);
END;

-- Removing a message recounts its conversation (or removes it with its last message).
CREATE TRIGGER main.conversations_remove AFTER DELETE ON email_mailboxes BEGIN
    DELETE FROM conversations
    WHERE mailbox_id = old.mailbox_id AND thread_id = old.thread_id AND NOT EXISTS (
        SELECT 1 FROM email_mailboxes
        WHERE mailbox_id = old.mailbox_id AND thread_id = old.thread_id);
    UPDATE conversations SET
        (total, unread, flagged, attachments) = (
            SELECT count(*), sum(unread), sum(flagged), sum(has_attachment) FROM email_mailboxes
            WHERE mailbox_id = old.mailbox_id AND thread_id = old.thread_id),
        (received_at, email_rowid, sender_sort, subject_sort) = (
            SELECT received_at, email_rowid, sender_sort, subject_sort FROM email_mailboxes
            WHERE mailbox_id = old.mailbox_id AND thread_id = old.thread_id
            ORDER BY received_at DESC, email_rowid DESC LIMIT 1)
    WHERE mailbox_id = old.mailbox_id AND thread_id = old.thread_id;
END;

-- Read, flagged, documents: the counts follow; the sort keys when the newest message changed.
CREATE TRIGGER main.conversations_marks
AFTER UPDATE OF unread, flagged, has_attachment, sender_sort, subject_sort ON email_mailboxes
BEGIN
    UPDATE conversations SET
        unread = unread + new.unread - old.unread,
        flagged = flagged + new.flagged - old.flagged,
        attachments = attachments + new.has_attachment - old.has_attachment,
        sender_sort = iif(email_rowid = new.email_rowid, new.sender_sort, sender_sort),
        subject_sort = iif(email_rowid = new.email_rowid, new.subject_sort, subject_sort)
    WHERE mailbox_id = new.mailbox_id AND thread_id = new.thread_id;
END;

-- A date that changed (JMAP says it never does) may change which message is the newest.
CREATE TRIGGER main.conversations_date_changed AFTER UPDATE OF received_at ON email_mailboxes
WHEN old.received_at IS NOT new.received_at BEGIN
    UPDATE conversations SET (received_at, email_rowid, sender_sort, subject_sort) = (
        SELECT received_at, email_rowid, sender_sort, subject_sort FROM email_mailboxes
        WHERE mailbox_id = new.mailbox_id AND thread_id = new.thread_id
        ORDER BY received_at DESC, email_rowid DESC LIMIT 1)
    WHERE mailbox_id = new.mailbox_id AND thread_id = new.thread_id;
END;
"""

# The XDM packages of emails whose patient is still unknown (mail.emails_missing_patient): asked
# for after each page of a first sync, it read every attachment of the cache each time (45 ms
# of the writer's time at 10,000 emails, eleven times in a row).
_V5 = """
CREATE INDEX main.attachments_name ON attachments (upper(trim(name)));
"""

# Version 6 (issue 13 §5): the favorites left the cache for the unsent file (copied first by
# _MOVE_FAVORITES, see BEFORE_STEP): their changes not yet sent to the server are this
# computer's only copy, and the cache may be rebuilt.
_V6 = """
DROP TABLE main.favorites;
"""

# Issue 14 §2: read receipts. Who asked for one, per received email (Disposition-Notification-To),
# and the receipts received, per Message-ID of the message they answer (the MDNs themselves are
# not stored as messages). Both are read again from the server when the cache is rebuilt.
_V7 = """
CREATE TABLE main.receipt_requests (
    email_id TEXT PRIMARY KEY,
    asked_by TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE main.read_receipts (
    message_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    disposition TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (message_id, recipient)
) WITHOUT ROWID;
"""

# Issue 14 §3: the trust space's whitelist of domains as last received (app/trust/space.py),
# one row: what the server can give again, so the cache is its place.
_V8 = """
CREATE TABLE main.trust_space (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    domains TEXT NOT NULL,
    etag TEXT,
    fetched_at REAL NOT NULL
);
"""

# Issue 14 §2: where each message I sent stands for each recipient (sent, delivered, failed), per
# Message-ID like the read receipts; from the submission's deliveryStatus and the DSNs received
# (which are not stored as messages). `code` is the RFC 3463 status explaining a failure or delay.
_V9 = """
CREATE TABLE main.delivery_status (
    message_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    state TEXT NOT NULL,
    code TEXT,
    at INTEGER NOT NULL,
    PRIMARY KEY (message_id, recipient)
) WITHOUT ROWID;
"""


# Append only. Each entry is one SQL script run in its own transaction.
MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9]
